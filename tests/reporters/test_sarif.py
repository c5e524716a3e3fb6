"""SARIF: schema validity, GitHub's constraints beyond the schema, the walker, suppressions, size limits."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from scanner.model import Finding, Location, Notification, Rule, ScanResult, Severity, Suppression
from scanner.reporters import sarif
from tests.reporters.sample import COMMIT, OPENAI, PROMPT_LOG, sample_result

SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def render(result: ScanResult) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(sarif.render(result))
    return doc


def assert_github_constraints(doc: dict[str, Any]) -> None:
    """GitHub code scanning's rules beyond the schema (docs: SARIF support for code scanning)."""
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    runs = doc["runs"]
    categories = [run["automationDetails"]["id"] for run in runs]
    assert len(categories) == len(set(categories)) == 1
    for run in runs:
        rules = run["tool"]["driver"]["rules"]
        assert len(run["results"]) <= sarif.MAX_RESULTS
        for rule in rules:
            assert len(rule["shortDescription"]["text"]) <= 1024
            assert len(rule["fullDescription"]["text"]) <= 1024
            assert rule["help"]["text"] and rule["help"]["markdown"]
            tags = rule["properties"]["tags"]
            assert len(tags) <= 20 and "security" in tags
            sev = rule["properties"]["security-severity"]
            assert isinstance(sev, str) and 0.0 <= float(sev) <= 10.0
            assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")
        for result in run["results"]:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            assert result["level"] in ("error", "warning", "note")
            assert result["partialFingerprints"][sarif.FINGERPRINT_KEY]
            assert 1 <= len(result["locations"]) <= sarif.MAX_LOCATIONS
            physical = result["locations"][0]["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            assert not uri.startswith("/") and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri)
            assert re.fullmatch(r"[A-Za-z0-9\-._~/%!$&'()*+,;=@]+", uri), uri
            region = physical["region"]
            assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
            assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])


def test_sample_validates_and_meets_github_constraints() -> None:
    assert_github_constraints(render(sample_result()))


def test_run_shape() -> None:
    doc = render(sample_result())
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "launch-ready" and driver["version"] and driver["informationUri"]
    assert [r["id"] for r in driver["rules"]] == sorted(r["id"] for r in driver["rules"])
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["automationDetails"]["id"] == "launch-ready/"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///src/demo/"
    assert run["invocations"][0]["executionSuccessful"] is True
    assert len(run["results"]) == 8  # 7 findings + 1 suppressed


def test_rule_descriptor() -> None:
    rules = {r["id"]: r for r in render(sample_result())["runs"][0]["tool"]["driver"]["rules"]}
    rule = rules["SEC101"]
    assert rule["name"] == "OpenaiApiKey"
    assert rule["shortDescription"]["text"] == OPENAI.short
    assert rule["fullDescription"]["text"] == "OpenAI keys (`sk-proj-`, `sk-svcacct-`)."
    assert rule["help"]["markdown"] == OPENAI.doc.strip()
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["properties"] == {"tags": ["secrets", "security", "external/cwe/cwe-798"],
                                  "precision": "high", "security-severity": "9.5"}


def test_explicit_default_level_is_kept() -> None:
    # level "warning" equals sarif-om's default; jschema_to_python would drop it.
    run = render(sample_result())["runs"][0]
    log_result = next(r for r in run["results"] if r["ruleId"] == PROMPT_LOG.id)
    assert log_result["level"] == "warning"
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == PROMPT_LOG.id)
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert "rank" not in log_result and "kind" not in log_result  # defaults never given stay out


def test_result_location_and_fingerprint() -> None:
    result = next(r for r in render(sample_result())["runs"][0]["results"] if r["ruleId"] == "SEC101")
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "backend/settings.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 4, "startColumn": 18, "endLine": 4, "endColumn": 182,
                                  "snippet": {"text": 'OPENAI_API_KEY = "sk-p…Qx"'}}
    assert re.fullmatch(r"[0-9a-f]{64}", result["partialFingerprints"]["launchReady/v1"])


def test_history_finding_names_the_commit() -> None:
    result = next(r for r in render(sample_result())["runs"][0]["results"]
                  if r.get("properties", {}).get("commit"))
    assert result["properties"]["commit"] == COMMIT
    assert COMMIT[:12] in result["message"]["text"]


@pytest.mark.parametrize(("kind", "sarif_kind"), [("inline", "inSource"), ("baseline", "external"),
                                                  ("config", "external")])
def test_suppressed_findings_are_kept_with_suppressions(kind: str, sarif_kind: str) -> None:
    base = sample_result()
    f = dataclasses.replace(base.suppressed[0], suppression=Suppression(kind, "why"))
    doc = render(dataclasses.replace(base, suppressed=(f,)))
    suppressed = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["SEC191"]
    assert suppressed[0]["suppressions"] == [{"kind": sarif_kind, "justification": f"{kind}: why"}]
    assert_github_constraints(doc)


def test_uri_is_percent_encoded() -> None:
    assert sarif.uri_of("docs/we[ird] na:me,%.md") == "docs/we%5Bird%5D%20na%3Ame%2C%25.md"
    assert sarif.uri_of("src/café.py") == "src/caf%C3%A9.py"
    assert sarif.uri_of("a:b.py") == "a%3Ab.py"  # never read as a scheme


def test_notifications_and_incomplete_scan() -> None:
    base = sample_result()
    error = Notification("error", "git failed: object missing", None, "git-error")
    doc = render(dataclasses.replace(base, notifications=(*base.notifications, error)))
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["descriptor"]["id"]) for n in notes] == [
        ("note", "binary"), ("warning", "parse-error"), ("error", "git-error")]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "assets/logo.png"
    assert "locations" not in notes[2]
    assert_github_constraints(doc)


@pytest.mark.parametrize(("category", "expected"), [(None, "launch-ready/"), ("frontend", "frontend/"),
                                                    ("backend/", "backend/")])
def test_category(category: str | None, expected: str) -> None:
    doc = render(dataclasses.replace(sample_result(), category=category))
    assert doc["runs"][0]["automationDetails"]["id"] == expected


def test_relative_root_has_no_absolute_uri() -> None:
    doc = render(dataclasses.replace(sample_result(), root="fixtures/demo-app"))
    base = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    assert "uri" not in base and base["description"]["text"]
    jsonschema.Draft4Validator(SCHEMA).validate(doc)


def test_rule_missing_from_result_rules_is_added() -> None:
    doc = render(dataclasses.replace(sample_result(), rules=()))
    ids = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == ["AUTH301", "CORS503", "EXP201", "LOG401", "SEC101", "SEC191", "SEC199"]
    assert_github_constraints(doc)


def test_catalogue_rules_are_described_only_when_a_result_names_them() -> None:
    def catalogue(code: str) -> Rule:
        return dataclasses.replace(OPENAI, id=code, slug=f"catalogue-{code.lower()}")

    named, unnamed = catalogue("SEC1042"), catalogue("SEC1043")
    found = Finding(named, Location("k.py", 1, 1, 1, 9), "key", fingerprint="c" * 64)
    doc = render(ScanResult(root="/r", findings=(found,), rules=(OPENAI, named, unnamed)))
    assert [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]] == ["SEC101", "SEC1042"]


def _many(n: int) -> ScanResult:
    findings = tuple(Finding(OPENAI, Location(f"f{i}.py", 1, 1, 1, 10), "key", fingerprint=f"{i:064x}")
                     for i in range(n))
    return ScanResult(root="/r", findings=findings, rules=(OPENAI,))


def test_warns_past_5000_results() -> None:
    doc = render(_many(sarif.WARN_RESULTS + 1))
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["too-many-results"]
    assert notes[0]["level"] == "warning"


def test_refuses_past_25000_results() -> None:
    with pytest.raises(sarif.ReportTooLarge, match="25000"):
        sarif.render(_many(sarif.MAX_RESULTS + 1))


def test_refuses_too_many_tags() -> None:
    rule = Rule("SEC999", "many-cwes", "secrets", Severity.LOW, "x", "doc", "fix", tuple(range(1, 20)))
    result = ScanResult(root="/r", findings=(), rules=(rule,))
    with pytest.raises(sarif.ReportTooLarge, match="tags"):
        sarif.render(result)


def test_refuses_past_gzip_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "MAX_GZIP_BYTES", 100)
    with pytest.raises(sarif.ReportTooLarge, match="gzip"):
        sarif.render(sample_result())


def test_long_descriptions_are_capped() -> None:
    rule = dataclasses.replace(OPENAI, short="x" * 2000, doc="## What it finds\n" + "y " * 1000)
    doc = render(ScanResult(root="/r", findings=(), rules=(rule,)))
    assert_github_constraints(doc)


def test_walker_keeps_given_values_and_drops_unset_defaults() -> None:
    import sarif_om as om

    given = sarif.to_json(sarif.new(om.ReportingConfiguration, level="warning"))
    assert given == {"level": "warning"}
    unset = sarif.to_json(om.ReportingConfiguration())
    assert unset == {}


def test_report_too_large_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner import api
    from tests.conftest import run_cli

    monkeypatch.setattr(sarif, "MAX_GZIP_BYTES", 10)
    monkeypatch.setattr(api, "scan", lambda *args, **kwargs: sample_result())
    code, out = run_cli("scan", str(tmp_path), "--format", "sarif")
    assert code == 2
    assert "launch-ready: error: SARIF log is" in out and "GitHub accepts at most 10" in out
