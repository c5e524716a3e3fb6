"""Reading one file: UTF-16/32 with and without a byte-order mark, stray NUL bytes, real binaries, the size
limit, symlinks and special files (attack report D4, D7, D10, D16)."""

from __future__ import annotations

import os
import socket
import struct
import zlib
from pathlib import Path

import pytest

from scanner.sources.reading import SPECIAL_NOTE, mask_baseline_hashes, read_file, text_of, wide_encoding
from scanner.sources.worktree import read_note

LINE = "OPENAI_API_KEY=sk-proj-abc\nX=1\n"


@pytest.mark.parametrize(("codec", "note"), [
    ("utf-16", "UTF-16LE text"),
    ("utf-16-le", "UTF-16LE text without a byte-order mark"),
    ("utf-16-be", "UTF-16BE text without a byte-order mark"),
    ("utf-32", "UTF-32LE text"),
    ("utf-32-le", "UTF-32LE text without a byte-order mark"),
    ("utf-32-be", "UTF-32BE text without a byte-order mark"),
])
def test_wide_encodings_are_decoded(codec: str, note: str) -> None:
    result = text_of(".env", LINE.encode(codec))
    assert (result.text, result.note, result.truncated) == (LINE, note, False)


def test_utf32_be_with_a_bom_is_not_read_as_utf16() -> None:
    data = b"\x00\x00\xfe\xff" + LINE.encode("utf-32-be")
    assert (text_of("a.env", data).text, text_of("a.env", data).note) == (LINE, "UTF-32BE text")


def test_one_nul_byte_keeps_a_file_text() -> None:
    result = text_of("nul.env", b"X=1\x00\nOPENAI_API_KEY=sk-proj-abc\n")
    assert result.text == "X=1\ufffd\nOPENAI_API_KEY=sk-proj-abc\n"
    assert result.note == "text with 1 NUL byte (shown as U+FFFD); scanned as text"


@pytest.mark.parametrize("data", [
    os.urandom(5000),
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    bytes(4096),
    b"\x6f\x0d\x0d\x0a\x00\x00\x00\x00" + zlib.compress(b"hello world" * 100),
    b"header text\n" * 100 + struct.pack("<100I", *range(100)),
    b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x03\x00\x3e\x00" + bytes(200),
])
def test_real_binaries_stay_binary(data: bytes) -> None:
    result = text_of("blob", data)
    assert (result.text, result.note) == (None, "binary file; skipped")


def test_a_binary_suffix_wins_over_a_wide_text_check() -> None:
    assert text_of("x.png", b"ab\x00cd").note == "binary file; skipped"
    assert wide_encoding(b"plain ascii text") is None


def test_over_the_size_limit_is_an_error_note_with_the_size(tmp_path: Path) -> None:
    (tmp_path / "huge.log").write_bytes(b"x" * 3000 + b"\nKEY=1\n")
    result = read_file(tmp_path, "huge.log", max_bytes=1024)
    assert (result.truncated, result.size, len(result.text or "")) == (True, 3007, 1024)
    note = read_note("huge.log", result)
    assert (note.level, note.kind, note.path) == ("error", "read", "huge.log")
    assert note.message == ("file of 0.0 MiB is over the 64 MiB size limit: only its first 64 MiB were scanned, "
                            "the rest was not (scan incomplete; `exclude` it in the config to skip it on purpose)")


def test_a_multibyte_character_cut_at_the_limit_keeps_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("é".encode() * 600)
    result = read_file(tmp_path, "a.txt", max_bytes=1001)
    assert (result.text, result.truncated) == ("é" * 500, True)


def test_symlink_notes_say_what_the_link_is(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    (tmp_path / "outside.txt").write_text("x\n")
    (root / "in.py").symlink_to("a.py")
    (root / "out").symlink_to(tmp_path / "outside.txt")
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    (root / "dangling").symlink_to("missing")
    notes = {name: (read_file(root, name).note, read_file(root, name).kind)
             for name in ("in.py", "out", "loop1", "dangling")}
    assert notes == {
        "in.py": ("symlink to a path inside the scanned root; not followed (the target is scanned where it lives)",
                  "symlink"),
        "out": ("symlink pointing outside the scanned root; not followed", "symlink"),
        "loop1": ("symlink loop; not followed", "symlink"),
        "dangling": ("dangling symlink (its target does not exist); not followed", "symlink"),
    }


def test_fifo_and_socket_are_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.env")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.sock"))
    try:
        for name in ("pipe.env", "s.sock"):
            result = read_file(tmp_path, name)
            assert (result.text, result.note, result.kind) == (None, SPECIAL_NOTE, "special")
    finally:
        sock.close()


def test_detect_secrets_hashes_are_masked_and_nothing_else() -> None:
    sha1 = "11f6ad8ec52a2984abaafd7c3b516503785c2072"
    text = f'{{"hashed_secret": "{sha1}", "note": "sk-live-xyz"}}\n'
    assert mask_baseline_hashes(text) == f'{{"hashed_secret": "{"0" * 40}", "note": "sk-live-xyz"}}\n'
    assert mask_baseline_hashes('"secret": "' + sha1 + '"') == '"secret": "' + sha1 + '"'
