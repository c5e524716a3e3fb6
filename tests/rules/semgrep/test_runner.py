"""The semgrep runner: the native (OCaml) command line gives the classic one's matches, and falls back to it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from scanner.engines.semgrep import runner
from scanner.engines.semgrep.prefilter import select
from scanner.engines.semgrep.runner import Match, command, find_semgrep, is_js
from scanner.model import Notification, ScanFile

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "fixtures" / "js"
#: Every JS fixture app, the demo app, and the rules' own test files (every rule has matches there).
FOLDERS = [*sorted(p for p in FIXTURES.iterdir() if p.is_dir()), REPO / "fixtures" / "demo-app",
           REPO / "rules" / "semgrep"]
needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")


def _files(root: Path) -> list[ScanFile]:
    paths = sorted(p for p in root.rglob("*") if p.is_file() and is_js(p.as_posix()))
    return [ScanFile(p.relative_to(root).as_posix(), p.read_text(encoding="utf-8")) for p in paths]


def _run(root: Path, native: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Match], list[Notification]]:
    real = runner.command
    monkeypatch.setattr(runner, "command", lambda *a, **k: real(*a, **{**k, "native": native}))
    files = _files(root)
    matches, notes = runner.run(root, files, True, 1, select({f.path: f.text for f in files}))
    monkeypatch.setattr(runner, "command", real)
    return sorted(matches, key=repr), sorted(notes, key=repr)


def test_native_command_line_is_offline_and_anchored() -> None:
    cmd = command("semgrep", Path("/r"), ["a.ts"], 2)
    assert cmd[:5] == ["semgrep", "scan", "--experimental", "--project-root", "."]
    assert {"--metrics=off", "--disable-version-check", "--no-git-ignore"} <= set(cmd)
    assert cmd[-2:] == ["--", "a.ts"]
    assert "--experimental" not in command("semgrep", Path("/r"), ["a.ts"], 2, native=False)


@needs_semgrep
@pytest.mark.parametrize("root", FOLDERS, ids=lambda p: p.name)
def test_native_and_classic_semgrep_agree_on_every_fixture(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The fixtures sit inside this repository's git tree: without --project-root the native command line
    # anchors paths.include at the git root and matches nothing.
    native = _run(root, True, monkeypatch)
    assert native[0] and native == _run(root, False, monkeypatch)
    if root.name == "express-app":
        assert {m.path for m in native[0]} >= {"server.js", "routes/admin.js", "lib/cors-helper.js"}


@needs_semgrep
def test_native_failure_without_json_falls_back_to_the_classic_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real_run = subprocess.run
    started: list[list[str]] = []

    def broken_native(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        started.append(list(cmd))
        if "--experimental" in cmd:
            return subprocess.CompletedProcess(cmd, 2, "", "unknown option --experimental")
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", broken_native)
    files = _files(FIXTURES / "express-app")
    matches, _ = runner.run(FIXTURES / "express-app", files, True, 1, select({f.path: f.text for f in files}))
    assert ["--experimental" in c for c in started] == [True, False]
    assert "lib/cors-helper.js" in {m.path for m in matches}


@pytest.mark.parametrize("rule_file", sorted(runner.rules_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_rule_files_use_no_yaml_aliases(rule_file: Path) -> None:
    """semgrep's native command line does not resolve YAML anchors and aliases (``pattern-either: *sinks`` is a
    rule parse error there, and the classic fallback is not taken when JSON comes back): write patterns out."""
    import re

    text = rule_file.read_text(encoding="utf-8")
    assert re.findall(r"^\s*(?:-\s+)?[\w-]+:\s*[&*]\w+", text, flags=re.M) == []
