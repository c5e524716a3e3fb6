"""The command line (click): the only module that prints, the one error boundary, and the exit codes.

Exit codes (DESIGN.md section 4): 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, config or
internal error, or an incomplete scan (the report is still written); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from scanner import __version__
from scanner.errors import LaunchReadyError, UsageError

if TYPE_CHECKING:
    from scanner.config import Config
    from scanner.filters.baseline import Baseline

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
#: The engines ``--secrets-only`` runs (the fast hook never imports the code engines).
SEVERITIES = ["critical", "high", "medium", "low", "info"]
FORMATS = ["text", "json", "sarif", "markdown", "github"]
F = TypeVar("F", bound=Callable[..., Any])

PRECEDENCE_HELP = (
    "Config precedence: command-line flags, then --config FILE, then .launch-ready.toml, then "
    "[tool.launch-ready] in pyproject.toml (both looked up from the scan root up to the repository root), "
    "then defaults. --no-config skips the repository's own files, inline suppressions and baseline."
)



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="launch-ready")
def main() -> None:
    """launch-ready: find leaked keys, unauthenticated AI routes, sensitive logging and open CORS before launch.

    The scanner makes no network call, ever.
    """


def _scan_options(func: F) -> F:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--history", is_flag=True, help="Also scan every commit on every ref (secrets)."),
        click.option("--staged", is_flag=True, help="Scan only staged content (what the hook runs)."),
        click.option("--since", metavar="REF", help="Report only findings new since REF."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
        click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report to FILE."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                     help="Exit 1 on findings at or above this severity [default: low]."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (still 2 on errors)."),
        click.option("--baseline", type=click.Path(path_type=Path), help="Report only findings not in FILE."),
        click.option("--config", "config_file", type=click.Path(path_type=Path), help="Config file to use."),
        click.option("--no-config", is_flag=True,
                     help="Auditor mode: ignore the repository's config, inline suppressions and baseline."),
        click.option("--select", metavar="IDS", help="Comma-separated rule codes, slugs or families to run."),
        click.option("--ignore", metavar="IDS", help="Comma-separated rule codes, slugs or families to skip."),
        click.option("--jobs", type=int, default=0, help="Worker processes (default: all cores)."),
        click.option("--category", metavar="NAME", help="SARIF automationDetails.id."),
        click.option("--secrets-only", is_flag=True, help="Run the secrets rules only (fast hook)."),
        click.option("--strict", is_flag=True, help="Notes (skipped or unparsable files) count as errors."),
        click.option("--debug", is_flag=True, help="Tracebacks and timings on stderr."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command(epilog=PRECEDENCE_HELP)
@_scan_options
def scan(**kwargs: Any) -> None:
    """Scan PATH (default: the current folder) and report findings."""
    debug = bool(kwargs["debug"])
    started = time.perf_counter()
    try:
        code = _do_scan(kwargs)
    except KeyboardInterrupt:
        click.echo("launch-ready: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # the one error boundary
        _report_error(exc, debug)
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


def _known_errors() -> tuple[type[BaseException], ...]:
    return (LaunchReadyError, click.ClickException, OSError)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _do_scan(kw: dict[str, Any]) -> int:
    from scanner import api
    from scanner.filters import apply_filters, at_or_above, with_config_notes
    from scanner.model import Severity
    from scanner.reporters import get_reporter

    paths: tuple[Path, ...] = kw["paths"] or (Path("."),)
    if len(paths) > 1:
        raise UsageError("scan one PATH at a time")
    root = paths[0]
    config = _effective_config(root, kw)
    if kw["debug"]:
        click.echo(f"launch-ready: config from {config.source}", err=True)
    baseline, baseline_notes = _baseline_for(kw["baseline"], config.no_config)
    families = ("secrets",) if kw["secrets_only"] else api.ScanOptions().families
    options = api.ScanOptions(history=kw["history"], staged=kw["staged"], since=kw["since"], jobs=kw["jobs"],
                              families=families, category=kw["category"], baseline=baseline)
    with _history_progress(kw["history"]) as progress:
        raw = api.scan(root, config, options, progress)
    result = apply_filters(raw, config)
    result = with_config_notes(result, config, baseline_notes)
    width = _terminal_width(kw["output"], kw["fmt"])
    report = get_reporter(kw["fmt"])(result, width=width)
    _write(report, kw["output"])
    return _exit_code(result, Severity.parse(config.fail_on), kw["exit_zero"], kw["strict"], at_or_above)


@contextlib.contextmanager
def _history_progress(wanted: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar for history commits (done / total, rate) on stderr, only when it is a terminal."""
    if not wanted or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("history"), BarColumn(), MofNCompleteColumn(), TextColumn("commits"),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("history", total=None, rate="")
        started = time.perf_counter()

        def update(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-6)
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} commits/s")

        yield update


def _effective_config(root: Path, kw: dict[str, Any]) -> Config:
    """The repository's config (DESIGN.md section 4 precedence) with the command-line flags applied last."""
    from scanner.config import load_config

    config = load_config(root, kw.get("config_file"), no_config=bool(kw.get("no_config")))
    return dataclasses.replace(
        config,
        # auditor mode scans baseline-named files too: a repository must not hide keys behind the name
        exclude=config.exclude + (() if kw.get("no_config") else
                                  _baseline_globs(root, kw.get("baseline") or kw.get("output"))),
        select=_split(kw.get("select")) or config.select,
        ignore=_split(kw.get("ignore")) + config.ignore,
        fail_on=kw.get("fail_on") or config.fail_on,
    )


def _baseline_globs(root: Path, named: Path | None) -> tuple[str, ...]:
    """Baseline files hold hashes, not code: never scanned (the default names anywhere, and ``named``)."""
    from scanner.filters.baseline import BASELINE_FILES

    if named is None or named.name in BASELINE_FILES:
        return BASELINE_FILES
    path, top = named.resolve(), root.resolve()
    return BASELINE_FILES + (("/" + path.relative_to(top).as_posix(),) if path.is_relative_to(top) else ())


def _baseline_for(path: Path | None, no_config: bool) -> tuple[Baseline | None, tuple[str, ...]]:
    """The baseline to apply (None without ``--baseline``) and warnings; auditor mode applies none."""
    from scanner.filters import baseline

    if path is None:
        return None, ()
    if no_config:
        return None, (f"--no-config: baseline {path} not applied (auditor mode)",)
    return baseline.load(path), ()


def _terminal_width(output: Path | None, fmt: str) -> int | None:
    if output is not None or fmt != "text" or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns


def _write(report: str, output: Path | None) -> None:
    # a non-UTF-8 file name reaches here as lone surrogates: write them as \udcXX escapes, never crash
    data = report.encode("utf-8", "backslashreplace")
    if output is not None:
        output.write_bytes(data)
        return
    stream = click.get_binary_stream("stdout")
    stream.write(data)
    stream.flush()


def _exit_code(result: Any, threshold: Any, exit_zero: bool, strict: bool, at_or_above: Any) -> int:
    if result.incomplete or (strict and any(n.level in ("note", "warning") for n in result.notifications)):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if at_or_above(result, threshold) else EXIT_OK


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
def explain(rule_id: str) -> None:
    """Print one rule's documentation (What it finds / Why it matters / Example / Fix)."""
    from scanner.registry import find_rule

    rule = find_rule(rule_id)
    if rule is None:
        click.echo(f"launch-ready: error: no rule {rule_id!r}; `launch-ready rules` lists them", err=True)
        sys.exit(EXIT_ERROR)
    from scanner.docs import rule_markdown

    click.echo(rule_markdown(rule), nl=False)


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


@baseline.command("create", epilog=PRECEDENCE_HELP)
@_baseline_options
def baseline_create(**kwargs: Any) -> None:
    """Write a new baseline of the findings in PATH (refuses to overwrite one)."""
    _guarded(lambda: _write_baseline(kwargs, update=False), bool(kwargs["debug"]))


@baseline.command("update", epilog=PRECEDENCE_HELP)
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
    from scanner.filters.baseline import DEFAULT_FILE, entries_of, load, render

    root: Path = kw["path"]
    out: Path = kw["output"] or root / DEFAULT_FILE
    kw = {**kw, "baseline": out}
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise UsageError(f"{out} is a symlink or not a regular file; refusing to write a baseline there")
    if out.exists() != update:
        other = "create" if update else "update"
        raise UsageError(f"{out} {'not found' if update else 'exists'}; use `launch-ready baseline {other}`")
    config = _effective_config(root, kw)
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
    entries = entries_of(result.findings)
    out.write_text(render(entries), encoding="utf-8")
    change = f" ({len(set(entries) - old)} added, {len(old - set(entries))} removed)" if update else ""
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} for {len(result.findings)} finding(s)"
    click.echo(f"launch-ready: wrote {count} to {out}{change}", err=True)
    return EXIT_OK


from scanner.probe.command import probe_command  # noqa: E402  (issue 14: the live checks live in scanner/probe)

main.add_command(probe_command)
