"""Model-inference providers: Groq, Replicate, OpenRouter, Perplexity and xAI API keys."""

from __future__ import annotations

import random
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, HEX, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class GroqKeyDetector(Detector):
    """Groq API key (SEC107). Format (https://console.groq.com/keys): ``gsk_`` + 52 ``[A-Za-z0-9]``."""

    rule_id = "SEC107"
    secret_type = "Groq API Key"
    keywords = ("gsk_",)
    denylist = (keyed("gsk_", r"[A-Za-z0-9]{52}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'GROQ_API_KEY=gsk_...',
        'GROQ_API_KEY = "gsk_' + "x" * 52 + '"',
        'key = "gsk_abc123"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "gsk_" + pick(rng, ALNUM, 52)
        return f"GROQ_API_KEY={secret}", secret


class ReplicateTokenDetector(Detector):
    """Replicate API token (SEC108). Format (https://replicate.com/account/api-tokens): ``r8_`` + 37
    ``[A-Za-z0-9]`` (40 in all)."""

    rule_id = "SEC108"
    secret_type = "Replicate API Token"
    keywords = ("r8_",)
    denylist = (keyed("r8_", r"[A-Za-z0-9]{37}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'REPLICATE_API_TOKEN=r8_...',
        'token = "r8_abc123"',
        'REPLICATE_API_TOKEN=${REPLICATE_API_TOKEN}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "r8_" + pick(rng, ALNUM, 37)
        return f"REPLICATE_API_TOKEN={secret}", secret


class OpenRouterKeyDetector(Detector):
    """OpenRouter API key (SEC109). Format (https://openrouter.ai/settings/keys): ``sk-or-v1-`` + 64 lowercase
    hex digits."""

    rule_id = "SEC109"
    secret_type = "OpenRouter API Key"
    keywords = ("sk-or-",)
    denylist = (keyed("sk-or-v1-", r"[0-9a-f]{64}"),)
    priority = 5

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'OPENROUTER_API_KEY=sk-or-v1-...',
        'apiKey: "sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000",',
        'key = "sk-or-v1-abc123"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sk-or-v1-" + pick(rng, HEX, 64)
        return f'apiKey: "{secret}",', secret


class PerplexityKeyDetector(Detector):
    """Perplexity API key (SEC110). Format (https://docs.perplexity.ai, API settings): ``pplx-`` + 48
    ``[A-Za-z0-9]`` (40-64 accepted)."""

    rule_id = "SEC110"
    secret_type = "Perplexity API Key"
    keywords = ("pplx-",)
    denylist = (keyed("pplx-", r"[A-Za-z0-9]{40,64}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'PERPLEXITY_API_KEY=pplx-...',
        'key = "pplx-abc123"',
        'PERPLEXITY_API_KEY=${PERPLEXITY_API_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "pplx-" + pick(rng, ALNUM, 48)
        return f"PPLX_KEY={secret}", secret


class XaiKeyDetector(Detector):
    """xAI API key (SEC111). Format (https://console.x.ai, keys seen in the field): ``xai-`` + 80
    ``[A-Za-z0-9]`` (60-100 accepted)."""

    rule_id = "SEC111"
    secret_type = "xAI API Key"
    keywords = ("xai-",)
    denylist = (keyed("xai-", r"[A-Za-z0-9]{60,100}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'XAI_API_KEY=xai-...',
        'key = "xai-abc123"',
        'XAI_API_KEY=${XAI_API_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "xai-" + pick(rng, ALNUM, 80)
        return f"XAI_API_KEY={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC107", "groq-api-key", Severity.CRITICAL, "Groq API key",
        vendor="Groq",
        page="https://console.groq.com/keys",
        example="GROQ_API_KEY=gsk_sPgM…",
        shape="`gsk_` + 52 characters",
    ),
    KeySpec(
        "SEC108", "replicate-api-token", Severity.CRITICAL, "Replicate API token",
        vendor="Replicate",
        page="https://replicate.com/account/api-tokens",
        example="REPLICATE_API_TOKEN=r8_S61L…",
        shape="`r8_` + 37 characters",
    ),
    KeySpec(
        "SEC109", "openrouter-api-key", Severity.CRITICAL, "OpenRouter API key",
        vendor="OpenRouter",
        page="https://openrouter.ai/settings/keys",
        example="OPENROUTER_API_KEY=sk-or-v1-…",
        shape="`sk-or-v1-` + 64 hex digits",
    ),
    KeySpec(
        "SEC110", "perplexity-api-key", Severity.CRITICAL, "Perplexity API key",
        vendor="Perplexity",
        page="https://www.perplexity.ai/settings/api",
        example="PERPLEXITY_API_KEY=pplx-…",
        shape="`pplx-` + 48 characters",
    ),
    KeySpec(
        "SEC111", "xai-api-key", Severity.CRITICAL, "xAI API key",
        vendor="xAI",
        page="https://console.x.ai",
        example="XAI_API_KEY=xai-…",
        shape="`xai-` + 80 characters",
    ),
)
