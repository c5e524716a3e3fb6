"""Compatibility import: the placeholder checks live in the key library (:mod:`scanner.keys.placeholders`)."""

from __future__ import annotations

from scanner.keys.placeholders import is_placeholder, low_entropy

__all__ = ["is_placeholder", "low_entropy"]
