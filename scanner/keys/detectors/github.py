"""GitHub tokens: classic and fine-grained personal access tokens, OAuth, app and refresh tokens."""

from __future__ import annotations

from scanner.keys.detectors.base import Detector, keyed


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
