"""Catalogue matches under our filters (placeholders, public-by-design keys, generic-value rules), merged with
our own hits so that each secret gives one finding and our vendor detectors win ties."""

from __future__ import annotations

import re
from collections.abc import Iterable

from scanner.engines.secrets import adapter
from scanner.engines.secrets.matcher import HINT_WORDS, candidates, prefix_length
from scanner.keys import catalogue, codes
from scanner.keys.detectors import PUBLIC, Hit
from scanner.keys.detectors.base import LEFT_CHARS
from scanner.keys.placeholders import is_placeholder

#: A catalogue hit beats detect-secrets' keyword plugin (SEC190, priority 90) and loses to our vendor detectors
#: and detect-secrets' vendor plugins (priorities 10-80).
PRIORITY = 85
#: Catalogue rules whose value is a free-form password or credential rather than a vendor-shaped key: judged by
#: the same path rules as SEC190 (not in docs, tests, examples).
_FREE_FORM = ("password", "generic")
#: Catalogue rules for key types one of our detectors owns: our detector's format spec and look-alike judgement
#: decide (a malformed ``sk-or-v1-`` body, a JWT that is not a service-role key, a URL password on a compose
#: host), so these catalogue rules are not reported. Matched on the id without its namespace. GitLab and PyPI
#: tokens belong to detect-secrets' plugins (SEC152, SEC154), whose bounds follow the vendors' generators (a
#: GitLab body of 20-50 characters; a PyPI macaroon of 70 or more after its fixed head): the catalogue's looser
#: rules report truncated and over-long look-alikes.
OWNED = (
    "anthropic", "openai", "groq", "huggingface", "langchain-langsmith", "openrouter", "perplexity", "pinecone",
    "replicate", "xai", "stripe", "supabase", "clerk", "resend", "sendgrid", "jwt", "generic-credential-uri",
    "gcp-api-key", "private-key", "gitlab", "pypi",
)
#: Catalogue matches that are public by design: PostHog project API keys (``phc_``), which PostHog's browser
#: snippet carries (https://posthog.com/docs/api: "project API key ... safe to use in public apps").
PUBLIC_HEADS = ("phc_",)
_NAMESPACE = re.compile(r"^(?:betterleaks\.|kingfisher\.|veles\.secrets/)")


def merged(path: str, texts: list[str], ours: Iterable[tuple[int, Hit]]) -> list[tuple[int, Hit]]:
    """Our hits plus the catalogue's that survive our filters, one per secret, in line and column order."""
    by_line: dict[int, list[Hit]] = {}
    for index, hit in ours:
        by_line.setdefault(index, []).append(hit)
    theirs = [c for c in catalogue.scan(path, texts, OWNED) if _kept(path, c, texts[c.line])]
    if theirs:
        low = "\n".join(texts).lower()
        hints = frozenset(w for w in HINT_WORDS if w in low)
        for found in sorted(theirs, key=lambda c: (c.line, c.start, -(c.end - c.start), c.code)):
            hit = Hit(found.code, found.start, found.end, found.value, PRIORITY)
            line = by_line.setdefault(found.line, [])
            if _wins(hit, line) and not _public(texts[found.line], hit, hints):
                line[:] = [h for h in line if not _overlaps(h, hit)] + [hit]
    return [(index, hit) for index in sorted(by_line)
            for hit in sorted(by_line[index], key=lambda h: (h.start, h.rule_id))]


def free_form(code: str) -> bool:
    """True for a catalogue code whose rule matches free-form passwords or credentials, not a vendor key."""
    entry = codes.by_code().get(code)
    return entry is not None and any(word in entry.rule_id for word in _FREE_FORM)


def _kept(path: str, found: catalogue.CatalogueHit, line: str) -> bool:
    """Our filters on one catalogue match: a whole token (not a run inside a hash or a longer key), not a
    placeholder, and a free-form value only where SEC190 would report one."""
    if _NAMESPACE.sub("", found.rule_id).startswith(OWNED):
        return False
    before = line[found.start - 1] if found.start > 0 else " "
    after = line[found.end] if found.end < len(line) else " "
    if before in LEFT_CHARS or after.isalnum() or after in "+/":
        return False
    if is_placeholder(found.value, prefix_length(found.value)) or found.value.startswith(PUBLIC_HEADS):
        return False
    if any(word in found.rule_id for word in _FREE_FORM):
        return adapter.generic_allowed(path)
    return True


def _overlaps(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _wins(hit: Hit, line: list[Hit]) -> bool:
    """True when no overlapping hit on the line has a better (lower) priority."""
    return not any(_overlaps(h, hit) and h.priority <= hit.priority for h in line)


def _public(line: str, hit: Hit, hints: frozenset[str]) -> bool:
    """True when one of our detectors rates an overlapping value public by design (``pk_live_``, an ``anon``
    Supabase JWT)."""
    return any(h.rule_id == PUBLIC and _overlaps(h, hit)
               for d in candidates(line) for h in d.hits(line, hints))
