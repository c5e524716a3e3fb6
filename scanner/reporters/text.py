"""The text reporter (rich): findings grouped by file, worst first, then notes and a summary line."""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from scanner.model import Finding, Notification, ScanResult, Severity
from scanner.pathnames import quote_path
from scanner.redact import escape_control

_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "note": "dim"}
#: Width when the output is not a terminal (files, pipes, CI logs): fixed, so runs are byte-identical.
FIXED_WIDTH = 100
_INDENT = 12
#: Notes shown (errors first); the rest are counted.
MAX_NOTES = 30
_LEVEL_RANK = {"error": 2, "warning": 1, "note": 0}


def render(result: ScanResult, *, width: int | None = None) -> str:
    """Render ``result`` for a person: one block per file (the file with the worst finding first), its
    findings worst first, then notes and a summary line. ``width`` is the terminal width; None means not a
    terminal (no colour, ``FIXED_WIDTH`` columns, byte-identical across runs). Everything the repository
    controls (paths, messages, snippets) is shown as plain text with control characters escaped: no rich
    markup and no terminal escape sequence from the repository ever reaches the screen."""
    buf = io.StringIO()
    console = Console(file=buf, width=width or FIXED_WIDTH, force_terminal=width is not None,
                      color_system="standard" if width else None, highlight=False, markup=False, emoji=False,
                      soft_wrap=False, legacy_windows=False)
    for path, findings in _by_file(result.findings):
        heading = Text.assemble((_plain(quote_path(path)), "bold underline"), f"  ({_count(len(findings), 'finding')})")
        console.print(heading)
        for f in findings:
            _print_finding(console, f)
        console.print()
    if result.notifications:
        console.print(Text("Notes", style="bold"))
        notes = sorted(result.notifications, key=lambda n: (-_LEVEL_RANK.get(n.level, 0), *n.sort_key()))
        for n in notes[:MAX_NOTES]:
            console.print(Padding(_note(n), (0, 0, 0, 2), expand=False))
        if len(notes) > MAX_NOTES:
            console.print(f"  ... and {len(notes) - MAX_NOTES} more (--format json lists all)")
        console.print()
    console.print(summary(result))
    if result.findings:
        console.print("Fix the worst first; `launch-ready explain ID` says how.")
    return "".join(line.rstrip(" ") + "\n" for line in buf.getvalue().splitlines())


def _by_file(findings: tuple[Finding, ...]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by path; files ordered by their worst finding, then path; findings worst first."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.location.path, []).append(f)
    for items in groups.values():
        items.sort(key=lambda f: (-f.severity.rank, f.location.line, f.location.column, f.rule_id,
                                  f.location.commit or ""))
    return sorted(groups.items(), key=lambda kv: (-kv[1][0].severity.rank, kv[0]))


def _print_finding(console: Console, f: Finding) -> None:
    loc = f.location
    sev = f.severity
    console.print(Text.assemble("  ", (f"{sev.value.upper():8}", _STYLE[sev]), "  ", (f.rule_id, "bold"), " ",
                                f.rule.slug, "  ", (f"line {loc.line}:{loc.column}", "dim")))
    body = Text(_plain(f.message))
    if f.snippet:
        body.append("\n")
        body.append(f"| {_plain(f.snippet)}", style="dim")
    if loc.commit:
        body.append("\n")
        body.append(f"in commit {_plain(loc.commit[:12])} (git history; not in the working tree)",
                    style="magenta")
    console.print(Padding(body, (0, 0, 0, _INDENT), expand=False))


def _note(n: Notification) -> Text:
    where = f"{_plain(quote_path(n.path))}: " if n.path else ""
    return Text.assemble((f"{n.level}:", _LEVEL_STYLE.get(n.level, "dim")), " ", where, _plain(n.message))


def summary(result: ScanResult) -> Text:
    """The last line: counts by severity, suppressed count and by what, files scanned, incompleteness."""
    counts = Counter(f.severity for f in result.findings)
    parts = [f"{counts[s]} {s.value}" for s in Severity if counts[s]]
    line = Text(_count(len(result.findings), "finding"), style="bold")
    if parts:
        line.append(f" ({', '.join(parts)})")
    if result.suppressed:
        by = Counter(f.suppression.kind if f.suppression else "unknown" for f in result.suppressed)
        kinds = ", ".join(f"{by[k]} {k}" for k in sorted(by))
        line.append(f", {len(result.suppressed)} suppressed ({kinds})")
    files = result.stats.get("files")
    if files is not None:
        line.append(f", {_count(files, 'file')} scanned")
    if result.incomplete:
        line.append(" - scan incomplete (see the errors above)", style="bold red")
    elif not result.findings:
        line.append(" - nothing to fix", style="green")
    return line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _plain(text: str) -> str:
    """Repository-controlled text made safe to show: control characters and bidi overrides escaped, and
    newlines and tabs too (a file name with a newline must not forge a report line)."""
    return escape_control(text).replace("\n", "\\n").replace("\t", "\\t")
