"""Generated from each detector file: a true positive built from its format spec (``sample``) is found once under
its rule at its columns, and each of its look-alike negatives (``NEGATIVES``) is not reported."""

from __future__ import annotations

import random

import pytest

from scanner.config import Config
from scanner.engines.secrets import scan_fragments
from scanner.engines.secrets.rules import PLUGIN_SPECS, RULES
from scanner.keys.detectors import ALL, PUBLIC, SPECS, Detector
from scanner.model import Finding, Fragment

SPECCED = list(ALL)


def _scan(line: str, path: str = "src/client.js") -> list[Finding]:
    findings, notes = scan_fragments([Fragment(path, ((1, line),))], Config())
    assert notes == []
    return findings


def test_every_detector_carries_its_format_and_look_alikes() -> None:
    missing = [type(d).__name__ for d in ALL if type(d).sample is Detector.sample or len(d.NEGATIVES) < 3]
    assert missing == []


def test_every_rule_a_detector_file_reports_has_one_spec_row() -> None:
    ids = [spec.id for spec in SPECS]
    assert len(ids) == len(set(ids))
    reported = {d.rule_id for d in ALL} - {PUBLIC}
    assert reported <= set(ids)
    assert {spec.id for spec in SPECS} | {spec.id for spec in PLUGIN_SPECS} == set(RULES)


@pytest.mark.parametrize("detector", SPECCED, ids=lambda d: d.rule_id)
def test_sample_from_the_spec_is_found_once(detector: Detector) -> None:
    line, secret = detector.sample(random.Random(7))
    findings = _scan(line, detector.SAMPLE_PATH)
    if detector.rule_id == PUBLIC:  # a public-by-design key: claimed, never reported
        assert findings == []
        return
    assert [f.rule_id for f in findings] == [detector.rule_id]
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == secret
    assert secret not in findings[0].snippet


@pytest.mark.parametrize(("detector", "negative"),
                         [(d, n) for d in SPECCED for n in d.NEGATIVES],
                         ids=lambda v: v.rule_id if isinstance(v, Detector) else v[:40])
def test_look_alike_negative_is_not_reported(detector: Detector, negative: str) -> None:
    assert [f.rule_id for f in _scan(negative, detector.SAMPLE_PATH)] == []
