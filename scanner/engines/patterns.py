"""The custom-pattern engine: the config's own secret ``patterns``, run by RE2; rules SEC180-SEC184."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scanner.config import Config, SecretPattern, compile_re2
from scanner.engines.base import EngineOutput, ScanContext
from scanner.model import Finding, Fragment, Location, Notification, Rule, ScanFile, Severity
from scanner.redact import secret_hash, snippet_of

#: ``(path, commit, text, line numbers or None for 1, 2, ...)``
_Text = tuple[str, "str | None", str, "tuple[int, ...] | None"]

#: Matches reported per pattern and file at most; more become one note (a too-broad pattern).
MAX_MATCHES_PER_FILE = 200

_DOC = """## What it finds
A match of one of the repository's own secret `patterns` (config key `patterns`: name, regex, severity),
e.g. an internal service token format that no public detector knows. One rule per severity, because a
finding's severity is its rule's (GitHub reads severity from the rule).

## Why it matters
Your team declared that text of this shape is a credential. In the repository it is readable by everyone
with access to it, its forks and its history, and by every tool the code is copied into.

## Example
```
[[tool.launch-ready.patterns]]
name = "acme internal token"
regex = "acme_tok_([A-Za-z0-9]{32})"
severity = "high"
```

## Fix
Revoke and rotate the credential where it is issued first, then remove it from the code and load it from
the environment or a secret manager. When the regex has a capture group, group 1 is the secret (it is what
is hashed and redacted); otherwise the whole match is.
"""

_FIX = ("Revoke and rotate the credential where it is issued, then load it from the environment or a "
        "secret manager instead of the code.")


def _rule(code: str, severity: Severity) -> Rule:
    return Rule(
        id=code, slug=f"custom-pattern-{severity.value}", family="secrets", severity=severity,
        short=f"Text matches one of the repository's own secret patterns (severity {severity.value}).",
        doc=_DOC, fix=_FIX, cwe=(798,), precision="medium", engine="patterns",
    )


#: SEC180-SEC184: one rule per severity (the block SEC180-189 is reserved for custom patterns).
RULES: dict[Severity, Rule] = {
    sev: _rule(f"SEC18{i}", sev) for i, sev in enumerate(
        (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO))
}


@dataclass(frozen=True)
class _Compiled:
    pattern: SecretPattern
    rule: Rule
    regex: Any


class PatternsEngine:
    """Runs ``config.patterns`` over the files of the scan (work tree, or the new versions of changed files:
    diff-aware modes keep the findings on added lines) and over fragments. Regexes are compiled by RE2:
    linear time, bounded memory."""

    name = "patterns"

    def rules(self) -> tuple[Rule, ...]:
        """SEC180 (critical) to SEC184 (info)."""
        return tuple(RULES.values())

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Findings for every match; a pattern with too many matches in one file becomes a note."""
        if "secrets" not in ctx.families:
            return EngineOutput()
        findings, notes = _scan(_texts(ctx.files, ctx.fragments), ctx.config)
        return EngineOutput(tuple(findings), tuple(notes))


def scan_fragments(fragments: Iterable[Fragment], config: Config) -> tuple[list[Finding], list[Notification]]:
    """The custom patterns on fragments only (for the history source, next to the secrets engine's
    ``scan_fragments``; same signature, picklable arguments)."""
    return _scan(_texts((), fragments), config)


def _scan(texts: Iterable[_Text], config: Config) -> tuple[list[Finding], list[Notification]]:
    findings: list[Finding] = []
    notes: list[Notification] = []
    if not config.patterns:
        return findings, notes
    compiled = [_Compiled(p, RULES[Severity.parse(p.severity)], compile_re2(p.regex))
                for p in config.patterns]
    for path, commit, text, line_map in texts:
        for item in compiled:
            found = list(_matches(item, path, commit, text, line_map))
            if len(found) > MAX_MATCHES_PER_FILE:
                notes.append(_too_many(item.pattern.name, len(found), path))
            findings += found[:MAX_MATCHES_PER_FILE]
    return findings, notes


def _too_many(name: str, count: int, path: str) -> Notification:
    message = (f"custom pattern {name!r} matched {count} times; only the first {MAX_MATCHES_PER_FILE} "
               "are reported (is the regex too broad?)")
    return Notification("warning", message, path, "pattern")


def _texts(files: Iterable[ScanFile], fragments: Iterable[Fragment]) -> Iterator[_Text]:
    """``(path, commit, text, line numbers)``: whole files (line numbers None: 1, 2, ...) except ignored
    ``.env`` files (where keys belong), and fragments' lines joined by newlines."""
    for f in files:
        if f.origin != "ignored-env":
            yield f.path, None, f.text, None
    for frag in fragments:
        if frag.origin != "ignored-env" and frag.lines:
            yield (frag.path, frag.commit, "\n".join(t.rstrip("\r\n") for _, t in frag.lines),
                   tuple(n for n, _ in frag.lines))


def _matches(item: _Compiled, path: str, commit: str | None, text: str,
             line_map: tuple[int, ...] | None) -> Iterator[Finding]:
    starts: list[int] = []
    for match in item.regex.finditer(text):
        starts = starts or line_starts(text)
        group = 1 if item.regex.groups >= 1 and match.start(1) >= 0 else 0
        begin, end = match.start(group), match.end(group)
        if end <= begin:
            continue
        secret = text[begin:end]
        row = bisect.bisect_right(starts, begin) - 1
        end_row = bisect.bisect_right(starts, end - 1) - 1
        line_text = text[starts[row]: starts[row + 1] if row + 1 < len(starts) else len(text)]
        yield Finding(
            rule=item.rule,
            location=Location(path, _number(row, line_map), begin - starts[row] + 1,
                              _number(end_row, line_map), end - starts[end_row] + 1, commit),
            message=f"Matches the repository's secret pattern {item.pattern.name!r}",
            snippet=snippet_of(line_text, [secret]),
            context=f"pattern:{item.pattern.name}",
            match_key=secret_hash(item.rule.id, secret),
        )


def line_starts(text: str) -> list[int]:
    """Offsets (code points) at which each line of ``text`` starts: ``[0, ...]``."""
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _number(row: int, line_map: tuple[int, ...] | None) -> int:
    return line_map[row] if line_map is not None else row + 1
