"""Where the comments are: per-language comment spans of a file's lines, so that an inline suppression counts
only inside a real comment and never inside a string literal or docstring.

A small lexer per comment syntax (not a parser): it skips string literals (with backslash escapes; triple-quoted
and template strings may span lines, others end at the line's end) and records line comments and block comments.
Languages by file name: Python ``#``; JS/TS and other C-like languages ``//`` and ``/* */``; CSS ``/* */``;
shell, YAML, TOML, ``.env``, Dockerfiles and other config files ``#`` (in shell, YAML and ``.env`` only at the
start of a line or after a space); HTML, Markdown and XML ``<!-- -->``; SQL ``--`` and ``/* */``; Vue and
Svelte files both HTML and JS comments. A notebook line is a JSON string: its decoded text is read as Python.
A file of another kind gets a generic syntax (``#``, ``//``, ``/* */``, ``<!-- -->``; double-quoted strings).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

#: A column span ``[start, end)`` of a comment on one line (0-based code-point offsets).
Span = tuple[int, int]


@dataclass(frozen=True)
class Syntax:
    """One language's comments and strings. ``quotes`` are string delimiters (longest first); those in
    ``multiline`` may span lines. ``hash_after_space``: ``#`` opens a comment only at a line's start or after
    whitespace (shell, YAML, ``.env``). ``quote_at_value``: a quote opens a string only at a line's start or
    after whitespace or one of ``:=,[{(`` (YAML and ``.env`` plain values may hold apostrophes)."""

    line: tuple[str, ...] = ()
    block: tuple[tuple[str, str], ...] = ()
    quotes: tuple[str, ...] = ()
    multiline: frozenset[str] = field(default_factory=frozenset)
    hash_after_space: bool = False
    quote_at_value: bool = False


PYTHON = Syntax(("#",), (), ('"""', "'''", '"', "'"), frozenset({'"""', "'''"}))
C_LIKE = Syntax(("//",), (("/*", "*/"),), ('"', "'", "`"), frozenset({"`"}))
CSS = Syntax((), (("/*", "*/"),), ('"', "'"))
SHELL = Syntax(("#",), (), ('"', "'"), hash_after_space=True)
YAML = Syntax(("#",), (), ('"', "'"), hash_after_space=True, quote_at_value=True)
TOML = Syntax(("#",), (), ('"""', "'''", '"', "'"), frozenset({'"""', "'''"}))
HTML = Syntax((), (("<!--", "-->"),))
SQL = Syntax(("--",), (("/*", "*/"),), ("'", '"'))
COMPONENT = Syntax(("//",), (("/*", "*/"), ("<!--", "-->")), ('"', "'", "`"), frozenset({"`"}))
GENERIC = Syntax(("#", "//"), (("/*", "*/"), ("<!--", "-->")), ('"',))

_BY_SUFFIX: dict[str, Syntax] = {
    **dict.fromkeys(("py", "pyi", "pyw", "pyx"), PYTHON),
    **dict.fromkeys(("js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "java", "kt", "kts", "scala", "go",
                     "c", "h", "cc", "cpp", "hpp", "cs", "rs", "swift", "dart", "php", "json", "jsonc", "json5",
                     "scss", "less", "gradle", "groovy", "proto", "prisma"), C_LIKE),
    "css": CSS,
    **dict.fromkeys(("sh", "bash", "zsh", "fish", "ps1", "rb", "pl", "r", "mk", "cfg", "ini", "conf",
                     "properties", "tf", "hcl", "nix", "dockerfile", "gitignore", "npmrc"), SHELL),
    **dict.fromkeys(("yml", "yaml", "env"), YAML),
    "toml": TOML,
    **dict.fromkeys(("html", "htm", "xml", "svg", "md", "markdown", "mdx"), HTML),
    "sql": SQL,
    **dict.fromkeys(("vue", "svelte", "astro"), COMPONENT),
}
_BY_NAME = {"dockerfile": SHELL, "makefile": SHELL, "gemfile": SHELL, "procfile": SHELL, "containerfile": SHELL}
#: One element of a JSON string array on its own line, as nbformat writes cell sources.
_NOTEBOOK_LINE = re.compile(r'^(\s*(?:"[A-Za-z_]+"\s*:\s*)?)("(?:[^"\\]|\\.)*")\s*,?\s*$')


def syntax_for(path: str) -> Syntax:
    """The comment syntax of a file, from its name (``.env.local`` and ``Dockerfile.prod`` included)."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.startswith(".env"):
        return YAML
    if name.split(".", 1)[0] in _BY_NAME:
        return _BY_NAME[name.split(".", 1)[0]]
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    return _BY_SUFFIX.get(suffix, GENERIC)


def is_notebook(path: str) -> bool:
    """True for a Jupyter notebook (its lines are JSON strings holding the code)."""
    return path.lower().endswith(".ipynb")


def file_spans(text: str, syntax: Syntax) -> list[list[Span]]:
    """The comment spans of every line of ``text`` (lines split on ``\\n``), lexed from the file's start, so a
    line inside a docstring or a block comment is known as such."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    spans: list[list[Span]] = [[] for _ in starts]
    for begin, end in _comments(text, syntax):
        row = bisect.bisect_right(starts, begin) - 1
        while begin < end:
            stop = min(end, starts[row + 1] - 1) if row + 1 < len(starts) else end
            if stop > begin:
                spans[row].append((begin - starts[row], stop - starts[row]))
            row += 1
            if row >= len(starts):
                break
            begin = max(begin, starts[row])
    return spans


def line_spans(line: str, syntax: Syntax) -> list[Span]:
    """The comment spans of one line lexed on its own (a history line without its file): it starts outside any
    string; a line that starts with ``*`` is taken as the inside of a block comment when the syntax has one."""
    if syntax.block and line.lstrip().startswith("*"):
        return [(len(line) - len(line.lstrip()), len(line))]
    return [(b, e) for b, e in _comments(line, syntax)]


def notebook_line(line: str) -> str | None:
    """The code of a notebook line (the decoded JSON string, without its final newline), or None when the line
    is not a single JSON string."""
    match = _NOTEBOOK_LINE.match(line) if len(line) < 100_000 else None
    if match is None:
        return None
    try:
        decoded = json.loads(match.group(2))
    except ValueError:
        return None
    return decoded.rstrip("\n") if isinstance(decoded, str) else None


@lru_cache(maxsize=32)
def _token_regex(syntax: Syntax) -> re.Pattern[str]:
    """The next thing the lexer must look at: a comment opener, a string delimiter or a newline."""
    parts = [re.escape(opener) for opener, _ in syntax.block]
    for opener in syntax.line:
        parts.append(r"(?<![^\s])#" if opener == "#" and syntax.hash_after_space else re.escape(opener))
    for quote in syntax.quotes:
        parts.append((r"(?:(?<=^)|(?<=[\s:=,\[{(]))" if syntax.quote_at_value else "") + re.escape(quote))
    return re.compile("|".join(parts) or r"(?!)", re.MULTILINE)


def _comments(text: str, syntax: Syntax) -> list[Span]:
    """``(start, end)`` offsets in ``text`` of every comment (a line comment ends at its newline)."""
    found: list[Span] = []
    token = _token_regex(syntax)
    blocks = dict(syntax.block)
    pos = 0
    while (match := token.search(text, pos)) is not None:
        tok = match.group()
        if tok in blocks:
            close = text.find(blocks[tok], match.end())
            end = len(text) if close < 0 else close + len(blocks[tok])
            found.append((match.start(), end))
        elif tok in syntax.line:
            newline = text.find("\n", match.end())
            end = len(text) if newline < 0 else newline
            found.append((match.start(), end))
        else:
            end = _string_end(text, match.end(), tok, tok in syntax.multiline)
        pos = max(end, match.end())
    return found


def _string_end(text: str, pos: int, quote: str, multiline: bool) -> int:
    """The offset just after the string that opened with ``quote`` before ``pos`` (a backslash escapes the next
    character); a single-line string that is not closed ends at its newline."""
    match = _string_regex(quote, multiline).match(text, pos)
    return match.end() if match is not None else len(text)


@lru_cache(maxsize=32)
def _string_regex(quote: str, multiline: bool) -> re.Pattern[str]:
    """The rest of a string literal: escapes and other characters (alternatives that never overlap, so the match
    is linear), then the closing quote, or the newline / end of text that ends an unclosed string."""
    q = re.escape(quote)
    if multiline:
        return re.compile(rf"(?:\\.|(?!{q})[^\\])*(?:{q}|\Z)", re.DOTALL)
    return re.compile(rf"(?:\\.|(?!{q})[^\\\n])*(?:{q}|(?=\n)|\Z)")
