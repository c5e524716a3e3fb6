"""RE2 supersets of the detect-secrets adapter's Python prefilters: a quick, exact "no" before the slow test.

``adapter.PREFILTER`` and ``adapter._CASED`` are Python regular expressions (one has a negative lookahead, which
RE2 lacks) that cost about 10 µs a line; most lines a keyword marks (a URL, a ``key`` variable) pass neither.
These patterns match every line those match, and are run on the line's UTF-8 bytes read as Latin-1 (linear, one
C call): any byte of a non-ASCII character is let through wherever Python's Unicode classes (``\\w``, ``\\d``,
``\\s``) might accept the character, counts of characters become at-least counts of bytes, and the lookahead is
dropped. A line they reject cannot pass the Python test; a line they pass gets it.
"""

from __future__ import annotations

import functools
from typing import Any

#: Any byte of a non-ASCII character (UTF-8 lead and continuation bytes).
_HIGH = rb"\x80-\xff"
#: ASCII characters Python's ``\s`` matches (RE2's ``\s`` lacks ``\v`` and the separators ``\x1c``-``\x1f``).
_SPACE = rb"\t\n\x0b\x0c\r \x1c-\x1f"
#: ``adapter._ASSIGN`` without its lookahead, ``{0,n}`` runs unbounded.
_ASSIGN = (
    rb"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|apikey|private_?key|credential)[\w.\-" + _HIGH + rb"]*"
    rb"[\"'\]]?[" + _SPACE + _HIGH + rb"]*(?::=|=>|[:=])[" + _SPACE + _HIGH + rb"]*[@\"'`]?"
    rb"[^" + _SPACE + rb"\"'`,;)]{4}"
)
#: ``adapter.PREFILTER`` (on the lower-cased line).
PREFILTER = (
    _ASSIGN + rb"|accountkey=|gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|agent|oas)-|gr1348941|pypi-ag|sq0csp-"
    rb"|-us[0-9" + _HIGH + rb"]|[0-9" + _HIGH + rb"]{8}:[\w\-" + _HIGH + rb"]{35}|ibm|cloudant|softlayer|hmac"
)
#: ``adapter._CASED`` (on the line as it is).
CASED = (
    rb"AKC[a-zA-Z0-9]{10}|AP(?:[0-9A-F]|[" + _HIGH + rb"]+)[a-zA-Z0-9]{8}"
    rb"|\.[\w\-" + _HIGH + rb"]{6,24}\.[\w\-" + _HIGH + rb"]{27}"
)

#: ``adapter._CASED`` on the lower-cased line: its letters lower-cased, and the counted run between the dots
#: unbounded (lower-casing may lengthen a character's UTF-8 form).
CASED_LOW = (
    rb"akc[a-z0-9]{10}|ap(?:[0-9a-f]|[" + _HIGH + rb"]+)[a-z0-9]{8}"
    rb"|\.[\w\-" + _HIGH + rb"]{6,}\.[\w\-" + _HIGH + rb"]{27}"
)


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[Any, Any]:
    import re2

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.never_capture = True
    return re2.compile(PREFILTER, options), re2.compile(CASED, options)


def may_want(line: str, low: str) -> bool:
    """False only when ``adapter.PREFILTER`` cannot match ``low`` (``line`` lower-cased) and ``adapter._CASED``
    cannot match ``line``."""
    prefilter, cased = _compiled()
    return (prefilter.search(low.encode("utf-8", "surrogatepass")) is not None
            or cased.search(line.encode("utf-8", "surrogatepass")) is not None)
