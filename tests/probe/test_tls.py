"""HTTPS and TLS checks (EDGE701-706) against HTTP and HTTPS servers started on 127.0.0.1."""

from __future__ import annotations

import datetime
import ssl
from pathlib import Path

import pytest

from scanner.probe.tls import hsts_max_age, protocol_outdated
from tests.probe.helpers import codes, notes, probe
from tests.probe.servers import Reply, Seen, make_tls, routes_app, serve

YEAR = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}


def _redirect(to: str) -> Reply:
    return Reply(301, {"Location": to})


def test_good_site_has_no_edge_finding(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    with serve(routes_app({}, Reply(200, YEAR, b"ok")), tls.server) as https, \
            serve(routes_app({}, _redirect(https.url + "/"))) as http:
        result = probe(https.url + "/", ca_file=tls.ca_file, http_port=http.port)
    assert codes(result) == []
    assert result.stats["tls_protocol_TLSv1_3"] == 1
    assert [s.path for s in http.seen] == ["/"]


def test_plain_http_served_is_edge701() -> None:
    with serve(routes_app({}, Reply(200, {}, b"hello"))) as http:
        result = probe(http.url + "/")
    assert codes(result) == ["EDGE701"]
    finding = result.findings[0]
    assert (finding.location.path, finding.location.line) == (http.url + "/", 1)
    assert finding.message.startswith(f"{http.url}/ is served over plain HTTP (200, 0 redirect(s))")


def test_redirect_loop_is_edge702() -> None:
    with serve(routes_app({}, _redirect("/"))) as http:
        result = probe(http.url + "/")
    assert codes(result) == ["EDGE702"]
    assert "loops back to" in result.findings[0].message


def test_first_hop_staying_on_http_is_edge702(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    with serve(routes_app({}, Reply(200, YEAR, b"ok")), tls.server) as https, \
            serve(routes_app({("GET", "/"): _redirect("/www")}, _redirect(https.url + "/"))) as http:
        result = probe(https.url + "/", ca_file=tls.ca_file, http_port=http.port)
    assert codes(result) == ["EDGE702"]
    assert "first hop stays on plain HTTP" in result.findings[0].message


def test_off_domain_redirect_is_edge702_and_not_followed() -> None:
    with serve(routes_app({("GET", "/"): _redirect("https://elsewhere.example/")}, Reply(200, {}, b"x"))) as http:
        result = probe(http.url + "/")  # the audit hook fails the test if elsewhere.example is looked up
    assert codes(result) == ["EDGE702"]
    assert "leaves the site's domain (127.0.0.1) for elsewhere.example (not followed)" in result.findings[0].message


@pytest.mark.parametrize(("headers", "message"), [
    ({}, "sends no Strict-Transport-Security header"),
    ({"Strict-Transport-Security": "max-age=86400"}, "max-age=86400 is under 180 days"),
])
def test_hsts_missing_or_short_is_edge706(tmp_path: Path, headers: dict[str, str], message: str) -> None:
    tls = make_tls(tmp_path)
    with serve(routes_app({}, Reply(200, headers, b"ok")), tls.server) as https:
        result = probe(https.url + "/", ca_file=tls.ca_file)
    assert codes(result) == ["EDGE706"]
    assert message in result.findings[0].message
    assert "plain-HTTP redirect not tested: the https port is not 443; pass --http-port" in notes(result)


def test_untrusted_certificate_is_edge703_and_the_probe_goes_on(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    with serve(routes_app({}, Reply(200, YEAR, b"ok")), tls.server) as https:
        result = probe(https.url + "/")  # the test CA is not trusted
    assert codes(result) == ["EDGE703"]
    assert "certificate verify failed" not in result.findings[0].message  # the verify message itself
    assert "self-signed" in result.findings[0].message or "issuer" in result.findings[0].message
    assert "certificate does not verify: the other checks ran without verification" in notes(result)


def test_certificate_for_another_host_is_edge703(tmp_path: Path) -> None:
    tls = make_tls(tmp_path, "app.example.test")
    with serve(routes_app({}, Reply(200, YEAR, b"ok")), tls.server) as https:
        result = probe(https.url + "/", ca_file=tls.ca_file)
    assert codes(result) == ["EDGE703"]
    assert "mismatch" in result.findings[0].message.lower()


def test_certificate_expiring_within_14_days_is_edge704(tmp_path: Path) -> None:
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5, hours=12)
    tls = make_tls(tmp_path, not_after=soon)
    with serve(routes_app({}, Reply(200, YEAR, b"ok")), tls.server) as https:
        result = probe(https.url + "/", ca_file=tls.ca_file)
    assert codes(result) == ["EDGE704"]
    assert "expires in 6 day(s)" in result.findings[0].message or "expires in 5 day(s)" in result.findings[0].message


@pytest.mark.parametrize(("version", "outdated"), [
    ("SSLv3", True), ("TLSv1", True), ("TLSv1.1", True), ("TLSv1.2", False), ("TLSv1.3", False), (None, False),
])
def test_protocol_below_tls12_is_outdated(version: str | None, outdated: bool) -> None:
    assert protocol_outdated(version) is outdated


@pytest.mark.parametrize(("header", "age"), [
    ("max-age=31536000; includeSubDomains", 31536000), ('includeSubDomains; max-age="600"', 600),
    ("MAX-AGE=0", 0), ("includeSubDomains", None), (None, None),
    ("max-age=15552000abc", None), ("max-age=31536000; max-age=31536000", None), ("max-age=", None),
    ("max-age=-1", None), ("max-age=31536000 ; preload", 31536000),
])
def test_hsts_max_age(header: str | None, age: int | None) -> None:
    assert hsts_max_age(header) == age


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion:DeprecationWarning")  # the server side of the test only
def test_a_server_with_only_tls_1_0_and_1_1_is_edge705_and_the_report_is_kept(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    try:
        tls.server.set_ciphers("ALL:@SECLEVEL=0")
        tls.server.minimum_version, tls.server.maximum_version = ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1
    except (ValueError, ssl.SSLError):
        pytest.skip("this OpenSSL cannot serve TLS 1.0/1.1")
    with serve(routes_app({}, Reply(200, {}, b"ok")), tls.server) as https:
        result = probe(https.url + "/", ca_file=tls.ca_file)
    assert codes(result) == ["EDGE705"]
    assert result.findings[0].message.startswith("127.0.0.1 offers no TLS 1.2 or 1.3: the handshake was refused (")
    assert "127.0.0.1 offers no TLS 1.2 or 1.3; the other checks need HTTPS: the other checks did not run" in notes(
        result)


def test_an_https_site_that_redirects_to_itself_is_edge702(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)

    def loop(seen: Seen) -> Reply:
        return Reply(302, {"Location": seen.path})

    for tail in ("/", ""):  # the target with and without its root path
        with serve(loop, tls.server) as https:
            result = probe(https.url + tail, ca_file=tls.ca_file)
        loops = [f.message for f in result.findings if f.rule_id == "EDGE702"]
        assert loops == [f"{https.url}{tail} redirects to itself (302): a loop no browser can leave"]
        assert f"{https.url}{tail} redirects to itself: the other checks judged redirects, not pages" in notes(result)
