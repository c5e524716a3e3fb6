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
    "launch": "scanner.engines.launch:LaunchEngine",
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


#: The rule families each engine can report; a scan runs only the engines whose families it asks for, so the
#: secrets-only hook never imports libcst or looks for semgrep.
ENGINE_FAMILIES: dict[str, frozenset[str]] = {
    "secrets": frozenset({"secrets", "client-exposure"}),
    "python": frozenset({"auth", "logging", "cors", "launch"}),
    "semgrep": frozenset({"client-exposure", "auth", "logging", "cors", "launch"}),
    "config": frozenset({"client-exposure", "cors"}),
    "patterns": frozenset({"secrets"}),
    "launch": frozenset({"launch"}),
}


def available_engines(families: tuple[str, ...] | None = None) -> list[str]:
    """Registered engine names, in run order; with ``families``, only engines that report one of them.
    An engine missing from ``ENGINE_FAMILIES`` (one a test or plugin registers) runs for every family.
    Nothing is imported here."""
    if families is None:
        return list(ENGINES)
    wanted = set(families)
    return [name for name in ENGINES if ENGINE_FAMILIES.get(name, wanted) & wanted]
