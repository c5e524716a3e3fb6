"""A file name that is not valid UTF-8 (lone surrogates inside the scanner) is written the way git writes it in
text, JSON and GitHub annotations (C-quoted, octal escapes), and percent-encoded in SARIF."""

from __future__ import annotations

import json

from scanner.model import Finding, Location, Notification, ScanResult, Suppression
from scanner.reporters import get_reporter, github
from tests.reporters.sample import OPENAI

BAD = b"src/bad\xff\xfename.py".decode("utf-8", "surrogateescape")
QUOTED = '"src/bad\\377\\376name.py"'


def _result() -> ScanResult:
    finding = Finding(OPENAI, Location(BAD, 3, 5, 3, 9), "OpenAI key", 'K = "sk-p…Qx"', fingerprint="f" * 64)
    hidden = Finding(OPENAI, Location(BAD, 9, 5, 9, 9), "OpenAI key", fingerprint="e" * 64,
                     suppression=Suppression("inline", "x"))
    note = Notification("warning", "could not parse", BAD, "parse-error", 2, (BAD, "ok.py"))
    return ScanResult("/nowhere/root", (finding,), (note,), (hidden,))


def _encodable(text: str) -> str:
    text.encode("utf-8")  # raises on a lone surrogate
    return text


def test_json_quotes_the_name_everywhere() -> None:
    doc = json.loads(_encodable(get_reporter("json")(_result())))
    assert doc["findings"][0]["path"] == QUOTED
    assert doc["suppressed"]["findings"][0]["path"] == QUOTED
    assert doc["notifications"][0]["path"] == QUOTED
    assert doc["notifications"][0]["examples"] == [QUOTED, "ok.py"]


def test_text_quotes_the_name() -> None:
    lines = _encodable(get_reporter("text")(_result())).splitlines()
    assert lines[0] == f"{QUOTED}  (1 finding)"
    assert f"  warning: {QUOTED}: could not parse" in lines


def test_github_names_the_file_in_the_message_not_in_a_property() -> None:
    lines = _encodable(github.render(_result())).splitlines()
    assert lines[0].startswith(f"::error title=SEC101 openai-api-key (critical)::{QUOTED} line 3:5: OpenAI key%0A")
    assert lines[1] == f"::warning title=launch-ready parse-error::{QUOTED}: could not parse"


def test_sarif_percent_encodes_the_bytes() -> None:
    doc = json.loads(_encodable(get_reporter("sarif")(_result())))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]]
    assert uris == ["src/bad%FF%FEname.py", "src/bad%FF%FEname.py"]


def test_markdown_quotes_the_name() -> None:
    text = _encodable(get_reporter("markdown")(_result()))
    assert f"{QUOTED}:3" in text
    assert "\\udc" not in text


def test_json_and_sarif_escape_c1_and_bidi_controls_from_the_repository() -> None:
    import json as jsonlib

    from scanner.model import Finding, Location, Rule, ScanResult, Severity
    from scanner.reporters import get_reporter

    rule = Rule("SEC100", "openai-api-key", "secrets", Severity.CRITICAL, "short", "desc", "fix")
    path = "t\x1b[2J\x9b31m\u202eevil.py"
    result = ScanResult(root="/r", findings=(Finding(rule, Location(path, 1), "key \u2066x\u2069", "s\x9b"),),
                        rules=(rule,))
    for fmt in ("json", "sarif"):
        text = get_reporter(fmt)(result, width=None)
        assert not any(c in text for c in "\x1b\x9b\u202e\u2066\u2069"), fmt
        jsonlib.loads(text)
    text = get_reporter("json")(result, width=None)
    assert "\\u009b" in text and "\\u202e" in text and "\\u2066" in text  # the same string, escaped
