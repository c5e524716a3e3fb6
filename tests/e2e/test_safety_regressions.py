"""Regressions from an attack on the scanner: no whole secret in any output (a second key on a line, code-rule
snippets, config errors), auditor mode, baseline symlinks, large and UTF-16 files."""

from __future__ import annotations

import hashlib
import json
import string
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.rules.secrets.keys import ALNUM, URLSAFE, rand

FORMATS = ["text", "json", "sarif", "markdown", "github"]


def _keys() -> dict[str, str]:
    return {
        "github": "ghp_" + rand(ALNUM, 36),
        "openai": "sk-proj-" + rand(URLSAFE, 74) + "T3BlbkFJ" + rand(URLSAFE, 74),
        "aws_id": "AKIA" + rand(string.ascii_uppercase + string.digits, 16),
        "aws_secret": rand(ALNUM + "+/", 40),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_neighbouring_keys_and_code_findings_are_redacted(tmp_path: Path, fmt: str) -> None:
    keys = _keys()
    (tmp_path / "a.py").write_text(
        f'x = ["{keys["github"]}", "{keys["openai"]}"]\n\n'
        f'def f(password):\n    log.info("pw=%s gh={keys["github"]}", password)\n'
    )
    (tmp_path / "deploy.sh").write_text(
        f"AWS_ACCESS_KEY_ID={keys['aws_id']} AWS_SECRET_ACCESS_KEY={keys['aws_secret']} aws s3 sync .\n"
    )
    code, out = run_cli("scan", str(tmp_path), "--format", fmt)
    assert code == 1
    for key in keys.values():
        assert key[:12] not in out and key[-12:] not in out


def test_code_finding_alone_redacts_a_key_on_its_line(tmp_path: Path) -> None:
    key = "ghp_" + rand(ALNUM, 36)
    (tmp_path / "a.py").write_text(f'import logging\n\ndef f(password):\n    logging.info("pw=%s {key}", password)\n')
    code, out = run_cli("scan", str(tmp_path), "--format", "json", "--ignore", "secrets")
    assert code == 1 and '"LOG404"' in out
    assert key[:12] not in out and key[-12:] not in out


def test_a_config_error_does_not_echo_a_key(tmp_path: Path) -> None:
    key = "sk-ant-api03-" + rand(URLSAFE, 93) + "AA"
    (tmp_path / ".launch-ready.toml").write_text(f'fail-on = "{key}"\n')
    code, out = run_cli("scan", str(tmp_path))
    assert code == 2
    assert key[:14] not in out and key[-14:] not in out


@pytest.mark.parametrize("mode", [(), ("--no-config",)])
def test_baseline_named_files_are_scanned_at_any_depth(tmp_path: Path, mode: tuple[str, ...]) -> None:
    keys = ["ghp_" + rand(ALNUM, 36) for _ in range(3)]  # a key of its own per file: one key is one finding
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / ".secrets.baseline").write_text(f'{{"token": "{keys[0]}"}}\n')
    (hide / ".launch-ready-baseline.json").write_text(f"GITHUB_TOKEN={keys[1]}\n")
    (tmp_path / ".secrets.baseline").write_text(f"GITHUB_TOKEN={keys[2]}\n")
    code, out = run_cli("scan", str(tmp_path), "--format", "json", *mode)
    found = sorted((f["path"], f["rule_id"]) for f in json.loads(out)["findings"])
    assert code == 1 and found == [(".secrets.baseline", "SEC127"), ("hide/.launch-ready-baseline.json", "SEC127"),
                                   ("hide/.secrets.baseline", "SEC127")]


def test_a_key_in_the_baseline_in_use_is_found(tmp_path: Path) -> None:
    key = "ghp_" + rand(ALNUM, 36)
    (tmp_path / ".launch-ready-baseline.json").write_text(
        f'{{"entries": [], "tool": "launch-ready", "version": 1, "note": "{key}"}}\n')
    code, out = run_cli("scan", str(tmp_path), "--format", "json")
    found = [(f["path"], f["rule_id"]) for f in json.loads(out)["findings"]]
    assert code == 1 and found == [(".launch-ready-baseline.json", "SEC127")]


def test_real_baselines_yield_nothing_when_scanned(tmp_path: Path) -> None:
    key = "ghp_" + rand(ALNUM, 36)
    (tmp_path / "a.py").write_text(f'TOKEN = "{key}"\npassword = "{rand(ALNUM, 16)}"\n')
    assert run_cli("baseline", "create", str(tmp_path))[0] == 0
    (tmp_path / ".secrets.baseline").write_text(json.dumps({"version": "1.5.0", "results": {"a.py": [
        {"type": "GitHub Token", "filename": "a.py", "hashed_secret": hashlib.sha1(key.encode()).hexdigest(),
         "is_verified": False, "line_number": 1}]}}, indent=2) + "\n")
    (tmp_path / "sub").mkdir()
    ours = (tmp_path / ".launch-ready-baseline.json").read_text()
    (tmp_path / "sub" / ".launch-ready-baseline.json").write_text(ours)
    code, out = run_cli("scan", str(tmp_path), "--format", "json", "--no-config")
    found = sorted((f["path"], f["rule_id"]) for f in json.loads(out)["findings"])
    assert code == 1 and found == [("a.py", "SEC127"), ("a.py", "SEC190")]


def test_baseline_update_refuses_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.json"
    victim.write_text('{"version": 1, "entries": []}\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".launch-ready-baseline.json").symlink_to(victim)
    code, out = run_cli("baseline", "update", str(repo))
    assert code == 2 and "symlink" in out
    assert victim.read_text() == '{"version": 1, "entries": []}\n'


def test_a_key_past_4_mib_is_found(tmp_path: Path) -> None:
    key = "ghp_" + rand(ALNUM, 36)
    filler = "x = 1\n" * (5 * 1024 * 1024 // 6)
    (tmp_path / "big.py").write_text(f'{filler}TOKEN = "{key}"\n')
    report = run_cli("scan", str(tmp_path), "--format", "json", "--secrets-only")[1]
    assert '"SEC127"' in report and f'"line": {filler.count(chr(10)) + 1}' in report


def test_a_utf16_env_file_is_read(tmp_path: Path) -> None:
    key = "ghp_" + rand(ALNUM, 36)
    (tmp_path / ".env").write_bytes(f"GITHUB_TOKEN={key}\r\n".encode("utf-16"))
    code, report = run_cli("scan", str(tmp_path), "--format", "json", "--secrets-only")
    assert code == 1 and '"SEC127"' in report and '"path": ".env"' in report
