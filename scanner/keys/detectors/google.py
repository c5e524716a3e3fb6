"""Google API keys (Gemini / AI Studio, Maps, Cloud) and Firebase web API keys, which are public by design."""

from __future__ import annotations

import random
import re
from typing import ClassVar

from scanner.keys.detectors.base import URLSAFE, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity

_FIREBASE_LINE = re.compile(r"(?i)apiKey[\"']?\s{0,5}[:=]|firebase")


class GoogleApiKeyDetector(Detector):
    """Google API key (SEC104), or a Firebase web API key (SEC105, info).

    Format (Google Cloud "API keys" docs, https://cloud.google.com/docs/authentication/api-keys):
    ``AIza`` then 35 characters of ``[0-9A-Za-z_-]`` (39 in all). A Firebase web config (``apiKey: "AIza…"``
    in a file that mentions Firebase) holds a key that is meant to be public; it is reported as SEC105 (info).
    """

    rule_id = "SEC104"
    secret_type = "Google API Key"
    keywords = ("aiza",)
    denylist = (keyed("AIza", r"[0-9A-Za-z_-]{35}"),)

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC105 for a Firebase web config key, else SEC104."""
        if "firebase" in hints and _FIREBASE_LINE.search(line):
            return "SEC105"
        return self.rule_id

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "GEMINI_API_KEY=AIza" + "X" * 35,
        'const key = "AIzaSyShort";',
        'GOOGLE_API_KEY=${GOOGLE_API_KEY}',
        'key = "AIza" + suffix',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "AIza" + pick(rng, URLSAFE, 35)
        return f'const GEMINI_KEY = "{secret}";', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC104", "google-api-key", Severity.HIGH, "Google API key",
        vendor="Google Cloud / Google AI Studio",
        page="https://console.cloud.google.com/apis/credentials",
        example="GEMINI_API_KEY=AIzaSy…",
        shape="`AIza` + 35 characters of `[0-9A-Za-z_-]`",
    ),
    KeySpec(
        "SEC105", "firebase-web-api-key", Severity.INFO, "Firebase web API key (public by design)",
        vendor="Firebase",
        page="https://console.firebase.google.com/project/_/settings/general",
        example='apiKey: "AIzaSy…",',
        shape="`AIza…` as the `apiKey` of a Firebase web config",
    ),
)
