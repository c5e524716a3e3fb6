"""Finding messages of the issue-13 JS/TS rules (AUTH306, LR604), by semgrep rule id."""

from __future__ import annotations

_FORGE = "anyone who reads the repository can sign sessions or tokens for any member"

#: Semgrep rule id -> the message of its findings.
MESSAGES: dict[str, str] = {
    "js-hardcoded-jwt-secret": f"a literal (or a literal fallback) is the JWT signing key: {_FORGE}",
    "js-hardcoded-session-secret": f"a literal (or a literal fallback) is the session or cookie secret: {_FORGE}",
    "js-hardcoded-hmac-key": "a literal (or a literal fallback) is the HMAC key: anyone who reads the repository "
                             "can forge signatures",
    "js-error-stack-to-client": "the error handler sends err.stack, or a whole HTTP-client error, to the client: "
                                "visitors see your source paths and internals, and an axios error carries its "
                                "request config with the API key in its headers",
    "js-production-source-maps": "productionBrowserSourceMaps: true publishes the front end's source to every "
                                 "visitor",
}
