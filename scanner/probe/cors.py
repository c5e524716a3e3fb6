"""CORS from a foreign origin: a preflight and a simple request with ``Origin: https://<random>.invalid``, and a
simple request with ``Origin: null``; ``*`` is CORS505 (with or without credentials, which browsers refuse with
``*``), an echoed origin CORS506, CORS507 with ``Access-Control-Allow-Credentials: true``."""

from __future__ import annotations

import httpx

from scanner.model import RouteInfo
from scanner.probe.context import ProbeContext, foreign_origin
from scanner.probe.routes import concrete_path, first_method


def verdict(response: httpx.Response, origin: str) -> str | None:
    """The live CORS rule ``response`` to a request from ``origin`` breaks (``CORS505``/``506``/``507``), or
    None. ``*`` is any origin with or without credentials: browsers never share a credentialed response with
    ``*`` (Fetch standard, CORS check), so only an echoed origin (``null`` too) with credentials is CORS507."""
    allowed = response.headers.get("access-control-allow-origin", "").strip()
    credentials = response.headers.get("access-control-allow-credentials", "").strip().lower() == "true"
    if allowed == origin:
        return "CORS507" if credentials else "CORS506"
    if allowed == "*":
        return "CORS505"
    return None


def target_route(routes: tuple[RouteInfo, ...]) -> RouteInfo | None:
    """The route to test CORS on: a model-calling route first, then a data route, then a member route, then any
    with a path."""
    ranked = sorted((r for r in routes if r.path), key=lambda r: (not r.calls_model, not r.touches_db,
                                                                  not r.needs_auth, r.sort_key()))
    return ranked[0] if ranked else None


def run(ctx: ProbeContext) -> None:
    """Send the preflight (``OPTIONS``) and the simple request (``GET``) and record the worst verdict."""
    route = target_route(ctx.options.routes)
    url = ctx.url(concrete_path(route.path)) if route else ctx.url("/")
    method = first_method(route) if route else "GET"
    origin = foreign_origin()
    preflight = ctx.client.send("OPTIONS", url, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type"})
    simple = ctx.client.send("GET", url, headers={"Origin": origin})
    # sandboxed iframes and data: documents send `Origin: null`; an allow-list that admits "null" lets any page in
    null = ctx.client.send("GET", url, headers={"Origin": "null"})
    ctx.outcome.mark("CORS505", "CORS506", "CORS507")
    found = [(v, origin) for v in (verdict(preflight, origin), verdict(simple, origin)) if v]
    found += [(v, "null") for v in (verdict(null, "null"),) if v]
    if not found:
        return
    worst, sent = max(found)  # CORS507 > CORS506 > CORS505
    what = {"CORS505": "allows any origin (*)", "CORS506": "echoes a foreign origin",
            "CORS507": "echoes a foreign origin and allows credentials"}[worst]
    who = "a random .invalid origin" if sent == origin else "the null origin (sandboxed iframes, data: documents)"
    ctx.add(worst, f"{url} {what}: a request from {who} was allowed", route=route, url=url)
