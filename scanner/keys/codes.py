"""Stable codes for the key catalogue's rules: the committed append-only mapping ``catalogue:rule_id -> code``
(``scanner/data/catalogue_codes.json``) and the Rule records built from it (no catalogue import needed).

The mapping was filled once in sorted-id order from SEC1000; new catalogue ids are appended with the next free
code by ``python -m scanner.keys.codes`` (a code is never reassigned; a retired id keeps its code). A test fails
on any catalogue id without a code.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from dataclasses import dataclass
from importlib import resources

from scanner.model import Rule, Severity

CATALOGUE = "kingfisher"
FIRST, LAST = 1000, 1999
_NAMESPACE = re.compile(r"^(?:betterleaks\.|kingfisher\.|custom\.|veles\.secrets/)")
_FIX = (
    "Revoke and rotate the credential at its vendor first (the message names the key type), then remove it "
    "from the code and read it from the environment or a secret manager. Rewriting git history does not "
    "un-leak a key that has been pushed: forks, pull-request refs and caches keep it, so rotate even after a "
    "force-push."
)


@dataclass(frozen=True)
class Entry:
    """One mapping row: the catalogue rule id (``betterleaks.github-pat``), our code (``SEC1123``), the
    catalogue's description, and its confidence (``high`` / ``medium``)."""

    rule_id: str
    code: str
    description: str
    confidence: str


def _path() -> str:
    return str(resources.files("scanner") / "data" / "catalogue_codes.json")


@functools.lru_cache(maxsize=1)
def entries() -> dict[str, Entry]:
    """Catalogue rule id -> its mapping row, read from the committed file (key ``kingfisher:<rule id>``)."""
    with open(_path(), encoding="utf-8") as handle:
        data = json.load(handle)
    rows: dict[str, Entry] = {}
    for key, row in data["codes"].items():
        rule_id = key.split(":", 1)[1]
        rows[rule_id] = Entry(rule_id, row["code"], row["description"], row["confidence"])
    return rows


def slug_of(rule_id: str) -> str:
    """The kebab-case slug of a catalogue rule: ``catalogue-`` + its id without the ``betterleaks.``
    namespace (``veles.secrets/x`` -> ``catalogue-veles-x``), dots and slashes as dashes."""
    namespace = "veles-" if rule_id.startswith("veles.") else ""
    body = _NAMESPACE.sub("", rule_id).lower()
    return "catalogue-" + namespace + re.sub(r"[^a-z0-9]+", "-", body).strip("-")


def rule_of(entry: Entry) -> Rule:
    """The Rule of one catalogue rule: family ``secrets``, severity high, the catalogue id and description in
    its short text and help."""
    short = f"Hard-coded credential (catalogue rule {entry.rule_id}): {entry.description}"
    doc = (
        f"**What it finds**\n\nCatalogue rule `{entry.rule_id}` of the bundled key catalogue "
        f"(kingfisher-secret-scanner): {entry.description} Matches go through launch-ready's own filters "
        "(placeholders, public-by-design keys, lockfiles), redaction and baselines; the catalogue's own "
        "ignore comments, deduplication and validation are switched off.\n\n"
        "**Why it matters**\n\nAnyone who can read this repository, a fork, a clone, a CI log or a pull-request "
        "ref can use the credential as you.\n\n"
        f"**Example**\n\nA value matching `{entry.rule_id}` assigned in source or configuration.\n\n"
        f"**Fix**\n\n{_FIX}\n"
    )
    precision = "high" if entry.confidence == "high" else "medium"
    return Rule(entry.code, slug_of(entry.rule_id), "secrets", Severity.HIGH, short, doc, _FIX, (798,),
                precision, "secrets")


@functools.lru_cache(maxsize=1)
def catalogue_rules() -> dict[str, Rule]:
    """Catalogue rule id -> its Rule, for every row of the mapping."""
    return {rule_id: rule_of(entry) for rule_id, entry in entries().items()}


@functools.lru_cache(maxsize=1)
def by_code() -> dict[str, Entry]:
    """Our code (``SEC1123``) -> its mapping row."""
    return {entry.code: entry for entry in entries().values()}


def append_new(current: list[tuple[str, str, str]]) -> int:
    """Append ``(rule_id, description, confidence)`` rows not yet mapped, with the next free codes, sorted by
    id, to the committed file; returns how many were added. Existing rows are never changed."""
    with open(_path(), encoding="utf-8") as handle:
        data = json.load(handle)
    codes = data["codes"]
    used = [int(row["code"][3:]) for row in codes.values()]
    next_code = max(used, default=FIRST - 1) + 1
    added = 0
    for rule_id, description, confidence in sorted(current):
        key = f"{CATALOGUE}:{rule_id}"
        if key in codes:
            continue
        if next_code > LAST:
            raise ValueError("the SEC1000-SEC1999 block is full")
        codes[key] = {"code": f"SEC{next_code}", "description": description, "confidence": confidence}
        next_code, added = next_code + 1, added + 1
    with open(_path(), "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    entries.cache_clear()
    catalogue_rules.cache_clear()
    by_code.cache_clear()
    return added


def main() -> None:
    """``python -m scanner.keys.codes``: append codes for catalogue ids the installed catalogue has and the
    mapping lacks."""
    from scanner.keys.catalogue import catalogue_ids

    added = append_new(catalogue_ids())
    sys.stdout.write(f"{added} catalogue ids appended\n")


if __name__ == "__main__":
    main()
