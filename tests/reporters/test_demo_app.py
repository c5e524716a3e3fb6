"""The demo app through real engines: its SARIF validates and meets GitHub's rules; its Markdown scorecard
matches a golden file once every engine has landed (generate it with ``UPDATE_GOLDEN=1`` and review it)."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest

from scanner import api
from scanner.config import Config
from scanner.engines import ENGINES, available_engines
from scanner.model import ScanResult
from scanner.reporters import markdown, sarif
from tests.reporters.test_sarif import assert_github_constraints

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo-app"
GOLDEN = Path(__file__).parent / "golden" / "demo-app.scorecard.md"


@functools.lru_cache(maxsize=1)
def demo_scan() -> ScanResult:
    """One real scan of the demo app shared by the tests of this module (semgrep takes seconds)."""
    return api.scan(DEMO, Config())


def test_demo_app_sarif_validates_and_meets_github_constraints() -> None:
    if "secrets" not in available_engines():
        pytest.skip("the secrets engine is not available yet")
    doc = json.loads(sarif.render(demo_scan()))
    assert_github_constraints(doc)
    results = doc["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {"backend/settings.py", "frontend/.env.local"} <= uris


def test_demo_app_scorecard_golden() -> None:
    if set(available_engines()) < set(ENGINES):
        pytest.skip("not every engine has landed yet")
    out = markdown.render(demo_scan(), width=None)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    if not GOLDEN.exists():
        pytest.skip("no golden scorecard yet: run with UPDATE_GOLDEN=1 and review it")
    assert out == GOLDEN.read_text(encoding="utf-8")
