"""The secrets fixture (fixtures/secrets/README.md): exactly the documented findings at exact places."""

from __future__ import annotations

from scanner import api
from scanner.config import Config
from tests.conftest import REPO

EXPECTED = [
    (".env.production", 2, "SEC114"),
    (".env.production", 4, "SEC117"),
    (".github/workflows/deploy.yml", 7, "SEC107"),
    (".npmrc", 2, "SEC130"),
    ("Dockerfile", 5, "SEC102"),
    ("deploy/id_ed25519", 1, "SEC192"),
    ("docker-compose.yml", 5, "SEC191"),
    ("gcp-service-account.json", 5, "SEC126"),
    ("notebooks/eval.ipynb", 20, "SEC100"),
    ("notebooks/eval.ipynb", 34, "SEC106"),
    ("web/.next/static/chunks/app-page-3f2c1a.js", 1, "EXP204"),
]


def test_fixture_findings_are_exactly_the_documented_ones() -> None:
    result = api.scan(REPO / "fixtures" / "secrets", Config(), api.ScanOptions(engines=("secrets",)))
    assert [(f.location.path, f.location.line, f.rule_id) for f in result.findings] == EXPECTED
    assert result.notifications == ()


def test_fixture_columns_span_the_secret_and_snippets_hide_it() -> None:
    result = api.scan(REPO / "fixtures" / "secrets", Config(), api.ScanOptions(engines=("secrets",)))
    for finding in result.findings:
        loc = finding.location
        line = (REPO / "fixtures" / "secrets" / loc.path).read_text().split("\n")[loc.line - 1]
        value = line[loc.column - 1:loc.end_column - 1]
        assert len(value) >= 20, finding.rule_id
        if value.startswith("-----BEGIN"):  # a PEM file: the finding marks the header; the body is below
            assert finding.snippet == value
            continue
        assert value not in finding.snippet
        for piece in value.replace("\\n", "\n").split("\n"):  # no line of a PEM body either
            assert len(piece) < 16 or piece not in finding.snippet, finding.rule_id
