"""Email authentication (EDGE707-710) against a local DNS server (dnslib) answering a test zone; the checks are
pointed at it with --nameserver and never open an SMTP connection."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dnslib.server import DNSLogger, DNSServer
from dnslib.zoneresolver import ZoneResolver

from scanner.probe.mail import QUESTION_CAPS, check_domain, nameservers
from scanner.probe.scope import ProbeError
from tests.probe.helpers import codes, probe
from tests.probe.servers import Reply, serve

ZONE = """
good.test. 60 IN MX 10 mail.good.test.
good.test. 60 IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.good.test. 60 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"
s1._domainkey.good.test. 60 IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
mail.good.test. 60 IN A 192.0.2.1
soft.test. 60 IN MX 10 mail.good.test.
soft.test. 60 IN TXT "v=spf1 ip4:192.0.2.1 ~all"
_dmarc.soft.test. 60 IN TXT "v=DMARC1; p=quarantine"
google._domainkey.soft.test. 60 IN TXT "v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"
bad.test. 60 IN TXT "v=spf1 +all"
_dmarc.bad.test. 60 IN TXT "v=DMARC1; p=none"
s1._domainkey.bad.test. 60 IN TXT "v=DKIM1; p="
"""


@pytest.fixture(scope="module")
def dns_server() -> Iterator[str]:
    server = DNSServer(ZoneResolver(ZONE), port=0, address="127.0.0.1",
                       logger=DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False))
    server.start_thread()
    try:
        yield f"127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve(lambda seen: Reply(401, {}, b"{}")) as server:
        yield server.url


@pytest.mark.parametrize(("domain", "selectors", "expected"), [
    ("good.test", ("s1",), []),
    ("soft.test", (), []),  # ~all, p=quarantine, a common selector (google)
    ("good.test", ("nope",), ["EDGE709"]),
    ("bad.test", ("s1",), ["EDGE707", "EDGE708", "EDGE709", "EDGE710"]),
    ("missing.test", (), ["EDGE707", "EDGE708", "EDGE709", "EDGE710"]),
])
def test_email_checks(dns_server: str, site: str, domain: str, selectors: tuple[str, ...],
                      expected: list[str]) -> None:
    result = probe(site, domain=domain, dkim_selectors=selectors, nameservers=(dns_server,))
    assert sorted(c for c in codes(result, "EDGE7") if c != "EDGE701") == expected
    for finding in result.findings:
        if finding.rule_id in expected:
            assert finding.location.path == f"dns:{domain}"


def test_messages_name_the_problem(dns_server: str, site: str) -> None:
    result = probe(site, domain="bad.test", dkim_selectors=("s1",), nameservers=(dns_server,))
    messages = {f.rule_id: f.message for f in result.findings}
    assert messages["EDGE707"] == "bad.test: SPF ends in pass; use -all or ~all"
    assert messages["EDGE708"] == "bad.test: DMARC policy is p=none"
    assert messages["EDGE709"] == "bad.test: no DKIM key under the selectors s1"
    assert messages["EDGE710"] == "bad.test has no MX record"


@pytest.mark.parametrize(("spec", "address", "port"), [
    ("127.0.0.1:5353", "127.0.0.1", 5353), ("127.0.0.1", "127.0.0.1", 53), ("[::1]:53", "::1", 53),
])
def test_nameserver_specs(spec: str, address: str, port: int) -> None:
    [server] = nameservers((spec,)) or []
    assert (server.address, server.port) == (address, port)  # type: ignore[attr-defined]


@pytest.mark.parametrize("spec", ["127.0.0.1:dns", "ns.example.com:53", ":53"])
def test_bad_nameserver_is_a_usage_error(spec: str) -> None:
    with pytest.raises(ProbeError, match="--nameserver"):
        nameservers((spec,))


@pytest.mark.parametrize(("domain", "own", "message"), [
    ("127.0.0.1", True, "an IP address is not a mail domain"),
    ("[::1]", False, "an IP address is not a mail domain"),
    ("localhost", False, "not a public domain name"),
    ("shop.localhost", False, "a special-use name"),
    ("example.invalid", False, "a special-use name"),
    ("mail.test", False, "a special-use name"),
    ("printer.local", False, "a special-use name"),
    ("bad_domain..com", False, "not a public domain name"),
    ("a.b\r\nX: y", False, "not a public domain name"),
    ("hidden.onion", False, "a special-use name"),
    ("app.alt", False, "a special-use name"),
    ("co.uk", False, "a public suffix"),
    ("github.io", True, "a public suffix"),
])
def test_a_domain_that_is_no_public_mail_domain_is_refused(domain: str, own: bool, message: str) -> None:
    with pytest.raises(ProbeError, match=message):
        check_domain(domain, own_resolver=own)


@pytest.mark.parametrize(("domain", "own", "expected"), [
    ("Example.COM.", False, "example.com"), ("good.test", True, "good.test"), ("mail.co.uk", False, "mail.co.uk"),
])
def test_a_mail_domain_is_normalised(domain: str, own: bool, expected: str) -> None:
    assert check_domain(domain, own_resolver=own) == expected


def test_a_resolver_that_does_not_answer_is_not_a_missing_record(site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setattr("scanner.probe.mail.DNS_TIMEOUT", 0.3)
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # bound, never answers
    silent.bind(("127.0.0.1", 0))
    try:
        result = probe(site, domain="unasked.test", dkim_selectors=("s1",),  # not in checkdmarc's cache
                       nameservers=(f"127.0.0.1:{silent.getsockname()[1]}",))
    finally:
        silent.close()
    assert [c for c in codes(result, "EDGE7") if c != "EDGE701"] == []
    assert any(n.message == "email checks not completed for unasked.test: DNS gave no answer for MX, SPF, DMARC, "
               "DKIM (timeout or unreachable resolver); run again or pass --nameserver"
               for n in result.notifications)


CHAIN = "".join(f'chain{n}.test. 60 IN TXT "v=spf1 include:chain{n + 1}.test -all"\n' for n in range(200))
CHAIN += 'chain.test. 60 IN TXT "v=spf1 include:chain0.test ~all"\n'


def test_an_endless_spf_include_chain_stops_at_the_question_cap(site: str) -> None:
    asked: list[str] = []

    class Counting(ZoneResolver):
        def resolve(self, request: object, handler: object) -> object:
            asked.append(str(request.q.qname))  # type: ignore[attr-defined]
            return super().resolve(request, handler)

    server = DNSServer(Counting(CHAIN), port=0, address="127.0.0.1",
                       logger=DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False))
    server.start_thread()
    try:
        result = probe(site, domain="chain.test", dkim_selectors=("s1",),
                       nameservers=(f"127.0.0.1:{server.server.server_address[1]}",))
    finally:
        server.stop()
    spf = [f.message for f in result.findings if f.rule_id == "EDGE707"]
    assert len(spf) == 1 and spf[0].startswith("chain.test: no valid SPF record (")
    assert len([q for q in asked if q.startswith("chain")]) <= sum(QUESTION_CAPS.values()) + 1
