"""Command-line checks before a scan starts: paths to a root, modes, rule names, outputs (all refusals are one
line, exit 2, and happen before any file is read)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.errors import UsageError

FORMATS = ("text", "json", "sarif", "markdown", "github")


@dataclass(frozen=True)
class Target:
    """Where to scan: ``root`` (a folder: the one PATH given, or the git top level / common parent of several
    paths or of a file) and ``paths`` (files or folders relative to ``root`` with ``/``; empty: all of it)."""

    root: Path
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Output:
    """One report: ``fmt`` (one of ``FORMATS``) written to ``path`` (None: standard output); ``flag`` is the
    option that named the file, for error messages (``-o`` or ``--sarif-output``)."""

    fmt: str
    path: Path | None = None
    flag: str = "-o"


def target_of(paths: Sequence[Path]) -> Target:
    """Map the PATH arguments onto a root and root-relative paths.

    One folder is the root itself. A file, or several paths, are scanned relative to the git top level of their
    common parent folder (outside git: that folder).

    Raises:
        UsageError: a path does not exist, or is a symlink (or goes through one) inside a git work tree: the
            README promises never to follow a symlink out of the repository.
    """
    from scanner import gitquery

    if not paths:
        return Target(Path("."))
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
    if len(paths) == 1 and paths[0].is_dir() and not _through_symlink(paths[0], True):
        return Target(paths[0])
    for path in paths:
        link = _through_symlink(path, False)
        if link is not None:
            what = "is" if link == path else f"goes through {link}, which is"
            raise UsageError(f"{path}: {what} a symlink; launch-ready never follows a symlink (scan its target "
                             "itself, or the folder that holds the link)")
    resolved = [p.resolve() for p in paths]
    common = Path(os.path.commonpath([p if p.is_dir() else p.parent for p in resolved]))
    root = (gitquery.repo_toplevel(common) or common).resolve()
    rel = tuple(sorted({p.relative_to(root).as_posix() if p != root else "." for p in resolved}))
    return Target(root, () if "." in rel else rel)


def _through_symlink(path: Path, as_root: bool) -> Path | None:
    """The symlink ``path`` is, or passes through below the top of its git work tree (the nearest folder above
    holding ``.git``), as written in ``path``, else None: such a link is the repository's, and may point
    anywhere. Outside a work tree only ``path`` itself is looked at, and not even that when it is the one folder
    to scan (``as_root``: a link the user keeps to a project names the root they chose; a system's symlinked
    ``/tmp`` is not a repository's).
    """
    lexical = Path(os.path.abspath(path))
    below_top: list[Path] = []
    for folder in lexical.parents:
        if os.path.lexists(folder / ".git"):
            candidates = [lexical, *below_top]
            break
        below_top.append(folder)
    else:
        candidates = [] if as_root else [lexical]
    for link in candidates:
        if link.is_symlink():
            return path if link == lexical else Path(os.path.normpath(path)).parents[
                len(lexical.relative_to(link).parts) - 1]
    return None


def check_modes(history: bool, staged: bool, since: str | None, commit_range: str | None) -> None:
    """Refuse mutually exclusive modes.

    Raises:
        UsageError: ``--history`` with ``--since``, ``--range`` or ``--staged``; ``--staged`` with ``--since`` or
            ``--range``; ``--since`` with ``--range``; a ``--range`` that is not ``A..B``.
    """
    given = [name for name, on in (("--history", history), ("--staged", staged), ("--since", since),
                                   ("--range", commit_range)) if on]
    if len(given) > 1:
        raise UsageError(f"{given[0]} and {given[1]} cannot be combined; choose one mode")
    if commit_range is not None:
        start, sep, end = commit_range.partition("..")
        if not sep or not start or not end or end.startswith("."):
            raise UsageError(f"--range {commit_range!r}: expected A..B (two commits or refs)")


def check_refs(root: Path, refs: Sequence[tuple[str, str]]) -> None:
    """Each ``(flag, ref)`` must name a commit in the repository at ``root``.

    Raises:
        UsageError: ``root`` is not in a git repository, or a ref names no commit.
    """
    from scanner import git, gitquery

    if not refs:
        return
    if gitquery.repo_toplevel(root.resolve()) is None:
        raise UsageError(f"{refs[0][0]} needs a git repository; {root} is not in one")
    for flag, ref in refs:
        ok = git.run_git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}",
                         check=False, timeout=60).strip()
        if not ok:
            raise UsageError(f"{flag} {ref}: no such commit or ref in this repository")


def range_refs(commit_range: str) -> list[str]:
    """The two ends of ``A..B``."""
    start, _, end = commit_range.partition("..")
    return [start, end]


def check_jobs(jobs: int) -> None:
    """Raises: UsageError: ``jobs`` is negative."""
    if jobs < 0:
        raise UsageError(f"--jobs {jobs}: expected 0 (every core) or a positive number of workers")


def plan_outputs(formats: Sequence[str], outputs: Sequence[Path], extra: Sequence[Output]) -> tuple[Output, ...]:
    """The reports one scan writes: the i-th ``--format`` goes to the i-th ``-o`` (or standard output when it
    has none), then ``extra`` (``--sarif-output FILE`` ...; named by that flag in errors). No ``--format``:
    text, to ``-o`` or standard output (standard output only when nothing else is asked for, as a plain scan
    does).

    Raises:
        UsageError: more ``-o`` than ``--format``, two reports on standard output, or one file named twice.
    """
    if not formats:
        formats = ("text",) if outputs or not extra else ()
    if len(outputs) > len(formats):
        raise UsageError(f"{len(outputs)} --output files for {len(formats)} --format; give one --format per -o")
    plan = [Output(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(formats)]
    plan += [dataclasses.replace(o, flag=f"--{o.fmt}-output") if o.flag == "-o" else o for o in extra]
    if sum(o.path is None for o in plan) > 1:
        raise UsageError("two reports on standard output; give each --format its own -o FILE")
    named = [o.path.resolve() for o in plan if o.path is not None]
    if len(set(named)) != len(named):
        raise UsageError("two reports to the same file")
    return tuple(plan)


def check_no_repo_symlink(outputs: Sequence[Output], root: Path) -> None:
    """No output path goes through a symlink inside the scanned repository (a pull request can commit
    ``reports -> /home/runner/.bashrc.d`` and a CI job then writes ``-o reports/out.sarif`` through it); a
    symlink outside the repository (``/tmp`` on macOS) is the user's own and is followed.

    Raises:
        UsageError: a folder on the output's path, inside ``root``, is a symlink.
    """
    base = root.resolve()
    for out in outputs:
        if out.path is None:
            continue
        folder = Path(os.path.abspath(out.path)).parent
        for ancestor in (folder, *folder.parents):
            inside = ancestor == base or base in ancestor.parents
            if not inside:
                continue
            if ancestor.is_symlink():
                raise UsageError(f"{out.flag} {out.path}: {ancestor} is a symlink inside the scanned repository; "
                                 "refusing to write a report through it")


def check_writable(outputs: Sequence[Output]) -> None:
    """Every output file can be written (checked before scanning by trying: an existing file is opened for
    appending and closed unchanged, a new one's folder gets a temporary file that is removed at once; ``os.access``
    alone says yes to root for folders such as ``/sys`` or a read-only mount).

    Raises:
        UsageError: a folder is missing, is a file, or cannot be written; the file is a folder, a symlink or
            read-only.
    """
    import tempfile

    for out in outputs:
        if out.path is None:
            continue
        path, folder, flag = out.path, out.path.parent, out.flag
        if path.is_symlink():  # a pull request can commit `results.sarif -> ~/.bashrc`
            raise UsageError(f"{flag} {path}: is a symlink; refusing to write a report through it (remove it or "
                             "name another file)")
        if path.is_dir():
            raise UsageError(f"{flag} {path}: is a folder")
        if not folder.is_dir():
            raise UsageError(f"{flag} {path}: {folder} is not an existing folder")
        try:
            if path.exists():
                with path.open("ab"):
                    pass
            else:
                with tempfile.TemporaryFile(dir=folder):
                    pass
        except OSError as exc:
            raise UsageError(f"{flag} {path}: cannot be written ({exc.strerror or type(exc).__name__})") from None
