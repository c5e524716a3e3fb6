"""The rule registry: every rule of every available engine, looked up by code or slug."""

from __future__ import annotations

from scanner.engines import available_engines, load_engine
from scanner.model import Rule


def all_rules() -> tuple[Rule, ...]:
    """Every rule of every available engine, sorted by code.

    Raises:
        ValueError: two rules share a code or a slug (a registry bug).
    """
    rules: dict[str, Rule] = {}
    slugs: dict[str, str] = {}
    for name in available_engines():
        for rule in load_engine(name).rules():
            if rules.get(rule.id, rule) != rule or slugs.get(rule.slug, rule.id) != rule.id:
                raise ValueError(f"duplicate rule code or slug: {rule.id} / {rule.slug}")
            rules[rule.id] = rule
            slugs[rule.slug] = rule.id
    from scanner.rulebook import PROBE_RULES  # the live rules of `launch-ready probe` (no engine reports them)

    rules.update(PROBE_RULES)
    return tuple(sorted(rules.values(), key=lambda r: r.id))


def find_rule(name: str) -> Rule | None:
    """The rule whose code (case-insensitive) or slug is ``name``, or None."""
    for rule in all_rules():
        if name.upper() == rule.id or name.lower() == rule.slug:
            return rule
    return None


def matches(rule: Rule, names: tuple[str, ...] | list[str]) -> bool:
    """True when ``names`` (codes, code prefixes like ``SEC1`` or ``AUTH``, slugs, families) names ``rule``."""
    return any(rule.id.startswith(name.upper()) or name.lower() in (rule.slug, rule.family) for name in names)
