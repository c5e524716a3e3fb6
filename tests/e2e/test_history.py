"""History scans (`scan --history`) of throwaway repos: located, once per secret, every ref, odd repos."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES, run_cli, scan_json
from tests.e2e.gitrepo import (
    commit_files,
    fake_openai_key,
    git,
    init_repo,
    use_secrets_engine,
)


@pytest.fixture(autouse=True)
def secrets_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    use_secrets_engine(monkeypatch)


def history(repo: Path, *extra: str) -> dict[str, Any]:
    return scan_json(repo, "--history", "--secrets-only", "--jobs", "1", *extra)


def secrets(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["family"] == "secrets"]


def test_deleted_key_is_found_at_the_commit_that_added_it(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    key = fake_openai_key(1)
    commit_files(repo, {"app.py": "import os\n"}, "first")
    added = commit_files(repo, {"settings.py": f'DEBUG = True\n\nOPENAI_API_KEY = "{key}"\n'}, "add key")
    commit_files(repo, {"settings.py": None}, "remove key")
    found = secrets(history(repo))
    assert [(f["rule_id"], f["path"], f["line"], f["commit"], f["introduced_in"]) for f in found] == [
        ("SEC100", "settings.py", 3, added, None)
    ]
    assert key not in json.dumps(found)


def test_key_still_at_head_is_reported_once_in_the_tree_with_its_introducing_commit(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    key = fake_openai_key(2)
    added = commit_files(repo, {"a.py": f'KEY = "{key}"\n'}, "add")
    commit_files(repo, {"b.py": f'# copy\nOTHER = "{key}"\n', "c.py": "x = 1\n"}, "copy it")
    commit_files(repo, {"c.py": "x = 2\n"}, "unrelated")
    found = secrets(history(repo))
    # one key in two files of the tree is one finding, naming the other copy (and no history finding)
    assert sorted((f["path"], f["line"], f["commit"], f["introduced_in"]) for f in found) == [
        ("a.py", 1, None, added),
    ]
    assert found[0]["message"].endswith("(the same secret is also in 1 other place: b.py:2)")


def test_every_ref_is_walked_branch_tag_and_remote(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"app.py": "print('hi')\n"}, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    on_branch = commit_files(repo, {"feature.py": f"K = '{fake_openai_key(3)}'\n"}, "feature key")
    git(repo, "checkout", "-q", "--detach", "main")
    on_tag = commit_files(repo, {"tagged.py": f"K = '{fake_openai_key(4)}'\n"}, "tag key")
    git(repo, "tag", "-a", "-m", "release", "v1")
    git(repo, "checkout", "-q", "main")
    on_remote = commit_files(repo, {"remote.py": f"K = '{fake_openai_key(5)}'\n"}, "remote key")
    git(repo, "update-ref", "refs/remotes/origin/old", on_remote)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    found = secrets(history(repo))
    assert sorted((f["path"], f["commit"]) for f in found) == sorted(
        [("feature.py", on_branch), ("tagged.py", on_tag), ("remote.py", on_remote)]
    )


def test_a_line_repeated_across_commits_and_files_is_reported_once(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    line = f"KEY = '{fake_openai_key(6)}'\n"
    first = commit_files(repo, {"a.py": line}, "one")
    commit_files(repo, {"a.py": None}, "drop")
    commit_files(repo, {"a.py": line}, "revert the drop")
    commit_files(repo, {"a.py": None}, "drop again")
    found = secrets(history(repo))
    assert [(f["path"], f["line"], f["commit"]) for f in found] == [("a.py", 1, first)]


def test_jobs_split_gives_the_same_findings(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    _fast_import(repo, commits=320, key_at={40: fake_openai_key(7), 250: fake_openai_key(8)})
    one = secrets(history(repo))
    two = secrets(scan_json(repo, "--history", "--secrets-only", "--jobs", "2"))
    assert [(f["path"], f["line"]) for f in one] == [("f40.py", 2), ("f250.py", 2)] or sorted(
        (f["path"], f["line"]) for f in one
    ) == [("f250.py", 2), ("f40.py", 2)]
    assert one == two


def _fast_import(repo: Path, commits: int, key_at: dict[int, str]) -> None:
    """Build ``commits`` commits quickly with ``git fast-import``; commit i adds f<i>.py, then deletes it."""
    out = []
    for i in range(commits):
        body = f"x = {i}\nK = '{key_at[i]}'\n" if i in key_at else f"x = {i}\n"
        data = body.encode()
        out.append(b"commit refs/heads/main\ncommitter T <t@example.com> 1700000000 +0000\ndata 1\nc\n")
        if i:
            out.append(f"D f{i - 1}.py\n".encode())
        out.append(f"M 100644 inline f{i}.py\ndata {len(data)}\n".encode() + data + b"\n")
    git_input = b"".join(out)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=repo, input=git_input, check=True, capture_output=True
    )
    git(repo, "reset", "-q", "--hard", "main")


def test_c014_deleted_settings_file(tmp_path: Path) -> None:
    repo = tmp_path / "c014"
    subprocess.run(["bash", str(CASES / "C014" / "make.sh"), str(repo)], check=True, capture_output=True)
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    found = secrets(history(repo))
    assert [(f["path"], f["line"], f["commit"]) for f in found] == [("backend/settings_local.py", 3, first)]


def test_shallow_clone_says_history_is_truncated(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"old.py": f"K = '{fake_openai_key(9)}'\n"}, "old")
    commit_files(repo, {"old.py": None, "new.py": "x = 1\n"}, "new")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    report = history(clone)
    assert secrets(report) == []
    assert any(
        "shallow clone" in n["message"] and "truncated" in n["message"] for n in report["notifications"]
    )


def test_repository_with_no_commits_is_a_note(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    (repo / "a.py").write_text("x = 1\n")
    report = history(repo)
    assert report["findings"] == []
    assert any("no commits" in n["message"] for n in report["notifications"])


def test_detached_head_is_a_note_and_still_scanned(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    first = commit_files(repo, {"a.py": f"K = '{fake_openai_key(10)}'\n"}, "one")
    commit_files(repo, {"a.py": "K = ''\n"}, "two")
    git(repo, "checkout", "-q", "--detach", "HEAD")
    report = history(repo)
    assert [(f["path"], f["commit"]) for f in secrets(report)] == [("a.py", first)]
    assert any("detached HEAD" in n["message"] for n in report["notifications"])


def test_binary_diffs_are_a_note_and_non_utf8_content_is_scanned(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    key = fake_openai_key(11)
    (repo / "blob.bin").write_bytes(b"\x00\x01" + key.encode() + b"\x00")
    (repo / "latin.py").write_bytes(b"# caf\xe9\nK = '" + key.encode() + b"'\n")
    added = commit_files(repo, {}, "odd files")
    commit_files(repo, {"blob.bin": None, "latin.py": None}, "drop them")
    report = history(repo)
    assert [(f["path"], f["line"], f["commit"]) for f in secrets(report)] == [("latin.py", 2, added)]
    assert any("binary" in n["message"] for n in report["notifications"])
    assert "1 added line(s) in history not valid UTF-8; read as Latin-1" in [
        n["message"] for n in report["notifications"]
    ]


def test_non_utf8_path_is_scanned(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    name = b"caf\xe9.py".decode("utf-8", "surrogateescape")
    (repo / name).write_bytes(b"K = '" + fake_openai_key(17).encode() + b"'\n")
    added = commit_files(repo, {}, "odd name")
    commit_files(repo, {name: None}, "drop it")
    found = secrets(history(repo))
    # the JSON report writes a name that is not UTF-8 C-quoted, as git does (scanner.pathnames)
    assert [(f["path"], f["line"], f["commit"]) for f in found] == [('"caf\\351.py"', 1, added)]


def test_submodules_are_skipped_and_named(tmp_path: Path) -> None:
    inner = init_repo(tmp_path / "inner")
    commit_files(inner, {"x.py": "x = 1\n"}, "inner")
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "a = 1\n"}, "outer")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", f"file://{inner}", "vendor/inner")
    git(repo, "commit", "-q", "-m", "add submodule")
    report = history(repo)
    assert any(n["path"] == "vendor/inner" and "submodule" in n["message"] for n in report["notifications"])


def test_a_huge_commit_is_streamed_located_and_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.sources import history_patch as source

    monkeypatch.setattr(source, "HUGE_COMMIT_BYTES", 4 << 20)  # 4 MiB here instead of 50 MiB, to stay quick
    repo = init_repo(tmp_path / "r")
    filler = "".join(f"value_{i} = {i}\n" for i in range(400_000))
    key = fake_openai_key(12)
    added = commit_files(repo, {"big.py": filler + f"K = '{key}'\n"}, "huge")
    commit_files(repo, {"big.py": None}, "drop")
    report = history(repo)
    assert [(f["path"], f["line"], f["commit"]) for f in secrets(report)] == [("big.py", 400_001, added)]
    assert f"commit {added} adds 8 MiB of new lines; streamed and scanned in full" in [
        n["message"] for n in report["notifications"]
    ]


def test_replace_refs_cannot_hide_a_committed_key(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "a = 1\n"}, "base")
    leaky = commit_files(repo, {"k.py": f"K = '{fake_openai_key(13)}'\n"}, "leak")
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    clean = commit_files(repo, {"k.py": "K = ''\n"}, "clean look-alike")
    git(repo, "checkout", "-q", "main")
    git(repo, "replace", leaky, clean)
    assert "K = ''" in git(repo, "show", "main:k.py")  # plain git is fooled
    found = secrets(history(repo))
    assert (("k.py", leaky) in [(f["path"], f["commit"]) for f in found]) or [
        (f["path"], f["commit"]) for f in found
    ] == [("k.py", None)]


def test_grafts_cannot_hide_a_committed_key(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    leaky = commit_files(repo, {"k.py": f"K = '{fake_openai_key(14)}'\n"}, "leak")
    commit_files(repo, {"k.py": None}, "remove")
    head = commit_files(repo, {"a.py": "a = 1\n"}, "later")
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "grafts").write_text(f"{head}\n")  # cut HEAD's parents off
    found = secrets(history(repo))
    assert [(f["path"], f["commit"]) for f in found] == [("k.py", leaky)]


def test_missing_object_is_an_error_and_earlier_findings_are_kept(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    key = fake_openai_key(15)
    first = commit_files(repo, {"k.py": f"K = '{key}'\n"}, "leak")
    commit_files(repo, {"k.py": None, "later.py": "unique_blob_content = 42\n"}, "later")
    blob = git(repo, "rev-parse", "HEAD:later.py").strip()
    commit_files(repo, {"later.py": None}, "drop it (so git cannot borrow the work-tree copy)")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    code, out = run_cli("scan", str(repo), "--history", "--secrets-only", "--jobs", "1", "--format", "json")
    report = json.loads(out)
    assert code == 2
    assert [(f["path"], f["commit"]) for f in secrets(report)] == [("k.py", first)]
    assert any(n["level"] == "error" and "history" in n["message"] for n in report["notifications"])


def test_truncated_pack_is_an_error_not_a_clean_result(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"k.py": f"K = '{fake_openai_key(16)}'\n"}, "leak")
    commit_files(repo, {"k.py": None}, "remove")
    git(repo, "repack", "-q", "-a", "-d")
    pack = next((repo / ".git" / "objects" / "pack").glob("*.pack"))
    pack.chmod(0o644)
    data = pack.read_bytes()
    pack.write_bytes(data[: len(data) // 2])
    code, out = run_cli("scan", str(repo), "--history", "--secrets-only", "--jobs", "1", "--format", "json")
    assert code == 2
    assert any(n["level"] == "error" for n in json.loads(out)["notifications"])


def test_history_outside_a_repository_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    code, out = run_cli("scan", str(tmp_path), "--history")
    assert code == 2
    assert "not inside a git repository" in out


def test_history_without_git_on_path_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = init_repo(tmp_path / "r")
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    code, out = run_cli("scan", str(repo), "--history")
    assert code == 2
    assert "git is not installed" in out


@pytest.mark.parametrize(("jobs", "per_job", "cores", "expected"),
                         [(0, 10_000, 2, 1), (0, 100, 2, 2), (0, 100, 1, 1), (0, 100, 8, 3), (2, 10_000, 2, 2)])
def test_default_jobs_fork_only_for_long_histories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int,
                                                   per_job: int, cores: int, expected: int) -> None:
    from scanner.sources import history as source

    repo = init_repo(tmp_path / "r")
    _fast_import(repo, commits=300, key_at={})
    assert git(repo, "rev-list", "--all", "--count").strip() == "300"
    used: list[int] = []
    monkeypatch.setattr(source, "AUTO_COMMITS_PER_JOB", per_job)
    monkeypatch.setattr(source.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(source, "_scan_chunks", lambda root, proto, commits, n, progress: used.append(n) or [])
    source.scan_history(repo, lambda fragments: ([], []), jobs)
    # jobs=0: one process per AUTO_COMMITS_PER_JOB commits, at most one per core; an explicit count is kept
    assert used == [expected]


def test_patch_parser_keeps_added_lines_with_their_numbers() -> None:
    import io

    from scanner.sources import history_patch

    sha = "a" * 40
    patch = (
        f"{sha}\n"
        "diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n"
        "@@ -3,2 +3,3 @@ def f():\n-old\n-old2\n\\ No newline at end of file\n+++ not a header\n+new\n+new\n"
        "@@ -10,0 +12 @@\n+tail\n"
        'diff --git "a/caf\\303\\251 \\"q\\".py" "b/caf\\303\\251 \\"q\\".py"\nnew file mode 100644\n'
        '--- /dev/null\n+++ "b/caf\\303\\251 \\"q\\".py"\n@@ -0,0 +1,2 @@\n+new\n+other\n'
        "diff --git a/img.png b/img.png\nBinary files a/img.png and b/img.png differ\n"
        "diff --git a/sub b/sub\nnew file mode 160000\nindex 0..3\n--- /dev/null\n+++ b/sub\n"
        "@@ -0,0 +1 @@\n+Subproject commit " + "c" * 40 + "\n"
    ).encode()
    chunk = history_patch.Chunk(lambda fragments: ([], []))
    fragments = list(history_patch.fragments(io.BytesIO(patch), chunk, lambda n: None))
    assert [(f.path, f.lines, f.commit) for f in fragments] == [
        ("x.py", ((3, "++ not a header"), (4, "new"), (12, "tail")), sha),
        ('café "q".py', ((2, "other"),), sha),  # "new" was already seen in a .py file
    ]
    assert (chunk.added, chunk.distinct, chunk.binary, chunk.submodules) == (7, 4, 1, {"sub"})


def test_patch_parser_decodes_and_classifies_paths_met_again() -> None:
    import io

    from scanner.sources import history_patch
    from scanner.sources.vendored import VendoredTrees

    def commit(sha: str, path: str, *added: bytes) -> bytes:
        body = b"".join(b"+" + line + b"\n" for line in added)
        return (f"{sha}\ndiff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -0,0 +1 @@\n").encode() + body

    patch = (commit("a" * 40, "env/bin/tool.py", b"caf\xe9 = 1", b"crlf = 2\r")
             + commit("b" * 40, "env/pyvenv.cfg", b"home = /x")
             + commit("c" * 40, "env/bin/tool.py", b"later = 3")
             + commit("d" * 40, "app.py", "ünïcode = 4".encode()))
    chunk = history_patch.Chunk(lambda fragments: ([], []), VendoredTrees([]))
    fragments = list(history_patch.fragments(io.BytesIO(patch), chunk, lambda n: None))
    # env/bin/tool.py is scanned before its folder's marker is met, and skipped once it has been
    assert [(f.path, f.lines) for f in fragments] == [
        ("env/bin/tool.py", ((1, "café = 1"), (2, "crlf = 2"))),
        ("app.py", ((1, "ünïcode = 4"),)),
    ]
    assert chunk.latin1 == 1 and [t.folder for t in chunk.vendored] == ["env/"]


def test_added_lines_of_a_rewrite() -> None:
    from scanner.sources.staged import added_lines

    assert added_lines(None, "a\nb\n") == frozenset({1, 2})
    assert added_lines("a\nb\nc\n", "a\nB\nc\nd\n") == frozenset({2, 4})
    assert added_lines("a\nb\n", "b\n") == frozenset()


def test_added_lines_of_a_big_rewrite_are_matched_by_content() -> None:
    """A regenerated data file of 20,000 lines (set 24: a 2 MB JSON rewritten in each of 45 commits took minutes
    with difflib): lines are matched by content, a moved line counts as kept, a repeated line once per copy."""
    from scanner.sources.staged import added_lines

    old = "".join(f'{{"id": {i}, "name": "customer {i}"}},\n' for i in range(20_000))
    rows = old.splitlines()
    new_rows = rows[10_000:] + rows[:10_000]  # moved, not added
    new_rows[5] = '{"id": 5, "api_key": "fake"},'
    new_rows.append(rows[0])  # a second copy of a kept line is added
    assert added_lines(old, "\n".join(new_rows) + "\n") == frozenset({6, 20_001})


def test_a_baselined_history_key_is_counted_as_suppressed(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"settings.py": f'OPENAI_API_KEY = "{fake_openai_key(2)}"\n'}, "add key")
    commit_files(repo, {"settings.py": None}, "remove key")
    code, out = run_cli("baseline", "create", "--history", str(repo))
    assert code == 0, out
    report = history(repo)
    assert secrets(report) == []
    assert report["suppressed"]["total"] == 1
    assert [(f["rule_id"], f["path"], f["suppression"]["kind"]) for f in report["suppressed"]["findings"]] == [
        ("SEC100", "settings.py", "baseline")]


def _evil_merge(repo: Path, key: str) -> tuple[str, str]:
    """A merge whose conflict resolution writes ``key`` (in neither parent), then a commit removing it; returns
    (merge SHA, side-branch SHA). The side branch also adds a key of its own, merged cleanly."""
    commit_files(repo, {"m.py": "base\n"}, "base")
    git(repo, "checkout", "-q", "-b", "side")
    side = commit_files(repo, {"m.py": "a\n", "side.py": f'K = "{fake_openai_key(4)}"\n'}, "side")
    git(repo, "checkout", "-q", "main")
    commit_files(repo, {"m.py": "b\n"}, "main")
    git(repo, "merge", "-q", "side", check=False)
    merge = commit_files(repo, {"m.py": f'KEY = "{key}"\n'}, "merge side")
    commit_files(repo, {"m.py": "clean\n"}, "scrub")
    return merge, side


@pytest.mark.parametrize("mode", ["history", "range"])
def test_a_key_written_in_a_merge_resolution_is_found_at_the_merge(tmp_path: Path, mode: str) -> None:
    repo = init_repo(tmp_path / "r")
    key = fake_openai_key(3)
    merge, side = _evil_merge(repo, key)
    assert git(repo, "rev-list", "--parents", "-n1", merge).count(" ") == 2  # a real two-parent merge
    report = history(repo) if mode == "history" else scan_json(repo, "--range", "HEAD~3..HEAD", "--secrets-only")
    found = sorted((f["rule_id"], f["path"], f["line"], f["commit"] or f["introduced_in"]) for f in secrets(report))
    assert found == sorted([("SEC100", "m.py", 1, merge), ("SEC100", "side.py", 1, side)])


def test_a_folder_scan_takes_no_merge_resolution_from_outside_the_folder(tmp_path: Path) -> None:
    """git ignores ``--relative`` in a merge's combined diff: a key a merge wrote in ``top.py`` was reported by a
    scan of ``sub/`` under the path ``top.py``; the one it wrote in ``sub/s.py`` is the folder's own."""
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"top.py": "base\n", "sub/s.py": "base\n"}, "base")
    git(repo, "checkout", "-q", "-b", "side")
    commit_files(repo, {"top.py": "a\n", "sub/s.py": "a\n"}, "side")
    git(repo, "checkout", "-q", "main")
    commit_files(repo, {"top.py": "b\n", "sub/s.py": "b\n"}, "main")
    git(repo, "merge", "-q", "side", check=False)
    merge = commit_files(repo, {"top.py": f'KEY = "{fake_openai_key(3)}"\n',
                                "sub/s.py": f'KEY = "{fake_openai_key(4)}"\n'}, "merge side")
    commit_files(repo, {"top.py": "clean\n", "sub/s.py": "clean\n"}, "scrub")
    found = [(f["rule_id"], f["path"], f["line"], f["commit"]) for f in secrets(history(repo / "sub"))]
    assert found == [("SEC100", "s.py", 1, merge)]


def test_combined_diff_of_a_merge_is_parsed() -> None:
    import io

    from scanner.sources import history_patch

    merge, octopus = "b" * 40, "c" * 40
    patch = (
        f"{merge}\n"
        "diff --cc m.py\nindex 6178079,7898192..fbc72d1\n--- a/m.py\n+++ b/m.py\n"
        "@@@ -1,1 -1,1 +1,2 @@@\n- b\n -a\n++evil\n +from side\n\\ No newline at end of file\n"
        f"{octopus}\n"
        "diff --cc o.py\nindex 1,2,3..4\n--- a/o.py\n+++ b/o.py\n"
        "@@@@ -5,0 -5,0 -5,0 +7,2 @@@@\n+++written\n  +kept\n"
    ).encode()
    chunk = history_patch.Chunk(lambda fragments: ([], []))
    fragments = list(history_patch.fragments(io.BytesIO(patch), chunk, lambda n: None))
    assert [(f.path, f.lines, f.commit) for f in fragments] == [
        ("m.py", ((1, "evil"), (2, "from side")), merge),
        ("o.py", ((7, "written"), (8, "kept")), octopus),
    ]


def test_text_git_takes_for_binary_is_read_from_its_blobs(tmp_path: Path) -> None:
    """UTF-16 and UTF-32 text and text with a stray NUL are binary to git's diff; history reads their blobs as
    the work tree reads files. A real binary and a deleted binary are one note: the one binary change added."""
    repo = init_repo(tmp_path / "r")
    def line(n: int) -> str:
        return f'OPENAI_API_KEY = "{fake_openai_key(n)}"\n'

    files = {"k16.py": line(5).encode("utf-16"), "k32.env": line(6).encode("utf-32"),
             "nul.py": b"x = 1\0\n" + line(7).encode(), "img.png": bytes(range(256)) * 8}
    for name, data in files.items():
        (repo / name).write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add")
    commit_files(repo, {"k16.py": None, "k32.env": None, "nul.py": None, "img.png": None}, "remove")
    report = history(repo)
    assert sorted((f["rule_id"], f["path"], f["line"]) for f in secrets(report)) == [
        ("SEC100", "k16.py", 1), ("SEC100", "k32.env", 1), ("SEC100", "nul.py", 2)]
    assert [n["message"] for n in report["notifications"] if "binary" in n["message"]] == [
        "1 binary file change(s) in history not scanned"]


def test_a_baselined_key_in_a_renamed_file_is_not_reported_at_its_old_path(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    key = fake_openai_key(7)
    commit_files(repo, {"big.py": "".join(f"x{n} = {n}\n" for n in range(120))}, "first")
    git(repo, "mv", "big.py", "big2.py")
    (repo / "big2.py").write_text((repo / "big2.py").read_text() + f'T = "{key}"\n')
    commit_files(repo, {}, "rename and add a key")
    git(repo, "mv", "big2.py", "big3.py")
    commit_files(repo, {}, "rename again")
    assert [(f["path"], f["commit"]) for f in secrets(history(repo))] == [("big3.py", None)]
    run_cli("baseline", "create", "--history", "--secrets-only", str(repo))
    report = history(repo)
    assert secrets(report) == [] and report["suppressed"]["total"] == 1


def test_a_secret_that_a_code_rule_reports_in_the_tree_is_not_reported_again_from_history(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    value = "Zq8-kP2m" + "_vT7xR4nL9wB3yC6hJ1sD5fG0aE"
    added = commit_files(repo, {"proj/settings.py": f'DEBUG = False\nSECRET_KEY = "{value}"\n'}, "settings")
    commit_files(repo, {"proj/settings.py": f'DEBUG = False\nSECRET_KEY = "{value}"\nTIME_ZONE = "UTC"\n'}, "tz")
    report = scan_json(repo, "--history", "--jobs", "1", "--no-config")
    found = [(f["rule_id"], f["path"], f["line"], f["commit"]) for f in report["findings"]
             if f["rule_id"].startswith(("SEC", "AUTH306"))]
    assert found == [("AUTH306", "proj/settings.py", 2, None)]
    assert added  # the key's commit: its SEC190 copy is folded into the tree's AUTH306, not "not in the tree"
