"""Reporters: pure functions from a ScanResult to text, chosen by format name. They never print."""

from __future__ import annotations

import importlib
from typing import Protocol

from scanner.model import ScanResult


class Reporter(Protocol):
    """A reporter renders a ScanResult; ``width`` is the text width (None: not a terminal, fixed width)."""

    def __call__(self, result: ScanResult, *, width: int | None = None) -> str: ...


#: Format name to ``module:function``; imported only when chosen.
REPORTERS: dict[str, str] = {
    "text": "scanner.reporters.text:render",
    "json": "scanner.reporters.json:render",
    "sarif": "scanner.reporters.sarif:render",
    "markdown": "scanner.reporters.markdown:render",
    "github": "scanner.reporters.github:render",
}


def get_reporter(name: str) -> Reporter:
    """The reporter for a format name.

    Raises:
        KeyError: unknown format. ImportError: the reporter module is missing.
    """
    module_name, _, func = REPORTERS[name].partition(":")
    reporter: Reporter = getattr(importlib.import_module(module_name), func)
    return reporter
