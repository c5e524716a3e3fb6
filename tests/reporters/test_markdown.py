"""The Markdown launch scorecard: check statuses, escaping, layout that GitHub renders as tables."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from scanner.model import Finding, Location, Notification, RouteInfo, Rule, ScanResult, Severity
from scanner.reporters import markdown
from tests.reporters.sample import CORS, MODEL_ROUTE, OPENAI, PROMPT_LOG, PUBLIC, RULES, sample_result

SECRETS_ROW = "3. Secrets only on the server (no keys in code or history, none shipped to the browser)"
ROUTES = (RouteInfo("POST", "/api/chat", Location("main.py", 9), "fastapi", True, True, calls_model=True),)


def _status(result: ScanResult) -> dict[str, str]:
    return {c.check.title: c.status for c in markdown.evaluate(result)}


def _titles() -> list[str]:
    return [c.title for c in markdown.CHECKS]


def test_sample_statuses() -> None:
    status = _status(sample_result())
    assert status[SECRETS_ROW] == "fail"
    assert status["↳ Keys in git history"] == "fail"
    assert status[SECRETS_ROW] == "fail"
    assert status["1. Auth on member APIs"] == "fail"
    assert status["6. Logging is safe (no prompts, personal data or credentials)"] == "fail"
    assert status["7. CORS locked down"] == "fail"
    assert status["4. Rate limiting on model routes"] == "not checked"
    assert status["10. Deployment rollback"] == "not checked"


def test_pass_when_rules_ran_and_found_nothing() -> None:
    status = _status(ScanResult(root="/r", findings=(), rules=RULES, stats={"history": 1}, routes=ROUTES))
    assert status[SECRETS_ROW] == "pass"
    assert status["↳ Keys in git history"] == "pass"
    assert status["1. Auth on member APIs"] == "pass"
    assert status["7. CORS locked down"] == "pass"


def test_not_checked_when_family_did_not_run() -> None:
    status = _status(ScanResult(root="/r", findings=(), rules=(OPENAI,)))
    assert status[SECRETS_ROW] == "not checked"  # the exposure rules did not run
    assert status["1. Auth on member APIs"] == "not checked"
    assert status["7. CORS locked down"] == "not checked"


def test_history_not_checked_without_history_scan() -> None:
    wt = Finding(OPENAI, Location("a.py", 1), "key")
    status = _status(ScanResult(root="/r", findings=(wt,), rules=RULES, stats={"files": 1}))
    assert status[SECRETS_ROW] == "fail"
    assert status["↳ Keys in git history"] == "not checked"
    out = markdown.render(ScanResult(root="/r", findings=(wt,), rules=RULES), width=None)
    assert "| ↳ Keys in git history | ➖ not checked | _run `launch-ready scan --history`_ |" in out


def test_info_findings_do_not_fail_a_check() -> None:
    info = Rule("SEC180", "firebase-web-key", "secrets", Severity.INFO, "public key", "doc", "fix")
    f = Finding(info, Location("a.js", 1), "Firebase web apiKey (public by design)")
    status = _status(ScanResult(root="/r", findings=(f,), rules=(info,)))
    assert status[SECRETS_ROW] == "pass"


def test_launch_rules_map_to_their_checks() -> None:
    rate = Rule("LR601", "model-route-without-rate-limit", "launch", Severity.MEDIUM, "s", "d", "f")
    debug = Rule("LR604", "debug-in-production", "launch", Severity.HIGH, "s", "d", "f")
    f = Finding(rate, Location("a.py", 3), "no rate limit")
    status = _status(ScanResult(root="/r", findings=(f,), rules=(rate, debug), routes=ROUTES))
    assert status["4. Rate limiting on model routes"] == "fail"
    assert status["8. Monitoring active; errors reach you, not the visitor"] == "pass"
    assert status["5. Input validation (prompt size, user text out of system prompts)"] == "not checked"


def test_eleven_rows_and_rows_a_repository_cannot_show() -> None:
    assert len([c for c in markdown.CHECKS if not c.sub]) == 11
    out = markdown.render(ScanResult(root="/r", findings=(), rules=RULES, stats={"history": 1}), width=None)
    for row in ("9. Email authentication", "10. Deployment rollback", "11. Edge, HTTPS and SSL"):
        line = next(x for x in out.splitlines() if x.startswith(f"| {row}"))
        assert "➖ not checked | _not checked by a repository scan:" in line
    assert "_the object-access rule did not run (AUTH307 unscoped-object-access)_" in out  # not in RULES
    assert "_the rate-limit rule did not run (LR601)_" in out


def test_probe_rules_fill_the_live_rows() -> None:
    from scanner.rulebook import PROBE_RULES

    live = tuple(PROBE_RULES.values())
    dmarc = Finding(PROBE_RULES["EDGE708"], Location("dns:_dmarc.example.com", 1), "p=none")
    open_route = Finding(PROBE_RULES["AUTH308"], Location("backend/main.py", 38), "200 without a session")
    status = _status(ScanResult(root="/r", findings=(dmarc, open_route), rules=(*RULES, *live),
                                stats={"history": 1}))
    assert status["9. Email authentication (SPF, DKIM, DMARC)"] == "fail"
    assert status["11. Edge, HTTPS and SSL"] == "pass"
    assert status["1. Auth on member APIs"] == "fail"
    assert status["10. Deployment rollback"] == "not checked"  # no probe can show it
    # LR606 ran live, but the static rate-limit rule (LR601) did not run on the repository: half a row
    assert status["4. Rate limiting on model routes"] == "not checked"
    rows = {c.check.title: c for c in markdown.evaluate(ScanResult(root="/r", findings=(dmarc, open_route),
                                                                   rules=(*RULES, *live)))}
    assert [f.rule_id for f in rows["9. Email authentication (SPF, DKIM, DMARC)"].findings] == ["EDGE708"]
    assert [f.rule_id for f in rows["1. Auth on member APIs"].findings] == ["AUTH308"]


def test_verdict_and_summary() -> None:
    out = markdown.render(sample_result(), width=None)
    assert out.startswith("# Launch readiness scorecard: `demo`\n\n"
                          "**Not ready to launch: 4 of 11 checks fail** (7 not checked). 7 findings "
                          "(3 critical, 2 high, 1 medium, 1 low), 1 suppressed (1 inline), 14 files "
                          "scanned.\n")
    empty = ScanResult(root="/r/app", findings=(), rules=RULES, stats={"history": 1}, routes=ROUTES)
    clean = markdown.render(empty, width=None)
    assert "**No blocking issue found by 4 checks** (7 not checked). 0 findings." in clean


def test_fix_path_per_failing_check() -> None:
    out = markdown.render(sample_result(), width=None)
    section = out.split("### ❌ 1. Auth on member APIs")[1].split("###")[0]
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
    assert status[SECRETS_ROW] == "not checked"
    status = _status(ScanResult(root="/r", findings=(), rules=(OPENAI, bundle, PUBLIC)))
    assert status[SECRETS_ROW] == "pass"


def test_full_history_scan_counters_count_as_history_checked() -> None:
    result = ScanResult(root="/r", findings=(), rules=(OPENAI,),
                        stats={"files": 3, "commits": 9, "added_lines": 40, "distinct_lines": 30})
    assert _status(result)["↳ Keys in git history"] == "pass"
    since = ScanResult(root="/r", findings=(), rules=(OPENAI,), stats={"files": 3, "commits": 2})
    assert _status(since)["↳ Keys in git history"] == "not checked"


def test_incomplete_scan_verdict_and_notes_errors_first() -> None:
    notes = tuple(Notification("note", "binary file skipped", f"img{i:03}.png", "binary") for i in range(60))
    notes += (Notification("error", "history scan incomplete", None, "git-error"),)
    out = markdown.render(ScanResult(root="/r", findings=(), rules=RULES, notifications=notes, routes=ROUTES),
                          width=None)
    assert "**Incomplete scan: no blocking issue found by 4 checks** (7 not checked)." in out
    section = out.split("## Notes")[1]
    assert section.index("**error** history scan incomplete") < section.index("img000.png")
    assert "- ... and 11 more notes (see `--format json`)" in section


def test_rows_that_judge_routes_cannot_pass_without_a_route() -> None:
    out = markdown.render(ScanResult(root="/r", findings=(), rules=RULES, stats={"history": 1}), width=None)
    row = next(x for x in out.splitlines() if x.startswith("| 1. Auth on member APIs"))
    assert row == ("| 1. Auth on member APIs | ➖ not checked | _no route handler found in the scanned files (Flask, "
                   "FastAPI, Django, Starlette, Litestar, Express, Next.js, NestJS, Hono): nothing to judge_ |")
    status = _status(ScanResult(root="/r", findings=(), rules=RULES, stats={"history": 1}))
    assert status["7. CORS locked down"] == "pass"  # a CORS setting needs no route to be judged
    assert status[SECRETS_ROW] == "pass"


def test_rows_that_judge_routes_cannot_pass_when_a_source_file_was_not_parsed() -> None:
    notes = (Notification("note", "not parsed: ParserSyntaxError", "api/main.py", "parse-error"),
             Notification("note", "cannot parse vercel.json: bad JSON", "vercel.json", "parse-error"))
    result = ScanResult(root="/r", findings=(), rules=RULES, stats={"history": 1}, routes=ROUTES, notifications=notes)
    rows = {c.check.title: c for c in markdown.evaluate(result)}
    auth = rows["1. Auth on member APIs"]
    assert (auth.status, auth.hint) == ("not checked", "1 source file could not be parsed (see Notes): a route in it "
                                                       "was not judged")
    assert rows["6. Logging is safe (no prompts, personal data or credentials)"].status == "pass"
    assert _status(ScanResult(root="/r", findings=(), rules=RULES, routes=ROUTES, notifications=notes[1:]))[
        "1. Auth on member APIs"] == "pass"  # a config file's parse note does not hide a route


def test_a_scan_of_no_file_checks_nothing() -> None:
    out = markdown.render(ScanResult(root="/r/empty", findings=(), rules=RULES, stats={"files": 0}), width=None)
    assert "**Nothing could be checked**: see why under each check. 0 findings, 0 files scanned." in out
    assert "| 7. CORS locked down | ➖ not checked | _no file was scanned: nothing to judge_ |" in out


def test_a_live_check_that_did_not_finish_leaves_its_row_not_checked() -> None:
    from scanner.rulebook import PROBE_RULES

    result = ScanResult(root="/r", findings=(), rules=(*RULES, *PROBE_RULES.values()), routes=ROUTES,
                        stats={"history": 1, "unfinished_CORS505": 1, "unfinished_CORS506": 1,
                               "unfinished_CORS507": 1})
    row = {c.check.title: c for c in markdown.evaluate(result)}["7. CORS locked down"]
    assert (row.status, row.hint) == ("not checked", "the live check did not finish (CORS505, CORS506, CORS507; "
                                                     "see Notes): a passing row could hide findings")


def test_a_row_whose_findings_the_repository_config_ignores_cannot_pass() -> None:
    from dataclasses import replace

    from scanner.model import Suppression

    rate = Rule("LR601", "model-route-without-rate-limit", "launch", Severity.HIGH, "s", "d", "f")
    hidden = replace(Finding(rate, Location("main.py", 9), "no rate limit"),
                     suppression=Suppression("config", "ignore = [LR601] in pyproject.toml"))
    inline = replace(hidden, suppression=Suppression("inline", "launch-ready: ignore[LR601] on the line"))
    rows = {c.check.title: c for c in markdown.evaluate(ScanResult(root="/r", findings=(), rules=(*RULES, rate),
                                                                   suppressed=(hidden,), routes=ROUTES))}
    row = rows["4. Rate limiting on model routes"]
    assert (row.status, row.hint) == ("not checked", "1 finding of this check suppressed by the repository's "
                                                     "config (pyproject.toml); `--no-config` shows them")
    status = _status(ScanResult(root="/r", findings=(), rules=(*RULES, rate), suppressed=(inline,), routes=ROUTES))
    assert status["4. Rate limiting on model routes"] == "pass"  # an inline ignore is a decision on one line
