"""npm access tokens, bare or as ``_authToken`` in an ``.npmrc``."""

from __future__ import annotations

import random
import re
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class NpmTokenDetector(Detector):
    """npm access token (SEC130). Format (https://docs.npmjs.com/about-access-tokens): granular and
    automation tokens are ``npm_`` + 36 ``[A-Za-z0-9]``; an ``.npmrc`` line ``//registry/:_authToken=VALUE``
    holds a token of any older format (a ``${NPM_TOKEN}`` reference is not a token)."""

    rule_id = "SEC130"
    secret_type = "NPM tokens"
    keywords = ("npm_", "_authtoken")
    denylist = (
        keyed("npm_", r"[A-Za-z0-9]{36}"),
        re.compile(r"_authToken\s{0,5}=\s{0,5}[\"']?(?P<secret>[A-Za-z0-9_+/.-]{16,200}={0,2})"),
    )

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
        'NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'token = "npm_abc123"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "npm_" + pick(rng, ALNUM, 36)
        return f"NPM_TOKEN={secret}", secret


class NpmrcAuthDetector(Detector):
    """npm registry credentials in an ``.npmrc`` (SEC130): ``_auth`` (base64 of ``user:password``) and
    ``_password`` (base64 password), bare or scoped to a registry (``//registry.example.com/:_auth=…``).
    Format: https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration. Looked for in
    ``.npmrc`` files only (``_auth = …`` in code is a variable, not npm configuration)."""

    rule_id = "SEC130"
    secret_type = "NPM tokens"
    keywords = ("_auth", "_password")
    denylist = (
        re.compile(r"(?:^|:)\s{0,5}_(?:auth|password)\s{0,5}=\s{0,5}[\"']?(?P<secret>[A-Za-z0-9_+/.-]{8,400}={0,2})"
                   r"[\"']?\s{0,5}$"),
    )
    #: The files this detector reads (see :data:`scanner.engines.secrets.matcher` ``paths``).
    paths = re.compile(r"(?:^|/)\.?npmrc$|\.npmrc$")

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        '_auth=${NPM_AUTH}',
        '//registry.npmjs.org/:_password=${NPM_PASSWORD}',
        'always-auth=true',
    )
    SAMPLE_PATH = '.npmrc'

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = pick(rng, ALNUM, 30) + "=="
        return f"//registry.example-corp.net/:_auth={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC130", "npm-token", Severity.CRITICAL, "npm access token",
        vendor="npm",
        page="https://www.npmjs.com/settings/~/tokens",
        example="//registry.npmjs.org/:_authToken=npm_…",
        shape="`npm_` + 36 characters, or `_authToken=` in an `.npmrc`",
    ),
)
