"""The detector base class: a regex detector shaped like detect-secrets' ``RegexBasedDetector``, importable
without importing detect-secrets (its import costs 150-300 ms, more than the pre-commit hook's budget)."""

from __future__ import annotations

import base64
import json
import random
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

#: A value no character of a key alphabet may touch on the left: a key inside base64, a hash or a longer
#: identifier is not a key (``sha512-…AKIA…`` in a lockfile ``integrity`` value must not fire). Checked in
#: :meth:`Detector.hits` rather than as a leading lookbehind, so that each regex starts with its literal
#: prefix and ``re`` scans for it quickly.
LEFT = r"(?<![A-Za-z0-9_+/-])"
LEFT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/-")
#: The same on the right (``=`` too: base64 padding).
RIGHT = r"(?![A-Za-z0-9_+/=-])"

#: Key alphabets, for building true-positive samples from a format.
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"
#: Words the placeholder filters take for a sample value; a generated key never holds one.
_PLACEHOLDER_WORDS = ("fake", "xxxx", "your", "todo", "test", "dummy", "example", "sample", "demo")


def pick(rng: random.Random, alphabet: str, n: int) -> str:
    """``n`` random characters of ``alphabet`` for a sample key: with a digit and a letter when the alphabet has
    both and ``n`` is 8 or more, and no placeholder word, so that the value looks generated."""
    digits, letters = set(alphabet) & set(string.digits), set(alphabet) & set(string.ascii_letters)
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        low = value.lower()
        if any(word in low for word in _PLACEHOLDER_WORDS):
            continue
        if n < 8 or not (digits and letters) or (any(c in digits for c in value) and any(c in letters for c in value)):
            return value


def jwt_sample(rng: random.Random, claims: dict[str, object]) -> str:
    """A sample HS256 JWT (RFC 7519: base64url JSON header, payload ``claims``, a random 43-character signature),
    for building true positives."""
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{pick(rng, URLSAFE, 43)}"


#: ``verdict`` result for a value that is a key but public by design (Stripe ``pk_``, Supabase ``anon`` JWT):
#: no finding, and generic detectors may not report the same value either.
PUBLIC = "public"


@dataclass(frozen=True)
class Hit:
    """One detected value on one line: ``rule_id`` (or ``PUBLIC``), ``start``/``end`` code-point offsets of
    the value in the line (end exclusive), the ``value`` itself and the detector's ``priority`` (lower wins
    when two hits overlap)."""

    rule_id: str
    start: int
    end: int
    value: str
    priority: int = 50


class Detector:
    """A vendor detector: ``rule_id``, ``secret_type`` (detect-secrets' name for it), ``keywords`` (lowercase
    literals, one of which a line must contain before any regex runs) and ``denylist`` (compiled regexes whose
    group ``secret``, else group 1, else the whole match, is the secret value).

    Every regex uses bounded repetition only, so it runs in linear time on any line. Subclasses override
    :meth:`verdict` to reject or re-classify a value using the line and the document's ``hints``.
    """

    rule_id: ClassVar[str] = ""
    secret_type: ClassVar[str] = ""
    keywords: ClassVar[tuple[str, ...]] = ()
    denylist: ClassVar[tuple[re.Pattern[str], ...]] = ()
    priority: ClassVar[int] = 10
    #: Look-alike lines the detector must not report (placeholders, templates, near-misses of the format);
    #: tests are generated from them.
    NEGATIVES: ClassVar[tuple[str, ...]] = ()
    #: The file a :meth:`sample` line is scanned as (a detector of one file type sets its own).
    SAMPLE_PATH: ClassVar[str] = "src/client.js"

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format at test time: ``(line, secret)``, where ``secret`` is the
        value the detector must report at its columns. Raises NotImplementedError on the base class."""
        raise NotImplementedError

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """The rule id to report ``value`` under, ``PUBLIC``, or None when it is not a secret."""
        return self.rule_id

    def hits(self, line: str, hints: frozenset[str] = frozenset()) -> Iterator[Hit]:
        """Every value of this detector in ``line`` with its verdict (placeholders are filtered later)."""
        for regex in self.denylist:
            for match in regex.finditer(line):
                group = _group(match)
                value, start = match.group(group), match.start(group)
                if not value or (start > 0 and line[start - 1] in LEFT_CHARS):
                    continue
                rule_id = self.verdict(value, line, hints)
                if rule_id is not None:
                    yield Hit(rule_id, match.start(group), match.end(group), value, self.priority)

    def analyze_string(self, string: str) -> Iterator[str]:
        """detect-secrets' plugin interface: the raw secret values in ``string``."""
        seen: set[tuple[int, int]] = set()
        for hit in self.hits(string):
            if hit.rule_id != PUBLIC and not any(hit.start < e and s < hit.end for s, e in seen):
                seen.add((hit.start, hit.end))
                yield hit.value


def _group(match: re.Match[str]) -> int | str:
    if "secret" in match.re.groupindex:
        return "secret"
    return 1 if match.re.groups else 0


def keyed(prefix: str, body: str, flags: int = 0) -> re.Pattern[str]:
    """A token regex: ``prefix`` then ``body``, with a token boundary on the right (the left one is checked
    by :meth:`Detector.hits`)."""
    return re.compile(f"(?P<secret>{prefix}{body}){RIGHT}", flags)
