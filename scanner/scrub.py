"""The last line of defence before output: no snippet or message may carry a whole secret.

Engines redact the secret a finding is about, but a line can hold a second key (``AWS_ACCESS_KEY_ID=... \
AWS_SECRET_ACCESS_KEY=...``), and code-rule findings (a log call, an SDK client) quote source lines that may
hold one. :func:`scrub_result` runs once over every finding and notification of a result: it redacts every
span the secrets detectors find in the text, then every key-shaped run (24+ token characters mixing upper
case, lower case and digits, or 32+ mixing letters and digits) that no detector knew; a 40-character
lower-case hex run is a commit id and stays, and so does a file path whose segments are words
(``generated/prisma/libquery_engine-darwin-arm64.dylib.node``): a key's ``/``-separated pieces mix cases at random.
"""

from __future__ import annotations

import dataclasses
import re

from scanner.config import Config
from scanner.model import Finding, Notification, ScanResult
from scanner.redact import redact

_RUN = re.compile(r"[A-Za-z0-9_+/=-]{24,}")
_GIT_SHA = re.compile(r"[0-9a-f]{40}")
_WORD_BREAK = re.compile(r"[-_.+=]")
#: An environment variable or constant name (``NEXT_PUBLIC_S3_SECRET_ACCESS_KEY``): upper-case words joined by
#: ``_``, each of at most 12 characters with a letter; keys in upper case (base32, AWS ids) have no such breaks.
_ENV_NAME = re.compile(r"(?:[A-Z0-9]{0,11}[A-Z][A-Z0-9]{0,11}_){2,}[A-Z0-9]{0,11}[A-Z][A-Z0-9]{0,11}")


def scrub_text(text: str) -> str:
    """``text`` with every detected secret and every key-shaped run redacted (at most first 4, last 2)."""
    if not text:
        return text
    return _RUN.sub(_redact_run, _redact_detected(text))


def _redact_run(match: re.Match[str]) -> str:
    run = match.group()
    if _GIT_SHA.fullmatch(run) or _path_like(run) or _env_name(run):
        return run  # a commit id, a file path or a variable name: the user needs it to find a finding
    has_digit = any(c.isdigit() for c in run)
    mixed = any(c.isupper() for c in run) and any(c.islower() for c in run)
    if has_digit and (mixed or len(run) >= 32):
        return redact(run)
    return run


def _env_name(run: str) -> bool:
    """True for an environment variable or constant name: upper-case pieces joined by ``_``, most of them words
    of letters only (``NEXT_PUBLIC_S3_SECRET_ACCESS_KEY``), not key groups (``K3Y2_A8F9_Z7Q1``)."""
    if not _ENV_NAME.fullmatch(run):
        return False
    pieces = run.split("_")
    # every piece a word, or short (``S3``, ``V2``, ``GPT4``): a long piece mixing letters and digits is key
    # material (``ACME_PROD_SIGNING_KEY_X9F4K2M7Q1``)
    return sum(p.isalpha() for p in pieces) * 2 > len(pieces) and all(p.isalpha() or len(p) <= 4 for p in pieces)


def _path_like(run: str) -> bool:
    """True for a run of ``/``-separated segments made of words: each ``-``/``_``/``.``-separated piece is lower
    case (``arm64``), upper case of at most 8 characters, capitalised, digits, or at most 3 characters."""
    if "/" not in run.strip("/"):
        return False
    pieces = [p for seg in run.split("/") for p in _WORD_BREAK.split(seg) if p]
    return all(p.islower() or p.isdigit() or p.istitle() or len(p) <= 3 or (p.isupper() and len(p) <= 8)
               for p in pieces)


def _redact_detected(text: str) -> str:
    from scanner.engines.secrets import scan_fragments
    from scanner.model import Fragment

    findings, _ = scan_fragments([Fragment("scrub", ((1, text),))], Config())
    spans = sorted({(f.location.column - 1, f.location.end_column - 1) for f in findings
                    if f.location.line == 1}, reverse=True)
    for start, end in spans:
        if 0 <= start < end <= len(text):
            text = text[:start] + redact(text[start:end]) + text[end:]
    return text


def _scrub_finding(f: Finding) -> Finding:
    snippet, message = scrub_text(f.snippet), scrub_text(f.message)
    if snippet == f.snippet and message == f.message:
        return f
    return dataclasses.replace(f, snippet=snippet, message=message)


def _scrub_note(n: Notification) -> Notification:
    message = scrub_text(n.message)
    return n if message == n.message else dataclasses.replace(n, message=message)


def scrub_result(result: ScanResult) -> ScanResult:
    """``result`` with every finding's snippet and message and every notification's message scrubbed."""
    return dataclasses.replace(
        result,
        findings=tuple(_scrub_finding(f) for f in result.findings),
        suppressed=tuple(_scrub_finding(f) for f in result.suppressed),
        notifications=tuple(_scrub_note(n) for n in result.notifications),
    )
