"""Filters between engines and reporters: select/ignore, severity overrides, suppressions, baseline."""

from __future__ import annotations

import dataclasses

from scanner.config import Config
from scanner.filters.baseline import Baseline, apply_baseline
from scanner.filters.lines import LineLookup
from scanner.filters.paths import PathExcluder
from scanner.filters.suppression import apply_inline
from scanner.model import Finding, Notification, Rule, ScanResult, Severity, Suppression
from scanner.registry import matches

CONFIG = "config"


def select_rules(result: ScanResult, select: tuple[str, ...], ignore: tuple[str, ...],
                 config: Config | None = None) -> ScanResult:
    """Keep findings (and SARIF rules) named by ``select`` (all when empty) and not named by ``ignore``.

    A finding dropped only by the config files' own ``select`` / ``ignore`` (``config.config_select`` /
    ``config.config_ignore``; not by a command-line flag) moves to ``result.suppressed`` with kind ``config``,
    so every report counts it (README: ``suppressed.by.config``); one a flag drops is the user's choice and is
    left out, as are the already-suppressed findings a flag or the config drops."""

    def chosen(rule: Rule) -> bool:
        return (not select or matches(rule, select)) and not (ignore and matches(rule, ignore))

    findings: list[Finding] = []
    suppressed = [f for f in result.suppressed if chosen(f.rule)]
    for f in result.findings:
        if chosen(f.rule):
            findings.append(f)
        elif config is not None and (why := _config_suppression(f.rule, select, ignore, config)) is not None:
            suppressed.append(dataclasses.replace(f, suppression=why))
    kept_rules = {f.rule_id for f in suppressed}
    rules = tuple(r for r in result.rules if chosen(r) or r.id in kept_rules)
    return dataclasses.replace(result, findings=tuple(findings), rules=rules,
                               suppressed=tuple(sorted(suppressed, key=Finding.sort_key)))


def _config_suppression(rule: Rule, select: tuple[str, ...], ignore: tuple[str, ...],
                        config: Config) -> Suppression | None:
    """Why the config files (not a flag) drop ``rule``'s findings, or None when a command-line flag drops them:
    an ``ignore`` name from the command line only, or a ``--select`` that replaced the config's."""
    names = [name for name in ignore if matches(rule, (name,))]
    if any(name not in config.config_ignore for name in names):
        return None  # --ignore names it
    if names:
        return Suppression(CONFIG, f"ignore = [{', '.join(names)}] in {config.source}")
    if select and select != config.config_select:
        return None  # --select replaced the config's select
    return Suppression(CONFIG, f"not in select = [{', '.join(select)}] in {config.source}")


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
    result = _exclude(result, config)
    if config.no_config:
        return result
    result = apply_inline(result, lookup)
    return apply_baseline(result, baseline, lookup) if baseline is not None else result


def _path(finding: Finding) -> str:
    return finding.location.path


def _exclude(result: ScanResult, config: Config) -> ScanResult:
    """``result`` without the findings in excluded paths; those the config files' ``exclude`` globs drop
    (history and staged findings: excluded work-tree files are not read, see :func:`excluded_notes`) are kept
    as suppressed, kind ``config``."""
    excluder = PathExcluder(config.exclude)
    if not excluder:
        return result
    own = PathExcluder(config.config_exclude)
    kept: list[Finding] = []
    suppressed = list(result.suppressed)
    why = Suppression(CONFIG, f"exclude in {config.source}")
    for finding in result.findings:
        if not excluder.excluded(finding.location.path):
            kept.append(finding)
        elif own and own.excluded(finding.location.path):
            suppressed.append(dataclasses.replace(finding, suppression=why))
    return dataclasses.replace(result, findings=tuple(kept),
                               suppressed=tuple(sorted(suppressed, key=Finding.sort_key)))


def excluded_notes(paths: list[str], config: Config) -> list[Notification]:
    """One note per file of ``paths`` (work-tree files left out of the scan) that the config files' ``exclude``
    globs name, so a report says what the config hid (grouped into one note with a count and examples);
    the scanner's own files (baselines, reports) need no note."""
    own = PathExcluder(config.config_exclude)
    if not own:
        return []
    message = f"not scanned: matched by exclude in {config.source}"
    return [Notification("note", message, path, "excluded") for path in paths if own.excluded(path)]


def with_config_notes(result: ScanResult, config: Config, extra: tuple[str, ...] = ()) -> ScanResult:
    """``result`` with the config's warnings (unknown keys) and ``extra`` messages as warning notes, and a note
    naming the rule families the config files turn off entirely (their rules never run, so nothing of theirs
    can be counted as suppressed)."""
    notes = {Notification("warning", message, None, "config") for message in (*config.warnings, *extra)}
    off = families_turned_off(config)
    if off:
        notes.add(Notification("note", f"the config turns off every rule of {', '.join(off)} ({_setting(config)});"
                               " nothing of theirs is looked for (--no-config runs every rule)", None, "rules-off"))
    if not notes:
        return result
    merged = sorted(set(result.notifications) | notes, key=Notification.sort_key)
    return dataclasses.replace(result, notifications=tuple(merged))


def families_turned_off(config: Config) -> list[str]:
    """The rule families (``scan``'s, in ``FAMILIES`` order) none of whose rules run because of the config files'
    own ``select`` / ``ignore`` (not a command-line flag); empty when the config files set neither."""
    if not (config.config_select or config.config_ignore) or config.no_config:
        return []
    from scanner.model import FAMILIES
    from scanner.registry import all_rules
    from scanner.rulebook import PROBE_RULES

    def off(rule: Rule) -> bool:
        dropped = (config.select and not matches(rule, config.select)) or matches(rule, config.ignore)
        return bool(dropped) and _config_suppression(rule, config.select, config.ignore, config) is not None

    rules = [r for r in all_rules() if r.id not in PROBE_RULES]
    return [family for family in FAMILIES
            if (members := [r for r in rules if r.family == family]) and all(off(r) for r in members)]


def _setting(config: Config) -> str:
    parts = [f"{key} = [{', '.join(names)}]" for key, names in (("select", config.config_select),
                                                                ("ignore", config.config_ignore)) if names]
    return f"{'; '.join(parts)} in {config.source}"


def apply_filters(result: ScanResult, config: Config) -> ScanResult:
    """All config-driven filters in order: severity overrides, then select/ignore (findings the config files
    drop are kept as suppressed, kind ``config``)."""
    result = override_severity(result, config.severity)
    return select_rules(result, config.select, config.ignore, config)


def at_or_above(result: ScanResult, threshold: Severity) -> list[Finding]:
    """Findings whose severity is at or above ``threshold``."""
    return [f for f in result.findings if f.severity.rank >= threshold.rank]
