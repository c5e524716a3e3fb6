"""What kind of sensitive data an identifier names: prompt, model output, PII, credential or request body.

Judged on the identifier's words (``user_email`` -> user, email), so that ``request_id``, ``token_count``,
``max_tokens`` and ``prompt_tokens`` (ids, counts, limits) are safe while ``api_key``, ``auth_token``,
``user_message`` and ``llm_response`` are not. Kinds: ``prompt``, ``output``, ``pii``, ``credential``,
``body``.
"""

from __future__ import annotations

import itertools

from scanner.knowledge import (
    BODY_WORDS,
    CREDENTIAL_PAIRS,
    CREDENTIAL_WORDS,
    KEY_QUALIFIERS,
    OUTPUT_OBJECTS,
    OUTPUT_SUBJECTS,
    OUTPUT_WORDS,
    PII_PAIRS,
    PII_WORDS,
    PROMPT_OBJECTS,
    PROMPT_SUBJECTS,
    PROMPT_WORDS,
    RECORD_NAMES,
    SAFE_WORDS,
    SECRET_CODE_QUALIFIERS,
    words,
)

KIND_CODES = {"prompt": "LOG401", "output": "LOG402", "pii": "LOG403", "credential": "LOG404",
              "body": "LOG405"}
_SAFE_FIRST = frozenset({"is", "has", "num", "n", "max", "min", "total", "len", "count", "should", "use",
                         "enable", "allow", "no", "show", "include", "with"})
_NOT_SECRET_TOKEN = frozenset({"next", "page", "continuation", "cursor", "sync", "pagination", "start", "end",
                               "eos", "bos", "pad", "stop", "special", "unk", "sep", "cls", "mask"})
_NOT_PII_ADDRESS = frozenset({"mac", "memory", "server", "bind", "listen", "host", "local", "socket", "base",
                              "wallet", "contract", "remote", "ip", "proxy", "from", "to", "return", "web"})
Kinds = frozenset[str]
NONE: Kinds = frozenset()


def is_safe(identifier: str) -> bool:
    """True for names of ids, counts, limits, flags and states (``request_id``, ``max_tokens``)."""
    ws = words(identifier)
    return bool(ws) and (ws[-1] in SAFE_WORDS or ws[0] in _SAFE_FIRST)


def name_kinds(identifier: str, extra: frozenset[str] = frozenset()) -> Kinds:
    """The sensitive kinds an identifier names (``extra``: configured sensitive names, reported as PII)."""
    ws = words(identifier)
    if not ws:
        return NONE
    if identifier.lower() in extra or "_".join(ws) in extra:
        return frozenset({"pii"})
    pairs = set(itertools.pairwise(ws))
    if pairs & PII_PAIRS or "_".join(ws) in RECORD_NAMES:
        return frozenset({"pii"})
    if ws[-1] in ("code", "pin", "otp") and len(ws) > 1 and set(ws[:-1]) & SECRET_CODE_QUALIFIERS:
        return frozenset({"credential"})
    if pairs & CREDENTIAL_PAIRS:  # `signed_url`: "url" alone names nothing secret
        return frozenset({"credential"})
    if is_safe(identifier):
        return NONE
    found = set()
    if _credential(ws):
        found.add("credential")
    if _pii(ws):
        found.add("pii")
    if set(ws) & PROMPT_WORDS or _pair(ws, PROMPT_SUBJECTS, PROMPT_OBJECTS):
        found.add("prompt")
    if set(ws) & OUTPUT_WORDS or _pair(ws, OUTPUT_SUBJECTS, OUTPUT_OBJECTS):
        found.add("output")
    if pairs & BODY_WORDS:
        found.add("body")
    return frozenset(found)


def _credential(ws: tuple[str, ...]) -> bool:
    for i, w in enumerate(ws):
        prev = ws[i - 1] if i else ""
        if w == "token" and prev in _NOT_SECRET_TOKEN:
            continue
        if w in CREDENTIAL_WORDS or w in ("apikey", "apikeys") or (w in ("key", "keys") and prev in KEY_QUALIFIERS):
            return True
    return False


def _pii(ws: tuple[str, ...]) -> bool:
    for i, w in enumerate(ws):
        if w == "address" and (i == 0 or ws[i - 1] in _NOT_PII_ADDRESS):
            continue
        if w in PII_WORDS:
            return True
    return False


def _pair(ws: tuple[str, ...], subjects: frozenset[str], objects: frozenset[str]) -> bool:
    return any(a in subjects and b in objects for i, a in enumerate(ws) for b in ws[i + 1:])
