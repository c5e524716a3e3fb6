"""Necessary literals of a regular expression: a set of strings one of which every match contains.

Used to pick, for one text, the key-catalogue rules that can match it (a rule none of whose literals occurs in
the text cannot match), so that only those rules are compiled and loaded. The analysis is conservative: it may
keep a rule that cannot match, never drop one that can. Literals are case-folded (``str.casefold``) and are
compared with the case-folded text, so case-insensitive groups need no special handling.

Syntax: the Rust ``regex`` crate's (what the catalogue compiles): alternation, groups (``(?:``, ``(?P<n>``,
``(?<n>``, flag groups ``(?i)``, ``(?x:``...), nested classes with set operations, Perl and Unicode classes,
``\\x{..}`` escapes, counted repetition, verbose mode. Anything else raises :class:`Unsupported` and the
caller keeps the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The largest set of alternative strings tracked for one piece of the pattern.
MAX_STRINGS = 64
#: The largest character class expanded into its characters (``[Ss]``, ``[_-]``); larger ones match "anything".
MAX_CLASS = 10
#: At most this many sets are kept per pattern (the most selective).
MAX_SETS = 6
_HEX = "0123456789abcdefABCDEF"
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}


class Unsupported(ValueError):
    """The pattern uses syntax this analysis does not know."""


@dataclass(frozen=True)
class _Info:
    """What is known of one piece of a pattern: ``exact``, every string it can match (None: too many or
    unbounded), and ``needs``, sets of strings such that every match contains a string of each set."""

    exact: frozenset[str] | None
    needs: tuple[frozenset[str], ...] = ()


_EMPTY = _Info(frozenset({""}))
_ANY = _Info(None)
Needs = tuple[frozenset[str], ...]


def necessary(pattern: str) -> Needs:
    """Sets of case-folded strings such that every match of ``pattern`` contains a string of each set (at most
    :data:`MAX_SETS`, the most selective; empty when nothing is known: the pattern can match without any fixed
    text). Raises :class:`Unsupported` for unknown syntax."""
    parser = _Parser(pattern)
    info = parser.alternation()
    if parser.pos != len(pattern):
        raise Unsupported(f"unbalanced ')' at {parser.pos}")
    kept: list[frozenset[str]] = []
    for need in sorted(set(_all_needs(info)), key=lambda s: (-score(s), len(s), sorted(s))):
        if not any(all(any(a in b for a in need) for b in other) for other in kept):
            kept.append(need)  # not implied by a kept set (each of whose strings contains one of this one's)
    return tuple(kept[:MAX_SETS])


def satisfied(needs: Needs, folded: str) -> bool:
    """True when the case-folded text ``folded`` holds a string of each set of ``needs``."""
    return all(any(s in folded for s in strings) for strings in needs)


def score(strings: frozenset[str] | None) -> int:
    """How selective a set is: the length of its shortest string (0 for None or a set holding "")."""
    if not strings:
        return 0
    return min(len(s) for s in strings)


def _all_needs(info: _Info) -> list[frozenset[str]]:
    """``info.needs`` plus its exact set when that holds no "" (an exact set is a need too)."""
    needs = list(info.needs)
    if info.exact is not None and score(info.exact) > 0:
        needs.append(info.exact)
    return needs


def _best(info: _Info) -> frozenset[str] | None:
    """The most selective single set of ``info``."""
    needs = _all_needs(info)
    return max(needs, key=lambda s: (score(s), -len(s))) if needs else None


def _concat(items: list[_Info]) -> _Info:
    """A sequence: runs of exact pieces are multiplied out into longer literals; every piece's needs hold."""
    run: frozenset[str] = frozenset({""})
    whole: frozenset[str] | None = frozenset({""})
    needs: list[frozenset[str]] = []
    for item in items:
        needs += item.needs
        if whole is not None:
            whole = _product(whole, item.exact)
        joined = _product(run, item.exact)
        if joined is not None:
            run = joined
            continue
        needs += _all_needs(_Info(run))
        if item.exact is not None:
            needs += _all_needs(_Info(item.exact))
        run = item.exact if item.exact is not None else frozenset({""})
    needs += _all_needs(_Info(run))
    return _Info(whole, _prune(needs))


def _prune(needs: list[frozenset[str]]) -> Needs:
    unique = sorted(set(needs), key=lambda s: (-score(s), len(s), sorted(s)))
    return tuple(unique[:MAX_SETS])


def _product(left: frozenset[str], right: frozenset[str] | None) -> frozenset[str] | None:
    if right is None or len(left) * len(right) > MAX_STRINGS:
        return None
    return frozenset(a + b for a in left for b in right)


def _alternation(branches: list[_Info]) -> _Info:
    """Either branch: exact sets unite; a match contains the best need of the branch it matched."""
    exact: frozenset[str] | None = frozenset()
    need: frozenset[str] | None = frozenset()
    for branch in branches:
        if exact is not None:
            exact = exact | branch.exact if branch.exact is not None else None
            if exact is not None and len(exact) > MAX_STRINGS:
                exact = None
        one = _best(branch)
        need = None if need is None or one is None else need | one
    if need is None or len(need) > MAX_STRINGS or score(need) == 0:
        return _Info(exact)
    return _Info(exact, (need,))


def _repeat(item: _Info, low: int, high: int | None) -> _Info:
    if low == 0:
        if high == 1 and item.exact is not None:
            return _Info(item.exact | {""})
        return _EMPTY if high == 0 else _ANY
    exact: frozenset[str] | None = None
    if high == low and item.exact is not None:
        exact = frozenset({""})
        for _ in range(low):
            exact = _product(exact, item.exact)
            if exact is None:
                break
    return _Info(exact, tuple(_all_needs(item)))


class _Parser:
    """A recursive-descent reader of one pattern."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.verbose = False

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def take(self) -> str:
        if self.pos >= len(self.text):
            raise Unsupported("unexpected end")
        char = self.text[self.pos]
        self.pos += 1
        return char

    def skip_blank(self) -> None:
        """In verbose mode, whitespace and ``#`` comments between pieces are not part of the pattern."""
        while self.verbose and self.pos < len(self.text):
            char = self.text[self.pos]
            if char.isspace():
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end + 1
            else:
                break

    def alternation(self) -> _Info:
        verbose = self.verbose
        branches = [self.concat()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.concat())
        self.verbose = verbose
        return branches[0] if len(branches) == 1 else _alternation(branches)

    def concat(self) -> _Info:
        items: list[_Info] = []
        while True:
            self.skip_blank()
            char = self.peek()
            if char in ("", "|", ")"):
                return _concat(items)
            items.append(self.quantified(self.atom()))

    def quantified(self, item: _Info) -> _Info:
        while True:
            self.skip_blank()
            char = self.peek()
            if char == "*":
                self.pos += 1
                item = _repeat(item, 0, None)
            elif char == "+":
                self.pos += 1
                item = _repeat(item, 1, None)
            elif char == "?":
                self.pos += 1
                item = _repeat(item, 0, 1)
            elif char == "{":
                low, high = self.counted()
                item = _repeat(item, low, high)
            else:
                return item
            if self.peek() == "?":  # lazy
                self.pos += 1

    def counted(self) -> tuple[int, int | None]:
        end = self.text.find("}", self.pos)
        if end < 0:
            raise Unsupported("unclosed repetition")
        body = "".join(self.text[self.pos + 1:end].split())
        self.pos = end + 1
        low_text, comma, high_text = body.partition(",")
        if not low_text.isdigit() or (high_text and not high_text.isdigit()):
            raise Unsupported(f"bad repetition {{{body}}}")
        low = int(low_text)
        high = low if not comma else (int(high_text) if high_text else None)
        return low, high

    def atom(self) -> _Info:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            chars = self.char_class()
            return _Info(chars) if chars is not None else _ANY
        if char == ".":
            return _ANY
        if char in "^$":
            return _EMPTY
        if char == "\\":
            return self.escape()
        if char in "*+?{)":
            raise Unsupported(f"repetition without an operand at {self.pos}")
        return _Info(frozenset({char.casefold()}))

    def group(self) -> _Info:
        verbose = self.verbose
        if self.peek() == "?":
            self.pos += 1
            if (self.peek() == "P" and self.peek(1) == "<") or self.peek() == "<":
                end = self.text.find(">", self.pos)
                if end < 0:
                    raise Unsupported("unclosed group name")
                self.pos = end + 1
            else:
                flags = ""
                while self.peek() not in (":", ")", ""):
                    flags += self.take()
                if not all(c in "imsUux-R" for c in flags):
                    raise Unsupported(f"group kind (?{flags}")
                on = flags.split("-", 1)[0]
                if "x" in flags:
                    self.verbose = "x" in on
                if self.take() == ")":  # (?flags): for the rest of the enclosing group
                    return _EMPTY
        info = self.alternation()
        if self.take() != ")":
            raise Unsupported("unclosed group")
        self.verbose = verbose
        return info

    def escape(self) -> _Info:
        char = self.take()
        if char == "d":
            return _Info(frozenset("0123456789"))
        if char in "DwWsSpP":
            if char in "pP" and self.peek() == "{":
                self.pos = self.text.index("}", self.pos) + 1
            elif char in "pP":
                self.take()
            return _ANY
        if char in "bBAz<>":
            if char in "bB" and self.peek() == "{":
                self.pos = self.text.index("}", self.pos) + 1
            return _EMPTY
        return _Info(frozenset({self.escaped_char(char).casefold()}))

    def escaped_char(self, char: str) -> str:
        """The character of an escape whose backslash and first character ``char`` were read."""
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        if char in "xuU":
            if self.peek() == "{":
                end = self.text.index("}", self.pos)
                digits = self.text[self.pos + 1:end]
                self.pos = end + 1
            else:
                width = {"x": 2, "u": 4, "U": 8}[char]
                digits = self.text[self.pos:self.pos + width]
                self.pos += width
            if not digits or not all(c in _HEX for c in digits):
                raise Unsupported(f"bad escape \\{char}{digits}")
            return chr(int(digits, 16))
        if char.isalnum():
            raise Unsupported(f"unknown escape \\{char}")
        return char

    def char_class(self) -> frozenset[str] | None:
        """Read a class after its ``[``; its case-folded characters when few and plain, else None."""
        chars: set[str] | None = set()
        if self.peek() == "^":
            self.pos += 1
            chars = None
        first = True
        while True:
            char = self.take()
            if char == "]" and not first:
                break
            first = False
            if char == "[":
                if self.peek() == ":":
                    end = self.text.find(":]", self.pos)
                    if end < 0:
                        raise Unsupported("unclosed ASCII class")
                    self.pos = end + 2
                else:
                    self.char_class()
                chars = None
                continue
            if char in "&-~" and self.peek() == char:  # set operations: intersection, difference, symmetric
                self.pos += 1
                chars = None
                continue
            low = self.class_char(char)
            if self.peek() == "-" and self.peek(1) not in ("]", "-", ""):
                self.pos += 1
                high = self.class_char(self.take())
                if low is None or high is None or ord(high) < ord(low):
                    chars = None
                    continue
                if chars is not None and ord(high) - ord(low) < MAX_CLASS:
                    chars.update(chr(c) for c in range(ord(low), ord(high) + 1))
                else:
                    chars = None
            elif low is None:
                chars = None
            elif chars is not None:
                chars.add(low)
        if chars is None:
            return None
        folded = frozenset(c.casefold() for c in chars)
        return folded if 0 < len(folded) <= MAX_CLASS else None

    def class_char(self, char: str) -> str | None:
        """One member of a class; None for a class escape (``\\w``, ``\\p{L}``)."""
        if char != "\\":
            return char
        escaped = self.take()
        if escaped in "dDwWsS":
            return None
        if escaped in "pP":
            if self.peek() == "{":
                self.pos = self.text.index("}", self.pos) + 1
            else:
                self.take()
            return None
        return self.escaped_char(escaped)
