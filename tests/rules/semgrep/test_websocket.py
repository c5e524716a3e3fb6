"""WebSocket servers (``ws``, socket.io) as routes: a ``connection`` handler that any visitor reaches, and the
checks before the socket opens that authenticate it (``verifyClient``, an ``io.use`` middleware or an ``upgrade``
handler that refuses without a credential)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.auth import AuthAnalysis
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.prefilter import groups_of
from scanner.engines.semgrep.runner import find_semgrep

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

WS = 'import { WebSocketServer } from "ws";\nimport OpenAI from "openai";\nconst openai = new OpenAI();\n'
IO = 'import { Server } from "socket.io";\nimport OpenAI from "openai";\nconst openai = new OpenAI();\n'
ASK = ("async (m) => {\n    const r = await openai.chat.completions.create({ model: 'gpt-4o', "
       "messages: [{ role: 'user', content: String(m) }] });\n    ws.send(r.choices[0].message.content);\n  }")

INVALID = [  # (source, (method, url, authenticated))
    (WS + "const wss = new WebSocketServer({ port: 8080 });\n"
     f"wss.on('connection', (ws) => {{\n  ws.on('message', {ASK});\n}});\n", ("WS", "/", False)),
    (IO + "const io = new Server(server, { cors: { origin: '*' } });\n"
     f"io.on('connection', (socket) => {{\n  socket.on('chat', {ASK.replace('ws.send', 'socket.emit')});\n}});\n",
     ("WS", "/", False)),
    (WS + "const wss = new WebSocketServer({ noServer: true });\n"
     "server.on('upgrade', (req, socket, head) => {\n  const { pathname } = parse(req.url);\n"
     "  if (pathname === '/api/realtime') {\n    wss.handleUpgrade(req, socket, head, (ws) => {\n"
     "      relay(ws);\n    });\n  }\n});\n"
     f"function relay(ws) {{\n  ws.on('message', {ASK});\n}}\n", ("WS", "/api/realtime", False)),
    (WS + "const wss = new WebSocketServer({ server, path: '/ws' });\nwss.on('connection', onSocket);\n"
     f"async function onSocket(ws, req) {{\n  ws.on('message', {ASK});\n}}\n", ("WS", "/ws", False)),
    (IO + "const io = new Server(server);\nio.use((socket, next) => {\n  console.log(socket.id);\n  next();\n});\n"
     f"io.on('connection', (socket) => {{\n  socket.on('ask', {ASK});\n}});\n", ("WS", "/", False)),
    ("const WebSocket = require('ws');\nconst wss = new WebSocket.Server({ server, path: '/chat' });\n"
     f"wss.on('connection', function (ws) {{\n  ws.on('message', {ASK});\n}});\n", ("WS", "/chat", False)),
]
VALID = [  # authenticated before the socket opens
    (WS + "const wss = new WebSocketServer({ port: 8080, verifyClient: (info, cb) => cb(isMember(info.req)) });\n"
     f"wss.on('connection', (ws) => {{\n  ws.on('message', {ASK});\n}});\n", ("WS", "/", True)),
    (IO + "const io = new Server(server);\nio.use(async (socket, next) => {\n"
     "  const token = socket.handshake.auth.token;\n  if (!token) return next(new Error('unauthorized'));\n"
     "  socket.data.user = await verifyToken(token);\n  next();\n});\n"
     f"io.on('connection', (socket) => {{\n  socket.on('ask', {ASK});\n}});\n", ("WS", "/", True)),
    (WS + "const wss = new WebSocketServer({ noServer: true });\n"
     "server.on('upgrade', async (req, socket, head) => {\n  const session = await getSession(req.headers.cookie);\n"
     "  if (!session) { socket.destroy(); return; }\n"
     "  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));\n});\n"
     f"wss.on('connection', (ws) => {{\n  ws.on('message', {ASK});\n}});\n", ("WS", "/", True)),
    (WS + "const wss = new WebSocketServer({ noServer: true, path: '/live' });\n"
     "server.on('upgrade', (req, socket, head) => {\n  const token = new URL(req.url, 'http://x').searchParams.get('token');\n"
     "  if (!jwt.verify(token, process.env.JWT_SECRET)) {\n    socket.write('HTTP/1.1 401 Unauthorized\\r\\n\\r\\n');\n"
     "    return socket.destroy();\n  }\n  wss.handleUpgrade(req, socket, head, (ws) => serve(ws));\n});\n"
     f"function serve(ws) {{\n  ws.on('message', {ASK});\n}}\n", ("WS", "/live", True)),
    (IO + "const io = new Server(server, { path: '/rt' });\nio.use((socket, next) => {\n"
     "  const cookie = socket.request.headers.cookie;\n  if (!cookie || !readSession(cookie)) "
     "next(new Error('not signed in'));\n  else next();\n});\n"
     f"io.on('connection', (socket) => {{\n  socket.on('ask', {ASK});\n}});\n", ("WS", "/rt", True)),
]
NOT_A_SERVER = [  # a socket client, or a server module with no connection handler: no route
    'import WebSocket from "ws";\nconst ws = new WebSocket("wss://api.openai.com/v1/realtime");\n'
    "ws.on('open', () => ws.send('hi'));\n",
    'import { io } from "socket.io-client";\nconst socket = io();\nsocket.on("connect", () => socket.emit("hi"));\n',
    'import { WebSocketServer } from "ws";\nexport const wss = new WebSocketServer({ noServer: true });\n',
    'const ws = new WebSocket("wss://example.com/feed");\nws.onmessage = (e) => console.info(e.data);\n',
    'import { Server } from "socket.io";\nexport function attach(server) { return new Server(server); }\n',
]


def _inventory(source: str) -> set[tuple[str, str, bool]]:
    docs = {"server.ts": Doc.of("server.ts", source)}
    analysis = AuthAnalysis([], docs, Config())
    analysis.findings([])
    return {(r.method, r.path, r.authenticated) for r in analysis.inventory if r.framework == "websocket"}


@pytest.mark.parametrize(("source", "route"), INVALID)
def test_connection_handler_without_auth(source: str, route: tuple[str, str, bool]) -> None:
    assert _inventory(source) == {route}


@pytest.mark.parametrize(("source", "route"), VALID)
def test_connection_authenticated_before_the_socket_opens(source: str, route: tuple[str, str, bool]) -> None:
    assert _inventory(source) == {route}


@pytest.mark.parametrize("source", NOT_A_SERVER)
def test_socket_clients_declare_no_route(source: str) -> None:
    assert _inventory(source) == set()


def test_websocket_servers_reach_the_route_rules() -> None:
    assert "route" in groups_of("server.ts", INVALID[0][0])
    assert "route" in groups_of("server.ts", INVALID[1][0])


@needs_semgrep
def test_open_model_socket_is_auth301_and_lr601(tmp_path: Path) -> None:
    """The open relay is AUTH301 and LR601; the authenticated one still has no rate limit (LR601 only)."""
    (tmp_path / "server.ts").write_text(INVALID[2][0])
    (tmp_path / "safe.ts").write_text(VALID[3][0])
    result = scan(tmp_path, Config(), ScanOptions(engines=("semgrep",)))
    hits = sorted((f.rule_id, f.location.path, f.location.line) for f in result.findings
                  if f.rule_id in ("AUTH301", "AUTH302", "AUTH303", "LR601"))
    assert hits == [("AUTH301", "server.ts", 8), ("LR601", "safe.ts", 11), ("LR601", "server.ts", 8)]


SOCKET_AUTH = ("const jwt = require('jsonwebtoken');\nmodule.exports.socketAuth = (socket, next) => {\n"
               "  const token = socket.handshake.auth?.token;\n  if (!token) return next(new Error('unauthorized'));\n"
               "  socket.user = jwt.verify(token, process.env.JWT_SECRET);\n  next();\n};\n")
SOCKET_LOG = "module.exports.socketLog = (socket, next) => {\n  console.log(socket.id);\n  next();\n};\n"
APP = (IO.replace("import OpenAI", "const { socketAuth, socketLog } = require('./middleware/socket');\nimport OpenAI")
       + "const io = new Server(server);\nio.use(USE);\n"
       f"io.on('connection', (socket) => {{\n  socket.on('ask', {ASK});\n}});\n")


@pytest.mark.parametrize(("use", "authenticated"), [("socketAuth", True), ("socketLog", False)])
def test_named_socket_middleware_is_judged_by_its_code(use: str, authenticated: bool) -> None:
    docs = {"server.js": Doc.of("server.js", APP.replace("USE", use)),
            "middleware/socket.js": Doc.of("middleware/socket.js", SOCKET_AUTH + SOCKET_LOG)}
    analysis = AuthAnalysis([], docs, Config())
    analysis.findings([])
    assert {(r.method, r.path, r.authenticated) for r in analysis.inventory if r.framework == "websocket"} == {
        ("WS", "/", authenticated)}
