"""action.yml: the composite Action's inputs, its injection-safe scripts, and the scan script itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO


def _action() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    return doc


def _step(name: str) -> dict[str, Any]:
    return next(s for s in _action()["runs"]["steps"] if s["name"] == name)


def test_inputs_and_steps() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert {"path", "category", "fail-on", "history", "since"} <= set(action["inputs"])
    uses = [s.get("uses", "") for s in action["runs"]["steps"]]
    assert "actions/setup-python@v5" in uses and "github/codeql-action/upload-sarif@v3" in uses


def test_scripts_never_interpolate_inputs() -> None:
    """Inputs reach scripts through env only: ``${{ inputs.x }}`` inside ``run`` is a script injection."""
    for step in _action()["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def test_scan_script_writes_sarif_summary_annotations_and_exit_code(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".launch-ready.toml").write_text('[[patterns]]\nname = "acme"\nregex = "acme_tok_[a-z]{12}"\n')
    (root / "app.txt").write_text("k = acme_tok_abcdefghijkl\n")
    out, summary = tmp_path / "out", tmp_path / "summary"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GITHUB_OUTPUT": str(out), "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(tmp_path),
           "LR_PATH": "repo", "LR_CATEGORY": "lr-test", "LR_FAIL_ON": "high", "LR_HISTORY": "false",
           "LR_SINCE": "", "LR_BASELINE": "", "LR_CONFIG": ""}
    proc = subprocess.run(["bash", "-c", _step("Scan")["run"]], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text() == f"sarif-file={tmp_path / 'launch-ready.sarif'}\nexit-code=1\n"
    assert '"id": "lr-test/"' in (tmp_path / "launch-ready.sarif").read_text()
    assert summary.read_text().startswith("# ")
    assert "::error file=repo/app.txt,line=1" in proc.stdout
