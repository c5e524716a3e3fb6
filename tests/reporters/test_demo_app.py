"""The demo app through real engines: exactly the planted findings of EXPECTED.md (so every clean look-alike
stays silent), SARIF that validates and meets GitHub's rules, and a Markdown scorecard that matches its golden
file (regenerate it with ``UPDATE_GOLDEN=1`` and review the diff)."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from scanner import api
from scanner.config import Config
from scanner.model import ScanResult
from scanner.reporters import markdown, sarif
from tests.reporters.test_sarif import assert_github_constraints

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo-app"
GOLDEN = Path(__file__).parent / "golden" / "demo-app.scorecard.md"


@functools.lru_cache(maxsize=1)
def demo_scan() -> ScanResult:
    """One real scan of the demo app shared by the tests of this module (semgrep takes seconds)."""
    return api.scan(DEMO, Config())


#: fixtures/demo-app/EXPECTED.md, "Planted issues": (rule, path, line).
PLANTED = [
    ("AUTH306", "backend/auth.py", 30),
    ("SEC193", "backend/cache.py", 8),
    ("AUTH307", "backend/conversations.py", 36),
    ("LR605", "backend/main.py", 1),
    ("CORS503", "backend/main.py", 18),
    ("AUTH301", "backend/main.py", 38),
    ("LR601", "backend/main.py", 38),
    ("LOG401", "backend/main.py", 42),
    ("LR602", "backend/main.py", 43),
    ("SEC100", "backend/settings.py", 6),
    ("SEC191", "backend/settings.py", 7),
    ("LR603", "backend/tutor.py", 36),
    ("EXP201", "frontend/.env.local", 4),
    ("SEC100", "frontend/.env.local", 4),
    ("AUTH301", "frontend/app/api/chat/route.ts", 6),
    ("LR601", "frontend/app/api/chat/route.ts", 6),
    ("LOG401", "frontend/app/api/chat/route.ts", 8),
    ("LR602", "frontend/app/api/chat/route.ts", 11),
    ("LR604", "frontend/next.config.js", 7),
]


def test_demo_app_reports_exactly_the_planted_findings() -> None:
    found = [(f.rule_id, f.location.path, f.location.line) for f in demo_scan().findings]
    assert found == PLANTED
    assert not demo_scan().incomplete


def test_demo_app_sarif_validates_and_meets_github_constraints() -> None:
    doc = json.loads(sarif.render(demo_scan()))
    assert_github_constraints(doc)
    results = doc["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {"backend/settings.py", "frontend/.env.local"} <= uris


def test_demo_app_scorecard_golden() -> None:
    out = markdown.render(demo_scan(), width=None)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")
