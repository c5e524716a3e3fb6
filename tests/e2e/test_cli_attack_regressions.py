"""Regressions from the newcomer's attack report (notes/attack.md): D5 baseline on a non-UTF-8 file name and a
corrupt baseline, D6 config ignore/exclude counted as ``config`` suppressions, D14 help and error wording."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scanner.cli import main
from tests.e2e.gitrepo import fake_openai_key

BAD_NAME = b"bad\xff\xfename.py"
FIX = "delete it and run `launch-ready baseline create`, or pass another file with --baseline"


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _json(root: Path, *extra: str) -> dict[str, Any]:
    result = _invoke("scan", str(root), "--format", "json", "--exit-zero", "--secrets-only", *extra)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    return root


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in a name")
def test_baseline_create_on_a_non_utf8_file_name(tmp_path: Path) -> None:
    root = _repo(tmp_path, {})
    with open(os.path.join(os.fsencode(root), BAD_NAME), "w") as handle:
        handle.write(f'K = "{fake_openai_key(5)}"\n')
    created = _invoke("baseline", "create", str(root), "--secrets-only")
    assert created.exit_code == 0, created.output
    baseline = root / ".launch-ready-baseline.json"
    (entry,) = json.loads(baseline.read_bytes().decode("utf-8"))["entries"]
    assert (entry["path"], entry["rule"], entry["count"]) == ('"bad\\377\\376name.py"', "SEC100", 1)
    doc = _json(root)
    assert doc["findings"] == []
    assert [(f["path"], f["suppression"]["kind"]) for f in doc["suppressed"]["findings"]] == [
        ('"bad\\377\\376name.py"', "baseline")]
    updated = _invoke("baseline", "update", str(root), "--secrets-only")
    assert updated.exit_code == 0 and "(0 added, 0 removed)" in updated.stderr


@pytest.mark.parametrize(("content", "why"), [
    ("", "baseline file is empty"),
    ('{"entries": [', "baseline is not valid JSON (Expecting value at line 1 column 14)"),
])
def test_a_corrupt_baseline_says_which_file_and_how_to_fix_it(tmp_path: Path, content: str, why: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_repo(tmp_path, {"app.py": "x = 1\n", ".launch-ready-baseline.json": content}))
    scan = _invoke("scan")
    assert (scan.exit_code, scan.stderr) == (2, f"launch-ready: error: .launch-ready-baseline.json: {why}; {FIX}\n")
    create = _invoke("baseline", "create")
    assert (create.exit_code, create.stderr) == (
        2, "launch-ready: error: .launch-ready-baseline.json exists; use `launch-ready baseline update` "
           "(or delete it to start over)\n")


def test_config_ignore_is_counted_as_a_config_suppression(tmp_path: Path) -> None:
    root = _repo(tmp_path, {"a.py": f'OPENAI_API_KEY = "{fake_openai_key(6)}"\n',
                            ".launch-ready.toml": 'ignore = ["SEC100"]\n'})
    doc = _json(root)
    assert doc["findings"] == []
    assert (doc["suppressed"]["total"], doc["suppressed"]["by"]) == (1, {"config": 1})
    (hidden,) = doc["suppressed"]["findings"]
    assert (hidden["rule_id"], hidden["path"], hidden["line"], hidden["suppression"]) == (
        "SEC100", "a.py", 1, {"kind": "config", "detail": "ignore = [SEC100] in .launch-ready.toml"})
    text = _invoke("scan", str(root), "--secrets-only").stdout
    assert text.splitlines()[-1] == "0 findings, 1 suppressed (1 config), 2 files scanned - nothing to fix"
    sarif = json.loads(_invoke("scan", str(root), "--secrets-only", "--format", "sarif").stdout)
    assert [(r["ruleId"], r["suppressions"]) for r in sarif["runs"][0]["results"]] == [
        ("SEC100", [{"kind": "external", "justification": "config: ignore = [SEC100] in .launch-ready.toml"}])]
    # the command line's own choices are not suppressions; auditor mode applies no config at all
    (root / ".launch-ready.toml").write_text("")
    assert _json(root, "--ignore", "SEC100")["suppressed"]["total"] == 0
    (root / ".launch-ready.toml").write_text('select = ["SEC101"]\n')
    assert _json(root)["suppressed"]["by"] == {"config": 1}
    assert _json(root, "--select", "SEC102")["suppressed"]["total"] == 0
    assert [f["rule_id"] for f in _json(root, "--no-config")["findings"]] == ["SEC100"]


def test_config_exclude_leaves_a_note(tmp_path: Path) -> None:
    root = _repo(tmp_path, {"a.py": f'OPENAI_API_KEY = "{fake_openai_key(7)}"\n', "b.py": "x = 1\n",
                            ".launch-ready.toml": 'exclude = ["a.py"]\n'})
    doc = _json(root)
    assert doc["findings"] == [] and doc["suppressed"]["total"] == 0
    assert doc["notifications"] == [{"level": "note", "kind": "excluded", "path": "a.py", "count": 1, "examples": [],
                                     "message": "not scanned: matched by exclude in .launch-ready.toml"}]
    strict = _invoke("scan", str(root), "--secrets-only", "--strict")
    assert strict.exit_code == 0  # excluding a file on purpose is no problem for --strict


def test_baseline_help_does_not_offer_no_config() -> None:
    for command in ("create", "update"):
        out = _invoke("baseline", command, "--help").stdout
        assert "--no-config" not in out
        assert "Config precedence: command-line flags, then --config FILE" in " ".join(out.split())
    assert "--no-config skips" in " ".join(_invoke("scan", "--help").stdout.split())


def test_an_output_error_names_the_flag_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke("scan", "--sarif-output", "ro/x.sarif")
    assert (result.exit_code, result.stderr) == (
        2, "launch-ready: error: --sarif-output ro/x.sarif: ro is not an existing folder\n")
    result = _invoke("scan", "--format", "json", "-o", "ro/x.json")
    assert result.stderr == "launch-ready: error: -o ro/x.json: ro is not an existing folder\n"


def test_invalid_toml_names_the_file_as_other_config_errors_do(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path, {".launch-ready.toml": "ignore = [\n"})
    result = _invoke("scan", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith("launch-ready: error: .launch-ready.toml: invalid TOML: ")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.toml").write_text("x = = 1\n")
    result = _invoke("scan", "repo", "--no-config", "--config", "mine.toml")
    assert result.stderr == "launch-ready: error: mine.toml: invalid TOML: Invalid value (at line 1, column 5)\n"


# --- attack3 D3: a rule selected by its code runs whichever engine reports it ------------------------------------

@pytest.mark.parametrize(("select", "expected"), [
    ("SEC193", [("SEC193", 2)]),  # reported by the Python rules although it is a secrets-family rule
    ("hardcoded-client-password", [("SEC193", 2)]),
    ("secrets", [("SEC190", 2)]),  # the family alone never starts the Python rules: the keyword detector's code
])
def test_a_rule_selected_by_code_is_reported(tmp_path: Path, select: str, expected: list[tuple[str, int]]) -> None:
    password = "Xq7-pL2v" + "-Rt9m-Kd4s"
    code = f'import redis\nr = redis.Redis(host="cache", port=6379, password="{password}")\n'
    root = _repo(tmp_path, {"app.py": code})
    result = _invoke("scan", str(root), "--no-config", "--format", "json", "--exit-zero", "--select", select)
    doc = json.loads(result.stdout)
    assert [(f["rule_id"], f["line"]) for f in doc["findings"]] == expected


# --- attack3 D16: pre-commit's push refs never reach git as options ------------------------------------------------

@pytest.mark.parametrize("env", [
    {"PRE_COMMIT_FROM_REF": "0" * 40, "PRE_COMMIT_TO_REF": "--output={out}"},
    {"PRE_COMMIT_FROM_REF": "--output={out}", "PRE_COMMIT_TO_REF": "HEAD"},
    {"PRE_COMMIT_LOCAL_BRANCH": "--output={out}", "PRE_COMMIT_REMOTE_NAME": "origin"},
])
def test_a_push_ref_that_looks_like_an_option_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         env: dict[str, str]) -> None:
    from tests.e2e.gitrepo import commit_files, init_repo

    repo = init_repo(tmp_path / "repo")
    commit_files(repo, {"a.py": "a = 1\n"}, "first")
    out = tmp_path / "victim.txt"
    out.write_text("keep me\n")
    for name, value in env.items():
        monkeypatch.setenv(name, value.format(out=out))
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["scan", "--staged"])
    assert result.exit_code == 2
    assert "no such commit or ref in this repository" in result.stderr
    assert out.read_text() == "keep me\n"


# --- attack3 D19: a report is never written through a symlink ---------------------------------------------------

@pytest.mark.parametrize("args", [["--format", "sarif", "-o", "results.sarif"], ["--markdown-output", "results.sarif"]])
def test_a_report_path_that_is_a_symlink_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    args: list[str]) -> None:
    root = _repo(tmp_path, {"app.py": "a = 1\n"})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (root / "results.sarif").symlink_to(victim)
    monkeypatch.chdir(root)
    result = _invoke("scan", ".", "--no-config", *args)
    assert result.exit_code == 2
    assert "results.sarif: is a symlink; refusing to write a report through it" in result.stderr
    assert victim.read_text() == "keep me\n"


def test_a_report_path_through_a_symlinked_folder_in_the_repository_is_refused(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path, {"app.py": "a = 1\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "reports").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(root)
    result = _invoke("scan", ".", "--no-config", "--format", "sarif", "-o", "reports/r.sarif")
    assert result.exit_code == 2
    assert "is a symlink inside the scanned repository; refusing to write a report through it" in result.stderr
    assert list(outside.iterdir()) == []
    assert _invoke("scan", ".", "--no-config", "--format", "sarif", "-o", str(tmp_path / "r.sarif")).exit_code == 0


def test_a_report_file_named_twice_is_refused_and_left_as_it_was(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path, {"app.py": "a = 1\n"})
    monkeypatch.chdir(root)
    (root / "keep.sarif").write_text("KEEP\n")
    result = _invoke("scan", ".", "--format", "json", "-o", "keep.sarif", "--sarif-output", "./keep.sarif")
    assert result.exit_code == 2 and "two reports to the same file" in result.stderr
    assert (root / "keep.sarif").read_text() == "KEEP\n"
