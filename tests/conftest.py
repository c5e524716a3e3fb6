"""Shared fixtures: paths of the bundled cases and a helper that runs a scan and returns its JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner.cli import main

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"


def run_cli(*args: str) -> tuple[int, str]:
    """Run ``launch-ready ARGS`` in-process; return (exit code, stdout), or stderr when stdout is empty (a
    refusal); an incomplete scan's one stderr line never mixes into a report on stdout."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout or result.stderr


def scan_json(path: Path | str, *extra: str) -> dict[str, Any]:
    """Scan ``path`` with ``--format json`` (plus ``extra`` flags) and return the parsed report."""
    code, out = run_cli("scan", str(path), "--format", "json", "--exit-zero", *extra)
    assert code in (0, 1), out
    doc: dict[str, Any] = json.loads(out)
    return doc


@pytest.fixture
def cases_dir() -> Path:
    return CASES
