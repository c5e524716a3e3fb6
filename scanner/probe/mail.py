"""Email authentication for ``--domain``: MX (EDGE710), SPF with ``-all``/``~all`` and at most 10 lookups
(EDGE707), DMARC ``p=quarantine|reject`` (EDGE708) through ``checkdmarc`` (its MX STARTTLS test off: no SMTP
connection, ever), and DKIM keys for the given or common selectors (EDGE709) through ``dnspython``. DNS goes
only to the system resolver or ``--nameserver``."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re
from collections.abc import Iterator
from typing import Any

import dkim.util
import dns.exception
import dns.nameserver
import dns.resolver
from checkdmarc.dmarc import check_dmarc
from checkdmarc.smtp import check_mx
from checkdmarc.spf import check_spf

from scanner.probe.context import ProbeContext
from scanner.probe.scope import ProbeError, is_public_suffix

#: Selectors tried when none is given: the defaults of common mail providers.
COMMON_SELECTORS = ("default", "google", "selector1", "selector2", "k1", "s1", "s2", "mail", "dkim", "resend")
_GOOD_ALL = ("fail", "softfail")
DNS_TIMEOUT = 5.0
_CODE_OF = {"MX": "EDGE710", "SPF": "EDGE707", "DMARC": "EDGE708", "DKIM": "EDGE709"}
#: Special-use names that must never reach a resolver (RFC 6761: localhost, invalid, test, example; RFC 6762:
#: local; RFC 8375: home.arpa; ICANN 2024: internal; RFC 7686: onion; RFC 9476: alt): no mail domain lives there.
_SPECIAL_USE = ("localhost", "invalid", "test", "example", "local", "home.arpa", "internal", "onion", "alt")
#: checkdmarc errors that mean the resolver did not answer (the record may exist): inconclusive, not missing.
_NO_ANSWER = re.compile(r"(?i)lifetime expired|timed out|timeout|SERVFAIL|no nameservers|failed to answer|"
                        r"unreachable|connection refused")


#: DNS questions each email check may ask: RFC 7208 4.6.4 allows SPF 10 lookups (plus the record itself and
#: at most 2 void lookups), DMARC asks one or two (the organisational domain), MX one per host and its
#: addresses. A hostile zone (an endless include chain) ends there instead of sending thousands of questions.
QUESTION_CAPS = {"MX": 24, "SPF": 16, "DMARC": 4}


class QuestionCapReached(dns.exception.DNSException):
    """A capped resolver was asked more questions than its cap."""

    def __init__(self, message: str) -> None:
        super().__init__(message)  # type: ignore[no-untyped-call]  # dnspython's own signature is untyped


class CappedResolver(dns.resolver.Resolver):
    """A dnspython resolver (the system's, or ``servers``) that refuses the question after ``cap`` with
    ``QuestionCapReached``; each question gets ``lifetime`` seconds (``--timeout``, at most ``DNS_TIMEOUT``)."""

    def __init__(self, servers: list[dns.nameserver.Nameserver] | None, cap: int,
                 lifetime: float = DNS_TIMEOUT) -> None:
        super().__init__(configure=servers is None)
        if servers is not None:
            self.nameservers = servers
        self.lifetime, self.timeout = lifetime, min(1.0, lifetime)
        self.asked, self.cap = 0, cap

    def resolve(self, *args: Any, **kwargs: Any) -> dns.resolver.Answer:
        """``Resolver.resolve``, counted.

        Raises:
            QuestionCapReached: the cap is reached (nothing is sent).
        """
        self.asked += 1
        if self.asked > self.cap:
            raise QuestionCapReached(f"stopped after {self.cap} DNS questions")
        return super().resolve(*args, **kwargs)


def check_domain(domain: str, own_resolver: bool = False) -> str:
    """``domain`` lower-cased without its trailing dot, when it can be a mail domain.

    Raises:
        ProbeError: an IP address, a name with no dot or with characters a host name cannot hold, or a
            special-use name (``localhost``, ``*.invalid``, ``*.test``, ``*.local``...) unless the user names
            their own resolver (``own_resolver``, ``--nameserver``): the system resolver would send the question
            off the machine, which could only leak what is being tested.
    """
    name = domain.strip().rstrip(".").lower()
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        pass
    else:
        raise ProbeError(f"--domain {domain!r}: an IP address is not a mail domain; give the domain mail is sent from")
    if not re.fullmatch(r"(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}", name):
        raise ProbeError(f"--domain {domain!r}: not a public domain name (e.g. example.com)")
    if is_public_suffix(name):
        raise ProbeError(f"--domain {domain!r}: a public suffix (like co.uk or github.io), not a mail domain; give "
                         "the domain mail is sent from")
    if not own_resolver and any(name == tld or name.endswith("." + tld) for tld in _SPECIAL_USE):
        raise ProbeError(f"--domain {domain!r}: a special-use name (RFC 6761) has no public DNS; nothing to check "
                         "(pass --nameserver to ask your own DNS server)")
    return name


@contextlib.contextmanager
def _quiet_resolvers() -> Iterator[None]:
    """checkdmarc logs resolver failures as warnings on standard error; the probe reports them itself."""
    logger = logging.getLogger("checkdmarc")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


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
    """The DNS questions the email checks ask first, for the plan; the last line gives the cap on all of them
    (SPF includes, MX host addresses and DNSSEC add questions up to ``QUESTION_CAPS``)."""
    dkim = [f"TXT {s}._domainkey.{domain}" for s in selectors or COMMON_SELECTORS]
    return ([f"MX {domain}", f"TXT {domain} (SPF)", f"TXT _dmarc.{domain}", *dkim,
             f"at most {sum(QUESTION_CAPS.values()) + len(dkim)} questions in all (SPF includes, MX addresses)"])


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


def dkim_selectors_found(domain: str, selectors: tuple[str, ...], servers: list[Any] | None,
                         lifetime: float = DNS_TIMEOUT) -> tuple[list[str], int]:
    """``(selectors whose _domainkey TXT record carries a public key (p= non-empty), how many lookups got no
    answer)``: a timeout or an unreachable resolver is not a missing key."""
    resolver = dns.resolver.Resolver(configure=servers is None)
    if servers is not None:
        resolver.nameservers = servers
    resolver.lifetime = lifetime
    found, unanswered = [], 0
    for selector in selectors or COMMON_SELECTORS:
        try:
            answer = resolver.resolve(f"{selector}._domainkey.{domain}", "TXT")
        except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.resolver.LifetimeTimeout):
            unanswered += 1
            continue
        except dns.exception.DNSException:
            continue
        for record in answer:
            tags = dkim.util.parse_tag_value(b"".join(record.strings))
            if tags.get(b"p"):
                found.append(selector)
                break
    return found, unanswered


def run(ctx: ProbeContext, domain: str) -> None:
    """Run the four email checks for ``domain`` and record EDGE707-710; a check whose DNS questions got no
    answer (timeout, SERVFAIL, no reachable resolver) is noted as not completed, never reported as missing."""
    servers = nameservers(ctx.options.nameservers)
    timeout = min(DNS_TIMEOUT, ctx.options.timeout)
    resolvers = {name: CappedResolver(servers, cap, timeout) for name, cap in QUESTION_CAPS.items()}

    def common(name: str) -> dict[str, Any]:
        return {"nameservers": servers, "resolver": resolvers[name], "timeout": timeout, "retries": 0}

    where = f"dns:{domain}"
    unanswered: list[str] = []
    with _quiet_resolvers():
        mx = check_mx(domain, check_mx_tls=False, **common("MX"))
        spf = dict(check_spf(domain, **common("SPF")))
        dmarc = dict(check_dmarc(domain, **common("DMARC")))
        dkim_found, dkim_unanswered = dkim_selectors_found(domain, ctx.options.dkim_selectors, servers, timeout)
    checked: list[str] = []
    if _NO_ANSWER.search(str(mx.get("error") or "")):
        unanswered.append("MX")
    else:
        checked.append("EDGE710")
        if not mx.get("hosts"):
            ctx.add("EDGE710", f"{domain} has no MX record", url=where)
    for code, name, result, judge in (("EDGE707", "SPF", spf, spf_problem), ("EDGE708", "DMARC", dmarc,
                                                                           dmarc_problem)):
        if _NO_ANSWER.search(str(result.get("error") or "")):
            unanswered.append(name)
            continue
        checked.append(code)
        problem = judge(result)
        if problem:
            ctx.add(code, f"{domain}: {problem}", url=where)
    selectors = ctx.options.dkim_selectors
    if dkim_found or not dkim_unanswered:
        checked.append("EDGE709")
        if not dkim_found:
            ctx.add("EDGE709", f"{domain}: no DKIM key under the selectors {', '.join(selectors or COMMON_SELECTORS)}",
                    url=where)
    else:
        unanswered.append("DKIM")
    if unanswered:  # an incomplete probe: a gate must not pass on records nobody could read
        ctx.outcome.note(f"email checks not completed for {domain}: DNS gave no answer for {', '.join(unanswered)} "
                         "(timeout or unreachable resolver); run again or pass --nameserver", "error")
        for name in unanswered:
            ctx.outcome.stats[f"unfinished_{_CODE_OF[name]}"] = 1
    ctx.outcome.count("dns_checks", len(checked))
    ctx.outcome.mark(*checked)
