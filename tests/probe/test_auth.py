"""Auth on member routes (AUTH308): one request per route that should need a session, with no cookie or token."""

from __future__ import annotations

import json

import pytest

from tests.probe.helpers import codes, notes, probe, route
from tests.probe.servers import Reply, Seen, routes_app, serve

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(("reply", "expected", "note"), [
    (Reply(200, JSON, b'{"chats": []}'), ["AUTH308"], None),
    (Reply(401, JSON, b'{"detail": "sign in"}'), [], None),
    (Reply(403, JSON, b"{}"), [], None),
    (Reply(302, {"Location": "/login?next=/api/chats"}), [], None),
    (Reply(200, JSON, b""), [], "auth: GET /api/chats/{chat_id} answered 200: inconclusive (not a pass)"),
    (Reply(404, JSON, b"{}"), [], "auth: GET /api/chats/{chat_id} answered 404: inconclusive (not a pass)"),
    (Reply(405, JSON, b"{}"), [], "auth: GET /api/chats/{chat_id} answered 405: inconclusive (not a pass)"),
    (Reply(422, JSON, b"{}"), [], "auth: GET /api/chats/{chat_id} answered 422: inconclusive (not a pass)"),
    (Reply(302, {"Location": "/elsewhere"}), [],
     "auth: GET /api/chats/{chat_id} answered 302: inconclusive (not a pass)"),
])
def test_member_route_verdicts(reply: Reply, expected: list[str], note: str | None) -> None:
    def app(seen: Seen) -> Reply:
        return reply if seen.path.startswith("/api/chats/") else Reply(404)

    with serve(app) as server:
        result = probe(server.url, routes=(route("GET", "/api/chats/{chat_id}", 21),))
    assert codes(result, "AUTH") == expected
    if expected:
        finding = result.findings[[f.rule_id for f in result.findings].index("AUTH308")]
        assert (finding.location.path, finding.location.line) == ("app.py", 21)
        assert finding.message == ("GET /api/chats/{chat_id} answered 200 with a body to a request with no cookie "
                                   "or token")
    if note:
        assert note in notes(result)
    calls = [s for s in server.seen if s.path.startswith("/api/chats/") and "origin" not in s.headers]
    assert len(calls) == (2 if reply.status in (400, 422) else 1)  # a malformed-id answer: asked again with numbers
    call = calls[0]
    assert call.path != "/api/chats/{chat_id}" and len(call.path) > len("/api/chats/")
    assert "cookie" not in call.headers and "authorization" not in call.headers


def test_public_and_authenticated_static_routes() -> None:
    """Public routes are not called; statically authenticated ones are still checked live."""
    table = {("GET", "/api/me"): Reply(200, JSON, b'{"id": 1}'), ("GET", "/health"): Reply(200, JSON, b"{}")}
    routes = (route("GET", "/health", 3, needs_auth=False), route("GET", "/api/me", 9, authenticated=True))
    with serve(routes_app(table)) as server:
        result = probe(server.url, routes=routes)
    assert codes(result, "AUTH") == ["AUTH308"]
    assert not any(s.path == "/health" and "origin" not in s.headers for s in server.seen)


def test_write_routes_need_allow_writes() -> None:
    with serve(routes_app({("POST", "/api/chat"): Reply(200, JSON, b'{"answer": "hi"}')})) as server:
        result = probe(server.url, routes=(route("POST", "/api/chat", 7, calls_model=True),))
    assert codes(result, "AUTH") == []
    assert "auth: POST /api/chat not called (write method; pass --allow-writes)" in notes(result)
    assert all(s.method not in ("POST", "PUT", "PATCH", "DELETE") for s in server.seen)


def test_write_body_comes_from_the_declared_schema() -> None:
    openapi = {"paths": {"/api/chat/{cid}": {"post": {"requestBody": {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ChatRequest"}}}}}}},
        "components": {"schemas": {"ChatRequest": {"type": "object", "required": ["message", "n", "mode"],
                                                   "properties": {"message": {"type": "string"},
                                                                  "n": {"type": "integer"},
                                                                  "mode": {"enum": ["fast", "slow"]},
                                                                  "extra": {"type": "string"}}}}}}

    def app(seen: Seen) -> Reply:
        if seen.path == "/openapi.json":
            return Reply(200, JSON, json.dumps(openapi).encode())
        if seen.method == "POST" and seen.path.startswith("/api/chat/"):
            return Reply(200, JSON, b'{"answer": "hi"}')
        return Reply(404)

    with serve(app) as server:
        result = probe(server.url, routes=(route("POST", "/api/chat/<cid>", 7, calls_model=True),),
                       allow_writes=True)
    assert codes(result, "AUTH") == ["AUTH308"]
    [call] = [s for s in server.seen if s.method == "POST" and s.body.startswith(b"{\"m")]
    assert json.loads(call.body) == {"message": "launch-ready probe", "n": 1, "mode": "fast"}
    assert call.headers["content-type"] == "application/json"


def test_a_route_that_drops_the_connection_is_inconclusive_and_the_others_are_still_probed() -> None:
    def app(seen: Seen) -> Reply:
        if seen.path.startswith("/api/boom"):
            raise ConnectionAbortedError("the app crashed and closed the connection")
        if "missing" in seen.path:
            return Reply(404)
        return Reply(200, {"Content-Type": "application/json"}, b'{"invoices": []}')

    routes = (route("GET", "/api/boom", 10), route("GET", "/api/invoices", 20))
    with serve(app) as server:
        result = probe(server.url, routes=routes)
    assert [(f.rule_id, f.location.line) for f in result.findings if f.rule_id == "AUTH308"] == [("AUTH308", 20)]
    assert "auth: GET /api/boom got no answer (RemoteProtocolError): inconclusive (not a pass)" in notes(result)


def test_an_integer_id_refused_as_malformed_is_asked_again_with_numbers() -> None:
    def app(seen: Seen) -> Reply:  # FastAPI with `chat_id: int` and no auth
        tail = seen.path.rsplit("/", 1)[-1]
        if not seen.path.startswith("/api/chats/"):
            return Reply(404)
        return Reply(200, {"Content-Type": "application/json"}, b'{"chat": 1}') if tail.isdigit() else Reply(422)

    with serve(app) as server:
        result = probe(server.url, routes=(route("GET", "/api/chats/{chat_id}", 21),))
    assert [(f.rule_id, f.location.line) for f in result.findings if f.rule_id == "AUTH308"] == [("AUTH308", 21)]


def test_a_catch_all_page_is_inconclusive() -> None:
    shell = b"<!doctype html><title>Sign in</title><div id=root></div>"
    with serve(lambda seen: Reply(200, {"Content-Type": "text/html"}, shell)) as server:
        result = probe(server.url, routes=(route("GET", "/api/chats/{chat_id}", 21),))
    assert codes(result, "AUTH") == []
    assert ("auth: GET /api/chats/{chat_id} answered 200 with the page a path that does not exist gets (a catch-all, "
            "such as an SPA's index.html): inconclusive (not a pass)") in notes(result)
