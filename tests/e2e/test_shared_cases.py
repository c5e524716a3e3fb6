"""Every expectation of the shared cases (tests/cases/manifest.json) holds: each case folder is its own root."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES, scan_json

MANIFEST: list[dict[str, Any]] = json.loads((CASES / "manifest.json").read_text())
KIND_TO_FAMILY = {
    "secret": "secrets",
    "secret-in-history": "secrets",
    "client-exposed-secret": "client-exposure",
    "unauthenticated-route": "auth",
    "sensitive-logging": "logging",
    "wildcard-cors": "cors",
}
_CACHE: dict[str, dict[str, Any]] = {}


def _report(case: dict[str, Any], tmp_root: Path) -> dict[str, Any]:
    cid = case["id"]
    if cid not in _CACHE:
        folder = CASES / cid
        if (folder / "make.sh").exists():
            repo = tmp_root / cid
            subprocess.run(["bash", str(folder / "make.sh"), str(repo)], check=True, capture_output=True)
            _CACHE[cid] = scan_json(repo, "--history")
        else:
            # copy out of our own git repository, so the case is scanned as its own root
            dest = tmp_root / cid
            shutil.copytree(folder, dest)
            _CACHE[cid] = scan_json(dest)
    return _CACHE[cid]


def _matches(finding: dict[str, Any], exp: dict[str, Any]) -> bool:
    if finding["family"] != KIND_TO_FAMILY[exp["rule_kind"]] or finding["path"] != exp["path"]:
        return False
    if exp["rule_kind"] == "secret" and finding["commit"] is not None:
        return False
    if exp["rule_kind"] == "secret-in-history" and finding["commit"] is None:
        return False
    return finding["line"] in [exp["line"], *exp.get("also_accept_lines", [])]


EXPECTATIONS = [
    pytest.param(case, exp, id=f"{case['id']}-{exp['rule_kind']}-{exp['path']}:{exp['line']}-{exp['must']}")
    for case in MANIFEST
    for exp in case["expected"]
]


@pytest.mark.parametrize(("case", "exp"), EXPECTATIONS)
def test_expectation(case: dict[str, Any], exp: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    report = _report(case, tmp_path_factory.getbasetemp())
    hits = [f for f in report["findings"] if _matches(f, exp)]
    if exp["must"] == "find":
        assert hits, f"expected a {exp['rule_kind']} finding at {exp['path']}:{exp['line']}"
    else:
        assert not hits, f"unexpected {exp['rule_kind']} finding(s): {hits}"
