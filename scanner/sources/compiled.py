"""Compiled Python (``.pyc``): its string constants, read from the marshal bytes without unmarshalling them.

A ``.pyc`` is a header (PEP 552, Python 3.7+: 4 bytes of magic number ending in ``\\r\\n``, 4 bytes of flags and
8 bytes of source mtime and size or of source hash; 12 bytes in 3.3-3.6, 8 before) followed by one code object
in CPython's marshal format. The format is CPython's own (``Python/marshal.c``: ``w_object`` / ``r_object``) and
changes between versions; ``marshal.loads`` is documented as unsafe on hostile data. So nothing here unmarshals,
imports or runs anything: the bytes are walked looking for marshal string records, which have kept their shape
since Python 3.4 (marshal format version 3 and 4):

* ``z`` (TYPE_SHORT_ASCII) and ``Z`` (TYPE_SHORT_ASCII_INTERNED): 1-byte length, ASCII bytes;
* ``a`` (TYPE_ASCII), ``A`` (TYPE_ASCII_INTERNED): 4-byte little-endian length, ASCII bytes;
* ``u`` (TYPE_UNICODE), ``t`` (TYPE_INTERNED): 4-byte little-endian length, UTF-8 bytes;
* ``s`` (TYPE_STRING, a ``bytes`` object: bytecode, line tables and ``b"..."`` constants): 4-byte length.

Each type byte may carry ``FLAG_REF`` (0x80: the object is entered in the reference table). A record is accepted
when its bytes decode (ASCII for the ASCII types, UTF-8 for the others) to text without control characters
(tab, line feed and carriage return allowed); the walk then continues after it, else at the next byte. Bytecode
that happens to look like a short record yields a few short junk strings at worst. A back-reference (``r`` +
index) to a string met before is not followed here, so a repeated string is seen once, where it first occurs.

The constants are rendered as lines for the secrets engine (:func:`render`), one per constant: a value the
bytecode gives a name (:mod:`scanner.sources.bytecode`: ``EMAIL_HOST_PASSWORD = "…"``, the default of
``os.getenv("SECRET_KEY", "…")``, ``connect(password="…")``) is written in the shape of its source
(``NAME = "value"``, ``("NAME", "value")``, ``(password="value")``), so that the keyword detectors see the pair and
judge it as they judge the source; where the bytecode cannot be read (a version it does not know, a damaged file)
an environment-variable-like name directly followed by a string value (two adjacent constants, as
``os.environ.setdefault("DATABASE_URL", "postgres://…")`` compiles) is taken for call arguments. Every other
string is a quoted line of its own, for the vendor-prefix and URL detectors. A finding's line is the 1-based index
of the rendered line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.sources.bytecode import ASSIGN, CALL, DICT, ENV_NAME, KEYWORD, Names, assigned_names

#: Suffixes of compiled Python files (``.pyo``: optimised bytecode before PEP 488, Python 3.5).
COMPILED_SUFFIXES = (".pyc", ".pyo")
#: At most this many strings are kept from one file (bounded output on hostile input).
MAX_STRINGS = 200_000

_FLAG_REF = 0x80
_SHORT = frozenset(b"zZ")
_LONG_ASCII = frozenset(b"aA")
#: Candidate records, found by one regex pass instead of a byte-by-byte loop: a type byte (with or without
#: FLAG_REF), then a length that is not 0 (a 4-byte length below 16 MiB) and a first byte that is not a control.
#: Zero-width after the type byte, so that a candidate inside a rejected one is still tried.
_TYPE_BYTES = re.compile(
    b"[" + re.escape(bytes(c | f for c in b"zZ" for f in (0, _FLAG_REF))) + rb"](?=[^\x00][\t\n\r\x20-\xff])|"
    b"[" + re.escape(bytes(c | f for c in b"aAtus" for f in (0, _FLAG_REF))) + rb"]"
    rb"(?=(?!\x00\x00\x00)[\s\S]{3}\x00[\t\n\r\x20-\xff])")
#: A code object (``c``, usually with FLAG_REF): what follows a ``.pyc`` header.
_CODE = frozenset({ord("c"), ord("c") | _FLAG_REF})
#: Header sizes by era: 16 (3.7+, PEP 552), 12 (3.3-3.6), 8 (earlier).
_HEADER_SIZES = (16, 12, 8)
#: Bytes a string record must not hold: C0 controls other than tab, line feed and carriage return, and DEL.
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")
#: UTF-8 decoding of records with non-ASCII bytes may cost this many times the file's size, plus the base.
_DECODE_BUDGET_FACTOR = 4
_DECODE_BUDGET_BASE = 1 << 20
_PYCACHE_NAME = re.compile(r"(?:^|/)__pycache__/([^/.]+)\.[^/]+$")


@dataclass(frozen=True)
class Constant:
    """One string record: its ``text``, the file ``offset`` of its type byte, ``adjacent``: True when it starts
    right where the previous accepted record ended (consecutive constants of one tuple), and ``listed``: True when
    it belongs to a tuple that starts with a string (a table of names, a dict's keys, keyword-argument names:
    never a name and its value)."""

    text: str
    offset: int
    adjacent: bool = False
    listed: bool = False


@dataclass(frozen=True)
class Extraction:
    """The string constants of one ``.pyc`` in file order; ``start`` is where its marshal data begins (None: no
    ``.pyc`` header); ``cut`` is True when the last string runs past the end of the bytes (a truncated file, or,
    when the bytecode reader reads the whole file, the accident of a line table's last bytes)."""

    strings: tuple[Constant, ...]
    start: int | None = None
    cut: bool = False


def is_compiled(path: str) -> bool:
    """True when ``path`` (``/`` separators) names compiled Python: ``*.pyc`` or ``*.pyo``, any case."""
    return path.lower().endswith(COMPILED_SUFFIXES)


def source_of(path: str) -> str:
    """The source path a compiled file is made from: ``pkg/__pycache__/env.cpython-311.pyc`` (PEP 3147, with
    any ``.opt-N`` tag) -> ``pkg/env.py``; a legacy ``pkg/env.pyc`` or ``.pyo`` -> ``pkg/env.py``. Any other
    path is returned unchanged."""
    if not is_compiled(path):
        return path
    match = _PYCACHE_NAME.search(path)
    if match is not None:
        return path[: match.start(1) - len("__pycache__/")] + match.group(1) + ".py"
    return path[:-4] + ".py"


def extract(data: bytes, max_bytes: int) -> Extraction:
    """The string constants of the ``.pyc`` bytes ``data`` (see module doc); never raises, never unmarshals.

    At most ``max_bytes`` are walked (the caller notes a longer file) and :data:`MAX_STRINGS` strings kept. Time
    is linear in the bytes walked: candidate type bytes are found by one regex pass, the "no control byte / only
    ASCII up to here" answers are memoised (:class:`_NextByte`), and UTF-8 decoding of non-ASCII records has a
    budget of a few times the file's size (hostile input runs out of budget, not time)."""
    start = _body_start(data)
    walk = _Walk(data[:max_bytes])
    cut_short = False
    strings: list[Constant] = []
    pos, last_end, members = start or 0, -1, 0
    for match in _TYPE_BYTES.finditer(walk.data, pos):
        at = match.start()
        if at < pos:
            continue
        found = walk.record(at)
        if found is None:
            continue
        text, end, cut = found
        cut_short = cut_short or cut
        members = _tuple_size(walk.data, at) or (members - 1 if at == last_end else 0)
        strings.append(Constant(text, at, at == last_end, members > 0))
        pos = last_end = end
        if len(strings) >= MAX_STRINGS:
            break
    return Extraction(tuple(strings), start, cut_short)


def _tuple_size(data: bytes, at: int) -> int:
    """The item count of a tuple whose header (``)`` + 1-byte count, or ``(`` + 4-byte count, with or without
    FLAG_REF) ends right before offset ``at``; 0 when there is none."""
    if at >= 2 and data[at - 2] & ~_FLAG_REF == ord(")") and data[at - 1]:
        return data[at - 1]
    if at >= 5 and data[at - 5] & ~_FLAG_REF == ord("("):
        return int.from_bytes(data[at - 4:at], "little")
    return 0


def _body_start(data: bytes) -> int | None:
    """Where the marshal data starts: after a header whose magic ends in ``\\r\\n`` and is followed by a code
    object; None when there is no such header."""
    if data[2:4] != b"\r\n":
        return None
    for size in _HEADER_SIZES:
        if len(data) > size and data[size] in _CODE:
            return size
    return None


class _NextByte:
    """The offset of the next byte matching ``pattern`` at or after an offset of ``data`` (``len(data)`` when
    none), memoised: a query inside the last answered span ``[asked, found]`` costs nothing, so queries at
    (nearly) increasing offsets scan each byte about once."""

    def __init__(self, data: bytes, pattern: re.Pattern[bytes]) -> None:
        self.data, self.pattern = data, pattern
        self.asked, self.found = -1, -1

    def at(self, offset: int) -> int:
        """The first matching offset ``>= offset``."""
        if self.asked <= offset <= self.found:
            return self.found
        if 0 <= offset < self.asked:  # a few bytes back (a short record's body starts before a long one's)
            match = self.pattern.search(self.data, offset, self.asked)
            if match is not None:
                return match.start()
            self.asked = offset
            return self.found
        match = self.pattern.search(self.data, offset)
        self.asked, self.found = offset, match.start() if match else len(self.data)
        return self.found


class _Walk:
    """The bytes being walked, with the memos and the decoding budget that keep the walk linear."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.control = _NextByte(data, _CONTROL_BYTE)
        self.non_ascii = _NextByte(data, _NON_ASCII_BYTE)
        self.budget = _DECODE_BUDGET_FACTOR * len(data) + _DECODE_BUDGET_BASE

    def record(self, at: int) -> tuple[str, int, bool] | None:
        """The string record at ``at`` as ``(text, end offset, cut short)``, or None when the bytes there are not
        a record of printable text. A record whose length runs past the end is returned cut (``cut`` True) when
        all there is of it is printable (a truncated file)."""
        data = self.data
        kind = data[at] & ~_FLAG_REF
        size = 1 if kind in _SHORT else 4
        first = at + 1 + size
        if first > len(data):
            return None
        length = int.from_bytes(data[at + 1:first], "little")
        end = min(first + length, len(data))
        if length == 0 or self.control.at(first) < end:
            return None
        if self.non_ascii.at(first) >= end:
            return data[first:end].decode("ascii"), end, first + length > len(data)
        if kind in _SHORT or kind in _LONG_ASCII or self.budget <= 0:
            return None
        self.budget -= end - first
        try:
            return data[first:end].decode("utf-8"), end, first + length > len(data)
        except UnicodeDecodeError:
            return None


def render(found: Extraction, names: Names | None = None) -> list[str]:
    """Lines for the secrets engine (see module doc), one per constant, each written as the source would have
    it when ``names`` (the bytecode's view, :mod:`scanner.sources.bytecode`) gives the constant a name:
    ``NAME = "value"``, ``("NAME", "value")`` (call arguments: a default, a ``setdefault``), ``{"NAME": "value"}``
    or ``(NAME="value")``, so that each is judged as its source line would be. Where the bytecode was not read in
    full, an environment-variable-like name directly followed by a string may be call arguments
    (:func:`_guessed_pair`). Every other constant is a quoted line. A "constant" inside the bytecode or a line
    table (``names.opaque``) is an accident of their bytes: left out. Control characters are written as ``\\n``,
    ``\\t``, ``\\r``: one line per constant."""
    given = names.by_offset if names is not None else {}
    guess = names is None or not names.complete
    lines: list[str] = []
    strings = tuple(c for c in found.strings if names is None or not names.inside_opaque(c.offset))
    index = 0
    while index < len(strings):
        constant = strings[index]
        following = strings[index + 1] if index + 1 < len(strings) else None
        if "\n" in constant.text.strip("\n"):
            # a multi-line constant (a triple-quoted block, an embedded .env), named or not: its lines as the
            # source had them, so that a ``DB_PASSWORD=...`` line in it is judged as that line
            lines.extend(part.rstrip("\r") for part in constant.text.split("\n"))
        elif constant.offset in given:
            name, form = given[constant.offset]
            lines.append(_FORMS[form].format(name=name, quoted_name=_quoted(name), value=_quoted(constant.text)))
        elif (guess and following is not None and _guessed_pair(constant, following)
              and following.offset not in given):
            lines.append(_FORMS[CALL].format(quoted_name=_quoted(constant.text), value=_quoted(following.text)))
            index += 1
        else:
            lines.append(_quoted(constant.text))
        index += 1
    return lines


def _guessed_pair(name: Constant, value: Constant) -> bool:
    """True when two constants look like call arguments ``("NAME", "value")`` without the bytecode to say so:
    adjacent, outside tuples of names, an environment-variable-like name and a value that is not an identifier
    (a name of the next table, or a value no keyword detector would report)."""
    return (value.adjacent and not name.listed and not value.listed and ENV_NAME.fullmatch(name.text) is not None
            and _IDENTIFIER.fullmatch(value.text) is None)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: How each kind of named constant is written (see :func:`render`).
_FORMS = {ASSIGN: "{name} = {value}", CALL: "({quoted_name}, {value})", DICT: "{{{quoted_name}: {value}}}",
          KEYWORD: "({name}={value})"}


def _quoted(text: str) -> str:
    """``text`` in quotes; backslashes, control characters and a quote that would end it are escaped."""
    text = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', '\\"') + '"'


def compiled_text(data: bytes, max_bytes: int) -> tuple[str, str | None]:
    """The rendered constants of the ``.pyc`` bytes ``data`` (at most ``max_bytes`` of them) as one text (lines
    joined with ``\\n``) and a note: None when the file read cleanly, else what :func:`extract` found wrong or
    that it holds no string at all."""
    found = extract(data, max_bytes)
    names = assigned_names(data[:max_bytes], found.start) if found.start is not None else None
    problem = None
    if found.start is None:
        problem = "has no compiled-Python header (damaged, or not a .pyc)"
    elif found.cut and not (names is not None and names.complete):
        problem = "is cut short inside a string constant (truncated file)"
    lines = render(found, names)
    if not lines:
        return "", f"compiled Python (.pyc) {problem or 'without string constants'}; nothing to scan"
    if problem:
        return "\n".join(lines), f"compiled Python (.pyc) {problem}; the string constants found were scanned for keys"
    return "\n".join(lines), None
