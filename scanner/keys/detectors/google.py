"""Google API keys (Gemini / AI Studio, Maps, Cloud) and Firebase web API keys, which are public by design."""

from __future__ import annotations

import re

from scanner.keys.detectors.base import Detector, keyed

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
