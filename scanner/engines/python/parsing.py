"""The guarded libcst parse: a cheap depth check first, then ``parse_module``; failures become notes."""

from __future__ import annotations

import re

import libcst as cst

from scanner.model import Notification

#: Bracket nesting and indentation depth above which a file is not handed to the parser.
MAX_BRACKET_DEPTH = 100
MAX_INDENT_LEVELS = 60
_BRACKETS = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in "()[]{}"))
_INDENT = re.compile(r"^[ \t]{240,}\S", re.MULTILINE)
#: Long unary chains (``not not not ...``) overflow the native parser's stack: libcst segfaults at ~50,000.
_UNARY_CHAIN = re.compile(r"(?:\bnot\s+){200,}|(?:[-+~]\s*){1000,}")
#: Binary-operator chains on one line: parse time grows quadratically (2,000 terms take seconds).
MAX_OPERATORS_PER_LINE = 400
MIN_SUSPECT_LINE = 1000
_OPERATORS = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in "+-*/%&|^<>"))


def too_deep(text: str) -> bool:
    """True when brackets nest deeper than ``MAX_BRACKET_DEPTH``, lines indent past ~60 levels, a unary
    chain or a one-line operator chain is long enough to crash or stall the parser (cheap: only bracket
    characters are walked; brackets and operators inside strings count too, which errs on the safe side)."""
    depth = peak = 0
    for char in text.translate(_BRACKETS):
        if char in "([{":
            depth += 1
            peak = max(peak, depth)
        elif char in ")]}":
            depth = max(0, depth - 1)
    if peak > MAX_BRACKET_DEPTH or _INDENT.search(text) is not None or _UNARY_CHAIN.search(text):
        return True
    return any(len(line.translate(_OPERATORS)) > MAX_OPERATORS_PER_LINE
               for line in text.splitlines() if len(line) > MIN_SUSPECT_LINE)


def _error_line(text: str, fallback: int) -> int:
    """The line CPython's own parser names for the syntax error (libcst names the token where it gave up, often
    a line later), else ``fallback``. Only called for text libcst refused, after :func:`too_deep`."""
    import ast

    try:
        ast.parse(text)
    except SyntaxError as exc:
        return exc.lineno or fallback
    except (RecursionError, MemoryError, ValueError):
        return fallback
    return fallback


def parse(path: str, text: str) -> cst.Module | Notification:
    """Parse ``text`` or explain why not, as a ``parse-error`` note."""
    if too_deep(text):
        return Notification("note", "not parsed: nesting too deep for the Python parser", path, "parse-error")
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return Notification("note", f"not parsed: Python syntax error at line {_error_line(text, exc.raw_line)}",
                            path, "parse-error")
    except (RecursionError, MemoryError, ValueError) as exc:
        return Notification("note", f"not parsed: {type(exc).__name__}", path, "parse-error")
