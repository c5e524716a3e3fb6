"""Rate limiting (LR606): a bounded burst to one model route must meet a 429 or Retry-After."""

from __future__ import annotations

import pytest

from scanner.probe.rate import burst_size
from tests.probe.helpers import codes, notes, probe, route
from tests.probe.servers import Reply, Seen, serve

MODEL_ROUTE = (route("GET", "/api/complete", 14, calls_model=True),)


def _limited_after(n: int | None, header_only: bool = False, status: int = 200) -> object:
    count = {"n": 0}

    def app(seen: Seen) -> Reply:
        if not seen.path.startswith("/api/complete") or "origin" in seen.headers:
            return Reply(404)
        count["n"] += 1
        if n is not None and count["n"] > n:
            return Reply(200, {"Retry-After": "30"}, b"{}") if header_only else Reply(429, {}, b"slow down")
        return Reply(status, {}, b"{}")

    return app


def test_429_before_the_end_passes_and_reports_the_count() -> None:
    with serve(_limited_after(4)) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=MODEL_ROUTE, burst=10)
    assert codes(result, "LR") == []
    assert result.stats["rate_limited_at"] == 4  # the auth check's request was the first
    assert "rate limit: GET /api/complete limited at request 4 of 10" in notes(result)


def test_retry_after_counts_as_limited() -> None:
    with serve(_limited_after(2, header_only=True)) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=MODEL_ROUTE, burst=5)
    assert codes(result, "LR") == [] and result.stats["rate_limited_at"] == 2


def test_no_limit_is_lr606_on_the_route_line() -> None:
    with serve(_limited_after(None)) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=MODEL_ROUTE, burst=12)
    assert codes(result, "LR") == ["LR606"]
    finding = result.findings[[f.rule_id for f in result.findings].index("LR606")]
    assert (finding.location.path, finding.location.line) == ("app.py", 14)
    assert finding.message.startswith("GET /api/complete answered 12 requests in ")
    assert finding.message.endswith("without a 429 or Retry-After (200 x12)")
    assert result.stats["burst_sent"] == 12
    assert len([s for s in server.seen if s.path.startswith("/api/complete") and "origin" not in s.headers]) == 13


@pytest.mark.parametrize("status", [401, 403, 302, 500])
def test_a_burst_that_never_reached_the_route_is_not_tested(status: int) -> None:
    with serve(_limited_after(None, status=status)) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=MODEL_ROUTE, burst=6)
    assert codes(result, "LR") == []
    assert (f"rate limit not tested: none of the 6 requests to GET /api/complete was served ({status} x6); give "
            "the probe a route it may call") in notes(result)


def test_no_model_route_means_not_tested() -> None:
    with serve(_limited_after(None)) as server:  # type: ignore[arg-type]
        result = probe(server.url, burst=10)
    assert codes(result, "LR6") == []
    assert "rate limit not tested: no model route the probe may call (routes, --allow-writes)" in notes(result)


@pytest.mark.parametrize(("asked", "sent"), [(-3, 0), (0, 0), (20, 20), (100, 100), (500, 100)])
def test_burst_is_capped_at_100(asked: int, sent: int) -> None:
    assert burst_size(asked) == sent


def test_a_burst_that_does_not_fit_in_its_time_is_not_tested(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def slow(seen: Seen) -> Reply:
        if seen.path.startswith("/api/complete") and "origin" not in seen.headers:
            time.sleep(0.3)
        return Reply(200, {}, b"{}") if seen.path.startswith("/api/complete") else Reply(404)

    monkeypatch.setattr("scanner.probe.rate.BURST_SECONDS", 1)
    with serve(slow) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=MODEL_ROUTE, burst=20)
    assert codes(result, "LR") == []
    assert any(n.startswith("rate limit not tested: only ") and " of 20 requests to GET /api/complete fit in 1 s "
               in n for n in notes(result))


def test_a_burst_at_a_catch_all_page_is_not_tested() -> None:
    shell = b"<!doctype html><title>App</title><div id=root></div>"
    with serve(lambda seen: Reply(200, {"Content-Type": "text/html"}, shell)) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=MODEL_ROUTE, burst=10)
    assert codes(result, "LR") == []
    assert ("rate limit not tested: GET /api/complete answered with the page a path that does not exist gets (a "
            "catch-all, such as an SPA's index.html): the model route is not behind this URL") in notes(result)
