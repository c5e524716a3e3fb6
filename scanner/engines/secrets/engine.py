"""The secrets engine: files and fragments in, one finding per detected secret out (SEC rules and EXP204)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from scanner import redact
from scanner.config import Config
from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.secrets import notebook
from scanner.engines.secrets.detectors import Hit
from scanner.engines.secrets.matcher import scan_lines
from scanner.engines.secrets.rules import EXP204, NAMES, RULES, all_rules
from scanner.model import Finding, Location, Notification, Rule
from scanner.sources import Fragment, ScanFile

#: Origins scanned for SEC rules; ``bundle`` gives EXP204; ``ignored-env`` is not scanned here (a key in a
#: gitignored ``.env`` is where keys belong; the client-exposure engine reads those files).
SECRET_ORIGINS = ("source", "staged")
_SNIPPET_CONTEXT = 80


class SecretsEngine:
    """The ``secrets`` engine (Engine protocol): SEC rules on source and staged files and on fragments,
    EXP204 on built client bundles."""

    name = "secrets"

    def rules(self) -> tuple[Rule, ...]:
        """Every SEC rule and EXP204."""
        return all_rules()

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Scan ``ctx.files`` by origin and ``ctx.fragments``; never raises for bad input."""
        fragments = [as_fragment(f) for f in ctx.files if f.origin in (*SECRET_ORIGINS, "bundle")]
        findings, notes = scan_fragments([*fragments, *ctx.fragments], ctx.config)
        return EngineOutput(tuple(findings), tuple(notes))


def as_fragment(file: ScanFile) -> Fragment:
    """A work-tree or staged file as a fragment of all its lines (1-based)."""
    return Fragment(file.path, tuple(enumerate(file.text.splitlines(), 1)), None, file.origin)


def scan_fragments(fragments: Iterable[Fragment], config: Config) -> tuple[list[Finding], list[Notification]]:
    """Scan fragments (work-tree files, staged or historical added lines) for secrets.

    Returns ``(findings, notifications)``: one finding per secret per line, fingerprint not yet set; a
    fragment of origin ``bundle`` yields EXP204 findings, ``ignored-env`` yields nothing. Picklable and safe
    in a fresh worker process: detect-secrets is imported and configured inside the adapter on first need.
    """
    findings: list[Finding] = []
    notes: list[Notification] = []
    for fragment in fragments:
        if fragment.origin == "ignored-env":
            continue
        findings += scan_fragment(fragment, notes)
    return findings, notes


def scan_fragment(fragment: Fragment, notes: list[Notification]) -> list[Finding]:
    """The findings of one fragment; odd input (an unparsable notebook) adds a note to ``notes``."""
    lines: Sequence[tuple[int, str]] = fragment.lines
    raw = dict(lines)
    if notebook.is_notebook(fragment.path):
        if fragment.commit is None and not notebook.is_valid("\n".join(raw.values())):
            notes.append(Notification("note", "notebook is not valid JSON; scanned as plain text",
                                      fragment.path, "parse-error"))
        lines = notebook.notebook_lines(lines)
    return [_finding(fragment, number, raw.get(number, text), hit)
            for number, text, hit in scan_lines(fragment.path, lines)]


def _finding(fragment: Fragment, number: int, raw_line: str, hit: Hit) -> Finding:
    start, end = _columns(raw_line, hit)
    bundle = fragment.origin == "bundle"
    rule = EXP204 if bundle else RULES[hit.rule_id]
    name = NAMES[hit.rule_id]
    if bundle:
        message = f"{_article(name)} {name} is inside a built client bundle: every visitor downloads it"
    else:
        message = f"Hard-coded {name}; revoke and rotate it, then read it from the environment"
    around = raw_line[max(0, start - _SNIPPET_CONTEXT): end + _SNIPPET_CONTEXT]
    return Finding(
        rule=rule,
        location=Location(fragment.path, number, start + 1, number, end + 1, fragment.commit),
        message=message,
        snippet=redact.snippet_of(around, [hit.value]),
        match_key=redact.secret_hash(rule.id, hit.value),
    )


def _columns(raw_line: str, hit: Hit) -> tuple[int, int]:
    """0-based start and end of the hit in the file's own line (a notebook line is JSON-escaped)."""
    if raw_line[hit.start:hit.end] == hit.value:
        return hit.start, hit.end
    found = raw_line.find(hit.value)
    return (found, found + len(hit.value)) if found >= 0 else (hit.start, hit.end)


def _article(name: str) -> str:
    return "An" if name[0].lower() in "aeio" else "A"


def classify_value(value: str) -> Rule | None:
    """The secret rule a bare value matches (``sk-proj-…`` -> SEC100), or None for a non-secret, a
    placeholder or a public-by-design key. Used to judge ``.env`` values behind public prefixes
    (``NEXT_PUBLIC_…=sk-proj-…``). Only vendor detectors apply (no keyword rules)."""
    from scanner.engines.secrets.matcher import scan_line

    value = value.strip().strip("\"'")
    for hit in scan_line("", value, generic=False):
        if hit.start == 0 and hit.end == len(value):
            return RULES[hit.rule_id]
    return None


def iter_rules() -> Iterator[Rule]:
    """Every rule of the engine (for the registry)."""
    yield from all_rules()
