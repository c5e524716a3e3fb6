"""Repository queries through the hardened runner in :mod:`scanner.git`: the work tree's top level, file lists,
refs and commits, trees and the index as ``path -> Entry`` maps, and blob contents (``cat-file --batch``).

Every function runs git only through :func:`scanner.git.run_git` / :func:`scanner.git.popen_git`; none reads the
work tree through git (no filters, no textconv).
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scanner.errors import GitError
from scanner.git import finish, git_executable, popen_git, run_git


def repo_toplevel(path: Path) -> Path | None:
    """The top-level folder of the git work tree containing ``path``, or None when it is not in one
    (or git is not installed)."""
    if git_executable() is None:
        return None
    try:
        out = run_git(path, "rev-parse", "--show-toplevel", timeout=30)
    except GitError:
        return None
    text = out.decode("utf-8", "surrogateescape").strip()
    return Path(text) if text else None


def ls_files(root: Path) -> list[str]:
    """Files under ``root`` that git tracks plus untracked files that are not ignored, relative to
    ``root`` with ``/`` separators (``git ls-files --cached --others --exclude-standard``; reads the index
    only, runs no filter). Submodule entries are included as paths (callers skip them).

    Raises:
        GitError: git failed.
    """
    out = run_git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate")
    return _split_z(out)


def ls_ignored(root: Path) -> list[str]:
    """Ignored, untracked paths under ``root``; a wholly ignored folder is one entry ending in ``/``.

    Raises:
        GitError: git failed.
    """
    out = run_git(root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")
    return _split_z(out)


def ls_tracked(root: Path) -> list[str]:
    """Files under ``root`` in the index (tracked), relative to ``root``; reads the index only, evaluates no
    ignore pattern.

    Raises:
        GitError: git failed.
    """
    return _split_z(run_git(root, "ls-files", "-z", "--cached", "--deduplicate"))


def ls_tracked_matching(root: Path, globs: tuple[str, ...]) -> list[str]:
    """Files under ``root`` in the index that match one of ``globs`` (our own ``:(glob)`` pathspecs, never a
    repository's pattern), relative to ``root``: a cheap look for marker files without listing the whole index.

    Raises:
        GitError: git failed.
    """
    if not globs:
        return []
    return _split_z(run_git(root, "ls-files", "-z", "--cached", "--deduplicate", "--",
                            *(f":(glob){g}" for g in globs)))


#: At most this many pathspecs are given to one ``git ls-files`` (command lines have a length limit).
_PATHSPECS_PER_CALL = 500


def ls_tracked_paths(root: Path, paths: list[str]) -> list[str]:
    """Which of ``paths`` (relative to ``root``) are in the index, asked as ``:(literal)`` pathspecs (a name
    with ``*`` or ``[`` is only itself).

    Raises:
        GitError: git failed.
    """
    found: list[str] = []
    for start in range(0, len(paths), _PATHSPECS_PER_CALL):
        specs = [f":(literal){p}" for p in paths[start:start + _PATHSPECS_PER_CALL]]
        found += _split_z(run_git(root, "ls-files", "-z", "--cached", "--deduplicate", "--", *specs))
    return found


def ls_untracked(root: Path) -> list[str]:
    """Untracked paths under ``root`` *without* evaluating any ignore pattern (the repository's ``.gitignore``
    is matched by :mod:`scanner.sources.ignore` in RE2, never by git's backtracking wildmatch); a wholly
    untracked folder is one entry ending in ``/``.

    Raises:
        GitError: git failed.
    """
    return _split_z(run_git(root, "ls-files", "-z", "--others", "--directory", "--no-empty-directory"))


def show_prefix(root: Path) -> str:
    """``root``'s path relative to the top of its work tree (``""`` at the top, else ending in ``/``).

    Raises:
        GitError: git failed.
    """
    return run_git(root, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()


@dataclass(frozen=True)
class StoreOnly:
    """How to run a git command that must read only the object store, never the work tree: from ``cwd`` (the
    git directory) with ``options`` (``--git-dir``, ``core.bare``) before the subcommand, and ``relative`` in
    place of ``--relative`` (``root``'s folder below the top, or nothing at the top). A patch command run
    inside the work tree reads every ``.gitattributes`` along the paths it shows; one a hostile repository made
    a named pipe blocks git until the timeout."""

    cwd: Path
    options: tuple[str, ...]
    relative: tuple[str, ...]
    #: ``root``'s folder below the top, ending in ``/`` ('' at the top or in a bare repository).
    prefix: str = ""


def store_only(root: Path) -> StoreOnly:
    """:class:`StoreOnly` for the repository of ``root``.

    Raises:
        GitError: ``root`` is in no repository, or its ``info/attributes`` (which git reads even then) is not
            a regular file.
    """
    gdir = git_dir(root)
    if gdir is None:
        raise GitError("not a git repository")
    info = gdir / "info" / "attributes"
    if (info.exists() or info.is_symlink()) and not info.is_file():
        raise GitError("the git directory's info/attributes is not a regular file (a named pipe or "
                       "device would block git); not read")
    prefix = show_prefix(root) if not is_bare(root) else ""
    return StoreOnly(gdir, (f"--git-dir={gdir}", "-c", "core.bare=true"),
                     (f"--relative={prefix}",) if prefix else (), prefix)


def git_dir(root: Path) -> Path | None:
    """The repository's git directory (``.git``, or the bare repository itself), or None outside git."""
    if git_executable() is None:
        return None
    try:
        out = run_git(root, "rev-parse", "--absolute-git-dir", timeout=30).decode("utf-8", "surrogateescape")
    except GitError:
        return None
    return Path(out.strip()) if out.strip() else None


def is_bare(root: Path) -> bool:
    """True when ``root`` is a bare repository (a mirror clone, a server-side repository): no work tree."""
    if git_executable() is None:
        return False
    out = run_git(root, "rev-parse", "--is-bare-repository", check=False, timeout=30).strip()
    return out == b"true"


@dataclass(frozen=True)
class Entry:
    """A file in a tree or the index: ``mode`` (octal string; ``160000`` is a submodule), blob ``sha``."""

    mode: str
    sha: str


def has_commits(root: Path) -> bool:
    """True when ``HEAD`` points at a commit (False in a repository with no commits yet)."""
    return bool(run_git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip())


def is_shallow(root: Path) -> bool:
    """True for a shallow clone (history cut off at the graft points in ``.git/shallow``)."""
    return run_git(root, "rev-parse", "--is-shallow-repository", check=False).strip() == b"true"


def current_branch(root: Path) -> str | None:
    """The branch HEAD points at, or None for a detached HEAD."""
    out = run_git(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip()
    return out.decode("utf-8", "surrogateescape") or None


def rev_list(root: Path, *revs: str) -> list[str]:
    """Commit SHAs reachable from ``revs`` (``--all`` for every ref and HEAD), parents before children.

    Raises:
        GitError: git failed (an unknown revision, a damaged repository).
    """
    out = run_git(root, "rev-list", "--reverse", "--topo-order", *revs, timeout=600)
    return out.decode("ascii").split()


def ls_tree(root: Path, rev: str) -> dict[str, Entry]:
    """Every file of ``rev``'s tree under ``root`` (paths relative to it), with mode and blob SHA.

    Raises:
        GitError: ``rev`` is unknown or git failed.
    """
    out = run_git(root, "ls-tree", "-r", "-z", rev, "--", ".")
    return {path: Entry(mode, sha) for mode, sha, path in _entries(out, kind_field=True)}


def ls_stage(root: Path) -> dict[str, Entry]:
    """Every entry of the index under ``root`` (stage 0 and conflicts alike), with mode and blob SHA.

    Raises:
        GitError: git failed.
    """
    out = run_git(root, "ls-files", "--stage", "-z")
    return {path: Entry(mode, sha) for mode, sha, path in _entries(out, kind_field=False)}


def staged_entries(root: Path, base: str) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """The index entries under ``root`` that differ from ``base`` (a tree-ish), as ``(old, new)`` maps from
    path (relative to ``root``) to entry; an added file is only in ``new``, a deleted one only in ``old``.
    One ``git diff-index --cached`` (compares the index with the tree; never reads the work tree).

    Raises:
        GitError: ``base`` is unknown or git failed.
    """
    out = run_git(root, "diff-index", "--cached", "--raw", "-z", "--no-renames", "--relative",
                  "--ignore-submodules=none", base)
    fields = out.split(b"\0")
    old: dict[str, Entry] = {}
    new: dict[str, Entry] = {}
    for meta, raw_path in zip(fields[0::2], fields[1::2], strict=False):
        parts = meta.decode("ascii").lstrip(":").split()
        if len(parts) != 5:
            continue
        path = raw_path.decode("utf-8", "surrogateescape")
        if set(parts[2]) != {"0"}:
            old[path] = Entry(parts[0], parts[2])
        if set(parts[3]) != {"0"}:
            new[path] = Entry(parts[1], parts[3])
    return old, new


def empty_tree(root: Path) -> str:
    """The id of the empty tree in this repository's hash (the base of a repository with no commits)."""
    return run_git(root, "hash-object", "-t", "tree", "--stdin", input=b"").decode("ascii").strip()


def _entries(out: bytes, kind_field: bool) -> list[tuple[str, str, str]]:
    rows = []
    for record in _split_z(out):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        rows.append((fields[0], fields[2] if kind_field else fields[1], path))
    return rows


def read_blobs(root: Path, shas: list[str], max_bytes: int) -> dict[str, bytes | None]:
    """The content of each blob in ``shas`` (at most ``max_bytes`` of each), via one ``git cat-file --batch``.

    A missing object maps to None. ``cat-file`` runs no filter and no textconv.

    Raises:
        GitError: git failed or the output is malformed.
    """
    wanted = sorted(set(shas))
    proc = popen_git(root, "cat-file", "--batch", stdin=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    writer = threading.Thread(target=_feed, args=(proc.stdin, wanted), daemon=True)
    writer.start()
    blobs: dict[str, bytes | None] = {}
    for sha in wanted:
        header = proc.stdout.readline().split()
        if len(header) != 3:
            blobs[sha] = None
            continue
        size = int(header[2])
        blobs[sha] = _read_exact(proc.stdout, size, max_bytes)
        proc.stdout.read(1)
    writer.join()
    finish(proc, "cat-file")
    return blobs


def _feed(stdin: IO[bytes], lines: list[str]) -> None:
    try:
        stdin.write("".join(f"{line}\n" for line in lines).encode())
        stdin.close()
    except OSError:
        pass


def _read_exact(stream: IO[bytes], size: int, max_bytes: int) -> bytes:
    data = stream.read(min(size, max_bytes))
    remaining = size - len(data)
    while remaining > 0:
        remaining -= len(stream.read(min(remaining, 1 << 20)) or b"x" * remaining)
    return data


def _split_z(out: bytes) -> list[str]:
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
