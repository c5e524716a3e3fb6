"""Finding messages of the issue-13 JS/TS rules (AUTH306, LR604), by semgrep rule id."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from scanner.model import Finding

_FORGE = "anyone who reads the repository can sign sessions or tokens for any member"

#: Semgrep rule id -> the message of its findings.
MESSAGES: dict[str, str] = {
    "js-hardcoded-jwt-secret": f"a literal (or a literal fallback) is the JWT signing key: {_FORGE}",
    "js-hardcoded-session-secret": f"a literal (or a literal fallback) is the session or cookie secret: {_FORGE}",
    "js-signing-secret-fallback": "a signing secret falls back to a literal when its environment variable is "
                                  f"unset (a deploy that forgets it runs with this key): {_FORGE}",
    "js-hardcoded-hmac-key": "a literal (or a literal fallback) is the HMAC key: anyone who reads the repository "
                             "can forge signatures",
    "js-error-stack-to-client": "the error handler sends err.stack, or a whole HTTP-client error, to the client: "
                                "visitors see your source paths and internals, and an axios error carries its "
                                "request config with the API key in its headers",
    "js-production-source-maps": "productionBrowserSourceMaps: true publishes the front end's source to every "
                                 "visitor",
}


#: The first quoted literal of a matched text (the key in ``process.env.JWT_SECRET || 'dev-secret'``).
_LITERAL = re.compile(r"""(["'`])((?:(?!\1).){1,200})\1""")


def one_per_signing_literal(findings: Sequence[Finding]) -> list[Finding]:
    """AUTH306 once per file and literal: the same key written at the sign and the verify call (``jwt.sign(p,
    process.env.JWT_SECRET || 'dev')`` / ``jwt.verify(t, process.env.JWT_SECRET || 'dev')``) is one secret with
    one fix; the finding kept (the first line) names the other lines and holds them as its ``copies`` (SARIF
    ``relatedLocations``, JSON ``copies``). Every other finding as is."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.rule_id == "AUTH306":
            found = _LITERAL.search(f.match_key or "")
            groups.setdefault((f.location.path, found.group(2) if found else f.match_key or ""), []).append(f)
    kept: list[Finding] = []
    for same in groups.values():
        same.sort(key=lambda f: f.location.line)
        first, rest = same[0], same[1:]
        others = sorted({f.location.line for f in rest} - {first.location.line})
        if others:  # (two rules reading one line, the config's fallback and the key it feeds, are one)
            lines = ", ".join(str(n) for n in others)
            places = {f.location.line: f.location for f in reversed(rest) if f.location.line in others}
            first = replace(first, message=f"{first.message} (the same literal is the key on line {lines} too)",
                            copies=tuple(places[n] for n in others))
        kept.append(first)
    return [f for f in findings if f.rule_id != "AUTH306"] + kept
