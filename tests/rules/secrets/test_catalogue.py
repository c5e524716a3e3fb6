"""The key catalogue under our rules: every catalogue id has a stable code, the catalogue's own suppressions are
off, it makes no network call, its findings are redacted, and our detectors win ties."""

from __future__ import annotations

import json
import random
import socket
import string
from pathlib import Path

import pytest

from scanner.config import Config
from scanner.engines.secrets import scan_fragments
from scanner.keys import catalogue, codes
from scanner.model import Finding, Fragment
from scanner.registry import all_rules
from tests.conftest import run_cli

_RNG = random.Random(20261202)
HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits


def _rand(alphabet: str, n: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def catalogue_keys() -> dict[str, str]:
    """Fake keys of vendors only the catalogue knows, built from their published formats at test time:
    DigitalOcean ``dop_v1_`` + 64 hex, Shopify ``shpat_`` + 32 hex, Linear ``lin_api_`` + 40, Postman
    ``PMAK-`` + 24 hex + ``-`` + 34 hex, Doppler ``dp.pt.`` + 43."""
    return {
        "DO_TOKEN": f"dop_v1_{_rand(HEX, 64)}",
        "SHOPIFY_TOKEN": f"shpat_{_rand(HEX, 32)}",
        "LINEAR_API_KEY": f"lin_api_{_rand(ALNUM, 40)}",
        "POSTMAN_KEY": f"PMAK-{_rand(HEX, 24)}-{_rand(HEX, 34)}",
        "DOPPLER_TOKEN": f"dp.pt.{_rand(ALNUM, 43)}",
    }


def scan(lines: list[str], path: str = "app/settings.py") -> list[Finding]:
    findings, notes = scan_fragments([Fragment(path, tuple(enumerate(lines, 1)))], Config())
    assert notes == []
    return findings


def test_every_catalogue_id_has_a_code() -> None:
    """Fails when the pinned catalogue gains a rule: run ``python -m scanner.keys.codes`` to append codes."""
    mapped = codes.entries()
    missing = sorted(rule_id for rule_id, _, _ in catalogue.catalogue_ids() if rule_id not in mapped)
    assert missing == [], "catalogue ids without a code; run: python -m scanner.keys.codes"


def test_the_mapping_is_a_stable_block_of_unique_codes() -> None:
    path = Path(codes.__file__).resolve().parent.parent / "data" / "catalogue_codes.json"
    data = json.loads(path.read_text(encoding="utf-8"))["codes"]
    numbers = [int(row["code"].removeprefix("SEC")) for row in data.values()]
    assert len(set(numbers)) == len(numbers)
    assert all(codes.FIRST <= n <= codes.LAST for n in numbers)
    assert all(key.startswith("kingfisher:") for key in data)
    first_fill = list(data)[:488]
    assert first_fill == sorted(first_fill)  # filled once in sorted-id order, appended after
    assert numbers[:488] == list(range(1000, 1488))


def test_catalogue_rules_are_registered_with_id_and_description() -> None:
    rules = {r.id: r for r in all_rules()}
    rule = rules[codes.entries()["betterleaks.github-pat"].code]
    assert rule.slug == "catalogue-github-pat" and rule.family == "secrets"
    assert "betterleaks.github-pat" in rule.short and "GitHub" in rule.short
    assert "betterleaks.github-pat" in rule.doc


@pytest.mark.parametrize("name", sorted(catalogue_keys()))
def test_catalogue_key_is_found_once_and_redacted(name: str) -> None:
    key = catalogue_keys()[name]
    line = f'{name} = "{key}"'
    findings = scan([line])
    assert len(findings) == 1 and findings[0].rule_id.startswith("SEC1") and len(findings[0].rule_id) == 7
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == key
    assert key not in findings[0].snippet and key not in findings[0].message


@pytest.mark.parametrize("comment", ["# kingfisher:ignore", "# gitleaks:allow", "# betterleaks:allow",
                                     "# noqa", "# nosec"])
def test_catalogue_ignore_comments_do_not_suppress(comment: str) -> None:
    """Only our suppressions suppress (and --no-config turns those off): the catalogue's syntax does nothing."""
    key = catalogue_keys()["DO_TOKEN"]
    findings = scan([comment, f'DO_TOKEN = "{key}"  {comment}'])
    assert [f.location.line for f in findings] == [2]


def test_every_occurrence_is_reported() -> None:
    """The catalogue's dedup is off: the same key on two lines gives two findings."""
    key = catalogue_keys()["SHOPIFY_TOKEN"]
    assert [f.location.line for f in scan([f'A = "{key}"', f'B = "{key}"'])] == [1, 2]


def test_our_detector_wins_a_tie() -> None:
    """A GitHub token is matched by our SEC127 and by catalogue rules: one finding, ours."""
    key = "ghp_" + _rand(ALNUM, 36)
    assert [f.rule_id for f in scan([f'GITHUB_TOKEN = "{key}"'])] == ["SEC127"]


def test_placeholder_and_lockfile_values_are_filtered() -> None:
    assert scan(['DO_TOKEN = "dop_v1_' + "x" * 64 + '"']) == []
    key = catalogue_keys()["DO_TOKEN"]
    assert scan([f'  "resolved": "{key}"'], "package-lock.json") == []


def test_scanning_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scan tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    key = catalogue_keys()["LINEAR_API_KEY"]
    assert len(scan([f'LINEAR_API_KEY = "{key}"'])) == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_no_whole_catalogue_secret_in_output(fmt: str, tmp_path: Path) -> None:
    keys = catalogue_keys()
    (tmp_path / "settings.py").write_text("".join(f'{k} = "{v}"\n' for k, v in keys.items()), encoding="utf-8")
    code, out = run_cli("scan", str(tmp_path), "--format", fmt, "--exit-zero", "--no-config", "--secrets-only")
    assert code == 0, out
    assert "SEC1" in out
    assert sorted(v[:6] for v in keys.values() if v in out) == []
