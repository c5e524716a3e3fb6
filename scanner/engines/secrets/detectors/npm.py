"""npm access tokens, bare or as ``_authToken`` in an ``.npmrc``."""

from __future__ import annotations

import re

from scanner.engines.secrets.detectors.base import Detector, keyed


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
