"""The rule registry is complete and every rule documents itself (headings, examples, shared Rule)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import scanner.engines.python.rules as rules_pkg
from scanner import rulebook
from scanner.engines.python import PythonEngine
from scanner.engines.python.base import DOC_HEADINGS, PythonRule
from scanner.engines.python.rules import REGISTRY


def _rule_classes() -> set[type[PythonRule]]:
    found: set[type[PythonRule]] = set()
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f"{rules_pkg.__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, PythonRule) and obj.CODE and not obj.__name__.startswith("_"):
                found.add(obj)
    return found


def test_every_rule_class_is_registered() -> None:
    assert _rule_classes() == set(REGISTRY)


def test_codes_are_unique_and_in_the_rulebook() -> None:
    codes = [r.CODE for r in REGISTRY]
    assert len(codes) == len(set(codes)) == 21  # issue 13: AUTH307, LR601, LR602, LR603
    assert all(r.rule() is rulebook.rule(r.CODE) for r in REGISTRY)


def test_engine_lists_the_shared_rules() -> None:
    assert [r.id for r in PythonEngine().rules()] == [r.CODE for r in REGISTRY]


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda r: r.CODE)
def test_rule_documents_itself(rule: type[PythonRule]) -> None:
    doc = rule.doc()
    positions = [doc.find(f"## {h}") for h in DOC_HEADINGS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert len(rule.VALID) >= 3 and len(rule.INVALID) >= 3
    assert rule.rule().family in ("auth", "logging", "cors", "launch", "secrets")
