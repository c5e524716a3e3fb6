"""Anthropic API and admin keys."""

from __future__ import annotations

from scanner.keys.detectors.base import Detector, keyed


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


class AnthropicAdminKeyDetector(Detector):
    """Anthropic admin key (SEC103).

    Format (Anthropic Admin API docs, https://docs.anthropic.com/en/api/administration-api):
    ``sk-ant-admin01-`` then 80 to 120 characters of ``[A-Za-z0-9_-]``.
    """

    rule_id = "SEC103"
    secret_type = "Anthropic Admin Key"
    keywords = ("sk-ant-",)
    denylist = (keyed(r"sk-ant-admin\d\d-", r"[A-Za-z0-9_-]{80,120}"),)
