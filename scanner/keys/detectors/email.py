"""Transactional e-mail APIs: Resend and SendGrid keys."""

from __future__ import annotations

import random
import re
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, URLSAFE, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity

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

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'RESEND_API_KEY=re_...',
        'value = re_compile_pattern_for_long_names_here',
        'const resend = new Resend("re_123");',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "re_" + pick(rng, ALNUM, 8) + "_Q7" + pick(rng, ALNUM, 22)
        return f'new Resend("{secret}")', secret


class SendGridKeyDetector(Detector):
    """SendGrid API key (SEC122). Format (https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys):
    ``SG.`` + 22 ``[A-Za-z0-9_-]`` + ``.`` + 43 ``[A-Za-z0-9_-]`` (69 in all)."""

    rule_id = "SEC122"
    secret_type = "SendGrid API Key"
    keywords = ("sg.",)
    denylist = (keyed(r"SG\.", r"[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'SENDGRID_API_KEY=SG.xxxxxxxx',
        'SENDGRID_API_KEY=${SENDGRID_API_KEY}',
        'key = "SG.abc.def"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "SG." + pick(rng, URLSAFE, 22) + "." + pick(rng, URLSAFE, 43)
        return f"SENDGRID_API_KEY={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC121", "resend-api-key", Severity.HIGH, "Resend API key",
        vendor="Resend",
        page="https://resend.com/api-keys",
        example="RESEND_API_KEY=re_…",
        shape="`re_` + 8 + `_` + 24 characters",
    ),
    KeySpec(
        "SEC122", "sendgrid-api-key", Severity.HIGH, "SendGrid API key",
        vendor="Twilio SendGrid",
        page="https://app.sendgrid.com/settings/api_keys",
        example="SENDGRID_API_KEY=SG.…",
        shape="`SG.` + 22 + `.` + 43 characters",
    ),
)
