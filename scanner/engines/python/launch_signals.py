"""The prefilter words of the issue-13 rules (AUTH306, SEC193, LR604): a file without any is not parsed for them."""

from __future__ import annotations

import re

#: JWT/HMAC/session key sinks, secret-key names, client passwords and debug switches. Linear, bounded.
_SIGNALS = re.compile(
    r"\bjwt\b|\bjose\b|\bhmac\b|itsdangerous|secret_key|jwt_secret|session_secret|signing_key|token_secret|"
    r"SessionMiddleware|JWTStrategy|\bpass(?:wd|word)\s*[=:]|\w_password\s*[=:]|\bDEBUG\s*=|debug\s*=\s*True",
    re.IGNORECASE,
)


def has_launch_signal(text: str) -> bool:
    """True when ``text`` may hold a signing key, a client password or a debug switch."""
    return _SIGNALS.search(text) is not None
