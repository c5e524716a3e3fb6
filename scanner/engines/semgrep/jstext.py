"""Bounded text helpers for JS/TS source: balanced brackets (skipping strings and comments) and definitions."""

from __future__ import annotations

import bisect
import functools
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


#: ``catch (err) {`` / ``catch {`` and ``.catch(``: where a handler deals with an error something else raised.
_CATCH = re.compile(r"\bcatch\s*(?:\([^(){}]*\)\s*)?(\{)|\.catch\s*(\()")


def without_catch(text: str) -> str:
    """``text`` with the contents of its ``catch`` blocks and ``.catch(...)`` callbacks blanked (newlines kept):
    what the code does on its own account, not when relaying an error a callee raised (a vendor's 429)."""
    out: list[str] = []
    start = 0
    for found in _CATCH.finditer(text):
        opening = found.start(1) if found.group(1) else found.start(2)
        if opening < start:
            continue
        close = balanced_end(text, opening)
        if close < 0:
            continue
        out += [text[start:opening + 1], "\n" * text.count("\n", opening + 1, close - 1)]
        start = close - 1
    return "".join(out) + text[start:]


def literal_end(text: str, i: int) -> int:
    """Index just past the string or template literal that opens at ``text[i]``."""
    return min(_string_end(text, i, len(text)) + 1, len(text))


def string_end(text: str, i: int, end: int) -> int:
    """Index of the quote that closes the string or template literal opening at ``text[i]`` (``end - 1`` when
    it does not close before ``end``)."""
    return _string_end(text, i, end)


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


def strip_js(text: str, strings: str | None = None) -> str:
    """``text`` without its comments (``//`` to the end of the line; ``/* */`` keeping its newlines, so line
    numbers hold) and, when ``strings`` is given, with each string or template literal replaced by it
    (``"''"``: a route path or message is no evidence). One linear pass that knows where literals end, so
    ``"http://x"`` is no comment and ``"/* */"`` is kept."""
    out: list[str] = []
    i, start, end = 0, 0, len(text)
    while i < end:
        ch = text[i]
        if ch in "\"'`":
            j = min(_string_end(text, i, end) + 1, end)
            if strings is not None:
                out += [text[start:i], strings]
                start = j
            i = j
        elif ch == "/" and text.startswith("//", i):
            newline = text.find("\n", i)
            out.append(text[start:i])
            i = start = newline if newline >= 0 else end
        elif ch == "/" and text.startswith("/*", i):
            close = text.find("*/", i + 2)
            stop = close + 2 if close >= 0 else end
            out += [text[start:i], " " + "\n" * text.count("\n", i, stop)]
            i = start = stop
        else:
            i += 1
    out.append(text[start:])
    return "".join(out)


def split_args(args: str) -> list[str]:
    """Top-level comma-separated arguments of an argument list's inner text; comments between arguments are
    dropped (``router.post("/x", auth, handler // why``)."""
    out, depth, current, i = [], 0, [], 0
    while i < len(args):
        ch = args[i]
        if ch in "\"'`":
            j = _string_end(args, i, len(args))
            current.append(args[i:j + 1])
            i = j + 1
            continue
        if ch == "/" and args.startswith(("//", "/*"), i):
            close = args.find("\n" if args.startswith("//", i) else "*/", i + 2)
            i = len(args) if close < 0 else close + (0 if args.startswith("//", i) else 2)
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


@functools.lru_cache(maxsize=4096)
def _definition_pattern(name: str) -> re.Pattern[str]:
    """The compiled definition pattern of ``name`` (cached: the cross-module join asks for the same names in
    every handler, more of them than ``re``'s own cache of 512 patterns holds)."""
    n = re.escape(name)
    return re.compile(
        rf"(?:function\s*\*?\s*{n}\s*\(|(?:const|let|var)\s+{n}\s*(?::[^=]{{0,120}})?=|"
        rf"(?:module\.)?exports\.{n}\s*=|(?:^|[\s,{{])(?:async\s+)?{n}\s*(?::|\([^)]*\)\s*(?::[^{{]{{0,120}})?\{{)|"
        # a class field holding a function: ``createChat = async (req, res) => {`` (``private ask = (q) =>``)
        rf"^[ \t]*(?:(?:private|public|protected|readonly|static)\s+)*{n}\s*(?::[^=\n]{{0,120}})?="
        rf"(?=\s*(?:async\s*)?(?:function\b|\([^()]*\)\s*(?::[^=\n]{{0,80}})?=>|[\w$]+\s*=>)))",
        re.M,
    )


def definition_span(text: str, name: str) -> tuple[int, int] | None:
    """``(start, end)`` character span of the function ``name`` defined in ``text``: ``function name``,
    ``const name = (...) =>``, ``exports.name =``, an object or class member ``name(...) {`` / ``name: (...) =>``,
    a class field ``name = async (...) =>``; None when not found."""
    found = next((m for m in _definition_pattern(name).finditer(text) if not _in_comment(text, m.start())), None)
    if found is None:
        return None
    matched = found.group(0)
    if matched.endswith("{") and "<" in matched[matched.find(name):]:
        # ``name(): Promise<{ a: string }> {``: the match stopped inside the return type; start at the parameters
        paren = text.find("(", found.start() + matched.find(name))
        return found.start(), body_end(text, paren)
    return found.start(), body_end(text, found.end() - 1 if text[found.end() - 1] in "(:{" else found.end())


def _in_comment(text: str, pos: int) -> bool:
    """True when ``pos`` is inside a ``//`` line comment or a ``/* */`` block (a commented-out old version of a
    method, set 16 lorebot: its body was taken for the live one's); ``"https://*.x"`` in a string is no comment."""
    spans = _comment_spans(text)
    index = bisect.bisect_right(spans, (pos, len(text) + 1)) - 1
    return index >= 0 and spans[index][0] <= pos < spans[index][1]


@functools.lru_cache(maxsize=64)
def _comment_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every comment of ``text``, in order (the same linear pass as :func:`strip_js`)."""
    spans: list[tuple[int, int]] = []
    i, end = 0, len(text)
    while i < end:
        ch = text[i]
        if ch in "\"'`":
            i = min(_string_end(text, i, end) + 1, end)
        elif text.startswith("//", i):
            newline = text.find("\n", i)
            stop = newline if newline >= 0 else end
            spans.append((i, stop))
            i = stop
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            stop = close + 2 if close >= 0 else end
            spans.append((i, stop))
            i = stop
        else:
            i += 1
    return spans


_PARAMS_START = re.compile(r"\s*(?:async\b\s*)?(?:function\b\s*\*?\s*[\w$]*\s*)?(?:<[^>()]*>\s*)?\(")


def body_end(text: str, pos: int) -> int:
    """End index of the function whose parameters (or body) start at or after ``pos``: the parameter list is
    skipped as a whole (``({ request, env }) => {...}`` destructures), then the ``{...}`` body or, for an arrow
    function with an expression body, the rest of that expression (bounded)."""
    params = _PARAMS_START.match(text, pos) if text[pos:pos + 1] != "(" else None
    open_paren = params.end() - 1 if params else (pos if text[pos:pos + 1] == "(" else -1)
    if open_paren >= 0:
        close = balanced_end(text, open_paren)
        if close > 0:
            pos = close
    i, limit, angle = pos, min(len(text), pos + 600), 0
    while i < limit:
        ch = text[i]
        if ch == "<":
            angle += 1
        elif ch == ">" and text[i - 1] != "=":
            angle -= 1
        elif ch == "{" and angle > 0:
            close = balanced_end(text, i)
            i = close - 1 if close > 0 else i
        elif ch == "{":
            close = balanced_end(text, i)
            return close if close > 0 else min(len(text), i + 2000)
        if text.startswith("=>", i):
            j = i + 2
            while j < len(text) and text[j].isspace():
                j += 1
            if text[j:j + 1] == "{":
                close = balanced_end(text, j)
                return close if close > 0 else min(len(text), j + 2000)
            return _expression_end(text, j)
        if ch in "\"'`":
            i = _string_end(text, i, limit)
        i += 1
    return min(len(text), pos + 400)


def _expression_end(text: str, start: int) -> int:
    """End of an arrow function's expression body: the first ``;``, ``,`` or ``)`` at depth 0, or a newline
    that does not continue the expression (bounded to 2000 characters)."""
    depth, i, end = 0, start, min(len(text), start + 2000)
    while i < end:
        ch = text[i]
        if ch in "\"'`":
            i = _string_end(text, i, end)
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (ch in ";," or (ch == "\n" and not re.match(r"\s*[.?:&|+\-*/]", text[i + 1:i + 40]))):
            return i
        i += 1
    return end


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
    head = re.match(r"(?:module\.exports|export\s+default)\s*=?\s*", text[found.start():])
    return found.start(), body_end(text, found.start() + (head.end() if head else 0))
