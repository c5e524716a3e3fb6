"""The text reporter: layout, escaping of repository-controlled text, no colour off a terminal, summary."""

from __future__ import annotations

import dataclasses

from scanner.model import Finding, Location, Notification, ScanResult, Suppression
from scanner.reporters import text
from tests.reporters.sample import CORS, OPENAI, PROMPT_LOG, TEST_KEY, sample_result


def _result(*findings: Finding, **kwargs: object) -> ScanResult:
    return ScanResult(root="/r", findings=findings, **kwargs)  # type: ignore[arg-type]


def test_no_colour_and_fixed_width_off_a_terminal() -> None:
    out = text.render(sample_result(), width=None)
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= text.FIXED_WIDTH
    assert all(line == line.rstrip() for line in out.splitlines())


def test_colour_on_a_terminal() -> None:
    out = text.render(sample_result(), width=80)
    assert "\x1b[" in out


def test_files_worst_first_and_findings_worst_first() -> None:
    out = text.render(sample_result(), width=None)
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert headings[:5] == ["backend/main.py  (3 findings)", "backend/settings.py  (1 finding)",
                            "config/old_settings.py  (1 finding)", "frontend/.env.local  (1 finding)",
                            "docs/we[ird] na:me,%.md  (1 finding)"]
    block = out.split("backend/settings.py")[0]
    assert block.index("CORS503") < block.index("AUTH301") < block.index("LOG401")


def test_finding_shows_rule_slug_severity_place_message_snippet_commit() -> None:
    out = text.render(sample_result(), width=None)
    assert "  CRITICAL  SEC101 openai-api-key  line 4:18\n" in out
    assert '            | OPENAI_API_KEY = "sk-p…Qx"\n' in out
    assert "in commit 3f2a9c1e5b7d (git history; not in the working tree)" in out


def test_control_characters_and_markup_from_the_repository_are_escaped() -> None:
    evil = Finding(PROMPT_LOG, Location("src/\x1b[31mred[/]\u202e.py", 3, 1, 3, 5),
                   "logs [bold red]prompt[/] \x1b]0;pwned\x07", snippet="print(x)\x1b[2J")
    out = text.render(_result(evil), width=80)
    assert "\x1b[31m" not in out and "\x1b]0;" not in out and "\x1b[2J" not in out and "\u202e" not in out
    assert "src/\\x1b[31mred[/]\\u202e.py" in out
    assert "logs [bold red]prompt[/] \\x1b]0;pwned\\x07" in out
    assert "print(x)\\x1b[2J" in out


def test_summary_line() -> None:
    out = text.render(sample_result(), width=None)
    assert ("7 findings (3 critical, 2 high, 1 medium, 1 low), 1 suppressed (1 inline), 14 files scanned\n"
            in out)


def test_summary_counts_suppressions_by_kind() -> None:
    f = Finding(TEST_KEY, Location("a.py", 1), "k")
    sup = (dataclasses.replace(f, suppression=Suppression("baseline")),
           dataclasses.replace(f, suppression=Suppression("inline")),
           dataclasses.replace(f, suppression=Suppression("baseline")))
    out = text.render(_result(suppressed=sup, stats={"files": 1}), width=None)
    expected = "0 findings, 3 suppressed (2 baseline, 1 inline), 1 file scanned - nothing to fix"
    assert out.splitlines()[-1] == expected


def test_incomplete_scan_is_said() -> None:
    result = _result(Finding(CORS, Location("a.py", 1), "cors"),
                     notifications=(Notification("error", "git failed", None, "git-error"),))
    out = text.render(result, width=None)
    assert "error: git failed" in out
    assert "1 finding (1 critical) - scan incomplete" in out


def test_clean_result() -> None:
    out = text.render(_result(stats={"files": 3}), width=None)
    assert out == "0 findings, 3 files scanned - nothing to fix\n"


def test_long_message_wraps_under_the_indent() -> None:
    f = Finding(OPENAI, Location("a.py", 1), "word " * 40)
    lines = text.render(_result(f), width=None).splitlines()
    wrapped = [line for line in lines if line.startswith("            word")]
    assert len(wrapped) >= 2
