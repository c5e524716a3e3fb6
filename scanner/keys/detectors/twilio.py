"""Twilio credentials: an auth token or API-key secret next to its account or key SID."""

from __future__ import annotations

import random
import re
from typing import ClassVar

from scanner.keys.detectors.base import HEX, Detector, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class TwilioDetector(Detector):
    """Twilio auth token or API-key secret (SEC123).

    Format (https://www.twilio.com/docs/iam/api-keys, https://www.twilio.com/docs/iam/credentials): account
    SIDs are ``AC`` + 32 hex, API key SIDs ``SK`` + 32 hex (identifiers, not secrets by themselves); the auth
    token and the API-key secret are 32 characters (hex for auth tokens). Found as ``SID:secret`` pairs, as
    the second argument of ``Client("AC…", "…")``, or assigned to a name holding ``auth_token`` or
    ``twilio…secret``.
    """

    rule_id = "SEC123"
    secret_type = "Twilio Credentials"
    keywords = ("twilio", "auth_token", "authtoken", "client(")
    denylist = (
        re.compile(r"(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}:(?P<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])"),
        re.compile(r"(?<![A-Za-z0-9])AC[0-9a-f]{32}[\"']\s{0,5},\s{0,5}[\"'](?P<secret>[0-9a-f]{32})[\"']"),
        re.compile(r"(?i)(?:auth_?token|twilio\w{0,20}secret)\w{0,20}[\"']?\s{0,5}[:=]\s{0,5}[\"']?"
                   r"(?P<secret>[0-9a-f]{32})(?![0-9A-Za-z])"),
    )

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef',
        'auth_token = os.environ["TWILIO_AUTH_TOKEN"]',
        'TWILIO_AUTH_TOKEN=your_auth_token',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = pick(rng, HEX, 32)
        return f"TWILIO_AUTH_TOKEN={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC123", "twilio-credentials", Severity.HIGH, "Twilio auth token or API key secret",
        vendor="Twilio",
        page="https://console.twilio.com/us1/account/keys-credentials/api-keys",
        example="TWILIO_AUTH_TOKEN=9f2c…",
        shape="a 32-character auth token or API-key secret next to an `AC…`/`SK…` SID or an `auth_token` name",
    ),
)
