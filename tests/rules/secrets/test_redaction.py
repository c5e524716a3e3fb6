"""No output format ever contains a whole detected secret: every file under fixtures/ and tests/cases/ is
scanned with --format text and --format json, and no secret the engine detects there (our detectors' and the
key catalogue's) appears in the output."""

from __future__ import annotations

import pytest

from scanner.engines.secrets.catalogue_hits import merged
from scanner.engines.secrets.matcher import scan_texts
from tests.conftest import CASES, REPO, run_cli

ROOTS = [REPO / "fixtures", CASES]


def detected_secrets() -> set[str]:
    """Every value the secrets engine detects in any file under ``ROOTS`` (at least 6 characters)."""
    values: set[str] = set()
    for root in ROOTS:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            try:
                text = path.read_text("utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            texts = text.splitlines()
            hits = merged(path.name, texts, scan_texts(path.name, texts, "\n".join(texts)))
            values.update(hit.value for _, hit in hits if len(hit.value) >= 6)
    return values


@pytest.fixture(scope="module")
def secrets_found() -> set[str]:
    values = detected_secrets()
    assert len(values) >= 10  # the fixtures do hold fake keys: the check below is not vacuous
    return values


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("root", ROOTS, ids=["fixtures", "cases"])
def test_no_whole_secret_in_output(fmt: str, root: object, secrets_found: set[str]) -> None:
    code, out = run_cli("scan", str(root), "--format", fmt, "--exit-zero", "--no-config")
    assert code in (0, 1), out
    assert "SEC1" in out
    leaked = sorted(s[:4] + "…" for s in secrets_found if s in out)
    assert leaked == []
