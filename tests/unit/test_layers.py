"""The import graph follows DESIGN.md's layers: sources never run an engine, diffscan and api do not import each
other, the model imports nothing of ours, reporters never scan (issue 9 item 8)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "scanner"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every ``scanner.*`` module ``path`` imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module") and node.args and \
                isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.add(node.args[0].value)  # importlib.import_module("scanner.engines...") counts too
    return {name for name in found if name.startswith("scanner")}


GRAPH = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}

#: (importer prefix, forbidden prefixes)
RULES = [
    ("scanner.model", ("scanner.",)),
    ("scanner.keys", ("scanner.engines", "scanner.sources", "scanner.pipeline", "scanner.api", "scanner.diffscan",
                      "scanner.reporters", "scanner.cli", "scanner.filters")),
    ("scanner.sources", ("scanner.engines", "scanner.pipeline", "scanner.api", "scanner.diffscan",
                         "scanner.reporters", "scanner.cli", "scanner.filters")),
    ("scanner.engines", ("scanner.pipeline", "scanner.api", "scanner.diffscan", "scanner.reporters",
                         "scanner.cli")),
    ("scanner.pipeline", ("scanner.api", "scanner.diffscan", "scanner.reporters", "scanner.cli")),
    ("scanner.diffscan", ("scanner.api", "scanner.reporters", "scanner.cli")),
    ("scanner.reporters", ("scanner.sources", "scanner.engines", "scanner.pipeline", "scanner.api",
                           "scanner.diffscan", "scanner.git", "scanner.gitquery", "scanner.cli")),
]


@pytest.mark.parametrize(("importer", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_layer_imports(importer: str, forbidden: tuple[str, ...]) -> None:
    bad = sorted(f"{mod} imports {name}" for mod, names in GRAPH.items()
                 if mod == importer or mod.startswith(importer + ".")
                 for name in names if name.startswith(forbidden))
    assert bad == []


def test_the_graph_was_read() -> None:
    assert "scanner.sources.history" in GRAPH and "scanner.pipeline" in GRAPH
