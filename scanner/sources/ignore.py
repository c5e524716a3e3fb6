"""gitignore rules as data: git's pattern semantics translated to RE2 sets, so matching is linear in the path.

The translation follows git's ``gitignore(5)`` and ``wildmatch`` (``WM_PATHNAME``): ``*`` and ``?`` never match
``/``; a leading ``**/``, a trailing ``/**`` and an inner ``/**/`` cross folders (any other ``**`` is a plain
``*``); a pattern with a ``/`` at its start or middle is anchored to its file's folder, else it matches a name at
any depth; a trailing ``/`` matches folders only; ``!`` re-includes; ``\\`` escapes; unescaped trailing spaces are
dropped; ``#`` starts a comment. A deeper file's verdict wins over a shallower one; within a file, the last match
wins. A file below an excluded folder is never re-included: :meth:`IgnoreRules.ignored` checks folders first.

Repository patterns are never run by git nor by a backtracking engine (``re``, pathspec): each ignore file is one
``re2.Set`` (DFA, linear time), so a hostile ``.gitignore`` cannot make listing slow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: At most this many patterns are read from one ignore file (the rest are dropped).
MAX_PATTERNS = 10_000
#: A pattern longer than this can match no path (PATH_MAX) and is dropped.
MAX_PATTERN_CHARS = 4096
#: RE2 memory budget for one ignore file's set (bytes); a set over budget is matched pattern by pattern.
_MAX_MEM = 64 << 20


@dataclass(frozen=True)
class Pattern:
    """One parsed pattern: ``regex`` (RE2 syntax, anchored at both ends, matched against a path relative to the
    ignore file's folder without a trailing ``/``), ``negated`` (``!``), ``dir_only`` (trailing ``/``)."""

    regex: str
    negated: bool
    dir_only: bool
    source: str


def parse_line(line: str) -> Pattern | None:
    """One line of a gitignore file as a :class:`Pattern`, or None for a blank line or a comment."""
    text = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not text or text.startswith("#") or len(text) > MAX_PATTERN_CHARS:
        return None
    negated = text.startswith("!")
    if negated or text.startswith(("\\!", "\\#")):
        text = text[1:]
    dir_only = text.endswith("/") and not text.endswith("\\/")
    text = text.rstrip("/") if dir_only else text
    if not text:
        return None
    anchored = "/" in text
    text = text.lstrip("/") if anchored else text
    body = glob_to_regex(text)
    prefix = "" if anchored else "(?:.*/)?"
    return Pattern(f"^{prefix}{body}$", negated, dir_only, line)


def _strip_trailing_spaces(text: str) -> str:
    while text.endswith(" ") and not text.endswith("\\ "):
        text = text[:-1]
    return text


def glob_to_regex(glob: str) -> str:
    """The RE2 regex body (no anchors) for a wildmatch glob with ``/`` as separator (see module doc)."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*" and glob.startswith("**", i) and (i == 0 or glob[i - 1] == "/") and \
                (i + 2 == n or glob[i + 2] == "/"):
            if i + 2 == n:
                out.append(".*")
                i += 2
            else:
                out.append("(?:.*/)?")
                i += 3
            continue
        if c == "*":
            while i < n and glob[i] == "*":
                i += 1
            out.append("[^/]*")
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            cls, i = _bracket(glob, i)
            out.append(cls)
            continue
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(_escape(glob[i]))
        else:
            out.append(_escape(c))
        i += 1
    return "".join(out)


def _bracket(glob: str, start: int) -> tuple[str, int]:
    """A ``[...]`` class at ``start``: its RE2 form and the index after it (an unclosed ``[`` is literal)."""
    i = start + 1
    negate = i < len(glob) and glob[i] in "!^"
    i += negate
    members: list[str] = []
    first = True
    while i < len(glob) and (glob[i] != "]" or first):
        c = glob[i]
        if c == "\\" and i + 1 < len(glob):
            i += 1
            c = glob[i]
        if c == "[" and glob.startswith("[:", i):
            end = glob.find(":]", i + 2)
            if end != -1:
                members.append(glob[i:end + 2])
                i = end + 2
                first = False
                continue
        members.append(c if c == "-" and not first and i + 1 < len(glob) and glob[i + 1] != "]"
                       else _class_escape(c))
        first = False
        i += 1
    if i >= len(glob):
        return "\\[", start + 1
    return ("[^/" if negate else "[") + "".join(members) + "]", i + 1


def _escape(c: str) -> str:
    return "\\" + c if c in ".^$*+?()[]{}|\\" else c


def _class_escape(c: str) -> str:
    return "\\" + c if c in "\\]^-[" else c


class RuleFile:
    """The patterns of one ignore file whose folder is ``base`` (relative path ending in ``/``, ``""`` for the
    root), compiled into one RE2 set. ``truncated`` says patterns past ``MAX_PATTERNS`` were dropped."""

    def __init__(self, base: str, lines: list[str]) -> None:
        self.base = base
        parsed = [p for p in (parse_line(line) for line in lines) if p is not None]
        self.truncated = len(parsed) > MAX_PATTERNS
        self.patterns = parsed[:MAX_PATTERNS]
        self._set = _compile_set([p.regex for p in self.patterns])

    def verdict(self, rel: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included by ``!``) or None (no pattern matches) for ``rel``, a path
        relative to ``base``."""
        if self._set is None:
            return None
        hits = self._set.Match(_utf8(rel)) or ()
        last = max((i for i in hits if is_dir or not self.patterns[i].dir_only), default=None)
        return None if last is None else not self.patterns[last].negated


def _compile_set(regexes: list[str]) -> Any:
    """One RE2 set for ``regexes`` (None when empty); over RE2's memory budget, each pattern on its own."""
    if not regexes:
        return None
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = _MAX_MEM
    rset = re2.Set.SearchSet(options)
    for regex in regexes:
        try:
            rset.Add(regex)
        except Exception:  # RE2 rejects it: it never matches
            rset.Add("^\\x00never$")
    try:
        rset.Compile()
    except re2.error:
        return _OneByOne(regexes, options)
    return rset


class _OneByOne:
    """The fallback of a set too large to compile: each pattern compiled and matched alone (still RE2)."""

    def __init__(self, regexes: list[str], options: Any) -> None:
        import re2

        self.compiled: list[Any] = []
        for regex in regexes:
            try:
                self.compiled.append(re2.compile(regex, options))
            except re2.error:
                self.compiled.append(None)

    def Match(self, text: str) -> list[int]:
        """Indices of the patterns that match ``text``."""
        return [i for i, rx in enumerate(self.compiled) if rx is not None and rx.search(text) is not None]


def _utf8(path: str) -> str:
    """A path RE2 accepts: lone surrogates from a non-UTF-8 file name replaced."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class IgnoreRules:
    """Every ignore file of a tree, keyed by folder. Paths are relative to the scan root with ``/``. ``outer``
    files lie above the root (a folder inside a larger repository, ``.git/info/exclude``): their patterns see
    the path with ``lead`` (the root's path relative to their folder) in front."""

    def __init__(self) -> None:
        self.files: dict[str, RuleFile] = {}
        self.outer: list[tuple[RuleFile, str]] = []

    def add(self, base: str, lines: list[str]) -> RuleFile:
        """Add the ignore file of folder ``base`` (``""`` or ending in ``/``); later files for a base replace it."""
        self.files[base] = RuleFile(base, lines)
        return self.files[base]

    def add_outer(self, lines: list[str], lead: str) -> None:
        """Add an ignore file above the root (lowest precedence first: ``info/exclude``, then top to root)."""
        self.outer.append((RuleFile("", lines), lead))

    def add_file(self, top: Path, base: str, name: str = ".gitignore") -> RuleFile | None:
        """Read ``top/base/name`` (a regular file, not a symlink) and add it; None when there is none."""
        lines = read_lines(top / base / name)
        return None if lines is None else self.add(base, lines)

    def match(self, rel: str, is_dir: bool) -> bool:
        """Whether ``rel`` itself is ignored (its folders not checked: a walk prunes them first)."""
        verdict: bool | None = None
        for rule_file, lead in self.outer:
            found = rule_file.verdict(lead + rel, is_dir)
            verdict = found if found is not None else verdict
        for base in _bases(rel):
            inner = self.files.get(base)
            if inner is not None:
                found = inner.verdict(rel[len(base):], is_dir)
                verdict = found if found is not None else verdict
        return bool(verdict)

    def ignored(self, rel: str, is_dir: bool = False) -> bool:
        """Whether ``rel`` is ignored: one of its folders is, or it is (git's semantics)."""
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            if self.match("/".join(parts[:depth]), True):
                return True
        return self.match(rel, is_dir)


def read_lines(path: Path) -> list[str] | None:
    """The lines of an ignore or attributes file (a regular file, never a symlink), capped; None if absent."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_text("utf-8", "replace").splitlines()[: MAX_PATTERNS * 2]
    except OSError:
        return None


def _bases(rel: str) -> list[str]:
    """The folders whose ignore files apply to ``rel``, shallowest first (``""`` is the root)."""
    parts = rel.split("/")[:-1]
    return [""] + ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
