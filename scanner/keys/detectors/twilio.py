"""Twilio credentials: an auth token or API-key secret next to its account or key SID."""

from __future__ import annotations

import re

from scanner.keys.detectors.base import Detector


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
