"""The Route record every JS/TS framework module produces, and what makes a route public by intent."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import balanced_end, strip_js
from scanner.engines.semgrep.runner import Match
from scanner.knowledge import js

KIND_LABEL = {"next": "Next.js route handler", "pages": "API route", "action": "server action",
              "express": "Express route", "hono": "Hono route", "nestjs": "NestJS route",
              "function": "serverless function", "websocket": "WebSocket handler"}


@dataclass(frozen=True)
class Route:
    """A route handler: its ``kind`` (``next``, ``pages``, ``action``, ``express``, ``hono``, ``nestjs``),
    display ``name``, ``url`` with known prefixes (``/api/v1/chat``; ``/__action`` for server actions), the
    handler's own text, the middleware/guard text attached where it is declared (``chain``) and the router
    object's name (``uses``: middleware of ``.use`` calls earlier in its call chain). ``match`` anchors
    findings (semgrep's, or one the framework module built). The handler's body may live in another module:
    ``body_path`` with byte span ``body_start``..``body_end`` (defaults: the anchor's). ``method`` is the HTTP
    verb (``*`` when any)."""

    match: Match
    kind: str
    name: str
    url: str
    body: str
    chain: str = ""
    router: str = ""
    framework: str = ""
    method: str = "*"
    body_path: str = ""
    body_start: int = -1
    body_end: int = -1
    #: Argument texts of ``.use(...)`` calls earlier in the route's own call chain (``new Hono().use(auth)
    #: .get(...)``).
    uses: tuple[str, ...] = ()
    #: The function a Next.js handler is passed to (``export const POST = auth(async (req) => ...)``: ``auth``).
    wrapper: str = ""

    @property
    def span(self) -> tuple[str, int, int]:
        """``(path, start byte, end byte)`` of the handler body, wherever it lives."""
        if self.body_path:
            return self.body_path, self.body_start, self.body_end
        return self.match.path, self.match.start, self.match.end


def anchor(rule_id: str, doc: Doc, start: int, end: int) -> Match:
    """A route-role Match for a span a framework module found itself (character indices into ``doc.text``)."""
    from scanner.engines.semgrep.jstext import byte_offset, line_of

    line = line_of(doc.text, start)
    column = start - (doc.text.rfind("\n", 0, start) + 1) + 1
    end_line = line_of(doc.text, end)
    return Match(rule_id, "AUTH303", "route", doc.path, line, column, end_line, 1,
                 byte_offset(doc.text, start), byte_offset(doc.text, end))


def body_index(doc: Doc, route: Route) -> int:
    """Character index of ``route``'s handler text in ``doc`` (the handler's file): the first place at or after
    the route's match where the body occurs (an inline Express handler sits inside the route call), else the
    match's end."""
    begin = len(doc.data[: route.span[1]].decode("utf-8", "ignore"))
    index = doc.text.find(route.body, begin)
    return index if index >= 0 else begin


def is_public(route: Route, public_globs: tuple[str, ...]) -> bool:
    """True for routes public by design or listed in ``public_routes`` (fnmatch globs on the URL): sign-in/up
    and health URLs, signed webhooks, auth server actions, a NestJS ``@Public()`` handler, a handler named
    public, a GET of a public page by its handle or share code (``/u/:username``, ``/share/[shareId]``), a
    handler that calls the auth provider's sign-in, sign-up or password-reset API."""
    if any(fnmatch.fnmatchcase(route.url, g) for g in public_globs):
        return True
    if js.WEBHOOK_URL.search(route.url) or js.SIGNATURE_CHECK.search(route.body):
        return bool(js.SIGNATURE_CHECK.search(route.body)) and not verifies_only_when_configured(route.body)
    if route.kind == "action":
        return bool(js.PUBLIC_ACTION.match(route.name))
    if re.search(r"@(?:Public|AllowAnonymous|SkipAuth)\(", route.chain) or js.PUBLIC_HANDLER.search(route.name):
        return True
    handler = re.split(r"[\s.]", route.name)[-1]
    if route.kind != "next" and js.PUBLIC_HANDLER_NAME.search(handler):
        return True
    if js.PUBLIC_URL.search(route.url) or js.AUTH_FLOW_CALL.search(route.body):
        return True
    words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", route.url)}
    if words & js.PUBLIC_URL_WORDS:
        return True
    params = re.findall(r"/(?::|\[)\.{0,3}(\w+)", route.url)
    if route.method == "GET" and params and all(js.PUBLIC_PARAM.fullmatch(p) for p in params):
        return True
    return bool(js.PUBLIC_LAST.search(route.url)) and not js.PARAMETER.search(route.url)


#: ``if (process.env.STRIPE_WEBHOOK_SECRET) {`` / ``if (!webhookSecret) {``: a branch on whether a secret is set.
_SECRET_SET = re.compile(r"\bif\s*\(\s*(!\s*)?(?:process\.env\.\w+|[\w$]*(?:secret|Secret|SECRET)[\w$]*)\s*\)\s*\{")


def verifies_only_when_configured(body: str) -> bool:
    """True for a webhook that checks the sender's signature only when its secret is set and otherwise trusts
    the body (``if (process.env.STRIPE_WEBHOOK_SECRET) { event = stripe.webhooks.constructEvent(...) } else {
    event = JSON.parse(body) }``): a deployment without the variable accepts forged events. Refusing when the
    secret is missing (``if (!secret) return ... 500``) is fine."""
    code = strip_js(body)
    for found in _SECRET_SET.finditer(code):
        end = balanced_end(code, found.end() - 1)
        if end < 0:
            continue
        block = code[found.end():end - 1]
        other = re.match(r"\s*else\s*\{", code[end:])
        rest = code[end + other.end() - 1:balanced_end(code, end + other.end() - 1)] if other else ""
        verified, trusted = (rest, block) if found.group(1) else (block, rest)
        if js.SIGNATURE_CHECK.search(verified) and re.search(r"\bJSON\.parse\(", trusted) \
                and not re.search(r"\b(?:return|throw)\b", trusted):
            return True
    return False


def next_url(folder: str) -> str:
    """URL of a Next.js route folder: route groups ``(x)`` and parallel slots ``@x`` do not count."""
    parts = [p for p in folder.strip("/").split("/") if p and not p.startswith(("(", "@"))]
    if parts and parts[-1] == "index":
        parts = parts[:-1]
    return "/" + "/".join(parts)


def join_url(prefix: str, path: str) -> str:
    """``/api/v1`` + ``/chat`` -> ``/api/v1/chat`` (no doubled or trailing slashes; ``/`` stays ``/``)."""
    joined = "/" + "/".join(p for p in (prefix.strip("/"), path.strip("/")) if p)
    return joined
