"""File names that are not valid UTF-8: git's C-quoting and back (scanner.pathnames)."""

from __future__ import annotations

import pytest

from scanner.pathnames import is_undecodable, quote_path, unquote_path


def _name(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@pytest.mark.parametrize(("raw", "quoted"), [
    (b"bad\xff\xfename.py", '"bad\\377\\376name.py"'),
    (b"dir/\xe9t\xe9.py", '"dir/\\351t\\351.py"'),
    (b"caf\xc3\xa9/\xff.py", '"caf\\303\\251/\\377.py"'),  # as git: every byte >= 0x80 quoted once quoting
    (b'a"b\\c\t\xff', '"a\\"b\\\\c\\t\\377"'),
    (b'"quoted".py', '"\\"quoted\\".py"'),  # a valid name starting with a quote is quoted, so it reads back
])
def test_quote_and_unquote_round_trip(raw: bytes, quoted: str) -> None:
    name = _name(raw)
    assert quote_path(name) == quoted
    assert unquote_path(quoted) == name


@pytest.mark.parametrize("name", ["app.py", "dir/caf\u00e9.py", "a b:c.py", "x\"y.py", ""])
def test_valid_names_are_unchanged(name: str) -> None:
    assert quote_path(name) == name
    assert unquote_path(name) == name
    assert not is_undecodable(name)


def test_is_undecodable() -> None:
    assert is_undecodable(_name(b"a\xff"))


def test_bad_escape_is_an_error() -> None:
    with pytest.raises(ValueError, match="bad escape"):
        unquote_path('"a\\q"')
    with pytest.raises(ValueError, match="bad escape"):
        unquote_path('"a\\37"')
