"""The catalogue adapter: kingfisher-secret-scanner's bundled rules run in-process on one text, every
engine-side suppression off, matches returned under our codes (SEC1000-SEC1999) for our filters to judge.

kingfisher is imported and its rules compiled (from its disk cache when warm) on first need only, and only for
a text that passes a cheap prefilter (a token with letters and digits, a key header, a URL with ``@``). What is
switched off, and how (checked by tests):

- inline ignores (``kingfisher:ignore``, ``gitleaks:allow``) and the CLI's context filters: no
  ``DetectionPolicy`` is given, so the SDK's plain matching runs and no comment in a scanned repository can
  silence a match (only launch-ready's own suppressions, which ``--no-config`` turns off, can);
- deduplication (``dedup=False``): every occurrence is returned; we report one finding per secret ourselves;
- validation and revocation: never constructed (``Validator`` / ``Revoker`` are not imported); scanning makes
  no network call;
- redaction (``redact=False``): we need the value to place, filter, hash and redact it ourselves;
- Base64 decoding (``base64=False``): a decoded match has no position in the line to redact.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.keys import subset
from scanner.keys.codes import entries

#: A text is given to the catalogue only when it holds a token of 14 or more key characters with at least two
#: digits and two letters (generated keys; not ``handler_1_23``), a PEM header, or a URL with credentials. The
#: catalogue's rules are loaded only then: the hook on an ordinary commit never pays for them. One regular
#: expression: a token start, then lookaheads for the length, two digits and two letters within the token
#: (each lookahead's classes exclude what it looks for: no backtracking).
_KEY_TOKEN = re.compile(
    r"(?<![\w+/=.~-])(?=[\w+/=.~-]{14})"
    r"(?=[^\W\d]*(?:[+/=.~-][^\W\d]*)*\d[^\W\d]*(?:[+/=.~-][^\W\d]*)*\d)"
    r"(?=[\d_+/=.~-]*(?:[^\W\d_][\d_+/=.~-]*){2})"
)
_OTHER_SHAPES = re.compile(r"-----BEGIN|://[^\s/@]{1,200}@")
#: Lockfiles: their integrity hashes and resolved URLs have key shapes and are never keys.
LOCKFILE = re.compile(
    r"(?:^|/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|poetry\.lock|"
    r"Pipfile\.lock|uv\.lock|pdm\.lock|Cargo\.lock|go\.sum|composer\.lock|Gemfile\.lock|[\w.-]+\.lock)$"
)
#: The shortest value placed on a line (a multi-line match whose first line is ``{`` is not a value).
MIN_VALUE = 8
#: Texts larger than this are not given to the catalogue (the vendor detectors still scan them).
MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class CatalogueHit:
    """One catalogue match: 0-based ``line`` index in the text, ``start``/``end`` code-point offsets of the
    value on that line (only the first line of a multi-line value), the ``value``, the catalogue ``rule_id``
    and our ``code``."""

    line: int
    start: int
    end: int
    value: str
    rule_id: str
    code: str


@functools.lru_cache(maxsize=1)
def _full_scanner() -> Any:
    """The whole bundled catalogue (``confidence="low"``), plain matching (no policy: no inline ignores), no
    dedup, no redaction, no Base64 decoding: the fallback when the rule index cannot be used."""
    import kingfisher_sdk

    rules = kingfisher_sdk.Rules(confidence="low")
    return kingfisher_sdk.Scanner(rules, base64=False, dedup=False, redact=False)


def catalogue_ids() -> list[tuple[str, str, str]]:
    """``(rule_id, description, confidence)`` of every rule of the installed catalogue."""
    rules = _full_scanner().rules
    return [(m["id"], m["name"], rules.detail(m["id"])["confidence"]) for m in rules.metadata()]


def wants(path: str, text: str) -> bool:
    """True when the catalogue should scan ``text`` of ``path`` (cheap; no import)."""
    if LOCKFILE.search(path) is not None or len(text) > MAX_BYTES:
        return False
    return _KEY_TOKEN.search(text) is not None or _OTHER_SHAPES.search(text) is not None


#: :func:`wants_many` joins at most about this many characters at a time (bounded extra memory on a large tree).
WANTS_SLICE = 1 << 22


def wants_many(items: Sequence[tuple[str, str]]) -> list[bool]:
    """:func:`wants` of each ``(path, text)``. One RE2 pass over many texts joined together (at most
    :data:`WANTS_SLICE` characters at a time) finds those that may want it (:func:`_shapes`: no shape spans a
    line break, so a match belongs to the text it starts in); only those get the exact test."""
    out: list[bool] = []
    start = 0
    while start < len(items):
        end, size = start + 1, len(items[start][1])
        while end < len(items) and size + len(items[end][1]) <= WANTS_SLICE:
            size += len(items[end][1])
            end += 1
        out += _wants_slice(items[start:end])
        start = end
    return out


def _wants_slice(items: Sequence[tuple[str, str]]) -> list[bool]:
    texts = [text if len(text) <= MAX_BYTES and LOCKFILE.search(path) is None else "" for path, text in items]
    data = [text.encode("utf-8", "surrogatepass") for text in texts]
    joined = b"\n".join(data)
    starts = list(itertools.accumulate(map((1).__add__, map(len, data)), initial=0))
    shapes = _shapes()
    out = [False] * len(texts)
    index = 0
    while index < len(texts):
        match = shapes.search(joined, starts[index])
        if match is None:
            break
        index = bisect.bisect_right(starts, match.start()) - 1
        text = texts[index]
        out[index] = _KEY_TOKEN.search(text) is not None or _OTHER_SHAPES.search(text) is not None
        index += 1
    return out


@functools.lru_cache(maxsize=1)
def _shapes() -> Any:
    """An RE2 superset of ``_KEY_TOKEN`` and ``_OTHER_SHAPES`` on UTF-8 bytes read as Latin-1 (any non-ASCII
    byte may be a letter, a digit or a key character). A key token is a run of 14 or more key characters with two
    digits: with A, B, C the runs before the first digit, between the two and after the second,
    ``|A| + |B| + |C| >= 12``, which one alternative per split ``a + b + c = 12`` matches as
    ``E{a} D E{b,} D T{c}``."""
    import re2

    token, letter, digit = rb"[\w+/=.~\-\x80-\xff]", rb"[A-Za-z_+/=.~\-\x80-\xff]", rb"[0-9\x80-\xff]"
    splits = [letter + b"{%d}" % a + digit + letter + b"{%d,}" % b + digit + token + b"{%d}" % (12 - a - b)
              for a in range(13) for b in range(13 - a)]
    other = rb"-----BEGIN|://[^\t\n\x0b\x0c\r \x1c-\x1f/@]+@"
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.never_capture = True
    return re2.compile(b"|".join([*splits, other]), options)


@contextlib.contextmanager
def batch(items: Iterable[tuple[str, str]], owned: tuple[str, ...] = (),
          flags: Sequence[bool] | None = None) -> Iterator[None]:
    """Within this block, :func:`scan` of any of ``items`` (``(path, text)``) uses one rule set loaded for all
    of them: the rules whose literals occur in some item that :func:`wants` (one load, not one per text).
    ``flags``, when given, is :func:`wants` of each item, already computed (:func:`wants_many`)."""
    global _BATCH
    wanted: set[str] = set()
    unwanted: set[str] = set()
    items = list(items)
    for (_, text), flag in zip(items, flags if flags is not None else wants_many(items), strict=True):
        (wanted if flag else unwanted).add(text)
    outer = _BATCH
    _BATCH = (wanted, unwanted - wanted, subset.scanner_for(wanted, owned) if wanted else None)
    try:
        yield
    finally:
        _BATCH = outer


#: The texts of the current :func:`batch` that :func:`wants` and those it does not (a text met under a
#: lockfile path and another is only in the former), and the scanner loaded for the former.
_BATCH: tuple[set[str], set[str], Any] | None = None


def scan(path: str, texts: list[str], owned: tuple[str, ...] = ()) -> Iterator[CatalogueHit]:
    """Every visible catalogue match in the lines ``texts`` of ``path`` whose rule has a code, placed on its
    line. A match whose value cannot be found on its line (an escape sequence, a decoded value) is dropped
    rather than reported without a place to redact. Rules whose id (without namespace) starts with one of
    ``owned`` need not be run (the caller drops their matches)."""
    text = "\n".join(texts)
    if _BATCH is not None and text in _BATCH[1]:
        return  # the batch's own texts: already judged
    if _BATCH is not None and text in _BATCH[0] and LOCKFILE.search(path) is None:
        scanner = _BATCH[2]
    elif not wants(path, text):
        return
    else:  # not prepared (a notebook's decoded lines, a file with CR line ends): this text's own rules
        scanner = subset.scanner_for([text], owned)
    if scanner is None:
        return  # no rule of the catalogue can match this text
    codes = entries()
    for finding in scanner.scan(text):
        entry = codes.get(finding.rule_id)
        if entry is None or not finding.visible:
            continue
        hit = _place(texts, finding.location, finding.secret, finding.rule_id, entry.code)
        if hit is not None:
            yield hit


def _place(texts: list[str], location: dict[str, int], secret: str, rule_id: str, code: str
           ) -> CatalogueHit | None:
    index = location.get("line", 0) - 1
    first = secret.split("\n", 1)[0].strip()
    if not (0 <= index < len(texts)) or len(first) < MIN_VALUE:
        return None  # a structure match (a JSON credential file opening with ``{``): nothing to place
    line = texts[index]
    column = max(0, location.get("column", 0) - 1)
    start = line.find(first, column)
    if start < 0:
        start = line.find(first)
    if start < 0:
        return None
    return CatalogueHit(index, start, start + len(first), first, rule_id, code)
