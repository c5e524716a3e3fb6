"""Inline suppressions: ``launch-ready: ignore[ID, ...]`` comments and detect-secrets' allowlist pragmas.

Syntax (README "Suppressions and baselines"): ``launch-ready: ignore[SEC101, cors-any-origin]`` inside a
``#``, ``//``, ``/* */`` or ``<!-- -->`` comment, on the finding's line, or alone on the line above (a
comment-only line, so that a trailing comment never hides a finding on the next line). Rule codes and slugs
are accepted. The id list is required: a bare ``launch-ready: ignore`` suppresses nothing and is reported as
a warning. For the secrets family, detect-secrets' ``pragma: allowlist secret`` (same line) and ``pragma:
allowlist nextline secret`` (line above) are honoured too (format: detect-secrets
``detect_secrets/filters/allowlist.py``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from scanner.filters.lines import LineLookup
from scanner.model import Finding, Notification, ScanResult, Suppression

#: Comment openers after which a directive counts (``*`` is a block-comment continuation line).
OPENERS = ("#", "//", "/*", "<!--")
_COMMENT_LINE = (*OPENERS, "*", "{/*")
_DIRECTIVE = re.compile(r"launch-ready:[ \t]*ignore\b(?:\[([^\]\n]{0,1000})\])?", re.IGNORECASE)
_PRAGMA_SAME = re.compile(r"pragma:[ \t]*(?:allowlist|whitelist)[ -]secret", re.IGNORECASE)
_PRAGMA_NEXT = re.compile(r"pragma:[ \t]*allowlist[ -]nextline[ -]secret", re.IGNORECASE)
_IDS = re.compile(r"[A-Za-z0-9_-]+")


@dataclasses.dataclass(frozen=True)
class Directive:
    """One ``launch-ready: ignore`` in a comment: the rule ids it names (upper-cased codes or lower-cased
    slugs; empty for a bare ignore) and its 0-based column."""

    ids: frozenset[str]
    column: int
    names: tuple[str, ...] = ()


def directives(line: str) -> list[Directive]:
    """Every ``launch-ready: ignore[...]`` directive of ``line`` that sits inside a comment."""
    if "launch-ready" not in line.lower():
        return []
    out = []
    for match in _DIRECTIVE.finditer(line):
        if any(op in line[: match.start()] for op in OPENERS) or line.lstrip().startswith("*"):
            names = _IDS.findall(match.group(1) or "")
            ids = frozenset(n.upper() for n in names) | {n.lower() for n in names}
            out.append(Directive(ids, match.start(), tuple(names)))
    return out


def is_comment_line(line: str) -> bool:
    """True when ``line`` holds only a comment (it starts with a comment opener or ``*``)."""
    return line.lstrip().startswith(_COMMENT_LINE)


def suppression_for(finding: Finding, lookup: LineLookup) -> Suppression | None:
    """The inline suppression that applies to ``finding``, or None."""
    loc = finding.location
    here = lookup.line(loc.path, loc.commit, loc.line)
    above = lookup.line(loc.path, loc.commit, loc.line - 1) if loc.line > 1 else None
    if here is None:
        here = finding.snippet  # a history line we did not keep: its (redacted) snippet still has comments
    wanted = {finding.rule.id.upper(), finding.rule.slug.lower()}
    for where, line in (("line", here), ("line above", above)):
        if line is None or (where == "line above" and not is_comment_line(line)):
            continue
        for directive in directives(line):
            if directive.ids & wanted:
                return Suppression("inline", f"launch-ready: ignore[{finding.rule.id}] on the {where}")
    if finding.family == "secrets":
        return _pragma(here, above)
    return None


def _pragma(here: str, above: str | None) -> Suppression | None:
    if _PRAGMA_SAME.search(here):
        return Suppression("inline", "pragma: allowlist secret on the line")
    if above is not None and _PRAGMA_NEXT.search(above):
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
            for directive in directives(line):
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
    for finding in result.findings:
        why = suppression_for(finding, lookup)
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
