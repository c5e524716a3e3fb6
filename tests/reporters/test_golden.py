"""Golden files: every format rendered from the synthetic ScanResult of ``sample.py``, byte for byte.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/reporters/test_golden.py`` and review
the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.reporters import get_reporter
from tests.reporters.sample import sample_result

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif.json", "markdown": "md", "github": "github.txt"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_matches_golden(fmt: str) -> None:
    out = get_reporter(fmt)(sample_result(), width=None)
    path = GOLDEN / f"sample.{FORMATS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_byte_identical_runs(fmt: str) -> None:
    reporter = get_reporter(fmt)
    assert reporter(sample_result(), width=None) == reporter(sample_result(), width=None)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_ends_with_one_newline(fmt: str) -> None:
    out = get_reporter(fmt)(sample_result(), width=None)
    assert out.endswith("\n") and not out.endswith("\n\n")
