"""action.yml: the composite Action's inputs, its injection-safe scripts, and the scan script itself."""

from __future__ import annotations

import json
import os
import re
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
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert [u.split("@")[0] for u in uses] == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    # pinned by the full commit SHA of a release tag, the version in a comment
    assert all(re.fullmatch(r"[0-9a-f]{40}", u.split("@")[1]) for u in uses)
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    assert [u.split("@")[1] for u in uses] == re.findall(r"@([0-9a-f]{40}) # v\d+\.\d+\.\d+", text)


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


STUB = """#!/usr/bin/env bash
# A stand-in launch-ready: counts its calls, writes what the mode says, exits with the mode's code.
echo "$@" >> "$STUB_CALLS"
sarif="" markdown=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sarif-output) sarif=$2; shift ;;
    --markdown-output) markdown=$2; shift ;;
  esac
  shift
done
case "$STUB_MODE" in
  findings) echo '{"version": "2.1.0", "runs": [{"results": [{}]}]}' > "$sarif"; echo "# 1 finding" > "$markdown"
            echo "::error file=app.py,line=1::key"; exit 1 ;;
  clean) echo '{"version": "2.1.0", "runs": [{"results": []}]}' > "$sarif"; echo "# clean" > "$markdown"; exit 0 ;;
  config-error) echo "launch-ready: error: .launch-ready.toml: invalid TOML" >&2; exit 2 ;;
esac
"""


def _run_with_stub(tmp_path: Path, mode: str, path: str = "repo") -> tuple[dict[str, str], dict[str, Any], int]:
    """Run the Scan step with the stub; returns its outputs, the SARIF document and how often it was called."""
    (tmp_path / "repo").mkdir(exist_ok=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    stub = bin_dir / "launch-ready"
    stub.write_text(STUB)
    stub.chmod(0o755)
    calls, out, summary = tmp_path / "calls", tmp_path / "out", tmp_path / "summary"
    calls.write_text("")
    out.write_text("")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}",
           "STUB_CALLS": str(calls), "STUB_MODE": mode, "GITHUB_OUTPUT": str(out),
           "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(tmp_path), "LR_PATH": path,
           "LR_CATEGORY": "lr", "LR_FAIL_ON": "high", "LR_HISTORY": "true", "LR_SINCE": "",
           "LR_BASELINE": "", "LR_CONFIG": ""}
    proc = subprocess.run(["bash", "-c", _step("Scan")["run"]], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines())
    sarif = json.loads((tmp_path / "launch-ready.sarif").read_text())
    return outputs, sarif, len(calls.read_text().splitlines())


def test_one_scan_per_run_and_a_sarif_file_on_every_path(tmp_path: Path) -> None:
    for mode, code in (("findings", "1"), ("clean", "0"), ("config-error", "2")):
        outputs, sarif, calls = _run_with_stub(tmp_path, mode)
        assert (calls, outputs["exit-code"]) == (1, code), mode
        assert outputs["sarif-file"] == str(tmp_path / "launch-ready.sarif")
        (tmp_path / "calls").unlink()
    run = sarif["runs"][0]
    assert run["results"] == [] and run["automationDetails"] == {"id": "lr/"}
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "exited with code 2" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_a_bad_path_scans_nothing_and_still_leaves_a_sarif_file(tmp_path: Path) -> None:
    outputs, sarif, calls = _run_with_stub(tmp_path, "clean", path="no-such-folder")
    assert (calls, outputs["exit-code"]) == (0, "2")
    note = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert note["message"]["text"] == "path 'no-such-folder' is not a folder"


def test_the_scan_args_are_one_command(tmp_path: Path) -> None:
    _run_with_stub(tmp_path, "findings")
    args = (tmp_path / "calls").read_text().split()
    assert args[:3] == ["scan", str((tmp_path / "repo").resolve()), "--format"]
    assert {"--sarif-output", "--markdown-output", "--history", "--fail-on"} <= set(args)


def test_the_gate_step_fails_with_the_scan_exit_code() -> None:
    script = _step("Fail with the scan's exit code")["run"]
    for code, expected in (("0", 0), ("1", 1), ("2", 2)):
        proc = subprocess.run(["bash", "-c", script], env={**os.environ, "LR_CODE": code, "LR_FAIL_ON": "high"},
                              capture_output=True, text=True, timeout=30, check=False)
        assert proc.returncode == expected


def test_a_config_error_with_the_real_cli_leaves_a_sarif_file_saying_why(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".launch-ready.toml").write_text('select = ["SEC1OO"]\n')
    out, summary = tmp_path / "out", tmp_path / "summary"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GITHUB_OUTPUT": str(out), "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(tmp_path),
           "LR_PATH": "repo", "LR_CATEGORY": "lr", "LR_FAIL_ON": "high", "LR_HISTORY": "false",
           "LR_SINCE": "", "LR_BASELINE": "", "LR_CONFIG": ""}
    proc = subprocess.run(["bash", "-c", _step("Scan")["run"]], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0 and "did you mean SEC100?" in proc.stderr
    assert out.read_text().endswith("exit-code=2\n")
    run = json.loads((tmp_path / "launch-ready.sarif").read_text())["runs"][0]
    text = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert text == "select in .launch-ready.toml: unknown rule, family or prefix 'SEC1OO' (did you mean SEC100?)"


def test_the_docs_show_the_checked_workflow_files_verbatim() -> None:
    """docs/workflows/*.yml are what .ci/run validates (check-jsonschema, zizmor); the page embeds each whole."""
    page = (REPO / "docs" / "github-code-scanning.md").read_text(encoding="utf-8")
    files = sorted((REPO / "docs" / "workflows").glob("*.yml"))
    assert [f.name for f in files] == ["launch-ready.yml", "private-repository.yml", "without-the-action.yml"]
    for path in files:
        assert f"```yaml\n{path.read_text(encoding='utf-8')}```" in page, path.name
