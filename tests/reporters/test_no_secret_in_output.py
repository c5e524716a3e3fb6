"""No whole secret in any output format: real engine scans of the shared cases, the fixtures and a history
case, rendered as text, JSON, SARIF, Markdown and GitHub annotations, checked against every fake key found
in their files (or in the history case's commits) by vendor-format regexes."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from scanner import api
from scanner.config import Config
from scanner.engines import available_engines
from scanner.model import ScanResult
from scanner.reporters import REPORTERS, get_reporter

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases"
FIXTURES = REPO / "fixtures"

#: Vendor key formats (prefix + body) and passwords inside URLs; group 1 when present is the secret.
CANDIDATES = [re.compile(p) for p in (
    r"sk-(?:proj|svcacct|admin|ant-api03|ant-admin01|or-v1)-[A-Za-z0-9_\-]{20,}",
    r"\bsk-[A-Za-z0-9]{32,}",
    r"AIza[0-9A-Za-z_\-]{35}",
    r"\b(?:hf|api_org)_[A-Za-z0-9]{30,}",
    r"\b(?:gsk|r8|pcsk|whsec|sb_secret)_[A-Za-z0-9_\-]{20,}",
    r"\b(?:pplx|xai)-[A-Za-z0-9]{40,}",
    r"\blsv2_[a-z]{2}_[A-Za-z0-9_]{30,}",
    r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}",
    r"\bsbp_[a-f0-9]{40}",
    r"\bAKIA[0-9A-Z]{16}",
    r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})",
    r"\bxox[abprs]-[A-Za-z0-9\-]{10,}",
    r"\bnpm_[A-Za-z0-9]{36}",
    r"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}",
    r"\bre_[A-Za-z0-9_]{20,}",
    r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{20,}",
    r"\b(?:sk|pk)_live_[A-Za-z0-9]{20,}",
    r"^[A-Za-z0-9+/]{60,}={0,2}$",  # a private-key body line
    r"://[^:/@\s'\"]+:((?=[^@/\s]*\d)(?=[^@/\s]*[A-Za-z])[^@/\s'\"$]{8,})@",  # a URL password (not PASSWORD)
)]


def candidate_secrets(texts: Iterable[str]) -> set[str]:
    """Every string in ``texts`` that matches one of ``CANDIDATES`` (the group when the pattern has one)."""
    found: set[str] = set()
    for text in texts:
        for pattern in CANDIDATES:
            for m in pattern.finditer(text) if "^" not in pattern.pattern else re.finditer(
                    pattern.pattern, text, re.M):
                found.add(m.group(1) if m.groups() else m.group(0))
    return found


def _files(root: Path) -> Iterable[str]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.parts:
            yield path.read_text(encoding="utf-8", errors="replace")


def _require_secrets_engine() -> None:
    if "secrets" not in available_engines():
        pytest.skip("the secrets engine is not available yet")


def _outputs(result: ScanResult) -> dict[str, str]:
    return {fmt: get_reporter(fmt)(result, width=None) for fmt in sorted(REPORTERS)}


def _assert_no_secret(result: ScanResult, secrets: set[str]) -> None:
    assert result.findings, "the scan found nothing: the check would prove nothing"
    for fmt, out in _outputs(result).items():
        leaked = sorted(s for s in secrets if s in out)
        assert not leaked, f"{fmt} output contains whole secrets: {[s[:4] + '…' for s in leaked]}"


@pytest.mark.parametrize("root", [CASES, FIXTURES], ids=["cases", "fixtures"])
def test_working_tree_scan_prints_no_whole_secret(root: Path) -> None:
    _require_secrets_engine()
    secrets = candidate_secrets(_files(root))
    assert len(secrets) >= 4
    _assert_no_secret(api.scan(root, Config()), secrets)


def test_history_scan_prints_no_whole_secret(tmp_path: Path) -> None:
    _require_secrets_engine()
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("git and bash are needed to build the history case")
    repo = tmp_path / "repo"
    subprocess.run(["bash", str(CASES / "C014" / "make.sh"), str(repo)], check=True, capture_output=True)
    log = subprocess.run(["git", "-C", str(repo), "log", "-p", "--all"], check=True, capture_output=True,
                         text=True).stdout
    secrets = candidate_secrets([log])
    assert secrets
    result = api.scan(repo, Config(), api.ScanOptions(history=True, engines=("secrets",)))
    assert any(f.location.commit for f in result.findings)
    _assert_no_secret(result, secrets)


def test_candidate_regexes_find_the_demo_app_keys() -> None:
    secrets = candidate_secrets(_files(FIXTURES / "demo-app"))
    assert sum(s.startswith("sk-proj-") for s in secrets) == 2
    assert sum(s.startswith("eyJ") for s in secrets) == 1
    assert any(len(s) == 24 for s in secrets)  # the database password
