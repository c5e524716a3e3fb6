"""Probe tests reach only 127.0.0.1: an audit hook fails any socket connect, send or name lookup to another
address while a probe test runs (installed once; enforced only inside this folder's tests)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_STATE = {"enforce": False, "forbid": False}
_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo"})


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _STATE["forbid"] and event == "socket.connect":
        raise RuntimeError(f"a socket connect during a no-network section: {args[1:]!r}")
    if not _STATE["enforce"] or event not in _EVENTS:
        return
    if event == "socket.getaddrinfo":
        host = args[0]
    else:
        address = args[1] if len(args) > 1 else None
        if not isinstance(address, tuple):
            return  # a Unix socket or no address (a connected socket)
        host = address[0]
    host = host.decode() if isinstance(host, bytes) else host
    if host is not None and str(host) not in LOOPBACK:
        raise RuntimeError(f"probe test tried to reach {host!r} ({event})")


sys.addaudithook(_hook)


@pytest.fixture(autouse=True)
def loopback_only() -> Iterator[None]:
    """Every probe test: any network access beyond 127.0.0.1 raises."""
    _STATE["enforce"] = True
    try:
        yield
    finally:
        _STATE["enforce"] = False


@contextmanager
def no_socket() -> Iterator[None]:
    """Inside the block any ``socket.connect`` (even to 127.0.0.1) raises RuntimeError."""
    _STATE["forbid"] = True
    try:
        yield
    finally:
        _STATE["forbid"] = False
