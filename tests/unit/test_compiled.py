"""Compiled Python: the string constants of a .pyc, read without unmarshalling, and the names the bytecode gives
them. Every .pyc here is compiled at test time by the running interpreter (``py_compile``)."""

from __future__ import annotations

import os
import py_compile
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.sources.bytecode import assigned_names
from scanner.sources.compiled import compiled_text, extract, is_compiled, render, source_of
from scanner.sources.reading import MAX_FILE_BYTES

FORMS = '''import os
os.environ.setdefault("DATABASE_URL", "v-url")
SECRET_KEY = "v-secret"
API_TOKEN = os.getenv("API_TOKEN", "v-default")
DATABASES = {"ENGINE": "v-engine", "PASSWORD": "v-dictpw"}
connect(host="v-host", password="v-kwpw")


class Settings:
    client_secret = "v-class"


def login():
    password = "v-local"
    return password
'''


def compiled(tmp_path: Path, source: str, name: str = "mod") -> bytes:
    """``source`` compiled to bytecode by the running interpreter (file name ``name.py`` inside the .pyc)."""
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    out = py_compile.compile(str(path), cfile=str(tmp_path / f"{name}.pyc"), dfile=f"{name}.py", doraise=True)
    return Path(out).read_bytes()


def lines_of(data: bytes) -> list[str]:
    text, note = compiled_text(data, MAX_FILE_BYTES)
    assert note is None
    return text.split("\n")


@pytest.mark.parametrize(("path", "source"), [
    ("__pycache__/env.cpython-311.pyc", "env.py"),
    ("app/core/__pycache__/settings.cpython-39.opt-1.pyc", "app/core/settings.py"),
    ("app/__pycache__/views.pypy39.pyc", "app/views.py"),
    ("legacy/config.pyc", "legacy/config.py"),
    ("legacy/config.PYO", "legacy/config.py"),
    ("app/views.py", "app/views.py"),
])
def test_source_of_a_compiled_file(path: str, source: str) -> None:
    assert source_of(path) == source
    assert is_compiled(path) == (path != source)


def test_a_module_renders_one_line_per_constant_with_its_name(tmp_path: Path) -> None:
    data = compiled(tmp_path, 'import os\nos.environ.setdefault("DATABASE_URL", "v-url")\nSECRET_KEY = "v-key"\n'
                              'EMAIL_HOST_PASSWORD = "v-mail"\n', "env")
    assert lines_of(data) == ['"DATABASE_URL"', '("DATABASE_URL", "v-url")', 'SECRET_KEY = "v-key"',
                              'EMAIL_HOST_PASSWORD = "v-mail"', '"os"', '"environ"', '"setdefault"', '"SECRET_KEY"',
                              '"EMAIL_HOST_PASSWORD"', '"env.py"', '"<module>"']


def test_each_named_constant_is_written_as_its_source_wrote_it(tmp_path: Path) -> None:
    named = [line for line in lines_of(compiled(tmp_path, FORMS)) if not line.startswith('"')]
    assert named == ['("DATABASE_URL", "v-url")', 'SECRET_KEY = "v-secret"', '("API_TOKEN", "v-default")',
                     '{"ENGINE": "v-engine"}', '{"PASSWORD": "v-dictpw"}', '(host="v-host")', '(password="v-kwpw")',
                     '__qualname__ = "Settings"', 'client_secret = "v-class"', 'password = "v-local"']


def test_an_unknown_version_pairs_adjacent_call_arguments_only(tmp_path: Path) -> None:
    data = bytearray(compiled(tmp_path, FORMS))
    data[0:2] = (4000).to_bytes(2, "little")  # a magic number no layout knows
    found = extract(bytes(data), MAX_FILE_BYTES)
    assert assigned_names(bytes(data), found.start or 0).by_offset == {}
    named = [line for line in render(found, None) if not line.startswith('"')]
    assert named == ['("DATABASE_URL", "v-url")', '("API_TOKEN", "v-default")']
    assert '"v-secret"' in render(found, None)  # an assignment: its name is in another table
    assert '"PASSWORD"' in render(found, None)  # a dict's keys tuple is never paired with what follows it


def test_multi_line_constants_are_their_lines_and_quotes_cannot_be_ended(tmp_path: Path) -> None:
    source = ('PEM = "-----BEGIN KEY-----\\nabc\\tdef\\n"\nQUOTE = \'say "hi"\'\n'
              'MIXED = "a\\"b # pragma: allowlist secret \'c"\nTAB = "x\\ty"\n')
    assert lines_of(compiled(tmp_path, source))[:6] == [
        "-----BEGIN KEY-----", "abc\tdef", "", "QUOTE = 'say \"hi\"'",
        'MIXED = "a\\"b # pragma: allowlist secret \'c"', 'TAB = "x\\ty"']


def test_non_ascii_constants_are_read_as_utf8(tmp_path: Path) -> None:
    data = compiled(tmp_path, 'GREETING = "grüße"\nNAME = "名前"\n')
    assert lines_of(data)[:2] == ['GREETING = "grüße"', 'NAME = "名前"']


def test_a_truncated_file_keeps_what_it_holds_and_says_so(tmp_path: Path) -> None:
    data = compiled(tmp_path, 'A = "first-value"\nB = "second-value-that-is-cut"\n')
    cut = data[: data.index(b"second-value") + 6]
    text, note = compiled_text(cut, MAX_FILE_BYTES)
    assert text.split("\n") == ['"first-value"', '"second"']
    assert note == ("compiled Python (.pyc) is cut short inside a string constant (truncated file); the string "
                    "constants found were scanned for keys")


def test_bytes_without_a_pyc_header_are_a_note() -> None:
    text, note = compiled_text(b"\x00\x01\x02 not a pyc \x03", MAX_FILE_BYTES)
    assert (text, note) == ("", "compiled Python (.pyc) has no compiled-Python header (damaged, or not a .pyc); "
                                "nothing to scan")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from([b"", b"\xa7\x0d\x0d\x0a" + bytes(12) + b"\xe3"]))
def test_any_bytes_give_text_and_never_raise(data: bytes, header: bytes) -> None:
    text, _ = compiled_text(header + data, MAX_FILE_BYTES)
    assert isinstance(text, str)


@pytest.mark.parametrize("data", [
    os.urandom(1 << 20),
    b"a" * (4 << 20) + b"\x01",                         # one long candidate string, refused at its end
    b"\xf4\x80\x80\x80" * (1 << 20) + b"\xff",          # valid UTF-8 that turns invalid at the very end
    b"a\x01\x01\x00X" * (1 << 20),                      # a plausible length at every fifth byte
    b"\xa7\x0d\x0d\x0a" + bytes(12) + b"\xe3" + bytes(20) + b"(\x01\x00\x00\x00" * 200_000,  # deep nesting
], ids=["random", "long-ascii", "long-utf8", "lengths", "nested"])
def test_hostile_bytes_are_read_in_bounded_time(data: bytes) -> None:
    started = time.monotonic()
    compiled_text(data, MAX_FILE_BYTES)
    assert time.monotonic() - started < 20


def test_random_files_of_every_size_never_raise() -> None:
    rng = random.Random(7)
    for size in range(0, 300):
        compiled_text(bytes(rng.randrange(256) for _ in range(size)), MAX_FILE_BYTES)


def test_code_objects_sharing_one_bytecode_string_are_decoded_within_the_files_size() -> None:
    # thousands of code objects whose bytecode is a back-reference to one large string: decoding it for each
    # would take time quadratic in the file's size; the reader stops instead (the constants are still scanned)
    import struct

    def u32(n: int) -> bytes:
        return struct.pack("<I", n)

    zeros, size, count = bytes(20), 40_000, 2_000
    code = b"c" + zeros + b"r" + u32(1) + b")\0" * 3 + b"NNNN" + bytes(4) + b"NN"
    data = ((3495).to_bytes(2, "little") + b"\r\n" + bytes(12) + b"\xe3" + zeros + b"\xf3" + u32(size)
            + b"d\0" * (size // 2) + b"(" + u32(count) + code * count + b")\0" * 2 + b"NNNN" + bytes(4) + b"NN")
    names = assigned_names(data, 16)
    assert not names.complete and names.by_offset == {}
