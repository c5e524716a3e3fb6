"""The Python engine (libcst): routes without auth, wildcard CORS and sensitive logging in Python files.

:class:`PythonEngine` here is a light front: its rules come from ``scanner.rulebook`` and libcst with the rule
classes (``scanner.engines.python.engine``, ~0.9 s to import) is imported only when a scan holds a Python file,
so a full scan of a JS-only repository does not pay for it."""

from __future__ import annotations

from scanner import rulebook
from scanner.engines.base import EngineOutput, ScanContext
from scanner.model import Rule

__all__ = ["RULE_CODES", "PythonEngine"]

#: The codes of ``scanner.engines.python.rules.REGISTRY`` in its order (a test keeps the two equal).
RULE_CODES = ("AUTH301", "AUTH302", "AUTH303", "AUTH304", "AUTH305", "LOG401", "LOG402", "LOG403", "LOG404",
              "LOG405", "CORS501", "CORS502", "CORS503", "CORS504", "AUTH306", "SEC193", "LR604", "AUTH307",
              "LR601", "LR602", "LR603")
_ORIGINS = ("source", "staged")


class PythonEngine:
    """Route auth (AUTH3xx), CORS (CORS5xx), logging (LOG4xx) and launch rules for Python, on libcst."""

    name = "python"

    def rules(self) -> tuple[Rule, ...]:
        """The shared ``Rule`` of every registered Python rule."""
        return tuple(rulebook.rule(code) for code in RULE_CODES)

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Scan the ``.py`` files of ``ctx`` (nothing to import or do when there are none); unparsable files
        become ``parse-error`` notes."""
        if not any(f.origin in _ORIGINS and f.path.endswith(".py") for f in ctx.files):
            return EngineOutput()
        from scanner.engines.python.engine import PythonEngine as Engine

        return Engine().scan(ctx)
