"""Reading a damaged history: commits reachable despite missing objects, and one commit's changes without a patch.

``git rev-list`` stops at the first unreadable commit and ``git diff-tree -p`` at the first unreadable blob or
tree. Here the commit graph is walked object by object (one ``git cat-file --batch`` per wave of parents), and a
commit that ``diff-tree -p`` cannot show is read as a raw change list plus its blobs, so each unreadable object
is named once and skipped while every readable commit and file is still scanned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scanner import git, gitquery
from scanner.model import Fragment, Notification
from scanner.sources.reading import MAX_FILE_BYTES, text_of

#: Commit objects are small; read at most this much of each.
_COMMIT_BYTES = 1 << 20


@dataclass
class Damage:
    """Unreadable objects met so far (``what`` names each once: a commit, a tree, a blob with its path)."""

    notes: list[Notification] = field(default_factory=list)
    named: set[str] = field(default_factory=set)

    def add(self, sha: str, what: str, path: str | None = None) -> None:
        """Record one unreadable object (once per object)."""
        if sha in self.named:
            return
        self.named.add(sha)
        self.notes.append(Notification("warning", f"{what} {sha} could not be read (missing or corrupt); "
                                       "skipped", path, "history-damage"))


def walk_commits(root: Path, revs: tuple[str, ...], damage: Damage) -> list[str]:
    """The commits reachable from ``revs`` (``--all``, or ``TIP --not EXCLUDED...``) that can be read, parents
    before children, found without ``rev-list`` (which gives up at the first unreadable commit)."""
    if revs == ("--all",):
        tips, stop = _ref_tips(root, damage), set()
    else:
        tips = [revs[0]]
        stop = set(_reachable(root, revs[2:])) if "--not" in revs else set()
    parents: dict[str, list[str]] = {}
    wave = [t for t in tips if t not in stop]
    while wave:
        objects = read_objects(root, wave, _COMMIT_BYTES)
        nxt = []
        for sha in wave:
            data = objects.get(sha)
            found = _parents(data) if data is not None else None
            if found is None:
                damage.add(sha, "commit")
                continue
            parents[sha] = found
            nxt += [p for p in found if p not in parents and p not in stop]
        wave = sorted(set(nxt))
    return _parents_first(parents)


def read_objects(root: Path, shas: list[str], max_bytes: int) -> dict[str, bytes | None]:
    """Objects by SHA (None when unreadable): one ``cat-file --batch``, or one ``cat-file`` per object when
    the batch dies on a corrupt object."""
    try:
        return gitquery.read_blobs(root, shas, max_bytes)
    except git.GitError:
        pass
    out: dict[str, bytes | None] = {}
    for sha in sorted(set(shas)):
        try:
            kind = git.run_git(root, "cat-file", "-t", sha).strip().decode("ascii", "replace")
            out[sha] = git.run_git(root, "cat-file", kind, sha)[:max_bytes] if kind in ("commit", "blob") else None
        except git.GitError:
            out[sha] = None
    return out


def _ref_tips(root: Path, damage: Damage) -> list[str]:
    try:
        refs, broken = git.for_each_ref(root)
    except git.GitError:
        refs, broken = [], []
    tips = []
    for sha, ref in refs:
        if len(sha) in (40, 64):
            tips.append(sha)
        else:
            damage.add(ref, "ref")
    for ref in broken:
        damage.add(ref, "ref")
    head = git.run_git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).decode().strip()
    return sorted(set(tips + ([head] if head else [])))


def _reachable(root: Path, revs: tuple[str, ...]) -> list[str]:
    try:
        return gitquery.rev_list(root, *revs)
    except git.GitError:
        return list(revs)


def _parents(data: bytes) -> list[str] | None:
    """The parent SHAs of a commit object, or None when it is not a well-formed commit."""
    head, _, _ = data.partition(b"\n\n")
    lines = head.split(b"\n")
    if not lines or not lines[0].startswith(b"tree "):
        return None
    return [line[7:].decode("ascii", "replace") for line in lines if line.startswith(b"parent ")]


def _parents_first(parents: dict[str, list[str]]) -> list[str]:
    """Topological order (Kahn), parents before children, ties by SHA (deterministic)."""
    children: dict[str, list[str]] = {}
    waiting = {}
    for sha, ps in parents.items():
        known = [p for p in ps if p in parents]
        waiting[sha] = len(known)
        for p in known:
            children.setdefault(p, []).append(sha)
    ready = sorted(s for s, n in waiting.items() if n == 0)
    out = []
    while ready:
        sha = ready.pop(0)
        out.append(sha)
        for child in sorted(children.get(sha, [])):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return out


@dataclass(frozen=True)
class _Raw:
    old: str
    new: str
    mode: str
    path: str


def salvage(root: Path, commit: str, damage: Damage) -> Iterator[tuple[Fragment, int]]:
    """The added lines of one commit read without a patch: its raw change list (against its first parent, or
    every file when the parents cannot be read) and the blobs it names; yields ``(fragment, binary)`` per file
    (``binary`` 1 for a skipped binary file). Unreadable objects go to ``damage``."""
    changes = _raw_changes(root, commit, damage)
    if changes is None:
        return
    wanted = [c.new for c in changes] + [c.old for c in changes if set(c.old) != {"0"}]
    blobs = read_objects(root, wanted, MAX_FILE_BYTES)
    for change in changes:
        data = blobs.get(change.new)
        if data is None:
            damage.add(change.new, f"blob at commit {commit[:12]}:", change.path)
            continue
        yield blob_fragment(change.path, commit, data, blobs.get(change.old))


def blob_fragment(path: str, commit: str, data: bytes, old_data: bytes | None) -> tuple[Fragment, int]:
    """The lines ``commit`` adds to ``path`` (new blob ``data`` against the old one, None for an added file),
    decoded as the work tree decodes files (UTF-16/32, Latin-1, stray NULs): ``(fragment, binary)``, where
    ``binary`` is 1 and the fragment empty when the blob is binary."""
    from scanner.sources.staged import added_lines

    read = text_of(path, data)
    if read.text is None:
        return Fragment(path, (), commit, "history"), 1
    old = text_of(path, old_data).text if old_data is not None else None
    lines = read.text.splitlines()
    numbers = sorted(added_lines(old, read.text))
    return Fragment(path, tuple((n, lines[n - 1]) for n in numbers), commit, "history"), 0


def _raw_changes(root: Path, commit: str, damage: Damage) -> list[_Raw] | None:
    try:
        out = git.run_git(root, "diff-tree", "-r", "-z", "--raw", "--no-renames", "--root", "--relative",
                          "--no-commit-id", "--no-abbrev", commit)
        return [c for c in _parse_raw(out) if set(c.new) != {"0"}]
    except git.GitError:
        pass
    try:
        entries = gitquery.ls_tree(root, commit)
    except git.GitError:
        damage.add(commit, "commit or tree of commit")
        return None
    zero = "0" * len(commit)
    return [_Raw(zero, e.sha, e.mode, p) for p, e in entries.items() if e.mode != "160000"]


def _parse_raw(out: bytes) -> list[_Raw]:
    fields = out.split(b"\0")
    rows = []
    for meta, raw_path in zip(fields[0::2], fields[1::2], strict=False):
        parts = meta.decode("ascii", "replace").lstrip(":").split()
        if len(parts) == 5 and parts[1] != "160000":
            rows.append(_Raw(parts[2], parts[3], parts[1], raw_path.decode("utf-8", "surrogateescape")))
    return rows
