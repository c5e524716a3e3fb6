"""Tests generated from every rule's VALID and INVALID examples (like Fixit's ``LintRule`` tests)."""

from __future__ import annotations

import pytest

from scanner.engines.python.base import Example, PythonRule
from scanner.engines.python.rules import REGISTRY
from tests.rules.python.helpers import lines_of, run

VALID = [pytest.param(r, e, id=f"{r.CODE}-valid-{i}") for r in REGISTRY for i, e in enumerate(r.VALID)]
INVALID = [pytest.param(r, e, id=f"{r.CODE}-invalid-{i}") for r in REGISTRY for i, e in enumerate(r.INVALID)]


@pytest.mark.parametrize(("rule", "example"), VALID)
def test_valid_example_has_no_finding(rule: type[PythonRule], example: Example) -> None:
    result = run(example.code, example.path, example.files)
    assert not result.notes
    assert lines_of(result, rule.CODE) == []


@pytest.mark.parametrize(("rule", "example"), INVALID)
def test_invalid_example_is_found(rule: type[PythonRule], example: Example) -> None:
    result = run(example.code, example.path, example.files)
    assert not result.notes
    found = lines_of(result, rule.CODE)
    assert found, f"{rule.CODE} not reported"
    if example.line is not None:
        assert found == [example.line]
