"""The GitHub workflow-command reporter: levels, locations, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.model import Finding, Location, Notification, ScanResult
from scanner.reporters import github
from tests.reporters.sample import CORS, OPENAI, PROMPT_LOG, TEST_KEY, sample_result


def _one(f: Finding, root: str = "/nowhere/root") -> list[str]:
    return github.render(ScanResult(root=root, findings=(f,)), width=None).splitlines()


def test_levels_follow_severity() -> None:
    lines = github.render(sample_result(), width=None).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:7]] == ["::error"] * 5 + ["::warning", "::notice"]
    assert lines[-1] == "launch-ready: 7 findings, 1 suppressed, 1 note"


def test_location_and_title() -> None:
    f = Finding(OPENAI, Location("app/settings.py", 4, 18, 4, 182), "OpenAI key", "K = \"sk-p…Qx\"")
    line = _one(f)[0]
    assert line.startswith("::error file=app/settings.py,line=4,col=18,endLine=4,endColumn=182,"
                           "title=SEC101 openai-api-key (critical)::OpenAI key%0AK = \"sk-p…Qx\"%0AFix: ")


def test_properties_and_data_are_escaped() -> None:
    f = Finding(TEST_KEY, Location("a,b:c%.py", 1), "line one\r\nline two % done\n::error::injected")
    line = _one(f)[0]
    assert "file=a%2Cb%3Ac%25.py," in line
    assert "::line one%0D%0Aline two %25 done%0A::error::injected" in line
    assert len(_one(f)) == 2  # the finding and the summary: no injected command line


def test_control_characters_are_escaped() -> None:
    line = _one(Finding(PROMPT_LOG, Location("a.py", 1), "x\x1b[31my"))[0]
    assert "\x1b" not in line and "x\\x1b[31my" in line


def test_escape_functions() -> None:
    assert github.escape_data("50%\r\n") == "50%25%0D%0A"
    assert github.escape_data("a\rb") == "a%0Db"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_notifications_become_annotations() -> None:
    result = ScanResult(root="/r", findings=(), notifications=(
        Notification("note", "binary file skipped", "logo.png", "binary"),
        Notification("warning", "could not parse", "a b.ts", "parse-error"),
        Notification("error", "git failed", None, "git-error")))
    lines = github.render(result, width=None).splitlines()
    assert lines[0] == "::error title=launch-ready git-error::git failed"
    assert lines[1] == "::warning file=a b.ts,title=launch-ready parse-error::could not parse"
    assert lines[2] == "launch-ready: 0 findings, 0 suppressed, 1 note - scan incomplete"
    assert len(lines) == 3  # notes (a skipped binary file) are counted, not annotated


def test_paths_are_relative_to_the_workspace_for_a_subfolder_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    f = Finding(CORS, Location("backend/main.py", 12), "cors")
    assert _one(f, root="fixtures/demo-app")[0].startswith("::error file=fixtures/demo-app/backend/main.py,")
    assert _one(f, root=".")[0].startswith("::error file=backend/main.py,")


def test_paths_are_relative_to_github_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In Actions the runner resolves ``file=`` against $GITHUB_WORKSPACE whatever the step's working-directory:
    a scan of ``.`` run from ``working-directory: web`` must still name ``web/app/route.ts``."""
    workspace = tmp_path / "checkout"
    (workspace / "web").mkdir(parents=True)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    monkeypatch.chdir(workspace / "web")
    f = Finding(CORS, Location("app/route.ts", 3), "cors")
    assert _one(f, root=".")[0].startswith("::error file=web/app/route.ts,line=3,")
    assert _one(f, root=str(workspace))[0].startswith("::error file=app/route.ts,line=3,")
    assert _one(f, root=str(workspace / "web"))[0].startswith("::error file=web/app/route.ts,line=3,")
    note = Notification("warning", "could not parse", "app/x.ts", "parse-error")
    lines = github.render(ScanResult(root=".", findings=(), notifications=(note,)), width=None).splitlines()
    assert lines[0] == "::warning file=web/app/x.ts,title=launch-ready parse-error::could not parse"
    # a root outside the workspace cannot be placed: the path is left relative to the root
    assert _one(f, root=str(tmp_path))[0].startswith("::error file=app/route.ts,line=3,")


def test_a_folder_named_dot_dot_something_is_inside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "..cache").mkdir()
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    f = Finding(CORS, Location("a.py", 1), "cors")
    assert _one(f, root=str(tmp_path / "..cache"))[0].startswith("::error file=..cache/a.py,")
