"""The Python engine (libcst): routes without auth, wildcard CORS and sensitive logging in Python files."""

from __future__ import annotations

from scanner.engines.python.engine import PythonEngine

__all__ = ["PythonEngine"]
