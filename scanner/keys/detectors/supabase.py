"""Supabase keys: the ``service_role`` JWT (the ``anon`` JWT is public), new secret keys and access tokens."""

from __future__ import annotations

import base64
import binascii
import json

from scanner.keys.detectors.base import PUBLIC, Detector, keyed

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


class SupabaseSecretKeyDetector(Detector):
    """Supabase secret API key (SEC118). Format (https://supabase.com/docs/guides/api/api-keys):
    ``sb_secret_`` + 31 or more ``[A-Za-z0-9_-]``. (The publishable ``sb_publishable_`` key is public.)"""

    rule_id = "SEC118"
    secret_type = "Supabase Secret Key"
    keywords = ("sb_secret_",)
    denylist = (keyed("sb_secret_", r"[A-Za-z0-9_-]{20,100}"),)


class SupabaseAccessTokenDetector(Detector):
    """Supabase personal access token (SEC119). Format (https://supabase.com/dashboard/account/tokens, as used
    by the Supabase CLI): ``sbp_`` + 40 lowercase hex digits."""

    rule_id = "SEC119"
    secret_type = "Supabase Access Token"
    keywords = ("sbp_",)
    denylist = (keyed("sbp_", r"[0-9a-f]{40}"),)
