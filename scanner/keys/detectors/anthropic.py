"""Anthropic API and admin keys."""

from __future__ import annotations

import random
from typing import ClassVar

from scanner.keys.detectors.base import URLSAFE, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class AnthropicKeyDetector(Detector):
    """Anthropic API key (SEC102).

    Format (Anthropic console, https://console.anthropic.com/settings/keys): ``sk-ant-api03-`` then 93
    characters of ``[A-Za-z0-9_-]`` ending in ``AA`` (108 in all); other versions are accepted from 80 to 120
    body characters.
    """

    rule_id = "SEC102"
    secret_type = "Anthropic API Key"
    keywords = ("sk-ant-",)
    denylist = (keyed(r"sk-ant-api\d\d-", r"[A-Za-z0-9_-]{80,120}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'ANTHROPIC_API_KEY=sk-ant-api03-...',
        'ANTHROPIC_API_KEY = "sk-ant-api03-' + "x" * 93 + 'AA"',
        'key = "sk-ant-api03-short"',
        'ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sk-ant-api03-" + pick(rng, URLSAFE, 93) + "AA"
        return f"ANTHROPIC_API_KEY={secret}", secret


class AnthropicAdminKeyDetector(Detector):
    """Anthropic admin key (SEC103).

    Format (Anthropic Admin API docs, https://docs.anthropic.com/en/api/administration-api):
    ``sk-ant-admin01-`` then 80 to 120 characters of ``[A-Za-z0-9_-]``.
    """

    rule_id = "SEC103"
    secret_type = "Anthropic Admin Key"
    keywords = ("sk-ant-",)
    denylist = (keyed(r"sk-ant-admin\d\d-", r"[A-Za-z0-9_-]{80,120}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'ANTHROPIC_ADMIN_KEY=sk-ant-admin01-...',
        'key = "sk-ant-admin01-short"',
        'ANTHROPIC_ADMIN_KEY=${ANTHROPIC_ADMIN_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sk-ant-admin01-" + pick(rng, URLSAFE, 93) + "AA"
        return f'key: "{secret}",', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC102", "anthropic-api-key", Severity.CRITICAL, "Anthropic API key",
        vendor="Anthropic",
        page="https://console.anthropic.com/settings/keys",
        example="ANTHROPIC_API_KEY=sk-ant-api03-…",
        shape="`sk-ant-api03-` + 93 characters ending in `AA`",
    ),
    KeySpec(
        "SEC103", "anthropic-admin-key", Severity.CRITICAL, "Anthropic admin key",
        vendor="Anthropic",
        page="https://console.anthropic.com/settings/admin-keys",
        example="ANTHROPIC_ADMIN_KEY=sk-ant-admin01-…",
        shape="`sk-ant-admin01-` + 80-120 characters",
    ),
)
