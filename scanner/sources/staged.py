"""Changed files between two versions (HEAD and index, two commits, REF and work tree) and their added lines.

A staged scan reads the **index** (the blobs ``git add`` stored), never the work tree: a key that is staged
and then deleted from the working copy is still what the commit would contain. Blobs are read with
``git cat-file --batch``, which runs no filter and no textconv; added lines are computed here (difflib), so
git never diffs against the work tree (which would run the repository's clean filters).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scanner import git, gitquery
from scanner.model import Notification, ScanFile
from scanner.sources.compiled import is_compiled, source_of
from scanner.sources.reading import MAX_FILE_BYTES, mask_baseline_hashes, text_of
from scanner.sources.vendored import MARKER_GLOBS, VendoredTrees
from scanner.sources.worktree import linguist_attributes, load_files, read_note, repo_attributes, sort_out

_SUBMODULE = "160000"
#: Above this many lines (old or new version), lines are matched by content, in linear time, not by difflib.
_LINEAR_DIFF_LINES = 5000


@dataclass(frozen=True)
class Change:
    """One changed file: ``new`` (its new version, ``base_text`` set to the old one when there is one),
    ``base`` (the old version, None for an added file) and ``added`` (1-based line numbers of ``new`` that
    the change adds or rewrites)."""

    new: ScanFile
    base: ScanFile | None
    added: frozenset[int]


def staged_changes(root: Path) -> tuple[list[Change], list[Notification]]:
    """The files the next commit changes under ``root``: index versions against HEAD (or against nothing in a
    repository with no commits). Deleted files are left out (a deletion adds nothing).

    Raises:
        git.GitError: git failed (not a repository, a damaged index).
    """
    base, new = gitquery.staged_entries(root, "HEAD" if gitquery.has_commits(root) else gitquery.empty_tree(root))
    return blob_changes(root, base, new, "staged")


def rev_changes(root: Path, base_rev: str | None, new_rev: str) -> tuple[list[Change], list[Notification]]:
    """The files changed between two commits (``base_rev`` None: every file of ``new_rev`` is new).

    Raises:
        git.GitError: a revision is unknown or git failed.
    """
    base = gitquery.ls_tree(root, base_rev) if base_rev else {}
    return blob_changes(root, base, gitquery.ls_tree(root, new_rev), "source")


def worktree_changes(root: Path, base_rev: str,
                     attributes: bool = True) -> tuple[list[Change], list[Notification]]:
    """The work-tree files that differ from ``base_rev`` (the ``--since REF`` view), read like a tree scan
    (``attributes`` False: auditor mode, ``.gitattributes`` linguist attributes not applied).

    Raises:
        git.GitError: ``base_rev`` is unknown or git failed.
    """
    base = gitquery.ls_tree(root, base_rev)
    files, notes = load_files(root, attributes=attributes)
    candidates = [f for f in files if f.path not in base or _blob_sha(f.text) != base[f.path].sha]
    blobs = gitquery.read_blobs(root, [base[f.path].sha for f in candidates if f.path in base], MAX_FILE_BYTES)
    changes = []
    for f in candidates:
        entry = base.get(f.path)
        data = blobs.get(entry.sha) if entry else None
        old = text_of(f.path, data).text if data is not None else None
        old = mask_baseline_hashes(old) if old is not None else None
        if old != f.text:
            changes.append(_change(f, old))
    return changes, notes


def blob_changes(root: Path, base: dict[str, gitquery.Entry], new: dict[str, gitquery.Entry],
                 origin: str) -> tuple[list[Change], list[Notification]]:
    """Changes between two blob listings (path -> entry): read both versions of each changed file in one
    ``cat-file`` batch. Submodules, binary and unreadable blobs become notes."""
    notes: list[Notification] = []
    changed = sorted(p for p, e in new.items() if base.get(p) is None or base[p].sha != e.sha)
    for path in [p for p in changed if new[p].mode == _SUBMODULE]:
        notes.append(Notification("note", "submodule change not scanned (a separate repository)", path,
                                  "submodule"))
    changed = [p for p in changed if new[p].mode != _SUBMODULE]
    shas = [new[p].sha for p in changed] + [base[p].sha for p in changed if p in base]
    blobs = gitquery.read_blobs(root, shas, MAX_FILE_BYTES + 1) if shas else {}
    changes = []
    for path in changed:
        read = text_of(path, blobs.get(new[path].sha) or b"")
        if read.note:
            notes.append(read_note(path, read))
        if read.text is None:
            continue
        old_entry = base.get(path)
        keep_old = old_entry is not None and old_entry.mode != _SUBMODULE
        old_data = blobs.get(old_entry.sha) if old_entry is not None and keep_old else None
        old = text_of(path, old_data).text if old_data is not None else None
        changes.append(_change(ScanFile(path, mask_baseline_hashes(read.text), origin, read.truncated),
                               mask_baseline_hashes(old) if old is not None else None))
    return changes, notes


def _change(new: ScanFile, old: str | None) -> Change:
    base = ScanFile(new.path, old, new.origin) if old is not None else None
    new = ScanFile(new.path, new.text, new.origin, new.truncated, base_text=old)
    return Change(new, base, added_lines(old, new.text))


def added_lines(old: str | None, new: str) -> frozenset[int]:
    """1-based numbers of the lines of ``new`` that are not in ``old`` (inserted or rewritten), by difflib up to
    ``_LINEAR_DIFF_LINES`` lines, by content above; every line when ``old`` is None."""
    import difflib  # only a change to an existing file needs it

    new_lines = new.splitlines()
    if old is None:
        return frozenset(range(1, len(new_lines) + 1))
    old_lines = old.splitlines()
    if max(len(old_lines), len(new_lines)) > _LINEAR_DIFF_LINES:
        # difflib's matcher is quadratic on big rewrites (a 2 MB JSON data file regenerated in each of 45
        # commits took minutes: set 24 Cerebral-Hacks-Backend); by content instead: a line is added unless an
        # equal line of the old version is still unclaimed (a moved line counts as kept)
        unclaimed = Counter(old_lines)
        added = []
        for number, line in enumerate(new_lines, 1):
            if unclaimed[line] > 0:
                unclaimed[line] -= 1
            else:
                added.append(number)
        return frozenset(added)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    return frozenset(n + 1 for tag, _, _, j1, j2 in matcher.get_opcodes()
                     if tag in ("replace", "insert") for n in range(j1, j2))


def _blob_sha(text: str) -> str:
    """Git's SHA-1 blob id of ``text`` stored as UTF-8 (equal to the committed blob's id when unchanged)."""
    data = text.encode("utf-8", "surrogateescape")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def drop_vendored(root: Path, changes: list[Change],
                  attributes: bool = True) -> tuple[list[Change], list[Notification]]:
    """``changes`` without the files of vendored trees, classified as a work-tree scan classifies them (folder
    names, virtualenv and ``vendor/`` markers among the index's paths, ``.gitattributes`` linguist attributes,
    licence headers of the new versions), and one ``vendored`` note per tree; editor local-history copies
    (``.history/``) and compiled Python whose source ``X.py`` is not in the index stay under origin ``copy``,
    scanned for keys only, as in a work-tree scan (a ``.pyc`` whose source is there is skipped). Only the index's
    marker files and those sources are listed (the hook never lists the whole index). ``attributes`` False
    (auditor mode) leaves the linguist attributes out, with one note."""
    if not changes:
        return changes, []
    wanted = sorted({source_of(c.new.path) for c in changes if is_compiled(c.new.path)})
    try:
        listed = gitquery.ls_tracked_matching(root, MARKER_GLOBS)
        sources = gitquery.ls_tracked_paths(root, wanted) if wanted else []
    except git.GitError:  # a bare repository has no index
        listed, sources = [], []
    paths = sorted(set(listed) | {c.new.path for c in changes})
    texts = {c.new.path: c.new.text for c in changes}
    text, notes = linguist_attributes(repo_attributes(root), attributes)
    trees = VendoredTrees(paths, text, lambda rel: texts.get(rel, "")[:1024].encode("utf-8", "replace"),
                          partial=True, sources=sources)
    trees.mark_vendor(paths)
    kept, tree_notes = sort_out(trees, [(c.new.path, c.new.origin) for c in changes])
    notes += trees.notes + tree_notes
    origins = dict(kept)
    return [_relabel(c, origins[c.new.path]) for c in changes if c.new.path in origins], notes


def _relabel(change: Change, origin: str) -> Change:
    """``change`` with its versions under ``origin`` (an editor copy becomes ``copy``: scanned for keys only)."""
    if origin == change.new.origin:
        return change
    base = dataclasses.replace(change.base, origin=origin) if change.base is not None else None
    return dataclasses.replace(change, new=dataclasses.replace(change.new, origin=origin), base=base)
