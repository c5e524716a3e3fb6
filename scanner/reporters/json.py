"""The JSON reporter: the documented, versioned schema of DESIGN.md section 5."""

from __future__ import annotations

import json
from typing import Any

from scanner.model import Finding, Notification, RouteInfo, ScanResult
from scanner.pathnames import quote_path
from scanner.redact import escape_json_text
from scanner.scrub import scrub_text

#: The JSON output schema version; bump on any incompatible change.
SCHEMA_VERSION = "1.2"


def finding_dict(f: Finding) -> dict[str, Any]:
    """One finding as the JSON object of the README's schema (snippet already redacted; a file name that is not
    valid UTF-8 C-quoted as git writes it, see :mod:`scanner.pathnames`)."""
    loc = f.location
    return {
        "rule_id": f.rule_id,
        "rule": f.rule.slug,
        "family": f.family,
        "severity": f.severity.value,
        "path": quote_path(loc.path),
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "message": f.message,
        "snippet": f.snippet,
        "commit": loc.commit,
        "introduced_in": f.introduced_in,
        "fingerprint": f.fingerprint,
        # (schema 1.2) other places of the working tree holding the same secret
        "copies": [{"path": quote_path(c.path), "line": c.line, "column": c.column, "end_line": c.end_line,
                    "end_column": c.end_column} for c in f.copies],
    }


def suppressed_dict(f: Finding) -> dict[str, Any]:
    """A suppressed finding: ``finding_dict`` plus ``suppression`` (``kind``: inline, baseline or config;
    ``detail``: where)."""
    kind, detail = (f.suppression.kind, f.suppression.detail) if f.suppression else ("unknown", "")
    return {**finding_dict(f), "suppression": {"kind": kind, "detail": detail}}


def notification_dict(n: Notification) -> dict[str, Any]:
    """One notification as JSON: level, kind, path (or null), message, and (schema 1.1) ``count`` (how many
    files or objects a grouped note stands for) and ``examples`` (up to 20 of their paths)."""
    return {"level": n.level, "kind": n.kind, "path": None if n.path is None else quote_path(n.path),
            "message": n.message, "count": n.count, "examples": [quote_path(p) for p in n.examples]}


def route_dict(r: RouteInfo) -> dict[str, Any]:
    """One route of the inventory as JSON (schema 1.1): ``method``, ``path`` (URL template), ``file`` and ``line``
    of the handler, ``framework``, ``needs_auth``, ``authenticated``, ``calls_model``, ``touches_db``.
    ``launch-ready probe --routes report.json`` reads it back (``scanner.probe.routes.route_from_dict``)."""
    return {
        "method": r.method,
        "path": scrub_text(r.path),  # a key written into a route path (``/hooks/ghp_…``) is redacted
        "file": quote_path(r.location.path),
        "line": r.location.line,
        "framework": r.framework,
        "needs_auth": r.needs_auth,
        "authenticated": r.authenticated,
        "calls_model": r.calls_model,
        "touches_db": r.touches_db,
    }


def render(result: ScanResult, *, width: int | None = None) -> str:
    """Render ``result`` as pretty-printed, key-sorted JSON ending in a newline (byte-identical across runs).

    Shape (schema ``SCHEMA_VERSION``, documented in the README's "Output formats"): ``version``,
    ``findings`` (``finding_dict``), ``notifications`` (``notification_dict``), ``suppressed``
    (``total``, ``by`` kind, and ``findings``: each a finding plus its ``suppression``), ``incomplete``,
    ``stats`` (counters such as ``files``), ``routes`` (``route_dict``, sorted; added in 1.1)."""
    suppressed_by: dict[str, int] = {}
    for f in result.suppressed:
        kind = f.suppression.kind if f.suppression else "unknown"
        suppressed_by[kind] = suppressed_by.get(kind, 0) + 1
    doc = {
        "version": SCHEMA_VERSION,
        "findings": [finding_dict(f) for f in result.findings],
        "notifications": [notification_dict(n) for n in result.notifications],
        "suppressed": {"total": len(result.suppressed), "by": dict(sorted(suppressed_by.items())),
                       "findings": [suppressed_dict(f) for f in result.suppressed]},
        "incomplete": result.incomplete,
        "stats": dict(sorted(result.stats.items())),
        "routes": [route_dict(r) for r in sorted(result.routes, key=RouteInfo.sort_key)],
    }
    return escape_json_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"
