"""Google API keys (Gemini / AI Studio, Maps, Cloud), Firebase web API keys, which are public by design, and
Google OAuth client secrets."""

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


class GoogleOAuthClientSecretDetector(Detector):
    """Google OAuth 2.0 client secret (SEC142): with the client id (public, in the sign-in URL) it lets anyone
    run the app's OAuth flows as the app (exchange codes, refresh tokens a leak exposes).

    Format (Google Cloud "Client secrets" change of 2021, https://support.google.com/cloud/answer/15549257):
    ``GOCSPX-`` then 28 characters of ``[0-9A-Za-z_-]`` (35 in all).
    """

    rule_id = "SEC142"
    secret_type = "Google OAuth Client Secret"
    keywords = ("gocspx-",)
    denylist = (keyed("GOCSPX-", r"[0-9A-Za-z_-]{28}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "GOOGLE_CLIENT_SECRET=GOCSPX-" + "x" * 28,
        "GOOGLE_CLIENT_SECRET=GOCSPX-your-client-secret",
        'GOOGLE_CLIENT_SECRET="GOCSPX-..."',
        "clientSecret: process.env.GOOGLE_CLIENT_SECRET,  // GOCSPX-…",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "GOCSPX-" + pick(rng, URLSAFE, 28)
        return f'oauth = GoogleOAuth2("1234-abc.apps.googleusercontent.com", "{secret}")', secret


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
    KeySpec(
        "SEC142", "google-oauth-client-secret", Severity.HIGH, "Google OAuth client secret",
        vendor="Google Cloud",
        page="https://console.cloud.google.com/apis/credentials (OAuth 2.0 Client IDs)",
        example="GOOGLE_CLIENT_SECRET=GOCSPX-…",
        shape="`GOCSPX-` + 28 characters of `[0-9A-Za-z_-]`",
    ),
)
