"""PEM private keys, and Google Cloud service-account JSON keys (which carry one)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, Detector, Hit, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity

_HEADER = re.compile(r"-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----")
#: The base64 body: base64 runs split by newlines, escaped (``\\n`` in JSON) or not, up to the END line.
_BODY = re.compile(
    r"(?:\\n|\\r|\s){0,4}(?P<secret>[A-Za-z0-9+/=]{40,4096}(?:(?:\\n|\\r|\s){1,4}[A-Za-z0-9+/=]{1,4096}){0,200})"
)


class PrivateKeyDetector(Detector):
    """Private key (SEC192), or a Google Cloud service-account key (SEC126) when the document is a
    service-account JSON (``"type": "service_account"`` with ``private_key``).

    Format (RFC 7468 and OpenSSH): ``-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----`` followed
    by base64 lines. The base64 body is the secret: on the header's line (JSON ``\\n`` escapes) or on the next
    line of a PEM file. A header with no body (``…``, ``<key>``) is documentation, not a key.
    """

    rule_id = "SEC192"
    secret_type = "Private Key"
    keywords = ("private key",)
    denylist = (_HEADER,)
    priority = 5

    def hits(self, line: str, hints: frozenset[str] = frozenset()) -> Iterator[Hit]:
        """The body after each header on ``line``; a header at the end of the line is reported by
        :meth:`header_hit` once the next line is known."""
        rule_id = "SEC126" if "service_account" in hints else self.rule_id
        for header in _HEADER.finditer(line):
            body = _BODY.match(line, header.end())
            if body:
                value = body.group("secret")
                yield Hit(rule_id, body.start("secret"), body.end("secret"), value, self.priority)

    def header_hit(self, line: str, next_line: str, hints: frozenset[str]) -> Hit | None:
        """A hit at the header of ``line`` when the header ends the line and ``next_line`` holds the body."""
        headers = list(_HEADER.finditer(line))
        header = headers[-1] if headers else None
        if header is None or line[header.end():].strip() or not _BODY.match(next_line.strip()):
            return None
        body = _BODY.match(next_line.strip())
        assert body is not None
        rule_id = "SEC126" if "service_account" in hints else self.rule_id
        return Hit(rule_id, header.start(), header.end(), body.group("secret"), self.priority)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        '-----BEGIN PRIVATE KEY-----',
        '"private_key": "-----BEGIN PRIVATE KEY-----\\\\n…\\\\n-----END PRIVATE KEY-----\\\\n"',
        "key = '-----BEGIN RSA PRIVATE KEY-----<your key here>-----END RSA PRIVATE KEY-----'",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        first, second = pick(rng, ALNUM + "+/", 64), pick(rng, ALNUM + "+/", 64)
        secret = f"{first}\\n{second}"
        return f'key = "-----BEGIN RSA PRIVATE KEY-----\\n{secret}\\n-----END RSA PRIVATE KEY-----"', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC126", "gcp-service-account-key", Severity.CRITICAL, "Google Cloud service-account private key",
        vendor="Google Cloud",
        page="https://console.cloud.google.com/iam-admin/serviceaccounts",
        example='"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE…"',
        shape='the `private_key` of a JSON file with `"type": "service_account"`',
    ),
    KeySpec(
        "SEC192", "private-key", Severity.CRITICAL, "private key",
        vendor="whoever trusts the key (server, CA, cloud, SSH host)",
        page="the system that trusts its public half",
        example="-----BEGIN RSA PRIVATE KEY-----",
        shape="`-----BEGIN … PRIVATE KEY-----` followed by a key body",
    ),
)
