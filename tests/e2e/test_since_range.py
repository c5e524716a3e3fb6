"""`--since REF` and `commit_range` A..B (issue 10): every commit of the branch, merges and rebased branches."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner import api
from scanner.config import Config
from scanner.errors import ScanError
from tests.e2e.gitrepo import commit_files, fake_openai_key, git, init_repo, use_standin_engines


@pytest.fixture(autouse=True)
def engines(monkeypatch: pytest.MonkeyPatch) -> None:
    use_standin_engines(monkeypatch)


def found(repo: Path, **options: object) -> list[tuple[str, str, int, str | None]]:
    result = api.scan(repo, Config(), api.ScanOptions(jobs=1, **options))  # type: ignore[arg-type]
    return sorted((f.rule_id, f.location.path, f.location.line, f.location.commit) for f in result.findings)


def branch_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """main with a base commit; branch ``feature`` adds a key then removes it, and adds a kept key and a
    route without auth."""
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"base.py": f"OLD = '{fake_openai_key(60)}'\n", "auth.py": "@login_required\ndef me():\n"})
    git(repo, "checkout", "-q", "-b", "feature")
    shas = {
        "added": commit_files(repo, {"tmp.py": f"T = '{fake_openai_key(61)}'\n"}, "add a key"),
        "removed": commit_files(repo, {"tmp.py": None}, "remove it again (pushed: still leaked)"),
        "kept": commit_files(repo, {"kept.py": f"K = '{fake_openai_key(62)}'\n", "auth.py": "def me():\n"}),
    }
    return repo, shas


def test_since_reports_a_key_added_then_removed_on_the_branch(tmp_path: Path) -> None:
    repo, shas = branch_repo(tmp_path)
    (repo / "wip.py").write_text(f"W = '{fake_openai_key(63)}'\n")
    assert found(repo, since="main") == [
        ("AUTH303", "auth.py", 1, None),
        ("SEC100", "kept.py", 1, None),
        ("SEC100", "tmp.py", 1, shas["added"]),
        ("SEC100", "wip.py", 1, None),
    ]


def test_since_after_merging_main_skips_main_s_own_commits(tmp_path: Path) -> None:
    repo, shas = branch_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    commit_files(repo, {"main_only.py": f"M = '{fake_openai_key(64)}'\n"}, "a key on main")
    git(repo, "checkout", "-q", "feature")
    git(repo, "merge", "-q", "--no-edit", "main")
    assert found(repo, since="main") == [
        ("AUTH303", "auth.py", 1, None),
        ("SEC100", "kept.py", 1, None),
        ("SEC100", "tmp.py", 1, shas["added"]),
    ]


def test_since_on_a_rebased_branch(tmp_path: Path) -> None:
    repo, _ = branch_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    commit_files(repo, {"other.py": "o = 1\n"}, "main moves on")
    git(repo, "checkout", "-q", "feature")
    git(repo, "rebase", "-q", "main")
    rebased = git(repo, "rev-list", "--reverse", "main..feature").split()
    assert found(repo, since="main") == [
        ("AUTH303", "auth.py", 1, None),
        ("SEC100", "kept.py", 1, None),
        ("SEC100", "tmp.py", 1, rebased[0]),
    ]


def test_range_uses_the_last_commit_s_tree_not_the_work_tree(tmp_path: Path) -> None:
    repo, shas = branch_repo(tmp_path)
    (repo / "wip.py").write_text(f"W = '{fake_openai_key(65)}'\n")
    assert found(repo, commit_range=f"main..{shas['kept']}") == [
        ("AUTH303", "auth.py", 1, None),
        ("SEC100", "kept.py", 1, None),
        ("SEC100", "tmp.py", 1, shas["added"]),
    ]
    assert found(repo, commit_range=f"main..{shas['removed']}") == [("SEC100", "tmp.py", 1, shas["added"])]


def test_range_with_an_unknown_ref_is_one_clear_line(tmp_path: Path) -> None:
    repo, _ = branch_repo(tmp_path)
    with pytest.raises(ScanError, match=r"--range main\.\.nope"):
        found(repo, commit_range="main..nope")
    with pytest.raises(ScanError, match=r"expected A\.\.B"):
        found(repo, commit_range="main")


def test_since_head_is_the_uncommitted_work_only(tmp_path: Path) -> None:
    repo, _ = branch_repo(tmp_path)
    (repo / "wip.py").write_text(f"W = '{fake_openai_key(66)}'\n")
    result = api.scan(repo, Config(), api.ScanOptions(jobs=1, since="HEAD"))
    assert [(f.location.path, f.location.commit) for f in result.findings] == [("wip.py", None)]
    assert result.notifications == ()
