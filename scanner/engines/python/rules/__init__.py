"""The registry of Python rules: one explicit list (a test fails when a rule class is not in it)."""

from __future__ import annotations

from scanner.engines.python.base import PythonRule
from scanner.engines.python.rules import (
    auth,
    client_passwords,
    cors,
    debug,
    logging,
    object_access,
    prompt_input,
    ratelimit,
    signing,
)

#: Every Python rule, in code order.
REGISTRY: tuple[type[PythonRule], ...] = (*auth.RULES, *logging.RULES, *cors.RULES)
REGISTRY += (*signing.RULES, *client_passwords.RULES, *debug.RULES)  # issue 13: AUTH306, SEC193, LR604
REGISTRY += object_access.RULES  # issue 13: AUTH307
REGISTRY += ratelimit.RULES  # issue 13: LR601
REGISTRY += prompt_input.RULES  # issue 13: LR602, LR603
