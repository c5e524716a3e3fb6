"""Bounded text helpers for JS/TS source: balanced brackets (skipping strings and comments) and definitions."""

from __future__ import annotations

import re

_CLOSE = {"(": ")", "[": "]", "{": "}"}
#: Longest span a balanced-bracket scan walks (characters): a guard against minified or broken files.
MAX_SPAN = 200_000


def balanced_end(text: str, start: int) -> int:
    """Index just past the bracket that closes the one at ``text[start]`` (``(``, ``[`` or ``{``), skipping
    string literals, template literals and comments; ``-1`` when it does not close within MAX_SPAN."""
    stack = [_CLOSE[text[start]]]
    i, end = start + 1, min(len(text), start + MAX_SPAN)
    while i < end:
        ch = text[i]
        if ch in "\"'`":
            i = _string_end(text, i, end)
        elif ch == "/" and text.startswith("//", i):
            newline = text.find("\n", i, end)
            i = newline if newline >= 0 else end
        elif ch == "/" and text.startswith("/*", i):
            found = text.find("*/", i + 2, end)
            i = found + 1 if found >= 0 else end
        elif ch in _CLOSE:
            stack.append(_CLOSE[ch])
        elif ch in ")]}":
            if ch != stack.pop():
                return -1
            if not stack:
                return i + 1
        i += 1
    return -1


def _string_end(text: str, i: int, end: int) -> int:
    quote = text[i]
    i += 1
    while i < end and text[i] != quote:
        if text[i] == "\\":
            i += 1
        elif quote != "`" and text[i] == "\n":
            return i
        i += 1
    return i


def split_args(args: str) -> list[str]:
    """Top-level comma-separated arguments of an argument list's inner text."""
    out, depth, current, i = [], 0, [], 0
    while i < len(args):
        ch = args[i]
        if ch in "\"'`":
            j = _string_end(args, i, len(args))
            current.append(args[i:j + 1])
            i = j + 1
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    if "".join(current).strip():
        out.append("".join(current).strip())
    return out


def definition_span(text: str, name: str) -> tuple[int, int] | None:
    """``(start, end)`` character span of the function ``name`` defined in ``text``: ``function name``,
    ``const name = (...) =>``, ``exports.name =``, an object or class member ``name(...) {`` / ``name: (...) =>``;
    None when not found."""
    n = re.escape(name)
    pattern = re.compile(
        rf"(?:function\s*\*?\s*{n}\s*\(|(?:const|let|var)\s+{n}\s*(?::[^=]{{0,120}})?=|"
        rf"(?:module\.)?exports\.{n}\s*=|(?:^|[\s,{{])(?:async\s+)?{n}\s*(?::|\([^)]*\)\s*(?::[^{{]{{0,120}})?\{{))",
        re.M,
    )
    found = pattern.search(text)
    if found is None:
        return None
    brace = text.find("{", found.end() - 1)
    if brace < 0:
        return found.start(), min(len(text), found.end() + 400)
    close = balanced_end(text, brace)
    return found.start(), close if close > 0 else min(len(text), brace + 2000)


def byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of character ``index`` (semgrep offsets are bytes)."""
    return len(text[:index].encode("utf-8", "surrogateescape"))


def line_of(text: str, index: int) -> int:
    """1-based line of character ``index``."""
    return text.count("\n", 0, index) + 1


def has_directive(text: str, directive: str) -> bool:
    """True when ``text`` opens (after comments and blank space) with the ``'use server'``-style directive."""
    i, end = 0, min(len(text), 20_000)
    while i < end:
        if text[i].isspace():
            i += 1
        elif text.startswith("//", i):
            newline = text.find("\n", i, end)
            i = newline if newline >= 0 else end
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2, end)
            i = close + 2 if close >= 0 else end
        else:
            return text.startswith((f'"{directive}"', f"'{directive}'"), i)
    return False


_DEFAULT_EXPORT = re.compile(
    r"(?:module\.exports|export\s+default)\s*=?\s*(?:(async\s+)?function\b|(async\s+)?(?:\([^)]*\)|\w+)\s*=>|"
    r"(\w+)\s*;?\s*$)",
    re.M,
)


def default_export_span(text: str) -> tuple[int, int] | None:
    """``(start, end)`` character span of the function a module exports as a whole: ``module.exports =
    function ...``, ``module.exports = async (req, res, next) => {...}``, ``export default function ...`` or
    ``export default name`` / ``module.exports = name`` (followed to ``name``'s definition); None otherwise."""
    found = _DEFAULT_EXPORT.search(text)
    if found is None:
        return None
    if found.group(3):
        return definition_span(text, found.group(3))
    brace = text.find("{", found.end() - 1)
    if brace < 0:
        return found.start(), min(len(text), found.end() + 400)
    close = balanced_end(text, brace)
    return found.start(), close if close > 0 else min(len(text), brace + 2000)
