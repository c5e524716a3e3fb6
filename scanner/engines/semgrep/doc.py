"""A scanned JS/TS file's text with semgrep's byte offsets mapped back to text and code-point columns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Doc:
    """One file: ``path`` relative to the root and its ``text``; ``data`` is the UTF-8 bytes semgrep saw."""

    path: str
    text: str
    data: bytes = field(default=b"", repr=False)
    lines: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, path: str, text: str) -> Doc:
        """Build a Doc; ``data`` and ``lines`` are derived from ``text``."""
        return cls(path, text, text.encode("utf-8", "surrogateescape"), tuple(text.split("\n")))

    def slice(self, start: int, end: int) -> str:
        """The text between two byte offsets (semgrep ``offset``s)."""
        return self.data[start:end].decode("utf-8", "replace")

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) without its newline, or ``""`` when out of range."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def column(self, number: int, byte_col: int) -> int:
        """Semgrep's byte-based 1-based column on line ``number`` as a 1-based code-point column."""
        raw = self.line(number).encode("utf-8", "surrogateescape")[: max(0, byte_col - 1)]
        return len(raw.decode("utf-8", "ignore")) + 1

    def line_of(self, offset: int) -> int:
        """1-based line of a byte offset."""
        return self.data.count(b"\n", 0, offset) + 1
