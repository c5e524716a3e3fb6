"""The working-tree source: which files under the scan root are scanned, and their text (DESIGN.md section 3)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from scanner import git
from scanner.model import Notification, ScanFile
from scanner.sources.reading import read_file

if TYPE_CHECKING:
    import pathspec

#: Built client bundle folders: scanned for keys (EXP204) even when gitignored.
BUNDLE_DIRS = (".next/static/", "dist/", "build/static/", "build/assets/", "out/_next/static/")
#: Folders never walked outside git (dependencies and tool caches), reported in one note.
VENDORED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
                           ".ruff_cache", ".pytest_cache", ".hg", ".svn"})


def is_env_file(path: str) -> bool:
    """True for ``.env``, ``.env.local``, ``.env.production`` and the like (any folder)."""
    name = path.rsplit("/", 1)[-1]
    return name == ".env" or name.startswith(".env.")


def list_paths(root: Path) -> tuple[list[tuple[str, str]], list[Notification]]:
    """The files to scan under ``root`` as ``(relative path, origin)`` pairs, sorted, plus notes.

    In a git work tree: tracked and untracked-not-ignored files, plus ignored ``.env*`` files (origin
    ``ignored-env``) and files in ignored bundle folders (origin ``bundle``). Outside git: a walk that
    honours ``.gitignore`` files (pathspec), skipping ``VENDORED_DIRS``.

    Raises:
        git.GitError: git failed inside a work tree.
    """
    if git.repo_toplevel(root) is not None:
        return _git_paths(root)
    return _walk_paths(root)


def _git_paths(root: Path) -> tuple[list[tuple[str, str]], list[Notification]]:
    paths = [(p, "source") for p in git.ls_files(root) if not p.endswith("/")]
    for entry in git.ls_ignored(root):
        if entry.endswith("/"):
            paths += [(p, "bundle") for p in _bundle_files(root, entry)]
        elif is_env_file(entry):
            paths.append((entry, "ignored-env"))
        elif any(entry.startswith(b) or f"/{b}" in entry for b in BUNDLE_DIRS):
            paths.append((entry, "bundle"))
    return sorted(set(paths)), []


def _bundle_files(root: Path, ignored_dir: str) -> Iterator[str]:
    """Files under an ignored folder that lie inside a known bundle folder (never under node_modules)."""
    if "node_modules/" in ignored_dir:
        return
    for bundle in BUNDLE_DIRS:
        for prefix in _bundle_roots(ignored_dir, bundle):
            yield from _walk_files(root, prefix)


def _bundle_roots(ignored_dir: str, bundle: str) -> list[str]:
    if ignored_dir.endswith(bundle) or ignored_dir == bundle:
        return [ignored_dir]
    top = bundle.split("/")[0] + "/"
    if ignored_dir == top or ignored_dir.endswith("/" + top):
        return [ignored_dir[: -len(top)] + bundle]
    return []


def _walk_files(root: Path, prefix: str) -> Iterator[str]:
    base = root / prefix
    if not base.is_dir() or base.is_symlink():
        return
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames.sort()
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        for name in sorted(filenames):
            yield f"{rel_dir}/{name}"


def _walk_paths(root: Path) -> tuple[list[tuple[str, str]], list[Notification]]:
    out: list[tuple[str, str]] = []
    skipped: set[str] = set()
    specs: dict[str, pathspec.GitIgnoreSpec] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        _load_gitignore(root, rel_dir, specs)
        for name in [d for d in dirnames if d in VENDORED_DIRS]:
            skipped.add(rel_dir + name + "/")
        dirnames[:] = sorted(d for d in dirnames if d not in VENDORED_DIRS
                             and not _ignored(specs, rel_dir + d + "/"))
        for name in sorted(filenames):
            rel = rel_dir + name
            if not _ignored(specs, rel):
                out.append((rel, "source"))
            elif is_env_file(rel):
                out.append((rel, "ignored-env"))
    notes = []
    if skipped:
        listed = ", ".join(sorted(skipped)[:5]) + (", ..." if len(skipped) > 5 else "")
        notes.append(Notification("note", f"dependency and cache folders not scanned: {listed}", None,
                                  "skipped-vendored"))
    return out, notes


def _load_gitignore(root: Path, rel_dir: str, specs: dict[str, pathspec.GitIgnoreSpec]) -> None:
    ignore = root / rel_dir / ".gitignore"
    if ignore.is_file() and not ignore.is_symlink():
        try:
            lines = ignore.read_text("utf-8", "replace").splitlines()[:10_000]
        except OSError:
            return
        import pathspec  # lazy: only a walk outside git needs it

        specs[rel_dir] = pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(specs: dict[str, pathspec.GitIgnoreSpec], rel: str) -> bool:
    return any(rel.startswith(base) and spec.match_file(rel[len(base):]) for base, spec in specs.items())


def load_files(root: Path) -> tuple[list[ScanFile], list[Notification]]:
    """Read every file :func:`list_paths` names, once. Skipped or odd files become notifications.

    Raises:
        git.GitError: git failed inside a work tree.
    """
    paths, notes = list_paths(root)
    files: list[ScanFile] = []
    for rel, origin in paths:
        result = read_file(root, rel)
        if result.note:
            level = "note"
            notes.append(Notification(level, result.note, rel, "skipped" if result.text is None else "read"))
        if result.text is not None:
            files.append(ScanFile(rel, result.text, origin, result.truncated))
    return files, notes
