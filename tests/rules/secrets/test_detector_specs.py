"""Generated from each detector file: a true positive built from its format spec (``sample``) is found once under
its rule at its columns, and each of its look-alike negatives (``NEGATIVES``) is not reported."""

from __future__ import annotations

import random

import pytest

from scanner.config import Config
from scanner.engines.secrets import scan_fragments
from scanner.keys.detectors import ALL, Detector
from scanner.model import Finding, Fragment

SPECCED = [d for d in ALL if hasattr(d, "sample") and hasattr(d, "NEGATIVES")]


def _scan(line: str, path: str = "src/client.js") -> list[Finding]:
    findings, notes = scan_fragments([Fragment(path, ((1, line),))], Config())
    assert notes == []
    return findings


def test_the_new_detectors_carry_their_spec() -> None:
    assert {d.rule_id for d in SPECCED} >= {"SEC132", "SEC133"}


@pytest.mark.parametrize("detector", SPECCED, ids=lambda d: d.rule_id)
def test_sample_from_the_spec_is_found_once(detector: Detector) -> None:
    line, secret = detector.sample(random.Random(7))  # type: ignore[attr-defined]
    findings = _scan(line)
    assert [f.rule_id for f in findings] == [detector.rule_id]
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == secret
    assert secret not in findings[0].snippet


@pytest.mark.parametrize(("detector", "negative"),
                         [(d, n) for d in SPECCED for n in d.NEGATIVES],  # type: ignore[attr-defined]
                         ids=lambda v: v.rule_id if isinstance(v, Detector) else v[:40])
def test_look_alike_negative_is_not_reported(detector: Detector, negative: str) -> None:
    assert [f.rule_id for f in _scan(negative)] == []
