"""History survives damage (issue 9 item 3) and bare mirror clones are audited (item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.e2e.gitrepo import commit_files, fake_openai_key, git, init_repo, use_secrets_engine


@pytest.fixture(autouse=True)
def secrets_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    use_secrets_engine(monkeypatch)


def _loose(repo: Path, sha: str) -> Path:
    return repo / ".git" / "objects" / sha[:2] / sha[2:]


def test_missing_pack_deleted_blob_and_corrupt_commit_still_find_a_later_key(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"old.py": f"A = '{fake_openai_key(50)}'\n", "x.py": "x = 1\n"}, "packed")
    git(repo, "repack", "-q", "-a", "-d")
    commit_files(repo, {"later.py": "unique_blob_content = 4242\n"}, "loose blob")
    blob = git(repo, "rev-parse", "HEAD:later.py").strip()
    commit_files(repo, {"later.py": None}, "drop it")
    corrupt = commit_files(repo, {"mid.py": "m = 1\n"}, "to be corrupted")
    key = fake_openai_key(51)
    after = commit_files(repo, {"new.py": f"B = '{key}'\n"}, "key after the damage")
    commit_files(repo, {"new.py": None}, "remove it")
    _loose(repo, blob).unlink()
    _loose(repo, corrupt).chmod(0o644)
    _loose(repo, corrupt).write_bytes(b"not a zlib stream")
    for pack in (repo / ".git" / "objects" / "pack").glob("pack-*"):
        pack.unlink()
    code, out = run_cli("scan", str(repo), "--history", "--secrets-only", "--jobs", "1", "--format", "json")
    report = json.loads(out)
    assert code == 2
    # old.py is still in the work tree (a tree finding); new.py only in the commit after the damage
    assert [(f["path"], f["line"], f["commit"]) for f in report["findings"]] == [("new.py", 1, after),
                                                                              ("old.py", 1, None)]
    assert key not in out
    errors = [n["message"] for n in report["notifications"] if n["level"] == "error"]
    assert len(errors) == 1 and "could not be read" in errors[0]
    damaged = [n for n in report["notifications"] if n["kind"] == "history-damage"]
    assert damaged and sum(n["count"] for n in damaged) == int(errors[0].split()[1])


def test_a_bad_ref_is_named_and_every_other_ref_is_scanned(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "a = 1\n"}, "first")
    key = fake_openai_key(52)
    added = commit_files(repo, {"k.py": f"K = '{key}'\n"}, "leak")
    commit_files(repo, {"k.py": None}, "remove")
    (repo / ".git" / "refs" / "heads" / "broken").write_text("1" * 40 + "\n")
    code, out = run_cli("scan", str(repo), "--history", "--secrets-only", "--jobs", "1", "--format", "json")
    report = json.loads(out)
    assert code == 2
    assert [(f["path"], f["commit"]) for f in report["findings"]] == [("k.py", added)]


def test_a_ref_file_holding_no_object_name_is_named_not_dropped(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "a = 1\n"}, "first")
    added = commit_files(repo, {"k.py": f"K = '{fake_openai_key(53)}'\n"}, "leak")
    commit_files(repo, {"k.py": None}, "remove")
    (repo / ".git" / "refs" / "heads" / "side").write_text("garbage\n")  # git: "ignoring broken ref"
    code, out = run_cli("scan", str(repo), "--history", "--secrets-only", "--jobs", "1", "--format", "json")
    report = json.loads(out)
    assert code == 2 and report["incomplete"] is True
    assert [(f["path"], f["commit"]) for f in report["findings"]] == [("k.py", added)]
    damaged = [n["message"] for n in report["notifications"] if n["kind"] == "history-damage"]
    assert damaged == ["ref refs/heads/side could not be read (missing or corrupt); skipped"]


def test_bare_mirror_clone_reports_a_deleted_key_with_its_commit(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "a = 1\n"}, "first")
    added = commit_files(repo, {"k.py": f"K = '{fake_openai_key(53)}'\n"}, "leak")
    commit_files(repo, {"k.py": None}, "remove")
    git(tmp_path, "clone", "-q", "--mirror", str(repo), str(tmp_path / "m.git"))
    code, out = run_cli("scan", str(tmp_path / "m.git"), "--history", "--secrets-only", "--format", "json")
    report = json.loads(out)
    assert code == 1, out
    assert [(f["path"], f["commit"]) for f in report["findings"]] == [("k.py", added)]
    assert [n["kind"] for n in report["notifications"]] == ["bare"]


def test_bare_repository_without_history_says_there_is_no_work_tree(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "a = 1\n"}, "first")
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(tmp_path / "b.git"))
    code, out = run_cli("scan", str(tmp_path / "b.git"), "--format", "json")
    assert code == 2
    assert "no work tree" in json.loads(out)["notifications"][0]["message"]
