"""Hugging Face user access tokens and legacy organisation API tokens."""

from __future__ import annotations

import random
import string
from typing import ClassVar

from scanner.keys.detectors.base import Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class HuggingFaceTokenDetector(Detector):
    """Hugging Face token (SEC106).

    Format (https://huggingface.co/docs/hub/security-tokens): user access tokens are ``hf_`` + 34 ASCII
    letters (``[A-Za-z]``); legacy organisation tokens are ``api_org_`` + 34 letters.
    """

    rule_id = "SEC106"
    secret_type = "Hugging Face Token"
    keywords = ("hf_", "api_org_")
    denylist = (keyed("hf_", r"[A-Za-z]{34}"), keyed("api_org_", r"[A-Za-z]{34}"))

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "HF_TOKEN=hf_" + "x" * 34,
        'from huggingface_hub import hf_hub_download',
        'token = "hf_abc"',
        'HF_TOKEN=${HF_TOKEN}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "hf_" + pick(rng, string.ascii_letters, 34)
        return f"HF_TOKEN={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC106", "huggingface-token", Severity.CRITICAL, "Hugging Face access token",
        vendor="Hugging Face",
        page="https://huggingface.co/settings/tokens",
        example="HF_TOKEN=hf_CARG…",
        shape="`hf_` + 34 letters, or a legacy `api_org_` token",
    ),
)
