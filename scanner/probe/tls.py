"""HTTPS and TLS: ``http://`` redirects to ``https://`` in one in-domain hop without loops (EDGE701/702), HSTS of
at least 180 days (EDGE706), a certificate that verifies and does not expire within 14 days (EDGE703/704), and
the negotiated protocol (EDGE705 below TLS 1.2)."""

from __future__ import annotations

import socket
import ssl
import time

import httpx

from scanner.probe.context import ProbeContext
from scanner.probe.scope import ProbeError

HSTS_MIN_SECONDS = 180 * 24 * 3600
EXPIRY_WARNING_DAYS = 14
MAX_HOPS = 3
_OUTDATED = frozenset({"SSLv2", "SSLv3", "TLSv1", "TLSv1.1"})


#: OpenSSL's reasons when a server offers only protocols below the client's minimum (TLS 1.2).
_NO_MODERN_TLS = frozenset({"TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "WRONG_SSL_VERSION",
                            "NO_PROTOCOLS_AVAILABLE"})


class NoModernTLS(ProbeError):
    """The target offers no TLS 1.2 or 1.3: every later HTTPS request would fail the same way."""


def protocol_outdated(version: str | None) -> bool:
    """True when the negotiated protocol (``ssl.SSLSocket.version()``: ``TLSv1.3``, ``TLSv1``, ...) is below
    TLS 1.2."""
    return version in _OUTDATED


def hsts_max_age(header: str | None) -> int | None:
    """The ``max-age`` of one ``Strict-Transport-Security`` value in seconds, or None when a browser would
    ignore the header (RFC 6797 section 6.1): no ``max-age``, a value that is not a number
    (``max-age=15552000abc``), or any directive given twice (``max-age=1; max-age=1``)."""
    seen: set[str] = set()
    age: int | None = None
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        name = name.strip().lower()
        if not name:
            continue
        if name in seen:
            return None
        seen.add(name)
        if name == "max-age":
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            if not value.isdigit() or not value.isascii():
                return None
            age = int(value)
    return age


def plain_http_url(ctx: ProbeContext) -> str | None:
    """The ``http://`` URL to test: the target itself when it is ``http``, the same host on port 80 (or
    ``--http-port``) when the target is ``https``; None when the port cannot be known."""
    url = httpx.URL(ctx.options.url)
    if url.scheme == "http":
        return ctx.options.url
    port = ctx.options.http_port or (80 if url.port in (None, 443) else None)
    if port is None:
        return None
    netloc = url.host if port == 80 else f"{url.host}:{port}"
    return f"http://{netloc}{url.path or '/'}"


def check_redirects(ctx: ProbeContext, start: str) -> str | None:
    """Follow ``start``'s redirects hop by hop (each hop scope-checked); record EDGE701/702; return the final
    ``https`` URL reached, or None."""
    seen, url, hops = {start}, start, 0
    while True:
        response = ctx.client.send("GET", url, redirect=hops > 0)
        target = _next_hop(response)
        if target is None:
            break
        hops += 1
        nxt = str(httpx.URL(url).join(target))
        problem = _hop_problem(ctx, url, nxt, hops, seen)
        if problem:
            ctx.add("EDGE702", f"redirect chain from {start}: {problem}", url=start)
            return None
        seen.add(nxt)
        url = nxt
    if not url.startswith("https://"):
        ctx.add("EDGE701", f"{start} is served over plain HTTP ({response.status_code}, {hops} redirect(s)) "
                           "instead of redirecting to https://", url=start)
        return None
    return url


def _next_hop(response: httpx.Response) -> str | None:
    location = response.headers.get("location")
    return location if response.is_redirect and location else None


def _hop_problem(ctx: ProbeContext, current: str, nxt: str, hops: int, seen: set[str]) -> str:
    if nxt in seen:
        return f"loops back to {nxt}"
    if hops > MAX_HOPS:
        return f"more than {MAX_HOPS} hops"
    if not ctx.client.scope.allows(httpx.URL(nxt), redirect=True):
        return f"leaves the site's domain ({ctx.client.scope.domain}) for {httpx.URL(nxt).host} (not followed)"
    if hops == 1 and current.startswith("http://") and nxt.startswith("http://"):
        return f"first hop stays on plain HTTP ({nxt}); redirect to https:// in one hop"
    return ""


def check_hsts(ctx: ProbeContext, url: str) -> None:
    """GET ``url`` (https) and record EDGE706 when HSTS is missing or shorter than 180 days."""
    response = ctx.client.send("GET", url)
    headers = response.headers.get_list("strict-transport-security")
    age = hsts_max_age(headers[0]) if headers else None  # RFC 6797 8.1: only the first header counts
    if not headers:
        ctx.add("EDGE706", f"{url} sends no Strict-Transport-Security header", url=url)
    elif age is None:
        ctx.add("EDGE706", f"{url} sends a Strict-Transport-Security header browsers ignore ({headers[0][:80]!r}: "
                           "max-age missing or not a number, or a directive repeated)", url=url)
    elif age < HSTS_MIN_SECONDS:
        ctx.add("EDGE706", f"Strict-Transport-Security max-age={age} is under 180 days ({HSTS_MIN_SECONDS})",
                url=url)


def check_certificate(ctx: ProbeContext) -> None:
    """Handshake with the target host: EDGE703 when the certificate does not verify, EDGE704 when it expires
    within 14 days, EDGE705 when the protocol is below TLS 1.2 (reported on an unverified retry too) or the
    server refuses every TLS 1.2+ handshake.

    Raises:
        NoModernTLS: the server speaks only TLS older than 1.2 (EDGE705 is recorded first).
    """
    url = httpx.URL(ctx.options.url)
    host, port = url.host, url.port or 443
    verifying = ctx.client.verify_context
    try:
        version, cert = _handshake(ctx, host, port, verifying)
    except ssl.SSLCertVerificationError as exc:
        ctx.add("EDGE703", f"certificate for {host} does not verify: {exc.verify_message or exc.reason}",
                url=ctx.origin)
        lenient = ssl.create_default_context()
        lenient.check_hostname, lenient.verify_mode = False, ssl.CERT_NONE
        version, cert = _handshake(ctx, host, port, lenient)
    except ssl.SSLError as exc:
        if exc.reason not in _NO_MODERN_TLS:
            raise
        ctx.outcome.mark("EDGE705")
        ctx.add("EDGE705", f"{host} offers no TLS 1.2 or 1.3: the handshake was refused ({exc.reason}); allow "
                           "TLS 1.2 and 1.3 only", url=ctx.origin)
        raise NoModernTLS(f"{host} offers no TLS 1.2 or 1.3; the other checks need HTTPS") from None
    ctx.outcome.stats["tls_protocol_" + (version or "unknown").replace(".", "_")] = 1
    ctx.outcome.mark("EDGE703", "EDGE704", "EDGE705")
    if protocol_outdated(version):
        ctx.add("EDGE705", f"{host} negotiated {version}; allow TLS 1.2 and 1.3 only", url=ctx.origin)
    not_after = cert.get("notAfter") if cert else None
    if isinstance(not_after, str):
        days = (ssl.cert_time_to_seconds(not_after) - time.time()) / 86400
        if 0 <= days < EXPIRY_WARNING_DAYS:
            ctx.add("EDGE704", f"certificate for {host} expires in {days:.0f} day(s) ({not_after})",
                    url=ctx.origin)


def _handshake(ctx: ProbeContext, host: str, port: int, context: ssl.SSLContext) -> tuple[str | None, dict]:  # type: ignore[type-arg]
    if not ctx.client.scope.allows(httpx.URL(f"https://{host}:{port}/")):
        raise AssertionError("TLS handshake outside scope")  # unreachable: the target host is the scope
    ctx.client.budget.take()
    with socket.create_connection((host, port), timeout=ctx.options.timeout) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        return tls.version(), dict(tls.getpeercert() or {})


def run(ctx: ProbeContext) -> None:
    """The HTTPS checks for the target: redirect chain from plain HTTP, then HSTS on the https URL (the
    certificate is checked first, by the runner, since every later request depends on it)."""
    start = plain_http_url(ctx)
    final = None
    if start is None:
        ctx.outcome.note("plain-HTTP redirect not tested: the https port is not 443; pass --http-port")
    else:
        final = check_redirects(ctx, start)
        ctx.outcome.mark("EDGE701", "EDGE702")
    https = ctx.options.url if ctx.options.url.startswith("https://") else final
    if https is not None:
        check_hsts(ctx, https)
        ctx.outcome.mark("EDGE706")
