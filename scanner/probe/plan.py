"""The probe's plan, printed before anything is sent (and all that ``--dry-run`` does): the host, how many requests
each check sends at most, with which methods, and the DNS questions."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from scanner.probe import auth, rate
from scanner.probe.context import ProbeOptions
from scanner.probe.mail import dns_queries
from scanner.probe.routes import WRITE_METHODS, first_method
from scanner.probe.scope import Scope


@dataclass(frozen=True)
class PlannedCheck:
    """One check: its name, the most requests it sends, the methods it uses, and a short note."""

    name: str
    max_requests: int
    methods: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Plan:
    """What the probe will do: HTTP checks against ``host`` (and redirects inside ``domain``), DNS questions."""

    url: str
    host: str
    domain: str
    checks: tuple[PlannedCheck, ...]
    dns: tuple[str, ...]
    nameservers: str
    #: ``--max-requests``: the cap on the whole run.
    cap: int = 300

    @property
    def max_requests(self) -> int:
        """The most HTTP requests (and TLS handshakes) the checks send together, at most ``cap``."""
        return min(sum(c.max_requests for c in self.checks), self.cap)


def build_plan(options: ProbeOptions) -> Plan:
    """The plan for ``options`` (no network: this only counts).

    Raises:
        ProbeError: the URL is not an absolute http(s) URL.
    """
    scope = Scope.for_url(options.url)
    https = httpx.URL(options.url).scheme == "https"
    checks = [PlannedCheck("reachability", 1, ("GET",)),
              PlannedCheck("https/tls", 4 + 1 + (2 if https else 0), ("GET",),
                           "http:// redirect chain (up to 4 hops), HSTS, TLS handshake"),
              PlannedCheck("cors", 3, ("OPTIONS", "GET"), "Origin: https://<random>.invalid and Origin: null"),
              _auth_check(options), _rate_check(options),
              PlannedCheck("errors", 2 if options.allow_writes else 1,
                           ("GET", "POST") if options.allow_writes else ("GET",),
                           "a missing path; a malformed JSON body (--allow-writes)")]
    queries = tuple(dns_queries(options.domain, options.dkim_selectors)) if options.domain else ()
    servers = ", ".join(options.nameservers) or "the system resolver"
    return Plan(options.url, scope.host, scope.domain, tuple(checks), queries, servers, options.max_requests)


def _auth_check(options: ProbeOptions) -> PlannedCheck:
    routes = auth.member_routes(options.routes)
    sent = [r for r in routes if auth.sendable(r, options.allow_writes)]
    writes = any(first_method(r) in WRITE_METHODS for r in sent)
    methods = tuple(sorted({first_method(r) for r in sent} | ({"GET"} if writes else set())))
    skipped = len(routes) - len(sent)
    note = f"{len(sent)} member route(s), no cookie or token" + (f"; {skipped} write route(s) skipped "
                                                                   "(--allow-writes)" if skipped else "")
    return PlannedCheck("auth", len(sent) + (1 if writes else 0), methods,
                        note + ("; GET /openapi.json for request schemas" if writes else ""))


def _rate_check(options: ProbeOptions) -> PlannedCheck:
    route = rate.model_route(options.routes, [], options.allow_writes)
    size = rate.burst_size(options.burst)
    if route is None or size == 0:
        return PlannedCheck("rate limit", 0, (), "not run (no model route the probe may call, or --burst 0)")
    return PlannedCheck("rate limit", size, (first_method(route),),
                        f"burst of {size} to {route.path}, stops at the first 429 or after 20 s")


def render_plan(plan: Plan) -> str:
    """The plan as plain text lines (the caller escapes nothing: every value is ours or the user's own URL)."""
    lines = [f"launch-ready probe plan for {plan.url}",
             f"  HTTP only to {plan.host} (redirects followed only inside {plan.domain}); no cookie or credential",
             f"  at most {plan.max_requests} HTTP request(s)"
             + (f" (--max-requests {plan.cap}; later checks may not run)"
                if plan.max_requests < sum(c.max_requests for c in plan.checks) else "") + ":"]
    lines += [f"    {c.name:13} {c.max_requests:4}  {'/'.join(c.methods) or '-':12} {c.note}".rstrip()
              for c in plan.checks]
    if plan.dns:
        lines.append(f"  DNS questions to {plan.nameservers} (no SMTP connection):")
        lines += [f"    {q}" for q in plan.dns]
    else:
        lines.append("  no DNS checks (pass --domain to check MX, SPF, DMARC and DKIM)")
    return "\n".join(lines) + "\n"
