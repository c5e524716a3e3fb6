"""Baselines: write the current findings as a churn-free file; report only findings that are not in it.

Our format (``.launch-ready-baseline.json``, version 1)::

    {"tool": "launch-ready", "version": 1, "entries": [{"rule", "path", "hash", "count"}, ...]}

Entries are sorted; no line numbers, no timestamps, no secret. ``hash`` is SHA-256 of the rule id, the
enclosing context and the finding's ``match_key`` (for secrets that is already a slow salted scrypt hash of
the value, see ``scanner.redact.secret_hash``); ``count`` is how many such findings the file holds.

A detect-secrets ``.secrets.baseline`` is accepted for secrets (format: detect-secrets
``detect_secrets/core/baseline.py``: ``results`` maps a file name to entries whose ``hashed_secret`` is the
SHA-1 of the secret). Those SHA-1 values stay in memory and are matched against the secret's text at the
finding's columns; they are never written anywhere.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.errors import BaselineError as BaselineError
from scanner.filters.lines import LineLookup
from scanner.model import Finding, ScanResult, Suppression
from scanner.pathnames import quote_path, unquote_path
from scanner.redact import secret_hash

FORMAT_VERSION = 1
DEFAULT_FILE = ".launch-ready-baseline.json"
#: Baseline files (ours and detect-secrets'): hashes, not code; a scan never reads them as sources.
BASELINE_FILES = (DEFAULT_FILE, ".secrets.baseline")
MAX_BASELINE_BYTES = 64 * 1024 * 1024
_HASH_PREFIX = "launch-ready/baseline/v1"
#: How to recover from a baseline file that cannot be used, appended to every load error.
_FIX = "delete it and run `launch-ready baseline create`, or pass another file with --baseline"


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """``count`` findings of ``rule`` in ``path`` whose content hash is ``hash``. ``path`` is the scanner's
    form of the name (lone surrogates for bytes that are not UTF-8); the file holds it C-quoted as git writes it
    (:func:`scanner.pathnames.quote_path`), as the JSON report does."""

    path: str
    rule: str
    hash: str
    count: int = 1


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline: our ``entries`` and, from a detect-secrets file, ``secret_sha1`` pairs of
    (path, SHA-1 hex of the secret). ``name`` is the file name shown in suppression details; ``kind`` is
    ``launch-ready`` or ``detect-secrets``."""

    name: str
    entries: tuple[BaselineEntry, ...] = ()
    secret_sha1: frozenset[tuple[str, str]] = frozenset()
    kind: str = "launch-ready"


def content_hash(finding: Finding) -> str:
    """SHA-256 (hex) of rule id, context and normalised ``match_key`` (the snippet when an engine set no
    match key); never a line number."""
    key = " ".join((finding.match_key or finding.snippet).split())
    payload = "\x1f".join((_HASH_PREFIX, finding.rule_id, finding.context, key))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def entries_of(findings: tuple[Finding, ...] | list[Finding]) -> tuple[BaselineEntry, ...]:
    """The sorted baseline entries of ``findings`` (identical ones counted, not repeated)."""
    counts = Counter((f.location.path, f.rule_id, content_hash(f)) for f in findings)
    return tuple(sorted(BaselineEntry(p, r, h, n) for (p, r, h), n in counts.items()))


def render(entries: tuple[BaselineEntry, ...]) -> str:
    """The baseline file's text: sorted keys, two-space indent, final newline (byte-identical across runs).
    A file name that is not valid UTF-8 is written C-quoted (``"bad\\377name.py"``), so the text is always
    valid UTF-8 and :func:`load` reads back the same name."""
    doc = {"tool": "launch-ready", "version": FORMAT_VERSION,
           "entries": [{**dataclasses.asdict(e), "path": quote_path(e.path)} for e in sorted(entries)]}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: Path, entries: tuple[BaselineEntry, ...]) -> None:
    """Write the baseline of ``entries`` to ``path`` atomically: the whole text goes to a temporary file in the
    same folder, which then replaces ``path`` in one rename; on any failure ``path`` is left as it was and
    the temporary file is removed.

    Raises:
        OSError: the folder cannot be written.
    """
    data = render(entries).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """The permission bits for a new baseline at ``path``: those of the file it replaces, else what the umask
    gives a new file (``mkstemp`` itself makes it private)."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def load(path: Path) -> Baseline:
    """Read a launch-ready or detect-secrets baseline.

    Raises:
        BaselineError: missing, unreadable, not JSON, or neither format.
    """
    if path.exists() and not path.is_file():  # a FIFO or device would block the read
        raise BaselineError(f"{path}: cannot read baseline: not a regular file")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BASELINE_BYTES + 1)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    if len(data) > MAX_BASELINE_BYTES:
        raise BaselineError(f"{path}: baseline larger than {MAX_BASELINE_BYTES // (1024 * 1024)} MiB")
    doc = _parse(data, path)
    if isinstance(doc, dict) and "entries" in doc:
        return Baseline(path.name, _our_entries(doc, path))
    if isinstance(doc, dict) and isinstance(doc.get("results"), dict):
        return Baseline(path.name, secret_sha1=_detect_secrets(doc["results"]), kind="detect-secrets")
    raise BaselineError(f"{path}: not a launch-ready or detect-secrets baseline; {_FIX}")


def _parse(data: bytes, path: Path) -> Any:
    """The JSON document of a baseline file.

    Raises:
        BaselineError: the file is empty, not UTF-8 or not JSON (the message says how to recover).
    """
    if not data.strip():
        raise BaselineError(f"{path}: baseline file is empty; {_FIX}")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: baseline is not UTF-8 text; {_FIX}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON ({exc.msg} at line {exc.lineno} column "
                            f"{exc.colno}); {_FIX}") from None
    except RecursionError:
        raise BaselineError(f"{path}: baseline is not valid JSON (nested too deeply); {_FIX}") from None


def _our_entries(doc: dict[str, Any], path: Path) -> tuple[BaselineEntry, ...]:
    if doc.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: unsupported baseline version {doc.get('version')!r} "
                            f"(expected {FORMAT_VERSION})")
    entries = doc["entries"]
    try:
        return tuple(BaselineEntry(unquote_path(str(e["path"])), str(e["rule"]), str(e["hash"]),
                                   int(e.get("count", 1))) for e in entries)
    except (TypeError, KeyError, ValueError, AttributeError):
        raise BaselineError(f"{path}: malformed baseline entry (need path, rule, hash, count); {_FIX}") from None


def _detect_secrets(results: dict[str, Any]) -> frozenset[tuple[str, str]]:
    pairs = set()
    for filename, items in results.items():
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("hashed_secret"), str):
                pairs.add((str(filename).replace("\\", "/"), item["hashed_secret"].lower()))
    return frozenset(pairs)


def apply_baseline(result: ScanResult, baseline: Baseline, lookup: LineLookup) -> ScanResult:
    """Move findings that the baseline holds to ``result.suppressed`` (kind ``baseline``).

    An entry with ``count`` n covers at most n current findings with its (path, rule, hash), in sort order;
    one more identical finding is new. Exact entries are matched first; then a secrets finding whose value is
    recorded in the same file under another secrets rule is not new either (a key that SEC100 reported and
    that SEC193 also reports once the line passes it to a client), whatever the count.
    """
    budget = Counter({(e.path, e.rule, e.hash): e.count for e in baseline.entries})
    known = frozenset(budget)
    secret_rules: dict[str, set[str]] = {}
    for entry in baseline.entries:
        if entry.rule.startswith("SEC") or entry.rule == "AUTH306":  # AUTH306 keys its literal by value too
            secret_rules.setdefault(entry.path, set()).add(entry.rule)
    kept: list[Finding] = []
    suppressed = list(result.suppressed)
    unmatched: list[Finding] = []
    for finding in result.findings:  # exact entries first, so a moved key never takes another finding's entry
        key = (finding.location.path, finding.rule_id, content_hash(finding))
        if budget[key] > 0:
            budget[key] -= 1
            suppressed.append(_suppress(finding, baseline.name))
        else:
            unmatched.append(finding)
    for finding in unmatched:
        if finding.family == "secrets" and _known_under_another_rule(
                finding, secret_rules.get(finding.location.path, set()), known, lookup):
            # the same secret, known under another rule: not new, however many rules see it
            suppressed.append(_suppress(finding, baseline.name))
        elif baseline.secret_sha1 and _in_detect_secrets(finding, baseline, lookup):
            suppressed.append(_suppress(finding, f"{baseline.name} (detect-secrets)"))
        else:
            kept.append(finding)
    kept.sort(key=Finding.sort_key)
    return dataclasses.replace(result, findings=tuple(kept),
                               suppressed=tuple(sorted(suppressed, key=Finding.sort_key)))


def _known_under_another_rule(finding: Finding, rules: set[str], known: frozenset[tuple[str, str, str]],
                              lookup: LineLookup) -> bool:
    """True when the baseline holds the same secret in the same file under another rule of ``rules`` (a key that
    moved from a catalogue code to a vendor rule is not new). The value is read from the scanned text at the
    finding's columns and hashed under each candidate rule's salt; it never leaves here."""
    others = sorted(rules - {finding.rule_id})
    value = _value_at(finding, lookup) if others else None
    if not value:
        return False
    for rule in others:
        moved = dataclasses.replace(finding, rule=dataclasses.replace(finding.rule, id=rule),
                                    match_key=secret_hash(rule, value))
        key = (finding.location.path, rule, content_hash(moved))
        if key in known:
            return True
    return False


def _value_at(finding: Finding, lookup: LineLookup) -> str | None:
    """The text at a one-line finding's columns, or None when that line was not scanned."""
    loc = finding.location
    if loc.end_line != loc.line:
        return None
    line = lookup.line(loc.path, loc.commit, loc.line)
    if line is None:
        return None
    text = line[loc.column - 1: loc.end_column - 1]
    quoted = re.match(r"""(?i)[rbu]?(["'`])(.*)\1$""", text)  # a code rule's literal node keeps its quotes
    return (quoted.group(2) if quoted else text) or None


def _suppress(finding: Finding, name: str) -> Finding:
    return dataclasses.replace(finding, suppression=Suppression("baseline", name))


def _in_detect_secrets(finding: Finding, baseline: Baseline, lookup: LineLookup) -> bool:
    """True when the secret at the finding's columns has a SHA-1 listed for its path, in any file detect-secrets
    lists (source, ``.env``, notebooks). Candidates: the value, without quotes, and with the backslash of an
    escaped quote next to it (detect-secrets reads a notebook's raw JSON, where ``\\"`` ends the string and its
    base64 charset keeps the backslash). The raw value never leaves this function."""
    loc = finding.location
    if finding.family != "secrets" or loc.end_line != loc.line:
        return False
    line = lookup.line(loc.path, loc.commit, loc.line)
    if line is None:
        return False
    start, end = loc.column - 1, loc.end_column - 1
    value = line[start:end]
    candidates = {value, value.strip("'\"`")}
    if line[end:end + 1] == "\\":
        candidates.add(value + "\\")
    if start > 0 and line[start - 1] == "\\":
        candidates |= {"\\" + v for v in list(candidates)}
    if any((loc.path, _sha1(v)) in baseline.secret_sha1 for v in candidates if v):
        return True
    # detect-secrets hashes what its own plugin matched, which can be part of the key (its OpenAI pattern stops
    # 20 characters after "T3BlbkFJ"): the plugins' matches inside the finding's value count too
    return any((loc.path, _sha1(v)) in baseline.secret_sha1 for v in _plugin_matches(line) if v and v in value)


def _plugin_matches(line: str) -> set[str]:
    """The secrets detect-secrets' own plugins extract from ``line`` (each plugin's ``analyze_string``)."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    found: set[str] = set()
    plugins: list[Any] = list(get_mapping_from_secret_type_to_class().values())
    for plugin in plugins:
        try:
            found.update(plugin().analyze_string(line))
        except Exception:  # a plugin that needs settings it was not given: its matches are not needed here
            continue
    return found


def _sha1(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()
