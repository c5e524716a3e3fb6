"""OpenAI API keys: project, service-account, admin and legacy user keys."""

from __future__ import annotations

import random
from typing import ClassVar

from scanner.keys.detectors.base import URLSAFE, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class OpenAIKeyDetector(Detector):
    """OpenAI API key (SEC100).

    Format (OpenAI key page, https://platform.openai.com/api-keys, and keys seen in the field): project
    keys ``sk-proj-``, service-account keys ``sk-svcacct-``, then about 156 characters of ``[A-Za-z0-9_-]``
    with the base64 marker ``T3BlbkFJ`` ("OpenAI") in the middle, ~164 characters in all; legacy user keys are
    ``sk-`` + 20 ``[A-Za-z0-9]`` + ``T3BlbkFJ`` + 20 ``[A-Za-z0-9]`` (51 characters). Project keys without
    the marker are accepted from 48 body characters on. The marker is fixed: a body holding ``…BlbkFJ`` with
    anything but ``T3`` before it (``T4BlbkFJ``) is an altered key, a test negative rather than a key.
    """

    rule_id = "SEC100"
    secret_type = "OpenAI API Key"
    keywords = ("sk-",)
    denylist = (
        keyed(r"sk-(?:proj|svcacct)-", r"[A-Za-z0-9_-]{48,300}"),
        keyed("sk-", r"[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"),
        keyed("sk-", r"[A-Za-z0-9_-]{10,150}T3BlbkFJ[A-Za-z0-9_-]{10,150}"),
    )

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC100, or None for a key whose ``T3BlbkFJ`` marker was altered."""
        if "BlbkFJ" in value and "T3BlbkFJ" not in value:
            return None
        return self.rule_id

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'OPENAI_API_KEY = "sk-proj-' + "x" * 56 + '"',
        'OPENAI_API_KEY=${OPENAI_API_KEY}',
        'if key.startswith("sk-proj-"):',
        'key = "sk-" + "Ab1" * 7 + "T4BlbkFJ" + "Cd2" * 7',
        'const cls = "desk-layout-grid-panel-container-wrapper-main-content-area-x9";',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sk-proj-" + pick(rng, URLSAFE, 74) + "T3BlbkFJ" + pick(rng, URLSAFE, 74)
        return f'OPENAI_API_KEY = "{secret}"', secret


class OpenAIAdminKeyDetector(Detector):
    """OpenAI admin key (SEC101).

    Format (https://platform.openai.com/settings/organization/admin-keys): ``sk-admin-`` then 48 or more
    characters of ``[A-Za-z0-9_-]``, usually with the ``T3BlbkFJ`` marker.
    """

    rule_id = "SEC101"
    secret_type = "OpenAI Admin Key"
    keywords: ClassVar[tuple[str, ...]] = ("sk-admin-",)
    denylist = (keyed("sk-admin-", r"[A-Za-z0-9_-]{48,300}"),)
    priority = 9  # wins over the generic ``sk-…T3BlbkFJ…`` pattern of SEC100

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'OPENAI_ADMIN_KEY=sk-admin-...',
        'OPENAI_ADMIN_KEY=${OPENAI_ADMIN_KEY}',
        'admin = "sk-admin-abc123"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "sk-admin-" + pick(rng, URLSAFE, 70) + "T3BlbkFJ" + pick(rng, URLSAFE, 70)
        return f"OPENAI_ADMIN_KEY={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC100", "openai-api-key", Severity.CRITICAL, "OpenAI API key",
        vendor="OpenAI",
        page="https://platform.openai.com/api-keys",
        example='OPENAI_API_KEY = "sk-proj-Rh73…"',
        shape="`sk-proj-` / `sk-svcacct-` + ~156 characters with the `T3BlbkFJ` marker, or a legacy `sk-` + 48",
    ),
    KeySpec(
        "SEC101", "openai-admin-key", Severity.CRITICAL, "OpenAI admin key",
        vendor="OpenAI",
        page="https://platform.openai.com/settings/organization/admin-keys",
        example="OPENAI_ADMIN_KEY=sk-admin-…",
        shape="`sk-admin-` + 48 or more characters",
    ),
)
