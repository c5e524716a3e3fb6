"""Run the Python rules over in-memory files: the helper every Python rule test uses."""

from __future__ import annotations

from pathlib import Path

from scanner.config import Config
from scanner.knowledge import Knowledge
from scanner.engines.python.project import Project
from scanner.engines.python.rules import REGISTRY
from scanner.engines.python.runner import FileResult, scan_file


def run(code: str, path: str = "app.py", files: tuple[tuple[str, str], ...] = (), root: Path | None = None,
        config: Config | None = None) -> FileResult:
    """Scan ``code`` as ``path`` with every Python rule; ``files`` are other project files."""
    texts = {path: code, **dict(files)}
    project = Project(root or Path("/nonexistent-root"), texts)
    return scan_file(path, code, project, Knowledge.with_config(config or Config()), REGISTRY)


def lines_of(result: FileResult, code: str) -> list[int]:
    """Sorted lines of the findings of rule ``code``."""
    return sorted(f.location.line for f in result.findings if f.rule_id == code)
