"""GitHub tokens: classic and fine-grained personal access tokens, OAuth, app and refresh tokens."""

from __future__ import annotations

import random
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class GitHubTokenDetector(Detector):
    """GitHub token (SEC127). Format (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-
    formats/): ``ghp_`` (personal), ``gho_`` (OAuth), ``ghu_`` (user-to-server), ``ghs_`` (server-to-server),
    ``ghr_`` (refresh) + 36 ``[A-Za-z0-9]``; fine-grained tokens ``github_pat_`` + 22 ``[A-Za-z0-9]`` + ``_``
    + 59 ``[A-Za-z0-9]``."""

    rule_id = "SEC127"
    secret_type = "GitHub Token"
    keywords = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")
    denylist = (
        keyed("gh[pousr]_", r"[A-Za-z0-9]{36}"),
        keyed("github_pat_", r"[A-Za-z0-9]{22}_[A-Za-z0-9]{59}"),
    )

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}',
        "GITHUB_TOKEN=ghp_" + "x" * 36,
        'token = "ghp_abc123"',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "ghp_" + pick(rng, ALNUM, 36)
        return f"GITHUB_TOKEN={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC127", "github-token", Severity.CRITICAL, "GitHub token",
        vendor="GitHub",
        page="https://github.com/settings/tokens",
        example="GITHUB_TOKEN=ghp_…",
        shape="`ghp_` / `gho_` / `ghu_` / `ghs_` / `ghr_` + 36, or `github_pat_` + 82 characters",
    ),
)
