"""The history source: added lines of every commit on every ref, handed once each to the scanner it is given.

One ``git diff-tree --stdin -p -U0`` per worker process streams the patches of a slice of the commits (from
``git rev-list --all --reverse --topo-order``, so a line is first met in the commit that introduced it). Only
added lines are kept; each distinct added line (per file type) is scanned once: a worker remembers the 64-bit
hash of every line it has seen (8 bytes of hash, never the line). Lines are grouped into :class:`Fragment`s
(path, line numbers in that commit, commit SHA) and handed in batches to the ``scan`` callable the pipeline
passes in (the secrets engine; this source never imports an engine), so memory stays bounded by the seen-line
hashes plus one batch. Vendored trees (``node_modules/``, virtualenvs, ...) are skipped with one note each.

A damaged repository never stops the scan: when ``rev-list`` fails the commits are walked object by object,
and when ``diff-tree`` dies the failing commit is found, read without a patch (:mod:`history_repair`) and the
stream resumes after it; each unreadable object is named once and the result carries one ``error`` note.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from scanner import git, gitquery
from scanner.model import Finding, Notification
from scanner.progress import NoProgress, Progress
from scanner.sources.history_patch import (
    MAX_LINE_BYTES,
    Chunk,
    FragmentScanner,
    add,
    flush,
    fragments,
    late_vendored,
    unseen,
    vendored,
)
from scanner.sources.history_repair import Damage, blob_fragment, read_objects, salvage, walk_commits
from scanner.sources.reading import MAX_FILE_BYTES, text_of
from scanner.sources.vendored import Tree, VendoredTrees
from scanner.sources.worktree import repo_attributes

#: After a failure, at most this many commits are shown one by one before the stream is restarted.
_PROBE_LIMIT = 200
#: With ``jobs=0`` (the default: every core) one process is used per this many commits, at most one per core.
#: A worker process costs a second interpreter's memory and its own ``git diff-tree`` (on pallets/flask, 5,572
#: commits: about 60 MiB more peak memory and more CPU time in all); it pays back in wall time on long histories.
AUTO_COMMITS_PER_JOB = 10_000

#: Each worker's git keeps a smaller delta-base cache (git's default: 96 MiB) and maps less of the pack at a
#: time (default: 1 GiB windows, 8 GiB in all): with one git per worker the defaults dominated peak memory.
#: Measured on half of sqlalchemy's commits: 256 -> 114 MiB peak RSS for about 5% more git CPU time.
_DIFF_TREE = ("-c", "core.deltaBaseCacheLimit=32m", "-c", "core.packedGitWindowSize=16m", "-c",
              "core.packedGitLimit=48m", "diff-tree", "--stdin", "-p", "-U0", "--cc", "--full-index", "-r", "--root",
              "--no-ext-diff", "--no-textconv", "--no-renames", "--src-prefix=a/",
              "--dst-prefix=b/", "--no-color")


@dataclass(frozen=True)
class HistoryResult:
    """What a history scan found: ``findings`` located at the commit that introduced each secret (earliest in
    parents-first order), notifications, and counts (``commits`` scanned, ``added`` lines seen, ``distinct``
    lines scanned)."""

    findings: tuple[Finding, ...] = ()
    notifications: tuple[Notification, ...] = ()
    commits: int = 0
    added: int = 0
    distinct: int = 0


def scan_history(root: Path, scan: FragmentScanner, jobs: int = 1, progress: Progress | None = None,
                 revs: tuple[str, ...] = ("--all",), include_vendored: bool = False,
                 trust_attributes: bool = True) -> HistoryResult:
    """Scan the added lines of every commit reachable from ``revs`` with ``scan``, using ``jobs`` processes
    (0: one per :data:`AUTO_COMMITS_PER_JOB` commits, at most one per core); phase ``history`` of ``progress``
    counts commits. ``trust_attributes`` False (auditor mode) ignores the repository's ``.gitattributes``
    linguist attributes, so it cannot hide paths from the audit.

    Never raises for a damaged repository: each unreadable object or ref is a ``history-damage`` warning,
    every readable commit is still scanned, and one ``error`` note says how many objects were skipped.
    """
    progress = progress or NoProgress()
    _store.cache_clear()
    notes = list(preflight_notes(root))
    damage = Damage()
    try:
        commits = gitquery.rev_list(root, *revs)
    except git.GitError as exc:
        commits = walk_commits(root, revs, damage)
        if not commits and not damage.notes:
            return HistoryResult((), (*notes, _error(f"cannot list the commits of the history: {exc}")))
    if not commits and damage.notes:
        return HistoryResult((), (*notes, *damage.notes, _damage_error(len(damage.notes))))
    if not commits:
        if revs == ("--all",):
            notes.append(Notification("note", "the repository has no commits; no history to scan", None,
                                      "history"))
        return HistoryResult((), tuple(notes))
    try:
        _store(root)
    except git.GitError as exc:  # each commit is then read from its trees and blobs (slower, same lines)
        notes.append(Notification("warning", f"history read commit by commit without git's patches: {exc}", None,
                                  "history"))
    attributes = repo_attributes(root) if trust_attributes else None  # auditor mode: the repo cannot hide paths
    trees = None if include_vendored else VendoredTrees([], attributes)
    progress.start("history", len(commits))
    if jobs <= 0:
        jobs = min(os.cpu_count() or 1, max(1, len(commits) // AUTO_COMMITS_PER_JOB))
    with _fewer_collections():
        chunks = _scan_chunks(root, Chunk(scan, trees, damage=damage), commits, jobs, progress)
    progress.finish("history", len(commits))
    return _merge(commits, chunks, notes)


#: While the history streams, Python's cyclic garbage collector runs after this many new container objects
#: (default 700). The stream allocates a tuple per new line and a fragment per file changed, none in a cycle: with
#: the default threshold the collector ran about 170 times on pallets/flask (5,572 commits), once over every live
#: object, for about 0.06 s of CPU; with this one, a few times. Memory is bounded by the batch anyway.
_GC_THRESHOLD = 100_000


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the block with the collector's first threshold raised to :data:`_GC_THRESHOLD` (restored after)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], _GC_THRESHOLD), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def preflight_notes(root: Path) -> Iterator[Notification]:
    """Notes about the repository's shape: a shallow clone (history truncated) and a detached HEAD."""
    if gitquery.is_shallow(root):
        yield Notification("warning", "shallow clone: history is truncated; commits before the clone depth "
                                      "were not scanned (run `git fetch --unshallow` first)", None, "history")
    if gitquery.is_bare(root):
        return
    if gitquery.has_commits(root) and gitquery.current_branch(root) is None:
        yield Notification("note", "detached HEAD: scanned every ref and the detached commit", None,
                           "history")
    for path, entry in sorted(gitquery.ls_stage(root).items()):
        if entry.mode == "160000":
            yield Notification("note", "submodule not scanned (a separate repository; scan it on its own)",
                               path, "submodule")


def _scan_chunks(root: Path, proto: Chunk, commits: list[str], jobs: int, progress: Progress) -> list[Chunk]:
    """Split ``commits`` into ``jobs`` contiguous slices: this process scans the first, worker processes
    (forked where the platform allows) the others; each slice has its own ``git diff-tree``."""
    jobs = min(jobs, max(1, len(commits) // 100))
    report = _reporter(progress)
    if jobs == 1:
        return [_scan_slice(root, proto, commits, report)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(commits) // jobs)
    slices = [commits[i:i + size] for i in range(0, len(commits), size)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    queue: Any = ctx.Queue()
    with ProcessPoolExecutor(len(slices) - 1, mp_context=ctx, initializer=_init_worker,
                             initargs=(queue,)) as pool:
        futures = [pool.submit(_worker, (root, _fresh(proto), s)) for s in slices[1:]]
        watcher = threading.Thread(target=_watch, args=(queue, report, len(futures)), daemon=True)
        watcher.start()
        first = _scan_slice(root, proto, slices[0], report)
        rest = [f.result() for f in futures]
    watcher.join()
    return [first, *rest]


def _fresh(proto: Chunk) -> Chunk:
    return Chunk(proto.scan, proto.trees)


_QUEUE: Any = None


def _init_worker(queue: Any) -> None:
    global _QUEUE
    _QUEUE = queue


def _worker(args: tuple[Path, Chunk, list[str]]) -> Chunk:
    root, chunk, commits = args
    try:
        return _scan_slice(root, chunk, commits, lambda n: _QUEUE.put(n))
    finally:
        _QUEUE.put(None)


def _watch(queue: Any, report: Callable[[int], None], workers: int) -> None:
    while workers:
        item = queue.get()
        if item is None:
            workers -= 1
        else:
            report(item)


def _reporter(progress: Progress) -> Callable[[int], None]:
    """A thread-safe ``report(n)``: n more commits done (phase ``history``)."""
    lock = threading.Lock()

    def report(n: int) -> None:
        with lock:
            progress.advance("history", n)

    return report


def _scan_slice(root: Path, chunk: Chunk, commits: list[str], report: Callable[[int], None]) -> Chunk:
    """Scan ``commits`` through ``git diff-tree`` streams: after a failure, find the commit that cannot be
    shown, read it without a patch, and stream the rest."""
    chunk.index = {sha: i for i, sha in enumerate(commits)}
    start = 0
    while start < len(commits):
        failure = _stream(root, chunk, commits[start:], report)
        if failure is None:
            break
        start = _repair(root, chunk, commits, max(start, chunk.last), failure)
    report(len(commits) - chunk.reported)
    chunk.reported = len(commits)
    _read_binaries(root, chunk)
    flush(chunk)
    # the slice's working state is not part of its result (a worker's chunk is pickled back to the parent)
    chunk.seen_by_kind, chunk.classified, chunk.index = {}, {}, {}
    return chunk


#: How much of a blob git called binary is read to tell text (UTF-16/32, a stray NUL) from binary.
_SNIFF_BYTES = 4096


def _read_binaries(root: Path, chunk: Chunk) -> None:
    """Read again the changes git showed as binary: a blob that the work tree's reading decodes as text
    (UTF-16/32 with or without a BOM, text with a few NUL bytes, compiled Python read as the lines of its string
    constants) has its added lines scanned and no longer counts as a binary change. A first pass reads 4 KiB of
    each, so images and archives cost little. The same key in a ``.py`` and in its ``.pyc`` is one finding: the
    history keeps one per rule and secret, and the ``.py`` (streamed first) wins a tie in one commit."""
    changes, chunk.binaries = chunk.binaries, []
    if not changes:
        return
    heads = read_objects(root, sorted({new for _, _, _, new in changes}), _SNIFF_BYTES)
    texts = [c for c in changes if (head := heads.get(c[3])) is not None and text_of(c[1], head).text is not None]
    if not texts:
        return
    zero = {"0" * 40, "0" * 64}
    blobs = read_objects(root, sorted({b for _, _, old, new in texts for b in (old, new) if b not in zero}),
                         MAX_FILE_BYTES)
    for commit, path, old, new in texts:
        data = blobs.get(new)
        if data is None:
            continue
        fragment, binary = blob_fragment(path, commit, data, blobs.get(old))
        chunk.binary -= 1 - binary
        if fragment.lines:
            add(chunk, unseen(chunk, fragment))


@functools.lru_cache(maxsize=8)
def _store(root: Path) -> gitquery.StoreOnly:
    """:func:`gitquery.store_only`, asked once per repository and process (a scan streams many slices).

    Raises:
        GitError: as :func:`gitquery.store_only`.
    """
    return gitquery.store_only(root)


def _stream(root: Path, chunk: Chunk, commits: list[str], report: Callable[[int], None]) -> str | None:
    """Stream the patches of ``commits`` through one ``git diff-tree``; None on success, else git's error."""
    try:
        store = _store(root)  # never in the work tree: its .gitattributes may be named pipes
        # git ignores --relative in a merge's combined diff: the pathspec keeps it to the folder too, and the
        # parser takes the folder off its paths (``chunk.prefix``)
        limit = ("--", f":(literal){store.prefix}") if store.prefix else ()
        chunk.prefix = store.prefix
        proc = git.popen_git(store.cwd, *store.options, *_DIFF_TREE, *store.relative, *limit,
                             stdin=subprocess.PIPE)
    except git.GitError as exc:
        return str(exc)
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, commits), daemon=True)
    feeder.start()
    for fragment in fragments(proc.stdout, chunk, report):
        add(chunk, fragment)
    feeder.join()
    try:
        git.finish(proc, "diff-tree", timeout=60)
    except git.GitError as exc:
        return str(exc)
    return None


def _repair(root: Path, chunk: Chunk, commits: list[str], first: int, failure: str) -> int:
    """Show commits one by one from ``first`` until one fails; read that one without a patch. Returns the
    index to resume streaming at."""
    for i in range(max(first, 0), min(len(commits), max(first, 0) + _PROBE_LIMIT)):
        if _stream(root, chunk, [commits[i]], lambda n: None) is not None:
            for fragment, binary in salvage(root, commits[i], chunk.damage):
                chunk.binary += binary
                if fragment.lines and not vendored(chunk, fragment.path):
                    add(chunk, unseen(chunk, fragment))
            return i + 1
    if first + _PROBE_LIMIT >= len(commits):
        chunk.notes.append(_error(f"history scan incomplete: {failure}"))
    return min(len(commits), max(first, 0) + _PROBE_LIMIT)


def _feed(stdin: IO[bytes], commits: list[str]) -> None:
    try:
        for start in range(0, len(commits), 1000):
            stdin.write("".join(c + "\n" for c in commits[start:start + 1000]).encode())
        stdin.close()
    except OSError:
        pass  # git died early; finish() reports why


def _error(message: str) -> Notification:
    return Notification("error", message, None, "history")


def _merge(commits: list[str], chunks: list[Chunk], notes: list[Notification]) -> HistoryResult:
    """One finding per secret (rule and secret hash), at the earliest commit that introduced it."""
    order = {sha: i for i, sha in enumerate(commits)}
    best: dict[tuple[str, str], Finding] = {}
    for chunk in chunks:
        notes += chunk.notes
        for f in chunk.findings:
            key = (f.rule_id, f.match_key) if f.match_key else (f.rule_id, f.location.path + f.snippet)
            old = best.get(key)
            if old is None or order.get(f.location.commit or "", 0) < order.get(old.location.commit or "", 0):
                best[key] = f
    kept = late_vendored(chunks, list(best.values()))
    notes += _summary_notes(chunks)
    notes += _vendored_notes(chunks)
    damaged = [n for chunk in chunks for n in chunk.damage.notes]
    if damaged:
        notes += damaged
        notes.append(_damage_error(len(damaged)))
    return HistoryResult(tuple(kept), tuple(notes), len(commits), sum(c.added for c in chunks),
                         sum(c.distinct for c in chunks))


def _damage_error(count: int) -> Notification:
    return _error(f"history: {count} object(s) could not be read (damaged repository: missing or corrupt "
                  "objects, packs or refs); they were skipped and every other readable commit was scanned")


def _vendored_notes(chunks: list[Chunk]) -> list[Notification]:
    """One note per vendored tree met in history paths (folder, kind, how many paths)."""
    trees: dict[Tree, set[str]] = {}
    for chunk in chunks:
        for tree, paths in chunk.vendored.items():
            trees.setdefault(tree, set()).update(paths)
    out = []
    for tree, paths in sorted(trees.items(), key=lambda t: t[0].folder):
        message = (f"{len(paths):,} path(s) in history not scanned: {tree.kind} (third-party or generated; "
                   "--include-vendored scans them)")
        out.append(Notification("note", message, tree.folder or None, "vendored", len(paths),
                                tuple(sorted(paths)[:20])))
    return out


def _summary_notes(chunks: list[Chunk]) -> Iterator[Notification]:
    """Notes about what the history held that was skipped or read specially."""
    counts = {
        "binary file change(s) in history not scanned": sum(c.binary for c in chunks),
        "added line(s) in history not valid UTF-8; read as Latin-1": sum(c.latin1 for c in chunks),
        f"added line(s) in history longer than {MAX_LINE_BYTES >> 20} MiB; scanned up to that length":
            sum(c.long_lines for c in chunks),
        "submodule change(s) in history skipped (separate repositories; scan them on their own)":
            len(set().union(*(c.submodules for c in chunks))),
    }
    for message, count in counts.items():
        if count:
            yield Notification("note", f"{count} {message}", None, "history")
    for chunk in chunks:
        for sha, size in chunk.huge:
            message = f"commit {sha} adds {size >> 20} MiB of new lines; streamed and scanned in full"
            yield Notification("note", message, None, "history")
