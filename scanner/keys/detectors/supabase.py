"""Supabase keys: the ``service_role`` JWT (the ``anon`` JWT is public), new secret keys and access tokens."""

from __future__ import annotations

import base64
import binascii
import json
import random
import string
from typing import ClassVar

from scanner.keys.detectors.base import HEX, PUBLIC, URLSAFE, Detector, jwt_sample, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity

#: The issuer of the Supabase CLI's local-development keys: the same well-known JWTs in every local stack,
#: signed with the published default secret, valid only against ``supabase start`` on the developer's machine.
LOCAL_DEMO_ISSUER = "supabase-demo"


def jwt_claim(token: str, claim: str) -> str | None:
    """A string claim (``role``, ``iss``) of a JWT's payload (base64url JSON, second dot-separated part), or
    None when the token does not decode or has no such string claim. No signature check."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[1]) > 4096:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return None
    value = payload.get(claim) if isinstance(payload, dict) else None
    return value if isinstance(value, str) else None


class SupabaseJwtDetector(Detector):
    """Supabase ``service_role`` key (SEC117).

    Format (https://supabase.com/docs/guides/api/api-keys): a JWT ``eyJ…``.``eyJ…``.``…`` (base64url header,
    payload and HS256 signature) whose payload has ``"role": "service_role"``. The ``anon`` key has the same
    shape with ``"role": "anon"``; it is public by design (no finding).
    """

    rule_id = "SEC117"
    secret_type = "Supabase Service Role Key"
    keywords = ("eyj",)
    denylist = (keyed("eyJ", r"[A-Za-z0-9_-]{8,1000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,1000}"),)

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC117 for ``service_role``; PUBLIC for ``anon``; None for any other JWT (left to other rules)."""
        role = jwt_claim(value, "role")
        if role == "anon" or (role == "service_role" and jwt_claim(value, "iss") == LOCAL_DEMO_ISSUER):
            return PUBLIC
        return self.rule_id if role == "service_role" else None

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'SUPABASE_SERVICE_ROLE_KEY=eyJ...',
        'SUPABASE_SERVICE_ROLE_KEY=${SUPABASE_SERVICE_ROLE_KEY}',
        'const supabase = createClient(url, "eyJhbGciOiJIUzI1NiJ9.e30.abc")',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        payload = {"iss": "supabase", "ref": pick(rng, string.ascii_lowercase, 20), "role": "service_role",
                   "iat": 1712000000, "exp": 2027576000}
        secret = jwt_sample(rng, payload)
        return f"SUPABASE_SERVICE_ROLE_KEY={secret}", secret


class SupabaseSecretKeyDetector(Detector):
    """Supabase secret API key (SEC118). Format (https://supabase.com/docs/guides/api/api-keys):
    ``sb_secret_`` + 31 or more ``[A-Za-z0-9_-]``. (The publishable ``sb_publishable_`` key is public.)"""

    rule_id = "SEC118"
    secret_type = "Supabase Secret Key"
    keywords = ("sb_secret_",)
    denylist = (keyed("sb_secret_", r"[A-Za-z0-9_-]{20,100}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'SUPABASE_SECRET_KEY=sb_secret_...',
        'key = "sb_secret_abc"',
        'const anon = "sb_publishable_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0U";',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sb_secret_" + pick(rng, URLSAFE, 31)
        return f"SUPABASE_SECRET_KEY={secret}", secret


class SupabaseAccessTokenDetector(Detector):
    """Supabase personal access token (SEC119). Format (https://supabase.com/dashboard/account/tokens, as used
    by the Supabase CLI): ``sbp_`` + 40 lowercase hex digits."""

    rule_id = "SEC119"
    secret_type = "Supabase Access Token"
    keywords = ("sbp_",)
    denylist = (keyed("sbp_", r"[0-9a-f]{40}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'SUPABASE_ACCESS_TOKEN=sbp_...',
        'token = "sbp_abc123"',
        'SUPABASE_ACCESS_TOKEN=${SUPABASE_ACCESS_TOKEN}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sbp_" + pick(rng, HEX, 40)
        return f"SUPABASE_ACCESS_TOKEN={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC117", "supabase-service-role-key", Severity.CRITICAL, "Supabase service_role key",
        vendor="Supabase",
        page="https://supabase.com/dashboard/project/_/settings/api-keys",
        example="SUPABASE_SERVICE_ROLE_KEY=eyJhbGci…",
        shape='a JWT whose payload says `"role": "service_role"` (the `anon` key is public and not reported)',
    ),
    KeySpec(
        "SEC118", "supabase-secret-key", Severity.CRITICAL, "Supabase secret API key",
        vendor="Supabase",
        page="https://supabase.com/dashboard/project/_/settings/api-keys",
        example="SUPABASE_SECRET_KEY=sb_secret_…",
        shape="`sb_secret_` + 31 or more characters",
    ),
    KeySpec(
        "SEC119", "supabase-access-token", Severity.CRITICAL, "Supabase personal access token",
        vendor="Supabase",
        page="https://supabase.com/dashboard/account/tokens",
        example="SUPABASE_ACCESS_TOKEN=sbp_…",
        shape="`sbp_` + 40 hex digits",
    ),
)
