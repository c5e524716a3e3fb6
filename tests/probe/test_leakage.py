"""Error leakage (LR607): a missing path and a malformed JSON body must not return a stack trace or debug page."""

from __future__ import annotations

import pytest

from scanner.probe.leakage import leak_in
from tests.probe.helpers import codes, notes, probe, route
from tests.probe.servers import Reply, Seen, serve

TRACE = (b'Traceback (most recent call last):\n  File "/srv/app/main.py", line 40, in chat\n'
         b"json.decoder.JSONDecodeError: Expecting value")


def _app(missing: bytes, malformed: bytes) -> object:
    def app(seen: Seen) -> Reply:
        if seen.method == "POST" and seen.body.startswith(b'{"launch-ready": '):
            return Reply(500, {"Content-Type": "text/plain"}, malformed)
        if seen.path.startswith("/launch-ready-probe-missing-"):
            return Reply(404, {"Content-Type": "text/html"}, missing)
        return Reply(401, {}, b"{}")

    return app


@pytest.mark.parametrize(("missing", "malformed", "expected"), [
    (b"<h1>Not Found</h1>", b'{"detail": "bad request"}', []),
    (b"<h1>Not Found</h1>", TRACE, ["LR607"]),
    (b"You're seeing this error because you have <code>DEBUG = True</code>", b"{}", ["LR607"]),
])
def test_error_pages(missing: bytes, malformed: bytes, expected: list[str]) -> None:
    with serve(_app(missing, malformed)) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=(route("POST", "/api/chat", 8),), allow_writes=True)
    assert codes(result, "LR") == expected


def test_malformed_body_finding_is_on_the_route_and_needs_writes() -> None:
    with serve(_app(b"nope", TRACE)) as server:  # type: ignore[arg-type]
        result = probe(server.url, routes=(route("POST", "/api/chat", 8),), allow_writes=True)
        without = probe(server.url, routes=(route("POST", "/api/chat", 8),))
    [finding] = [f for f in result.findings if f.rule_id == "LR607"]
    assert (finding.location.path, finding.location.line) == ("app.py", 8)
    assert finding.message == "a malformed JSON body returned 500 with a Python traceback"
    assert codes(without, "LR") == []
    assert ("error leakage: malformed-JSON request not sent (needs a write route and --allow-writes)"
            in notes(without))


@pytest.mark.parametrize(("text", "sign"), [
    ("Error: boom\n    at Object.<anonymous> (/app/server.js:10:5)", "Node stack trace"),
    ("<title>Werkzeug Debugger</title>", "Werkzeug debugger"),
    ("java.lang.NullPointerException\n\tat com.acme.Api.chat(Api.java:42)", "Java stack trace"),
    ('{"error": "Internal Server Error"}', None),
    ("Please sign in", None),
    ('{"error": "Internal Server Error", "stack": "Error: boom\\n    at handler (/srv/app/routes/chat.ts:42:11)"}',
     "Node stack trace"),  # err.stack sent as JSON: its line breaks are escaped
    ("Error: x\n    at async POST (file:///app/.next/server/app/api/chat/route.js:1:7)", "Node stack trace"),
    ('{"detail": "Traceback (most recent call last):\\n  File \\"/app/main.py\\", line 3"}', "Python traceback"),
    ("<p>How to read a Python Traceback (most recent call last), with examples</p>", None),
    ("meet us at the cafe (map 1:2)", None),
    ("<b>Fatal error</b>:  Uncaught Error: Call to undefined function f() in <b>/var/www/html/index.php</b> on line "
     "<b>3</b>", "PHP error"),
    ("Our parse error guide: how to fix them", None),
])
def test_leak_signs(text: str, sign: str | None) -> None:
    assert leak_in(text) == sign
