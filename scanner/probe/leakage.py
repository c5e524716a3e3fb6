"""Error leakage: a missing path, and (with ``--allow-writes``) a malformed JSON body, must not return a stack
trace or a framework debug page (LR607)."""

from __future__ import annotations

import re
import secrets

import httpx

from scanner.model import RouteInfo
from scanner.probe.context import ProbeContext
from scanner.probe.routes import WRITE_METHODS, concrete_path, first_method

#: Signs of a stack trace or debug page, by runtime (Python, Werkzeug, Django, Node/Express, Rails/PHP, Java).
#: A line break as it appears in a page or escaped inside a JSON string (``{"stack": "Error: x\n    at ..."}``).
_NL = r"(?:\n|\\n|\\r\\n)"
#: Signs of a stack trace or debug page, by runtime (Python, Werkzeug, Django, Node/Express, Rails/PHP, Java).
#: A trace needs a frame after its heading: prose about "Traceback (most recent call last)" is no leak.
LEAK_SIGNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Python traceback", re.compile(rf"Traceback \(most recent call last\):\s*{_NL}?\s*File \\?\"")),
    ("Python stack frame", re.compile(r"File \\?\"[^\"\\]+\.py\\?\", line \d+")),
    ("Werkzeug debugger", re.compile(r"Werkzeug Debugger|__debugger__")),
    ("Django debug page", re.compile(r"You're seeing this error because you have <code>DEBUG = True")),
    ("Node stack trace", re.compile(rf"{_NL}\s+at (?:async )?[\w.<>$\[\] ]+ \((?:/|[A-Za-z]:\\|node:|file://)"
                                    r"[^)]*:\d+:\d+\)")),
    ("Express error page", re.compile(r"<pre>\w*Error: .*<br> &nbsp; &nbsp;at ")),
    ("Java stack trace", re.compile(rf"{_NL}\s+at [\w$.]+\([\w$]+\.java:\d+\)")),
    ("PHP error", re.compile(r"(?:<b>)?(?:Fatal error|Parse error|Uncaught \w+)(?:</b>)?: .{0,300}? in (?:<b>)?/[^ <]+"
                             r"\.php(?:</b>)? on line (?:<b>)?\d+")),
    ("exception class", re.compile(r"\b(?:ValueError|KeyError|TypeError|SyntaxError|JSONDecodeError)\b: ")),
)
_SCAN_LIMIT = 200_000


def leak_in(text: str) -> str | None:
    """The name of the first leak sign in ``text`` (its first 200 000 characters), or None."""
    head = text[:_SCAN_LIMIT]
    return next((name for name, pattern in LEAK_SIGNS if pattern.search(head)), None)


def _post_route(routes: tuple[RouteInfo, ...]) -> RouteInfo | None:
    return next((r for r in routes if r.path and first_method(r) in WRITE_METHODS), None)


def _check(ctx: ProbeContext, response: httpx.Response, what: str, route: RouteInfo | None) -> None:
    sign = leak_in(response.text)
    if sign:
        url = str(response.request.url)
        article = "an" if sign[0].lower() in "aeiou" else "a"
        ctx.add("LR607", f"{what} returned {response.status_code} with {article} {sign}", route=route, url=url,
                context=what)


def run(ctx: ProbeContext) -> None:
    """Request a missing path, and POST malformed JSON to a write route when writes are allowed."""
    missing = ctx.url(f"/launch-ready-probe-missing-{secrets.token_hex(4)}")
    _check(ctx, ctx.client.send("GET", missing), "a missing path", None)
    ctx.outcome.mark("LR607")
    route = _post_route(ctx.options.routes)
    if route is None or not ctx.options.allow_writes:
        ctx.outcome.note("error leakage: malformed-JSON request not sent (needs a write route and --allow-writes)")
        return
    response = ctx.client.send(first_method(route), ctx.url(concrete_path(route.path)),
                               headers={"Content-Type": "application/json"}, content=b'{"launch-ready": ')
    _check(ctx, response, "a malformed JSON body", route)
