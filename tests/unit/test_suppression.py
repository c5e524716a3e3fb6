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


def _check(text: str, line: int, rule: Rule = SECRET_RULE, path: str = "app.py") -> str | None:
    lookup = LineLookup([ScanFile(path, text)])
    found = suppression_for(_finding(rule, line, path), lookup)
    return found.detail if found else None


@pytest.mark.parametrize(("path", "comment"), [
    ("app.py", "x = 1  # launch-ready: ignore[SEC180]"),
    ("app.ts", "x = 1; // launch-ready: ignore[SEC180]"),
    ("app.js", "x = 1; /* launch-ready: ignore[SEC180] */"),
    ("page.html", "<div>x</div> <!-- launch-ready: ignore[SEC180] -->"),
    ("app.py", "x = 1  # noqa: E501  launch-ready: ignore[ SEC180 , LOG401 ]"),
    ("app.py", "x = 1  # launch-ready: ignore[custom-pattern-critical]"),
    ("app.py", "x = 1  # Launch-Ready: IGNORE[sec180]"),
])
def test_same_line_comment_syntaxes(path: str, comment: str) -> None:
    assert _check(f"first\n{comment}\nlast\n", 2, path=path) == "launch-ready: ignore[SEC180] on the line"


@pytest.mark.parametrize(("path", "above"), [
    ("app.py", "# launch-ready: ignore[SEC180]"),
    ("app.ts", "    // launch-ready: ignore[SEC180]"),
    ("app.js", "/* launch-ready: ignore[SEC180] */"),
    ("index.md", "<!-- launch-ready: ignore[SEC180] -->"),
    ("app.tsx", "{/* launch-ready: ignore[SEC180] */}"),
])
def test_comment_only_line_above(path: str, above: str) -> None:
    assert _check(f"{above}\nx = 'value'\n", 2, path=path) == "launch-ready: ignore[SEC180] on the line above"


def test_block_comment_continuation_line_above() -> None:
    text = "/**\n * launch-ready: ignore[SEC180]\n */\nconst k = 'value';\n"
    assert _check(text, 4, path="app.ts") is None  # the line above is `*/`, not the directive
    text = "/**\n * launch-ready: ignore[SEC180] */\nconst k = 'value';\n"
    assert _check(text, 3, path="app.ts") == "launch-ready: ignore[SEC180] on the line above"
    text = "/*\n * launch-ready: ignore[SEC180]\n */ const k = 'v';\n"
    assert _check(text, 2, path="app.ts") == "launch-ready: ignore[SEC180] on the line"


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
    text = "a = 1  # launch-ready: ignore[SEC180]\nb = 2\n# launch-ready: ignore\n"
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


ON_LINE = "launch-ready: ignore[SEC180] on the line"
ABOVE = "launch-ready: ignore[SEC180] on the line above"


@pytest.mark.parametrize(("path", "text", "line", "expected"), [
    # INVALID shapes (a real comment: suppressed), one per comment syntax
    ("app.py", "KEY = 'k'  # launch-ready: ignore[SEC180]\n", 1, ON_LINE),
    ("client.ts", "const k = 'k'; // launch-ready: ignore[SEC180]\n", 1, ON_LINE),
    ("client.ts", "const k = 'k'; /* launch-ready: ignore[SEC180] */\n", 1, ON_LINE),
    ("client.js", "/*\n  launch-ready: ignore[SEC180]\n*/\nconst k = 'k';\n", 4, None),
    ("deploy.sh", "export KEY=k  # launch-ready: ignore[SEC180]\n", 1, ON_LINE),
    ("ci.yml", "# launch-ready: ignore[SEC180]\nkey: k\n", 2, ABOVE),
    ("ci.yaml", "key: 'k' # launch-ready: ignore[SEC180]\n", 1, ON_LINE),
    ("settings.toml", "key = \"k\" # launch-ready: ignore[SEC180]\n", 1, ON_LINE),
    (".env", "KEY=k # launch-ready: ignore[SEC180]\n", 1, ON_LINE),
    (".env.local", "# launch-ready: ignore[SEC180]\nKEY=k\n", 2, ABOVE),
    ("index.html", "<p>k</p> <!-- launch-ready: ignore[SEC180] -->\n", 1, ON_LINE),
    ("README.md", "<!-- launch-ready: ignore[SEC180] -->\nk\n", 2, ABOVE),
    ("seed.sql", "INSERT INTO t VALUES ('k'); -- launch-ready: ignore[SEC180]\n", 1, ON_LINE),
    ("seed.sql", "/* launch-ready: ignore[SEC180] */\nINSERT INTO t VALUES ('k');\n", 2, ABOVE),
    # VALID look-alikes (inside a string literal or docstring: not a comment, so not suppressed)
    ("app.py", "KEY = 'k' + '# launch-ready: ignore[SEC180]'\n", 1, None),
    ("app.py", 'KEY = "k # launch-ready: ignore[SEC180]"\n', 1, None),
    ("app.py", 'x = """\n# launch-ready: ignore[SEC180]\nk\n"""\n', 3, None),
    ("app.py", 'x = """\nk  # launch-ready: ignore[SEC180]\n"""\n', 2, None),
    ("app.py", "x = '''\n# launch-ready: ignore[SEC180]\n'''\nk = 1\n", 4, None),
    ("client.ts", 'const k = "http://x//launch-ready: ignore[SEC180]" + "k";\n', 1, None),
    ("client.ts", "const k = `\n// launch-ready: ignore[SEC180]\nk`;\n", 3, None),
    ("client.ts", "const k = '/* launch-ready: ignore[SEC180] */' + 'k';\n", 1, None),
    ("ci.yml", "key: \"k # launch-ready: ignore[SEC180]\"\n", 1, None),
    ("settings.toml", 'key = """\n# launch-ready: ignore[SEC180]\nk"""\n', 3, None),
    (".env", "KEY='k # launch-ready: ignore[SEC180]'\n", 1, None),
    ("seed.sql", "INSERT INTO t VALUES ('k -- launch-ready: ignore[SEC180]');\n", 1, None),
    ("deploy.sh", "KEY=k#launch-ready: ignore[SEC180]\n", 1, None),
    ("app.py", "KEY = 'k'  // launch-ready: ignore[SEC180]\n", 1, None),  # not a Python comment
])
def test_directive_counts_only_in_a_comment_of_the_language(path: str, text: str, line: int,
                                                             expected: str | None) -> None:
    assert _check(text, line, path=path) == expected


def test_apostrophe_in_a_yaml_plain_value_does_not_hide_the_comment() -> None:
    assert _check("note: it's k # launch-ready: ignore[SEC180]\n", 1, path="a.yml") == ON_LINE


def test_pragma_counts_only_in_a_comment() -> None:
    assert _check('KEY = "k"  # pragma: allowlist secret\n', 1) == "pragma: allowlist secret on the line"
    assert _check('KEY = "k # pragma: allowlist secret"\n', 1) is None
    assert _check('x = """\n# pragma: allowlist nextline secret\nk\n"""\n', 3) is None


def test_notebook_line_is_read_as_python() -> None:
    text = ('{\n "source": [\n  "KEY = \\"k\\"  # launch-ready: ignore[SEC180]\\n",\n'
            '  "B = \\"# launch-ready: ignore[SEC180]\\""\n ]\n}\n')
    assert _check(text, 3, path="nb.ipynb") == ON_LINE
    assert _check(text, 4, path="nb.ipynb") is None


def test_history_line_is_lexed_on_its_own() -> None:
    frag = Fragment("old.ts", ((7, 'const k = "x//launch-ready: ignore[SEC180]";'),
                               (8, "const j = 1; // launch-ready: ignore[SEC180]")), commit="c0ffee")
    lookup = LineLookup([], [frag])
    assert suppression_for(_finding(SECRET_RULE, 7, "old.ts", "c0ffee"), lookup) is None
    assert suppression_for(_finding(SECRET_RULE, 8, "old.ts", "c0ffee"), lookup) is not None


def test_bare_ignore_inside_a_string_is_no_warning() -> None:
    text = 'MSG = "use # launch-ready: ignore to..."\n# launch-ready: ignore\n'
    result = apply_inline(ScanResult("/r", ()), LineLookup([ScanFile("app.py", text)]))
    assert [(n.kind, n.message[:7]) for n in result.notifications] == [("bare-ignore", "line 2:")]
