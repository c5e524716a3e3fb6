"""Bearer tokens and JWT literals written into an ``Authorization`` header in client code."""

from __future__ import annotations

import random
import re
from typing import ClassVar

from scanner.keys.detectors.base import Detector, jwt_sample
from scanner.keys.spec import KeySpec
from scanner.model import Severity

#: Format: RFC 6750 2.1 ``Authorization: Bearer <b64token>`` (b64token = ``[A-Za-z0-9-._~+/]+=*``), the same with
#: the ``Token`` / ``JWT`` schemes some APIs use, written as an HTTP header line, a ``headers`` object entry
#: (``Authorization: "Bearer …"``, ``{"Authorization": "Bearer …"}``) or a ``setRequestHeader`` call. A JWT
#: (RFC 7519: three base64url parts, the first decoding to a JSON header) is a token too. The token must be
#: 20-4096 characters with a letter and a digit.
_TOKEN = r"(?=[A-Za-z0-9._~+/-]{0,4096}?\d)(?=[A-Za-z0-9._~+/-]{0,4096}?[A-Za-z])[A-Za-z0-9._~+/-]{20,4096}=*"
_HEADER = re.compile(
    rf"(?i)authorization[\"'`]?\s{{0,5}}[:=,]\s{{0,5}}[\"'`]?\s{{0,3}}(?:bearer|token|jwt)\s{{1,5}}"
    rf"(?P<secret>{_TOKEN})(?![A-Za-z0-9._~+/=-])"
)


class AuthorizationHeaderDetector(Detector):
    """A literal token in an ``Authorization`` header (SEC133): ``Bearer``, ``Token`` or ``JWT`` scheme. Not
    looked for in documentation, tests, fixtures or example files (sample tokens, like Flask-JWT's README one).

    Look-alike negatives (not reported): a template or variable (``Bearer ${token}``, ``"Bearer " + token``,
    ``f"Bearer {token}"``), a placeholder (``Bearer YOUR_TOKEN``, ``Bearer <token>``), a short value, a header
    read rather than written (``request.headers.get("Authorization")``), a ``Basic`` header (a URL password
    detector's business when it is a URL).
    """

    rule_id = "SEC133"
    secret_type = "Authorization header token"
    keywords = ("authorization",)
    denylist = (_HEADER,)
    priority = 40
    #: Client code, not documentation: judged like SEC190 (docs and tests show sample tokens).
    generic = True
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "headers: { Authorization: `Bearer ${token}` }",
        'headers = {"Authorization": "Bearer " + token}',
        'headers = {"Authorization": f"Bearer {settings.OPENAI_API_KEY}"}',
        "curl -H 'Authorization: Bearer YOUR_ACCESS_TOKEN_12345'",
        "Authorization: Bearer <token>",
        'auth = request.headers.get("Authorization")',
        'headers = {"Authorization": "Bearer abc123"}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format (a signed JWT): ``(line, secret)``."""
        token = jwt_sample(rng, {"sub": str(rng.randrange(10**8)), "role": "member"})
        return f"fetch(url, {{ headers: {{ Authorization: 'Bearer {token}' }} }})", token


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC133", "authorization-header-token", Severity.HIGH, "token in an Authorization header",
        vendor="the service the request goes to",
        page="the service's token or API-key settings",
        example="headers: { Authorization: 'Bearer eyJh…' }",
        shape="`Authorization: Bearer|Token|JWT` + a 20-4096 character token (often a JWT)",
    ),
)
