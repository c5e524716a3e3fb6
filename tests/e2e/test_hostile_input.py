"""A fresh user's attack on the scanner (notes/attack.md): files named like a baseline (D2), linguist attributes
that silence an audit (D3), UTF-16/32 and NUL bytes (D4), files over the size limit (D7), symlink notes and
--strict (D10), symlink arguments (D11) and special files (D16), through every mode that reads files."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from scanner.sources import reading, staged, worktree
from tests.conftest import run_cli
from tests.e2e.gitrepo import commit_files, fake_openai_key, git, init_repo

KEY = fake_openai_key(7001)
ENV_LINE = f"OPENAI_API_KEY={KEY}\n"


def env_line(seed: int) -> str:
    """An env line with a fake key of its own: one key in several files would be one finding."""
    return f"OPENAI_API_KEY={fake_openai_key(7100 + seed)}\n"


def _scan(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out = run_cli("scan", str(root), "--format", "json", "--secrets-only", *extra)
    return code, json.loads(out)


def _found(doc: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted((f["path"], f["rule_id"], f["line"]) for f in doc["findings"])


def _notes(doc: dict[str, Any], kind: str) -> list[tuple[str, str | None, str, int]]:
    return [(n["level"], n["path"], n["message"], n["count"]) for n in doc["notifications"] if n["kind"] == kind]


def _staged(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code, out = run_cli("scan", "--staged", "--secrets-only", "--format", "json", *extra)
    finally:
        os.chdir(cwd)
    return code, json.loads(out)


# D2: baseline-named files ------------------------------------------------------------------------------------

def test_a_key_in_baseline_named_files_blocks_the_hook(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app.py": "x = 1\n"})
    (root / ".launch-ready-baseline.json").write_text(
        f'{{"entries": [], "tool": "launch-ready", "version": 1, "note": "{KEY}"}}\n')
    (root / "sub").mkdir()
    (root / "sub" / ".launch-ready-baseline.json").write_text(env_line(1))
    (root / ".secrets.baseline").write_text(env_line(2))
    git(root, "add", "-A")
    code, doc = _staged(root)
    assert code == 1
    assert _found(doc) == [(".launch-ready-baseline.json", "SEC100", 1), (".secrets.baseline", "SEC100", 1),
                           ("sub/.launch-ready-baseline.json", "SEC100", 1)]


def test_a_committed_detect_secrets_baseline_yields_nothing_in_any_mode(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    sha1 = hashlib.sha1(KEY.encode()).hexdigest()
    baseline = {"version": "1.5.0", "results": {"app.py": [
        {"type": "Secret Keyword", "filename": "app.py", "hashed_secret": sha1, "line_number": 1}]}}
    commit_files(root, {".secrets.baseline": json.dumps(baseline), "sub/.secrets.baseline":
                        json.dumps(baseline, indent=2) + "\n", "app.py": "x = 1\n"})
    assert _found(_scan(root)[1]) == []
    assert _found(_scan(root, "--history")[1]) == []
    (root / "more").mkdir()
    (root / "more" / ".secrets.baseline").write_text(json.dumps(baseline))
    git(root, "add", "-A")
    assert _found(_staged(root)[1]) == []


# D3: linguist attributes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern", ["*", "**", "**/*", "/**", "*.*"])
def test_a_linguist_pattern_that_marks_every_file_is_set_aside(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "settings.py").write_text(f'OPENAI_API_KEY = "{KEY}"\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.py").write_text("x = 1\n")
    (tmp_path / ".gitattributes").write_text(f"{pattern} linguist-vendored\n")
    code, doc = _scan(tmp_path)
    assert code == 1 and _found(doc) == [("settings.py", "SEC100", 1)]
    assert _notes(doc, "vendored-attributes") == [
        ("warning", ".gitattributes", f"line '{pattern} linguist-vendored' marks every file of the scan: not taken "
         "as a vendored tree, those files are scanned", 1)]


def test_a_real_vendored_tree_is_still_skipped_and_env_files_never_are(tmp_path: Path) -> None:
    for name in ("app.py", "api.py", "models.py", "views.py"):
        (tmp_path / name).write_text("x = 1\n")
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "client.py").write_text(f'K = "{KEY}"\n')
    (tmp_path / "gen" / ".env").write_text(ENV_LINE)
    (tmp_path / ".gitattributes").write_text("gen/** linguist-generated\n")
    code, doc = _scan(tmp_path)
    assert code == 1 and _found(doc) == [("gen/.env", "SEC100", 1)]
    assert [(n["path"], n["count"]) for n in doc["notifications"] if n["kind"] == "vendored"] == [("gen/", 1)]
    assert _notes(doc, "vendored-attributes") == []


def test_auditor_mode_ignores_linguist_attributes_in_tree_staged_and_since(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app.py": "x = 1\n", "api.py": "y = 1\n", "views.py": "z = 1\n"})
    (root / "third").mkdir()
    (root / "third" / "client.py").write_text(f'K = "{KEY}"\n')
    (root / ".gitattributes").write_text("third/** linguist-vendored\n")
    note = ("note", ".gitattributes", "--no-config: its linguist-vendored / linguist-generated attributes were not "
            "applied (auditor mode: the repository cannot hide files); those files were scanned", 1)
    assert _found(_scan(root)[1]) == []
    code, doc = _scan(root, "--no-config")
    assert code == 1 and _found(doc) == [("third/client.py", "SEC100", 1)] and _notes(doc, "config") == [note]
    git(root, "add", "-A")
    assert _found(_staged(root)[1]) == []
    code, doc = _staged(root, "--no-config")
    assert code == 1 and _found(doc) == [("third/client.py", "SEC100", 1)] and _notes(doc, "config") == [note]
    code, doc = _scan(root, "--since", "HEAD", "--no-config")
    assert code == 1 and _found(doc) == [("third/client.py", "SEC100", 1)]


def test_the_hook_keeps_a_generated_tree_rule_when_a_commit_only_regenerates_it(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {".gitattributes": "gen/** linguist-generated\n", "app.py": "x = 1\n"})
    (root / "gen").mkdir()
    (root / "gen" / "a.py").write_text(f'K = "{KEY}"\n')
    (root / "gen" / "b.py").write_text("y = 2\n")
    git(root, "add", "-A")
    code, doc = _staged(root)
    assert code == 0 and _found(doc) == [] and _notes(doc, "vendored-attributes") == []
    assert [(n["path"], n["count"]) for n in doc["notifications"] if n["kind"] == "vendored"] == [("gen/", 2)]
    (root / ".gitattributes").write_text("* linguist-generated\n")
    git(root, "add", "-A")
    code, doc = _staged(root)
    assert code == 1 and _found(doc) == [("gen/a.py", "SEC100", 1)]
    assert [n[0] for n in _notes(doc, "vendored-attributes")] == ["warning"]


def test_history_sets_aside_a_catch_all_linguist_line(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {".gitattributes": "* linguist-generated\n", "settings.py": f'K = "{KEY}"\n'})
    commit_files(root, {"settings.py": "K = None\n"})
    code, doc = _scan(root, "--history")
    assert code == 1
    assert [(f["path"], f["rule_id"], f["commit"] is not None) for f in doc["findings"]] == [
        ("settings.py", "SEC100", True)]


# D4: encodings and NUL bytes ---------------------------------------------------------------------------------

ENCODED = {"le.env": env_line(3).encode("utf-16-le"), "be.env": env_line(4).encode("utf-16-be"),
           "u32.env": env_line(5).encode("utf-32"), "u32be.env": env_line(6).encode("utf-32-be"),
           "nul.env": b"X=1\x00\n" + env_line(7).encode()}


def test_utf16_utf32_and_nul_files_are_scanned_in_the_tree(tmp_path: Path) -> None:
    for name, data in ENCODED.items():
        (tmp_path / name).write_bytes(data)
    code, doc = _scan(tmp_path)
    assert code == 1
    assert _found(doc) == [("be.env", "SEC100", 1), ("le.env", "SEC100", 1), ("nul.env", "SEC100", 2),
                           ("u32.env", "SEC100", 1), ("u32be.env", "SEC100", 1)]
    assert sorted((n["path"], n["message"]) for n in doc["notifications"] if n["kind"] == "decoded") == [
        ("be.env", "UTF-16BE text without a byte-order mark"), ("le.env", "UTF-16LE text without a byte-order mark"),
        ("nul.env", "text with 1 NUL byte (shown as U+FFFD); scanned as text"), ("u32.env", "UTF-32LE text"),
        ("u32be.env", "UTF-32BE text without a byte-order mark")]


def test_utf16_utf32_and_nul_files_block_the_hook_and_since(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app.py": "x = 1\n"})
    for name, data in ENCODED.items():
        (root / name).write_bytes(data)
    expected = [("be.env", "SEC100", 1), ("le.env", "SEC100", 1), ("nul.env", "SEC100", 2),
                ("u32.env", "SEC100", 1), ("u32be.env", "SEC100", 1)]
    assert _found(_scan(root, "--since", "HEAD")[1]) == expected
    git(root, "add", "-A")
    code, doc = _staged(root)
    assert code == 1 and _found(doc) == expected


# D7: over the size limit --------------------------------------------------------------------------------------

def test_a_file_over_the_size_limit_makes_the_scan_incomplete(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worktree, "read_file", functools.partial(reading.read_file, max_bytes=4096))
    (tmp_path / "huge.log").write_text("2024-01-01 INFO ok\n" * 1000 + ENV_LINE)
    code, out = run_cli("scan", str(tmp_path), "--format", "json", "--secrets-only")
    doc = json.loads(out)
    assert code == 2 and doc["incomplete"] is True
    assert _notes(doc, "read") == [("error", "huge.log", reading.truncated_note(19_000 + len(ENV_LINE)), 1)]


def test_the_hook_fails_on_a_staged_file_over_the_limit_unless_it_is_excluded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staged, "text_of", functools.partial(reading.text_of, max_bytes=4096))
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app.py": "x = 1\n"})
    (root / "huge.log").write_text("2024-01-01 INFO ok\n" * 1000 + ENV_LINE)
    git(root, "add", "-A")
    code, doc = _staged(root)
    assert code == 2 and doc["incomplete"] is True
    assert _notes(doc, "read") == [("error", "huge.log", reading.truncated_note(None), 1)]
    (root / ".launch-ready.toml").write_text('exclude = ["huge.log"]\n')
    code, doc = _staged(root)
    assert code == 0 and doc["incomplete"] is False and _notes(doc, "read") == []


# D10, D16: symlinks and special files --------------------------------------------------------------------------

def test_symlink_and_special_file_notes_name_their_paths_and_pass_strict(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"a.py": "x = 1\n", "sub/b.py": "y = 1\n"})
    (tmp_path / "outside.env").write_text(ENV_LINE)
    (root / "out.env").symlink_to(tmp_path / "outside.env")
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    (root / "dangling").symlink_to("missing")
    os.mkfifo(root / "pipe.env")
    os.mkfifo(root / "sub" / "p2")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock.py"))
    try:
        code, out = run_cli("scan", str(root), "--secrets-only", "--strict")
        assert code == 0
        assert ("note: 3 files: special file (named pipe, socket or device); never opened: pipe.env, sock.py,\n"
                "  sub/p2") in out
        assert "note: 2 files: symlink loop; not followed: loop1, loop2" in out
        code, doc = _scan(root)
    finally:
        sock.close()
    assert code == 0 and _found(doc) == []
    assert sorted(((n["path"], n["message"], n["count"]) for n in doc["notifications"]
                   if n["kind"] == "symlink"), key=str) == [
        ("dangling", "dangling symlink (its target does not exist); not followed", 1),
        ("out.env", "symlink pointing outside the scanned root; not followed", 1),
        (None, "2 files: symlink loop; not followed: loop1, loop2", 2)]


def test_named_pipes_where_git_reads_attributes_do_not_block_history(tmp_path: Path) -> None:
    """git reads every ``.gitattributes`` along the paths a patch shows from the work tree: the history is
    streamed from the git directory instead, so pipes there (and a subfolder scan) still read every commit."""
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app/settings.env": ENV_LINE, "app/other.py": "x = 1\n"})
    os.mkfifo(root / ".gitattributes")
    os.mkfifo(root / "app" / ".gitattributes")
    code, doc = _scan(root, "--history", "--exit-zero")
    assert code == 0 and doc["incomplete"] is False
    assert _found(doc) == [("app/settings.env", "SEC100", 1)]
    assert [(n["level"], n["kind"]) for n in doc["notifications"] if n["level"] != "note"] == []
    code, doc = _scan(root / "app", "--history", "--exit-zero")
    assert code == 0 and _found(doc) == [("settings.env", "SEC100", 1)]


def test_a_named_pipe_for_info_attributes_reads_history_commit_by_commit(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"a.py": "x = 1\n"})
    commit_files(root, {"settings.env": ENV_LINE})
    commit_files(root, {"settings.env": None})
    os.mkfifo(root / ".git" / "info" / "attributes")
    code, doc = _scan(root, "--history", "--exit-zero")
    assert code == 0
    assert _found(doc) == [("settings.env", "SEC100", 1)]
    assert _notes(doc, "history") == [
        ("warning", None, "history read commit by commit without git's patches: the git directory's "
                          "info/attributes is not a regular file (a named pipe or device would block git); not read",
         1)]


def test_a_named_pipe_as_the_repository_excludes_file_does_not_block_a_staged_scan(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"a.py": "x = 1\n"})
    (root / "settings.env").write_text(ENV_LINE)
    git(root, "add", "settings.env")
    os.mkfifo(tmp_path / "excludes")
    git(root, "config", "core.excludesFile", str(tmp_path / "excludes"))
    code, doc = _staged(root)
    assert code == 1 and _found(doc) == [("settings.env", "SEC100", 1)]


# D11: symlink arguments ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("arg", ["key_link.env", "outdir", "outdir/secret.env"])
def test_a_symlink_argument_is_refused(tmp_path: Path, arg: str) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"main.py": "x = 1\n"})
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.env").write_text(ENV_LINE)
    (root / "key_link.env").symlink_to(tmp_path / "outside" / "secret.env")
    (root / "outdir").symlink_to(tmp_path / "outside")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code, out = run_cli("scan", arg, "main.py")
    finally:
        os.chdir(cwd)
    what = "is" if "/" not in arg else "goes through outdir, which is"
    assert code == 2
    assert out == (f"launch-ready: error: {arg}: {what} a symlink; launch-ready never follows a symlink (scan "
                   "its target itself, or the folder that holds the link)\n")


def test_a_symlinked_project_folder_outside_git_is_still_a_root(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / ".env").write_text(ENV_LINE)
    (tmp_path / "link").symlink_to(tmp_path / "project")
    code, doc = _scan(tmp_path / "link")
    assert code == 1 and _found(doc) == [(".env", "SEC100", 1)]


def test_auditor_mode_ignores_linguist_attributes_in_history(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {".gitattributes": "third/** linguist-vendored\n", "app.py": "x = 1\n", "api.py": "y = 1\n",
                        "third/client.py": f'K = "{KEY}"\n'}, "add")
    commit_files(root, {"third/client.py": None}, "remove")
    code, doc = _scan(root, "--history", "--jobs", "1")
    assert _found(doc) == []
    code, doc = _scan(root, "--history", "--jobs", "1", "--no-config")
    assert code == 1 and _found(doc) == [("third/client.py", "SEC100", 1)]
