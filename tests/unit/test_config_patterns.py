"""The custom-pattern engine (config ``patterns``, SEC180-SEC184) and RE2 exclude globs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.config import Config, ConfigError, SecretPattern
from scanner.engines.base import ScanContext
from scanner.engines.patterns import MAX_MATCHES_PER_FILE, PatternsEngine, scan_fragments
from scanner.filters.paths import PathExcluder
from scanner.model import Fragment, ScanFile
from scanner.redact import secret_hash

TOKEN = "acme_" + "k3Y9" * 4


def _ctx(*files: ScanFile, patterns: tuple[SecretPattern, ...], mode: str = "tree",
         fragments: tuple[Fragment, ...] = (), families: tuple[str, ...] = ("secrets",)) -> ScanContext:
    return ScanContext(Path("/r"), files, Config(patterns=patterns), mode=mode, fragments=fragments,
                       families=families)


def test_rules_one_per_severity() -> None:
    rules = PatternsEngine().rules()
    assert [(r.id, r.slug, r.severity.value) for r in rules] == [
        ("SEC180", "custom-pattern-critical", "critical"), ("SEC181", "custom-pattern-high", "high"),
        ("SEC182", "custom-pattern-medium", "medium"), ("SEC183", "custom-pattern-low", "low"),
        ("SEC184", "custom-pattern-info", "info")]


def test_group_one_is_the_secret() -> None:
    text = f'x = 1\nkey = "{TOKEN}"  # é\n'
    out = PatternsEngine().scan(_ctx(ScanFile("a.py", text), patterns=(
        SecretPattern("acme", r"acme_([A-Za-z0-9]{16})", "medium"),)))
    (f,) = out.findings
    assert (f.rule_id, f.location.line, f.location.column, f.location.end_column) == ("SEC182", 2, 13, 29)
    assert TOKEN[5:] not in f.snippet and f.snippet == 'key = "acme_k3Y9…Y9"  # é'
    assert f.match_key == secret_hash("SEC182", TOKEN[5:])
    assert f.message == "Matches the repository's secret pattern 'acme'"


def test_whole_match_without_group_and_negative() -> None:
    pattern = (SecretPattern("acme", r"acme_[A-Za-z0-9]{16}", "critical"),)
    (f,) = PatternsEngine().scan(_ctx(ScanFile("a.py", f"{TOKEN}\n"), patterns=pattern)).findings
    assert (f.location.column, f.location.end_column, f.rule_id) == (1, 22, "SEC180")
    assert PatternsEngine().scan(_ctx(ScanFile("a.py", "acme_short\n"), patterns=pattern)).findings == ()


def test_ignored_env_files_and_other_families_are_skipped() -> None:
    pattern = (SecretPattern("acme", r"acme_\w{16}"),)
    engine = PatternsEngine()
    assert engine.scan(_ctx(ScanFile(".env", TOKEN, "ignored-env"), patterns=pattern)).findings == ()
    assert engine.scan(_ctx(ScanFile("a.py", TOKEN), patterns=pattern, families=("auth",))).findings == ()


def test_fragments_keep_their_line_numbers_and_commit() -> None:
    frag = Fragment("old.py", ((4, "a = 1\n"), (9, f"k = '{TOKEN}'\n")), commit="abc123")
    out = PatternsEngine().scan(_ctx(patterns=(SecretPattern("acme", r"acme_\w{16}"),), mode="history",
                                     fragments=(frag,)))
    (f,) = out.findings
    loc = f.location
    assert (loc.path, loc.line, loc.column, loc.commit) == ("old.py", 9, 6, "abc123")


def test_scan_fragments_for_the_history_source() -> None:
    frag = Fragment("old.py", ((2, f"k = '{TOKEN}'"),), commit="abc123", origin="history")
    config = Config(patterns=(SecretPattern("acme", r"acme_\w{16}", "low"),))
    findings, _ = scan_fragments([frag], config)
    assert [(f.rule_id, f.location.line, f.location.commit) for f in findings] == [("SEC183", 2, "abc123")]
    assert scan_fragments([frag], Config()) == ([], [])


def test_too_many_matches_become_a_note() -> None:
    text = "x\n" * (MAX_MATCHES_PER_FILE + 5)
    out = PatternsEngine().scan(_ctx(ScanFile("a.txt", text), patterns=(SecretPattern("x", "x", "info"),)))
    assert len(out.findings) == MAX_MATCHES_PER_FILE
    (note,) = out.notifications
    assert (note.level, note.path) == ("warning", "a.txt")
    assert note.message.startswith(f"custom pattern 'x' matched {MAX_MATCHES_PER_FILE + 5} times")


def test_pathological_regex_runs_in_linear_time() -> None:
    line = "a" * 1_000_000
    out = PatternsEngine().scan(_ctx(ScanFile("a.txt", line), patterns=(SecretPattern("evil", "(a+)+b"),)))
    assert out.findings == ()


@pytest.mark.parametrize("path, excluded", [
    ("vendor/lib.js", True), ("src/vendor/lib.js", True), ("app.min.js", True), ("keep.min.js", False),
    ("build/out.js", True), ("src/build/out.js", False), ("docs/a/b/x.py", True), ("src/app.py", False),
])
def test_exclude_globs(path: str, excluded: bool) -> None:
    globs = ["vendor/", "*.min.js", "!keep.min.js", "/build", "docs/**/x.py"]
    assert PathExcluder(globs).excluded(path) is excluded


def test_exclude_no_globs_is_falsy() -> None:
    assert not PathExcluder([])
    with pytest.raises(ConfigError):
        PathExcluder(["[z-a]"])
