"""Scope enforced in code: the named host only (redirects inside its registrable domain), no cookie or credential
ever sent, a clear user agent, and caps on requests."""

from __future__ import annotations

import httpx
import pytest

from scanner.probe.scope import (
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


def test_request_cap_stops_the_run_with_a_warning() -> None:
    routes = tuple(route("GET", f"/api/r{i}") for i in range(10))
    with serve(lambda seen: Reply(401, {}, b"{}")) as server:
        result = probe(server.url, routes=routes, max_requests=6)
    assert len(server.seen) == 6
    assert any(n.startswith("auth: stopped, request cap reached (6)") for n in notes(result))
    assert [n.level for n in result.notifications if "stopped" in n.message] == ["warning"]


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
