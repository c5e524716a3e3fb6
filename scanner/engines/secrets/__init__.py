"""The secrets engine package: hard-coded credentials (SEC rules) and keys in client bundles (EXP204).

Public entry points: :class:`SecretsEngine` (the engine), :func:`scan_fragments` (for the history and staged
sources, safe in worker processes) and :func:`classify_value` (which secret rule a bare value matches).
"""

from __future__ import annotations

from scanner.engines.secrets.engine import SecretsEngine, classify_value, scan_fragments

__all__ = ["SecretsEngine", "classify_value", "scan_fragments"]
