"""WebSocket servers (``ws``, socket.io): each ``connection`` handler is a route that any visitor who can open a
socket reaches, often in a custom ``server.ts`` beside a Next.js app.

A route per ``wss.on("connection", handler)`` / ``io.on("connection", handler)`` and per
``wss.handleUpgrade(req, socket, head, callback)``; the handler may be inline or a function of the file (its
helpers are followed by the caller). Auth attaches before the socket opens: ``verifyClient`` on the
``WebSocketServer``, a socket.io ``io.use(...)`` middleware that refuses (``next(new Error(...))``) when the
handshake's token or session is missing, or an ``upgrade`` handler that reads a credential and destroys the socket
or answers 401 without one; checks inside the handler are judged by the caller."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.shared import CorsHit
from scanner.engines.semgrep.jstext import balanced_end, body_end, byte_offset, definition_span
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route, anchor
from scanner.engines.semgrep.runner import Match

_DECLARES = re.compile(r"(?:require\(\s*|from\s*)[\"'](?:ws|socket\.io)[\"']")
#: ``x.on("connection", `` (the handler follows).
_CONNECTION = re.compile(r"\b([\w$]+)\.on\(\s*[\"'](?:connection|connect)[\"']\s*,\s*")
#: ``x.handleUpgrade(req, socket, head, `` (the callback follows).
_UPGRADE = re.compile(r"\.handleUpgrade\(\s*[\w$]+\s*,\s*[\w$]+\s*,\s*[\w$]+\s*,\s*")
#: The socket's URL: ``new WebSocketServer({ path: "/ws" })``, ``new Server(server, { path: "/chat" })``, or a
#: ``pathname === "/api/realtime"`` test in the upgrade handler.
_PATH = re.compile(r"\bpath\s*:\s*[\"'`](/[^\"'`]*)|\bpathname\s*===?\s*[\"'`](/[^\"'`]*)")
#: A credential read before the socket opens (token, cookie, session, JWT, handshake auth).
_CREDENTIAL = re.compile(r"(?i)token|cookie|session|jwt|authori[sz]ation|handshake\.auth|verify|getUser|auth\(")
#: What refuses a socket: an error passed to socket.io's ``next``, a destroyed or 401-answered upgrade, a
#: ``verifyClient`` callback answering false.
_REFUSES = re.compile(r"next\(\s*new\s+Error|socket\.destroy\(\)|\b401\b|\b403\b|(?:cb|callback|done)\(\s*false")


#: ``io.use(socketAuth)``: a socket.io middleware passed by name (defined in the file or imported).
_NAMED_MIDDLEWARE = re.compile(r"[\w$]+\.use\(\s*([\w$]+(?:\.[\w$]+)?)\s*\)")


def _refuses_without_credential(project: Project, name: str, path: str) -> bool:
    """True when the middleware ``name`` (as seen from ``path``; one hop across imports) reads a credential and
    refuses the socket without it."""
    found = project.definition(name, path)
    if found is None:
        return False
    doc, start, end = found
    body = doc.text[start:end]
    return bool(_CREDENTIAL.search(body) and _REFUSES.search(body))


class WebSocket:
    """The WebSocket-server module (``ws``, socket.io)."""

    name = "websocket"

    def declares(self, doc: Doc) -> bool:
        """A module that imports ``ws`` or ``socket.io`` and registers a connection handler."""
        return bool(_DECLARES.search(doc.text)) and bool(_CONNECTION.search(doc.text) or _UPGRADE.search(doc.text))

    def routes(self, doc: Doc, matches: Sequence[Match], project: Project) -> list[Route]:
        """One route per connection handler or upgrade callback, anchored on the registration."""
        url = self._url(doc.text)
        out = []
        for pattern in (_CONNECTION, _UPGRADE):
            for found in pattern.finditer(doc.text):
                span = self._handler_span(doc.text, found.end())
                if span is None:
                    continue
                name = found.group(1) if pattern is _CONNECTION else "handleUpgrade"
                m = anchor("js-websocket-connection", doc, found.start(), found.end())
                out.append(Route(m, "websocket", f"{name} connection", url, doc.text[span[0]:span[1]],
                                 framework="websocket", method="WS", body_path=doc.path,
                                 body_start=byte_offset(doc.text, span[0]), body_end=byte_offset(doc.text, span[1])))
        return out

    @staticmethod
    def _url(text: str) -> str:
        found = _PATH.search(text)
        return (found.group(1) or found.group(2)) if found else "/"

    @staticmethod
    def _handler_span(text: str, start: int) -> tuple[int, int] | None:
        """The inline callback starting at ``start``, or the file's function it names."""
        named = re.match(r"([\w$]+)\s*\)", text[start:start + 200])
        if named is not None:
            return definition_span(text, named.group(1))
        if not re.match(r"\s*(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)", text[start:start + 200]):
            return None
        span = start, body_end(text, start)
        return _delegate(text, span) or span

    def authenticated(self, route: Route, project: Project) -> bool:
        """``verifyClient``, an ``io.use`` middleware or an ``upgrade`` handler that refuses without a
        credential, in the file that registers the handler."""
        doc = project.docs.get(route.match.path)
        if doc is None:
            return False
        text = doc.text
        if re.search(r"\bverifyClient\s*[:(]", text):
            return True
        for found in re.finditer(r"\b[\w$]+\.(?:use|on\(\s*[\"']upgrade[\"']\s*,)\s*\(?", text):
            open_paren = text.find("(", found.start())
            end = balanced_end(text, open_paren) if open_paren >= 0 else -1
            block = text[found.start():end if end > 0 else found.end() + 2000]
            socket_level = ".on(" in found.group(0) or "socket" in block
            if socket_level and _CREDENTIAL.search(block) and _REFUSES.search(block):
                return True
            named = _NAMED_MIDDLEWARE.match(block)
            if named and _refuses_without_credential(project, named.group(1), route.match.path):
                return True
        return False

    def cors(self, doc: Doc) -> list[CorsHit]:
        """socket.io's ``cors`` option is read by the shared semgrep rules."""
        return []


def _delegate(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """A thin callback that hands the socket to one function of the file (``(ws) => { handle(ws); }``): that
    function's span, where the handler's work is."""
    callback = text[span[0]:span[1]]
    arrow = re.search(r"=>|\{", callback)
    calls = re.findall(r"(?<![\w$.])([\w$]+)\s*\(", callback[arrow.end():] if arrow else "")
    if len(callback) > 300 or len(calls) != 1:
        return None
    return definition_span(text, calls[0])
