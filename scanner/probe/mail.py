"""Email authentication for ``--domain``: MX (EDGE710), SPF with ``-all``/``~all`` and at most 10 lookups
(EDGE707), DMARC ``p=quarantine|reject`` (EDGE708) through ``checkdmarc`` (its MX STARTTLS test off: no SMTP
connection, ever), and DKIM keys for the given or common selectors (EDGE709) through ``dnspython``. DNS goes
only to the system resolver or ``--nameserver``."""

from __future__ import annotations

import ipaddress
from typing import Any

import dkim.util
import dns.exception
import dns.nameserver
import dns.resolver
from checkdmarc.dmarc import check_dmarc
from checkdmarc.smtp import check_mx
from checkdmarc.spf import check_spf

from scanner.probe.context import ProbeContext
from scanner.probe.scope import ProbeError

#: Selectors tried when none is given: the defaults of common mail providers.
COMMON_SELECTORS = ("default", "google", "selector1", "selector2", "k1", "s1", "s2", "mail", "dkim", "resend")
_GOOD_ALL = ("fail", "softfail")
DNS_TIMEOUT = 5.0


def nameservers(specs: tuple[str, ...]) -> list[dns.nameserver.Nameserver] | None:
    """``HOST:PORT`` / ``HOST`` / ``[IPv6]:PORT`` strings as dnspython nameservers; None: the system resolver.

    Raises:
        ProbeError: a port is not a number.
    """
    if not specs:
        return None
    return [_nameserver(spec) for spec in specs]


def _nameserver(spec: str) -> dns.nameserver.Nameserver:
    if spec.startswith("["):
        host, _, rest = spec[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else "53"
    elif spec.count(":") == 1:
        host, _, port = spec.partition(":")
    else:
        host, port = spec, "53"
    if not port.isdigit() or not host:
        raise ProbeError(f"--nameserver {spec!r}: expected an IP address with an optional :PORT")
    try:
        ipaddress.ip_address(host)
        return dns.nameserver.Do53Nameserver(host, int(port))
    except ValueError as exc:
        raise ProbeError(f"--nameserver {spec!r}: {exc}") from None


def dns_queries(domain: str, selectors: tuple[str, ...]) -> list[str]:
    """The DNS questions the email checks ask first (SPF includes add up to 10 more), for the plan."""
    return ([f"MX {domain}", f"TXT {domain} (SPF)", f"TXT _dmarc.{domain}"]
            + [f"TXT {s}._domainkey.{domain}" for s in selectors or COMMON_SELECTORS])


def spf_problem(result: dict[str, Any]) -> str | None:
    """Why checkdmarc's SPF ``result`` fails EDGE707 (missing/invalid, permissive ``all``, too many lookups)."""
    if not result.get("valid"):
        return f"no valid SPF record ({result.get('error', 'missing')})"
    lookups = result.get("dns_lookups") or 0
    if lookups > 10:
        return f"SPF needs {lookups} DNS lookups (limit 10)"
    qualifier = (result.get("parsed") or {}).get("all")
    if qualifier not in _GOOD_ALL:
        return f"SPF ends in {qualifier or 'no all mechanism'}; use -all or ~all"
    return None


def dmarc_problem(result: dict[str, Any]) -> str | None:
    """Why checkdmarc's DMARC ``result`` fails EDGE708 (missing/invalid, or policy not quarantine/reject)."""
    if not result.get("valid"):
        return f"no valid DMARC record ({result.get('error', 'missing')})"
    policy = ((result.get("tags") or {}).get("p") or {}).get("value")
    return None if policy in ("quarantine", "reject") else f"DMARC policy is p={policy}"


def dkim_selectors_found(domain: str, selectors: tuple[str, ...], servers: list[Any] | None) -> list[str]:
    """The selectors under ``domain`` whose ``_domainkey`` TXT record carries a public key (``p=`` non-empty)."""
    resolver = dns.resolver.Resolver(configure=servers is None)
    if servers is not None:
        resolver.nameservers = servers
    resolver.lifetime = DNS_TIMEOUT
    found = []
    for selector in selectors or COMMON_SELECTORS:
        try:
            answer = resolver.resolve(f"{selector}._domainkey.{domain}", "TXT")
        except dns.exception.DNSException:
            continue
        for record in answer:
            tags = dkim.util.parse_tag_value(b"".join(record.strings))
            if tags.get(b"p"):
                found.append(selector)
                break
    return found


def run(ctx: ProbeContext, domain: str) -> None:
    """Run the four email checks for ``domain`` and record EDGE707-710."""
    servers = nameservers(ctx.options.nameservers)
    common: dict[str, Any] = {"nameservers": servers, "timeout": DNS_TIMEOUT, "retries": 0}
    where = f"dns:{domain}"
    mx = check_mx(domain, check_mx_tls=False, **common)
    if not mx.get("hosts"):
        ctx.add("EDGE710", f"{domain} has no MX record", url=where)
    problem = spf_problem(dict(check_spf(domain, **common)))
    if problem:
        ctx.add("EDGE707", f"{domain}: {problem}", url=where)
    problem = dmarc_problem(dict(check_dmarc(domain, **common)))
    if problem:
        ctx.add("EDGE708", f"{domain}: {problem}", url=where)
    selectors = ctx.options.dkim_selectors
    if not dkim_selectors_found(domain, selectors, servers):
        tried = ", ".join(selectors or COMMON_SELECTORS)
        ctx.add("EDGE709", f"{domain}: no DKIM key under the selectors {tried}", url=where)
    ctx.outcome.count("dns_checks", 4)
    ctx.outcome.mark("EDGE707", "EDGE708", "EDGE709", "EDGE710")
