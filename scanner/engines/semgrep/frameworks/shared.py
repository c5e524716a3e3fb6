"""Records and helpers the framework modules share: CORS hits and router-style (Express, Hono) route reading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import balanced_end, byte_offset, split_args
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route, anchor, join_url
from scanner.engines.semgrep.runner import Match
from scanner.knowledge import js

METHODS = ("get", "post", "put", "patch", "delete", "all")
_INLINE = re.compile(r"^(?:async\s+)?(?:function\b|\(|\w+\s*=>)")
_NAMED = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
#: ``router.route("/x")`` followed by method calls: ``.get(h).post(h)``.
_ROUTE_CHAIN = re.compile(r"\b(\w+)\.route\(\s*([\"'`])([^\"'`]*)\2\s*\)")
_CHAINED_METHOD = re.compile(r"\s*\.\s*(get|post|put|patch|delete|all)\s*\(")
#: An inline handler that only forwards the request to a controller: ``(req, res) => chatController.send(req,
#: res)``, ``async (req, res, next) => { await ctrl.create(req, res, next); }``, ``function (req, res) { return
#: ctrl.x(req, res); }``. Groups: the called expression.
_FORWARD = re.compile(
    r"^(?:async\s*)?(?:function\s*\w*\s*)?\(\s*(\w+)\s*(?::[^,()]*)?,\s*(\w+)\s*(?::[^,()]*)?"
    r"(?:,\s*(\w+)\s*(?::[^,()]*)?)?\)\s*(?::[^={]*)?(?:=>)?\s*(\{)?\s*(?:return\s+)?(?:await\s+)?"
    r"([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*\(\s*\1\s*,\s*\2\s*(?:,\s*\3\s*)?\)\s*;?\s*(?(4)\}|)\s*$"
)


@dataclass(frozen=True)
class CorsHit:
    """A CORS setting found by a framework module: rule code (``CORS501``...), 1-based line and message."""

    code: str
    line: int
    message: str


_CAST = re.compile(r"\s+(?:as|satisfies)\s+[\w$.<>\[\]|&, ]+$|!$")


def uncast(arg: str) -> str:
    """An argument without its TypeScript cast: ``uploadDocument as any`` -> ``uploadDocument`` (a handler typed
    ``as any`` to quiet Express's overloads is still that handler; set 18 MERN-AI-ChatBot)."""
    return _CAST.sub("", arg.strip())


def router_route(doc: Doc, match: Match, project: Project, kind: str) -> Route | None:
    """The Route of a semgrep ``x.METHOD('/path', ..., handler)`` match (None when it is not a string path)."""
    text = doc.slice(match.start, match.end)
    call = _outer_call(text)
    if call is None:
        return None
    head, method, args_text, call_start = call
    args = [uncast(a) for a in split_args(args_text)]
    if len(args) < 2 or not re.fullmatch(r"([\"'`])[^\"'`]*\1", args[0]):
        return None
    router = head.strip()
    uses: tuple[str, ...] = ()
    if not re.fullmatch(r"[\w$.]+", router):
        # one call of a chain: anchor the route (and its facts) on this call, not on the whole chain
        router = _chain_root(head)
        uses = _chain_uses(head)
        base = len(doc.data[:match.start].decode("utf-8", "replace"))
        match = anchor(match.rule_id, doc, base + call_start, base + len(text.rstrip(" \t\n;")))
    return _with_handler(Route(match, kind, method.upper(), args[0][1:-1], "", ",".join(args[1:-1]),
                               router, kind, method.upper(), uses=uses), args[-1], doc, project)


def _chain_uses(head: str) -> tuple[str, ...]:
    """Argument texts of the ``.use(...)`` calls in a call chain's text before a route."""
    out = []
    for use in re.finditer(r"\.\s*use\s*\(", head):
        close = balanced_end(head, use.end() - 1)
        if close > 0:
            out.append(head[use.end():close - 1])
    return tuple(out)


_METHOD_CALL = re.compile(r"\.\s*(get|post|put|patch|delete|all)\s*\(")


def _outer_call(text: str) -> tuple[str, str, str, int] | None:
    """``(receiver, method, argument text, index of the method name)`` of the outermost
    ``receiver.METHOD(...)`` call that ``text`` (a semgrep match) is: the last call of a chain
    ``createApp().get(...).post(...)`` is the ``post``."""
    for found in _METHOD_CALL.finditer(text):
        close = balanced_end(text, found.end() - 1)
        if close == len(text.rstrip()) or (close > 0 and not text[close:].strip(" \t\n;")):
            start = found.start() + text[found.start():].index(found.group(1))
            return text[:found.start()], found.group(1), text[found.end():close - 1], start
    return None


def _chain_root(head: str) -> str:
    """The object a call chain starts from (``app`` of ``app.use(x).get(...)``; ``""`` for ``createApp()``)."""
    root = re.match(r"\s*([\w$]+)\s*(?=\.)", head)
    return root.group(1) if root else ""


def chain_routes(doc: Doc, project: Project, kind: str) -> list[Route]:
    """Routes of ``router.route("/x").get(h).post(mw, h)`` chains, one per method."""
    out = []
    for found in _ROUTE_CHAIN.finditer(doc.text):
        pos = found.end()
        while (call := _CHAINED_METHOD.match(doc.text, pos)) is not None:
            close = balanced_end(doc.text, call.end() - 1)
            if close < 0:
                break
            args = [uncast(a) for a in split_args(doc.text[call.end():close - 1])]
            method = call.group(1).upper()
            if args:
                dot = doc.text.index(".", call.start())
                m = anchor(f"js-{kind}-route", doc, dot + 1, close)
                route = Route(m, kind, method, found.group(3), "", ",".join(args[:-1]), found.group(1), kind, method)
                out.append(_with_handler(route, args[-1], doc, project))
            pos = close
    return out


def _with_handler(route: Route, handler: str, doc: Doc, project: Project) -> Route:
    """``route`` with its handler body: inline text, or a named function followed into its module."""
    from dataclasses import replace

    prefix = project.prefixes.get(doc.path, "")
    url = join_url(prefix, route.url) if prefix else route.url
    handler = _unwrapped(handler)
    forwarded = _forwarded(handler, doc, project)
    if forwarded is None and not _INLINE.match(handler) and _NAMED.match(handler):
        forwarded = _named(handler, doc, project)
        if forwarded is None:
            return replace(route, url=url, body="", name=f"{route.name} {handler}")
    if forwarded is None:
        return replace(route, url=url, body=handler)
    expr, (target, start, end) = forwarded
    return replace(route, url=url, body=target.text[start:end], body_path=target.path,
                   body_start=byte_offset(target.text, start), body_end=byte_offset(target.text, end),
                   name=f"{route.name} {expr}")


def _named(handler: str, doc: Doc, project: Project) -> tuple[str, tuple[Doc, int, int]] | None:
    """The definition of a handler given by name: an imported or local function, or a method of an instance
    (``const controller = new ChatController()``; ``controller.send``)."""
    found = project.definition(handler.strip(), doc.path)
    if found is not None:
        return handler, found
    return next(((e, d) for e, d in project.calls(f"{handler}()", doc.path) if e == handler), None)


#: ``ctrl.send.bind(ctrl)`` and ``asyncHandler(ctrl.send)`` / ``catchAsync(send)``: a named handler, wrapped.
_BOUND = re.compile(r"\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.bind\(\s*[\w$.]*\s*\)\s*")
_ERROR_WRAPPER = re.compile(r"\s*(?i:(?!\w*(?:auth|protect|guard|session|login|secure|verify|role|admin|user))"
                            r"\w*(?:async|catch|wrap|try|errors?)\w*)\(\s*"
                            r"([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\)\s*")


def _unwrapped(handler: str) -> str:
    """The named handler inside ``.bind(...)`` or an async-error wrapper (``asyncHandler(ctrl.send)``), else
    ``handler`` as is."""
    found = _BOUND.fullmatch(handler) or _ERROR_WRAPPER.fullmatch(handler)
    return found.group(1) if found else handler


def _forwarded(handler: str, doc: Doc, project: Project) -> tuple[str, tuple[Doc, int, int]] | None:
    """``(controller expression, its definition)`` when the inline ``handler`` only passes the request on to a
    project function (the wrapper is no handler of its own: the controller's checks and calls are the route's)."""
    found = _FORWARD.match(handler.strip())
    if found is None:
        return None
    expr = found.group(5)
    return next(((e, d) for e, d in project.calls(handler, doc.path) if e == expr), None)


def router_authenticated(route: Route, project: Project) -> bool:
    """Auth attached the router way: middleware in the route's own chain, ``router.use(auth)`` (or
    ``app.use('/api/*', auth)``) earlier in the file covering the URL, or the router mounted with auth."""
    path = route.match.path
    if project.authenticates(route.chain, path) or path in project.mounted_with_auth:
        return True
    doc = project.docs[path]
    before = doc.slice(0, route.match.start)
    local = route.url.removeprefix(project.prefixes.get(path, ""))
    earlier = []
    for use in re.finditer(rf"\b{re.escape(route.router)}\s*\.use\(", before) if route.router else ():
        close = balanced_end(before, use.end() - 1)
        earlier.append(before[use.end():close - 1] if close > 0 else before[use.end():].split("\n")[0])
    return any(_use_covers(args, local, project, path) for args in (*earlier, *route.uses))


def _use_covers(args: str, local: str, project: Project, path: str) -> bool:
    """True when the ``use`` call with argument text ``args`` applies to URL ``local`` and authenticates: an
    auth middleware by name or behaviour, or an inline middleware that refuses without a credential."""
    prefix = re.match(r"\s*[\"'`]([^\"'`]*)[\"'`]\s*,?", args)
    rest = args[prefix.end():] if prefix else args
    scope = prefix.group(1).rstrip("*").rstrip("/") if prefix else ""
    if scope and not local.startswith(scope):
        return False
    return _inline_rejects(rest) or project.authenticates(rest.split("\n")[0], path)


def _inline_rejects(middleware: str) -> bool:
    """True for an inline middleware function (``app.use("*", async (c, next) => {...})``) that reads a
    credential and refuses without it (401/403, a redirect to sign-in); one that only stores the session on
    the context (``c.set("user", session?.user ?? null)``) lets everyone through."""
    text = middleware.strip()
    if not re.match(r"(?:async\s*)?(?:function\b|\([^()]*\)\s*(?::[^=]*)?=>|\w+\s*=>)", text):
        return False
    return bool(js.REJECTS.search(text) and js.READS_CREDENTIAL.search(text))
