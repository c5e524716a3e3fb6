"""AWS access key IDs and secret access keys."""

from __future__ import annotations

import re

from scanner.keys.detectors.base import LEFT, RIGHT, Detector, keyed


class AwsAccessKeyIdDetector(Detector):
    """AWS access key ID (SEC124). Format (https://docs.aws.amazon.com/IAM/latest/UserGuide/
    reference_identifiers.html#identifiers-unique-ids): ``AKIA`` (long-term) or ``ASIA`` (temporary) + 16
    ``[A-Z2-7]`` (base32), 20 in all. Token boundaries are required on both sides: an ``AKIA`` run inside
    base64 (lockfile ``integrity``) is not a key."""

    rule_id = "SEC124"
    secret_type = "AWS Access Key"
    keywords = ("akia", "asia")
    denylist = (keyed("(?:AKIA|ASIA)", r"[A-Z0-9]{16}"),)


class AwsSecretKeyDetector(Detector):
    """AWS secret access key (SEC125). Format (same page): 40 characters of ``[A-Za-z0-9/+]``, recognised only
    when assigned to a name holding ``aws`` and ``secret`` (it has no prefix of its own)."""

    rule_id = "SEC125"
    secret_type = "AWS Secret Access Key"
    keywords = ("aws",)
    denylist = (
        re.compile(r"(?i)aws\w{0,20}secret\w{0,20}[\"']?\s{0,5}(?:[:=]|=>)\s{0,5}[\"']?"
                   f"{LEFT}(?P<secret>[A-Za-z0-9/+]{{40}}){RIGHT}"),
    )
