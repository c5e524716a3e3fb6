"""What every live check shares: the options, the target's origin, the client, and how a live finding is made
(located at a route's source line when the route is known, else at the URL)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import httpx

from scanner.model import Finding, Location, Notification, RouteInfo
from scanner.probe.scope import ProbeClient
from scanner.rulebook import probe_rule
from scanner.scrub import scrub_text

#: The most requests ``--burst`` may send, and the seconds it may take (issue 14).
MAX_BURST, BURST_SECONDS = 100, 20.0


@dataclass(frozen=True)
class ProbeOptions:
    """What the user asked for. ``url`` is the target (``http`` or ``https``); ``routes`` the static inventory;
    ``nameservers`` are ``HOST:PORT`` (or ``HOST``) strings; ``http_port`` the plain-HTTP port to test when the
    target is ``https`` on a non-default port; ``ca_file`` a PEM bundle trusted besides the system store;
    ``max_requests`` / ``max_seconds`` cap the whole run; ``timeout`` is per request, in seconds."""

    url: str
    domain: str | None = None
    routes: tuple[RouteInfo, ...] = ()
    burst: int = 20
    dkim_selectors: tuple[str, ...] = ()
    nameservers: tuple[str, ...] = ()
    allow_writes: bool = False
    http_port: int | None = None
    ca_file: str | None = None
    timeout: float = 10.0
    max_requests: int = 300
    max_seconds: float = 180.0


@dataclass
class Outcome:
    """What the checks found so far: findings, notes, counters for the report's ``stats``, and ``tested``: the
    codes of the live rules whose check actually ran (the result lists only those rules, so a scorecard row is
    not "pass" for a check that was skipped, e.g. email authentication without ``--domain``)."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[Notification] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    tested: set[str] = field(default_factory=set)

    def mark(self, *codes: str) -> None:
        """Record that the checks of ``codes`` ran (whatever they found)."""
        self.tested.update(codes)

    def note(self, message: str, level: str = "note", kind: str = "probe") -> None:
        """Record a notification (an inconclusive result, a skipped check); a key in it (a route path, a
        redirect's ``Location``) is redacted."""
        self.notes.append(Notification(level, scrub_text(message), kind=kind))

    def count(self, key: str, n: int = 1) -> None:
        """Add ``n`` to the counter ``key``."""
        self.stats[key] = self.stats.get(key, 0) + n


@dataclass
class ProbeContext:
    """One probe run: the options, the HTTP client and the target's origin (``https://host:port``) and path
    prefix (the target URL's path without a trailing slash)."""

    options: ProbeOptions
    client: ProbeClient
    origin: str
    prefix: str
    outcome: Outcome = field(default_factory=Outcome)

    @classmethod
    def create(cls, options: ProbeOptions, client: ProbeClient) -> ProbeContext:
        """The context for ``options.url``."""
        url = httpx.URL(options.url)
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        return cls(options, client, origin, url.path.rstrip("/"))

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (a concrete path starting with ``/``) under the target."""
        return self.origin + self.prefix + path

    def add(self, code: str, message: str, route: RouteInfo | None = None, url: str | None = None,
            context: str = "") -> None:
        """Record a finding of live rule ``code`` at ``route``'s source line, or at ``url`` (line 1); a key in the
        message (a redirect's ``Location`` with ``?api_key=...``, a route path) is redacted."""
        location = route.location if route is not None else Location(url or self.origin, 1)
        where = context or (f"{route.method} {route.path}" if route is not None else (url or self.origin))
        self.outcome.findings.append(Finding(probe_rule(code), location, scrub_text(message), context=where,
                                             match_key=f"{code}:{where}"))


def foreign_origin() -> str:
    """A random origin no one can own (``.invalid`` is reserved, RFC 2606)."""
    return f"https://lr-{secrets.token_hex(6)}.invalid"


def random_token() -> str:
    """A random path-parameter value (letters and digits)."""
    return "lr" + secrets.token_hex(5)
