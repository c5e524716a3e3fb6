"""docs/rules.md is generated from the rule registry and must not go stale; `explain` prints the same text."""

from __future__ import annotations

from scanner.docs import rule_markdown, rules_markdown
from scanner.registry import all_rules
from tests.conftest import REPO, run_cli

REGENERATE = "launch-ready rules --markdown > docs/rules.md"


def test_docs_rules_md_is_current() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(all_rules()), f"docs/rules.md is stale; regenerate: {REGENERATE}"


def test_every_rule_has_a_section_and_explain_prints_it() -> None:
    rules = all_rules()
    document = rules_markdown(rules)
    for rule in rules:
        assert rule_markdown(rule) in document
    code, out = run_cli("explain", rules[0].slug, "--markdown")
    assert code == 0 and out == rule_markdown(rules[0])


def test_explain_renders_the_markdown_without_cutting_words() -> None:
    rule = all_rules()[0]
    code, out = run_cli("explain", rule.id)
    assert code == 0 and "```" not in out and "## " not in out
    words = {w for w in rule.short.split()}
    assert words <= set(out.split())


def test_markdown_headings_are_shifted_below_the_rule() -> None:
    section = rule_markdown(all_rules()[0])
    assert section.startswith(f"### {all_rules()[0].id} `")
    assert "\n## " not in section and "\n# " not in section


def test_explain_unknown_rule_exits_2() -> None:
    code, _ = run_cli("explain", "NOPE999")
    assert code == 2
