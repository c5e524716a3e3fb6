"""`scan --since REF`: what the work tree adds since REF (secrets by line, code rules by fingerprint)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.e2e.gitrepo import commit_files, fake_openai_key, init_repo, use_standin_engines


@pytest.fixture(autouse=True)
def engines(monkeypatch: pytest.MonkeyPatch) -> None:
    use_standin_engines(monkeypatch)


def since(repo: Path, ref: str) -> dict[str, Any]:
    code, out = run_cli("scan", str(repo), "--since", ref, "--format", "json", "--exit-zero")
    assert code == 0, out
    doc: dict[str, Any] = json.loads(out)
    return doc


def test_since_reports_only_what_changed_after_ref(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    old_key = fake_openai_key(41)
    commit_files(
        repo,
        {
            "a.py": f"OLD = '{old_key}'\n",
            "views.py": "def health():\n    pass\n",
            "auth.py": "@login_required\ndef me():\n    pass\n",
        },
        "base",
    )
    commit_files(repo, {"b.py": f"NEW = '{fake_openai_key(42)}'\n"}, "pr commit")
    (repo / "auth.py").write_text("def me():\n    pass\n")
    (repo / "views.py").write_text("# touched\ndef health():\n    pass\n")
    (repo / "c.py").write_text(f"x = 1\nUNCOMMITTED = '{fake_openai_key(43)}'\n")
    report = since(repo, "HEAD~1")
    assert sorted((f["rule_id"], f["path"], f["line"]) for f in report["findings"]) == [
        ("AUTH303", "auth.py", 1),
        ("SEC100", "b.py", 1),
        ("SEC100", "c.py", 2),
    ]
    full = since(repo, "HEAD")
    assert ("SEC100", "b.py", 1) not in [(f["rule_id"], f["path"], f["line"]) for f in full["findings"]]


def test_since_an_unknown_ref_is_one_clear_line(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    commit_files(repo, {"a.py": "x = 1\n"}, "base")
    code, out = run_cli("scan", str(repo), "--since", "no-such-branch")
    assert code == 2
    assert "--since no-such-branch" in out
