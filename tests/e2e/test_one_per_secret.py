"""One finding per secret value in the working tree (as GitHub secret scanning keeps one alert per secret): a key
committed in a module, an env file and two setup documents is one finding, at the module, naming the other places;
distinct keys stay distinct findings, history findings of the same key stay covered, and a baseline accepts every
copy. Every key is fake and built at test time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli, scan_json
from tests.e2e.gitrepo import commit_files, init_repo, use_secrets_engine
from tests.rules.secrets.keys import KEYS


@pytest.fixture(autouse=True)
def secrets_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    use_secrets_engine(monkeypatch)


def secrets(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted((f["rule_id"], f["path"], f["line"]) for f in report["findings"] if f["family"] == "secrets")


def copies(key: str, other: str) -> dict[str, str]:
    return {
        "src/llm.py": f'import openai\nclient = openai.OpenAI(api_key="{key}")\n',
        "backend/.env": f"OPENAI_API_KEY={key}\nOTHER_KEY={other}\n",
        "docs/SETUP.md": f"# Setup\n\nSet `OPENAI_API_KEY={key}` in your env.\n",
        "MESSAGE_FOR_TEAMMATES.md": f"Use this key: {key}\n",
        "backend/env-example": f"OPENAI_API_KEY={key}\n",  # sorts before src/llm.py: code still wins
    }


def test_one_finding_per_key_at_the_code_naming_the_other_places(tmp_path: Path) -> None:
    key, other = KEYS["openai-project"][0](), KEYS["openai-project"][0]()
    root = init_repo(tmp_path / "r")
    commit_files(root, copies(key, other))
    report = scan_json(root, "--secrets-only")
    assert secrets(report) == [("SEC100", "backend/.env", 2), ("SEC100", "src/llm.py", 2)]
    kept = next(f for f in report["findings"] if f["path"] == "src/llm.py")
    assert kept["message"].endswith("(the same secret is also in 4 other places: MESSAGE_FOR_TEAMMATES.md:1, "
                                    "backend/.env:1, backend/env-example:1 and 1 more)")
    assert key not in str(report)
    # the history holds the same key in the same commit: no second finding from it
    history = scan_json(root, "--secrets-only", "--history")
    assert secrets(history) == secrets(report)


def test_a_baseline_accepts_every_copy_and_a_new_copy_is_reported(tmp_path: Path) -> None:
    key, other = KEYS["openai-project"][0](), KEYS["openai-project"][0]()
    root = init_repo(tmp_path / "r")
    commit_files(root, copies(key, other))
    code, out = run_cli("baseline", "create", str(root), "--secrets-only", "--output", str(tmp_path / "baseline.json"))
    assert code == 0, out
    (root / "docs" / "NEW.md").write_text(f"key: {key}\n")
    report = scan_json(root, "--secrets-only", "--baseline", str(tmp_path / "baseline.json"))
    assert secrets(report) == [("SEC100", "docs/NEW.md", 1)]


def test_the_copies_are_in_the_json_and_in_sarif_related_locations(tmp_path: Path) -> None:
    key, other = KEYS["openai-project"][0](), KEYS["openai-project"][0]()
    root = init_repo(tmp_path / "r")
    commit_files(root, copies(key, other))
    report = scan_json(root, "--secrets-only")
    kept = next(f for f in report["findings"] if f["path"] == "src/llm.py")
    assert [(c["path"], c["line"]) for c in kept["copies"]] == [
        ("MESSAGE_FOR_TEAMMATES.md", 1), ("backend/.env", 1), ("backend/env-example", 1), ("docs/SETUP.md", 3)]
    assert all(f["copies"] == [] for f in report["findings"] if f is not kept)
    code, out = run_cli("scan", str(root), "--secrets-only", "--format", "sarif", "--exit-zero")
    assert code == 0
    result = next(r for r in json.loads(out)["runs"][0]["results"]
                  if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/llm.py")
    assert [(r["id"], r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"])
            for r in result["relatedLocations"]] == [
        (1, "MESSAGE_FOR_TEAMMATES.md", 1), (2, "backend/.env", 1), (3, "backend/env-example", 1),
        (4, "docs/SETUP.md", 3)]
    assert key not in out
