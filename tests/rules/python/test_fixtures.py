"""Each rule's fixture file (``fixtures/python/<CODE>.py``) is checked line by line: a ``# ruleid: CODE``
comment means the next line has a finding of CODE, ``# ok: CODE`` that it has none, and every finding of
CODE in the file is on an annotated line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.engines.python.rules import REGISTRY
from tests.rules.python.helpers import lines_of, run

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "python"
_ANNOTATION = re.compile(r"#\s*(ruleid|ok):\s*([A-Z]+\d+)")


def _expectations(text: str, code: str) -> tuple[list[int], list[int]]:
    found: dict[str, list[int]] = {"ruleid": [], "ok": []}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ANNOTATION.search(line)
        if match and match.group(2) == code:
            found[match.group(1)].append(number + 1)
    return found["ruleid"], found["ok"]


@pytest.mark.parametrize("code", [r.CODE for r in REGISTRY])
def test_fixture(code: str) -> None:
    text = (FIXTURES / f"{code}.py").read_text()
    expected, ok = _expectations(text, code)
    assert expected and ok, "a fixture needs both ruleid and ok annotations"
    result = run(text, f"fixtures/{code}.py")
    assert not result.notes
    found = lines_of(result, code)
    assert found == expected
    assert not set(found) & set(ok)
