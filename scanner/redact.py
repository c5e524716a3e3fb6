"""Redaction of secret values and hashing of them; the only place a secret value is turned into output."""

from __future__ import annotations

import functools
import hashlib
import re

#: Salt prefix for secret hashes (DESIGN.md section 5): the salt is this constant plus the rule id.
SECRET_HASH_SALT = b"launch-ready/secret-hash/v1:"
_SCRYPT_N = 2**12
_SCRYPT_R = 8
_SCRYPT_P = 1
_ELLIPSIS = "…"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def redact(secret: str) -> str:
    """Return ``secret`` with its middle hidden: at most the first 4 and last 2 characters stay.

    Values under 12 characters keep only their first 2 (under 6, nothing), so a short password is never
    guessable from the output. Example: ``sk-proj-abc…xyz`` becomes ``sk-p…yz``.
    """
    if len(secret) >= 12:
        return f"{secret[:4]}{_ELLIPSIS}{secret[-2:]}"
    if len(secret) >= 6:
        return f"{secret[:2]}{_ELLIPSIS}"
    return _ELLIPSIS


def redact_in(text: str, secrets: list[str] | tuple[str, ...]) -> str:
    """Replace every occurrence of each secret in ``text`` with its redacted form (longest first)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, redact(secret))
    return text


def snippet_of(line: str, secrets: list[str] | tuple[str, ...] = (), width: int = 200) -> str:
    """A one-line snippet of a source line: secrets redacted, control characters escaped, at most ``width``
    code points (cut with an ellipsis)."""
    text = redact_in(line.rstrip("\r\n"), secrets).strip()
    text = escape_control(text)
    if len(text) > width:
        text = text[: width - 1] + _ELLIPSIS
    return text


def escape_control(text: str) -> str:
    """Escape C0/C1 control characters and bidi overrides as ``\\xNN`` / ``\\uNNNN`` so that a repository
    cannot write terminal escape sequences to the user's screen."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}",
                        text)


#: What ``json.dumps(..., ensure_ascii=False)`` leaves raw that a terminal acts on: C1 controls (U+0080-U+009F;
#: U+009B is CSI in xterm and VTE), bidi overrides and isolates, and the line and paragraph separators.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_json_text(text: str) -> str:
    """``text`` (a JSON document) with C1 controls, bidi controls and U+2028/U+2029 written as ``\\uXXXX``
    escapes: the same JSON value, safe to print on a terminal. These characters appear only inside strings."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


@functools.lru_cache(maxsize=65536)
def secret_hash(rule_id: str, secret: str) -> str:
    """A slow, salted hash of a secret value (scrypt, N=4096, r=8, p=1; salt = ``SECRET_HASH_SALT`` + rule
    id), hex encoded, 64 characters. Stored in baselines and fingerprints instead of the secret, so that a
    leaked baseline or SARIF file does not let anyone recover a weak password by guessing."""
    digest = hashlib.scrypt(
        secret.encode("utf-8", "surrogatepass"),
        salt=SECRET_HASH_SALT + rule_id.encode(),
        n=_SCRYPT_N,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        dklen=32,
    )
    return digest.hex()


def fingerprint(rule_id: str, path: str, context: str, match_key: str, occurrence: int) -> str:
    """The stable fingerprint of a finding: SHA-256 (hex, 64 chars) of rule id, path, enclosing context,
    normalised matched text and occurrence index. Never a line number; never secret material (for secrets
    ``match_key`` is already a ``secret_hash``)."""
    normalised = " ".join(match_key.split())
    payload = "\x1f".join((rule_id, path, context, normalised, str(occurrence)))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()
