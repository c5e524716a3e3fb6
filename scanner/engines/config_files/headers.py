"""CORS headers in hosting config: `vercel.json` (json), `netlify.toml` (tomllib), `_headers` (lines)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
_MAX_DEPTH = 64


class ConfigParseError(ValueError):
    """The file is not valid JSON/TOML (or nests deeper than we parse); the message is one line."""


@dataclass(frozen=True)
class HeaderRule:
    """An any-origin CORS header in a config file: 1-based ``line`` of the origin header and whether the
    same header block also allows credentials."""

    line: int
    credentials: bool


def _check_depth(text: str) -> None:
    """Refuse pathological nesting before handing text to a recursive parser (DESIGN.md section 6)."""
    depth = 0
    for ch in text:
        depth += ch in "[{"
        depth -= ch in "]}"
        if depth > _MAX_DEPTH:
            raise ConfigParseError(f"nesting deeper than {_MAX_DEPTH} levels")


def _origin_lines(text: str) -> list[int]:
    """1-based lines mentioning the Access-Control-Allow-Origin header name, in file order."""
    return [i for i, line in enumerate(text.splitlines(), 1) if ACAO in line.lower()]


def _blocks_to_rules(blocks: list[dict[str, str]], text: str) -> Iterator[HeaderRule]:
    """Pair each header block (lower-cased name -> value) holding ACAO with its line (nth mention)."""
    lines = iter(_origin_lines(text))
    for block in blocks:
        if ACAO not in block:
            continue
        line = next(lines, 1)
        if block[ACAO].strip() == "*":
            yield HeaderRule(line, block.get(ACAC, "").strip().lower() == "true")


def vercel_json(text: str) -> Iterator[HeaderRule]:
    """Any-origin headers in ``vercel.json`` (``headers: [{source, headers: [{key, value}]}]``).

    Raises:
        ConfigParseError: not valid JSON.
    """
    _check_depth(text)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigParseError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    entries = doc.get("headers", []) if isinstance(doc, dict) else []
    blocks = []
    for entry in entries if isinstance(entries, list) else []:
        pairs = entry.get("headers", []) if isinstance(entry, dict) else []
        blocks.append({str(p.get("key", "")).lower(): str(p.get("value", ""))
                       for p in pairs if isinstance(p, dict)})
    yield from _blocks_to_rules(blocks, text)


def netlify_toml(text: str) -> Iterator[HeaderRule]:
    """Any-origin headers in ``netlify.toml`` (``[[headers]] for = ... [headers.values] Name = value``).

    Raises:
        ConfigParseError: not valid TOML.
    """
    _check_depth(text)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigParseError(f"invalid TOML: {exc}") from None
    entries = doc.get("headers", [])
    blocks = []
    for entry in entries if isinstance(entries, list) else []:
        values = entry.get("values", {}) if isinstance(entry, dict) else {}
        blocks.append({str(k).lower(): str(v) for k, v in values.items()} if isinstance(values, dict) else {})
    yield from _blocks_to_rules(blocks, text)


_HEADER_LINE = re.compile(r"^\s+([A-Za-z0-9-]+)\s*:\s*(.*?)\s*$")


def headers_file(text: str) -> Iterator[HeaderRule]:
    """Any-origin headers in a Netlify/Cloudflare Pages ``_headers`` file: a path line, then indented
    ``Name: value`` lines (https://docs.netlify.com/routing/headers/)."""
    blocks: list[tuple[list[int], dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            blocks.append(([], {}))
        elif blocks:
            name = match.group(1).lower()
            blocks[-1][1][name] = match.group(2)
            if name == ACAO:
                blocks[-1][0].append(number)
    for lines, block in blocks:
        if block.get(ACAO, "").strip() == "*" and lines:
            yield HeaderRule(lines[-1], block.get(ACAC, "").strip().lower() == "true")
