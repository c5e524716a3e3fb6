"""End to end: config precedence and errors, suppressions, auditor mode, baselines and exit codes."""

from __future__ import annotations

import hashlib
import json
import random
import string
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from scanner.cli import main

ALNUM = string.ascii_letters + string.digits
PATTERN = '[[patterns]]\nname = "acme"\nregex = "acme_tok_([A-Za-z0-9]{24})"\nseverity = "low"\n'


def _github_token(seed: int) -> str:
    """A fake classic GitHub token: ``ghp_`` + 36 base62 characters (GitHub's documented token format)."""
    rng = random.Random(seed)
    return "ghp_" + "".join(rng.choice(ALNUM) for _ in range(36))


def _acme(seed: int) -> str:
    rng = random.Random(seed)
    return "acme_tok_" + "".join(rng.choice(ALNUM) for _ in range(24))


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _json(path: Path, *extra: str) -> dict[str, Any]:
    result = _invoke("scan", str(path), "--format", "json", "--exit-zero", *extra)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _found(doc: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(f["rule_id"], f["path"], f["line"]) for f in doc["findings"]]


def _repo(tmp_path: Path, config: str, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    if config:
        (root / ".launch-ready.toml").write_text(config)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_fail_on_precedence_and_exit_codes(tmp_path: Path) -> None:
    root = _repo(tmp_path, 'fail-on = "critical"\n' + PATTERN, {"app.txt": f"k = {_acme(1)}\n"})
    (root / "pyproject.toml").write_text('[tool.launch-ready]\nfail-on = "low"\n')
    # .launch-ready.toml beats pyproject.toml; the command line beats both
    assert _invoke("scan", str(root), "--select", "SEC18").exit_code == 0
    assert _invoke("scan", str(root), "--select", "SEC18", "--fail-on", "low").exit_code == 1
    assert _invoke("scan", str(root), "--select", "SEC18", "--fail-on", "low", "--exit-zero").exit_code == 0
    mine = tmp_path / "mine.toml"
    mine.write_text('fail-on = "info"\n')
    assert _invoke("scan", str(root), "--select", "SEC18", "--config", str(mine)).exit_code == 1


def test_wrong_type_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = _repo(tmp_path, "fail-on = 3\n", {"app.txt": "x\n"})
    result = _invoke("scan", str(root))
    assert result.exit_code == 2
    assert result.stderr == ("launch-ready: error: .launch-ready.toml: fail-on: expected a severity name, "
                             "got an integer\n")
    assert result.stdout == ""


def test_unknown_key_is_a_warning(tmp_path: Path) -> None:
    root = _repo(tmp_path, 'fail-onn = "high"\n', {"app.txt": "x\n"})
    doc = _json(root)
    assert {"level": "warning", "kind": "config", "path": None,
            "message": ".launch-ready.toml: unknown config key 'fail-onn' ignored", "count": 1,
            "examples": []} in doc["notifications"]


def test_exclude_ignore_and_severity(tmp_path: Path) -> None:
    config = 'exclude = ["vendor/"]\nseverity = { SEC183 = "high" }\n'
    files = {"app.txt": f"{_acme(2)}\n", "vendor/lib.txt": f"{_acme(3)}\n"}
    root = _repo(tmp_path, config + PATTERN, files)
    doc = _json(root, "--select", "SEC18")
    assert _found(doc) == [("SEC183", "app.txt", 1)]
    assert doc["findings"][0]["severity"] == "high"
    (root / ".launch-ready.toml").write_text(config + 'ignore = ["custom-pattern-low"]\n' + PATTERN)
    assert _found(_json(root, "--select", "SEC18")) == []


def test_comment_syntaxes_and_bare_ignore(tmp_path: Path) -> None:
    files = {
        "a.py": f"k = '{_acme(4)}'  # launch-ready: ignore[SEC183]\n",
        "b.js": f"// launch-ready: ignore[custom-pattern-low]\nconst k = '{_acme(5)}';\n",
        "c.css": f"/* launch-ready: ignore[SEC183] */ .x {{ --k: '{_acme(6)}'; }}\n",
        "d.html": f"<p>{_acme(7)}</p> <!-- launch-ready: ignore[SEC183] -->\n",
        "e.sh": f"K={_acme(8)}  # launch-ready: ignore\n",
    }
    doc = _json(_repo(tmp_path, PATTERN, files), "--select", "SEC18", "--secrets-only")
    assert _found(doc) == [("SEC183", "e.sh", 1)]
    assert doc["suppressed"]["total"] == 4 and doc["suppressed"]["by"] == {"inline": 4}
    assert [(n["kind"], n["path"], n["message"][:7]) for n in doc["notifications"]] == [
        ("bare-ignore", "e.sh", "line 1:")]


def test_pragma_allowlist_for_a_real_secret(tmp_path: Path) -> None:
    files = {"app.py": f'T = "{_github_token(1)}"  # pragma: allowlist secret\n'
                       f'# pragma: allowlist nextline secret\nU = "{_github_token(2)}"\n'
                       f'V = "{_github_token(3)}"\n'}
    doc = _json(_repo(tmp_path, "", files), "--secrets-only")
    assert [(f["family"], f["line"]) for f in doc["findings"]] == [("secrets", 4)]
    assert doc["suppressed"]["by"] == {"inline": 2}


def test_no_config_ignores_config_suppressions_and_baseline(tmp_path: Path) -> None:
    files = {"a.txt": f"{_acme(9)}\n", "b.txt": f"{_acme(10)}  # launch-ready: ignore[SEC183]\n",
             "c.txt": f"{_acme(11)}\n", "vendor/d.txt": f"{_acme(12)}\n"}
    root = _repo(tmp_path, 'exclude = ["vendor/"]\nignore = ["LOG401"]\n' + PATTERN, files)
    assert _invoke("baseline", "create", str(root), "--select", "SEC18").exit_code == 0
    audit = tmp_path / "audit.toml"
    audit.write_text(PATTERN)
    normal = _json(root, "--select", "SEC18", "--baseline", str(root / ".launch-ready-baseline.json"))
    assert _found(normal) == [] and normal["suppressed"]["total"] == 3
    auditor = _json(root, "--select", "SEC18", "--no-config", "--config", str(audit),
                    "--baseline", str(root / ".launch-ready-baseline.json"))
    assert [p for _, p, _ in _found(auditor)] == ["a.txt", "b.txt", "c.txt", "vendor/d.txt"]
    assert auditor["suppressed"]["total"] == 0
    assert any("--no-config: baseline" in n["message"] for n in auditor["notifications"])


def test_baseline_is_byte_stable_under_line_shifts(tmp_path: Path) -> None:
    secret = _github_token(4)
    root = _repo(tmp_path, "", {"app.py": f'TOKEN = "{secret}"\n'})
    created = _invoke("baseline", "create", str(root), "--secrets-only")
    assert created.exit_code == 0, created.output
    baseline = root / ".launch-ready-baseline.json"
    before = baseline.read_bytes()
    assert secret.encode() not in before and b'"line' not in before
    result_before = _json(root, "--baseline", str(baseline))
    (root / "app.py").write_text(f'import os\n\n\ndef f():\n    return 1\n\n\nTOKEN = "{secret}"\n')
    assert _invoke("baseline", "update", str(root), "--secrets-only").exit_code == 0
    assert baseline.read_bytes() == before
    result_after = _json(root, "--baseline", str(baseline))
    assert result_after["findings"] == result_before["findings"] == []
    assert result_after["suppressed"]["by"] == result_before["suppressed"]["by"] == {"baseline": 1}


def test_different_secret_on_the_same_line_is_new(tmp_path: Path) -> None:
    root = _repo(tmp_path, "", {"app.py": f'TOKEN = "{_github_token(5)}"\n'})
    assert _invoke("baseline", "create", str(root)).exit_code == 0
    (root / "app.py").write_text(f'TOKEN = "{_github_token(6)}"\n')
    doc = _json(root, "--baseline", str(root / ".launch-ready-baseline.json"))
    assert [(f["family"], f["path"], f["line"]) for f in doc["findings"]] == [("secrets", "app.py", 1)]
    code = _invoke("scan", str(root), "--baseline", str(root / ".launch-ready-baseline.json")).exit_code
    assert code == 1


def test_detect_secrets_baseline_is_accepted(tmp_path: Path) -> None:
    known, new = _github_token(7), _github_token(8)
    root = _repo(tmp_path, "", {"app.py": f'A = "{known}"\nB = "{new}"\n'})
    sha1 = hashlib.sha1(known.encode()).hexdigest()
    (root / ".secrets.baseline").write_text(json.dumps({"version": "1.5.0", "results": {"app.py": [
        {"type": "GitHub Token", "filename": "app.py", "hashed_secret": sha1, "line_number": 1}]}}))
    doc = _json(root, "--baseline", str(root / ".secrets.baseline"))
    assert [(f["path"], f["line"]) for f in doc["findings"]] == [("app.py", 2)]
    assert doc["suppressed"]["by"] == {"baseline": 1}
    assert sha1 not in json.dumps(doc)


def test_baseline_create_and_update_guard_the_file(tmp_path: Path) -> None:
    root = _repo(tmp_path, "", {"app.py": "x = 1\n"})
    assert _invoke("baseline", "update", str(root)).exit_code == 2
    first = _invoke("baseline", "create", str(root), "-o", str(tmp_path / "b.json"))
    assert first.exit_code == 0 and "wrote 0 entries for 0 finding(s)" in first.stderr
    again = _invoke("baseline", "create", str(root), "-o", str(tmp_path / "b.json"))
    assert again.exit_code == 2 and "use `launch-ready baseline update`" in again.stderr
    written = json.loads((tmp_path / "b.json").read_text())
    assert written == {"entries": [], "tool": "launch-ready", "version": 1}


def test_update_never_overwrites_a_detect_secrets_baseline(tmp_path: Path) -> None:
    root = _repo(tmp_path, "", {"app.py": "x = 1\n", ".secrets.baseline": '{"results": {}}'})
    result = _invoke("baseline", "update", str(root), "-o", str(root / ".secrets.baseline"))
    assert result.exit_code == 2 and "is a detect-secrets baseline" in result.stderr
    assert (root / ".secrets.baseline").read_text() == '{"results": {}}'


def test_bad_baseline_file_exits_2(tmp_path: Path) -> None:
    root = _repo(tmp_path, "", {"app.py": "x = 1\n", "b.json": "[]"})
    result = _invoke("scan", str(root), "--baseline", str(root / "b.json"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not a launch-ready or detect-secrets baseline" in result.stderr


def test_help_prints_the_precedence() -> None:
    out = "".join(_invoke("scan", "--help").stdout.split())
    assert "Configprecedence:command-lineflags,then--configFILE,then.launch-ready.toml,then" in out


def test_a_rule_selected_by_code_on_the_command_line_beats_a_config_ignore(tmp_path: Path) -> None:
    root = _repo(tmp_path, 'ignore = ["custom-pattern-low"]\n' + PATTERN, {"app.txt": f"{_acme(6)}\n"})
    assert _found(_json(root, "--select", "SEC18")) == []  # a prefix keeps the config's ignore
    assert _found(_json(root, "--select", "SEC183")) == [("SEC183", "app.txt", 1)]
    assert _found(_json(root, "--select", "custom-pattern-low")) == [("SEC183", "app.txt", 1)]
    assert _found(_json(root, "--select", "SEC18", "--ignore", "SEC183")) == []
