"""Filters between engines and reporters: select/ignore, severity overrides, suppressions, baseline."""

from __future__ import annotations

import dataclasses

from scanner.config import Config
from scanner.model import Finding, ScanResult, Severity
from scanner.registry import matches


def select_rules(result: ScanResult, select: tuple[str, ...], ignore: tuple[str, ...]) -> ScanResult:
    """Keep findings (and SARIF rules) named by ``select`` (all when empty) and not named by ``ignore``."""

    def keep(rule_id_rule: Finding) -> bool:
        rule = rule_id_rule.rule
        return (not select or matches(rule, select)) and not (ignore and matches(rule, ignore))

    findings = tuple(f for f in result.findings if keep(f))
    rules = tuple(r for r in result.rules if (not select or matches(r, select)) and not matches(r, ignore))
    return dataclasses.replace(result, findings=findings, rules=rules)


def override_severity(result: ScanResult, overrides: tuple[tuple[str, str], ...]) -> ScanResult:
    """Apply per-rule severity overrides (code or slug -> severity name) to rules and their findings.

    Raises:
        ValueError: an override names an unknown severity.
    """
    if not overrides:
        return result
    table = {name.upper(): Severity.parse(sev) for name, sev in overrides}

    def new_rule(rule_id: str, slug: str) -> Severity | None:
        return table.get(rule_id) or table.get(slug.upper())

    rules = {}
    for rule in result.rules:
        sev = new_rule(rule.id, rule.slug)
        rules[rule.id] = dataclasses.replace(rule, severity=sev) if sev else rule
    findings = tuple(dataclasses.replace(f, rule=rules.get(f.rule_id, f.rule)) for f in result.findings)
    return dataclasses.replace(result, findings=findings, rules=tuple(rules.values()))


def apply_filters(result: ScanResult, config: Config) -> ScanResult:
    """All config-driven filters in order: severity overrides, then select/ignore."""
    result = override_severity(result, config.severity)
    return select_rules(result, config.select, config.ignore)


def at_or_above(result: ScanResult, threshold: Severity) -> list[Finding]:
    """Findings whose severity is at or above ``threshold``."""
    return [f for f in result.findings if f.severity.rank >= threshold.rank]
