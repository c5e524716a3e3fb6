"""Reading one file safely: no symlink out of the root, no FIFO or device, size cap, binary and encoding checks."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: Files larger than this are scanned up to this many bytes, with a note.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Lines longer than this (minified code) are scanned in overlapping windows by the secrets engine and
#: are not parsed by code engines.
MAX_LINE_CHARS = 20_000

BINARY_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .ico .bmp .tiff .pdf .zip .gz .tgz .bz2 .xz .7z .rar .jar .war .whl .egg "
    ".so .dylib .dll .exe .bin .o .a .class .pyc .pyo .woff .woff2 .ttf .otf .eot .mp3 .mp4 .wav .ogg "
    ".mov .avi .webm .sqlite .db .parquet .pt .onnx .safetensors .pkl .npy .npz .h5".split()
)


@dataclass(frozen=True)
class ReadResult:
    """The outcome of reading one file: ``text`` (None when skipped), ``note`` (why skipped, or what was
    odd about it: truncated, not UTF-8), ``truncated``."""

    text: str | None
    note: str | None = None
    truncated: bool = False


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes: UTF-8 (BOM stripped), else Latin-1 with a note. Returns ``(text, note)``."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not valid UTF-8; read as Latin-1"


def looks_binary(path: str, head: bytes) -> bool:
    """True for a known binary file type (by suffix) or content with a NUL byte in its first 8 KiB."""
    return Path(path).suffix.lower() in BINARY_SUFFIXES or b"\0" in head[:8192]


def read_file(root: Path, rel: str, max_bytes: int = MAX_FILE_BYTES) -> ReadResult:
    """Read ``root/rel`` without following a symlink and without opening anything but a regular file.

    Never raises for a bad file: an unreadable, binary, special or symlinked file comes back with
    ``text=None`` and a ``note`` saying why.
    """
    full = root / rel
    try:
        st = os.lstat(full)
    except OSError as exc:
        return ReadResult(None, f"cannot read: {exc.strerror}")
    if stat.S_ISLNK(st.st_mode):
        return ReadResult(None, _symlink_note(root, full))
    if stat.S_ISDIR(st.st_mode):
        return ReadResult(None, "a folder git lists as a file (a submodule); not scanned")
    if not stat.S_ISREG(st.st_mode):
        return ReadResult(None, "not a regular file (FIFO, socket or device); skipped")
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return ReadResult(None, f"cannot read: {exc.strerror}")
    return text_of(rel, data, max_bytes)


def text_of(rel: str, data: bytes, max_bytes: int = MAX_FILE_BYTES) -> ReadResult:
    """Turn raw bytes (a file or a git blob) into a :class:`ReadResult` with the binary and size checks."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a BOM (PowerShell's `echo > .env`)
        try:
            return ReadResult(data[: max_bytes & ~1].decode("utf-16"), "UTF-16 text", len(data) > max_bytes)
        except UnicodeDecodeError:
            pass
    if looks_binary(rel, data):
        return ReadResult(None, "binary file; skipped")
    truncated = len(data) > max_bytes
    text, note = decode(data[:max_bytes])
    if truncated:
        note = f"larger than {max_bytes // (1024 * 1024)} MiB; only the first {max_bytes // (1024 * 1024)} MiB scanned"
    return ReadResult(text, note, truncated)


def _symlink_note(root: Path, full: Path) -> str:
    try:
        target = full.resolve()
        target.relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        return "symlink pointing outside the scanned root; not followed"
    return "symlink; not followed (its target is scanned where it lives)"
