"""The RE2 supersets never reject a line the adapter's Python prefilters accept (checked on shapes that pass them
and on random lines built from the pieces where Unicode classes and byte counts differ)."""

from __future__ import annotations

import random

import pytest

from scanner.engines.secrets import adapter
from scanner.engines.secrets.supersets import may_want

#: Lines that pass the Python prefilters, in the shapes real files write.
PASSING = [
    'password = "hunter2hunter2"', "DB_PASS\u00a0:=\u3000'x9f3kQ'", "api_key=>'abcd1234'", "token:\x0b\x1c`abcd`",
    "secret_ключ = \"значение\"", "AccountKey=abc", "GLPAT-abcdefghij", "Gr1348941xyz", "pypi-AgEIcHlwaS5vcmc",
    "sq0csp-abc", "key-us\u0663", "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668:" + "é" * 35, "x IBM y",
    "AKC" + "a" * 10, "AP\u0663" + "b" * 8, "APF" + "Zz9" * 3, "x." + "é" * 6 + "." + "ß" * 27, "HMAC",
]
_PIECES = ["pass", "password", "pwd", "secret", "token", "api_key", "apikey", "private_key", "credential",
           "=", ":", ":=", "=>", " ", "\u00a0", "\u3000", "\x0b", "\x1c", "\t", '"', "'", "`", "]", ";", ",", ")",
           "é", "ß", "\u0663", "\u0661", "1", "9", "a", "Z", "AP", "AKC", ".", "-", "_", "-us", "gl", "pat",
           "GR", "1348941", "ibm", "hmac", "pypi-ag", "sq0csp-", "os.", "env", "\U0001f389", "@", "/", "{"]


def _python(line: str) -> bool:
    return adapter.PREFILTER.search(line.lower()) is not None or adapter._CASED.search(line) is not None


@pytest.mark.parametrize("line", PASSING)
def test_lines_the_prefilters_pass_pass_the_supersets(line: str) -> None:
    assert _python(line)
    assert may_want(line, line.lower())


def test_random_lines_never_pass_python_and_fail_the_superset() -> None:
    rng = random.Random(20261202)
    passed = 0
    for _ in range(20_000):
        line = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40)))
        if _python(line):
            passed += 1
            assert may_want(line, line.lower()), line
    assert passed > 1_000


@pytest.mark.parametrize("line", ["see https://example.com/docs", "import os", "x = key_fn(1)", "d.a.b"])
def test_ordinary_lines_are_rejected_quickly(line: str) -> None:
    assert not may_want(line, line.lower())
    assert not adapter.wants(line)


def test_the_line_filter_set_lets_through_every_line_the_prefilters_pass() -> None:
    from scanner.engines.secrets.matcher import _line_filters

    rng = random.Random(11)
    lines = [*PASSING, *("".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))) for _ in range(20_000))]
    for line in lines:
        if _python(line):
            assert _line_filters(line)[1], line
    assert not _line_filters("see https://example.com/docs")[1]
