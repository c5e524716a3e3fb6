"""The Markdown launch scorecard: check statuses, escaping, layout that GitHub renders as tables."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from scanner.model import Finding, Location, Notification, Rule, ScanResult, Severity
from scanner.reporters import markdown
from tests.reporters.sample import CORS, MODEL_ROUTE, OPENAI, PROMPT_LOG, PUBLIC, RULES, sample_result


def _status(result: ScanResult) -> dict[str, str]:
    return {c.check.title: c.status for c in markdown.evaluate(result)}


def _titles() -> list[str]:
    return [c.title for c in markdown.CHECKS]


def test_sample_statuses() -> None:
    status = _status(sample_result())
    assert status["No keys in the working tree"] == "fail"
    assert status["Keys not in git history"] == "fail"
    assert status["Secrets stay server-only (nothing shipped to the browser)"] == "fail"
    assert status["Auth on member routes"] == "fail"
    assert status["Safe logging (no prompts, personal data or credentials in logs)"] == "fail"
    assert status["CORS locked down"] == "fail"
    assert status["Rate limits on model routes"] == "not checked"
    assert "Other launch checks" not in status  # hidden while no such rule exists


def test_pass_when_rules_ran_and_found_nothing() -> None:
    status = _status(ScanResult(root="/r", findings=(), rules=RULES, stats={"history": 1}))
    assert status["No keys in the working tree"] == "pass"
    assert status["Keys not in git history"] == "pass"
    assert status["Auth on member routes"] == "pass"
    assert status["CORS locked down"] == "pass"


def test_not_checked_when_family_did_not_run() -> None:
    status = _status(ScanResult(root="/r", findings=(), rules=(OPENAI,)))
    assert status["No keys in the working tree"] == "pass"
    assert status["Auth on member routes"] == "not checked"
    assert status["CORS locked down"] == "not checked"


def test_history_not_checked_without_history_scan() -> None:
    wt = Finding(OPENAI, Location("a.py", 1), "key")
    status = _status(ScanResult(root="/r", findings=(wt,), rules=RULES, stats={"files": 1}))
    assert status["No keys in the working tree"] == "fail"
    assert status["Keys not in git history"] == "not checked"
    out = markdown.render(ScanResult(root="/r", findings=(wt,), rules=RULES), width=None)
    assert "| Keys not in git history | ➖ not checked | _run `launch-ready scan --history`_ |" in out


def test_info_findings_do_not_fail_a_check() -> None:
    info = Rule("SEC180", "firebase-web-key", "secrets", Severity.INFO, "public key", "doc", "fix")
    f = Finding(info, Location("a.js", 1), "Firebase web apiKey (public by design)")
    status = _status(ScanResult(root="/r", findings=(f,), rules=(info,)))
    assert status["No keys in the working tree"] == "pass"


def test_launch_rules_map_to_their_checks() -> None:
    rate = Rule("LR601", "model-route-without-rate-limit", "launch", Severity.MEDIUM, "s", "d", "f")
    other = Rule("LR699", "something-else", "launch", Severity.LOW, "s", "d", "f")
    f = Finding(rate, Location("a.py", 3), "no rate limit")
    status = _status(ScanResult(root="/r", findings=(f,), rules=(rate, other)))
    assert status["Rate limits on model routes"] == "fail"
    assert status["Other launch checks"] == "pass"
    assert status["Debug mode off in production"] == "not checked"


def test_verdict_and_summary() -> None:
    out = markdown.render(sample_result(), width=None)
    assert out.startswith("# Launch readiness scorecard: `demo`\n\n"
                          "**Not ready to launch: 6 of 10 checks fail** (4 not checked). 7 findings "
                          "(3 critical, 2 high, 1 medium, 1 low), 1 suppressed (1 inline), 14 files "
                          "scanned.\n")
    empty = ScanResult(root="/r/app", findings=(), rules=RULES, stats={"history": 1})
    clean = markdown.render(empty, width=None)
    assert "**No blocking issue found by 6 checks** (4 not checked). 0 findings." in clean


def test_fix_path_per_failing_check() -> None:
    out = markdown.render(sample_result(), width=None)
    section = out.split("### ❌ Auth on member routes")[1].split("###")[0]
    assert ("- **high** `AUTH301` `backend/main.py:20`: POST /api/chat calls OpenAI without authentication"
            in section)
    assert f"- `AUTH301` unauthenticated-model-route: {MODEL_ROUTE.fix}" in section


def test_incomplete_scan_warning() -> None:
    result = ScanResult(root="/r", findings=(), rules=RULES,
                        notifications=(Notification("error", "git failed", None, "git-error"),))
    out = markdown.render(result, width=None)
    assert "> **The scan is incomplete**" in out and "- **error** git failed" in out


def test_repository_text_cannot_break_tables_or_inject_html() -> None:
    evil = Finding(PROMPT_LOG, Location("a|b`c<img src=x>.py", 2),
                   "logs | <script>alert(1)</script> [link](http://x) **bold**\nsecond line")
    result = ScanResult(root="/r", findings=(evil,), rules=RULES)
    html = MarkdownIt("commonmark").enable("table").render(markdown.render(result, width=None))
    assert "<script>" not in html and "<img" not in html and '<a href="http://x"' not in html
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        assert len({len(re.findall(r"<t[dh]", row)) for row in rows}) == 1


def test_code_span_fences_backticks() -> None:
    assert markdown.code("a`b") == "``a`b``"
    assert markdown.code("`x`") == "`` `x` ``"
    assert markdown.code("a|b") == "`a\\|b`"


def test_many_findings_are_capped_per_check() -> None:
    findings = tuple(Finding(CORS, Location(f"f{i:02}.py", 1), "cors") for i in range(15))
    out = markdown.render(ScanResult(root="/r", findings=findings, rules=(CORS, PUBLIC)), width=None)
    assert "- ... and 5 more (see Findings by severity)" in out
    assert out.count("| `CORS503` credentialed-reflected-origin | cors |") == 15


def test_side_rule_alone_does_not_make_a_family_checked() -> None:
    bundle = Rule("EXP204", "key-in-client-bundle", "client-exposure", Severity.CRITICAL, "s", "d", "f")
    status = _status(ScanResult(root="/r", findings=(), rules=(OPENAI, bundle)))
    assert status["Secrets stay server-only (nothing shipped to the browser)"] == "not checked"
    status = _status(ScanResult(root="/r", findings=(), rules=(OPENAI, bundle, PUBLIC)))
    assert status["Secrets stay server-only (nothing shipped to the browser)"] == "pass"


def test_full_history_scan_counters_count_as_history_checked() -> None:
    result = ScanResult(root="/r", findings=(), rules=(OPENAI,),
                        stats={"files": 3, "commits": 9, "added_lines": 40, "distinct_lines": 30})
    assert _status(result)["Keys not in git history"] == "pass"
    since = ScanResult(root="/r", findings=(), rules=(OPENAI,), stats={"files": 3, "commits": 2})
    assert _status(since)["Keys not in git history"] == "not checked"


def test_incomplete_scan_verdict_and_notes_errors_first() -> None:
    notes = tuple(Notification("note", "binary file skipped", f"img{i:03}.png", "binary") for i in range(60))
    notes += (Notification("error", "history scan incomplete", None, "git-error"),)
    out = markdown.render(ScanResult(root="/r", findings=(), rules=RULES, notifications=notes), width=None)
    assert "**Incomplete scan: no blocking issue found by 5 checks** (5 not checked)." in out
    section = out.split("## Notes")[1]
    assert section.index("**error** history scan incomplete") < section.index("img000.png")
    assert "- ... and 11 more notes (see `--format json`)" in section
