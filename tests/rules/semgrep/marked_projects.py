"""Small JS/TS projects written to a temporary folder and scanned with the semgrep engine; each file marks the
findings it must produce with a ``// expect: CODE [CODE ...]`` comment on the finding's line."""

from __future__ import annotations

import re
from pathlib import Path

from scanner.api import ScanOptions, scan
from scanner.config import Config

_MARK = re.compile(r"// expect: ([A-Z0-9 ]+)")


def scan_project(root: Path, files: dict[str, str], codes: tuple[str, ...], package_json: str,
                 extra: dict[str, str] | None = None) -> set[tuple[str, str, int]]:
    """Write ``files`` (path -> text), ``package.json`` and ``extra`` files under ``root``, scan with the semgrep
    engine and return the ``(rule, path, line)`` of the findings whose rule is in ``codes``. Asserts the scan is
    complete."""
    for path, text in {**files, "package.json": package_json, **(extra or {})}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    result = scan(root, Config(), ScanOptions(engines=("semgrep",)))
    assert not result.incomplete, result.notifications
    return {(f.rule_id, f.location.path, f.location.line) for f in result.findings if f.rule_id in codes}


def marked(files: dict[str, str], codes: tuple[str, ...] | None = None) -> set[tuple[str, str, int]]:
    """The ``(rule, path, line)`` each ``// expect:`` comment of ``files`` names (only rules in ``codes`` when
    given)."""
    out = set()
    for path, text in files.items():
        for number, line in enumerate(text.split("\n"), 1):
            found = _MARK.search(line)
            if found:
                out |= {(c, path, number) for c in found.group(1).split() if codes is None or c in codes}
    return out
