"""Hugging Face user access tokens and legacy organisation API tokens."""

from __future__ import annotations

from scanner.keys.detectors.base import Detector, keyed


class HuggingFaceTokenDetector(Detector):
    """Hugging Face token (SEC106).

    Format (https://huggingface.co/docs/hub/security-tokens): user access tokens are ``hf_`` + 34 ASCII
    letters (``[A-Za-z]``); legacy organisation tokens are ``api_org_`` + 34 letters.
    """

    rule_id = "SEC106"
    secret_type = "Hugging Face Token"
    keywords = ("hf_", "api_org_")
    denylist = (keyed("hf_", r"[A-Za-z]{34}"), keyed("api_org_", r"[A-Za-z]{34}"))
