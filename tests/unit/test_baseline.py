"""Baselines: deterministic, churn-free, count-aware; detect-secrets baselines matched in memory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from scanner.filters.baseline import (
    Baseline,
    BaselineError,
    apply_baseline,
    entries_of,
    load,
    render,
    write,
)
from scanner.filters.lines import LineLookup
from scanner.model import Finding, Location, Rule, ScanFile, ScanResult, Severity
from scanner.redact import secret_hash

RULE = Rule("SEC180", "custom-pattern-critical", "secrets", Severity.CRITICAL, "s", "d", "f")
LOG = Rule("LOG401", "prompt-or-chat-logged", "logging", Severity.HIGH, "s", "d", "f")


def _secret(value: str, line: int, path: str = "app.py", column: int = 6) -> Finding:
    loc = Location(path, line, column, line, column + len(value))
    return Finding(RULE, loc, "m", snippet="redacted", match_key=secret_hash(RULE.id, value))


def _result(*findings: Finding) -> ScanResult:
    return ScanResult("/r", tuple(sorted(findings, key=Finding.sort_key)))


def test_render_is_sorted_versioned_and_has_no_lines_or_secrets() -> None:
    value = "tok_" + "Q" * 20
    findings = [_secret(value, 9, "b.py"), _secret(value, 3, "a.py"), _secret(value, 4, "a.py")]
    text = render(entries_of(findings))
    doc = json.loads(text)
    assert doc["version"] == 1 and doc["tool"] == "launch-ready"
    assert [(e["path"], e["count"]) for e in doc["entries"]] == [("a.py", 2), ("b.py", 1)]
    assert set(doc["entries"][0]) == {"path", "rule", "hash", "count"}
    assert value not in text and "line" not in text
    assert text.endswith("}\n")


def test_line_shift_gives_identical_bytes() -> None:
    before = render(entries_of([_secret("tok_" + "A" * 20, 3)]))
    after = render(entries_of([_secret("tok_" + "A" * 20, 40)]))
    assert before == after


def test_baselined_finding_moves_to_suppressed_after_line_shift() -> None:
    base = Baseline("b.json", entries_of([_secret("tok_" + "A" * 20, 3)]))
    result = apply_baseline(_result(_secret("tok_" + "A" * 20, 30)), base, LineLookup())
    assert result.findings == ()
    assert [(f.suppression.kind, f.suppression.detail) for f in result.suppressed if f.suppression] == [
        ("baseline", "b.json")]


def test_different_secret_same_line_is_new() -> None:
    base = Baseline("b.json", entries_of([_secret("tok_" + "A" * 20, 3)]))
    result = apply_baseline(_result(_secret("tok_" + "B" * 20, 3)), base, LineLookup())
    assert len(result.findings) == 1 and result.suppressed == ()


def test_count_covers_only_as_many_findings() -> None:
    value = "tok_" + "C" * 20
    base = Baseline("b.json", entries_of([_secret(value, 1), _secret(value, 2)]))
    current = _result(_secret(value, 1), _secret(value, 2), _secret(value, 3))
    result = apply_baseline(current, base, LineLookup())
    assert [f.location.line for f in result.findings] == [3]
    assert len(result.suppressed) == 2


def test_code_finding_without_match_key_uses_snippet() -> None:
    first = Finding(LOG, Location("api.py", 10), "m", snippet="logger.info(prompt)", context="chat")
    moved = Finding(LOG, Location("api.py", 25), "m", snippet="logger.info(prompt)", context="chat")
    other = Finding(LOG, Location("api.py", 25), "m", snippet="logger.info(messages)", context="chat")
    assert entries_of([first]) == entries_of([moved]) != entries_of([other])


def test_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    entries = entries_of([_secret("tok_" + "D" * 20, 1)])
    path.write_text(render(entries))
    assert load(path).entries == entries


FIX = "delete it and run `launch-ready baseline create`, or pass another file with --baseline"


@pytest.mark.parametrize("content, message", [
    ("not json", f"baseline is not valid JSON (Expecting value at line 1 column 1); {FIX}"),
    ("", f"baseline file is empty; {FIX}"),
    (" \n", f"baseline file is empty; {FIX}"),
    ('{"version": 1, "entries": [', f"baseline is not valid JSON (Expecting value at line 1 column 28); {FIX}"),
    ('{"version": 99, "entries": []}', "unsupported baseline version 99 (expected 1)"),
    ('{"version": 1, "entries": [{"path": "a"}]}',
     f"malformed baseline entry (need path, rule, hash, count); {FIX}"),
    ('{"version": 1, "entries": [{"path": "\\"a\\\\9\\"", "rule": "R", "hash": "h"}]}',
     f"malformed baseline entry (need path, rule, hash, count); {FIX}"),
    ('["x"]', f"not a launch-ready or detect-secrets baseline; {FIX}"),
])
def test_load_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError) as caught:
        load(path)
    assert str(caught.value) == f"{path}: {message}"


def test_not_utf8_baseline(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b'{"entries": ["\xff"]}')
    with pytest.raises(BaselineError) as caught:
        load(path)
    assert str(caught.value) == f"{path}: baseline is not UTF-8 text; {FIX}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load(tmp_path / "nope.json")


def _sha1(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()


def _detect_secrets_file(tmp_path: Path, value: str) -> Path:
    doc = {
        "version": "1.5.0", "plugins_used": [], "filters_used": [], "generated_at": "2024-01-01T00:00:00Z",
        "results": {"app.py": [{"type": "Secret Keyword", "filename": "app.py", "is_verified": False,
                                "line_number": 1, "hashed_secret": _sha1(value)}]},
    }
    path = tmp_path / ".secrets.baseline"
    path.write_text(json.dumps(doc))
    return path


def test_detect_secrets_baseline_matches_in_memory(tmp_path: Path) -> None:
    known, new = "tok_" + "E" * 20, "tok_" + "F" * 20
    base = load(_detect_secrets_file(tmp_path, known))
    assert base.entries == () and len(base.secret_sha1) == 1
    text = f'k1 = "{known}"\nk2 = "{new}"\n'
    lookup = LineLookup([ScanFile("app.py", text)])
    result = apply_baseline(_result(_secret(known, 1, column=7), _secret(new, 2, column=7)), base, lookup)
    assert [f.location.line for f in result.findings] == [2]
    (kept,) = result.suppressed
    assert kept.suppression is not None and kept.suppression.detail == ".secrets.baseline (detect-secrets)"
    assert _sha1(known) not in render(entries_of(list(result.suppressed)))


def test_detect_secrets_baseline_needs_the_same_path(tmp_path: Path) -> None:
    known = "tok_" + "G" * 20
    base = load(_detect_secrets_file(tmp_path, known))
    lookup = LineLookup([ScanFile("other.py", f'k1 = "{known}"\n')])
    result = apply_baseline(_result(_secret(known, 1, "other.py", column=7)), base, lookup)
    assert len(result.findings) == 1


OURS = Rule("SEC100", "openai-api-key", "secrets", Severity.CRITICAL, "s", "d", "f")
CATALOGUE = Rule("SEC1000", "catalogue-openai", "secrets", Severity.CRITICAL, "s", "d", "f")


def _at(rule: Rule, value: str, text: str, path: str = "app.py") -> Finding:
    column = text.index(value) + 1
    loc = Location(path, 1, column, 1, column + len(value))
    return Finding(rule, loc, "m", snippet="redacted", match_key=secret_hash(rule.id, value))


def test_a_secret_baselined_under_another_rule_is_not_new() -> None:
    value = "sk-" + "Z" * 40
    text = f'KEY = "{value}"'
    base = Baseline("b.json", entries_of([_at(CATALOGUE, value, text)]))
    lookup = LineLookup([ScanFile("app.py", text)])
    result = apply_baseline(_result(_at(OURS, value, text)), base, lookup)
    assert result.findings == () and [f.rule_id for f in result.suppressed] == ["SEC100"]
    other = _at(OURS, "sk-" + "Y" * 40, text.replace(value, "sk-" + "Y" * 40))
    lookup = LineLookup([ScanFile("app.py", text.replace(value, "sk-" + "Y" * 40))])
    assert apply_baseline(_result(other), base, lookup).findings == (other,)


CLIENT = Rule("SEC193", "hardcoded-client-password", "secrets", Severity.HIGH, "s", "d", "f")


def _literal(rule: Rule, value: str, text: str) -> Finding:
    """A code rule's finding on a string literal: its columns keep the quotes."""
    column = text.index(value)
    loc = Location("app.py", 1, column, 1, column + len(value) + 2)
    return Finding(rule, loc, "m", snippet="redacted", match_key=secret_hash(rule.id, value))


def test_a_key_passed_to_a_client_after_it_was_baselined_is_not_new() -> None:
    value = "sk-proj-" + "Q" * 48
    before = f'OPENAI_KEY = "{value}"'
    base = Baseline("b.json", entries_of([_at(OURS, value, before)]))
    after = f"r = redis.Redis(host='x', password=\"{value}\")"
    lookup = LineLookup([ScanFile("app.py", after)])
    result = apply_baseline(_result(_at(OURS, value, after), _literal(CLIENT, value, after)), base, lookup)
    assert result.findings == () and sorted(f.rule_id for f in result.suppressed) == ["SEC100", "SEC193"]
    # and back: a baseline made while a client got it covers the plain assignment
    base = Baseline("b.json", entries_of([_literal(CLIENT, value, after)]))
    result = apply_baseline(_result(_at(OURS, value, before)), base, LineLookup([ScanFile("app.py", before)]))
    assert result.findings == ()


def test_detect_secrets_baseline_matches_a_notebook_value_with_its_escaped_quote() -> None:
    value = "sk-" + "N" * 40
    line = f'    "openai.api_key = \\"{value}\\"\\n"'
    digest = hashlib.sha1((value + "\\").encode()).hexdigest()
    base = Baseline("s", secret_sha1=frozenset({("nb.ipynb", digest)}), kind="detect-secrets")
    finding = _at(OURS, value, line, "nb.ipynb")
    result = apply_baseline(_result(finding), base, LineLookup([ScanFile("nb.ipynb", line)]))
    assert result.findings == () and len(result.suppressed) == 1


def test_detect_secrets_baseline_matches_an_env_file() -> None:
    value = "sk-" + "E" * 40
    line = f"OPENAI_API_KEY={value}"
    digest = hashlib.sha1(value.encode()).hexdigest()
    base = Baseline("s", secret_sha1=frozenset({(".env", digest)}), kind="detect-secrets")
    finding = _at(OURS, value, line, ".env")
    result = apply_baseline(_result(finding), base, LineLookup([ScanFile(".env", line, "ignored-env")]))
    assert result.findings == ()


def test_detect_secrets_baseline_matches_its_plugin_s_partial_match_of_a_project_key() -> None:
    import random
    import string

    from detect_secrets.plugins.openai import OpenAIDetector

    def fake_openai_key(seed: int) -> str:
        rng = random.Random(seed)
        part, tail = ("".join(rng.choice(string.ascii_letters + string.digits) for _ in range(74)) for _ in "ab")
        return f"sk-proj-{part}T3BlbkFJ{tail}"

    value = fake_openai_key(60)  # sk-proj-…T3BlbkFJ…: detect-secrets' pattern keeps 20 characters after T3BlbkFJ
    line = f"OPENAI_API_KEY={value}"
    (partial,) = OpenAIDetector().analyze_string(line)
    assert partial != value and partial in value
    base = Baseline("s", secret_sha1=frozenset({(".env", _sha1(partial))}), kind="detect-secrets")
    finding = _at(OURS, value, line, ".env")
    result = apply_baseline(_result(finding), base, LineLookup([ScanFile(".env", line, "ignored-env")]))
    assert result.findings == () and [(f.rule_id, f.location.path) for f in result.suppressed] == [
        ("SEC100", ".env")]
    other = fake_openai_key(61)
    line2 = f"OPENAI_API_KEY={other}"
    new = _at(OURS, other, line2, ".env")
    result = apply_baseline(_result(new), base, LineLookup([ScanFile(".env", line2, "ignored-env")]))
    assert result.findings == (new,)


BAD_NAME = b"bad\xff\xfename.py".decode("utf-8", "surrogateescape")


def test_undecodable_path_is_written_quoted_and_read_back(tmp_path: Path) -> None:
    entries = entries_of([_secret("tok_" + "E" * 20, 1, BAD_NAME)])
    path = tmp_path / "b.json"
    write(path, entries)
    assert json.loads(path.read_bytes().decode("utf-8"))["entries"][0]["path"] == '"bad\\377\\376name.py"'
    loaded = load(path)
    assert loaded.entries == entries and loaded.entries[0].path == BAD_NAME
    result = apply_baseline(_result(_secret("tok_" + "E" * 20, 7, BAD_NAME)), loaded, LineLookup())
    assert result.findings == () and len(result.suppressed) == 1


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.json"
    path.write_text("old\n")
    path.chmod(0o640)

    def broken_replace(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("scanner.filters.baseline.os.replace", broken_replace)
    with pytest.raises(OSError):
        write(path, entries_of([_secret("tok_" + "F" * 20, 1)]))
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json"]  # no temporary file left
    monkeypatch.undo()
    write(path, ())
    assert path.read_text() == '{\n  "entries": [],\n  "tool": "launch-ready",\n  "version": 1\n}\n'
    assert path.stat().st_mode & 0o777 == 0o640  # the replaced file's permissions are kept


def test_a_signing_key_baselined_by_a_full_scan_is_not_new_to_the_secrets_hook() -> None:
    signing = Rule("AUTH306", "hardcoded-signing-secret", "auth", Severity.CRITICAL, "s", "d", "f")
    keyword = Rule("SEC190", "generic-secret", "secrets", Severity.MEDIUM, "s", "d", "f")
    value = "Zq8-kP2m" + "_vT7xR4nL9wB3yC6hJ1sD5fG0aE"
    text = f'SECRET_KEY = "{value}"'
    base = Baseline("b.json", entries_of([_literal(signing, value, text)]))
    result = apply_baseline(_result(_at(keyword, value, text)), base, LineLookup([ScanFile("app.py", text)]))
    assert result.findings == () and [f.rule_id for f in result.suppressed] == ["SEC190"]
