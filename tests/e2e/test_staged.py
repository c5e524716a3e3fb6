"""Staged scans (`scan --staged`, what the hook runs) and pre-push scans: the index, not the work tree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.e2e.gitrepo import commit_files, fake_openai_key, git, init_repo, use_standin_engines


@pytest.fixture(autouse=True)
def engines(monkeypatch: pytest.MonkeyPatch) -> None:
    use_standin_engines(monkeypatch)


def staged(repo: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out = run_cli("scan", str(repo), "--staged", "--format", "json", "--jobs", "1", *extra)
    assert code in (0, 1), out
    return code, json.loads(out)


def where(report: dict[str, Any]) -> list[tuple[str, str, int, str | None]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["commit"]) for f in report["findings"])


def test_a_staged_key_deleted_from_the_working_copy_still_blocks(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"app.py": "import os\n"}, "base")
    (repo / "app.py").write_text(f"import os\nKEY = '{fake_openai_key(31)}'\n")
    git(repo, "add", "app.py")
    (repo / "app.py").write_text("import os\n")
    code, report = staged(repo, "--secrets-only")
    assert code == 1
    assert where(report) == [("SEC100", "app.py", 2, None)]


def test_a_key_only_in_the_working_copy_is_not_the_commit(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"app.py": "import os\n"}, "base")
    (repo / "app.py").write_text(f"import os\nKEY = '{fake_openai_key(32)}'\n")
    code, report = staged(repo, "--secrets-only")
    assert (code, report["findings"]) == (0, [])


def test_only_lines_the_commit_adds_count_for_secrets(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    old, new = fake_openai_key(33), fake_openai_key(34)
    commit_files(repo, {"app.py": f"A = '{old}'\nx = 1\n"}, "old key already committed")
    (repo / "app.py").write_text(f"A = '{old}'\nx = 2\nB = '{new}'\n")
    git(repo, "add", "app.py")
    code, report = staged(repo, "--secrets-only")
    assert (code, where(report)) == (1, [("SEC100", "app.py", 3, None)])
    (repo / "app.py").write_text(f"A = '{old}'  # moved to the vault soon\nx = 2\n")
    git(repo, "add", "app.py")
    assert where(staged(repo, "--secrets-only")[1]) == [("SEC100", "app.py", 1, None)]


def test_first_commit_of_a_repository(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    (repo / "a.py").write_text(f"K = '{fake_openai_key(35)}'\n")
    git(repo, "add", "a.py")
    assert where(staged(repo, "--secrets-only")[1]) == [("SEC100", "a.py", 1, None)]


def test_nothing_staged_is_clean(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "def open_route():\n    pass\n"}, "base")
    assert staged(repo) == (0, staged(repo)[1])
    assert staged(repo)[1]["findings"] == []


def test_removing_an_auth_decorator_is_caught(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(
        repo, {"views.py": "@login_required\ndef profile():\n    pass\n\ndef health():\n    pass\n"}, "b"
    )
    (repo / "views.py").write_text("def profile():\n    pass\n\ndef health():\n    return 'ok'\n")
    git(repo, "add", "views.py")
    code, report = staged(repo)
    assert code == 1
    assert where(report) == [("AUTH303", "views.py", 1, None)]


def test_an_old_code_finding_in_a_touched_file_is_not_new(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"views.py": "def health():\n    pass\n"}, "base")
    (repo / "views.py").write_text("# a comment\n\ndef health():\n    return 'ok'\n")
    git(repo, "add", "views.py")
    assert staged(repo) == (0, staged(repo)[1])
    assert staged(repo)[1]["findings"] == []


def test_pre_push_scans_the_commits_being_pushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = init_repo(tmp_path / "r")
    base = commit_files(repo, {"a.py": "x = 1\n"}, "pushed before")
    leak = commit_files(repo, {"k.py": f"K = '{fake_openai_key(36)}'\n"}, "leak")
    head = commit_files(repo, {"k.py": None}, "hide it again")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", head)
    code, report = staged(repo, "--secrets-only")
    assert code == 1
    assert where(report) == [("SEC100", "k.py", 1, leak)]
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", head)
    assert staged(repo, "--secrets-only")[1]["findings"] == []


def test_pre_push_of_a_new_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"views.py": "@login_required\ndef profile():\n    pass\n"}, "base")
    head = commit_files(repo, {"views.py": "def profile():\n    pass\n"}, "drop auth")
    git(repo, "update-ref", "refs/remotes/origin/main", f"{head}~1")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "0" * 40)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", head)
    assert where(staged(repo)[1]) == [("AUTH303", "views.py", 1, None)]


def test_staged_outside_a_repository_is_one_clear_line(tmp_path: Path) -> None:
    code, out = run_cli("scan", str(tmp_path), "--staged")
    assert code == 2
    assert "not inside a git repository" in out


def test_pre_push_key_still_in_the_pushed_tree_has_no_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = init_repo(tmp_path / "r")
    base = commit_files(repo, {"a.py": "x = 1\n"}, "pushed before")
    leak = commit_files(repo, {"k.py": f"x = 1\nK = '{fake_openai_key(37)}'\n"}, "leak, still there")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", leak)
    code, report = staged(repo, "--secrets-only")
    assert code == 1
    assert [(f["path"], f["line"], f["commit"], f["introduced_in"]) for f in report["findings"]] == [
        ("k.py", 2, None, leak)]
