"""Route facts from semgrep matches: which file kinds count as routes, their URL and their handler text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.runner import Match

#: Route rule id -> route kind.
ROUTE_RULES = {
    "js-nextjs-route-handler": "next", "js-pages-api-handler": "pages", "js-server-action": "action",
    "js-express-route": "express",
}
KIND_LABEL = {"next": "Next.js route handler", "pages": "API route", "action": "server action",
              "express": "Express route"}
_NEXT_ROUTE = re.compile(r"(?:^|/)app/((?:.*/)?)route\.(?:js|jsx|ts|tsx|mjs)$")
_PAGES_API = re.compile(r"(?:^|/)pages/(api/.*)\.(?:js|jsx|ts|tsx|mjs)$")
_NAME = re.compile(r"(?:function\s+|const\s+)(\w+)")
_FIRST_STRING = re.compile(r"\(\s*([\"'`])([^\"'`]*)\1")
_INLINE_HANDLER = re.compile(
    r"(?:async\s+)?(?:function\b|\((?:[^()]|\([^()]*\))*\)\s*(?::[^=]{0,80})?=>|\b\w+\s*=>)"
)
#: Public by design: sign-in/up flows, health checks, OG images, the auth library's own endpoints.
PUBLIC_URL = re.compile(
    r"(?:^|/)(?:login|log-in|signin|sign-in|signup|sign-up|register|logout|signout|sign-out|auth|oauth|callback|"
    r"health|healthz|healthcheck|status|ping|ready|readyz|livez|version|og|robots|sitemap|favicon|"
    r"forgot-password|reset-password|verify-email|csrf)(?:/|$|\.)", re.I)
PUBLIC_ACTION = re.compile(r"(?i)(login|logIn|signIn|signUp|register|logout|logOut|signOut|forgotPassword|"
                           r"resetPassword|requestPasswordReset|verifyEmail)")
WEBHOOK_URL = re.compile(r"(?:^|/)[\w-]*(?:webhook|hooks)[\w-]*(?:/|$)", re.I)
SIGNATURE_CHECK = re.compile(
    r"constructEvent|verifySignature|verifyWebhook|Webhook\(|svix|timingSafeEqual|createHmac|validateRequest|"
    r"x-hub-signature|stripe-signature|x-signature|verifyKey")


#: A module that builds an Express / Fastify / Hono / Koa app or router (so `x.post('/p', h)` is a route, not
#: an HTTP client call such as `axios.post('/api/chat', body)`).
SERVER_FRAMEWORK = re.compile(
    r"(?:require\(\s*|from\s*)[\"'](?:express|fastify|hono|koa|@koa/router|koa-router|restify|polka|"
    r"@hono/node-server)[\"']|\bRouter\(\s*\)|\bexpress\(\s*\)"
)


@dataclass(frozen=True)
class Route:
    """A route handler: its ``kind`` (``next``, ``pages``, ``action``, ``express``), display ``name``, ``url``
    (``/api/chat``; ``/__action`` for server actions), the handler's own text and, for Express, the
    middleware chain text and the router object's name."""

    match: Match
    kind: str
    name: str
    url: str
    body: str
    chain: str = ""
    router: str = ""


def route_of(match: Match, doc: Doc) -> Route | None:
    """The Route for a route-rule match, or None when the file is not that kind of route file."""
    kind = ROUTE_RULES[match.rule_id]
    text = doc.slice(match.start, match.end)
    if kind == "next":
        found = _NEXT_ROUTE.search(match.path)
        if not found:
            return None
        return Route(match, kind, _name(text), _url(found.group(1)), text)
    if kind == "pages":
        found = _PAGES_API.search(match.path)
        return Route(match, kind, "handler", _url(found.group(1)), text) if found else None
    if kind == "action":
        return Route(match, kind, _name(text), "/__action", text)
    return _express(match, text, doc)


def _express(match: Match, text: str, doc: Doc) -> Route | None:
    path = _FIRST_STRING.search(text)
    if path is None or not SERVER_FRAMEWORK.search(doc.text):
        return None
    rest = text[path.end():]
    inline = _INLINE_HANDLER.search(rest)
    chain, body = (rest[: inline.start()], rest[inline.start():]) if inline else (rest, "")
    router = text.split(".", 1)[0].strip()
    method = text.split(".", 1)[1].split("(", 1)[0].strip().upper() if "." in text else "?"
    return Route(match, "express", method, path.group(2), body, chain, router)


def _name(text: str) -> str:
    found = _NAME.search(text)
    return found.group(1) if found else "handler"


def _url(folder: str) -> str:
    """URL of a Next.js route folder: route groups ``(x)`` and parallel slots ``@x`` do not count."""
    parts = [p for p in folder.strip("/").split("/") if p and not p.startswith(("(", "@"))]
    if parts and parts[-1] == "index":
        parts = parts[:-1]
    return "/" + "/".join(parts)


def is_public(route: Route, public_globs: tuple[str, ...]) -> bool:
    """True for routes public by design or listed in ``public_routes`` (fnmatch globs on the URL)."""
    import fnmatch

    if any(fnmatch.fnmatchcase(route.url, g) for g in public_globs):
        return True
    if WEBHOOK_URL.search(route.url):
        return bool(SIGNATURE_CHECK.search(route.body))
    if route.kind == "action":
        return bool(PUBLIC_ACTION.match(route.name))
    return bool(PUBLIC_URL.search(route.url))
