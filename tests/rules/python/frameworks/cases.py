"""Run the Python engine over a small in-memory project: the helper of the per-framework tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scanner.config import Config
from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.python import PythonEngine
from scanner.model import ScanFile


@dataclass(frozen=True)
class Case:
    """A project (path -> text) and the findings expected in it: ``(rule, path, line)``, exactly; ``says``
    are substrings the findings' messages must hold, together."""

    files: dict[str, str]
    expect: list[tuple[str, str, int]] = field(default_factory=list)
    says: tuple[str, ...] = ()


def scan(tmp_path: Path, files: dict[str, str]) -> EngineOutput:
    """The Python engine's output for ``files`` (auth, logging and CORS rules)."""
    scan_files = tuple(ScanFile(p, t) for p, t in files.items())
    ctx = ScanContext(tmp_path, scan_files, Config(), families=("auth", "logging", "cors"), jobs=1)
    return PythonEngine().scan(ctx)


def check(tmp_path: Path, case: Case) -> None:
    """Assert the case: exactly the expected findings, and every expected message part."""
    out = scan(tmp_path, case.files)
    found = sorted((f.rule_id, f.location.path, f.location.line) for f in out.findings)
    assert not out.notifications
    assert found == sorted(case.expect)
    messages = " | ".join(f.message for f in out.findings)
    for part in case.says:
        assert part in messages
