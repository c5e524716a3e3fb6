"""OpenAI API keys: project, service-account, admin and legacy user keys."""

from __future__ import annotations

from typing import ClassVar

from scanner.keys.detectors.base import Detector, keyed


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
