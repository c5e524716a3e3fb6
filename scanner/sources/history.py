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

import queue
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scanner import git
from scanner.model import Finding, Fragment, Notification
from scanner.progress import NoProgress, Progress
from scanner.sources.history_repair import Damage, salvage, walk_commits
from scanner.sources.vendored import Tree, VendoredTrees

#: Scans a batch of fragments: ``(findings, notes)``; picklable (worker processes). The pipeline passes the
#: secrets engine's.
FragmentScanner = Callable[[list[Fragment]], tuple[list[Finding], list[Notification]]]
#: After a failure, at most this many commits are shown one by one before the stream is restarted.
_PROBE_LIMIT = 200

#: Added lines are handed to the engine in batches of about this many lines.
BATCH_LINES = 20_000
#: An added line longer than this is scanned up to this many characters.
MAX_LINE_BYTES = 1 << 20
#: A commit adding more new text than this gets a note (it is still streamed and scanned in full).
HUGE_COMMIT_BYTES = 50 << 20
#: Blocks of git output (about 1 MiB each) read ahead of the parser.
_READ_AHEAD = 16
_SHA = re.compile(rb"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
#: Each worker's git keeps a smaller delta-base cache (git's default: 96 MiB) and maps less of the pack at a
#: time (default: 1 GiB windows, 8 GiB in all): with one git per worker the defaults dominated peak memory.
#: Measured on half of sqlalchemy's commits: 256 -> 114 MiB peak RSS for about 5% more git CPU time.
_DIFF_TREE = ("-c", "core.deltaBaseCacheLimit=32m", "-c", "core.packedGitWindowSize=16m", "-c",
              "core.packedGitLimit=48m", "diff-tree", "--stdin", "-p", "-U0", "-r", "--root",
              "--no-ext-diff", "--no-textconv", "--no-renames", "--relative", "--src-prefix=a/",
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


@dataclass
class _Chunk:
    """One worker's running state and output (mutable, private to a worker)."""

    scan: FragmentScanner
    trees: VendoredTrees | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[Notification] = field(default_factory=list)
    batch: list[Fragment] = field(default_factory=list)
    batch_lines: int = 0
    added: int = 0
    distinct: int = 0
    binary: int = 0
    latin1: int = 0
    long_lines: int = 0
    huge: list[tuple[str, int]] = field(default_factory=list)
    submodules: set[str] = field(default_factory=set)
    seen_by_kind: dict[str, set[int]] = field(default_factory=dict)
    vendored: dict[Tree, set[str]] = field(default_factory=dict)
    damage: Damage = field(default_factory=Damage)
    index: dict[str, int] = field(default_factory=dict)
    last: int = -1
    reported: int = 0


def scan_history(root: Path, scan: FragmentScanner, jobs: int = 1, progress: Progress | None = None,
                 revs: tuple[str, ...] = ("--all",), include_vendored: bool = False) -> HistoryResult:
    """Scan the added lines of every commit reachable from ``revs`` with ``scan``, using ``jobs`` processes;
    phase ``history`` of ``progress`` counts commits.

    Never raises for a damaged repository: each unreadable object or ref is a ``history-damage`` warning,
    every readable commit is still scanned, and one ``error`` note says how many objects were skipped.
    """
    progress = progress or NoProgress()
    notes = list(preflight_notes(root))
    damage = Damage()
    try:
        commits = git.rev_list(root, *revs)
    except git.GitError as exc:
        commits = walk_commits(root, revs, damage)
        if not commits and not damage.notes:
            return HistoryResult((), (*notes, _error(f"cannot list the commits of the history: {exc}")))
    if not commits and damage.notes:
        return HistoryResult((), (*notes, *damage.notes, _damage_error(len(damage.notes))))
    if not commits:
        notes.append(Notification("note", "the repository has no commits; no history to scan", None,
                                  "history"))
        return HistoryResult((), tuple(notes))
    trees = None if include_vendored else VendoredTrees(_venv_markers(root, revs))
    progress.start("history", len(commits))
    chunks = _scan_chunks(root, _Chunk(scan, trees, damage=damage), commits, max(1, jobs), progress)
    progress.finish("history", len(commits))
    return _merge(commits, chunks, notes)


def _venv_markers(root: Path, revs: tuple[str, ...]) -> list[str]:
    """Paths of virtualenv and conda markers added at any commit (so their folders are skipped in history)."""
    try:
        out = git.run_git(root, "log", "--format=", "--name-only", "--diff-filter=A", "--no-renames", *revs,
                          "--", ":(glob)**/pyvenv.cfg", ":(glob)**/conda-meta/history", timeout=300)
    except git.GitError:
        return []
    return sorted(set(out.decode("utf-8", "surrogateescape").split("\n")) - {""})


def preflight_notes(root: Path) -> Iterator[Notification]:
    """Notes about the repository's shape: a shallow clone (history truncated) and a detached HEAD."""
    if git.is_shallow(root):
        yield Notification("warning", "shallow clone: history is truncated; commits before the clone depth "
                                      "were not scanned (run `git fetch --unshallow` first)", None, "history")
    if git.is_bare(root):
        return
    if git.has_commits(root) and git.current_branch(root) is None:
        yield Notification("note", "detached HEAD: scanned every ref and the detached commit", None,
                           "history")
    for path, entry in sorted(git.ls_stage(root).items()):
        if entry.mode == "160000":
            yield Notification("note", "submodule not scanned (a separate repository; scan it on its own)",
                               path, "submodule")


def _scan_chunks(root: Path, proto: _Chunk, commits: list[str], jobs: int, progress: Progress) -> list[_Chunk]:
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


def _fresh(proto: _Chunk) -> _Chunk:
    return _Chunk(proto.scan, proto.trees)


_QUEUE: Any = None


def _init_worker(queue: Any) -> None:
    global _QUEUE
    _QUEUE = queue


def _worker(args: tuple[Path, _Chunk, list[str]]) -> _Chunk:
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


def _scan_slice(root: Path, chunk: _Chunk, commits: list[str], report: Callable[[int], None]) -> _Chunk:
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
    _flush(chunk)
    return chunk


def _stream(root: Path, chunk: _Chunk, commits: list[str], report: Callable[[int], None]) -> str | None:
    """Stream the patches of ``commits`` through one ``git diff-tree``; None on success, else git's error."""
    try:
        proc = git.popen_git(root, *_DIFF_TREE, stdin=subprocess.PIPE)
    except git.GitError as exc:
        return str(exc)
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, commits), daemon=True)
    feeder.start()
    for fragment in _fragments(proc.stdout, chunk, report):
        _add(chunk, fragment)
    feeder.join()
    try:
        git.finish(proc, "diff-tree", timeout=60)
    except git.GitError as exc:
        return str(exc)
    return None


def _repair(root: Path, chunk: _Chunk, commits: list[str], first: int, failure: str) -> int:
    """Show commits one by one from ``first`` until one fails; read that one without a patch. Returns the
    index to resume streaming at."""
    for i in range(max(first, 0), min(len(commits), max(first, 0) + _PROBE_LIMIT)):
        if _stream(root, chunk, [commits[i]], lambda n: None) is not None:
            for fragment, binary in salvage(root, commits[i], chunk.damage):
                chunk.binary += binary
                if fragment.lines and not _vendored(chunk, fragment.path):
                    _add(chunk, _unseen(chunk, fragment))
            return i + 1
    if first + _PROBE_LIMIT >= len(commits):
        chunk.notes.append(_error(f"history scan incomplete: {failure}"))
    return min(len(commits), max(first, 0) + _PROBE_LIMIT)


def _unseen(chunk: _Chunk, fragment: Fragment) -> Fragment:
    seen = chunk.seen_by_kind.setdefault(_file_kind(fragment.path), set())
    kept = []
    for number, text in fragment.lines:
        key = hash(b"+" + text.encode("utf-8", "surrogateescape"))
        if key not in seen:
            seen.add(key)
            kept.append((number, text))
    chunk.distinct += len(kept)
    return Fragment(fragment.path, tuple(kept), fragment.commit, fragment.origin)


def _vendored(chunk: _Chunk, path: str) -> bool:
    tree = chunk.trees.classify(path) if chunk.trees is not None and path else None
    if tree is not None:
        chunk.vendored.setdefault(tree, set()).add(path)
    return tree is not None


def _feed(stdin: IO[bytes], commits: list[str]) -> None:
    try:
        for start in range(0, len(commits), 1000):
            stdin.write("".join(c + "\n" for c in commits[start:start + 1000]).encode())
        stdin.close()
    except OSError:
        pass  # git died early; finish() reports why


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of ``stream`` (without their newline), read ahead by a thread in blocks of about 1 MiB (at
    most ``_READ_AHEAD`` blocks buffered), so git keeps producing while the engine scans."""
    blocks: queue.Queue[bytes | None] = queue.Queue(_READ_AHEAD)

    def pump() -> None:
        try:
            while block := stream.read(1 << 20):
                blocks.put(block + stream.readline())
        finally:
            blocks.put(None)

    threading.Thread(target=pump, daemon=True).start()
    while (block := blocks.get()) is not None:
        lines = block.split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        yield from lines


def _fragments(stream: IO[bytes], chunk: _Chunk, report: Callable[[int], None]) -> Iterator[Fragment]:
    """Parse ``diff-tree -p -U0`` output into fragments of distinct added lines (one per commit and file).

    A line is new when the 64-bit hash of its bytes is not yet in the seen-set of its file kind (extension).
    """
    seen_by_kind = chunk.seen_by_kind
    seen: set[int] = set()
    commit, path, lineno, in_hunk, skip, section = "", "", 0, False, False, b""
    lines: list[tuple[int, str]] = []
    pending = added = size = 0
    for raw in _lines(stream):
        head = raw[:1]
        if in_hunk and head == b"+":
            added += 1
            key = hash(raw)
            if key not in seen and not skip:
                seen.add(key)
                size += len(raw)
                lines.append((lineno, _decode(raw[1:].rstrip(b"\r"), chunk)))
            lineno += 1
        elif in_hunk and (head == b"-" or head == b"\\"):
            continue
        elif head == b"@":
            match = _HUNK.match(raw)
            in_hunk, lineno = match is not None, int(match.group(1)) if match else 0
        else:
            if lines:
                chunk.distinct += len(lines)
                yield Fragment(path, tuple(lines), commit, "history")
                lines = []
            in_hunk = False
            if _SHA.match(raw):
                if size > HUGE_COMMIT_BYTES:
                    chunk.huge.append((commit, size))
                commit, size = raw.decode("ascii"), 0
                chunk.last = chunk.index.get(commit, chunk.last)
                pending += 1
                if pending == 50 and chunk.reported + pending <= len(chunk.index):
                    report(pending)
                    chunk.reported += pending
                    pending = 0
            elif raw.startswith(b"+++ "):
                path = _path(raw[4:])
                seen = seen_by_kind.setdefault(_file_kind(path), set())
                skip = skip or _vendored(chunk, path)
            elif raw.startswith(b"diff --git "):
                skip, section = False, raw
            elif raw.startswith((b"new file mode 160000", b"deleted file mode 160000")) or \
                    (raw.startswith(b"index ") and raw.endswith(b" 160000")):
                skip = True
                chunk.submodules.add(_path(section.rpartition(b" b/")[2]))
            elif raw.startswith(b"Binary files "):
                chunk.binary += 1
    if lines:
        chunk.distinct += len(lines)
        yield Fragment(path, tuple(lines), commit, "history")
    if size > HUGE_COMMIT_BYTES:
        chunk.huge.append((commit, size))
    chunk.added += added


def _add(chunk: _Chunk, fragment: Fragment) -> None:
    chunk.batch.append(fragment)
    chunk.batch_lines += len(fragment.lines)
    if chunk.batch_lines >= BATCH_LINES:
        _flush(chunk)


def _flush(chunk: _Chunk) -> None:
    if not chunk.batch:
        return
    findings, notes = chunk.scan(chunk.batch)
    chunk.findings += findings
    chunk.notes += notes
    chunk.batch, chunk.batch_lines = [], 0


def _decode(text: bytes, chunk: _Chunk) -> str:
    """An added line as text: UTF-8, else Latin-1 (counted); cut at ``MAX_LINE_BYTES`` (counted)."""
    if len(text) > MAX_LINE_BYTES:
        chunk.long_lines += 1
        text = text[:MAX_LINE_BYTES]
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        chunk.latin1 += 1
        return text.decode("latin-1")


def _path(raw: bytes) -> str:
    """A path from a ``+++ b/PATH`` header (C-quoted when it holds special bytes); ``/dev/null`` gives ''."""
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = _unquote(raw[1:-1])
    if raw == b"/dev/null":
        return ""
    return (raw[2:] if raw.startswith(b"b/") else raw).decode("utf-8", "surrogateescape")


def _unquote(raw: bytes) -> bytes:
    """Undo git's C-style path quoting (``\\t``, ``\\n``, ``\\"``, ``\\\\`` and octal ``\\ooo`` bytes)."""
    simple = {b"t": b"\t", b"n": b"\n", b'"': b'"', b"\\": b"\\", b"a": b"\a", b"b": b"\b", b"f": b"\f",
              b"r": b"\r", b"v": b"\v"}
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\" and i + 1 < len(raw):
            nxt, octal = raw[i + 1:i + 2], raw[i + 1:i + 4]
            if len(octal) == 3 and octal.isdigit():
                out.append(int(octal, 8) & 0xFF)
                i += 4
                continue
            out += simple.get(nxt, nxt)
            i += 2
            continue
        out += raw[i:i + 1]
        i += 1
    return bytes(out)


def _file_kind(path: str) -> str:
    """What a detector may key on besides the line: the file's extension, or its name when it has none."""
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else name


def _error(message: str) -> Notification:
    return Notification("error", message, None, "history")


def _merge(commits: list[str], chunks: list[_Chunk], notes: list[Notification]) -> HistoryResult:
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
    notes += _summary_notes(chunks)
    notes += _vendored_notes(chunks)
    damaged = [n for chunk in chunks for n in chunk.damage.notes]
    if damaged:
        notes += damaged
        notes.append(_damage_error(len(damaged)))
    return HistoryResult(tuple(best.values()), tuple(notes), len(commits), sum(c.added for c in chunks),
                         sum(c.distinct for c in chunks))


def _damage_error(count: int) -> Notification:
    return _error(f"history: {count} object(s) could not be read (damaged repository: missing or corrupt "
                  "objects, packs or refs); they were skipped and every other readable commit was scanned")


def _vendored_notes(chunks: list[_Chunk]) -> list[Notification]:
    """One note per vendored tree met in history paths (folder, kind, how many paths)."""
    trees: dict[Tree, set[str]] = {}
    for chunk in chunks:
        for tree, paths in chunk.vendored.items():
            trees.setdefault(tree, set()).update(paths)
    out = []
    for tree, paths in sorted(trees.items(), key=lambda t: t[0].folder):
        where = tree.folder or "files"
        message = (f"{len(paths):,} path(s) in history not scanned: {where} holds {tree.kind} (third-party or "
                   "generated; scan with --include-vendored)")
        out.append(Notification("note", message, tree.folder or None, "vendored", len(paths),
                                tuple(sorted(paths)[:20])))
    return out


def _summary_notes(chunks: list[_Chunk]) -> Iterator[Notification]:
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
