"""Grouping notifications so a person can read them: one note per kind, message and folder, with a count.

A scan of a repository with a committed virtualenv used to carry thousands of one-per-file notes (".pyc
skipped"). Here notes with a path and the same level, kind and message become one note whose ``count`` says
how many files it stands for, ``examples`` lists up to :data:`MAX_EXAMPLES` of them and ``path`` is their
common folder (None when they have none). Binary files are summarised by type (``3,301 .pyc, 43 .png``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from scanner.model import Notification

#: Example paths kept on a grouped note (JSON ``examples``).
MAX_EXAMPLES = 20
#: Above this many notes after grouping by message, notes are grouped by level and kind only.
MAX_NOTES = 200
#: Kinds whose grouped note names its files in the message (text output shows no ``examples``): symlinks and
#: special files are few, and which ones were not followed is the point of the note.
NAMED_KINDS = frozenset({"symlink", "special"})
#: At most this many paths are named in the message of a :data:`NAMED_KINDS` note.
MAX_NAMED = 10


def group_notes(notes: Iterable[Notification]) -> list[Notification]:
    """``notes`` deduplicated and grouped (see module doc), sorted by :meth:`Notification.sort_key`."""
    unique = _merge_vendored(sorted(set(notes), key=Notification.sort_key))
    grouped = _group(unique, lambda n: (n.level, n.kind, _message_key(n)))
    if len(grouped) > MAX_NOTES:
        grouped = _group(grouped, lambda n: (n.level, n.kind, ""))
    return sorted(grouped, key=Notification.sort_key)


def _merge_vendored(notes: list[Notification]) -> list[Notification]:
    """One note per vendored folder (the work tree and history each report it): the larger count wins. Notes
    without a folder (compiled Python, editor copies, files matched one by one) are told apart by what they say
    after "not scanned:" (or by their whole message)."""
    best: dict[tuple[str | None, str], Notification] = {}
    out = []
    for n in notes:
        key = (n.path, "" if n.path is not None else n.message.partition("not scanned: ")[2] or n.message)
        if n.kind != "vendored":
            out.append(n)
        elif key not in best or n.count > best[key].count:
            best[key] = n
    return out + list(best.values())


def _message_key(n: Notification) -> str:
    return "binary" if n.kind == "binary" else n.message


def _group(notes: list[Notification], key_of: Callable[[Notification], tuple[str, str, str]]) -> list[Notification]:
    groups: dict[tuple[str, str, str], list[Notification]] = {}
    out: list[Notification] = []
    for n in notes:
        if n.path is None or n.kind == "vendored":
            out.append(n)
        else:
            groups.setdefault(key_of(n), []).append(n)
    for members in groups.values():
        out.append(members[0] if len(members) == 1 else _merge(members))
    return out


def _merge(members: list[Notification]) -> Notification:
    first = members[0]
    paths = [p for n in members for p in (n.examples or (n.path,)) if p]
    count = sum(n.count for n in members)
    message = _binary_message(paths, count) if first.kind == "binary" else _message(members, count)
    if first.kind in NAMED_KINDS:
        message += ": " + _named(sorted(paths), count)
    return Notification(first.level, message, _common_folder(paths), first.kind, count,
                        tuple(sorted(paths)[:MAX_EXAMPLES]))


def _message(members: list[Notification], count: int) -> str:
    messages = {n.message for n in members}
    text = messages.pop() if len(messages) == 1 else f"{members[0].kind} ({len(messages)} different messages)"
    return f"{count:,} files: {text}"


def _named(paths: list[str], count: int) -> str:
    more = f" and {count - MAX_NAMED:,} more" if count > MAX_NAMED else ""
    return ", ".join(paths[:MAX_NAMED]) + more


def _binary_message(paths: list[str], count: int) -> str:
    kinds = Counter(_suffix(p) for p in paths)
    parts = [f"{n:,} {suffix}" for suffix, n in kinds.most_common(4)]
    if len(kinds) > 4:
        parts.append(f"{sum(n for _, n in kinds.most_common()[4:]):,} other")
    return f"{count:,} binary files skipped ({', '.join(parts)})"


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else "no extension"


def _common_folder(paths: list[str]) -> str | None:
    """The deepest folder (ending in ``/``) that holds every path, or None when it is the root."""
    folders = [p.split("/")[:-1] for p in paths]
    if not folders:
        return None
    common: list[str] = []
    for parts in zip(*folders, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else None
