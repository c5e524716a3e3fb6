"""The command line (click): the only module that prints, the one error boundary, and the exit codes.

Exit codes (DESIGN.md section 4): 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, config or
internal error, or an incomplete scan (the report is still written); 130 interrupted.
"""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from scanner import __version__
from scanner.cli_args import FORMATS, Output
from scanner.cli_plan import DEFAULT_BASELINE, EXIT_ERROR, EXIT_OK, effective_config, exit_code, prepare
from scanner.errors import LaunchReadyError, UsageError

if TYPE_CHECKING:
    from scanner.model import ScanResult

EXIT_INTERRUPTED = 130
SEVERITIES = ["critical", "high", "medium", "low", "info"]
F = TypeVar("F", bound=Callable[..., Any])

_PRECEDENCE = (
    "Config precedence: command-line flags, then --config FILE, then .launch-ready.toml, then "
    "[tool.launch-ready] in pyproject.toml (both looked up from the scan root up to the repository root), "
    "then defaults."
)
#: ``scan``'s epilog; ``baseline`` has no ``--no-config`` (a baseline of an auditor's view would suppress nothing
#: the repository hides), so its epilog does not mention it.
PRECEDENCE_HELP = _PRECEDENCE + " --no-config skips the repository's own files, inline suppressions and baseline."
BASELINE_HELP = _PRECEDENCE


class _Cli(click.Group):
    """The command group; a usage error (an unknown option, a bad choice) is one line on stderr, exit 2, like
    every other refusal (click would print the usage, a hint and the error on three lines)."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """Run click without its standalone error printing; exits with click's code."""
        try:
            return super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
                exc.show()  # no command at all: the help, as click shows it
            else:
                click.echo(f"launch-ready: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("launch-ready: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="launch-ready")
def main() -> None:
    """launch-ready: find leaked keys, unauthenticated AI routes, sensitive logging and open CORS before launch.

    The scanner makes no network call, ever.
    """


def _scan_options(func: F) -> F:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--history", is_flag=True, help="Also scan every commit on every ref (secrets)."),
        click.option("--staged", is_flag=True,
                     help="Scan only staged content (what the hook runs); in the pre-push stage the pushed "
                          "commits, as --range $PRE_COMMIT_FROM_REF..$PRE_COMMIT_TO_REF."),
        click.option("--since", metavar="REF",
                     help="What the branch adds since REF: secrets in every commit since the merge base, new "
                          "code findings in the tree."),
        click.option("--range", "commit_range", metavar="A..B",
                     help="Secrets in every commit of A..B, code rules on B's tree against A (pre-push, PRs)."),
        click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
                     help="Report format [default: text]; repeat with its own -o for several reports."),
        click.option("-o", "--output", "outputs", metavar="FILE", type=click.Path(path_type=Path), multiple=True,
                     help="Write the report of the matching --format to FILE (repeatable)."),
        *[click.option(f"--{fmt}-output", f"{fmt}_output", metavar="FILE", type=click.Path(path_type=Path),
                       help=f"Also write a {fmt} report to FILE.") for fmt in FORMATS],
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                     help="Exit 1 on findings at or above this severity [default: low]."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (still 2 on errors)."),
        click.option("--baseline", metavar="FILE", type=click.Path(path_type=Path),
                     help=f"Report only findings not in FILE [default: {DEFAULT_BASELINE} when present]."),
        click.option("--config", "config_file", type=click.Path(path_type=Path), help="Config file to use."),
        click.option("--no-config", is_flag=True,
                     help="Auditor mode: ignore the repository's config, inline suppressions and baseline."),
        click.option("--select", metavar="IDS", help="Comma-separated rule codes, slugs, families or prefixes."),
        click.option("--ignore", metavar="IDS", help="Comma-separated rule codes, slugs, families or prefixes."),
        click.option("--jobs", type=int, default=0,
                     help="Worker processes (default 0: all cores; for --history, one per 10,000 commits)."),
        click.option("--category", metavar="NAME", help="SARIF automationDetails.id."),
        click.option("--secrets-only", is_flag=True, help="Run the secrets rules only (fast hook)."),
        click.option("--include-vendored", is_flag=True,
                     help="Also scan third-party trees (node_modules/, virtualenvs, vendor/) that are skipped."),
        click.option("--strict", is_flag=True,
                     help="Unexpected notes (unparsable or unreadable files) count as errors; skipped "
                          "vendored and binary files never do."),
        click.option("-q", "--quiet", is_flag=True, help="No progress display; no report when nothing is found."),
        click.option("--statistics", is_flag=True, help="Print finding counts per rule instead of the report."),
        click.option("--debug", is_flag=True, help="Tracebacks, per-phase wall times and file counts on stderr."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command(epilog=PRECEDENCE_HELP)
@_scan_options
def scan(**kwargs: Any) -> None:
    """Scan PATHS (default: the current folder; files or folders) and report findings."""
    debug = bool(kwargs["debug"])
    started = time.perf_counter()
    try:
        code = _do_scan(kwargs)
    except KeyboardInterrupt:
        click.echo("launch-ready: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # the one error boundary
        _report_error(exc, debug)
        _error_sarif(kwargs, exc)
        sys.exit(EXIT_ERROR)
    if debug:
        click.echo(f"launch-ready: scan took {time.perf_counter() - started:.3f}s", err=True)
    sys.exit(code)


def _report_error(exc: BaseException, debug: bool) -> None:
    from scanner.redact import escape_control

    if debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    known = _known_errors()
    if isinstance(exc, known):
        message = str(exc)
    else:
        message = f"internal error ({type(exc).__name__}); run with --debug for details"
    from scanner.scrub import scrub_text

    click.echo(f"launch-ready: error: {escape_control(scrub_text(message))}", err=True)


def _error_sarif(kw: dict[str, Any], exc: BaseException) -> None:
    """A scan that failed before reporting still leaves every SARIF file asked for: an empty run whose
    invocation says why (so a CI upload step never gets nothing). Best effort: never raises, and never writes
    through a symlink or a symlinked folder (the refusal of one may be the error being reported)."""
    from scanner.model import Notification, ScanResult
    from scanner.reporters import get_reporter
    from scanner.scrub import scrub_text

    paths = [kw.get("sarif_output")]
    formats, outputs = kw.get("formats") or (), kw.get("outputs") or ()
    paths += [outputs[i] for i, fmt in enumerate(formats) if fmt == "sarif" and i < len(outputs)]
    message = str(exc) if isinstance(exc, _known_errors()) else f"internal error ({type(exc).__name__})"
    result = ScanResult(".", (), (Notification("error", scrub_text(message), None, "scan-error"),),
                        category=kw.get("category"))
    every = [p for p in (*outputs, *(kw.get(f"{fmt}_output") for fmt in FORMATS)) if p is not None]
    named = [os.path.abspath(p) for p in every]
    for path in paths:
        # never through a symlink (the refusal of one may be the very error being reported), and never a file the
        # command line names twice (that refusal is the error: the file is left as it was)
        if path is not None and not path.is_symlink() and named.count(os.path.abspath(path)) <= 1 and \
                os.path.realpath(path.parent) == os.path.abspath(path.parent):
            with contextlib.suppress(Exception):
                _write(get_reporter("sarif")(result, width=None), path)


def _known_errors() -> tuple[type[BaseException], ...]:
    return (LaunchReadyError, click.ClickException, OSError)


def _do_scan(kw: dict[str, Any]) -> int:
    from scanner import api
    from scanner.cli_progress import progress_for
    from scanner.filters import apply_filters, with_config_notes

    plan = prepare(kw)
    config, target = plan.config, plan.target
    if kw["debug"]:
        click.echo(f"launch-ready: config from {config.source}", err=True)
    terminal = sys.stderr.isatty() and not kw["quiet"]
    with progress_for(terminal, bool(kw["debug"]), lambda line: click.echo(line, err=True)) as progress:
        progress.start("scan")
        raw = api.scan(target.root, config, plan.options, progress)
        progress.finish("scan", raw.stats.get("files"))
    result = apply_filters(raw, config)
    result = with_config_notes(result, config, plan.baseline_notes)
    code = exit_code(result, config, kw)
    _emit_reports(result, plan.outputs, kw, code)
    if result.incomplete:
        click.echo(f"launch-ready: incomplete scan: {_why_incomplete(result)}", err=True)
    elif code == EXIT_ERROR:
        click.echo(f"launch-ready: --strict: {_why_strict(result)}", err=True)
    return code


def _emit_reports(result: ScanResult, outputs: tuple[Output, ...], kw: dict[str, Any], code: int) -> None:
    """Render every report from the one result; standard output gets statistics with ``--statistics`` and
    nothing with ``--quiet`` when there is nothing to say."""
    from scanner.reporters import get_reporter

    for out in outputs:
        if out.path is None and kw["statistics"]:
            _write(_statistics(result), None)
            continue
        if out.path is None and kw["quiet"] and code == EXIT_OK and not result.findings:
            continue
        width = _terminal_width(out.path, out.fmt)
        _write(get_reporter(out.fmt)(result, width=width), out.path)
    if kw["statistics"] and all(o.path is not None for o in outputs):
        _write(_statistics(result), None)


def _statistics(result: ScanResult) -> str:
    """Finding counts per rule, most first (``ruff --statistics``): ``   3  SEC101  openai-api-key``."""
    counts = collections.Counter(f.rule for f in result.findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].id))
    width = max((len(str(n)) for n in counts.values()), default=1)
    return "".join(f"{n:>{width}}  {r.id:8} {r.slug}\n" for r, n in ordered)


def _why_incomplete(result: ScanResult) -> str:
    """The first error note's message (and how many more), for the one stderr line of an incomplete scan."""
    from scanner.redact import escape_control

    errors = [n for n in result.notifications if n.level == "error"]
    first = errors[0]
    where = f"{first.path}: " if first.path else ""
    more = f" (and {len(errors) - 1} more error(s) in the report)" if len(errors) > 1 else ""
    return escape_control(f"{where}{first.message}{more}")


def _why_strict(result: ScanResult) -> str:
    """The first unexpected note (and how many more), for the one stderr line when ``--strict`` fails a scan."""
    from scanner.cli_plan import expected_note
    from scanner.redact import escape_control

    odd = [n for n in result.notifications if n.level in ("note", "warning") and not expected_note(n)]
    first = odd[0]
    where = f"{first.path}: " if first.path else ""
    more = f" (and {len(odd) - 1} more note(s) in the report)" if len(odd) > 1 else ""
    return escape_control(f"{where}{first.message}{more}")


def _terminal_width(output: Path | None, fmt: str) -> int | None:
    if output is not None or fmt != "text" or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns


def _write(report: str, output: Path | None) -> None:
    # a non-UTF-8 file name reaches here as lone surrogates: write them as \udcXX escapes, never crash
    data = report.encode("utf-8", "backslashreplace")
    if output is not None:  # never through a symlink (checked before the scan; O_NOFOLLOW closes the gap)
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return
    stream = sys.stdout.buffer
    stream.write(data)
    stream.flush()


@main.command("rules")
@click.option("--markdown", is_flag=True, help="Print docs/rules.md (every rule's documentation) instead.")
def rules_cmd(markdown: bool) -> None:
    """List every rule: code, slug, family, severity and one line of what it finds."""
    from scanner.docs import rules_markdown
    from scanner.registry import all_rules

    if markdown:
        click.echo(rules_markdown(all_rules()), nl=False)
        return
    for rule in all_rules():
        click.echo(f"{rule.id:8} {rule.slug:40} {rule.family:16} {rule.severity.value:8} {rule.short}")


@main.command()
@click.argument("rule_id")
@click.option("--markdown", "raw", is_flag=True, help="Print the raw Markdown instead of rendering it.")
def explain(rule_id: str, raw: bool) -> None:
    """Print one rule's documentation (What it finds / Why it matters / Example / Fix), rendered for the
    terminal (words never cut; `--markdown` for the source)."""
    from scanner.docs import rule_markdown
    from scanner.registry import all_rules, find_rule, unknown_names

    rule = find_rule(rule_id)
    if rule is None:
        close = unknown_names([rule_id], all_rules())[0][1]
        hint = f"did you mean {close}?" if close else "`launch-ready rules` lists them"
        click.echo(f"launch-ready: error: no rule {rule_id!r}; {hint}", err=True)
        sys.exit(EXIT_ERROR)
    if raw:
        click.echo(rule_markdown(rule), nl=False)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(highlight=False)
    with console.capture() as captured:
        console.print(Markdown(rule_markdown(rule)))
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


@main.group()
def baseline() -> None:
    """Write the baseline of current findings: rule, path and a hash of the matched content (no line numbers,
    no timestamps, no secret). `scan --baseline FILE` then reports only findings not in it."""


def _baseline_options(func: F) -> F:
    options = [
        click.argument("path", required=False, default=Path("."), type=click.Path(path_type=Path)),
        click.option("-o", "--output", type=click.Path(path_type=Path),
                     help="Baseline file [default: PATH/.launch-ready-baseline.json]."),
        click.option("--history", is_flag=True, help="Also baseline findings in every commit (secrets)."),
        click.option("--secrets-only", is_flag=True, help="Baseline the secrets rules only (the fast hook)."),
        click.option("--config", "config_file", type=click.Path(path_type=Path), help="Config file to use."),
        click.option("--select", metavar="IDS", help="Comma-separated rule codes, slugs or families."),
        click.option("--ignore", metavar="IDS", help="Comma-separated codes, slugs or families to skip."),
        click.option("--debug", is_flag=True, help="Tracebacks on stderr."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@baseline.command("create", epilog=BASELINE_HELP)
@_baseline_options
def baseline_create(**kwargs: Any) -> None:
    """Write a new baseline of the findings in PATH (refuses to overwrite one)."""
    _guarded(lambda: _write_baseline(kwargs, update=False), bool(kwargs["debug"]))


@baseline.command("update", epilog=BASELINE_HELP)
@_baseline_options
def baseline_update(**kwargs: Any) -> None:
    """Rewrite an existing baseline with the findings in PATH now (fixed ones drop out, new ones join)."""
    _guarded(lambda: _write_baseline(kwargs, update=True), bool(kwargs["debug"]))


def _guarded(action: Callable[[], int], debug: bool) -> None:
    """Run ``action`` inside the error boundary and exit with its code."""
    try:
        code = action()
    except KeyboardInterrupt:
        click.echo("launch-ready: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # the one error boundary
        _report_error(exc, debug)
        sys.exit(EXIT_ERROR)
    sys.exit(code)


def _write_baseline(kw: dict[str, Any], update: bool) -> int:
    from scanner import api
    from scanner.filters import apply_filters
    from scanner.filters.baseline import DEFAULT_FILE, entries_of, load, write

    root: Path = kw["path"]
    out: Path = kw["output"] or root / DEFAULT_FILE
    kw = {**kw, "baseline": out}
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise UsageError(f"{out} is a symlink or not a regular file; refusing to write a baseline there")
    if out.exists() != update:
        other = "create" if update else "update"
        why = "not found" if update else "exists"
        hint = "" if update else " (or delete it to start over)"
        raise UsageError(f"{out} {why}; use `launch-ready baseline {other}`{hint}")
    config = effective_config(root, kw)
    families = ("secrets",) if kw["secrets_only"] else api.ScanOptions().families
    options = api.ScanOptions(history=kw["history"], families=families)
    result = apply_filters(api.scan(root, config, options), config)
    if result.incomplete:
        first = next(n.message for n in result.notifications if n.level == "error")
        raise UsageError(f"scan incomplete, baseline not written: {first}")
    previous = load(out) if update else None
    if previous is not None and previous.kind != "launch-ready":
        raise UsageError(f"{out} is a {previous.kind} baseline; write launch-ready's elsewhere with --output")
    old = set(previous.entries) if previous is not None else set()
    # with the copies folded into a finding (a key also in a doc, a .pyc, an env file): each is accepted too
    entries = entries_of((*result.findings, *result.absorbed))
    write(out, entries)
    change = f" ({len(set(entries) - old)} added, {len(old - set(entries))} removed)" if update else ""
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} for {len(result.findings)} finding(s)"
    click.echo(f"launch-ready: wrote {count} to {out}{change}", err=True)
    return EXIT_OK


from scanner.probe.command import probe_command  # noqa: E402  (issue 14: the live checks live in scanner/probe)

main.add_command(probe_command)
