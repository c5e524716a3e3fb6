"""Sources turn where text comes from (work tree, index, history) into files and fragments with provenance."""

from __future__ import annotations

from scanner.model import ORIGINS, Fragment, ScanFile

__all__ = ["ORIGINS", "Fragment", "ScanFile"]
