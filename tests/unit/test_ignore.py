"""gitignore semantics in RE2 (issue 9 item 5, issue 10): same verdicts as git, bounded on hostile patterns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scanner.sources.ignore import IgnoreRules, glob_to_regex, parse_line
from scanner.sources.worktree import list_paths
from tests.e2e.gitrepo import git, init_repo

ROOT_IGNORE = """# comment
*.py
!keep.py
build/
/top.txt
docs/**/gen
a/**
**/logs
foo/*.md
[abc]x.txt
[!q]y.txt
\\#hash
trail\\ \x20
**/deep/*.js
x?z
"""
FILES = ["m.py", "keep.py", "sub/keep2.py", "sub/other.py", "build/x", "top.txt", "sub/top.txt", "docs/a/b/gen/f",
         "docs/gen", "a/b/c", "a/z", "logs/l", "q/logs/l", "foo/r.md", "foo/bar/r.md", "ax.txt", "dx.txt", "qy.txt",
         "ry.txt", "#hash", "trail ", "deep/deeper/deep/x.js", "deep/x.js", "xyz", "x/z", "sub/build"]


def make_tree(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text(ROOT_IGNORE)
    (root / "sub").mkdir()
    (root / "sub" / ".gitignore").write_text("!keep2.py\n")
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n")


def test_walk_outside_git_gives_git_s_verdicts(tmp_path: Path) -> None:
    make_tree(tmp_path / "plain")
    repo = init_repo(tmp_path / "repo")
    make_tree(repo / "t")
    expected = sorted(git(repo / "t", "ls-files", "--others", "--exclude-standard").split("\n")[:-1])
    assert sorted(p for p, _ in list_paths(tmp_path / "plain")[0]) == expected
    assert sorted(p for p, _ in list_paths(repo / "t")[0]) == expected
    assert "sub/keep2.py" in expected and "m.py" not in expected  # a nested !keep re-includes


def test_a_file_below_an_ignored_folder_is_not_re_included() -> None:
    rules = IgnoreRules()
    rules.add("", ["node_modules/", "!node_modules/keep.js"])
    assert rules.ignored("node_modules/keep.js")
    rules.add("", ["/out/*", "!/out/keep.js"])
    assert not rules.ignored("out/keep.js") and rules.ignored("out/other.js")


@pytest.mark.parametrize(("glob", "regex"), [
    ("*.py", "[^/]*\\.py"),
    ("**/x", "(?:.*/)?x"),
    ("a/**", "a/.*"),
    ("a/**/b", "a/(?:.*/)?b"),
    ("a**b", "a[^/]*b"),
    ("[!a-c]", "[^/a-c]"),
    ("[", "\\["),
])
def test_glob_translation(glob: str, regex: str) -> None:
    assert glob_to_regex(glob) == regex


def test_anchoring_and_folder_only() -> None:
    pattern = parse_line("docs/build/")
    assert pattern is not None and pattern.dir_only and pattern.regex == "^docs/build$"
    assert parse_line("name") == parse_line("name") and parse_line("# c") is None and parse_line("   ") is None
    rules = IgnoreRules()
    rules.add("", ["build/", "/root.txt"])
    assert rules.ignored("a/build/x") and not rules.ignored("a/build")
    assert rules.ignored("root.txt") and not rules.ignored("a/root.txt")


def test_hostile_gitignore_over_a_deep_tree_finishes(tmp_path: Path) -> None:
    """Nested ``**/`` and ``a*a*a*...b`` chains over a 30-deep tree (backtracking matchers take exponential
    time here); a 60 s guard, the timing itself is in docs/benchmarks.md."""
    script = Path(__file__).resolve().parents[2] / "bench" / "bench_gitignore.py"
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "t"), "--quick"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "files listed: 32" in proc.stdout  # 31 levels and the .gitignore


def test_overlong_patterns_are_dropped_and_a_set_over_budget_still_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.sources import ignore

    rules = ignore.RuleFile("", ["x" * 10_000_000, "*.log", "!keep.log"])
    assert [p.source for p in rules.patterns] == ["*.log", "!keep.log"]
    monkeypatch.setattr(ignore, "_MAX_MEM", 1)  # no set fits: each pattern runs on its own (still RE2)
    small = ignore.RuleFile("", ["*.log", "!keep.log", "a*" * 50 + "b"])
    assert isinstance(small._set, ignore._OneByOne)
    assert (small.verdict("x.log", False), small.verdict("keep.log", False), small.verdict("y", False)) == (
        True, False, None)
