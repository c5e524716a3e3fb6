"""The ``launch-ready probe URL`` click command: arguments, the plan printed first, ``--dry-run``, the report and
the exit codes 0 (nothing at or above ``--fail-on``) / 1 (findings) / 2 (host unreachable, bad arguments) / 130.

Network libraries are imported only when the command runs, so ``scan`` and the hook never load them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
PROBE_FORMATS = ["text", "json", "markdown", "sarif"]


@click.command("probe")
@click.argument("url")
@click.option("--domain", metavar="DOMAIN", help="Check MX, SPF, DMARC and DKIM of this mail domain.")
@click.option("--routes", "routes_path", type=click.Path(path_type=Path), metavar="PATH|report.json",
              help="Route inventory: a source folder (scanned statically) or a launch-ready JSON report.")
@click.option("--burst", type=click.IntRange(0, 100), default=20, show_default=True,
              help="Requests sent to one model route to look for a rate limit (at most 100, within 20 s).")
@click.option("--dkim-selector", "dkim_selectors", multiple=True, metavar="S", help="DKIM selector (repeatable).")
@click.option("--nameserver", "nameservers", multiple=True, metavar="HOST:PORT",
              help="Ask this DNS server instead of the system resolver (repeatable).")
@click.option("--allow-writes", is_flag=True, help="Allow POST/PUT/PATCH/DELETE requests (bodies from schemas).")
@click.option("--dry-run", is_flag=True, help="Print the plan and stop; nothing is sent.")
@click.option("--http-port", type=click.IntRange(1, 65535), help="Plain-HTTP port to test for the redirect.")
@click.option("--ca-file", type=click.Path(exists=True, dir_okay=False), help="Extra CA bundle (PEM) to trust.")
@click.option("--timeout", type=click.FloatRange(0.1, 60.0), default=10.0, show_default=True,
              help="Seconds per request.")
@click.option("--max-requests", type=click.IntRange(1, 1000), default=300, show_default=True,
              help="Cap on HTTP requests for the whole run.")
@click.option("--max-seconds", type=click.FloatRange(1.0, 1800.0), default=180.0, show_default=True,
              help="Cap on the whole run's time.")
@click.option("--format", "fmt", type=click.Choice(PROBE_FORMATS), default="text", show_default=True,
              help="Report format (SARIF holds only findings tied to a route's source file).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice(["critical", "high", "medium", "low", "info"]), default="low",
              show_default=True, help="Exit 1 on findings at or above this severity.")
@click.option("--debug", is_flag=True, help="Tracebacks on stderr.")
def probe_command(**kw: Any) -> None:
    """Probe a deployed app at URL (opt-in network command): HTTPS/TLS, CORS, auth on member routes, rate
    limit, error leakage and, with --domain, email DNS. Prints its plan first; sends no cookie or credential."""
    try:
        code = _probe(kw)
    except KeyboardInterrupt:
        click.echo("launch-ready: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # the command's error boundary, as in cli.py
        from scanner.cli import _report_error

        _report_error(exc, bool(kw["debug"]))
        sys.exit(EXIT_ERROR)
    sys.exit(code)


def _probe(kw: dict[str, Any]) -> int:
    _require_extra()
    from scanner.cli import _terminal_width, _write
    from scanner.cli_args import Output, check_writable
    from scanner.filters import at_or_above
    from scanner.model import Severity
    from scanner.probe.plan import build_plan, render_plan
    from scanner.probe.runner import merged, run_probe, source_only
    from scanner.probe.scope import Scope
    from scanner.reporters import get_reporter

    Scope.for_url(kw["url"])  # a bad URL (or one with credentials) is refused before anything is printed or sent
    check_writable([Output(kw["fmt"], kw["output"])])
    static = _static(kw)
    options = _options(kw, static.routes if static else ())
    plan = render_plan(build_plan(options))
    click.echo(plan, nl=False, err=not kw["dry_run"])
    if kw["dry_run"]:
        return EXIT_OK
    result = run_probe(options)
    shown = source_only(result) if kw["fmt"] == "sarif" else result
    if kw["fmt"] == "markdown" and static is not None:
        shown = merged(static, result)  # the scorecard: static and live rows together
    _write(get_reporter(kw["fmt"])(shown, width=_terminal_width(kw["output"], kw["fmt"])), kw["output"])
    if result.incomplete:  # a check that could not finish: a gate must not pass on what was not tested
        click.echo("launch-ready: incomplete probe: "
                   + next(n.message for n in result.notifications if n.level == "error"), err=True)
        return EXIT_ERROR
    return EXIT_FINDINGS if at_or_above(shown, Severity.parse(kw["fail_on"])) else EXIT_OK


def _require_extra() -> None:
    """Raise a usage error naming the ``probe`` extra when its libraries are not installed."""
    import importlib.util

    from scanner.errors import UsageError

    needed = ("httpx", "dns", "checkdmarc", "dkim", "publicsuffixlist")
    missing = [m for m in needed if not importlib.util.find_spec(m)]
    if missing:
        raise UsageError(f"launch-ready probe needs {', '.join(missing)}: pip install 'launch-ready[probe]'")


def _static(kw: dict[str, Any]) -> Any:
    """The static scan (or JSON report) named by ``--routes``, or None."""
    from scanner.probe.mail import check_domain, nameservers
    from scanner.probe.routes import load_static

    nameservers(tuple(kw["nameservers"]))  # a bad --nameserver is a usage error before anything is sent
    if kw["domain"]:
        # so is an IP address, or a special-use name for the system resolver
        kw["domain"] = check_domain(kw["domain"], own_resolver=bool(kw["nameservers"]))
    return load_static(kw["routes_path"]) if kw["routes_path"] else None


def _options(kw: dict[str, Any], found: Any) -> Any:
    from scanner.model import RouteInfo
    from scanner.probe.context import ProbeOptions

    routes = tuple(sorted(found, key=RouteInfo.sort_key))
    return ProbeOptions(url=kw["url"], domain=kw["domain"], routes=routes, burst=kw["burst"],
                        dkim_selectors=tuple(kw["dkim_selectors"]), nameservers=tuple(kw["nameservers"]),
                        allow_writes=kw["allow_writes"], http_port=kw["http_port"], ca_file=kw["ca_file"],
                        timeout=kw["timeout"], max_requests=kw["max_requests"], max_seconds=kw["max_seconds"])
