"""Run the probe: the checks in a fixed order inside the scope and budget, into the same ScanResult the scan
reporters render (findings, notes, the route inventory, counters)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import httpx

from scanner.model import Finding, ScanResult
from scanner.probe import auth, cors, leakage, mail, rate, tls
from scanner.probe.bodies import OPENAPI_PATHS
from scanner.probe.context import ProbeContext, ProbeOptions
from scanner.probe.routes import WRITE_METHODS, first_method
from scanner.probe.scope import Budget, BudgetSpent, ProbeClient, ProbeError, Scope, ssl_context
from scanner.rulebook import PROBE_RULES


def run_probe(options: ProbeOptions) -> ScanResult:
    """Probe ``options.url`` and return the result (findings sorted and fingerprinted; ``root`` is the URL;
    ``rules`` only the live rules whose checks ran, so the scorecard does not pass a row that was skipped).

    Raises:
        ProbeError: bad arguments, or the host is unreachable (exit code 2).
        KeyboardInterrupt: Ctrl-C (the caller exits 130).
    """
    scope = Scope.for_url(options.url)
    client = ProbeClient(scope, Budget(options.max_requests, options.max_seconds),
                         ssl_context(options.ca_file), options.timeout)
    usable = tuple(r for r in options.routes if _sendable_path(r.path))
    ctx = ProbeContext.create(dataclasses.replace(options, routes=usable), client)
    for route in options.routes:
        if route not in usable:
            ctx.outcome.note(f"route {route.method} {route.path!r} ({route.location.path}:{route.location.line}) "
                             "skipped: its path holds a control character or space, not a URL path", "warning")
    try:
        try:
            _reach(ctx)
        except tls.NoModernTLS as exc:  # EDGE705 is recorded; nothing else can be asked over HTTPS
            ctx.outcome.note(f"{exc}: the other checks did not run", level="warning")
        else:
            _run_checks(ctx)
    finally:
        client.close()
    return _result(ctx)


def _sendable_path(path: str) -> bool:
    """False for a route path no request line can carry (a control character or space from the repository:
    ``/api/x\r\nX-Injected: 1``)."""
    return not any(ord(c) < 0x21 or 0x7F <= ord(c) < 0xA0 for c in path)


def _reach(ctx: ProbeContext) -> None:
    """Certificate first (https), then one GET of the target: a host that does not answer stops the probe."""
    try:
        if ctx.options.url.startswith("https://"):
            tls.check_certificate(ctx)
            if any(f.rule_id == "EDGE703" for f in ctx.outcome.findings):
                ctx.client.relax_verification()
                ctx.outcome.note("certificate does not verify: the other checks ran without verification")
        first = ctx.client.send("GET", ctx.options.url)
    except (OSError, httpx.TransportError) as exc:
        raise ProbeError(f"host unreachable: {ctx.options.url} ({type(exc).__name__}: {exc})") from None
    location = first.headers.get("location") if first.is_redirect else None
    # an http:// target's loop is the redirect-chain check's (EDGE702 "loops back to"); an https:// one's is here
    if location is not None and ctx.options.url.startswith("https://") and \
            _same_url(first.request.url.join(location), first.request.url):
        ctx.outcome.mark("EDGE702")
        ctx.add("EDGE702", f"{ctx.options.url} redirects to itself ({first.status_code}): a loop no browser can "
                           "leave", url=ctx.options.url)
        ctx.outcome.note(f"{ctx.options.url} redirects to itself: the other checks judged redirects, not pages",
                         level="warning")


def _same_url(a: httpx.URL, b: httpx.URL) -> bool:
    """True when two URLs name the same resource (an empty path is ``/``)."""
    return (a.scheme, a.host, a.port, a.path or "/", a.query) == (b.scheme, b.host, b.port, b.path or "/", b.query)


#: The live rules each step decides (a step that fails takes its codes out of the tested set).
STEP_CODES: dict[str, tuple[str, ...]] = {
    "https/tls": ("EDGE701", "EDGE702", "EDGE706"), "cors": ("CORS505", "CORS506", "CORS507"),
    "auth": ("AUTH308",), "errors": ("LR607",), "rate limit": ("LR606",),
    "email": ("EDGE707", "EDGE708", "EDGE709", "EDGE710"),
}


def _run_checks(ctx: ProbeContext) -> None:
    openapi: dict[str, Any] | None = None
    open_routes: list[Any] = []

    def do_auth() -> None:
        nonlocal openapi, open_routes
        openapi = _openapi(ctx)
        open_routes = auth.run(ctx, openapi)

    steps: list[tuple[str, Callable[[], None]]] = [
        ("https/tls", lambda: tls.run(ctx)), ("cors", lambda: cors.run(ctx)), ("auth", do_auth),
        ("errors", lambda: leakage.run(ctx)), ("rate limit", lambda: rate.run(ctx, open_routes, openapi)),
    ]
    if ctx.options.domain:
        steps.append(("email", lambda: mail.run(ctx, ctx.options.domain or "")))
    for name, step in steps:
        try:
            step()
        except BudgetSpent as exc:  # the cap stops the run: what did not run decides nothing (incomplete)
            _unfinished(ctx, name)
            ctx.outcome.note(f"{name}: stopped, {exc}; the remaining checks did not run", level="error")
            return
        except (ProbeError, httpx.HTTPError) as exc:
            # a check that could not finish decides nothing: its rows are not checked and the run is incomplete
            _unfinished(ctx, name)
            ctx.outcome.note(f"{name}: not completed ({type(exc).__name__}: {exc})", level="error")


def _unfinished(ctx: ProbeContext, step: str) -> None:
    """Take ``step``'s rules out of the tested set and record them as unfinished (``stats["unfinished_CODE"]``:
    the scorecard's rows for them say *not checked*, also when a static scan of the same rows ran)."""
    codes = STEP_CODES.get(step, ())
    ctx.outcome.tested.difference_update(codes)
    for code in codes:
        ctx.outcome.stats[f"unfinished_{code}"] = 1


def _openapi(ctx: ProbeContext) -> dict[str, Any] | None:
    """The app's OpenAPI document, fetched once when write routes will be called; None when it has none."""
    writes = any(first_method(r) in WRITE_METHODS for r in auth.member_routes(ctx.options.routes))
    if not (writes and ctx.options.allow_writes):
        return None
    for path in OPENAPI_PATHS:
        response = ctx.client.send("GET", ctx.url(path))
        if response.status_code == 200:
            try:
                doc = json.loads(response.content)
            except ValueError:
                continue
            if isinstance(doc, dict):
                return doc
    return None


def _result(ctx: ProbeContext) -> ScanResult:
    from scanner.api import assign_fingerprints

    outcome = ctx.outcome
    findings = tuple(sorted(assign_fingerprints(outcome.findings), key=Finding.sort_key))
    stats = {**outcome.stats, "requests": ctx.client.budget.spent}
    return ScanResult(root=ctx.options.url, findings=findings,
                      notifications=tuple(sorted(outcome.notes, key=lambda n: n.sort_key())),
                      rules=tuple(PROBE_RULES[c] for c in sorted(outcome.tested | {f.rule_id for f in findings})),
                      stats=stats, routes=ctx.options.routes)


def source_only(result: ScanResult) -> ScanResult:
    """``result`` with only the findings tied to a source file (for SARIF): live findings located at a URL or a
    DNS name are dropped."""
    import dataclasses

    kept = tuple(f for f in result.findings if "://" not in f.location.path and
                 not f.location.path.startswith("dns:"))
    return dataclasses.replace(result, findings=kept)


def merged(static: ScanResult, live: ScanResult) -> ScanResult:
    """One result for the launch scorecard: the static scan's findings, rules and notes with the live ones (the
    live rules fill the rows a repository cannot show: email authentication and edge/HTTPS/TLS)."""
    import dataclasses

    rules = {r.id: r for r in (*static.rules, *live.rules)}
    return dataclasses.replace(
        live, root=static.root,
        findings=tuple(sorted((*static.findings, *live.findings), key=Finding.sort_key)),
        notifications=tuple(sorted((*static.notifications, *live.notifications), key=lambda n: n.sort_key())),
        suppressed=static.suppressed, rules=tuple(sorted(rules.values(), key=lambda r: r.id)),
        stats={**static.stats, **live.stats})
