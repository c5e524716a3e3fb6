"""The batch prefilters give, for many texts at once, exactly what the per-text prefilters give: the keyword
markers (:func:`matcher.mark_many`) and the catalogue's shape test (:func:`catalogue.wants_many`)."""

from __future__ import annotations

import itertools
import re

import pytest

from scanner.config import Config
from scanner.engines.secrets import matcher, scan_fragments
from scanner.keys import catalogue
from scanner.model import Fragment
from tests.rules.secrets.keys import ALNUM, rand

#: Lines in the shapes real code writes, some marked (a URL, a password, a vendor prefix, a trigger), most not,
#: with non-ASCII text (an emoji makes Python hold the joined text at 4 bytes per character).
LINES = [
    "import os",
    'DATABASE_URL = "postgres://app:Sup3rS3cret@db.example.net/app"',
    "def handler(request):",
    '    return {"ok": True}  # 🎉 done',
    "password = os.environ['DB_PASSWORD']",
    "Grüße aus Köln: sk-not-a-key",
    "    glpat-abcdefghij0123456789",
    "x = 1",
    "",
    "see https://example.com/docs",
    "ßẞ key: value",
    "token_a1b2c3d4e5f6g7h8 = 3",
    "plain words only",
]


def _per_text(groups: list[list[str]]) -> list[set[int]]:
    out = []
    for texts in groups:
        joined = "\n".join(texts)
        out.append(matcher._marked(texts, joined, joined.lower(), True))
    return out


@pytest.mark.parametrize("sizes", [(2,), (3, 0, 5, 1, 4), (13,), (2, 2, 2, 2, 2, 3)])
def test_mark_many_marks_the_lines_each_text_marks_alone(sizes: tuple[int, ...]) -> None:
    lines = itertools.cycle(LINES)
    groups = [[next(lines) for _ in range(n)] for n in sizes]
    marks = matcher.mark_many(groups)
    assert marks == _per_text(groups)
    assert marks is not None and any(marks)


def test_mark_many_marks_lines_like_str_find() -> None:
    texts = LINES
    low = "\n".join(texts).lower()
    starts = list(itertools.accumulate(map(len, texts), lambda total, n: total + n + 1, initial=0))
    assert matcher._mark_all(low, len(texts), True) == matcher._mark(low, starts, matcher._ALL_MARKERS)
    assert matcher._mark_all(low, len(texts), False) == matcher._mark(low, starts, matcher._VENDOR_MARKERS)


def test_mark_many_gives_up_when_lower_casing_changes_the_length() -> None:
    # "İ".lower() is two code points: offsets in the lower-cased text are not those of the lines
    assert matcher.mark_many([["İstanbul", "password = 'x'"], ["token"]]) == [None, None]


def test_low_bytes_lower_cases_ascii_as_str_lower() -> None:
    """The runs of ASCII bytes of ``str.lower()`` (what an ASCII marker can match), or None where a character lower-cases to ASCII (the
    Kelvin sign to ``k``) or to two characters (``İ``); a Kelvin-sign ``key`` is marked as ``str.find`` marks it."""
    for text in ["\n".join(LINES), "ASCII Only KEY=1", "", "Grüße 🎉 TOKEN ẞ"]:
        ours, theirs = matcher._low_bytes(text), text.lower().encode("utf-8")
        assert ours is not None
        assert re.split(rb"[\x80-\xff]+", ours) == re.split(rb"[\x80-\xff]+", theirs)
    assert matcher._low_bytes("\u212aEY = 'x'") is None
    assert matcher._low_bytes("İstanbul") is None
    groups = [["x = 1", "\u212aey: v"], ["plain"]]
    assert matcher.mark_many(groups) == _per_text(groups) == [{1}, set()]


def test_mark_many_joins_bounded_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matcher, "MARK_SLICE", 40)
    groups = [LINES[:3], ["İ password = 'x'"], LINES[3:9], [], LINES[9:], ["a" * 100 + " token"]]
    marks = matcher.mark_many(groups)
    expected = _per_text(groups)
    assert marks[1] is None  # its slice is marked text by text
    assert [m for m in marks if m is not None] == [e for m, e in zip(marks, expected) if m is not None]
    assert len(marks) == len(groups) and marks[-1] == {0}


def test_a_line_holding_a_line_break_is_marked_by_offsets() -> None:
    texts = ["a\nsecret", "b", "key"]
    low = "\n".join(texts).lower()
    assert matcher._mark_all(low, len(texts), True) is None
    joined = "\n".join(texts)
    assert matcher._marked(texts, joined, low, True) == {0, 2}


def _items() -> list[tuple[str, str]]:
    key = "ghp_" + rand(ALNUM, 36)
    return [
        ("app.py", "x = 1\ny = 2"),
        ("app.py", f'TOKEN = "{key}"'),
        ("package-lock.json", f'"integrity": "sha512-{rand(ALNUM, 40)}"'),
        ("a.md", "-----BEGIN RSA PRIVATE KEY-----"),
        ("b.py", "url = 'https://user:pw@host'"),
        ("c.py", ""),
        ("d.py", "handler_1_23 = 4"),
        ("e.py", "Köln 🎉 " + rand(ALNUM, 20)),
        ("f.py", "=" + rand(ALNUM, 16)),
        ("g.py", "short a1b2"),
        ("h.py", "x = \u0661\u0662abcdefghijklmnop"),  # Arabic-Indic digits are digits to Python's \d
        ("i.py", "v = abcdefghijk12"),  # 13 characters: too short
        ("j.py", "v = abcdefghijkl12"),  # 14
        ("k.py", "v = 1abcdefghijkl2 and 12.34"),
        ("l.py", "u = 'redis://ü\u00e9:pw@host'"),
        ("m.py", "é" * 12 + "12"),
    ]


def test_wants_many_is_wants_of_each_text() -> None:
    items = _items()
    expected = [catalogue.wants(path, text) for path, text in items]
    assert catalogue.wants_many(items) == expected
    assert catalogue.wants_many(items[::-1]) == expected[::-1]
    assert True in expected and False in expected
    assert catalogue.wants_many([]) == []


def test_scan_fragments_finds_the_same_keys_batched_or_one_by_one() -> None:
    key = "ghp_" + rand(ALNUM, 36)
    fragments = [Fragment("app.py", ((1, "import os"), (2, f'GITHUB = "{key}"')), "a" * 40, "history"),
                 Fragment("b.py", ((7, "nothing here"),), "b" * 40, "history"),
                 Fragment("c.py", ((3, 'db = "postgres://app:Sup3rS3cret9@db.example.net/app"'),), "c" * 40,
                          "history")]
    together, _ = scan_fragments(fragments, Config())
    alone = [f for fragment in fragments for f in scan_fragments([fragment], Config())[0]]
    assert [(f.rule_id, f.location) for f in together] == [(f.rule_id, f.location) for f in alone]
    assert [(f.location.path, f.location.line) for f in together] == [("app.py", 2), ("c.py", 3)]


@pytest.mark.parametrize("line", [*LINES, "\u212aEY = 'x'", "PRIVATE KEY sk-ant-x ://",
                                  "pk_live_ rk_test_ hooks.slack.com", "İ token=", "a" * 3000 + "xox"])
def test_candidates_are_the_detectors_whose_keyword_occurs(line: str) -> None:
    low = line.lower()  # "\u212a" (Kelvin sign) lower-cases to "k"
    expected = {id(d): d for k in matcher._KEYWORDS if k in low for d in matcher._BY_KEYWORD[k]}
    assert matcher.candidates(line) == sorted(expected.values(), key=lambda d: matcher._ORDER[id(d)])


def test_wants_many_on_random_texts() -> None:
    import random

    rng = random.Random(7)
    pieces = ["a", "Z", "é", "\u0663", "1", "9", "_", "-", ".", "/", "+", "=", "~", " ", "\n", ":", "@", "://",
              "-----BEGIN", "\U0001f389", "x" * 6, "42"]
    items = [(rng.choice(["a.py", "yarn.lock", "b.md"]),
              "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))) for _ in range(3_000)]
    expected = [catalogue.wants(path, text) for path, text in items]
    assert catalogue.wants_many(items) == expected
    assert 100 < sum(expected) < 2_900


def test_wants_many_in_bounded_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "WANTS_SLICE", 30)
    items = _items()
    assert catalogue.wants_many(items) == [catalogue.wants(path, text) for path, text in items]
