"""The text reporter (rich): findings grouped by file, worst first, then notes and a summary line."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from scanner.model import Finding, ScanResult, Severity
from scanner.redact import escape_control

_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
FIXED_WIDTH = 100


def _safe(text: str) -> str:
    return escape(escape_control(text))


def render(result: ScanResult, *, width: int | None = None) -> str:
    """Render ``result`` for a person: one block per file, findings worst first; ``width`` None means not a
    terminal (no colour, fixed width, byte-identical across runs)."""
    buf = io.StringIO()
    console = Console(file=buf, width=width or FIXED_WIDTH, force_terminal=width is not None,
                      color_system="standard" if width else None, highlight=False, soft_wrap=False)
    by_path: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_path.setdefault(f.location.path, []).append(f)
    for path in sorted(by_path):
        console.print(Text(escape_control(path), style="bold underline"))
        for f in sorted(by_path[path], key=lambda f: (f.location.line, -f.severity.rank, f.rule_id)):
            _print_finding(console, f)
        console.print()
    for n in result.notifications:
        where = f"{_safe(n.path)}: " if n.path else ""
        console.print(f"[dim]{n.level}:[/dim] {where}{_safe(n.message)}")
    console.print(_summary(result))
    return buf.getvalue()


def _print_finding(console: Console, f: Finding) -> None:
    loc = f.location
    where = f"{loc.line}:{loc.column}"
    if loc.commit:
        where += f" @ {loc.commit[:12]}"
    sev = f.severity
    console.print(
        f"  [{_STYLE[sev]}]{sev.value.upper():8}[/] {where:>8}  [bold]{f.rule_id}[/bold] {f.rule.slug}: "
        f"{_safe(f.message)}"
    )
    if f.snippet:
        console.print(f"           [dim]{_safe(f.snippet)}[/dim]")


def _summary(result: ScanResult) -> str:
    counts = {s: 0 for s in Severity}
    for f in result.findings:
        counts[f.severity] += 1
    parts = [f"{counts[s]} {s.value}" for s in Severity if counts[s]]
    total = len(result.findings)
    line = f"{total} finding{'s' if total != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")
    if result.suppressed:
        line += f", {len(result.suppressed)} suppressed"
    files = result.stats.get("files")
    if files is not None:
        line += f" in {files} file{'s' if files != 1 else ''}"
    if result.incomplete:
        line += " [bold red]- scan incomplete[/]"
    return line
