"""Slack tokens and incoming-webhook URLs."""

from __future__ import annotations

import random
import re
import string
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, B32, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class SlackTokenDetector(Detector):
    """Slack token (SEC128). Format (https://api.slack.com/authentication/token-types): ``xoxb-`` (bot),
    ``xoxp-`` (user), ``xoxa-``/``xoxr-`` (app, refresh), ``xoxs-`` + dash-separated ``[0-9A-Za-z]`` groups,
    at least 10 characters after the prefix; workspace and refresh tokens carry a version first
    (``xoxa-2-…``, ``xoxr-1-…``)."""

    rule_id = "SEC128"
    secret_type = "Slack Token"
    keywords = ("xox",)
    denylist = (keyed("xox[baprs]-", r"[0-9A-Za-z]{6,20}-[0-9A-Za-z-]{4,250}"),
                keyed("xox[ar]-", r"\d-[0-9A-Za-z]{6,20}-[0-9A-Za-z-]{4,250}"))

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'SLACK_BOT_TOKEN=xoxb-your-token',
        'SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN}',
        'token = "xoxb-"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        digits = string.digits
        secret = "xoxb-" + pick(rng, digits, 12) + "-" + pick(rng, digits, 13) + "-" + pick(rng, ALNUM, 24)
        return f"SLACK_BOT_TOKEN={secret}", secret


class SlackWebhookDetector(Detector):
    """Slack incoming-webhook URL (SEC129). Format (https://api.slack.com/messaging/webhooks):
    ``https://hooks.slack.com/services/T…/B…/`` + 24 ``[A-Za-z0-9]``; also ``/workflows/`` and ``/triggers/``
    (``T…/A…/<trigger id>/<secret>``, https://api.slack.com/automation/triggers/webhook)."""

    rule_id = "SEC129"
    secret_type = "Slack Webhook"
    keywords: ClassVar[tuple[str, ...]] = ("hooks.slack.com",)
    denylist = (
        re.compile(r"(?P<secret>https?://hooks\.slack\.com/(?:services|workflows|triggers)/"
                   r"[A-Za-z0-9_]{6,20}/[A-Za-z0-9_]{6,20}/(?:\d{10,24}/)?[A-Za-z0-9_]{16,64})"),
    )
    priority = 5

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'SLACK_WEBHOOK_URL="https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"',
        'SLACK_WEBHOOK_URL=${SLACK_WEBHOOK_URL}',
        'url = "https://hooks.slack.com/services/"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = ("https://hooks.slack.com/services/T" + pick(rng, B32, 8) + "/B" + pick(rng, B32, 10) + "/"
                  + pick(rng, ALNUM, 24))
        return f'SLACK_WEBHOOK_URL="{secret}"', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC128", "slack-token", Severity.HIGH, "Slack token",
        vendor="Slack",
        page="https://api.slack.com/apps",
        example="SLACK_BOT_TOKEN=xoxb-…",
        shape="`xoxb-` / `xoxp-` / `xoxa-` / `xoxr-` / `xoxs-` tokens",
    ),
    KeySpec(
        "SEC129", "slack-webhook-url", Severity.MEDIUM, "Slack incoming-webhook URL",
        vendor="Slack",
        page="https://api.slack.com/apps",
        example="SLACK_WEBHOOK=https://hooks.slack.com/services/T000…",
        shape="`https://hooks.slack.com/services/T…/B…/…`",
    ),
)
