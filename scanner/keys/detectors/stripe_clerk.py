"""Stripe secret, restricted and webhook keys, and Clerk secret keys (both use ``sk_live_``/``sk_test_``)."""

from __future__ import annotations

import re

from scanner.keys.detectors.base import PUBLIC, Detector, keyed

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


class StripeWebhookSecretDetector(Detector):
    """Stripe webhook signing secret (SEC116). Format (https://docs.stripe.com/webhooks#verify-events):
    ``whsec_`` + 32 or more ``[A-Za-z0-9]`` (24-64 accepted)."""

    rule_id = "SEC116"
    secret_type = "Stripe Webhook Secret"
    keywords = ("whsec_",)
    denylist = (keyed("whsec_", r"[A-Za-z0-9]{24,64}"),)


class PublishableKeyDetector(Detector):
    """Stripe and Clerk publishable keys ``pk_live_`` / ``pk_test_`` (https://docs.stripe.com/keys): public by
    design, so no finding; claimed so that generic detectors do not report them either."""

    rule_id = PUBLIC
    secret_type = "Publishable Key"
    keywords = ("pk_live_", "pk_test_")
    denylist = (keyed(r"pk_(?:live|test)_", r"[A-Za-z0-9$_-]{10,247}"),)
