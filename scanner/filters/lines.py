"""Line lookup for filters: the text of a scanned line by (path, commit, line number)."""

from __future__ import annotations

from collections.abc import Iterable

from scanner.filters.comments import Span, Syntax, file_spans
from scanner.model import Fragment, ScanFile


class LineLookup:
    """The lines the engines saw: whole files (work tree or staged blobs) and fragments (added lines of
    commits or staged changes). ``line(path, commit, n)`` is line ``n`` (1-based) without its line ending, or
    None when that line was not scanned (e.g. an unchanged line around a history addition). Files are split
    into lines lazily, only for paths that a filter asks about."""

    def __init__(self, files: Iterable[ScanFile] = (), fragments: Iterable[Fragment] = ()) -> None:
        self._texts = {f.path: f.text for f in files}
        self._split: dict[str, list[str]] = {}
        self._spans: dict[str, list[list[Span]]] = {}
        self._fragments: dict[tuple[str, str | None], dict[int, str]] = {}
        for frag in fragments:
            table = self._fragments.setdefault((frag.path, frag.commit), {})
            table.update((n, t.rstrip("\r\n")) for n, t in frag.lines)

    def line(self, path: str, commit: str | None, number: int) -> str | None:
        """Line ``number`` of ``path`` (at ``commit``; None means the work tree or the index)."""
        if commit is None and path in self._texts:
            lines = self._lines(path)
            return lines[number - 1] if 0 < number <= len(lines) else None
        return self._fragments.get((path, commit), {}).get(number)

    def comment_spans(self, path: str, commit: str | None, number: int, syntax: Syntax) -> list[Span] | None:
        """The comment spans of line ``number`` of a whole file, lexed once per file from its start (so a line
        inside a docstring or a block comment is known as such); None for a line of a fragment (history, staged
        additions), which a caller lexes on its own."""
        if commit is not None or path not in self._texts:
            return None
        if path not in self._spans:
            self._spans[path] = file_spans(self._texts[path], syntax)
        table = self._spans[path]
        return table[number - 1] if 0 < number <= len(table) else None

    def texts(self) -> Iterable[tuple[str, str]]:
        """``(path, text)`` of every whole file, in path order."""
        return sorted(self._texts.items())

    def _lines(self, path: str) -> list[str]:
        if path not in self._split:
            self._split[path] = [line.rstrip("\r") for line in self._texts[path].split("\n")]
        return self._split[path]
