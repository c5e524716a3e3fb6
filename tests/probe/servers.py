"""Throwaway HTTP(S) servers on 127.0.0.1 for the probe tests: an app is a function from the request seen to the
reply; every request is recorded so tests can assert what the probe sent."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it (header names lower-case)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    """What the app answers."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


App = Callable[[Seen], Reply]


@dataclass
class Server:
    """A running server: its base URL (``http(s)://127.0.0.1:PORT``), port and the requests it saw."""

    url: str
    port: int
    seen: list[Seen]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _any(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"")
        self.server.seen.append(seen)  # type: ignore[attr-defined]
        reply = self.server.app(seen)  # type: ignore[attr-defined]
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _any

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def serve(app: App, tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    """Run ``app`` on 127.0.0.1 (a free port; HTTPS with ``tls``) until the block ends."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.app = app  # type: ignore[attr-defined]
    httpd.seen = []  # type: ignore[attr-defined]
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Server(f"{'https' if tls else 'http'}://127.0.0.1:{port}", port, httpd.seen)  # type: ignore[attr-defined]
    finally:
        httpd.shutdown()
        httpd.server_close()


def routes_app(table: dict[tuple[str, str], Reply], default: Reply | None = None) -> App:
    """An app answering ``(method, path)`` from ``table`` (query strings ignored), else ``default`` (404)."""
    fallback = default or Reply(404, {"Content-Type": "application/json"}, b'{"detail": "Not Found"}')

    def app(seen: Seen) -> Reply:
        return table.get((seen.method, seen.path.split("?")[0]), fallback)

    return app


@dataclass(frozen=True)
class Tls:
    """A test CA (its PEM at ``ca_file``) and a server context for a certificate it issued."""

    ca_file: str
    server: ssl.SSLContext


def make_tls(tmp: Path, *identities: str, **issue: object) -> Tls:
    """A fresh trustme CA and a server certificate for ``identities`` (default ``127.0.0.1``); ``issue`` goes to
    ``trustme.CA.issue_cert`` (e.g. ``not_after``)."""
    ca = trustme.CA()
    cert = ca.issue_cert(*(identities or ("127.0.0.1",)), **issue)  # type: ignore[arg-type]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    path = tmp / f"ca-{id(ca)}.pem"
    ca.cert_pem.write_to_path(str(path))
    return Tls(str(path), context)
