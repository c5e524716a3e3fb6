"""Grouped notes (issue 9 item 2): one note per kind, message and folder, with count and examples."""

from __future__ import annotations

from pathlib import Path

from scanner import api
from scanner.config import Config
from scanner.model import Notification
from scanner.notes import MAX_EXAMPLES, MAX_NOTES, group_notes
from scanner.progress import NoProgress


def test_binary_files_become_one_note_by_type() -> None:
    notes = [Notification("note", "binary file; skipped", f"pkg/m{i}.pyc", "binary") for i in range(3301)]
    notes += [Notification("note", "binary file; skipped", f"pkg/img/{i}.png", "binary") for i in range(43)]
    [grouped] = group_notes(notes)
    assert (grouped.message, grouped.path, grouped.count, grouped.kind) == (
        "3,344 binary files skipped (3,301 .pyc, 43 .png)", "pkg/", 3344, "binary")
    assert len(grouped.examples) == MAX_EXAMPLES and grouped.expected


def test_one_note_stays_as_it_is_and_pathless_notes_are_kept() -> None:
    one = Notification("note", "not valid UTF-8; read as Latin-1", "a.txt", "read")
    error = Notification("error", "semgrep engine: crashed", None, "engine-error")
    assert group_notes([one, error, one]) == [error, one]
    assert not one.expected


def test_same_message_in_many_files_is_one_note() -> None:
    notes = [Notification("note", "cannot read: Permission denied", f"a/{i}.py", "skipped") for i in range(3)]
    assert [(n.message, n.path, n.count) for n in group_notes(notes)] == [
        ("3 files: cannot read: Permission denied", "a/", 3)]


def test_never_more_than_a_few_hundred_notes() -> None:
    notes = [Notification("note", f"parse error at line {i}", f"f{i}.py", "parse-error") for i in range(5000)]
    grouped = group_notes(notes)
    assert len(grouped) <= MAX_NOTES and sum(n.count for n in grouped) == 5000


def test_vendored_notes_of_one_folder_merge() -> None:
    tree = Notification("note", "1 file not scanned", "node_modules/", "vendored", 1, ("node_modules/a.js",))
    past = Notification("note", "2 paths in history", "node_modules/", "vendored", 2, ("node_modules/a.js", "b"))
    assert group_notes([tree, past]) == [past]


def test_vendored_notes_without_a_folder_are_told_apart_by_what_they_skip() -> None:
    copies = Notification("note", "2 editor local-history copies (.history/) scanned for keys only", None, "vendored",
                          2, (".history/a.py", ".history/b.py"))
    built = Notification("note", "1 compiled file (an output folder mirroring src/) scanned for keys only", None,
                         "vendored", 1, ("dist/a.js",))
    files = Notification("note", "3 files not scanned: compiled Python (.pyc) (third-party or generated)", None,
                         "vendored", 3, ("a.pyc", "b.pyc", "c.pyc"))
    past = Notification("note", "4 path(s) in history not scanned: compiled Python (.pyc) (third-party or generated)",
                        None, "vendored", 4, ("a.pyc", "b.pyc", "c.pyc", "d.pyc"))
    assert sorted(n.count for n in group_notes([copies, built, files, past])) == [1, 2, 4]


class Recorder(NoProgress):
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def start(self, phase: str, total: int | None = None) -> None:
        self.events.append(("start", phase))

    def finish(self, phase: str, count: int | None = None) -> None:
        self.events.append(("finish", phase))


def test_scan_reports_its_phases(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    recorder = Recorder()
    api.scan(tmp_path, Config(), api.ScanOptions(engines=("secrets", "config")), progress=recorder)
    assert recorder.events == [
        ("start", "listing"), ("finish", "listing"),
        ("start", "engine:secrets"), ("finish", "engine:secrets"),
        ("start", "engine:config"), ("finish", "engine:config"),
        ("start", "filters"), ("finish", "filters"),
    ]
