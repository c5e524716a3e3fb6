"""Inline suppressions: ``launch-ready: ignore[ID, ...]`` comments and detect-secrets' allowlist pragmas.

Syntax (README "Suppressions and baselines"): ``launch-ready: ignore[SEC101, cors-any-origin]`` inside a
comment of the file's language (:mod:`scanner.filters.comments`: ``#``, ``//``, ``/* */``, ``<!-- -->``, SQL
``--``; never inside a string literal or docstring, so a hostile file cannot hide a key behind
``KEY = "sk-... # launch-ready: ignore[SEC100]"``), on the finding's line, or alone on the line above (a
comment-only line, so that a trailing comment never hides a finding on the next line). Rule codes and slugs
are accepted. The id list is required: a bare ``launch-ready: ignore`` suppresses nothing and is reported as
a warning. For the secrets family, detect-secrets' ``pragma: allowlist secret`` (same line) and ``pragma:
allowlist nextline secret`` (line above) are honoured too (format: detect-secrets
``detect_secrets/filters/allowlist.py``), also only inside a comment.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from scanner.filters.comments import GENERIC, PYTHON, Span, Syntax, is_notebook, line_spans, notebook_line, syntax_for
from scanner.filters.lines import LineLookup
from scanner.model import Finding, Notification, ScanResult, Suppression
from scanner.sources.compiled import is_compiled

_DIRECTIVE = re.compile(r"launch-ready:[ \t]*ignore\b(?:\[([^\]\n]{0,1000})\])?", re.IGNORECASE)
_PRAGMA_SAME = re.compile(r"pragma:[ \t]*(?:allowlist|whitelist)[ -]secret", re.IGNORECASE)
_PRAGMA_NEXT = re.compile(r"pragma:[ \t]*allowlist[ -]nextline[ -]secret", re.IGNORECASE)
_IDS = re.compile(r"[A-Za-z0-9_-]+")
#: Characters that may stand outside the comment on a comment-only line (JSX ``{/* ... */}``).
_WRAPPERS = frozenset("{}")


@dataclasses.dataclass(frozen=True)
class Directive:
    """One ``launch-ready: ignore`` in a comment: the rule ids it names (upper-cased codes or lower-cased
    slugs; empty for a bare ignore) and its 0-based column."""

    ids: frozenset[str]
    column: int
    names: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class CodeLine:
    """A line as the comment lexer sees it: its ``text`` (for a notebook, the decoded cell line) and the
    ``comments`` spans on it."""

    text: str
    comments: tuple[Span, ...]

    def in_comment(self, column: int) -> bool:
        """True when ``column`` (0-based) lies inside a comment."""
        return any(start <= column < end for start, end in self.comments)

    def comment_only(self) -> bool:
        """True when the line holds a comment and nothing else (JSX braces around it aside)."""
        outside = [ch for i, ch in enumerate(self.text) if not ch.isspace() and not self.in_comment(i)]
        return bool(self.comments) and set(outside) <= _WRAPPERS


def code_line(line: str, syntax: Syntax = GENERIC) -> CodeLine:
    """``line`` lexed on its own with ``syntax`` (no file around it)."""
    return CodeLine(line, tuple(line_spans(line, syntax)))


def directives(line: str | CodeLine) -> list[Directive]:
    """Every ``launch-ready: ignore[...]`` directive of ``line`` that sits inside a comment (a string is lexed
    with the generic syntax; pass a :class:`CodeLine` for a file's own syntax)."""
    text = line.text if isinstance(line, CodeLine) else line
    if "launch-ready" not in text.lower():
        return []
    code = line if isinstance(line, CodeLine) else code_line(line)
    out = []
    for match in _DIRECTIVE.finditer(code.text):
        if code.in_comment(match.start()):
            names = _IDS.findall(match.group(1) or "")
            ids = frozenset(n.upper() for n in names) | {n.lower() for n in names}
            out.append(Directive(ids, match.start(), tuple(names)))
    return out


def is_comment_line(line: str | CodeLine) -> bool:
    """True when ``line`` holds only a comment (lexed with the generic syntax when given as a string)."""
    return (line if isinstance(line, CodeLine) else code_line(line)).comment_only()


def _has_marker(text: str) -> bool:
    lowered = text.lower()
    return "launch-ready" in lowered or "pragma" in lowered


def lexed(lookup: LineLookup, path: str, commit: str | None, number: int) -> CodeLine | None:
    """Line ``number`` of ``path`` with its comments, or None when it was not scanned. A whole file is lexed from
    its start (a line inside a docstring or string is no comment); a history line on its own."""
    line = lookup.line(path, commit, number)
    if line is None:
        return None
    if not _has_marker(line):
        return CodeLine(line, ())
    if is_notebook(path):
        code = notebook_line(line)
        return code_line(code, PYTHON) if code is not None else CodeLine(line, ())
    spans = lookup.comment_spans(path, commit, number, syntax_for(path))
    return CodeLine(line, tuple(spans)) if spans is not None else code_line(line, syntax_for(path))


def suppression_for(finding: Finding, lookup: LineLookup) -> Suppression | None:
    """The inline suppression that applies to ``finding``, or None. Directives and pragmas count only inside
    a comment of the file's language, never inside a string literal or docstring."""
    loc = finding.location
    if is_compiled(loc.path):
        return None  # compiled Python has no comments: its rendered constants cannot carry a directive
    here = lexed(lookup, loc.path, loc.commit, loc.line)
    above = lexed(lookup, loc.path, loc.commit, loc.line - 1) if loc.line > 1 else None
    if here is None:  # a history line we did not keep: its (redacted) snippet still has comments
        here = code_line(finding.snippet, syntax_for(loc.path))
    wanted = {finding.rule.id.upper(), finding.rule.slug.lower()}
    for where, line in (("line", here), ("line above", above)):
        if line is None or (where == "line above" and not line.comment_only()):
            continue
        for directive in directives(line):
            if directive.ids & wanted:
                return Suppression("inline", f"launch-ready: ignore[{finding.rule.id}] on the {where}")
    if finding.family == "secrets":
        return _pragma(here, above)
    return None


def _pragma(here: CodeLine, above: CodeLine | None) -> Suppression | None:
    if any(here.in_comment(m.start()) for m in _PRAGMA_SAME.finditer(here.text)):
        return Suppression("inline", "pragma: allowlist secret on the line")
    if above is not None and any(above.in_comment(m.start()) for m in _PRAGMA_NEXT.finditer(above.text)):
        return Suppression("inline", "pragma: allowlist nextline secret on the line above")
    return None


def bare_ignores(lookup: LineLookup) -> Iterator[Notification]:
    """A warning for each ``launch-ready: ignore`` without rule ids, and for each id that names no rule
    (``ignore[secrets]``, a typo), in the scanned files: both suppress nothing."""
    known: set[str] | None = None
    for path, text in lookup.texts():
        if "launch-ready" not in text.lower():
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            code = lexed(lookup, path, None, number) if "launch-ready" in line.lower() else None
            for directive in directives(code) if code is not None else ():
                if not directive.ids:
                    yield Notification(
                        "warning", f"line {number}: `launch-ready: ignore` without rule ids suppresses nothing; "
                        "name the rules, e.g. `launch-ready: ignore[SEC101]`", path, "bare-ignore")
                    continue
                known = known if known is not None else _rule_names()
                unknown = [n for n in directive.names if n.upper() not in known and n.lower() not in known]
                if unknown:
                    yield Notification(
                        "warning", f"line {number}: `launch-ready: ignore[{', '.join(unknown)}]` names no rule and "
                        "suppresses nothing; use rule codes or slugs (`launch-ready rules`)", path, "unknown-ignore")


def _rule_names() -> set[str]:
    from scanner.registry import all_rules

    return {r.id for r in all_rules()} | {r.slug for r in all_rules()}


def apply_inline(result: ScanResult, lookup: LineLookup) -> ScanResult:
    """Move inline-suppressed findings to ``result.suppressed`` (kind ``inline``) and add bare-ignore
    warnings to the notifications. Both tuples stay sorted."""
    kept: list[Finding] = []
    suppressed = list(result.suppressed)
    # one verdict per line and rule: a long line with thousands of keys (a bundle, a .pyc's one-line constant)
    # is lexed once, not once per finding
    verdicts: dict[tuple[str, str | None, int, str, str], Suppression | None] = {}
    for finding in result.findings:
        loc = finding.location
        kept_line = lookup.line(loc.path, loc.commit, loc.line) is not None
        key = (loc.path, loc.commit, loc.line, finding.rule.id, "" if kept_line else finding.snippet)
        if key not in verdicts:
            verdicts[key] = suppression_for(finding, lookup)
        why = verdicts[key]
        if why is None:
            kept.append(finding)
        else:
            suppressed.append(dataclasses.replace(finding, suppression=why))
    notes = set(result.notifications) | set(bare_ignores(lookup))
    return dataclasses.replace(
        result,
        findings=tuple(kept),
        suppressed=tuple(sorted(suppressed, key=Finding.sort_key)),
        notifications=tuple(sorted(notes, key=Notification.sort_key)),
    )
