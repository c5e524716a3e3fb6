"""The probe's scope, enforced in code: which hosts HTTP may reach, the request and time budget, and the one HTTP
client (no cookie, no credential, a clear user agent, a timeout on every request, redirects never auto-followed)."""

from __future__ import annotations

import ipaddress
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from publicsuffixlist import PublicSuffixList

from scanner import __version__
from scanner.errors import LaunchReadyError

USER_AGENT = f"launch-ready-probe/{__version__} (+https://github.com/launch-ready; opt-in pre-launch check)"
#: The most response-body bytes read per request (the rest is never downloaded).
MAX_BODY_BYTES = 1024 * 1024
#: Headers the probe never sends, whatever a caller passes.
FORBIDDEN_HEADERS = ("cookie", "authorization", "proxy-authorization", "x-api-key")


class ProbeError(LaunchReadyError):
    """The probe cannot go on: bad arguments, the host is unreachable, or the budget is spent (exit code 2)."""


class OutOfScope(ProbeError):
    """A request or redirect would leave the named host's registrable domain."""


class BudgetSpent(ProbeError):
    """The cap on requests or on total time is reached."""


def registrable_domain(host: str) -> str:
    """The registrable domain of ``host`` (``api.example.co.uk`` -> ``example.co.uk``) from the bundled public
    suffix list (``publicsuffixlist`` ships it; nothing is downloaded). An IP address or a single label
    (``localhost``) is its own domain."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _psl().privatesuffix(host) or host


def is_public_suffix(host: str) -> bool:
    """True when ``host`` is itself a public suffix (``co.uk``, ``github.io``, ``vercel.app``) in the bundled list:
    anyone can register names under it, nobody owns it."""
    return bool(_psl().is_public(host.lower().rstrip(".")))


_PSL: list[PublicSuffixList] = []


def _psl() -> PublicSuffixList:
    if not _PSL:
        _PSL.append(PublicSuffixList())
    return _PSL[0]


@dataclass(frozen=True)
class Scope:
    """Where HTTP may go: ``host`` itself (any port), and hosts inside ``domain`` (the host's registrable domain)
    only when reached by a redirect."""

    host: str
    domain: str

    @classmethod
    def for_url(cls, url: str) -> Scope:
        """The scope of the probe's target ``url`` (``http`` or ``https`` with a host).

        Raises:
            ProbeError: not an absolute http(s) URL, or one with a user name or password (never sent, never
                printed).
        """
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise ProbeError(f"not an http(s) URL ({exc})") from None
        if parsed.userinfo:
            raise ProbeError("the URL carries a user name or password; the probe never sends credentials: "
                             "remove them from the URL")
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ProbeError(f"not an http(s) URL: {url!r}")
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ProbeError(f"port {parsed.port} of {url!r} is not a TCP port (1-65535)")
        return cls(parsed.host.lower(), registrable_domain(parsed.host))

    def allows(self, url: httpx.URL, redirect: bool = False) -> bool:
        """True when ``url`` is http(s) on the named host, or (for a redirect) inside its registrable domain."""
        host = (url.host or "").lower().rstrip(".")
        if url.scheme not in ("http", "https"):
            return False
        if host == self.host:
            return True
        return redirect and (host == self.domain or host.endswith("." + self.domain))


class Budget:
    """A cap on the number of requests (and DNS queries) and on wall time; ``take`` spends one request."""

    def __init__(self, max_requests: int, max_seconds: float) -> None:
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_seconds
        self.spent = 0

    def take(self) -> None:
        """Spend one request.

        Raises:
            BudgetSpent: the request cap or the time cap is reached.
        """
        if self.spent >= self.max_requests:
            raise BudgetSpent(f"request cap reached ({self.max_requests})")
        if time.monotonic() >= self.deadline:
            raise BudgetSpent("time cap reached")
        self.spent += 1

    def seconds_left(self) -> float:
        """Seconds until the time cap (never negative)."""
        return max(0.0, self.deadline - time.monotonic())


class _NoCookies(DefaultCookiePolicy):
    """A cookie policy that neither stores nor returns any cookie."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


class ProbeClient:
    """The only way the probe speaks HTTP: every request is scope-checked, budgeted, timed out and sent without
    cookies or credentials; redirects are returned, never followed (callers check each hop with ``allows``).

    ``verify`` is an ``ssl.SSLContext`` (the system trust store by default, plus ``--ca-file``).
    """

    def __init__(self, scope: Scope, budget: Budget, verify: ssl.SSLContext, timeout: float = 10.0) -> None:
        self.scope, self.budget, self.verify_context, self.timeout = scope, budget, verify, timeout
        self._client = self._new_client(verify)
        self._current = verify

    def _new_client(self, verify: ssl.SSLContext) -> httpx.Client:
        # trust_env=False: no proxy, no .netrc credentials from the environment
        return httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=self.timeout, follow_redirects=False,
                            verify=verify, cookies=CookieJar(policy=_NoCookies()), trust_env=False)

    def relax_verification(self) -> None:
        """Go on without certificate verification (after EDGE703 is recorded), so the other checks still run."""
        lenient = ssl.create_default_context()
        lenient.check_hostname, lenient.verify_mode = False, ssl.CERT_NONE
        self._client.close()
        self._client = self._new_client(lenient)
        self._current = lenient

    def send(self, method: str, url: str, *, headers: dict[str, str] | None = None, content: bytes | None = None,
             redirect: bool = False) -> httpx.Response:
        """Send one request and return the response (its body read up to ``MAX_BODY_BYTES``, decoded).

        Raises:
            OutOfScope: ``url`` is outside the scope. BudgetSpent: the cap is reached.
            httpx.HTTPError: the request failed (connection refused, timeout, TLS error) or ``url`` is not a
                valid URL (``httpx.RequestError``, nothing sent).
        """
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:  # a route path from the repository with a control character, say
            raise httpx.RequestError(f"not a valid URL, not sent ({exc})") from None
        if not self.scope.allows(target, redirect=redirect):
            raise OutOfScope(f"{url} is outside the probe's scope ({self.scope.host}, {self.scope.domain})")
        self.budget.take()
        clean = {k: v for k, v in (headers or {}).items() if k.lower() not in FORBIDDEN_HEADERS}
        request = self._client.build_request(method, target, headers=clean, content=content)
        for name in FORBIDDEN_HEADERS:
            request.headers.pop(name, None)
        client = self._client
        return self._within(lambda: _bounded(client.send(request, stream=True), request), request)

    def _within(self, work: Callable[[], httpx.Response], request: httpx.Request) -> httpx.Response:
        """Run ``work`` with a hard deadline of ``timeout`` seconds for the whole exchange. httpx's timeout bounds
        each read, so a server that trickles its headers or body a byte at a time would hold the run forever;
        the request runs in a daemon thread, and one that misses the deadline is abandoned with its connection
        pool (closed in the background; the next request gets a fresh pool).

        Raises:
            httpx.ReadTimeout: no complete answer within the deadline. Whatever ``work`` raised.
        """
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["response"] = work()
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=run, name="launch-ready-probe-request", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            stuck, self._client = self._client, self._new_client(self._current)
            threading.Thread(target=stuck.close, name="launch-ready-probe-close", daemon=True).start()
            raise httpx.ReadTimeout(f"no complete answer within {self.timeout:g} s (the server kept the "
                                    "connection open, sending slowly)", request=request)
        if "error" in box:
            raise box["error"]
        response: httpx.Response = box["response"]
        return response

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def _bounded(streamed: httpx.Response, request: httpx.Request) -> httpx.Response:
    """A copy of ``streamed`` holding at most ``MAX_BODY_BYTES`` of its body; the stream is closed.

    The body is read raw (at most ``MAX_BODY_BYTES`` from the wire) and its ``Content-Encoding`` layers are
    undone here, each bounded to ``MAX_BODY_BYTES`` of output: httpx decodes a whole network chunk at once, and
    a 7 KB answer gzipped twice (``Content-Encoding: gzip, gzip``) expands to gigabytes. An encoding we do not
    know (``br``, ``zstd``, which we never ask for) is left as it came.
    """
    raw = bytearray()
    try:
        for chunk in streamed.iter_raw():
            raw += chunk
            if len(raw) >= MAX_BODY_BYTES:
                break
    finally:
        streamed.close()
    body = bytes(raw[:MAX_BODY_BYTES])
    layers = [e.strip().lower() for e in streamed.headers.get("content-encoding", "").split(",")]
    for encoding in reversed([e for e in layers if e and e != "identity"]):
        decoded = _decoded(encoding, body)
        if decoded is None:
            break
        body = decoded
    # raw bytes: a header value with non-ASCII bytes (``X-Office: Zürich`` in UTF-8) must not fail a re-encode
    headers = [(k, v) for k, v in streamed.headers.raw
               if k.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")]
    return httpx.Response(streamed.status_code, headers=headers, content=body, request=request,
                          extensions=streamed.extensions)


def _decoded(encoding: str, data: bytes) -> bytes | None:
    """``data`` with one ``gzip`` / ``x-gzip`` / ``deflate`` layer undone, at most ``MAX_BODY_BYTES`` of it (a
    truncated stream gives what it holds, a damaged one ``b""``); None for any other encoding."""
    if encoding in ("gzip", "x-gzip"):
        modes = [16 + zlib.MAX_WBITS]
    elif encoding == "deflate":
        modes = [zlib.MAX_WBITS, -zlib.MAX_WBITS]  # RFC 9110 says zlib-wrapped; some servers send raw deflate
    else:
        return None
    for wbits in modes:
        try:
            return zlib.decompressobj(wbits).decompress(data, MAX_BODY_BYTES)
        except zlib.error:
            continue
    return b""


def ssl_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The verifying TLS context: the system trust store, plus ``ca_file`` (PEM) when given."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context
