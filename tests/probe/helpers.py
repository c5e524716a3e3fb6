"""Shared helpers of the probe tests."""

from __future__ import annotations

from typing import Any

from scanner.model import Location, RouteInfo, ScanResult
from scanner.probe.context import ProbeOptions
from scanner.probe.runner import run_probe


def probe(url: str, **options: Any) -> ScanResult:
    """``run_probe`` on ``url`` with the burst off unless asked (tests stay small)."""
    options.setdefault("burst", 0)
    return run_probe(ProbeOptions(url=url, **options))


def codes(result: ScanResult, prefix: str = "") -> list[str]:
    """The rule ids of ``result``'s findings that start with ``prefix``, in order."""
    return [f.rule_id for f in result.findings if f.rule_id.startswith(prefix)]


def notes(result: ScanResult) -> list[str]:
    """The messages of ``result``'s notifications."""
    return [n.message for n in result.notifications]


def route(method: str, path: str, line: int = 10, *, needs_auth: bool = True, authenticated: bool = False,
          calls_model: bool = False) -> RouteInfo:
    """A route of ``app.py`` for an in-test inventory."""
    return RouteInfo(method, path, Location("app.py", line), "fastapi", needs_auth=needs_auth,
                     authenticated=authenticated, calls_model=calls_model)
