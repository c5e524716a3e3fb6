"""``launch-ready probe``: the plan first, --dry-run, report formats, --routes report.json, exit codes 0/1/2/130."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scanner.cli import main
from scanner.model import ScanResult
from scanner.reporters.json import render as render_json
from tests.probe.conftest import no_socket
from tests.probe.helpers import route
from tests.probe.servers import Reply, Seen, serve


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["probe", *args], catch_exceptions=False)


def _report_json(tmp_path: Path) -> Path:
    routes = (route("POST", "/api/chat", 38, calls_model=True), route("GET", "/api/me", 54, authenticated=True),
              route("GET", "/health", 33, needs_auth=False))
    path = tmp_path / "report.json"
    path.write_text(render_json(ScanResult(root=".", findings=(), routes=routes)), encoding="utf-8")
    return path


def test_dry_run_prints_the_plan_and_sends_nothing(tmp_path: Path) -> None:
    with no_socket():
        result = _run("https://staging.example.com/", "--routes", str(_report_json(tmp_path)), "--dry-run",
                      "--domain", "example.com", "--dkim-selector", "s1", "--allow-writes", "--burst", "30")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "launch-ready probe plan for https://staging.example.com/",
        "  HTTP only to staging.example.com (redirects followed only inside example.com); no cookie or credential",
        "  at most 46 HTTP request(s):",
        "    reachability     1  GET",
        "    https/tls        7  GET          http:// redirect chain (up to 4 hops), HSTS, TLS handshake",
        "    cors             3  OPTIONS/GET  Origin: https://<random>.invalid and Origin: null",
        "    auth             3  GET/POST     2 member route(s), no cookie or token; GET /openapi.json for request "
        "schemas",
        "    rate limit      30  POST         burst of 30 to /api/chat, stops at the first 429 or after 20 s",
        "    errors           2  GET/POST     a missing path; a malformed JSON body (--allow-writes)",
        "  DNS questions to the system resolver (no SMTP connection):",
        "    MX example.com",
        "    TXT example.com (SPF)",
        "    TXT _dmarc.example.com",
        "    TXT s1._domainkey.example.com",
        "    at most 45 questions in all (SPF includes, MX addresses)",
    ]
    with no_socket():
        capped = _run("https://staging.example.com/", "--dry-run", "--max-requests", "10")
    assert capped.stdout.splitlines()[2] == ("  at most 10 HTTP request(s) (--max-requests 10; later checks may not "
                                             "run):")


def test_plan_goes_to_stderr_before_the_report_and_json_has_routes(tmp_path: Path) -> None:
    with serve(lambda seen: Reply(401, {}, b"{}")) as server:
        result = _run(server.url + "/", "--routes", str(_report_json(tmp_path)), "--format", "json", "--burst", "0")
    assert result.stderr.startswith(f"launch-ready probe plan for {server.url}/\n")
    doc = json.loads(result.stdout)
    assert doc["version"] == "1.2"
    assert [(r["method"], r["path"], r["file"], r["line"], r["needs_auth"]) for r in doc["routes"]] == [
        ("GET", "/health", "app.py", 33, False), ("POST", "/api/chat", "app.py", 38, True),
        ("GET", "/api/me", "app.py", 54, True)]
    assert [f["rule_id"] for f in doc["findings"]] == ["EDGE701"]
    assert doc["findings"][0]["family"] == "edge" and doc["findings"][0]["fingerprint"]
    assert result.exit_code == 1


def test_fail_on_threshold_and_clean_exit() -> None:
    with serve(lambda seen: Reply(401, {}, b"{}")) as server:
        assert _run(server.url, "--fail-on", "high").exit_code == 0  # EDGE701 is medium
        assert _run(server.url, "--fail-on", "medium").exit_code == 1


def test_sarif_keeps_only_findings_tied_to_a_source_file(tmp_path: Path) -> None:
    def app(seen: Seen) -> Reply:
        if seen.path == "/api/me" and "origin" not in seen.headers:
            return Reply(200, {}, b'{"id": 1}')
        return Reply(401, {}, b"{}")

    with serve(app) as server:
        result = _run(server.url, "--routes", str(_report_json(tmp_path)), "--format", "sarif", "--burst", "0")
    sarif = json.loads(result.stdout)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("AUTH308", "app.py")]
    assert result.exit_code == 1


def test_unreachable_host_exits_2() -> None:
    with serve(lambda seen: Reply()) as server:
        url = server.url
    result = _run(url, "--timeout", "2")
    assert result.exit_code == 2
    assert "launch-ready: error: host unreachable: " + url in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("ftp://example.com/",), "not an http(s) URL"),
    (("http://127.0.0.1:9/", "--burst", "101"), "Invalid value for '--burst'"),
    (("http://127.0.0.1:9/", "--nameserver", "x:y", "--domain", "example.com"), "--nameserver"),
    (("http://127.0.0.1:9/", "--routes", "/nonexistent/report.json"), "no such file or folder"),
    (("http://alice:hunter2@127.0.0.1:9/",), "the URL carries a user name or password"),
    (("http://127.0.0.1:99999/",), "port 99999 of 'http://127.0.0.1:99999/' is not a TCP port (1-65535)"),
    (("http://127.0.0.1:9/", "-o", "/nonexistent/x.json"), "/nonexistent is not an existing folder"),
])
def test_bad_arguments_exit_2(args: tuple[str, ...], message: str) -> None:
    with no_socket():  # refused before the plan, before any request
        result = _run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "hunter2" not in result.stdout + result.stderr


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(options: object) -> ScanResult:
        raise KeyboardInterrupt

    monkeypatch.setattr("scanner.probe.runner.run_probe", interrupted)
    with no_socket():
        result = _run("http://127.0.0.1:9/")
    assert result.exit_code == 130
    assert "launch-ready: interrupted" in result.stderr


def test_text_and_markdown_reports_render() -> None:
    with serve(lambda seen: Reply(200, {"Access-Control-Allow-Origin": "*"}, b"hi")) as server:
        text = _run(server.url, "--burst", "0")
        markdown = _run(server.url, "--burst", "0", "--format", "markdown")
    assert "CORS505" in text.stdout and "EDGE701" in text.stdout
    assert "CORS505" in markdown.stdout


def test_markdown_scorecard_merges_static_and_live_results(tmp_path: Path) -> None:
    report = tmp_path / "static.json"
    static = {"version": "1.1", "routes": [{"method": "GET", "path": "/api/me", "file": "app.py", "line": 54,
                                            "needs_auth": True}],
              "findings": [{"rule_id": "LOG401", "path": "app.py", "line": 42, "message": "prompt logged"},
                           {"rule_id": "NOPE999", "path": "app.py", "line": 1}]}
    report.write_text(json.dumps(static), encoding="utf-8")
    with serve(lambda seen: Reply(404) if "missing" in seen.path else
               Reply(200, {"Access-Control-Allow-Origin": "*"}, b'{"id": 1}')) as server:
        result = _run(server.url, "--routes", str(report), "--format", "markdown", "--burst", "0")
    assert "LOG401" in result.stdout and "AUTH308" in result.stdout and "CORS505" in result.stdout
    assert "NOPE999" not in result.stdout
    assert result.exit_code == 1


def test_every_live_rule_has_one_scorecard_row() -> None:
    from scanner.rulebook import PROBE_RULES, PROBE_SCORECARD_ROWS

    placed = [code for codes in PROBE_SCORECARD_ROWS.values() for code in codes]
    assert sorted(placed) == sorted(PROBE_RULES)
    edge = {r.id for r in PROBE_RULES.values() if r.family == "edge"}
    assert edge == set(PROBE_SCORECARD_ROWS[9]) | set(PROBE_SCORECARD_ROWS[11])


def test_rows_of_checks_that_did_not_run_stay_not_checked() -> None:
    from scanner.reporters import markdown
    from tests.probe.helpers import probe

    routes = (route("GET", "/api/me", 54, authenticated=True),)
    with serve(lambda seen: Reply(404) if "missing" in seen.path else Reply(200, {}, b"hi")) as server:
        result = probe(server.url, routes=routes)
        text = _run(server.url, "--burst", "0", "--format", "markdown").stdout
    assert [r.id for r in result.rules] == ["AUTH308", "CORS505", "CORS506", "CORS507", "EDGE701", "EDGE702",
                                            "LR607"]
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1] for line in text.splitlines()
            if line.startswith("| ") and " | " in line}
    assert rows["9. Email authentication (SPF, DKIM, DMARC)"] == markdown._BADGE["not checked"]  # no --domain
    assert rows["4. Rate limiting on model routes"] == markdown._BADGE["not checked"]  # --burst 0
    assert rows["11. Edge, HTTPS and SSL"] == markdown._BADGE["fail"]  # EDGE701: plain HTTP, no redirect


def test_a_probe_whose_checks_cannot_finish_is_incomplete(tmp_path: Path) -> None:
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()

    def serve_slow() -> None:  # answers "/" at once, never answers anything else
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            data = conn.recv(65536)
            if data.startswith(b"GET / "):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                conn.close()
            else:
                threading.Thread(target=lambda c=conn: (stop.wait(30), c.close()), daemon=True).start()

    threading.Thread(target=serve_slow, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        result = _run(url, "--timeout", "1", "--burst", "0", "--format", "json")
    finally:
        stop.set()
        listener.close()
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["incomplete"] is True
    assert any(n["level"] == "error" and n["message"].startswith("cors: not completed (ReadTimeout")
               for n in doc["notifications"])
    assert "launch-ready: incomplete probe: " in result.stderr
