"""Model-inference providers: Groq, Replicate, OpenRouter, Perplexity and xAI API keys."""

from __future__ import annotations

from scanner.keys.detectors.base import Detector, keyed


class GroqKeyDetector(Detector):
    """Groq API key (SEC107). Format (https://console.groq.com/keys): ``gsk_`` + 52 ``[A-Za-z0-9]``."""

    rule_id = "SEC107"
    secret_type = "Groq API Key"
    keywords = ("gsk_",)
    denylist = (keyed("gsk_", r"[A-Za-z0-9]{52}"),)


class ReplicateTokenDetector(Detector):
    """Replicate API token (SEC108). Format (https://replicate.com/account/api-tokens): ``r8_`` + 37
    ``[A-Za-z0-9]`` (40 in all)."""

    rule_id = "SEC108"
    secret_type = "Replicate API Token"
    keywords = ("r8_",)
    denylist = (keyed("r8_", r"[A-Za-z0-9]{37}"),)


class OpenRouterKeyDetector(Detector):
    """OpenRouter API key (SEC109). Format (https://openrouter.ai/settings/keys): ``sk-or-v1-`` + 64 lowercase
    hex digits."""

    rule_id = "SEC109"
    secret_type = "OpenRouter API Key"
    keywords = ("sk-or-",)
    denylist = (keyed("sk-or-v1-", r"[0-9a-f]{64}"),)
    priority = 5


class PerplexityKeyDetector(Detector):
    """Perplexity API key (SEC110). Format (https://docs.perplexity.ai, API settings): ``pplx-`` + 48
    ``[A-Za-z0-9]`` (40-64 accepted)."""

    rule_id = "SEC110"
    secret_type = "Perplexity API Key"
    keywords = ("pplx-",)
    denylist = (keyed("pplx-", r"[A-Za-z0-9]{40,64}"),)


class XaiKeyDetector(Detector):
    """xAI API key (SEC111). Format (https://console.x.ai, keys seen in the field): ``xai-`` + 80
    ``[A-Za-z0-9]`` (60-100 accepted)."""

    rule_id = "SEC111"
    secret_type = "xAI API Key"
    keywords = ("xai-",)
    denylist = (keyed("xai-", r"[A-Za-z0-9]{60,100}"),)
