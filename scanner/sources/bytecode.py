"""Which name a ``.pyc`` assigns each string constant to, read from its code objects' bytecode (CPython 3.6-3.13).

:mod:`scanner.sources.compiled` finds the strings of any ``.pyc`` by their record shape alone. A module-level
``EMAIL_HOST_PASSWORD = "…"`` compiles to ``LOAD_CONST i; STORE_NAME j``: the value sits in the code object's
``co_consts`` and the name in ``co_names``, far apart in the file, so the keyword detectors would never see them
together. Here, for the versions whose layout is known, the marshal data is read object by object (by hand,
never with ``marshal.loads``; sources: CPython ``Python/marshal.c`` ``r_object`` and ``w_object`` for the record
types and the code object's fields, ``Lib/opcode.py`` / ``Include/opcode_ids.h`` for the opcode numbers,
``Lib/importlib/_bootstrap_external.py`` for the magic numbers of each version), references (``r`` + index, in
the pre-order of objects flagged ``FLAG_REF``) are resolved, and these instruction shapes give a name:

* ``LOAD_CONST value`` then ``STORE_NAME`` / ``STORE_GLOBAL`` / ``STORE_FAST name`` (an assignment);
* ``LOAD_CONST "NAME"`` then ``LOAD_CONST value`` when NAME looks like an environment variable
  (``os.environ.setdefault("DATABASE_URL", "…")``, ``os.getenv("SECRET_KEY", "…")``, ``{"PASSWORD": "…"}``);
* constant values loaded just before a constant tuple of names that ``BUILD_CONST_KEY_MAP``, ``KW_NAMES``,
  ``CALL_FUNCTION_KW`` or ``CALL_KW`` consume (a dict literal, keyword arguments ``connect(password="…")``).

Any other version, or bytes that do not follow the layout (damaged, cut short, hostile), stop the reading where
they start: what was read so far is kept and :attr:`Names.complete` says whether the whole file was read. Work is
bounded: every object takes at least one byte and nesting is limited to :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

#: Deepest nesting of objects read (marshal itself allows 2,000; real modules nest code objects a few deep).
MAX_DEPTH = 100
#: A name that marks the constant after it as its value in a call or a one-entry dict (``DATABASE_URL``).
ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{3,}")
#: How a name gives a value: ``NAME = "…"``, ``f("NAME", "…")``, ``{"NAME": "…"}``, ``f(NAME="…")``.
ASSIGN, CALL, DICT, KEYWORD = "assign", "call", "dict", "keyword"
_FLAG_REF = 0x80
_STRING_KINDS = frozenset(b"zZaAtu")


@dataclass(frozen=True)
class _Ops:
    """Opcode numbers of one family of versions (``None``: the version has no such instruction)."""

    load_const: int
    store_name: int
    store_global: int
    store_fast: int
    extended_arg: int
    const_key_map: int
    call_kw: int | None
    kw_names: int | None
    cache: int | None


#: 3.6-3.10 (``Lib/opcode.py``; wordcode since 3.6), 3.11-3.12 (inline ``CACHE`` entries, ``KW_NAMES``), 3.13
#: (renumbered: ``Include/opcode_ids.h``).
_OPS_36 = _Ops(100, 90, 97, 125, 144, 156, 141, None, None)
_OPS_311 = _Ops(100, 90, 97, 125, 144, 156, None, 172, 0)
_OPS_313 = _Ops(83, 114, 113, 110, 71, 46, 57, None, 0)


@dataclass(frozen=True)
class _Layout:
    """A code object's marshal layout: raw 32-bit fields before ``co_code``, the fields after ``co_names``
    (``o`` an object, ``i`` a raw 32-bit field, ``L`` the object holding the local names ``STORE_FAST``
    indexes), and the opcode numbers."""

    ints: int
    after: str
    ops: _Ops


#: (first magic number, last magic number, layout); 3.6-3.7: argcount, kwonlyargcount, nlocals, stacksize, flags;
#: 3.8-3.10 add posonlyargcount; 3.11+ drop nlocals and replace varnames, freevars, cellvars by localsplusnames
#: and localspluskinds, and add qualname and the exception table.
_LAYOUTS = (
    (3361, 3399, _Layout(5, "LooooiO", _OPS_36)),
    (3400, 3449, _Layout(6, "LooooiO", _OPS_36)),
    (3450, 3549, _Layout(5, "LooooiOO", _OPS_311)),
    (3550, 3599, _Layout(5, "LooooiOO", _OPS_313)),
)


@dataclass
class Names:
    """The result: ``by_offset`` maps the file offset of a string record (its type byte) to the name its value
    is given and how (:data:`ASSIGN`, :data:`CALL`, :data:`DICT`, :data:`KEYWORD`); ``opaque`` lists the
    ``[start, end)`` byte ranges of the code objects' bytes fields (bytecode, line and exception tables: a
    "string" found inside one is an accident of their bytes); ``complete`` is True when the whole top-level code
    object was read."""

    by_offset: dict[int, tuple[str, str]] = field(default_factory=dict)
    opaque: list[tuple[int, int]] = field(default_factory=list)
    complete: bool = False

    def inside_opaque(self, offset: int) -> bool:
        """True when ``offset`` lies in one of the :attr:`opaque` ranges."""
        index = bisect.bisect_right(self.opaque, (offset, 1 << 62)) - 1
        return index >= 0 and self.opaque[index][0] <= offset < self.opaque[index][1]


@dataclass(frozen=True)
class _Str:
    text: str
    offset: int


@dataclass(frozen=True)
class _Bytes:
    data: bytes


class _Stop(Exception):
    """The bytes stop following the layout (damaged, cut short, hostile, or a version not handled)."""


_NULL = object()


def assigned_names(data: bytes, start: int) -> Names:
    """The names given to the string constants of the ``.pyc`` bytes ``data``, whose marshal data starts at
    ``start`` (after the header). Never raises; an unknown version gives an empty, incomplete result."""
    layout = _layout(data)
    names = Names()
    if layout is None:
        return names
    reader = _Reader(data, start, layout, names)
    try:
        reader.read(0)
        names.complete = True
    except (_Stop, IndexError, RecursionError):
        pass
    names.opaque.sort()
    return names


def _layout(data: bytes) -> _Layout | None:
    magic = int.from_bytes(data[:2], "little")
    return next((layout for low, high, layout in _LAYOUTS if low <= magic <= high), None)


class _Reader:
    """Reads marshal objects from ``data`` at ``pos``; code objects add their pairs to ``names``."""

    def __init__(self, data: bytes, pos: int, layout: _Layout, names: Names) -> None:
        self.data, self.pos, self.layout, self.names = data, pos, layout, names
        self.refs: list[object] = []
        #: Instructions left to decode: a real file holds each code object's bytecode once, so all of them fit in
        #: its size; back-references can make thousands of code objects share one large bytecode string, and
        #: decoding it for each would take time quadratic in the file's size.
        self.budget = len(data) // 2 + 1024

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise _Stop
        chunk = self.data[self.pos:self.pos + size]
        self.pos += size
        return chunk

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "little")

    def read(self, depth: int) -> object:
        """One object (see :mod:`marshal.c` ``r_object``); a flagged object takes the next reference slot before
        its children do."""
        if depth > MAX_DEPTH:
            raise _Stop
        at = self.pos
        code = self.take(1)[0]
        kind = code & ~_FLAG_REF
        slot = len(self.refs)
        if code & _FLAG_REF:
            self.refs.append(None)
        value = self._value(kind, at, depth)
        if code & _FLAG_REF:
            self.refs[slot] = value
        return value

    def _value(self, kind: int, at: int, depth: int) -> object:
        simple = _SIMPLE.get(kind)
        if simple is not None:
            self.take(simple)
            return None
        if kind in _STRING_KINDS or kind == ord("s"):
            return self._string(kind, at)
        if kind in b"([<>)":
            count = self.take(1)[0] if kind == ord(")") else self.u32()
            if count > len(self.data) - self.pos:
                raise _Stop
            return tuple(self.read(depth + 1) for _ in range(count))
        return self._other(kind, depth)

    def _other(self, kind: int, depth: int) -> object:
        if kind == ord("0"):
            return _NULL
        if kind == ord("r"):
            index = self.u32()
            if index >= len(self.refs):
                raise _Stop
            return self.refs[index]
        if kind == ord("l"):
            digits = int.from_bytes(self.take(4), "little", signed=True)
            self.take(2 * abs(digits))
            return None
        if kind in b"fx":
            for _ in range(1 if kind == ord("f") else 2):
                self.take(self.take(1)[0])
            return None
        if kind == ord("{"):
            while self.read(depth + 1) is not _NULL:
                self.read(depth + 1)
            return None
        if kind == ord("c"):
            self._code(depth)
            return None
        if kind == ord(":"):  # a slice (3.14 constants): start, stop, step
            for _ in range(3):
                self.read(depth + 1)
            return None
        raise _Stop

    def _string(self, kind: int, at: int) -> object:
        size = self.take(1)[0] if kind in b"zZ" else self.u32()
        raw = self.take(size)
        if kind == ord("s"):
            return _Bytes(raw)
        return _Str(raw.decode("ascii" if kind in b"zZaA" else "utf-8", "replace"), at)

    def _code(self, depth: int) -> None:
        self.take(4 * self.layout.ints)
        code, consts, names = (self._field(depth) for _ in range(3))
        local_names: object = ()
        for part in self.layout.after:
            if part == "i":
                self.take(4)
            elif part == "L":
                local_names = self._field(depth)
            else:
                self._field(depth)
        if isinstance(code, _Bytes) and isinstance(consts, tuple) and isinstance(names, tuple):
            self.budget -= len(code.data) // 2
            if self.budget < 0:
                raise _Stop  # more bytecode than the file holds: shared by back-references (hostile)
            _pair(self.names, self.layout.ops, code.data, consts, names,
                  local_names if isinstance(local_names, tuple) else ())


    def _field(self, depth: int) -> object:
        """One field of a code object; the range of a bytes field is recorded as opaque."""
        start = self.pos
        value = self.read(depth + 1)
        if isinstance(value, _Bytes):
            self.names.opaque.append((start, self.pos))
        return value


#: Record kinds with a fixed size after the type byte: singletons, ``i`` (int32), ``I`` (int64), ``g`` (binary
#: float), ``y`` (binary complex).
_SIMPLE = {ord("N"): 0, ord("F"): 0, ord("T"): 0, ord("S"): 0, ord("."): 0, ord("i"): 4, ord("I"): 8,
           ord("g"): 8, ord("y"): 16}


def _instructions(code: bytes, ops: _Ops) -> list[tuple[int, int]]:
    """``(opcode, argument)`` of each instruction of wordcode ``code``, ``EXTENDED_ARG`` prefixes folded into
    the argument and inline ``CACHE`` entries left out."""
    out: list[tuple[int, int]] = []
    extended = 0
    for index in range(0, len(code) - 1, 2):
        op, arg = code[index], code[index + 1] | extended
        if op == ops.extended_arg:
            extended = arg << 8
            continue
        extended = 0
        if op != ops.cache:
            out.append((op, arg))
    return out


def _pair(names: Names, ops: _Ops, code: bytes, consts: tuple[object, ...], symbols: tuple[object, ...],
          local_names: tuple[object, ...]) -> None:
    """Record the names the instructions of one code object give its string constants (see module doc)."""
    instructions = _instructions(code, ops)

    def const(position: int) -> object:
        op, arg = instructions[position] if position >= 0 else (-1, 0)
        return consts[arg] if op == ops.load_const and arg < len(consts) else None

    for position, (op, arg) in enumerate(instructions):
        value = const(position - 1)
        if op in (ops.store_name, ops.store_global, ops.store_fast):
            table = local_names if op == ops.store_fast else symbols
            target = table[arg] if arg < len(table) else None
            _give(names, value, target, ASSIGN)
        elif op == ops.load_const and isinstance(value, _Str) and ENV_NAME.fullmatch(value.text):
            _give(names, const(position), value, CALL)
        elif op in (ops.const_key_map, ops.call_kw) or op == ops.kw_names:
            keys = consts[arg] if op == ops.kw_names and arg < len(consts) else value
            last = position - 1 if op == ops.kw_names else position - 2
            form = DICT if op == ops.const_key_map else KEYWORD
            for offset, key in enumerate(reversed(keys) if isinstance(keys, tuple) else ()):
                given = const(last - offset)
                if given is None:
                    break  # a value that is not one constant: the names before it are not paired either
                _give(names, given, key, form)


def _give(names: Names, value: object, name: object, form: str) -> None:
    if isinstance(value, _Str) and isinstance(name, _Str) and name.text and value.offset not in names.by_offset:
        names.by_offset[value.offset] = (name.text, form)
