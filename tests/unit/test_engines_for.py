"""``registry.engines_for``: the engines that must start for a selection of rules, no more (the secrets hook
with a ``select`` never imports the code engines) and no fewer (a secrets-family rule the Python rules report)."""

from __future__ import annotations

from unittest import mock

from scanner import registry


def _rules(*codes: str) -> list[registry.Rule]:
    found = {r.id: r for r in registry.all_rules()}
    return [found[c] for c in codes]


def test_a_secrets_rule_starts_only_the_secrets_engines() -> None:
    rules = _rules("SEC100", "SEC131")
    with mock.patch.object(registry, "load_engine", wraps=registry.load_engine) as load:
        assert registry.engines_for(rules) == (("secrets",), ("secrets",))
    assert sorted({c.args[0] for c in load.call_args_list}) == ["patterns", "secrets"]


def test_a_secrets_rule_of_the_python_rules_starts_them() -> None:
    assert registry.engines_for(_rules("SEC193")) == (("python",), ("secrets",))
    assert registry.engines_for(_rules("SEC193", "SEC100")) == (("secrets", "python"), ("secrets",))
