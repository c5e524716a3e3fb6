"""Jupyter notebooks: the text of each JSON string line (cell source or output), with its line in the file."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

#: One element of a JSON string array on its own line, as nbformat writes cell sources and outputs.
_STRING_LINE = re.compile(r'^\s*(?:"[A-Za-z_]+"\s*:\s*)?("(?:[^"\\]|\\.)*")\s*,?\s*$')


def is_notebook(path: str) -> bool:
    """True for a ``.ipynb`` file."""
    return path.lower().endswith(".ipynb")


def notebook_lines(lines: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """``lines`` of a notebook with every JSON string line replaced by its decoded text (so that
    ``"key = \\"sk-…\\"\\n",`` is scanned as ``key = "sk-…"``); the line numbers stay those of the file.
    Lines that are not a single JSON string are kept as they are."""
    out = []
    for number, raw in lines:
        match = _STRING_LINE.match(raw) if len(raw) < 100_000 else None
        if match is None:
            out.append((number, raw))
            continue
        try:
            decoded = json.loads(match.group(1))
        except ValueError:
            decoded = raw
        out.append((number, decoded.rstrip("\n") if isinstance(decoded, str) else raw))
    return out


def is_valid(text: str) -> bool:
    """True when ``text`` parses as JSON (a notebook that does not is scanned as plain text, with a note)."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True
