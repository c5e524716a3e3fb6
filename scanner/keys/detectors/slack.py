"""Slack tokens and incoming-webhook URLs."""

from __future__ import annotations

import re
from typing import ClassVar

from scanner.keys.detectors.base import Detector, keyed


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
