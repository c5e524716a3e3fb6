"""Filters between engines and reporters: select/ignore, severity overrides, suppressions, baseline."""

from __future__ import annotations

import dataclasses

from scanner.config import Config
from scanner.filters.baseline import Baseline, apply_baseline
from scanner.filters.lines import LineLookup
from scanner.filters.paths import PathExcluder
from scanner.filters.suppression import apply_inline
from scanner.model import Finding, Notification, ScanResult, Severity
from scanner.registry import matches


def select_rules(result: ScanResult, select: tuple[str, ...], ignore: tuple[str, ...]) -> ScanResult:
    """Keep findings (and SARIF rules) named by ``select`` (all when empty) and not named by ``ignore``."""

    def keep(rule_id_rule: Finding) -> bool:
        rule = rule_id_rule.rule
        return (not select or matches(rule, select)) and not (ignore and matches(rule, ignore))

    findings = tuple(f for f in result.findings if keep(f))
    suppressed = tuple(f for f in result.suppressed if keep(f))
    rules = tuple(r for r in result.rules if (not select or matches(r, select)) and not matches(r, ignore))
    return dataclasses.replace(result, findings=findings, suppressed=suppressed, rules=rules)


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
    suppressed = tuple(dataclasses.replace(f, rule=rules.get(f.rule_id, f.rule)) for f in result.suppressed)
    return dataclasses.replace(result, findings=findings, suppressed=suppressed, rules=tuple(rules.values()))


def apply_repo_filters(result: ScanResult, config: Config, lookup: LineLookup,
                       baseline: Baseline | None = None) -> ScanResult:
    """The filters that need the scanned text, applied where it is still at hand (``api``): the config's
    ``exclude`` globs (also for history and staged findings), then inline suppressions, then ``baseline``.
    In auditor mode (``config.no_config``) neither suppressions nor the baseline apply.

    Raises:
        ConfigError: an exclude glob is invalid.
    """
    excluder = PathExcluder(config.exclude)
    if excluder:
        result = dataclasses.replace(result, findings=tuple(excluder.keep(result.findings, _path)))
    if config.no_config:
        return result
    result = apply_inline(result, lookup)
    return apply_baseline(result, baseline, lookup) if baseline is not None else result


def _path(finding: Finding) -> str:
    return finding.location.path


def with_config_notes(result: ScanResult, config: Config, extra: tuple[str, ...] = ()) -> ScanResult:
    """``result`` with the config's warnings (unknown keys) and ``extra`` messages as warning notes."""
    notes = {Notification("warning", message, None, "config") for message in (*config.warnings, *extra)}
    if not notes:
        return result
    merged = sorted(set(result.notifications) | notes, key=Notification.sort_key)
    return dataclasses.replace(result, notifications=tuple(merged))


def apply_filters(result: ScanResult, config: Config) -> ScanResult:
    """All config-driven filters in order: severity overrides, then select/ignore."""
    result = override_severity(result, config.severity)
    return select_rules(result, config.select, config.ignore)


def at_or_above(result: ScanResult, threshold: Severity) -> list[Finding]:
    """Findings whose severity is at or above ``threshold``."""
    return [f for f in result.findings if f.severity.rank >= threshold.rank]
