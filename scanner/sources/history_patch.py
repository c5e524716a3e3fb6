"""Parsing ``git diff-tree -p -U0 --cc`` output into fragments of distinct added lines, and a worker's running state.

A merge commit's patch is git's combined diff (``--cc``): only the hunks where the result differs from every
parent, so the lines a merge itself writes (a key typed while resolving a conflict: an "evil merge") are scanned,
and the lines it takes from one side, already scanned in that side's commits, are seen again at most.

A line is new when the 64-bit hash of its bytes is not yet in the seen-set of its file kind (extension); a worker
keeps 8 bytes per seen line, never the line. Fragments are batched and handed to the worker's scanner.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from scanner.model import Finding, Fragment, Notification
from scanner.sources.history_repair import Damage
from scanner.sources.vendored import Tree, VendoredTrees, in_venv

#: Scans a batch of fragments: ``(findings, notes)``; picklable (worker processes). The pipeline passes the
#: secrets engine's.
FragmentScanner = Callable[[list[Fragment]], tuple[list[Finding], list[Notification]]]
#: Added lines are handed to the engine in batches of about this many lines. Each batch whose text needs catalogue
#: rules not yet loaded reloads the catalogue subset (about 1 ms per rule), so batches are large: a few MiB.
BATCH_LINES = 100_000
#: An added line longer than this is scanned up to this many characters.
MAX_LINE_BYTES = 1 << 20
#: A commit adding more new text than this gets a note (it is still streamed and scanned in full).
HUGE_COMMIT_BYTES = 50 << 20
#: Blocks of git output (about 1 MiB each) read ahead of the parser.
_READ_AHEAD = 16
_SHA = re.compile(rb"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
#: A combined-diff hunk of a merge (``git diff-tree --cc``): one ``@`` and one ``-a,b`` range per parent more.
#: ``index OLD..NEW [MODE]`` with full blob ids (``--full-index``).
_INDEX = re.compile(rb"^index ([0-9a-f]{40,64})\.\.([0-9a-f]{40,64})")
_COMBINED_HUNK = re.compile(rb"^(@@@+) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @@@")
@dataclass
class Chunk:
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
    #: Changes git showed as binary, ``(commit, path, old blob, new blob)``: read again as blobs after the
    #: stream, since git takes UTF-16/32 text and text with a stray NUL for binary.
    binaries: list[tuple[str, str, str, str]] = field(default_factory=list)
    latin1: int = 0
    long_lines: int = 0
    huge: list[tuple[str, int]] = field(default_factory=list)
    submodules: set[str] = field(default_factory=set)
    seen_by_kind: dict[str, set[int]] = field(default_factory=dict)
    vendored: dict[Tree, set[str]] = field(default_factory=dict)
    #: Path -> (the trees' markers when it was classified, whether it is vendored): :func:`vendored`'s memo.
    classified: dict[str, tuple[object, bool]] = field(default_factory=dict)
    damage: Damage = field(default_factory=Damage)
    index: dict[str, int] = field(default_factory=dict)
    #: The scanned folder below the top of the repository (``sub/``; '' at the top). git shows a merge's combined
    #: diff with paths from the top whatever ``--relative`` says: the parser takes this off them.
    prefix: str = ""
    last: int = -1
    reported: int = 0


def unseen(chunk: Chunk, fragment: Fragment) -> Fragment:
    seen = chunk.seen_by_kind.setdefault(file_kind(fragment.path), set())
    kept = []
    for number, text in fragment.lines:
        key = hash(b"+" + text.encode("utf-8", "surrogateescape"))
        if key not in seen:
            seen.add(key)
            kept.append((number, text))
    chunk.distinct += len(kept)
    return Fragment(fragment.path, tuple(kept), fragment.commit, fragment.origin)


def vendored(chunk: Chunk, path: str) -> bool:
    """Whether ``path`` lies in a vendored tree (recorded for the tree's note). A virtualenv marker
    (``pyvenv.cfg``, ``conda-meta/``) makes its folder vendored from here on; :func:`late_vendored` drops what
    was found in it before the marker was met. A path met again is answered from ``chunk.classified`` while no
    marker has been met since (its own markers were recorded the first time)."""
    trees = chunk.trees
    if trees is None or not path:
        return False
    state = (trees.venvs, tuple(trees.vendor_dirs.items()))
    known = chunk.classified.get(path)
    if known is not None and known[0] == state:
        return known[1]
    trees.add_markers([path])
    trees.mark_vendor([path])
    tree = trees.classify(path)
    if tree is not None:
        chunk.vendored.setdefault(tree, set()).add(path)
    chunk.classified[path] = ((trees.venvs, tuple(trees.vendor_dirs.items())), tree is not None)
    return tree is not None


def stream_blocks(stream: IO[bytes]) -> Iterator[list[bytes]]:
    """The lines of ``stream`` (without their newline) in lists of about 1 MiB, read ahead by a thread (at most
    ``_READ_AHEAD`` blocks buffered), so git keeps producing while the engine scans."""
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
        yield lines


def fragments(stream: IO[bytes], chunk: Chunk, report: Callable[[int], None]) -> Iterator[Fragment]:
    """Parse ``diff-tree -p -U0`` output into fragments of distinct added lines (one per commit and file).

    A line is new when the 64-bit hash of its bytes is not yet in the seen-set of its file kind (extension).
    The loop runs once per line of git's output: added and removed lines take the first branches, and an
    ASCII line (most) is decoded without a call.
    """
    seen_by_kind = chunk.seen_by_kind
    seen: set[int] = set()
    commit, path, lineno, in_hunk, skip, section, index = "", "", 0, False, False, b"", b""
    parents = 1  # columns of +/- marks before a line: one, or one per parent in a merge's combined diff
    lines: list[tuple[int, str]] = []
    pending = added = size = 0
    for block in stream_blocks(stream):
        for raw in block:
            head = raw[:1]
            if in_hunk and parents > 1:
                marks = raw[:parents]
                if len(marks) == parents and not marks.strip(b" +-"):
                    if b"-" not in marks:  # in the merge result: a line the merge adds (or keeps)
                        if b"+" in marks and not skip:
                            added += b" " not in marks  # new against every parent: what the merge itself adds
                            key = hash(b"+" + raw[parents:])  # as the same line added by a commit
                            if key not in seen:
                                seen.add(key)
                                size += len(raw)
                                lines.append((lineno, decode_line(raw[parents:].rstrip(b"\r"), chunk)))
                        lineno += 1
                    continue
                if head == b"\\":
                    continue
            elif in_hunk:
                if head == b"+":
                    added += 1
                    key = hash(raw)
                    if key not in seen and not skip:
                        seen.add(key)
                        size += len(raw)
                        text = raw[1:].rstrip(b"\r")
                        if text.isascii() and len(text) <= MAX_LINE_BYTES:
                            lines.append((lineno, text.decode("ascii")))
                        else:
                            lines.append((lineno, decode_line(text, chunk)))
                    lineno += 1
                    continue
                if head == b"-" or head == b"\\":
                    continue
            if head == b"@":
                match = _HUNK.match(raw)
                if match is not None:
                    in_hunk, lineno, parents = True, int(match.group(1)), 1
                elif (combined := _COMBINED_HUNK.match(raw)) is not None:
                    in_hunk, lineno, parents = True, int(combined.group(2)), len(combined.group(1)) - 1
                else:
                    in_hunk, lineno = False, 0
                continue
            if lines:
                chunk.distinct += len(lines)
                yield Fragment(path, tuple(lines), commit, "history")
                lines = []
            in_hunk = False
            if (len(raw) == 40 or len(raw) == 64) and _SHA.match(raw):
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
                path = diff_path(raw[4:])
                if chunk.prefix and not section.startswith(b"diff --git "):
                    inside = path.startswith(chunk.prefix)
                    path = path[len(chunk.prefix):] if inside else path
                    skip = skip or not inside
                seen = seen_by_kind.setdefault(file_kind(path), set())
                skip = skip or vendored(chunk, path)
            elif raw.startswith((b"diff --git ", b"diff --cc ", b"diff --combined ")):
                skip, section, index = False, raw, b""
            elif raw.startswith((b"new file mode 160000", b"deleted file mode 160000")) or \
                    (raw.startswith((b"index ", b"mode ")) and raw.endswith(b"160000")):
                skip = True
                name = section.rpartition(b" b/")[2] if section.startswith(b"diff --git ") else \
                    section.split(b" ", 2)[2]
                chunk.submodules.add(diff_path(name))
            elif raw.startswith(b"Binary files ") and not raw.endswith(b" and /dev/null differ"):
                chunk.binary += 1  # (a deletion, "and /dev/null differ", adds nothing)
                blobs = _INDEX.match(index)
                where = diff_path(section.rpartition(b" b/")[2]) if section.startswith(b"diff --git ") else ""
                if blobs and where and not vendored(chunk, where):
                    chunk.binaries.append((commit, where, blobs.group(1).decode(), blobs.group(2).decode()))
            elif raw.startswith(b"index "):
                index = raw
    if lines:
        chunk.distinct += len(lines)
        yield Fragment(path, tuple(lines), commit, "history")
    if size > HUGE_COMMIT_BYTES:
        chunk.huge.append((commit, size))
    chunk.added += added


def add(chunk: Chunk, fragment: Fragment) -> None:
    chunk.batch.append(fragment)
    chunk.batch_lines += len(fragment.lines)
    if chunk.batch_lines >= BATCH_LINES:
        flush(chunk)


def flush(chunk: Chunk) -> None:
    if not chunk.batch:
        return
    findings, notes = chunk.scan(chunk.batch)
    chunk.findings += findings
    chunk.notes += notes
    chunk.batch, chunk.batch_lines = [], 0


def decode_line(text: bytes, chunk: Chunk) -> str:
    """An added line as text: UTF-8, else Latin-1 (counted); cut at ``MAX_LINE_BYTES`` (counted)."""
    if len(text) > MAX_LINE_BYTES:
        chunk.long_lines += 1
        text = text[:MAX_LINE_BYTES]
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        chunk.latin1 += 1
        return text.decode("latin-1")


def diff_path(raw: bytes) -> str:
    """A path from a ``+++ b/PATH`` header (C-quoted when it holds special bytes); ``/dev/null`` gives ''."""
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = unquote(raw[1:-1])
    if raw == b"/dev/null":
        return ""
    return (raw[2:] if raw.startswith(b"b/") else raw).decode("utf-8", "surrogateescape")


def unquote(raw: bytes) -> bytes:
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


def file_kind(path: str) -> str:
    """What a detector may key on besides the line: the file's extension, or its name when it has none."""
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else name


def late_vendored(chunks: list[Chunk], findings: list[Finding]) -> list[Finding]:
    """``findings`` without those under a virtualenv or a dependency manager's ``vendor/`` whose marker some
    chunk met after scanning them (each counted in that tree's note)."""
    kinds = {r: "virtualenv" for c in chunks if c.trees is not None for r in c.trees.venvs}
    kinds.update({r: k for c in chunks if c.trees is not None for r, k in c.trees.vendor_dirs.items()})
    roots = sorted(kinds, key=len)
    if not roots or not chunks:
        return findings
    kept = []
    for f in findings:
        root = next((r for r in roots if f.location.path.startswith(r) and
                     (kinds[r] != "virtualenv" or in_venv(r, f.location.path))), None)
        if root is None:
            kept.append(f)
        else:
            chunks[0].vendored.setdefault(Tree(root, kinds[root]), set()).add(f.location.path)
    return kept
