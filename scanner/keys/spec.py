"""The documentation row of one key rule, kept in the detector file that reports it."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.model import Severity


@dataclass(frozen=True)
class KeySpec:
    """What a key rule is, for its rule help and messages: ``id`` (``SEC102``), ``slug``, ``severity``, the
    key's ``name`` ("Anthropic API key"), the ``vendor`` and its key-management ``page`` (where to revoke it),
    a redacted ``example`` line (never a whole key), the key's format in one Markdown phrase (``shape``, "" when
    a detect-secrets plugin defines it) and the rule's ``precision`` (SARIF ``precision``: high, medium)."""

    id: str
    slug: str
    severity: Severity
    name: str
    vendor: str
    page: str
    example: str
    shape: str = ""
    precision: str = "high"
