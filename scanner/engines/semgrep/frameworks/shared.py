"""Records and helpers the framework modules share: CORS hits and router-style (Express, Hono) route reading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import balanced_end, split_args
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route, anchor, join_url
from scanner.engines.semgrep.runner import Match

METHODS = ("get", "post", "put", "patch", "delete", "all")
_INLINE = re.compile(r"^(?:async\s+)?(?:function\b|\(|\w+\s*=>)")
_NAMED = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
#: ``router.route("/x")`` followed by method calls: ``.get(h).post(h)``.
_ROUTE_CHAIN = re.compile(r"\b(\w+)\.route\(\s*([\"'`])([^\"'`]*)\2\s*\)")
_CHAINED_METHOD = re.compile(r"\s*\.\s*(get|post|put|patch|delete|all)\s*\(")


@dataclass(frozen=True)
class CorsHit:
    """A CORS setting found by a framework module: rule code (``CORS501``...), 1-based line and message."""

    code: str
    line: int
    message: str


def router_route(doc: Doc, match: Match, project: Project, kind: str) -> Route | None:
    """The Route of a semgrep ``x.METHOD('/path', ..., handler)`` match (None when it is not a string path)."""
    text = doc.slice(match.start, match.end)
    call = _outer_call(text)
    if call is None:
        return None
    head, method, args_text, call_start = call
    args = split_args(args_text)
    if len(args) < 2 or not re.fullmatch(r"([\"'`])[^\"'`]*\1", args[0]):
        return None
    router = head.strip()
    if not re.fullmatch(r"[\w$.]+", router):
        # one call of a chain: anchor the route (and its facts) on this call, not on the whole chain
        router = _chain_root(head)
        base = len(doc.data[:match.start].decode("utf-8", "replace"))
        match = anchor(match.rule_id, doc, base + call_start, base + len(text.rstrip(" \t\n;")))
    return _with_handler(Route(match, kind, method.upper(), args[0][1:-1], "", ",".join(args[1:-1]),
                               router, kind, method.upper()), args[-1], doc, project)


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
            args = split_args(doc.text[call.end():close - 1])
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
    if _INLINE.match(handler) or not _NAMED.match(handler):
        return replace(route, url=url, body=handler)
    found = project.handler_span(handler, doc.path)
    if found is None:
        return replace(route, url=url, body="", name=f"{route.name} {handler}")
    path, start, end, text = found
    return replace(route, url=url, body=text, body_path=path, body_start=start, body_end=end,
                   name=f"{route.name} {handler}")


def router_authenticated(route: Route, project: Project) -> bool:
    """Auth attached the router way: middleware in the route's own chain, ``router.use(auth)`` (or
    ``app.use('/api/*', auth)``) earlier in the file covering the URL, or the router mounted with auth."""
    path = route.match.path
    if project.authenticates(route.chain, path) or path in project.mounted_with_auth:
        return True
    doc = project.docs[path]
    before = doc.slice(0, route.match.start)
    local = route.url.removeprefix(project.prefixes.get(path, ""))
    for use in re.finditer(rf"\b{re.escape(route.router)}\.use\(([^;\n]*)", before):
        args = use.group(1)
        prefix = re.match(r"\s*[\"'`]([^\"'`]*)[\"'`]\s*,?", args)
        rest = args[prefix.end():] if prefix else args
        scope = prefix.group(1).rstrip("*").rstrip("/") if prefix else ""
        if project.authenticates(rest, path) and (not scope or local.startswith(scope)):
            return True
    return False
