"""Rate limiting: ``--burst N`` requests (at most 100, within 20 s) to one model route must meet a 429 or a
``Retry-After`` before the end (LR606 otherwise); the count at which it came is reported."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import httpx

from scanner.model import RouteInfo
from scanner.probe.auth import call, same_as_missing, sendable
from scanner.probe.context import BURST_SECONDS, MAX_BURST, ProbeContext


def burst_size(requested: int) -> int:
    """The burst actually sent: ``requested`` clamped to 0..100."""
    return max(0, min(requested, MAX_BURST))


def model_route(routes: tuple[RouteInfo, ...], open_routes: list[RouteInfo], allow_writes: bool) -> RouteInfo | None:
    """The route to burst: a model route that answered without a session first (it spends budget for anyone),
    then any model route the probe may call."""
    candidates = [r for r in open_routes if r.calls_model]
    candidates += [r for r in routes if r.calls_model and r.path and sendable(r, allow_writes)]
    return candidates[0] if candidates else None


def run(ctx: ProbeContext, open_routes: list[RouteInfo], openapi: dict[str, Any] | None) -> None:
    """Send the burst and record LR606 when no request was limited."""
    size = burst_size(ctx.options.burst)
    route = model_route(ctx.options.routes, open_routes, ctx.options.allow_writes)
    if size == 0 or route is None:
        why = "--burst 0" if size == 0 else "no model route the probe may call (routes, --allow-writes)"
        ctx.outcome.note(f"rate limit not tested: {why}")
        return
    started, sent = time.monotonic(), 0
    statuses: Counter[int] = Counter()
    catch_all: list[httpx.Response | None] = []
    while sent < size and time.monotonic() - started < BURST_SECONDS:
        response = call(ctx, route, openapi)
        if sent == 0 and response.is_success and same_as_missing(ctx, response, catch_all):
            ctx.outcome.note(f"rate limit not tested: {route.method} {route.path} answered with the page a path "
                             "that does not exist gets (a catch-all, such as an SPA's index.html): the model route "
                             "is not behind this URL")
            return
        sent += 1
        statuses[response.status_code] += 1
        ctx.outcome.mark("LR606")
        if response.status_code == 429 or "retry-after" in response.headers:
            ctx.outcome.stats["rate_limited_at"] = sent
            ctx.outcome.note(f"rate limit: {route.method} {route.path} limited at request {sent} of {size}")
            return
    ctx.outcome.stats["burst_sent"] = sent
    served = sum(n for status, n in statuses.items() if 200 <= status < 300)
    if sent < size:  # a slow route: the burst never reached the size a limit is set for
        ctx.outcome.note(f"rate limit not tested: only {sent} of {size} requests to {route.method} {route.path} "
                         f"fit in {BURST_SECONDS:g} s ({status_summary(statuses)})")
        return
    if not served:  # a login wall, a redirect or an error page answered: the model route was never reached
        ctx.outcome.note(f"rate limit not tested: none of the {sent} requests to {route.method} {route.path} was "
                         f"served ({status_summary(statuses)}); give the probe a route it may call")
        return
    ctx.add("LR606", f"{route.method} {route.path} answered {sent} requests in {time.monotonic() - started:.0f} s "
                     f"without a 429 or Retry-After ({status_summary(statuses)})", route=route)


def status_summary(statuses: Counter[int]) -> str:
    """``"200 x18, 500 x2"``: the answers of a burst, most frequent first."""
    return ", ".join(f"{status} x{n}" for status, n in statuses.most_common())
