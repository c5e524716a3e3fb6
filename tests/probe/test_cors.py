"""CORS from a foreign origin (CORS505-507): a preflight and a simple request from a random ``.invalid`` origin,
and a simple request from the ``null`` origin."""

from __future__ import annotations

import pytest

from tests.probe.helpers import codes, probe, route
from tests.probe.servers import Reply, Seen, serve


def _cors_app(mode: str) -> object:
    def app(seen: Seen) -> Reply:
        origin = seen.headers.get("origin", "")
        headers = {"Content-Type": "application/json"}
        if mode == "any":
            headers["Access-Control-Allow-Origin"] = "*"
        elif mode in ("reflect", "reflect-credentials") or (mode == "allow-list" and origin == "https://app.example.com"):
            headers["Access-Control-Allow-Origin"] = origin
        elif mode in ("null-credentials", "any-credentials"):
            headers["Access-Control-Allow-Origin"] = "null" if (mode == "null-credentials" and origin == "null") \
                else "*" if mode == "any-credentials" else ""
        if mode in ("reflect-credentials", "null-credentials", "any-credentials"):
            headers["Access-Control-Allow-Credentials"] = "true"
        return Reply(200, headers, b"{}")

    return app


@pytest.mark.parametrize(("mode", "expected"), [
    ("none", []), ("allow-list", []), ("any", ["CORS505"]), ("reflect", ["CORS506"]),
    ("reflect-credentials", ["CORS507"]),
    ("any-credentials", ["CORS505"]),  # browsers never share a credentialed response with `*`
    ("null-credentials", ["CORS507"]),  # sandboxed iframes and data: documents send `Origin: null`
])
def test_foreign_origin(mode: str, expected: list[str]) -> None:
    with serve(_cors_app(mode)) as server:  # type: ignore[arg-type]
        result = probe(server.url)
    assert codes(result, "CORS") == expected
    sent = [s for s in server.seen if "origin" in s.headers]
    assert [s.method for s in sent] == ["OPTIONS", "GET", "GET"]
    origin = sent[0].headers["origin"]
    assert origin.startswith("https://lr-") and origin.endswith(".invalid") and sent[1].headers["origin"] == origin
    assert sent[2].headers["origin"] == "null"
    assert sent[0].headers["access-control-request-method"] == "GET"


def test_finding_sits_on_the_model_route_source_line() -> None:
    routes = (route("GET", "/api/items", 5), route("POST", "/api/chat/{chat_id}", 12, calls_model=True))
    with serve(_cors_app("reflect-credentials")) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=routes)
    [finding] = [f for f in result.findings if f.rule_id == "CORS507"]
    assert (finding.location.path, finding.location.line) == ("app.py", 12)
    preflight = next(s for s in server.seen if s.method == "OPTIONS")
    assert preflight.path.startswith("/api/chat/lr") and preflight.headers["access-control-request-method"] == "POST"
