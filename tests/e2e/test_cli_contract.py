"""The command line's contract, through the real console script in tmp repositories: exit codes and the one-line
messages for every refusal, one scan for many outputs, paths, strictness, baselines, quiet and statistics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner import api, cli
from scanner.model import Notification, ScanResult
from tests.e2e.gitrepo import commit_files, fake_openai_key, init_repo

BIN = Path(sys.executable).parent / "launch-ready"


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the installed console script; returns (exit code, stdout, stderr)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    proc = subprocess.run([str(BIN), *args], cwd=cwd, env={**full, **(env or {})}, capture_output=True,
                          text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    commit_files(root, {"app.py": f'KEY = "{fake_openai_key(1)}"\n', "web/ok.py": "x = 1\n"}, "base")
    return root


@pytest.mark.parametrize(("args", "message"), [
    (["--select", "SEC1OO"], "--select: unknown rule, family or prefix 'SEC1OO' (did you mean SEC100?)"),
    (["--select", "secret"], "--select: unknown rule, family or prefix 'secret' (did you mean secrets?)"),
    (["--ignore", "openai-key"],
     "--ignore: unknown rule, family or prefix 'openai-key' (did you mean openai-api-key?)"),
    (["--history", "--since", "main"], "--history and --since cannot be combined; choose one mode"),
    (["--staged", "--since", "main"], "--staged and --since cannot be combined; choose one mode"),
    (["--history", "--staged"], "--history and --staged cannot be combined; choose one mode"),
    (["--history", "--range", "main..main"], "--history and --range cannot be combined; choose one mode"),
    (["--range", "main"], "--range 'main': expected A..B (two commits or refs)"),
    (["--range", "main..nope"], "--range nope: no such commit or ref in this repository"),
    (["--since", "no-such-branch"], "--since no-such-branch: no such commit or ref in this repository"),
    (["--jobs", "-3"], "--jobs -3: expected 0 (every core) or a positive number of workers"),
    (["--format", "sarif", "-o", "missing/r.sarif"], "-o missing/r.sarif: missing is not an existing folder"),
    (["-o", "web"], "-o web: is a folder"),
    (["--format", "json", "--format", "sarif"],
     "two reports on standard output; give each --format its own -o FILE"),
])
def test_refusals_are_one_line_and_exit_2(repo: Path, args: list[str], message: str) -> None:
    code, out, err = run("scan", ".", *args, cwd=repo)
    assert (code, out) == (2, "")
    assert one_line(err) == f"launch-ready: error: {message}"


def test_unknown_names_in_the_config_are_refused_too(repo: Path) -> None:
    (repo / ".launch-ready.toml").write_text('select = ["secret"]\n[severity]\nSEC1OO = "low"\n')
    code, _, err = run("scan", ".", cwd=repo)
    assert code == 2
    assert one_line(err) == ("launch-ready: error: select in .launch-ready.toml: unknown rule, family or prefix "
                             "'secret' (did you mean secrets?)")
    (repo / ".launch-ready.toml").write_text('[severity]\nSEC1OO = "low"\n')
    assert "severity in .launch-ready.toml: unknown rule, family or prefix 'SEC1OO'" in run("scan", ".", cwd=repo)[2]


def test_a_missing_path_a_file_and_several_paths(repo: Path) -> None:
    code, _, err = run("scan", "nope.py", cwd=repo)
    assert (code, one_line(err)) == (2, "launch-ready: error: nope.py: no such file or folder")
    code, out, _ = run("scan", "app.py", "--format", "json", cwd=repo)
    assert code == 1 and [f["path"] for f in json.loads(out)["findings"]] == ["app.py"]
    code, _, err = run("scan", "app.py", "web", "--format", "json", cwd=repo)
    assert code == 1 and err == ""


def test_one_scan_writes_every_report(repo: Path) -> None:
    code, out, err = run("scan", ".", "--format", "sarif", "-o", "r.sarif", "--format", "markdown", "-o", "s.md",
                         "--json-output", "r.json", "--format", "github", cwd=repo)
    assert code == 1 and err == ""
    assert out.startswith("::error file=app.py,line=1")
    assert json.loads((repo / "r.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "SEC100"
    assert [f["rule_id"] for f in json.loads((repo / "r.json").read_text())["findings"]] == ["SEC100"]
    assert (repo / "s.md").read_text().startswith("# ")


def test_strict_ignores_binary_files(repo: Path) -> None:
    commit_files(repo, {"app.py": None, "logo.png": "\x89PNG\r\n\x1a\n\x00\x00binary"}, "png")
    code, _, err = run("scan", ".", "--strict", cwd=repo)
    assert (code, err) == (0, "")


def test_strict_passes_decoded_files_and_says_why_it_fails(repo: Path) -> None:
    commit_files(repo, {"app.py": None}, "no key")
    (repo / "latin.py").write_bytes(b'x = "caf\xe9"\n')  # read whole as Latin-1: expected
    assert run("scan", ".", "--strict", cwd=repo)[:3:2] == (0, "")
    (repo / "broken.py").write_text("from flask import Flask\n\ndef (:\n")
    code, _, err = run("scan", ".", "--strict", cwd=repo)
    assert (code, err) == (2, "launch-ready: --strict: broken.py: not parsed: Python syntax error at line 3\n")


def test_the_default_baseline_and_the_config_key(repo: Path) -> None:
    assert run("baseline", "create", ".", cwd=repo)[0] == 0
    code, out, _ = run("scan", ".", "--format", "json", cwd=repo)
    assert code == 0 and json.loads(out)["findings"] == []
    (repo / ".launch-ready-baseline.json").rename(repo / "accepted.json")
    assert run("scan", ".", cwd=repo)[0] == 1
    (repo / ".launch-ready.toml").write_text('baseline = "accepted.json"\n')
    assert run("scan", ".", cwd=repo)[0] == 0
    assert run("scan", ".", "--no-config", cwd=repo)[0] == 1


def test_quiet_and_statistics(repo: Path) -> None:
    code, out, _ = run("scan", "web", "--quiet", cwd=repo)
    assert (code, out) == (0, "")
    code, out, _ = run("scan", ".", "--statistics", cwd=repo)
    assert (code, out) == (1, "1  SEC100   openai-api-key\n")


def _capture(monkeypatch: pytest.MonkeyPatch, result: ScanResult | None = None) -> list[api.ScanOptions]:
    seen: list[api.ScanOptions] = []

    def fake_scan(root: Path, config: Any, options: api.ScanOptions, progress: Any = None) -> ScanResult:
        seen.append(options)
        return result or ScanResult(str(root), ())

    monkeypatch.setattr(api, "scan", fake_scan)
    return seen


def test_select_and_ignore_decide_which_engines_start(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture(monkeypatch)
    monkeypatch.chdir(repo)
    for args in (["--select", "secrets"], ["--secrets-only"], ["--select", "AUTH301"], ["--ignore", "secrets"]):
        assert CliRunner().invoke(cli.main, ["scan", ".", *args]).exit_code == 0
    assert [(o.engines, o.families) for o in seen] == [
        (("secrets", "patterns"), ("secrets",)),
        (None, ("secrets",)),
        (("python", "semgrep"), ("auth",)),
        (("secrets", "python", "semgrep", "config", "launch"),
         ("client-exposure", "auth", "logging", "cors", "launch")),
    ]


def test_range_paths_and_the_pre_push_stage(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture(monkeypatch)
    head = commit_files(repo, {"b.py": "y = 2\n"}, "next")
    monkeypatch.chdir(repo / "web")
    assert CliRunner().invoke(cli.main, ["scan", "ok.py", "../app.py", "--range", "main~1..main"]).exit_code == 0
    assert (seen[0].commit_range, seen[0].paths) == ("main~1..main", ("app.py", "web/ok.py"))
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "main~1")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", head)
    assert CliRunner().invoke(cli.main, ["scan", "--staged"]).exit_code == 0
    assert seen[1].commit_range == f"main~1..{head}"


def test_an_incomplete_scan_says_why_on_stderr_whatever_the_output(repo: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    broken = ScanResult(str(repo), (), (Notification("error", "semgrep crashed (exit 7)", None, "engine-error"),
                                        Notification("error", "2 objects could not be read", None, "history")))
    _capture(monkeypatch, broken)
    result = CliRunner().invoke(cli.main, ["scan", str(repo), "--format", "sarif", "-o", str(repo / "r.sarif")])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("launch-ready: incomplete scan: semgrep crashed (exit 7) "
                             "(and 1 more error(s) in the report)\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--fail-on", "bogus"],
     "Invalid value for '--fail-on': 'bogus' is not one of 'critical', 'high', 'medium', 'low', 'info'."),
    (["--format", "yaml"], "Invalid value for '--format': 'yaml' is not one of 'text', 'json', 'sarif', "
                           "'markdown', 'github'."),
])
def test_click_usage_errors_are_one_line_too(repo: Path, args: list[str], message: str) -> None:
    code, out, err = run("scan", ".", *args, cwd=repo)
    assert (code, out, one_line(err)) == (2, "", f"launch-ready: error: {message}")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc (a folder no one can create files in)")
def test_an_output_folder_that_refuses_new_files_is_caught_before_scanning() -> None:
    from scanner.cli_args import Output, check_writable
    from scanner.errors import UsageError

    with pytest.raises(UsageError, match=r"^-o /proc/launch-ready\.json: cannot be written"):
        check_writable([Output("json", Path("/proc/launch-ready.json"))])
