"""Scope enforced in code: the named host only (redirects inside its registrable domain), no cookie or credential
ever sent, a clear user agent, and caps on requests."""

from __future__ import annotations

import contextlib
import socket
import threading
import zlib
from collections.abc import Iterator

import httpx
import pytest

from scanner.probe.scope import (
    MAX_BODY_BYTES,
    USER_AGENT,
    Budget,
    BudgetSpent,
    OutOfScope,
    ProbeClient,
    Scope,
    registrable_domain,
    ssl_context,
)
from tests.probe.helpers import notes, probe, route
from tests.probe.servers import Reply, Seen, serve


@pytest.mark.parametrize(("host", "domain"), [
    ("staging.example.com", "example.com"), ("api.example.co.uk", "example.co.uk"), ("example.com", "example.com"),
    ("myapp.vercel.app", "myapp.vercel.app"), ("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"),
    ("WWW.Example.COM.", "example.com"),
])
def test_registrable_domain_from_the_bundled_list(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(("url", "redirect", "allowed"), [
    ("https://staging.example.com/x", False, True), ("http://staging.example.com:8080/", False, True),
    ("https://www.example.com/", False, False), ("https://www.example.com/", True, True),
    ("https://example.com/", True, True), ("https://evil-example.com/", True, False),
    ("https://example.com.evil.net/", True, False), ("ftp://staging.example.com/", False, False),
    ("https://other.vercel.app/", True, False),
])
def test_scope_allows(url: str, redirect: bool, allowed: bool) -> None:
    scope = Scope.for_url("https://staging.example.com/")
    assert scope.allows(httpx.URL(url), redirect=redirect) is allowed


def test_client_refuses_out_of_scope_before_any_socket() -> None:
    client = ProbeClient(Scope.for_url("http://127.0.0.1:1/"), Budget(5, 60), ssl_context())
    with pytest.raises(OutOfScope):
        client.send("GET", "http://elsewhere.example/")  # the audit hook would fail a lookup
    assert client.budget.spent == 0


def test_budget_caps_requests() -> None:
    budget = Budget(2, 60)
    budget.take()
    budget.take()
    with pytest.raises(BudgetSpent, match=r"request cap reached \(2\)"):
        budget.take()


def test_never_a_cookie_or_credential_and_a_clear_user_agent() -> None:
    def app(seen: Seen) -> Reply:
        return Reply(401, {"Set-Cookie": "session=abc; Path=/", "WWW-Authenticate": "Basic"}, b"{}")

    routes = (route("GET", "/api/a"), route("GET", "/api/b"))
    with serve(app) as server:
        probe(server.url, routes=routes)
    assert len(server.seen) >= 5
    for seen in server.seen:
        assert "cookie" not in seen.headers and "authorization" not in seen.headers
        assert seen.headers["user-agent"] == USER_AGENT


def test_request_cap_stops_the_run_as_an_incomplete_probe() -> None:
    routes = tuple(route("GET", f"/api/r{i}") for i in range(10))
    with serve(lambda seen: Reply(401, {}, b"{}")) as server:
        result = probe(server.url, routes=routes, max_requests=6)
    assert len(server.seen) == 6
    assert any(n.startswith("auth: stopped, request cap reached (6)") for n in notes(result))
    assert [n.level for n in result.notifications if "stopped" in n.message] == ["error"]
    assert result.incomplete and result.stats["unfinished_AUTH308"] == 1


def test_response_bodies_are_read_up_to_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scanner.probe.scope.MAX_BODY_BYTES", 1000)
    with serve(lambda seen: Reply(200, {"Content-Type": "text/plain"}, b"x" * 5000)) as server:
        client = ProbeClient(Scope.for_url(server.url), Budget(5, 60), ssl_context())
        response = client.send("GET", server.url + "/")
        client.close()
    assert response.status_code == 200 and response.content == b"x" * 1000


def test_route_templates_become_concrete_paths() -> None:
    import re

    from scanner.probe.routes import concrete_path

    shapes = {
        "/api/chats/{chat_id}": r"/api/chats/lr[0-9a-f]{10}",
        "/api/items/{item_id:int}": r"/api/items/\d{8,9}",
        "/users/<int:uid>/posts": r"/users/\d{8,9}/posts",
        "/api/:id": r"/api/lr[0-9a-f]{10}",
        "app/api/chat/[id]": r"/app/api/chat/lr[0-9a-f]{10}",
        "^api/export/(?P<pk>[0-9]+)/$": r"/api/export/\d{8,9}/",
        r"^api/files/(?P<name>[\w.-]+)$": r"/api/files/lr[0-9a-f]{10}",
    }
    for template, shape in shapes.items():
        assert re.fullmatch(shape, concrete_path(template)), (template, concrete_path(template))


@contextlib.contextmanager
def _trickler(head: bytes, drip: bytes) -> Iterator[str]:
    """A server on 127.0.0.1 that sends ``head`` at once and then ``drip`` one byte every 0.2 s, forever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.recv(65536)
            conn.sendall(head)
            while not stop.is_set():
                for byte in drip:
                    conn.sendall(bytes([byte]))
                    if stop.wait(0.2):
                        return

    def accept() -> None:
        with contextlib.suppress(OSError):
            while not stop.is_set():
                conn, _ = listener.accept()
                threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


@pytest.mark.parametrize(("head", "drip"), [
    (b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"x"),  # the body, a byte at a time
    (b"HTTP/1.1 200 OK\r\n", b"X-Slow: 1\r\n"),  # the headers, a byte at a time
])
def test_a_trickling_server_is_cut_at_the_request_timeout(head: bytes, drip: bytes) -> None:
    with _trickler(head, drip) as url:
        client = ProbeClient(Scope.for_url(url), Budget(5, 60), ssl_context(), timeout=1.0)
        with pytest.raises(httpx.ReadTimeout, match="no complete answer within 1 s"):
            client.send("GET", url + "/")
        with pytest.raises(httpx.ReadTimeout):  # a fresh pool: the next request is bounded the same way
            client.send("GET", url + "/api/chat")
        client.close()


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=9)


@pytest.mark.parametrize(("encoding", "body", "expected"), [
    ("gzip", _gzip(b'{"error": "boom"}'), b'{"error": "boom"}'),
    ("deflate", zlib.compress(b"stack"), b"stack"),
    ("deflate", zlib.compress(b"raw deflate")[2:-4], b"raw deflate"),  # no zlib wrapper, as some servers send
    ("br", b"\x1b\x03\x00", b"\x1b\x03\x00"),  # never asked for: left as it came
    ("gzip", b"not gzip at all", b""),
])
def test_encoded_bodies_are_decoded(encoding: str, body: bytes, expected: bytes) -> None:
    with serve(lambda seen: Reply(200, {"Content-Encoding": encoding}, body)) as server:
        client = ProbeClient(Scope.for_url(server.url), Budget(5, 60), ssl_context())
        assert client.send("GET", server.url + "/").content == expected
        client.close()


def test_a_compression_bomb_is_decoded_only_up_to_the_cap() -> None:
    bomb = _gzip(_gzip(bytes(64 * 1024 * 1024)))  # 64 MiB of zeros gzipped twice: about 1 KB on the wire
    with serve(lambda seen: Reply(200, {"Content-Encoding": "gzip, gzip"}, bomb)) as server:
        client = ProbeClient(Scope.for_url(server.url), Budget(5, 60), ssl_context())
        response = client.send("GET", server.url + "/")
        client.close()
    assert len(bomb) < 100_000 and len(response.content) == MAX_BODY_BYTES
    assert "content-encoding" not in response.headers


def test_a_route_path_with_a_control_character_is_skipped_and_the_rest_runs() -> None:
    routes = (route("GET", "/api/x\r\nX-Injected: 1", 5), route("GET", "/api/chats/{cid}", 9))
    with serve(lambda seen: Reply(404) if "missing" in seen.path else
               Reply(200, {"Content-Type": "application/json"}, b'{"chat": 1}')) as server:
        result = probe(server.url, routes=routes)
    assert ("route GET '/api/x\\r\\nX-Injected: 1' (app.py:5) skipped: its path holds a control character or "
            "space, not a URL path") in notes(result)
    assert [(f.rule_id, f.location.line) for f in result.findings if f.rule_id == "AUTH308"] == [("AUTH308", 9)]
    assert not any(s.path.startswith("/api/x") for s in server.seen)


def test_a_header_with_non_ascii_bytes_is_kept_and_nothing_crashes() -> None:
    with serve(lambda seen: Reply(200, {"X-Office": "Zürich", "Content-Type": "text/plain"}, b"ok")) as server:
        client = ProbeClient(Scope.for_url(server.url), Budget(5, 60), ssl_context())
        response = client.send("GET", server.url + "/")
        client.close()
        result = probe(server.url)
    assert response.status_code == 200 and response.headers.raw[0][0].lower() in (b"server", b"date", b"x-office")
    assert not any(n.level == "error" for n in result.notifications)


def test_a_key_in_a_redirect_or_a_route_path_is_never_printed_in_full() -> None:
    from scanner.reporters import get_reporter

    key = "sk-proj-" + "Ab3Xy9" * 8
    path = "/hooks/ghp_" + "a1B2c3D4e5" * 3 + "ZyXwVu"
    with serve(lambda seen: Reply(302, {"Location": f"https://elsewhere.example/cb?api_key={key}"})) as server:
        result = probe(server.url, routes=(route("GET", path, 7),))
    for fmt in ("text", "json", "markdown"):
        text = get_reporter(fmt)(result, width=None)
        assert key not in text and path not in text, fmt
