"""Every semgrep rule file: id = file stem, a rulebook code, a sibling test file with >= 3 ruleid and ok
lines; and `semgrep --test rules/semgrep` passes."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scanner.engines.semgrep.runner import find_semgrep
from scanner.rulebook import RULES

RULES_DIR = Path(__file__).resolve().parents[3] / "rules" / "semgrep"
YAMLS = sorted(RULES_DIR.glob("*.yaml"))


def _sibling(rule_file: Path) -> Path:
    tests = [p for p in RULES_DIR.glob(rule_file.stem + ".*") if p.suffix != ".yaml"]
    assert len(tests) == 1, f"{rule_file.name}: expected one sibling test file, found {tests}"
    return tests[0]


def test_there_are_rules() -> None:
    assert len(YAMLS) >= 20


@pytest.mark.parametrize("rule_file", YAMLS, ids=lambda p: p.stem)
def test_rule_shape(rule_file: Path) -> None:
    doc = yaml.safe_load(rule_file.read_text())
    (only,) = doc["rules"]
    assert only["id"] == rule_file.stem
    assert only["metadata"]["code"] in RULES
    assert set(only["languages"]) == {"javascript", "typescript"}


@pytest.mark.parametrize("rule_file", YAMLS, ids=lambda p: p.stem)
def test_rule_has_three_positive_and_three_negative_examples(rule_file: Path) -> None:
    text = _sibling(rule_file).read_text()
    assert len(re.findall(rf"//\s*ruleid:\s*{re.escape(rule_file.stem)}\b", text)) >= 3
    assert len(re.findall(rf"//\s*ok:\s*{re.escape(rule_file.stem)}\b", text)) >= 3


@pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")
def test_semgrep_test_passes() -> None:
    exe = find_semgrep()
    assert exe is not None
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    proc = subprocess.run(
        [exe, "--test", "--metrics=off", "--disable-version-check", str(RULES_DIR)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"{len(YAMLS)}/{len(YAMLS)}: ✓ All tests passed" in proc.stdout + proc.stderr
