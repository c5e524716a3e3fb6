"""The registry of Python rules: one explicit list (a test fails when a rule class is not in it)."""

from __future__ import annotations

from scanner.engines.python.base import PythonRule
from scanner.engines.python.rules import auth, cors, logging

#: Every Python rule, in code order.
REGISTRY: tuple[type[PythonRule], ...] = (*auth.RULES, *logging.RULES, *cors.RULES)
