"""Transactional e-mail APIs: Resend and SendGrid keys."""

from __future__ import annotations

import re

from scanner.keys.detectors.base import Detector, keyed

_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-Z]")


class ResendKeyDetector(Detector):
    """Resend API key (SEC121). Format (https://resend.com/docs/dashboard/api-keys/introduction): ``re_`` + 8
    ``[A-Za-z0-9]`` + ``_`` + 24 ``[A-Za-z0-9]``. A value without digits or capitals is taken for an
    identifier (``re_compile_…``), not a key."""

    rule_id = "SEC121"
    secret_type = "Resend API Key"
    keywords = ("re_",)
    denylist = (keyed("re_", r"[A-Za-z0-9]{8}_[A-Za-z0-9]{24}"),)

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """None for an identifier-like value."""
        body = value[3:]
        return self.rule_id if _DIGIT.search(body) and _UPPER.search(body) else None


class SendGridKeyDetector(Detector):
    """SendGrid API key (SEC122). Format (https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys):
    ``SG.`` + 22 ``[A-Za-z0-9_-]`` + ``.`` + 43 ``[A-Za-z0-9_-]`` (69 in all)."""

    rule_id = "SEC122"
    secret_type = "SendGrid API Key"
    keywords = ("sg.",)
    denylist = (keyed(r"SG\.", r"[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),)
