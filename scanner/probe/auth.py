"""Auth on member routes: one request per route that should need a session, with no cookie or token and random
path parameters. 2xx with a body is AUTH308; 401/403 or a redirect to a login page passes; 404/405/422 and
everything else are inconclusive (a note, never a pass). Write methods only with ``--allow-writes``."""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx

from scanner.model import RouteInfo
from scanner.probe.bodies import body_for
from scanner.probe.context import ProbeContext
from scanner.probe.routes import WRITE_METHODS, concrete_path, first_method, has_parameters, probeable

PASS, FAIL, INCONCLUSIVE = "pass", "fail", "inconclusive"
_LOGIN = re.compile(r"log-?in|sign-?in|auth|session", re.IGNORECASE)


def judge(response: httpx.Response) -> str:
    """``fail`` for 2xx with a body, ``pass`` for 401/403 or a redirect to a login page, else ``inconclusive``."""
    if response.is_success and response.content.strip():
        return FAIL
    if response.status_code in (401, 403):
        return PASS
    if response.is_redirect and _LOGIN.search(response.headers.get("location", "")):
        return PASS
    return INCONCLUSIVE


def member_routes(routes: tuple[RouteInfo, ...]) -> list[RouteInfo]:
    """The routes that should need a session and have a known URL path, in inventory order."""
    return [r for r in routes if r.needs_auth and probeable(r)]


def sendable(route: RouteInfo, allow_writes: bool) -> bool:
    """True when the probe may call ``route``: read methods always, write methods with ``--allow-writes``."""
    return allow_writes or first_method(route) not in WRITE_METHODS


def call(ctx: ProbeContext, route: RouteInfo, openapi: dict[str, Any] | None,
         numeric: bool = False) -> httpx.Response:
    """One anonymous request to ``route`` (a JSON body from its schema for write methods; every path parameter
    a number with ``numeric``)."""
    method = first_method(route)
    url = ctx.url(concrete_path(route.path, numeric))
    if method in WRITE_METHODS:
        return ctx.client.send(method, url, headers={"Content-Type": "application/json"},
                               content=body_for(route, openapi))
    return ctx.client.send(method, url)


def run(ctx: ProbeContext, openapi: dict[str, Any] | None) -> list[RouteInfo]:
    """Probe every member route; return the routes that answered 2xx (the open ones).

    A route whose random text id is refused as malformed (400/422: ``chat_id: int``) is asked once more with
    numbers. A 2xx that is the very page a path that cannot exist gets (a catch-all: an SPA's ``index.html``
    served for every path) is inconclusive: it shows the host answers everything, not that the route is open.
    """
    open_routes: list[RouteInfo] = []
    catch_all: list[httpx.Response | None] = []  # the answer to a path that cannot exist, fetched once
    for route in member_routes(ctx.options.routes):
        label = f"{first_method(route)} {route.path}"
        if not sendable(route, ctx.options.allow_writes):
            ctx.outcome.note(f"auth: {label} not called (write method; pass --allow-writes)")
            continue
        try:
            response = call(ctx, route, openapi)
            if response.status_code in (400, 422) and has_parameters(route.path):
                response = call(ctx, route, openapi, numeric=True)
        except httpx.TransportError as exc:  # e.g. the server closed the connection after a 500
            ctx.outcome.count("auth_" + INCONCLUSIVE)
            ctx.outcome.note(f"auth: {label} got no answer ({type(exc).__name__}): inconclusive (not a pass)")
            continue
        result = judge(response)
        if result == FAIL and same_as_missing(ctx, response, catch_all):
            ctx.outcome.count("auth_" + INCONCLUSIVE)
            ctx.outcome.note(f"auth: {label} answered {response.status_code} with the page a path that does not "
                             "exist gets (a catch-all, such as an SPA's index.html): inconclusive (not a pass)")
            continue
        ctx.outcome.count("auth_" + result)
        if result != INCONCLUSIVE:
            ctx.outcome.mark("AUTH308")
        if result == FAIL:
            open_routes.append(route)
            ctx.add("AUTH308", f"{label} answered {response.status_code} with a body to a request with no "
                               "cookie or token", route=route)
        elif result == INCONCLUSIVE:
            ctx.outcome.note(f"auth: {label} answered {response.status_code}: inconclusive (not a pass)")
    return open_routes


def same_as_missing(ctx: ProbeContext, response: httpx.Response, cache: list[httpx.Response | None]) -> bool:
    """True when ``response`` is what a path that cannot exist also gets: the same 2xx body, or the same HTML
    page (its ``<title>``). The missing path is fetched once per run (``cache``)."""
    if not cache:
        try:
            cache.append(ctx.client.send("GET", ctx.url(f"/launch-ready-probe-missing-{secrets.token_hex(4)}")))
        except httpx.TransportError:
            cache.append(None)
    missing = cache[0]
    if missing is None or not missing.is_success:
        return False
    if missing.content == response.content:
        return True
    html = "text/html" in response.headers.get("content-type", "") and \
        "text/html" in missing.headers.get("content-type", "")
    title = _TITLE.search(response.text)
    return bool(html and title and title.group(0) in missing.text)


_TITLE = re.compile(r"<title>[^<]{1,200}</title>", re.IGNORECASE)

