"""Rule documentation as Markdown: one rule (``launch-ready explain ID``) or all of them (``docs/rules.md``).

Regenerate the committed file with ``launch-ready rules --markdown > docs/rules.md``; a test fails when it
is stale.
"""

from __future__ import annotations

from collections.abc import Iterable

from scanner.model import FAMILIES, Rule

HEADER = """# Rules

<!-- Generated from the rule registry; do not edit by hand.
     Regenerate: launch-ready rules --markdown > docs/rules.md -->

Every rule has a stable code (never renumbered or reused) and a kebab-case slug; both work in `--select`,
`--ignore`, `severity` overrides and `launch-ready: ignore[...]` comments. A finding's severity is its
rule's severity. `launch-ready explain ID` prints one rule's section.
"""


def rule_markdown(rule: Rule, level: int = 3) -> str:
    """One rule's documentation: a heading, a facts line and its doc (headings shifted below ``level``)."""
    cwe = ", ".join(f"[CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html)" for n in rule.cwe) or "none"
    facts = (f"Family `{rule.family}` · severity **{rule.severity.value}** · precision {rule.precision} · "
             f"{cwe}")
    body = _shift_headings(rule.doc.strip(), level)
    return f"{'#' * level} {rule.id} `{rule.slug}`\n\n{rule.short}\n\n{facts}\n\n{body}\n"


def rules_markdown(rules: Iterable[Rule]) -> str:
    """The whole ``docs/rules.md``: a header, a summary table, then every rule grouped by family."""
    ordered = sorted(rules, key=lambda r: (FAMILIES.index(r.family), r.id))
    parts = [HEADER, _table(ordered)]
    for family in FAMILIES:
        members = [r for r in ordered if r.family == family]
        if members:
            parts.append(f"## Family `{family}`\n")
            parts += [rule_markdown(r) for r in members]
    return "\n".join(parts)


def _table(rules: list[Rule]) -> str:
    rows = ["| code | slug | family | severity | finds |", "|---|---|---|---|---|"]
    rows += [f"| [{r.id}](#{_anchor(r)}) | `{r.slug}` | {r.family} | {r.severity.value} | "
             f"{r.short.replace('|', '&#124;')} |" for r in rules]
    return "\n".join(rows) + "\n"


def _anchor(rule: Rule) -> str:
    """GitHub's anchor of the heading ``### SEC101 `slug```: lower case, spaces to dashes, no backticks."""
    return f"{rule.id}-{rule.slug}".lower()


def _shift_headings(doc: str, level: int) -> str:
    """Demote Markdown headings so that the doc's ``##`` becomes ``level + 1`` (outside code fences)."""
    out = []
    fenced = False
    for line in doc.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            hashes = len(line) - len(line.lstrip("#"))
            line = "#" * max(level + 1, hashes + level - 1) + line[hashes:]
        out.append(line)
    return "\n".join(out)
