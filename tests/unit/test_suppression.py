"""Inline suppressions: each comment syntax, the line above, slugs, pragmas, bare ignores."""

from __future__ import annotations

import pytest

from scanner.filters.lines import LineLookup
from scanner.filters.suppression import apply_inline, directives, suppression_for
from scanner.model import Finding, Fragment, Location, Rule, ScanFile, ScanResult, Severity

SECRET_RULE = Rule("SEC180", "custom-pattern-critical", "secrets", Severity.CRITICAL, "s", "d", "f")
CORS_RULE = Rule("CORS501", "any-origin", "cors", Severity.HIGH, "s", "d", "f")


def _finding(rule: Rule, line: int, path: str = "app.py", commit: str | None = None) -> Finding:
    return Finding(rule, Location(path, line, 5, line, 9, commit), "message", snippet="")


def _check(text: str, line: int, rule: Rule = SECRET_RULE) -> str | None:
    lookup = LineLookup([ScanFile("app.py", text)])
    found = suppression_for(_finding(rule, line), lookup)
    return found.detail if found else None


@pytest.mark.parametrize("comment", [
    "x = 1  # launch-ready: ignore[SEC180]",
    "x = 1; // launch-ready: ignore[SEC180]",
    "x = 1; /* launch-ready: ignore[SEC180] */",
    "<div>x</div> <!-- launch-ready: ignore[SEC180] -->",
    "x = 1  # noqa: E501  launch-ready: ignore[ SEC180 , LOG401 ]",
    "x = 1  # launch-ready: ignore[custom-pattern-critical]",
    "x = 1  # Launch-Ready: IGNORE[sec180]",
])
def test_same_line_comment_syntaxes(comment: str) -> None:
    assert _check(f"first\n{comment}\nlast\n", 2) == "launch-ready: ignore[SEC180] on the line"


@pytest.mark.parametrize("above", [
    "# launch-ready: ignore[SEC180]",
    "    // launch-ready: ignore[SEC180]",
    "/* launch-ready: ignore[SEC180] */",
    "<!-- launch-ready: ignore[SEC180] -->",
    " * launch-ready: ignore[SEC180]",
    "{/* launch-ready: ignore[SEC180] */}",
])
def test_comment_only_line_above(above: str) -> None:
    assert _check(f"{above}\nx = 'value'\n", 2) == "launch-ready: ignore[SEC180] on the line above"


def test_trailing_comment_does_not_cover_the_next_line() -> None:
    assert _check("a = 1  # launch-ready: ignore[SEC180]\nb = 2\n", 2) is None


def test_other_rule_and_non_comment_do_not_suppress() -> None:
    assert _check("x = 1  # launch-ready: ignore[SEC101]\n", 1) is None
    assert _check('x = "launch-ready: ignore[SEC180]"\n', 1) is None
    assert _check("x = 1  # launch-ready: ignore\n", 1) is None
    assert _check("x = 1  # launch-ready: ignore[]\n", 1) is None


def test_two_lines_above_does_not_count() -> None:
    assert _check("# launch-ready: ignore[SEC180]\n\nx = 1\n", 3) is None


def test_pragmas_for_secrets_only() -> None:
    assert _check("x = 'k'  # pragma: allowlist secret\n", 1) == "pragma: allowlist secret on the line"
    assert _check("# pragma: allowlist nextline secret\nx = 'k'\n", 2) == (
        "pragma: allowlist nextline secret on the line above")
    assert _check("x = 'k'  # pragma: allowlist nextline secret\n", 1) is None
    assert _check("x = '*'  # pragma: allowlist secret\n", 1, CORS_RULE) is None


def test_directive_ids() -> None:
    (d,) = directives("# launch-ready: ignore[SEC101, any-origin]")
    assert {"SEC101", "any-origin"} <= d.ids
    assert directives("x = 1") == []


def test_apply_inline_moves_findings_and_warns_on_bare_ignore() -> None:
    text = "a = 1  # launch-ready: ignore[SEC180]\nb = 2\n// launch-ready: ignore\n"
    findings = (_finding(SECRET_RULE, 1), _finding(SECRET_RULE, 2))
    result = apply_inline(ScanResult("/r", findings), LineLookup([ScanFile("app.py", text)]))
    assert [f.location.line for f in result.findings] == [2]
    assert [(f.location.line, f.suppression.kind if f.suppression else "") for f in result.suppressed] == [
        (1, "inline")]
    (note,) = result.notifications
    assert (note.level, note.kind, note.path) == ("warning", "bare-ignore", "app.py")
    assert note.message.startswith("line 3: ")


def test_history_finding_uses_fragment_lines() -> None:
    frag = Fragment("old.py", ((7, "# launch-ready: ignore[SEC180]"), (8, "key = 'x'")), commit="c0ffee")
    lookup = LineLookup([], [frag])
    assert suppression_for(_finding(SECRET_RULE, 8, "old.py", "c0ffee"), lookup) is not None
    assert suppression_for(_finding(SECRET_RULE, 8, "old.py", "bad"), lookup) is None


def test_history_line_not_kept_falls_back_to_snippet() -> None:
    finding = Finding(SECRET_RULE, Location("old.py", 3, commit="c1"), "m",
                      snippet="k = 'sk-a…yz'  # pragma: allowlist secret")
    assert suppression_for(finding, LineLookup()) is not None


def test_an_ignore_naming_no_rule_is_a_warning() -> None:
    text = "a = 1  # launch-ready: ignore[secrets, SEC180]\nb = 2  # launch-ready: ignore[any-origin]\n"
    result = apply_inline(ScanResult("/r", ()), LineLookup([ScanFile("app.py", text)]))
    (note,) = result.notifications
    assert (note.level, note.kind, note.path) == ("warning", "unknown-ignore", "app.py")
    assert note.message.startswith("line 1: `launch-ready: ignore[secrets]` names no rule")
