"""Reading one file safely: no symlink out of the root, no FIFO or device, size cap, binary and encoding checks."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from scanner.sources.compiled import compiled_text, is_compiled

#: Files larger than this are scanned up to this many bytes, with an error note (the scan is incomplete).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Lines longer than this (minified code) are scanned in overlapping windows by the secrets engine and
#: are not parsed by code engines.
MAX_LINE_CHARS = 20_000

BINARY_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .ico .bmp .tiff .pdf .zip .gz .tgz .bz2 .xz .7z .rar .jar .war .whl .egg "
    ".so .dylib .dll .exe .bin .o .a .class .woff .woff2 .ttf .otf .eot .mp3 .mp4 .wav .ogg "
    ".mov .avi .webm .sqlite .db .parquet .pt .onnx .safetensors .pkl .npy .npz .h5".split()
)


@dataclass(frozen=True)
class ReadResult:
    """The outcome of reading one file: ``text`` (None when skipped), ``note`` (why skipped, or what was
    odd about it: truncated, not UTF-8), ``truncated``, ``kind`` (the note's kind when the reader knows it:
    ``symlink``, ``special``) and ``size`` (the whole file's size in bytes, when known)."""

    text: str | None
    note: str | None = None
    truncated: bool = False
    kind: str | None = None
    size: int | None = None


#: Byte-order marks, longest first (UTF-32LE's BOM starts with UTF-16LE's).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32LE"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32BE"),
         (b"\xff\xfe", "utf-16-le", "UTF-16LE"), (b"\xfe\xff", "utf-16-be", "UTF-16BE"))
#: How much of a file's start is looked at to recognise UTF-16/32 without a BOM.
_SNIFF_BYTES = 1024
#: A file with NUL bytes is still text when they are at most this many per MiB (at least :data:`_FEW_NULS`)
#: and the rest decodes as UTF-8 with few other control bytes: one stray NUL must not hide a key.
_NULS_PER_MIB = 64
_FEW_NULS = 8
_CONTROL = bytes(c for c in range(32) if c not in b"\t\n\r\f\v\b\x1b")


def decode(data: bytes, truncated: bool = False) -> tuple[str, str | None]:
    """Decode file bytes: UTF-8 (BOM stripped), else Latin-1 with a note. Returns ``(text, note)``.

    With ``truncated`` (the bytes stop at the size limit) a multi-byte character cut at the end is dropped
    instead of turning the whole file into Latin-1."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        if truncated and exc.end == len(data) and len(data) - exc.start < 4:
            return decode(data[: exc.start])
        return data.decode("latin-1"), "not valid UTF-8; read as Latin-1"


def looks_binary(path: str, head: bytes) -> bool:
    """True for a known binary file type (by suffix) or content with a NUL byte in its first 8 KiB."""
    return Path(path).suffix.lower() in BINARY_SUFFIXES or b"\0" in head[:8192]


def wide_encoding(data: bytes) -> tuple[str, str, int] | None:
    """The UTF-16/UTF-32 encoding of ``data`` as ``(codec, label, BOM length)``: by its byte-order mark, else
    by the NUL pattern of its first KiB (ASCII in UTF-16LE puts a NUL in every odd byte, in UTF-32LE in three
    bytes of every four); None for anything else."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return codec, f"{label} text", len(bom)
    head = data[:_SNIFF_BYTES]
    if len(head) < 4 or b"\0" not in head:
        return None
    for width, codec, label in ((4, "utf-32-le", "UTF-32LE"), (4, "utf-32-be", "UTF-32BE"),
                                (2, "utf-16-le", "UTF-16LE"), (2, "utf-16-be", "UTF-16BE")):
        if _nul_pattern(head[: len(head) - len(head) % width], width, codec.endswith("le")):
            return codec, f"{label} text without a byte-order mark", 0
    return None


def _nul_pattern(head: bytes, width: int, little: bool) -> bool:
    """True when, in units of ``width`` bytes, the high bytes are (nearly) all NUL and the low byte mostly
    is not: ASCII-range text in that encoding."""
    units = [head[i:i + width] for i in range(0, len(head), width)]
    if not units:
        return False
    low = [u[0] if little else u[-1] for u in units]
    high = [b for u in units for b in (u[1:] if little else u[:-1])]
    return high.count(0) >= 0.95 * len(high) and sum(1 for b in low if b) >= 0.8 * len(low)


def _decode_wide(data: bytes, max_bytes: int) -> ReadResult | None:
    found = wide_encoding(data)
    if found is None:
        return None
    codec, label, bom = found
    width = 4 if "32" in codec else 2
    body = data[bom: max(bom, max_bytes - (max_bytes - bom) % width)]
    body = body[: len(body) - len(body) % width]
    try:
        text = body.decode(codec)
    except UnicodeDecodeError:
        return None
    return ReadResult(text, label, len(data) > max_bytes)


def _text_with_nuls(data: bytes) -> ReadResult | None:
    """Text that holds a few NUL bytes (a stray ``\\0`` typed into a ``.env``): decoded with each NUL shown as
    U+FFFD, so its keys are still found; None when the bytes look binary."""
    nuls = data.count(b"\0")
    if nuls > max(_FEW_NULS, len(data) * _NULS_PER_MIB // (1024 * 1024)):
        return None
    rest = data.replace(b"\0", b"")
    if sum(rest.count(bytes([c])) for c in _CONTROL) > max(_FEW_NULS, len(rest) // 1000):
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not (exc.end == len(data) and len(data) - exc.start < 4):
            return None
    text, _ = decode(data, truncated=True)
    plural = "s" if nuls != 1 else ""
    return ReadResult(text.replace("\0", "\ufffd"),
                      f"text with {nuls} NUL byte{plural} (shown as U+FFFD); scanned as text")


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
        return ReadResult(None, symlink_note(root, full), kind="symlink")
    if stat.S_ISDIR(st.st_mode):
        return ReadResult(None, "a folder git lists as a file (a submodule); not scanned")
    if not stat.S_ISREG(st.st_mode):
        return ReadResult(None, SPECIAL_NOTE, kind="special")
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return ReadResult(None, f"cannot read: {exc.strerror}")
    result = text_of(rel, data, max_bytes)
    return dataclasses.replace(result, size=st.st_size) if result.truncated else result


#: The one message for a named pipe, socket or device (never opened: reading a FIFO would block).
SPECIAL_NOTE = "special file (named pipe, socket or device); never opened"


def text_of(rel: str, data: bytes, max_bytes: int = MAX_FILE_BYTES) -> ReadResult:
    """Turn raw bytes (a file or a git blob) into a :class:`ReadResult` with the binary and size checks.

    UTF-16 and UTF-32 (with a byte-order mark, or recognised by their NUL pattern) are decoded; text with a few
    stray NUL bytes is read as text; anything else with a NUL byte, or a binary suffix, is binary. Compiled
    Python (``.pyc``) becomes the lines of its string constants (:mod:`scanner.sources.compiled`), with a note
    of kind ``parse-error`` when it is damaged."""
    if is_compiled(rel):
        return _compiled(data, max_bytes)
    wide = _decode_wide(data, max_bytes)
    if wide is not None:
        return wide
    truncated = len(data) > max_bytes
    if looks_binary(rel, data):
        if Path(rel).suffix.lower() in BINARY_SUFFIXES:
            return ReadResult(None, "binary file; skipped")
        mixed = _text_with_nuls(data[:max_bytes])
        if mixed is None:
            return ReadResult(None, "binary file; skipped")
        return dataclasses.replace(mixed, truncated=truncated)
    text, note = decode(data[:max_bytes], truncated)
    return ReadResult(text, truncated_note(None, max_bytes) if truncated else note, truncated)


def _compiled(data: bytes, max_bytes: int) -> ReadResult:
    truncated = len(data) > max_bytes
    text, note = compiled_text(data, max_bytes)
    if truncated:
        return ReadResult(text, truncated_note(None, max_bytes), True)
    return ReadResult(text, note, kind="parse-error" if note else None)


def truncated_note(size: int | None, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The message for a file cut at the size limit: its size, how much was scanned, what to do."""
    mib = max_bytes // (1024 * 1024)
    whole = f"{size / (1024 * 1024):,.1f} MiB" if size is not None else f"more than {mib} MiB"
    return (f"file of {whole} is over the {mib} MiB size limit: only its first {mib} MiB were scanned, "
            "the rest was not (scan incomplete; `exclude` it in the config to skip it on purpose)")


def symlink_note(root: Path, full: Path) -> str:
    """Why a symlink was not followed, in one of three words: a loop, a missing target, or a target outside the
    scanned root; a target inside the root is scanned where it lives."""
    try:
        target = full.resolve(strict=True)
    except FileNotFoundError:
        return "dangling symlink (its target does not exist); not followed"
    except (OSError, RuntimeError):
        return "symlink loop; not followed"
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return "symlink pointing outside the scanned root; not followed"
    return "symlink to a path inside the scanned root; not followed (the target is scanned where it lives)"


#: A detect-secrets baseline entry's hash: ``"hashed_secret": "<SHA-1 hex>"`` (detect-secrets
#: ``core/potential_secret.py``). The value is a hash by construction, never a key.
_HASHED_SECRET = re.compile(r'("hashed_secret"\s*:\s*")([0-9a-fA-F]{40})(")')


def mask_baseline_hashes(text: str) -> str:
    """``text`` with the SHA-1 values of detect-secrets' ``"hashed_secret"`` fields blanked (same length, so
    lines and columns stay): a ``.secrets.baseline`` is scanned like any file, and its hashes would otherwise
    read as hard-coded secrets. Everything else in the file, a key included, is scanned as it is."""
    if '"hashed_secret"' not in text:
        return text
    return _HASHED_SECRET.sub(lambda m: m.group(1) + "0" * 40 + m.group(3), text)
