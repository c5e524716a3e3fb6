"""The working-tree source: which files under the scan root are scanned, and their text (DESIGN.md section 3)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from scanner import git, gitquery
from scanner.model import Notification, ScanFile
from scanner.sources.compiled import is_compiled
from scanner.sources.ignore import IgnoreRules, read_lines
from scanner.sources.reading import ReadResult, mask_baseline_hashes, read_file, truncated_note
from scanner.sources.vendored import (
    LIBRARY_FILES,
    Tree,
    VendoredTrees,
    editor_copy,
    has_linguist_lines,
    prisma_client,
)

#: Built client bundle folders: scanned for keys (EXP204) even when gitignored.
BUNDLE_DIRS = (".next/static/", "dist/", "build/static/", "build/assets/", "out/_next/static/")
def is_env_file(path: str) -> bool:
    """True for ``.env``, ``.env.local``, ``.env.production`` and the like (any folder)."""
    name = path.rsplit("/", 1)[-1]
    return name == ".env" or name.startswith(".env.")


def list_paths(root: Path, include_vendored: bool = False, only: tuple[str, ...] = (),
               attributes: bool = True) -> tuple[list[tuple[str, str]], list[Notification]]:
    """The files to scan under ``root`` as ``(relative path, origin)`` pairs, sorted, plus notes.

    Tracked files (from the index), untracked files that no ignore rule covers, ignored ``.env*`` files
    (origin ``ignored-env``) and files in ignored bundle folders (origin ``bundle``). Ignore rules
    (``.gitignore`` files, ``.git/info/exclude``) are matched by :mod:`scanner.sources.ignore` (RE2), inside git
    and outside alike; git never evaluates them. Vendored trees (:mod:`scanner.sources.vendored`) are left out
    with one note each unless ``include_vendored``; ``attributes`` False (auditor mode, ``--no-config``) leaves the
    repository's ``.gitattributes`` linguist attributes out of that. ``only`` keeps the files under these
    relative paths. Named pipes, sockets and devices are listed too (reading them yields their note).

    Raises:
        git.GitError: git failed inside a work tree.
    """
    inside = gitquery.repo_toplevel(root) is not None
    nested: list[str] = []
    pairs = _git_paths(root, nested) if inside else _walk(root, "", _outer_rules(root, False), nested)
    if only:
        pairs = [(p, o) for p, o in pairs if _under(p, only)]
        nested = [n for n in nested if _under(n.rstrip("/"), only)]
    pairs, notes = drop_vendored(root, sorted(set(pairs)), include_vendored, attributes)
    notes += [Notification("note", "nested git repository (not a submodule): its files were scanned as plain "
                           "files, its history was not (scan it on its own with --history)", entry, "nested-repo")
              for entry in sorted(set(nested))]
    return pairs, notes


def _under(path: str, only: tuple[str, ...]) -> bool:
    return any(path == o.strip("/") or path.startswith(o.strip("/") + "/") or o in ("", ".") for o in only)


def _outer_rules(root: Path, inside: bool) -> IgnoreRules:
    """The rules from above the root: ``info/exclude`` and the ``.gitignore`` of each folder from the top of
    the work tree down to (not including) the root."""
    rules = IgnoreRules()
    if not inside:
        return rules
    prefix = gitquery.show_prefix(root)
    gitdir = gitquery.git_dir(root)
    exclude = read_lines(gitdir / "info" / "exclude") if gitdir is not None else None
    if exclude:
        rules.add_outer(exclude, prefix)
    parts = prefix.rstrip("/").split("/") if prefix else []
    for depth in range(len(parts)):
        lines = read_lines(root.joinpath(*([".."] * (len(parts) - depth))) / ".gitignore")
        if lines:
            rules.add_outer(lines, "".join(p + "/" for p in parts[depth:]))
    return rules


def _git_paths(root: Path, nested: list[str]) -> list[tuple[str, str]]:
    """Tracked and untracked files (see :func:`list_paths`); untracked folders that are git repositories of
    their own are walked like any untracked folder and appended to ``nested`` (git lists them, never their
    files)."""
    tracked = [p for p in gitquery.ls_tracked(root) if not p.endswith("/")]
    untracked = gitquery.ls_untracked(root)
    rules = _outer_rules(root, True)
    for path in sorted(p for p in (*tracked, *untracked) if p.rsplit("/", 1)[-1] == ".gitignore"):
        rules.add_file(root, path[: -len(".gitignore")])
    pairs = [(p, "source") for p in tracked]
    for entry in sorted(untracked):
        if entry.endswith("/"):
            if rules.ignored(entry[:-1], True):
                pairs += [(p, "bundle") for p in _bundle_files(root, entry)]
            else:
                pairs += _walk(root, entry, rules, nested)
        elif (origin := _origin(entry, rules.ignored(entry))) is not None:
            pairs.append((entry, origin))
    pairs += [(p, "source") for p in _special_files(root, [p for p, _ in pairs], rules)]
    return pairs


def _special_files(root: Path, listed: list[str], rules: IgnoreRules) -> list[str]:
    """Named pipes, sockets and devices (git lists none of them) in the folders of the ``listed`` files that
    no ignore rule covers: they are listed so that reading them yields their note (they are never opened).
    One ``scandir`` per folder, using the entry types the folder listing already holds."""
    found = []
    for folder in sorted({p.rsplit("/", 1)[0] + "/" if "/" in p else "" for p in listed}):
        try:
            with os.scandir(root / folder if folder else root) as entries:
                special = [e.name for e in entries if not (e.is_file(follow_symlinks=False)
                                                           or e.is_dir(follow_symlinks=False) or e.is_symlink())]
        except OSError:
            continue
        found += [folder + name for name in special if not rules.ignored(folder + name)]
    return found


def _origin(rel: str, ignored: bool) -> str | None:
    """Why a listed file is scanned (``source``, ``ignored-env``, ``bundle``), or None: an ignored file."""
    if not ignored:
        return "source"
    if is_env_file(rel):
        return "ignored-env"
    if any(rel.startswith(b) or f"/{b}" in rel for b in BUNDLE_DIRS):
        return "bundle"
    return None


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


def _walk(root: Path, start: str, rules: IgnoreRules, nested: list[str] | None = None) -> list[tuple[str, str]]:
    """Walk ``root/start`` (never into ``.git`` or through a symlink), loading each folder's ``.gitignore`` and
    pruning ignored folders (a file below an ignored folder is never re-included, as in git). Folders below the
    root that hold a ``.git`` of their own are appended to ``nested``."""
    out: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root / start, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        if nested is not None and rel_dir and (".git" in dirnames or ".git" in filenames):
            nested.append(rel_dir)
        rules.add_file(root, rel_dir)
        kept = []
        for name in sorted(dirnames):
            if name == ".git":
                continue
            if rules.match(rel_dir + name, True):
                out += [(p, "bundle") for p in _bundle_files(root, rel_dir + name + "/")]
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            origin = _origin(rel_dir + name, rules.match(rel_dir + name, False))
            if origin is not None:
                out.append((rel_dir + name, origin))
    return out


def drop_vendored(root: Path, pairs: list[tuple[str, str]], include_vendored: bool,
                  attributes: bool = True) -> tuple[list[tuple[str, str]], list[Notification]]:
    """``pairs`` without the files of vendored trees, and one ``vendored`` note per tree (folder, kind, file
    count, up to 20 example paths). With ``include_vendored`` nothing is dropped; ``attributes`` False ignores
    the ``.gitattributes`` linguist attributes (see :func:`linguist_attributes`)."""
    if include_vendored:
        return [(p, "copy" if is_compiled(p) and o == "source" else o) for p, o in pairs], []
    paths = [p for p, _ in pairs]
    text, notes = linguist_attributes(_attributes(root), attributes)
    trees = VendoredTrees(paths, text, lambda rel: _head(root, rel))
    trees.mark_vendor(paths)
    kept, tree_notes = sort_out(trees, pairs)
    return kept, notes + trees.notes + tree_notes


def linguist_attributes(text: str | None, trusted: bool) -> tuple[str | None, list[Notification]]:
    """The ``.gitattributes`` text to classify vendored paths by, and a note: in auditor mode (``trusted``
    False) none, with one note when the file marks paths linguist-vendored or -generated (the repository must
    not be able to hide files from an audit)."""
    if trusted or not has_linguist_lines(text):
        return text if trusted else None, []
    return None, [Notification("note", "--no-config: its linguist-vendored / linguist-generated attributes were "
                               "not applied (auditor mode: the repository cannot hide files); those files were "
                               "scanned", ".gitattributes", "config")]


def sort_out(trees: VendoredTrees, pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[Notification]]:
    """``(path, origin)`` pairs without the files of ``trees``' vendored trees (bundles stay: they are scanned
    for keys), editor local-history copies, compiled output, a generated Prisma client and compiled Python without
    its source re-labelled origin ``copy`` (keys only), and the notes: one per vendored tree, one for each kind of
    copy. Shared by the work-tree scan and the staged / ``--since`` scans."""
    kept: list[tuple[str, str]] = []
    skipped: dict[Tree, list[str]] = {}
    copies: dict[Callable[[list[str]], Notification], list[str]] = {}
    compiled = compiled_copies(p for p, _ in pairs)
    for path, origin in pairs:
        tree = None if origin == "bundle" else trees.classify(path)
        note = _keys_only_note(path, compiled, trees) if origin in ("source", "staged") else None
        if tree is not None:
            skipped.setdefault(tree, []).append(path)
        elif note is not None:
            kept.append((path, "copy"))
            copies.setdefault(note, []).append(path)
        else:
            kept.append((path, origin))
    notes = [vendored_note(tree, files) for tree, files in sorted(skipped.items(), key=lambda t: t[0].folder)]
    kinds = (copies_note, compiled_note, generated_note, bytecode_note, bytecode_with_source_note)
    return kept, notes + [note(copies[note]) for note in kinds if note in copies]


def _keys_only_note(path: str, compiled: set[str],
                    trees: VendoredTrees) -> Callable[[list[str]], Notification] | None:
    """The note of the kind of copy ``path`` is (scanned for keys only), or None for the team's own file."""
    if editor_copy(path):
        return copies_note
    if path in compiled:
        return compiled_note
    if prisma_client(path):
        return generated_note
    if not is_compiled(path):
        return None
    return bytecode_with_source_note if trees.has_source(path) else bytecode_note


#: A compiled file in an output folder: ``backend/dist/controllers/chat.js`` (tsc, babel, swc output).
_COMPILED = re.compile(r"^(?P<base>(?:.*/)?)(?:dist|build|out|lib)/(?P<rel>.+?)\.(?:[cm]?js)(?:\.map)?$")
_SOURCE_EXTS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx")


def compiled_copies(paths: Iterable[str]) -> set[str]:
    """The compiled files among ``paths`` whose source is there too: ``X/dist/a/b.js`` beside ``X/src/a/b.ts``
    (tsc's ``outDir`` with ``rootDir: src``) or ``X/dist/src/a/b.js`` beside ``X/src/a/b.ts``. The team's code,
    but a second copy of it: scanned for keys, not for code rules, which would report every hole twice."""
    listed = set(paths)
    out = set()
    for path in listed:
        match = _COMPILED.match(path)
        if match is None:
            continue
        base, rel = match.group("base"), match.group("rel")
        stems = (f"{base}src/{rel}", f"{base}{rel}") if rel.startswith("src/") else (f"{base}src/{rel}",)
        if any(stem + ext in listed for stem in stems for ext in _SOURCE_EXTS):
            out.add(path)
    return out


def compiled_note(files: list[str]) -> Notification:
    """The one note for compiled output that mirrors the project's sources, scanned for keys only."""
    message = (f"{len(files):,} compiled file{'s' if len(files) != 1 else ''} (an output folder mirroring src/) "
               "scanned for keys only, not for code rules")
    return Notification("note", message, None, "vendored", len(files), tuple(sorted(files)[:20]))


def generated_note(files: list[str]) -> Notification:
    """The one note for a Prisma client generated into the project, scanned for keys only."""
    message = (f"{len(files):,} file{'s' if len(files) != 1 else ''} of a Prisma client generated into the project "
               "scanned for keys only (it can inline the database URL), not for code rules")
    return Notification("note", message, None, "vendored", len(files), tuple(sorted(files)[:20]))


def bytecode_note(files: list[str]) -> Notification:
    """The one note for compiled Python committed without its source (``__pycache__/env.cpython-311.pyc`` of a
    gitignored ``env.py``): its string constants are scanned for keys, never for code rules."""
    message = (f"{len(files):,} compiled Python file{'s' if len(files) != 1 else ''} (.pyc) whose source is not in "
               "the scan: string constants scanned for keys only")
    return Notification("note", message, None, "vendored", len(files), tuple(sorted(files)[:20]))


def bytecode_with_source_note(files: list[str]) -> Notification:
    """The one note for compiled Python committed beside its source: scanned for keys (a key the source no
    longer holds), a key in both being one finding, at the source."""
    several = len(files) != 1
    message = (f"{len(files):,} compiled Python file{'s' if several else ''} (.pyc) beside "
               f"{'their sources' if several else 'its source'}: string constants scanned for keys only (a key "
               "also in the source is reported there)")
    return Notification("note", message, None, "vendored", len(files), tuple(sorted(files)[:20]))


def copies_note(files: list[str]) -> Notification:
    """The one note for editor local-history copies, scanned for keys only (code rules would repeat the live
    file's findings once per saved copy)."""
    message = (f"{len(files):,} editor local-history cop{'ies' if len(files) != 1 else 'y'} (.history/) scanned "
               "for keys only, not for code rules")
    return Notification("note", message, None, "vendored", len(files), tuple(files[:20]))


def vendored_note(tree: Tree, files: list[str]) -> Notification:
    """The one note for a skipped vendored tree, placed at the tree's folder; a library file known by name or
    licence banner alone is named when it is the only one (``app.min.js`` with a banner may be the team's own)."""
    message = (f"{len(files):,} file{'s' if len(files) != 1 else ''} not scanned: {tree.kind} "
               "(third-party or generated; --include-vendored scans them)")
    where = files[0] if len(files) == 1 and tree.kind == LIBRARY_FILES else tree.folder or None
    return Notification("note", message, where, "vendored", len(files), tuple(files[:20]))


def _attributes(root: Path) -> str | None:
    lines = read_lines(root / ".gitattributes")
    return "\n".join(lines) if lines else None


def repo_attributes(root: Path) -> str | None:
    """The root ``.gitattributes`` as data (for ``linguist-vendored`` / ``linguist-generated``): the work tree's
    file, else HEAD's blob (a bare repository), else None. Read with ``cat-file``: no filter runs."""
    text = _attributes(root)
    if text is not None:
        return text
    try:
        blob = git.run_git(root, "cat-file", "blob", "HEAD:.gitattributes", check=False)
    except git.GitError:
        return None
    return blob.decode("utf-8", "replace")[:1 << 20] or None


def _head(root: Path, rel: str) -> bytes:
    result = read_file(root, rel, max_bytes=1024)
    return (result.text or "").encode("utf-8", "replace")[:1024]


def load_files(root: Path, include_vendored: bool = False, only: tuple[str, ...] = (),
               attributes: bool = True) -> tuple[list[ScanFile], list[Notification]]:
    """Read every file :func:`list_paths` names, once. Skipped or odd files become notifications (kind
    ``binary`` for a binary file, ``skipped`` for one that cannot be read, ``read`` for an oddity).

    Raises:
        git.GitError: git failed inside a work tree.
    """
    paths, notes = list_paths(root, include_vendored, only, attributes)
    files: list[ScanFile] = []
    for rel, origin in paths:
        result = read_file(root, rel)
        if result.note:
            notes.append(read_note(rel, result))
        if result.text is not None:
            files.append(ScanFile(rel, mask_baseline_hashes(result.text), origin, result.truncated))
    return files, notes


def read_note(rel: str, result: ReadResult) -> Notification:
    """The note for a file read with a remark (``result.note`` set): an ``error`` for a file scanned only in
    part (over the size limit: the scan is incomplete), else a ``note`` of :func:`note_kind`."""
    if result.truncated:
        return Notification("error", truncated_note(result.size), rel, "read")
    return Notification("note", result.note or "", rel,
                        result.kind or note_kind(result.text, result.note or "", result.truncated))


def note_kind(text: str | None, note: str, truncated: bool = False) -> str:
    """The kind of a read note: ``binary`` (expected, never a problem), ``skipped`` (not scanned), ``decoded``
    (scanned whole after decoding as Latin-1, UTF-16 or UTF-32, or with stray NUL bytes: expected) or ``read``
    (scanned in part)."""
    if text is None:
        return "binary" if note.startswith("binary") else "skipped"
    return "read" if truncated else "decoded"
