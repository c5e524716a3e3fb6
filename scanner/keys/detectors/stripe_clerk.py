"""Stripe secret, restricted and webhook keys, and Clerk secret keys (both use ``sk_live_``/``sk_test_``)."""

from __future__ import annotations

import random
import re
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, PUBLIC, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity

_CLERK = re.compile(r"(?i)clerk")
_STRIPE = re.compile(r"(?i)stripe")


def is_clerk(line: str, hints: frozenset[str]) -> bool:
    """True when an ``sk_`` key belongs to Clerk: the line names Clerk, or the document names Clerk and not
    Stripe. Otherwise it is taken as Stripe's (same prefixes; the severity is the same)."""
    if _CLERK.search(line):
        return True
    if _STRIPE.search(line):
        return False
    return "clerk" in hints and "stripe" not in hints


class StripeClerkSecretKeyDetector(Detector):
    """Stripe live secret key (SEC114), Clerk live secret key (SEC120), or either vendor's test-mode key
    (SEC199, low).

    Formats: Stripe (https://docs.stripe.com/keys) ``sk_live_`` / ``sk_test_`` + 24 to 247 ``[A-Za-z0-9]``
    (older keys 24, newer ~99); Clerk (https://clerk.com/docs/deployments/clerk-environment-variables)
    ``sk_live_`` / ``sk_test_`` + about 40-50 ``[A-Za-z0-9]``. Which vendor is decided by context
    (:func:`is_clerk`).
    """

    rule_id = "SEC114"
    secret_type = "Stripe Secret Key"
    keywords = ("sk_live_", "sk_test_")
    denylist = (keyed(r"sk_(?:live|test)_", r"[A-Za-z0-9]{24,247}"),)

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC199 for test mode; SEC120 for Clerk; else SEC114."""
        if value.startswith("sk_test_"):
            return "SEC199"
        return "SEC120" if is_clerk(line, hints) else self.rule_id

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'STRIPE_SECRET_KEY=sk_live_...',
        'const stripe = new Stripe("sk_live_' + "x" * 24 + '");',
        'key = "sk_live_short"',
        'STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sk_live_" + pick(rng, ALNUM, 24)
        return f'const stripe = new Stripe("{secret}");', secret


class StripeRestrictedKeyDetector(Detector):
    """Stripe live restricted key (SEC115; test mode SEC199). Format (https://docs.stripe.com/keys#limit-access):
    ``rk_live_`` / ``rk_test_`` + 24 to 247 ``[A-Za-z0-9]``."""

    rule_id = "SEC115"
    secret_type = "Stripe Restricted Key"
    keywords = ("rk_live_", "rk_test_")
    denylist = (keyed(r"rk_(?:live|test)_", r"[A-Za-z0-9]{24,247}"),)

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC199 for test mode, else SEC115."""
        return "SEC199" if value.startswith("rk_test_") else self.rule_id

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'STRIPE_KEY=rk_live_...',
        'key = "rk_live_short"',
        'STRIPE_RESTRICTED_KEY=${STRIPE_RESTRICTED_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "rk_live_" + pick(rng, ALNUM, 24)
        return f"STRIPE_KEY={secret}", secret


class StripeWebhookSecretDetector(Detector):
    """Stripe webhook signing secret (SEC116). Format (https://docs.stripe.com/webhooks#verify-events):
    ``whsec_`` + 32 or more ``[A-Za-z0-9]`` (24-64 accepted)."""

    rule_id = "SEC116"
    secret_type = "Stripe Webhook Secret"
    keywords = ("whsec_",)
    denylist = (keyed("whsec_", r"[A-Za-z0-9]{24,64}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'STRIPE_WEBHOOK_SECRET=whsec_...',
        'const secret = "whsec_abc";',
        'STRIPE_WEBHOOK_SECRET=${STRIPE_WEBHOOK_SECRET}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "whsec_" + pick(rng, ALNUM, 32)
        return f'const WEBHOOK_SECRET = "{secret}";', secret


class PublishableKeyDetector(Detector):
    """Stripe and Clerk publishable keys ``pk_live_`` / ``pk_test_`` (https://docs.stripe.com/keys): public by
    design, so no finding; claimed so that generic detectors do not report them either."""

    rule_id = PUBLIC
    secret_type = "Publishable Key"
    keywords = ("pk_live_", "pk_test_")
    denylist = (keyed(r"pk_(?:live|test)_", r"[A-Za-z0-9$_-]{10,247}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'STRIPE_PUBLISHABLE_KEY=pk_live_...',
        'NEXT_PUBLIC_STRIPE_KEY=${STRIPE_PUBLISHABLE_KEY}',
        'key = "pk_live_"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "pk_live_" + pick(rng, ALNUM, 24)
        return f'const stripe = loadStripe("{secret}");', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC114", "stripe-secret-key", Severity.CRITICAL, "Stripe live secret key",
        vendor="Stripe",
        page="https://dashboard.stripe.com/apikeys",
        example='new Stripe("sk_live_mERx…")',
        shape="`sk_live_` + 24-247 characters",
    ),
    KeySpec(
        "SEC115", "stripe-restricted-key", Severity.CRITICAL, "Stripe live restricted key",
        vendor="Stripe",
        page="https://dashboard.stripe.com/apikeys",
        example="STRIPE_KEY=rk_live_…",
        shape="`rk_live_` + 24-247 characters",
    ),
    KeySpec(
        "SEC116", "stripe-webhook-secret", Severity.HIGH, "Stripe webhook signing secret",
        vendor="Stripe",
        page="https://dashboard.stripe.com/webhooks",
        example='const WEBHOOK_SECRET = "whsec_lQ2D…";',
        shape="`whsec_` + 32 characters",
    ),
    KeySpec(
        "SEC120", "clerk-secret-key", Severity.CRITICAL, "Clerk live secret key",
        vendor="Clerk",
        page="https://dashboard.clerk.com/last-active?path=api-keys",
        example="CLERK_SECRET_KEY=sk_live_…",
        shape="`sk_live_` + ~42 characters next to Clerk configuration",
    ),
    KeySpec(
        "SEC199", "test-mode-key", Severity.LOW, "test-mode secret key (Stripe or Clerk)",
        vendor="Stripe or Clerk",
        page="https://dashboard.stripe.com/test/apikeys or https://dashboard.clerk.com",
        example="STRIPE_KEY=sk_test_…",
        shape="`sk_test_` / `rk_test_` keys (test mode: no real money, but still account access)",
    ),
)
