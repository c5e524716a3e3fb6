"""The rule registry: every rule of every available engine, looked up by code, slug, family or code prefix."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from scanner.engines import available_engines, load_engine
from scanner.errors import UsageError
from scanner.model import FAMILIES, Rule

#: A code prefix the user may type (``SEC``, ``SEC1``, ``AUTH3``): letters, then optional digits.
_PREFIX = re.compile(r"[A-Z]+[0-9]*")
#: A full code (``SEC100``, ``SEC1000``): matched exactly.
_FULL_CODE = re.compile(r"[A-Z]+[0-9]{3,}")


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


def names_rule(name: str, rule: Rule) -> bool:
    """True when one user-typed ``name`` names ``rule``: its exact code, its slug, its family, or a code prefix
    (``SEC``, ``SEC1``, ``AUTH3``). A name shaped like a full code (letters, then three or more digits) is
    matched exactly, never as a prefix: ``SEC100`` names SEC100 only, never SEC1000."""
    upper, lower = name.upper(), name.lower()
    if upper == rule.id or lower in (rule.slug, rule.family):
        return True
    return bool(_PREFIX.fullmatch(upper)) and not _FULL_CODE.fullmatch(upper) and rule.id.startswith(upper)


def matches(rule: Rule, names: Sequence[str]) -> bool:
    """True when any of ``names`` (codes, code prefixes like ``SEC1`` or ``AUTH``, slugs, families) names
    ``rule``; a full code matches only itself (``--ignore SEC100`` never drops SEC1000)."""
    return any(names_rule(name, rule) for name in names)


def unknown_names(names: Iterable[str], rules: Sequence[Rule]) -> list[tuple[str, str | None]]:
    """Every name in ``names`` that names none of ``rules``, with the closest known code, slug or family
    (None when nothing is close): ``[("SEC1OO", "SEC100")]``."""
    vocabulary = sorted({r.id for r in rules} | {r.slug for r in rules} | {r.family for r in rules})
    out = []
    for name in names:
        if not any(names_rule(name, rule) for rule in rules):
            out.append((name, _closest(name, vocabulary)))
    return out


def _closest(name: str, vocabulary: list[str]) -> str | None:
    """The known name closest to ``name``: a code with letter O / I / L typed for 0 / 1 first, else difflib's."""
    head = re.match(r"[A-Za-z]+", name)
    if head:
        digits = name[head.end():].upper().translate(str.maketrans("OIL", "011"))
        if head.group().upper() + digits in vocabulary:
            return head.group().upper() + digits
    for folded in (name.upper(), name.lower()):
        close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=0.6)
        if close:
            return close[0]
    return None


def check_names(names: Iterable[str], where: str, rules: Sequence[Rule] | None = None) -> None:
    """Refuse rule names that name no rule (typed on the command line or in a config file). ``rules``
    defaults to :func:`all_rules`, loaded only when a name is not a family.

    Raises:
        UsageError: one line, ``{where}: unknown rule 'SEC1OO' (did you mean SEC100?)``.
    """
    names = [n for n in names if n.lower() not in FAMILIES]  # a family name needs no engine loaded
    if not names:
        return
    bad = unknown_names(names, all_rules() if rules is None else rules)
    if bad:
        name, close = bad[0]
        hint = f" (did you mean {close}?)" if close else "; `launch-ready rules` lists them"
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise UsageError(f"{where}: unknown rule, family or prefix {name!r}{hint}{more}")


def selected(rules: Sequence[Rule], select: Sequence[str], ignore: Sequence[str]) -> tuple[Rule, ...]:
    """The rules ``select`` (all when empty) names and ``ignore`` does not."""
    return tuple(r for r in rules if (not select or matches(r, select)) and not matches(r, ignore))


def engines_for(rules: Sequence[Rule]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(engines, families)`` that must start to report ``rules``: an engine starts only when it can report
    one of them (``--select secrets`` never starts semgrep or the Python rules)."""
    wanted = {r.id for r in rules}
    families = tuple(f for f in FAMILIES if any(r.family == f for r in rules))
    reports = {name: {r.id for r in load_engine(name).rules()} for name in available_engines(families)}
    # a wanted rule no engine of its family reports comes from another engine: SEC193 (secrets) is the Python
    # rules', so ``--select SEC193`` starts them; ``--select SEC100`` (the hook's kind) never imports them
    missing = wanted - set().union(*reports.values())
    for name in available_engines():
        if missing and name not in reports:
            reports[name] = {r.id for r in load_engine(name).rules()}
            missing -= reports[name]
    engines = tuple(name for name in available_engines() if reports.get(name, set()) & wanted)
    return engines, families


def rules_of_families(families: Sequence[str]) -> tuple[Rule, ...]:
    """The rules of ``families`` from the engines that report them only (``--select secrets`` never imports
    the code engines)."""
    found = {r.id: r for name in available_engines(tuple(families)) for r in load_engine(name).rules()
             if r.family in families}
    return tuple(sorted(found.values(), key=lambda r: r.id))

