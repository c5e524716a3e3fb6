"""Generated-looking literals assigned to a token, secret, key or password name (the names detect-secrets'
keyword plugin does not know: ``api_token``, ``access_token``, ``jenkins.api.token``; YAML-style ``KEY: value``
in any file). Reported as SEC190, the generic keyword rule."""

from __future__ import annotations

import math
import random
import re
import string
from typing import ClassVar

from scanner.keys.detectors.base import Detector
from scanner.keys.placeholders import CODE_REF
from scanner.keys.spec import KeySpec
from scanner.model import Severity

#: Format: ``NAME <op> VALUE`` where NAME ends in a secret word (token, secret, api key, access key, password,
#: pwd, credential(s), auth key), op is ``=``, ``:=``, ``=>`` or ``:``, the value optionally quoted. The value
#: must look generated: 16-256 characters with at least two digits and two letters (a password-named value: 10
#: or more characters from three character classes). OWASP's secrets cheat sheet (Detection) describes this
#: name-plus-entropy heuristic.
_NAME = (r"(?i)(?<![A-Za-z0-9])(?P<name>[A-Za-z0-9_.-]{0,40}?(?:token|secret|api[_.-]?key|apikey|access[_.-]?key"
         r"|auth[_.-]?key|(?:secret|private|signing|encryption)[_.-]?key|passw(?:or)?d|pwd|credentials?))")
_VALUE = r"(?P<secret>[A-Za-z0-9_+/=.~@!#%^*-]{10,256})"
_ASSIGNED = re.compile(_NAME + r"(?P<quote>[\"'\]]?)\s{0,5}(?P<op>:=|=>|=|:)\s{0,5}@?[\"'`]?" + _VALUE
                       + r"(?=[\"'`\s,;)}]|$)")
_UUID = re.compile(r"(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_HEX_REVISION = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")
#: A Datadog browser client token (``pub`` + 32 hex): public by design (see ``adapter.PUBLIC_VALUE``).
_PUBLIC_VALUE = re.compile(r"^pub[0-9a-f]{32}$")
#: ``websiteToken``: a chat widget's (Chatwoot) website token, pasted into every page of the site by design.
_NOT_SECRET_NAME = re.compile(r"(?i)public|publishable|csrf|_?ids?$|placeholder|example|sample|website_?token")
_TEST_WORDS = re.compile(r"(?i)test|mock|sample|demo|dummy|fake|example")


#: Names under which a UUID is a credential, not an id: a secret, an API or access key, a password (Heroku API
#: keys, Sauce Labs access keys and many vendors' keys are UUIDs). Under a ``token`` or ``session`` name a UUID
#: is far more often a request or session id.
_UUID_SECRET_NAME = re.compile(r"(?i)(?:secret|api[_.-]?key|apikey|access[_.-]?key|passw(?:or)?d|pwd)$")


def _generated(value: str, password: bool) -> bool:
    """Looks generated: a password-named value of 10+ characters from three classes; any value of 16+ characters
    with two digits and two letters, or with one digit, both letter cases and 3.5+ bits of entropy per
    character (``MbBdKRzNppWpBGAYPDUks7zoc``); or 24+ digits of 2.8+ bits per character (random digits give
    about 3.1)."""
    digits = sum(c.isdigit() for c in value)
    letters = sum(c.isalpha() for c in value)
    classes = sum(1 for test in (str.islower, str.isupper, str.isdigit) if any(test(c) for c in value))
    if password and len(value) >= 10 and digits >= 1 and classes >= 3:
        return True
    if len(value) >= 24 and value.isdigit():
        return _entropy(value) >= 2.8  # a 24+ digit random number (a client secret), not a counter or an id
    if len(value) < 16 or letters < 2:
        return False
    return digits >= 2 or (digits == 1 and classes == 3 and _entropy(value) >= 3.5)


def _entropy(value: str) -> float:
    """Shannon entropy of ``value`` in bits per character."""
    counts = [value.count(c) for c in set(value)]
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts)


class KeywordTokenDetector(Detector):
    """A generated-looking value assigned to a secret-named key (SEC190). Runs where SEC190 runs: not in
    documentation, tests, fixtures or example files.

    Look-alike negatives (not reported): a code reference (``token = settings.API_TOKEN``), a call
    (``token = get_token("abc")``), a UUID (an id, not a secret), a commit hash, a public or ``_id`` name, a
    counting value (``max_tokens = 4096``), a test value (``token = "test_token_12345678"``).
    """

    rule_id = "SEC190"
    secret_type = "Secret Keyword"
    keywords = ("token", "secret", "key", "pass", "pwd", "credential")
    denylist = (_ASSIGNED,)
    priority = 90
    generic = True
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "token = settings.API_TOKEN_2024",
        'token = get_token("abc123def456ghi789")',
        'session_token = "edf10572-880c-4dd9-aaf0-6ec402f678db"',
        "commit_token: 8b1118b376c313ed420e5133ba91307817ed52c2  # sha",
        'STRIPE_PUBLIC_KEY = "k3y9Ab7Cd5Ef1Gh2Ij4K"',
        "max_tokens = 4096",
        'token = "test_token_1234567890abcdef"',
        "    Next page token: eav1OzQB0OM8rLdGXOEsyQWSG",
        'clientToken: "pub0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",',
        'request_token = "9b2f6c1e-4d3a-4f7b-8c2e-1a5d9e7f3b60"',
        'page_token = "MbBdKRzNppWpBGAYPDUksazoc"',
    )

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC190 for a generated-looking value of a secret-named key, else None."""
        match = next((m for m in _ASSIGNED.finditer(line) if m.group("secret") == value), None)
        if match is None or _NOT_SECRET_NAME.search(match.group("name")):
            return None
        if match.group("op") == ":" and not match.group("quote") and \
                line[:match.start("name")].strip(" \t-{,") != "":
            return None  # prose ("Next page token: …"): a bare ``name:`` counts only as a YAML key
        password = re.search(r"(?i)(?:passw(?:or)?d|pwd)$", match.group("name")) is not None
        uuid_secret = _UUID.match(value) is not None and _UUID_SECRET_NAME.search(match.group("name")) is not None
        if not (uuid_secret or _generated(value, password)) or _TEST_WORDS.search(value):
            return None
        if _UUID.match(value) and not uuid_secret:
            return None
        revision = _HEX_REVISION.match(value) is not None and re.search(r"(?i)sha|commit|rev", line) is not None
        if CODE_REF.match(value.removesuffix("!")) or revision:  # `!`: TypeScript's non-null `env.TOKEN!`
            return None
        if _PUBLIC_VALUE.match(value):
            return None
        return self.rule_id

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        alphabet = string.ascii_letters + string.digits
        secret = "".join(rng.choice(alphabet) for _ in range(30)) + "4k"
        return f'atlassian_api_token = "{secret}"', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC190", "generic-secret", Severity.MEDIUM, "password or secret",
        vendor="the service it belongs to",
        page="the service's credential settings",
        example='DB_PASSWORD = "hunt…"',
        shape="a password, secret or token name assigned a literal value (detect-secrets' keyword plugin)",
        precision="medium",
    ),
)
