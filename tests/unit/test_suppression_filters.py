"""The filter chain: exclude, inline, baseline, auditor mode, config notes, select/ignore and severity."""

from __future__ import annotations

from scanner.config import Config
from scanner.filters import apply_filters, apply_repo_filters, with_config_notes
from scanner.filters.baseline import Baseline, entries_of
from scanner.filters.lines import LineLookup
from scanner.model import Finding, Location, Notification, Rule, ScanFile, ScanResult, Severity, Suppression

RULE = Rule("SEC180", "custom-pattern-critical", "secrets", Severity.CRITICAL, "s", "d", "f")
OTHER = Rule("LOG401", "prompt-or-chat-logged", "logging", Severity.HIGH, "s", "d", "f")
TEXT = "a = 1  # launch-ready: ignore[SEC180]\nb = 2\nc = 3\n"


def _f(rule: Rule, path: str, line: int, key: str) -> Finding:
    return Finding(rule, Location(path, line), "m", match_key=key)


def _result() -> ScanResult:
    findings = (_f(RULE, "app.py", 1, "k1"), _f(RULE, "app.py", 2, "k2"), _f(OTHER, "app.py", 3, "k3"),
                _f(RULE, "vendor/x.py", 1, "k4"))
    return ScanResult("/r", findings, rules=(OTHER, RULE))


def _lookup() -> LineLookup:
    return LineLookup([ScanFile("app.py", TEXT), ScanFile("vendor/x.py", "k\n")])


def _where(findings: tuple[Finding, ...]) -> list[tuple[str, int]]:
    return [(f.location.path, f.location.line) for f in findings]


def test_exclude_inline_then_baseline() -> None:
    baseline = Baseline("b.json", entries_of([_f(RULE, "app.py", 9, "k2")]))
    out = apply_repo_filters(_result(), Config(exclude=("vendor/",)), _lookup(), baseline)
    assert _where(out.findings) == [("app.py", 3)]
    assert [(f.location.line, f.suppression.kind if f.suppression else "") for f in out.suppressed] == [
        (1, "inline"), (2, "baseline")]


def test_auditor_mode_applies_no_inline_suppression_nor_baseline() -> None:
    baseline = Baseline("b.json", entries_of([_f(RULE, "app.py", 9, "k2")]))
    out = apply_repo_filters(_result(), Config(no_config=True), _lookup(), baseline)
    assert len(out.findings) == 4 and out.suppressed == ()


def test_select_ignore_and_severity_apply_to_suppressed_too() -> None:
    out = apply_repo_filters(_result(), Config(), _lookup())
    filtered = apply_filters(out, Config(ignore=("LOG",), severity=(("custom-pattern-critical", "low"),)))
    assert _where(filtered.findings) == [("app.py", 2), ("vendor/x.py", 1)]
    assert [f.severity for f in (*filtered.findings, *filtered.suppressed)] == [Severity.LOW] * 3
    assert [r.id for r in filtered.rules] == ["SEC180"]
    assert apply_filters(out, Config(select=("LOG401",))).suppressed == ()


def test_config_warnings_become_notifications() -> None:
    result = with_config_notes(ScanResult("/r", ()), Config(warnings=("x.toml: unknown config key 'a'",)),
                               ("--no-config: baseline b.json not applied (auditor mode)",))
    assert result.notifications == (
        Notification("warning", "--no-config: baseline b.json not applied (auditor mode)", None, "config"),
        Notification("warning", "x.toml: unknown config key 'a'", None, "config"),
    )
    assert with_config_notes(result, Config()) is result


def test_config_exclude_keeps_history_findings_as_config_suppressions() -> None:
    config = Config(exclude=("vendor/", "/.launch-ready-baseline.json"), config_exclude=("vendor/",),
                    source=".launch-ready.toml")
    findings = (_f(RULE, "vendor/x.py", 1, "k4"), _f(RULE, ".launch-ready-baseline.json", 1, "k5"),
                _f(RULE, "app.py", 2, "k2"))
    out = apply_repo_filters(ScanResult("/r", findings), config, LineLookup())
    assert _where(out.findings) == [("app.py", 2)]
    assert [(f.location.path, f.suppression) for f in out.suppressed] == [
        ("vendor/x.py", Suppression("config", "exclude in .launch-ready.toml"))]  # the scanner's own file: dropped


def test_config_select_and_ignore_are_config_suppressions_but_flags_are_not() -> None:
    result = apply_repo_filters(_result(), Config(), _lookup())
    from_file = Config(ignore=("LOG401",), config_ignore=("LOG401",), source="pyproject.toml")
    out = apply_filters(result, from_file)
    assert [(f.rule_id, f.suppression) for f in out.suppressed] == [
        ("SEC180", Suppression("inline", "launch-ready: ignore[SEC180] on the line")),
        ("LOG401", Suppression("config", "ignore = [LOG401] in pyproject.toml"))]
    assert [r.id for r in out.rules] == ["LOG401", "SEC180"]  # SARIF still describes the suppressed result
    flag = apply_filters(result, Config(ignore=("LOG401",)))
    assert [f.rule_id for f in flag.suppressed] == ["SEC180"]
    selected = apply_filters(result, Config(select=("SEC180",), config_select=("SEC180",), source="x.toml"))
    assert [(f.rule_id, f.suppression) for f in selected.suppressed if f.rule_id == "LOG401"] == [
        ("LOG401", Suppression("config", "not in select = [SEC180] in x.toml"))]
    replaced = apply_filters(result, Config(select=("SEC180",), config_select=("LOG401",)))
    assert [f.rule_id for f in replaced.suppressed] == ["SEC180"]


def test_a_family_the_config_turns_off_is_noted() -> None:
    config = Config(ignore=("secrets",), config_ignore=("secrets",), source=".launch-ready.toml")
    assert with_config_notes(ScanResult("/r", ()), config).notifications == (Notification(
        "note", "the config turns off every rule of secrets (ignore = [secrets] in .launch-ready.toml); nothing of "
        "theirs is looked for (--no-config runs every rule)", None, "rules-off"),)
    one_rule = Config(ignore=("SEC100",), config_ignore=("SEC100",), source=".launch-ready.toml")
    assert with_config_notes(ScanResult("/r", ()), one_rule).notifications == ()
    by_flag = Config(ignore=("secrets",))  # --ignore secrets: the user's own choice
    assert with_config_notes(ScanResult("/r", ()), by_flag).notifications == ()
    selected = Config(select=("secrets", "AUTH", "LOG", "cors", "LR"), config_select=("secrets", "AUTH", "LOG",
                                                                                      "cors", "LR"), source="x.toml")
    (note,) = with_config_notes(ScanResult("/r", ()), selected).notifications
    assert note.message.startswith("the config turns off every rule of client-exposure (select = [secrets, AUTH, ")
