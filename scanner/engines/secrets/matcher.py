"""Line matching: keyword prefilter, vendor detectors, detect-secrets' plugins, placeholders, dedupe."""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any

from scanner.engines.secrets import adapter
from scanner.keys.detectors import ALL, PRIVATE_KEY, PUBLIC, Detector, Hit
from scanner.keys.placeholders import is_placeholder

#: Lines longer than this are scanned in windows of this many code points ...
WINDOW = 16_384
#: ... overlapping by this much (longer than any secret a detector accepts).
OVERLAP = 4_608
#: Words whose presence anywhere in a document changes how a key is classified (Firebase config, GCP
#: service-account JSON, Clerk vs Stripe).
HINT_WORDS = ("firebase", "service_account", "clerk", "stripe")

_BY_KEYWORD: dict[str, list[Detector]] = {}
for _detector in ALL:
    for _keyword in _detector.keywords:
        _BY_KEYWORD.setdefault(_keyword, []).append(_detector)
_KEYWORDS = tuple(sorted(_BY_KEYWORD))


def _markers(literals: Iterable[str]) -> tuple[str, ...]:
    """The literals that contain no other literal (``sk-`` makes ``sk-ant-`` redundant for marking lines),
    plus ``sk_``/``rk_``/``pk_`` for the Stripe, Clerk, Groq and Pinecone prefixes: fewer passes of
    ``str.find`` over the text."""
    pool = {*literals, "sk_", "rk_", "pk_"}
    return tuple(sorted(k for k in pool if not any(o != k and o in k for o in pool)))


_VENDOR_MARKERS = _markers(_KEYWORDS)
_ALL_MARKERS = _markers((*_KEYWORDS, *adapter.LITERALS))
_ORDER = {id(d): i for i, d in enumerate(ALL)}
#: Value heads a vendor detector owns (``sk-``, ``hf_``, ``aiza``): a malformed vendor key is the vendor
#: detector's to judge, never reported by the generic keyword detector instead.
_VENDOR_HEADS = tuple(k for d in ALL if not getattr(d, "generic", False) for k in d.keywords if k[0].isalnum())
_PREFIX = re.compile(r"^[A-Za-z0-9]{1,12}[-_.](?:[a-z0-9]{2,8}[-_])?")


def candidates(line: str) -> list[Detector]:
    """The detectors whose keyword occurs in ``line`` (any case), in priority order: the prefilter."""
    return _line_filters(line)[0]


def _line_filters(line: str) -> tuple[list[Detector], bool]:
    """:func:`candidates` of ``line``, and False when detect-secrets' plugins cannot fire on it (``adapter.wants``
    would say no; True: ask it). One pass over the lower-cased line: an RE2 set of every keyword plus the
    supersets of the adapter's prefilters (:mod:`supersets`)."""
    found = _keyword_set().Match(line.lower().encode("utf-8", "surrogatepass")) or ()
    count = len(_KEYWORDS)
    chosen = {id(d): d for i in found if i < count for d in _BY_KEYWORD[_KEYWORDS[i]]}
    may_want = len(line) > adapter.LONG_LINE or any(i >= count for i in found)
    return sorted(chosen.values(), key=lambda d: _ORDER[id(d)]), may_want


def _latin1_literal(literal: str) -> bytes:
    """An RE2 pattern matching exactly the bytes of the ASCII ``literal`` (every other character hex-escaped)."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\x{ord(c):02x}" for c in literal).encode("ascii")


def _latin1_options() -> Any:
    """RE2 options for ASCII literals matched on UTF-8 bytes read as Latin-1: an ASCII literal matches exactly
    its own bytes, never part of a multi-byte character."""
    import re2

    assert all(k.isascii() for k in (*_KEYWORDS, *_ALL_MARKERS)), "keywords are matched as ASCII bytes"
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.never_capture = True
    return options


@functools.lru_cache(maxsize=1)
def _keyword_set() -> Any:
    """An RE2 set of every detector keyword, indexed as ``_KEYWORDS``, then the supersets of the adapter's
    prefilters on a lower-cased line."""
    import re2

    from scanner.engines.secrets import supersets

    keywords = re2.Set.SearchSet(_latin1_options())
    patterns = [*(_latin1_literal(k) for k in _KEYWORDS), supersets.PREFILTER, supersets.CASED_LOW]
    for index, pattern in enumerate(patterns):
        if keywords.Add(pattern) != index:
            raise AssertionError("RE2 set indexes its patterns in order")
    keywords.Compile()
    return keywords


def scan_line(path: str, line: str, hints: frozenset[str] = frozenset(), generic: bool = True) -> list[Hit]:
    """Every secret on one line, one hit per secret, sorted by column; public-by-design keys and
    placeholders removed. Lines longer than ``WINDOW`` are scanned in overlapping windows (bounded time)."""
    if len(line) <= WINDOW:
        return _dedupe(_raw_hits(path, line, hints, generic))
    hits: list[Hit] = []
    for offset in range(0, len(line), WINDOW - OVERLAP):
        window = line[offset:offset + WINDOW]
        hits += [_shift(h, offset) for h in _raw_hits(path, window, hints, generic)]
        if offset + WINDOW >= len(line):
            break
    return _dedupe(hits)


def _shift(hit: Hit, offset: int) -> Hit:
    return Hit(hit.rule_id, hit.start + offset, hit.end + offset, hit.value, hit.priority)


#: A ``;``-commented setting in an ``.ini`` file: vendors' sample configs (Grafana's ``;secret_key = …``) document
#: their defaults this way; free-form values there are not looked for (vendor keys still are).
_INI_COMMENT = re.compile(r"^\s*;")


def _raw_hits(path: str, line: str, hints: frozenset[str], generic: bool) -> Iterator[Hit]:
    free_form = not (path.lower().endswith(".ini") and _INI_COMMENT.match(line))
    detectors, may_want = _line_filters(line)
    for detector in detectors:
        paths = getattr(detector, "paths", None)
        if paths is not None and not paths.search(path):
            continue  # a detector of one file type (``.npmrc``)
        if not getattr(detector, "generic", False):
            yield from detector.hits(line, hints)
        elif generic and free_form and adapter.generic_allowed(path):  # judged like SEC190: not in docs, tests
            if getattr(detector, "code_only", False) and not adapter.is_code(path):
                continue
            yield from (h for h in detector.hits(line, hints)
                        if h.rule_id != "SEC190" or not h.value.lower().startswith(_VENDOR_HEADS))
        elif generic and free_form and _EXAMPLE_ENV.search(path) and not getattr(detector, "code_only", False):
            # an example env file holds placeholders, but a value shaped like real key material is a leak
            # (``.env.production.example`` committing the production JWT secret: set 17)
            yield from (h for h in detector.hits(line, hints) if _key_material(h.value))
    if generic and free_form and _REAL_ENV.search(path) and not _EXAMPLE_ENV.search(path) and \
            adapter.generic_allowed(path):
        yield from _env_file_secrets(path, line)
    if generic and may_want and adapter.wants(line):
        yield from (h for h in adapter.generic_hits(path, line)
                    if h.rule_id != "SEC190" or (free_form and not h.value.lower().startswith(_VENDOR_HEADS)))


#: An example or template env file (``.env.example``, ``.env.production.example``, ``example.env``).
_EXAMPLE_ENV = re.compile(r"(?i)(?:^|/)(?:\.env(?:\.[\w-]+)*\.(?:example|sample|template|dist)|"
                          r"(?:example|sample|template)\.env)$")


#: A deployed env file (``.env``, ``.env.local``, ``.env.production``, ``backend/.env``), not a template.
_REAL_ENV = re.compile(r"(?i)(?:^|/)\.env(?:\.[\w-]+){0,2}$")
#: Env files of a test or development setup: a weak signing secret there signs nothing deployed.
_DEV_ENV = re.compile(r"(?i)(?:^|/)\.env\.(?:test|testing|ci|e2e|dev|development)(?:\.local)?$")
#: A value that points at a secret manager instead of holding the secret (1Password ``op://``, Vault, Doppler,
#: Azure Key Vault references, ``%VAR%`` expansion, AWS Secrets Manager / SSM ARNs).
_SECRET_REFERENCE = re.compile(r"(?i)^(?:[a-z][\w+.-]*://|%[\w.-]+%$|@Microsoft\.KeyVault\(|arn:aws:(?:secretsmanager|ssm):)")
#: A signing secret set in an env file (``JWT_SECRET=nan2025``, ``SESSION_SECRET="…"``, ``NEXTAUTH_SECRET=…``,
#: Django's ``SECRET_KEY=…``): short or low-entropy values count, since whoever reads the file can sign sessions
#: and tokens with it, however weak it is (set 22 chat-with-gemini-app).
_ENV_SIGNING = re.compile(r"^\s*(?:export\s+)?(?P<name>[A-Z0-9_]*(?:JWT|SESSION|COOKIE|AUTH|TOKEN|SIGNING)_?SECRET"
                          r"(?:_?KEY)?|(?:DJANGO_|FLASK_|APP_)?SECRET_KEY|[A-Z0-9_]*JWT_?(?:SIGNING_?)?KEY)\s*=\s*[\"']?"
                          r"(?P<value>[^\s\"'#$]{6,256})[\"']?\s*(?:#.*)?$")


#: A mail password in an env file shaped like a Google app password: 16 lower-case letters, as Google shows it
#: (four groups of four, spaced) or run together (``SMTP_PASSWORD=abcdefghijklmnop``; set 23 FastAPI-Backend).
_ENV_APP_PASSWORD = re.compile(r"^\s*(?:export\s+)?(?P<name>(?:[A-Z0-9_]*_)?(?:PASSWORD|PASSWD|PASS|PWD))\s*=\s*[\"']?"
                               r"(?P<value>[a-z]{16}|[a-z]{4}(?: [a-z]{4}){3})[\"']?\s*(?:#.*)?$")


#: Words of a chosen (not generated) password: ``mysecretpassword`` is a placeholder, not a Google app password.
_PASSWORD_WORDS = re.compile(r"pass|word|secret|admin|test|demo|example|change|default|sample|dummy|qwerty|letmein|"
                             r"mail|smtp|user|login|hello|welcome")


def _env_file_secrets(path: str, line: str) -> Iterator[Hit]:
    """SEC190 for a signing secret given any literal value in a deployed env file (not a test or development
    one, not a secret-manager reference), and for a Google app password (16 lower-case letters, no dictionary
    words) under a password name (placeholders are dropped later, in ``_dedupe``)."""
    found = _ENV_SIGNING.match(line)
    if found is not None and not _DEV_ENV.search(path) and not _SECRET_REFERENCE.match(found.group("value")) and \
            not re.search(r"(?i)^(?:true|false|none|null|undefined)$", found.group("value")):
        yield Hit("SEC190", found.start("value"), found.end("value"), found.group("value"), 90)
    app = _ENV_APP_PASSWORD.match(line)
    if app is not None and len(set(app.group("value").replace(" ", ""))) >= 8 and \
            not _PASSWORD_WORDS.search(app.group("value")):  # not ``aaaabbbbccccdddd``, ``mysecretpassword``
        yield Hit("SEC190", app.start("value"), app.end("value"), app.group("value"), 90)


def _key_material(value: str) -> bool:
    """True for a value shaped like generated key material, not a placeholder: at least 24 characters, no
    placeholder words, and either long hex or at least three character classes with high entropy."""
    if len(value) < 24 or re.search(r"(?i)your|xxx|change|example|placeholder|secret|here|replace|dummy|test", value):
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    counts = [value.count(c) / len(value) for c in set(value)]
    entropy = -sum(p * math.log2(p) for p in counts)
    return (bool(re.fullmatch(r"[0-9a-fA-F]{32,}", value)) and entropy >= 3.3) or (classes >= 3 and entropy >= 4.0)


def _dedupe(hits: Iterable[Hit]) -> list[Hit]:
    """One hit per secret: among overlapping hits the best (lowest priority) wins; a public key claims its
    span; then placeholders are dropped."""
    kept: list[Hit] = []
    for hit in sorted(set(hits), key=lambda h: (h.priority, h.start, -(h.end - h.start), h.rule_id)):
        if not any(hit.start < k.end and k.start < hit.end for k in kept):
            kept.append(hit)
    real = [h for h in kept if h.rule_id != PUBLIC and not is_placeholder(h.value, prefix_length(h.value))]
    return sorted(real, key=lambda h: (h.start, h.rule_id))


def prefix_length(value: str) -> int:
    """Length of a vendor prefix such as ``sk-proj-``, ``sk_live_``, ``hf_`` (0 when there is none)."""
    match = _PREFIX.match(value)
    return match.end() if match and len(value) - match.end() >= 8 else 0


def scan_lines(path: str, lines: Sequence[tuple[int, str]], generic: bool = True
               ) -> Iterator[tuple[int, str, Hit]]:
    """Every hit in numbered ``lines`` of ``path`` as ``(line_number, line, hit)``, in line order."""
    texts = [t for _, t in lines]
    for index, hit in scan_texts(path, texts, "\n".join(texts), generic):
        yield lines[index][0], texts[index], hit


def scan_texts(path: str, texts: Sequence[str], joined: str, generic: bool = True,
               marked: set[int] | None = None) -> Iterator[tuple[int, Hit]]:
    """Every hit in the lines ``texts`` of ``path`` (``joined`` is ``"\n".join(texts)``) as
    ``(line index, hit)``, in line order.

    The keyword prefilters run once over the lower-cased joined text (``str.find``, no regex); only the
    lines they mark are matched (``marked``: the lines :func:`mark_many` already marked). A private-key header
    ending a line is matched with the next line's body.
    """
    if marked is None:
        marked = _marked(texts, joined, None, generic)
    if not marked:
        return
    low = joined.lower()
    hints = frozenset(w for w in HINT_WORDS if w in low)
    for index in sorted(marked):
        line = texts[index]
        for hit in scan_line(path, line, hints, generic):
            yield index, hit
        if "PRIVATE KEY" in line and index + 1 < len(texts):
            header = _private_key_header(line, _body_line(texts, index), hints)
            if header is not None:
                yield index, header


#: :func:`mark_many` joins at most about this many characters at a time (bounded extra memory on a large tree).
MARK_SLICE = 1 << 22


def mark_many(groups: Sequence[Sequence[str]], generic: bool = True) -> list[set[int] | None]:
    """Per group of lines (the texts of many sources), the indexes of the lines :func:`scan_texts` would mark,
    found in one pass of each prefilter over many groups joined together (the same lines as one pass per group:
    no literal or trigger spans a line break), :data:`MARK_SLICE` characters at a time. None for the groups of
    a slice whose lower-casing changes its length (a few characters such as ``İ`` do: offsets in the lower-cased
    text would not be those of the lines): those are marked on their own."""
    sizes = [sum(map(len, group)) + len(group) for group in groups]
    out: list[set[int] | None] = []
    start = 0
    while start < len(groups):
        end, size = start + 1, sizes[start]
        while end < len(groups) and size + sizes[end] <= MARK_SLICE:
            size += sizes[end]
            end += 1
        out += _mark_slice(groups[start:end], generic)
        start = end
    return out


def _mark_slice(groups: Sequence[Sequence[str]], generic: bool) -> list[set[int] | None]:
    lines = [line for group in groups for line in group]
    joined = "\n".join(lines)
    data = _low_bytes(joined)
    low = joined.lower() if data is None else None
    if low is not None and len(low) != len(joined):
        return [None] * len(groups)
    marked = sorted(_marked(lines, joined, low, generic, data))
    out: list[set[int] | None] = []
    first = 0
    for group in groups:
        end = first + len(group)
        lo, hi = bisect.bisect_left(marked, first), bisect.bisect_left(marked, end)
        out.append({index - first for index in marked[lo:hi]})
        first = end
    return out


#: The only characters whose ``str.lower()`` is not one non-ASCII character: ``İ`` (two characters) and the Kelvin
#: sign (``k``). Text without them has the same ASCII bytes lower-cased by ``bytes.lower()`` as by ``str.lower()``.
_LOWER_SPECIAL = ("\u0130", "\u212a")


def _low_bytes(text: str) -> bytes | None:
    """``text.lower()`` as UTF-8 bytes as far as ASCII literals can tell (the same runs of ASCII bytes between
    the same line breaks; a non-ASCII character may keep its case), computed by ``bytes.lower()``, several times
    faster than ``str.lower()`` on text with any non-ASCII character. None when ``text`` holds a character that
    lower-cases to ASCII or to two characters (then use ``str.lower()``)."""
    if not text.isascii() and any(c in text for c in _LOWER_SPECIAL):
        return None
    return text.encode("utf-8", "surrogatepass").lower()


def _marked(texts: Sequence[str], joined: str, low: str | None, generic: bool, data: bytes | None = None
            ) -> set[int]:
    """The indexes of the lines of ``texts`` (``joined`` and its lower-cased ``low``, or ``data``: its
    :func:`_low_bytes`; neither: lower-cased here) that a prefilter marks."""
    starts = _starts(texts)
    if data is None and low is None:
        data = _low_bytes(joined)
    if data is None:
        low = joined.lower() if low is None else low
        data = low.encode("utf-8", "surrogatepass")
    marked = _mark_all(data, len(texts), generic)
    if marked is None:
        marked = _mark(joined.lower() if low is None else low, starts,
                       _ALL_MARKERS if generic else _VENDOR_MARKERS)
    if generic:
        marked.update(bisect.bisect_right(starts, m.start()) - 1 for m in adapter.TRIGGERS.finditer(joined))
        marked.update(bisect.bisect_right(starts, m.start()) - 1 for m in adapter.DISCORD_MARK.finditer(joined))
    return marked


def _starts(pieces: Iterable[Sized]) -> list[int]:
    """The offsets of ``pieces`` joined with one separator: 0, len(p0) + 1, ..."""
    return list(itertools.accumulate(map((1).__add__, map(len, pieces)), initial=0))


@functools.lru_cache(maxsize=2)
def _marker_pattern(generic: bool) -> Any:
    """One RE2 alternation of the markers, on Latin-1 bytes (an ASCII literal matches exactly its bytes, never
    inside a multi-byte UTF-8 sequence): one linear pass over the text instead of one ``str.find`` pass per
    marker (several times faster on text held as 4 bytes per character, as any emoji makes it)."""
    import re2

    literals = _ALL_MARKERS if generic else _VENDOR_MARKERS
    return re2.compile(b"|".join(_latin1_literal(literal) for literal in literals), _latin1_options())


def _mark_all(low: str | bytes, count: int, generic: bool) -> set[int] | None:
    """Indexes of the ``count`` lines of ``low`` (lines joined with ``\n``, none holding a line break of its own;
    lower-cased text, or its UTF-8 bytes) holding a marker; None when a line holds a line break (then lines and
    ``\n`` do not correspond)."""
    data = low.encode("utf-8", "surrogatepass") if isinstance(low, str) else low
    pieces = data.split(b"\n")
    if len(pieces) != max(count, 1):
        return None
    starts = _starts(pieces)
    return {bisect.bisect_right(starts, m.start()) - 1 for m in _marker_pattern(generic).finditer(data)}


def _mark(low: str, starts: list[int], literals: Iterable[str]) -> set[int]:
    """Indexes of the lines (by their ``starts`` offsets in ``low``) holding any of ``literals``."""
    marked: set[int] = set()
    last = len(starts) - 2
    for literal in literals:
        pos = low.find(literal)
        while pos >= 0:
            index = bisect.bisect_right(starts, pos) - 1
            marked.add(index)
            if index >= last:
                break
            pos = low.find(literal, starts[index + 1])
    return marked


#: RFC 4880 armor headers (``Version: …``, ``Comment: …``) and RFC 1421 headers of encrypted PEM keys
#: (``Proc-Type: 4,ENCRYPTED``, ``DEK-Info: …``) between a key's BEGIN line and its body.
_ARMOR_HEADER = re.compile(r"^\s*[A-Za-z][A-Za-z0-9-]{1,30}:\s")


def _body_line(texts: Sequence[str], index: int) -> str:
    """The line after ``texts[index]`` that may hold a key body: armor headers and one blank line skipped."""
    for text in texts[index + 1:index + 8]:
        if text.strip() and not _ARMOR_HEADER.match(text):
            return text
    return texts[index + 1]


def _private_key_header(line: str, next_line: str, hints: frozenset[str]) -> Hit | None:
    hit = PRIVATE_KEY.header_hit(line, next_line, hints)
    if hit is None or is_placeholder(hit.value):
        return None
    return hit
