"""AWS access key IDs and secret access keys."""

from __future__ import annotations

import random
import re
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, B32, LEFT, RIGHT, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class AwsAccessKeyIdDetector(Detector):
    """AWS access key ID (SEC124). Format (https://docs.aws.amazon.com/IAM/latest/UserGuide/
    reference_identifiers.html#identifiers-unique-ids): ``AKIA`` (long-term) or ``ASIA`` (temporary) + 16
    ``[A-Z2-7]`` (base32), 20 in all. Token boundaries are required on both sides: an ``AKIA`` run inside
    base64 (lockfile ``integrity``) is not a key."""

    rule_id = "SEC124"
    secret_type = "AWS Access Key"
    keywords = ("akia", "asia")
    denylist = (keyed("(?:AKIA|ASIA)", r"[A-Z0-9]{16}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "aws_access_key_id = AKIA" + "IOSFODNN7EXAMPLE",  # AWS's documented example id (split: no key in source)
        'AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}',
        '"integrity": "sha512-Qw3rTy9uIo0p' + "AKIA" + '2B3C4D5E6F7G8H9J0K1L2M3N4Pq7Rs8Tu9Vw==",',
        'key = "AKIA1234"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "AKIA" + pick(rng, B32, 16)
        return f"aws_access_key_id = {secret}", secret


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

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}',
        'aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = pick(rng, ALNUM + "+/", 40)
        return f"aws_secret_access_key = {secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC124", "aws-access-key-id", Severity.HIGH, "AWS access key ID",
        vendor="AWS",
        page="https://console.aws.amazon.com/iam/home#/security_credentials",
        example="aws_access_key_id = AKIA…",
        shape="`AKIA` / `ASIA` + 16 characters",
    ),
    KeySpec(
        "SEC125", "aws-secret-access-key", Severity.CRITICAL, "AWS secret access key",
        vendor="AWS",
        page="https://console.aws.amazon.com/iam/home#/security_credentials",
        example="aws_secret_access_key = wJal…",
        shape="40 characters assigned to an `aws…secret…` name",
    ),
)
