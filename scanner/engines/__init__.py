"""The engine registry: engine name to the dotted path of its class, imported only when used (fast hook)."""

from __future__ import annotations

import importlib

from scanner.engines.base import Engine

#: Engines in the order they run. A plain dict, like pre-commit's ``all_languages.py``.
ENGINES: dict[str, str] = {
    "secrets": "scanner.engines.secrets:SecretsEngine",
    "python": "scanner.engines.python:PythonEngine",
    "semgrep": "scanner.engines.semgrep:SemgrepEngine",
    "config": "scanner.engines.config_files:ConfigEngine",
    "patterns": "scanner.engines.patterns:PatternsEngine",
}


def load_engine(name: str) -> Engine:
    """Import and instantiate the engine registered under ``name``.

    Raises:
        KeyError: no such engine. ImportError: its module is missing.
    """
    module_name, _, class_name = ENGINES[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    engine: Engine = cls()
    return engine


def available_engines() -> list[str]:
    """Registered engine names whose module imports (an engine still being built is left out)."""
    names = []
    for name, target in ENGINES.items():
        try:
            importlib.import_module(target.partition(":")[0])
        except ModuleNotFoundError:
            continue
        names.append(name)
    return names
