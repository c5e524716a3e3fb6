"""How a file name is written out: git's C-quoting for names that are not valid UTF-8, and back.

A file name that is not valid UTF-8 reaches the scanner as a ``str`` with lone surrogates (Python's
``surrogateescape``: byte ``0xff`` is ``\\udcff``). Lone surrogates cannot be written as UTF-8 and strict JSON
parsers reject them, so every report (text, JSON, GitHub annotations) and the baseline write such a name the way
``git ls-files`` (without ``-z``) does: in double quotes, every byte >= 0x80 and every control byte as a
backslash escape (``bad\\377\\376name.py`` -> ``"bad\\377\\376name.py"``). A name that is valid UTF-8 is written
as it is, unless it starts with ``"``; then it is quoted too, so that :func:`unquote_path` never mistakes it for
a quoted name. SARIF percent-encodes the original bytes instead (``bad%FF%FEname.py``).
"""

from __future__ import annotations

_C_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r",
              0x22: '\\"', 0x5C: "\\\\"}
_C_UNESCAPES = {"a": 0x07, "b": 0x08, "t": 0x09, "n": 0x0A, "v": 0x0B, "f": 0x0C, "r": 0x0D, '"': 0x22,
                "\\": 0x5C}


def is_undecodable(path: str) -> bool:
    """True when ``path`` holds a lone surrogate (a file name byte that is not valid UTF-8)."""
    return any("\udc80" <= ch <= "\udcff" for ch in path)


def quote_path(path: str) -> str:
    """``path`` as git writes a name it must quote (see the module docstring); unchanged when it is valid
    UTF-8 and does not start with ``"``."""
    if not is_undecodable(path) and not path.startswith('"'):
        return path
    out = []
    for byte in path.encode("utf-8", "surrogateescape"):
        if byte in _C_ESCAPES:
            out.append(_C_ESCAPES[byte])
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"'


def unquote_path(text: str) -> str:
    """The inverse of :func:`quote_path`: a C-quoted name back to the scanner's form (lone surrogates for bytes
    that are not UTF-8); any other text unchanged.

    Raises:
        ValueError: ``text`` is quoted but holds an unknown or cut-off escape.
    """
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        return text
    body, out, i = text[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
        elif body[i + 1: i + 2] in _C_UNESCAPES:
            out.append(_C_UNESCAPES[body[i + 1]])
            i += 2
        elif len(body) >= i + 4 and all(c in "01234567" for c in body[i + 1: i + 4]):
            out.append(int(body[i + 1: i + 4], 8) & 0xFF)
            i += 4
        else:
            raise ValueError(f"bad escape in quoted file name {text!r}")
    return out.decode("utf-8", "surrogateescape")
