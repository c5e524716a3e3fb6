"""The probe's route inventory: read from a JSON report's ``routes[]`` or from a static scan of a source tree,
and turned into concrete request paths (path parameters get random values)."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from scanner.model import Finding, Location, RouteInfo, ScanResult
from scanner.probe.scope import ProbeError

#: Path parameters in every framework's syntax: ``{id}``/``{p:path}`` (FastAPI, OpenAPI), ``<id>``/``<int:id>``
#: (Flask, Django), ``:id`` (Express), ``[id]``/``[...slug]``/``[[...slug]]`` (Next.js).
_PARAM = re.compile(r"\{(?P<brace>[^}]*)\}|<(?:(?P<conv>\w+):)?\w+>|(?<=/):\w+\??|\[\[?(?:\.\.\.)?\w+\]?\]")
_NUMERIC = ("int", "float", "number")
#: A named group of a Django ``re_path`` / ``url()`` pattern (``(?P<pk>[0-9]+)``), whose body is not nested.
_REGEX_GROUP = re.compile(r"\(\?P<\w+>(?P<body>[^()]*)\)")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def load_static(source: Path) -> ScanResult:
    """The static side of a probe: a folder is scanned (every family: its findings feed the merged scorecard, its
    route inventory drives the probe); a JSON report gives its ``routes[]`` and ``findings[]`` (its rules are
    those of its findings: a report does not say which rules ran, so a clean family stays "not checked").

    Raises:
        ProbeError: the file is not a launch-ready JSON report, or the path does not exist.
    """
    if source.is_file():
        return _from_json(source)
    if not source.is_dir():
        raise ProbeError(f"--routes {source}: no such file or folder")
    from scanner import api
    from scanner.config import Config

    return api.scan(source, Config(), api.ScanOptions())


def load_routes(source: Path) -> tuple[RouteInfo, ...]:
    """The route inventory of ``source`` (see ``load_static``), sorted."""
    return tuple(sorted(load_static(source).routes, key=RouteInfo.sort_key))


def _from_json(path: Path) -> ScanResult:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        routes = tuple(route_from_dict(item) for item in doc["routes"])
        findings = tuple(f for f in (finding_from_dict(item) for item in doc.get("findings", [])) if f)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProbeError(f"--routes {path}: not a launch-ready JSON report with routes[] ({exc})") from None
    rules = tuple({f.rule.id: f.rule for f in findings}.values())
    return ScanResult(root=str(path), findings=findings, rules=rules, routes=routes)


def finding_from_dict(item: dict[str, Any]) -> Finding | None:
    """One ``findings[]`` entry of a JSON report as a Finding (None when its rule is unknown to this version)."""
    from scanner.registry import find_rule

    rule = find_rule(str(item["rule_id"]))
    if rule is None:
        return None
    location = Location(str(item["path"]), int(item["line"]), int(item.get("column") or 1),
                        int(item.get("end_line") or 0), int(item.get("end_column") or 0), item.get("commit"))
    return Finding(rule, location, str(item.get("message", "")), snippet=str(item.get("snippet", "")),
                   fingerprint=str(item.get("fingerprint", "")), introduced_in=item.get("introduced_in"))


def route_from_dict(item: dict[str, Any]) -> RouteInfo:
    """One ``routes[]`` entry of the JSON report (see ``scanner.reporters.json.route_dict``) as a RouteInfo.

    Raises:
        KeyError, TypeError, ValueError: a required field is missing or of the wrong type.
    """
    location = Location(str(item["file"]), int(item["line"]))
    return RouteInfo(method=str(item["method"]).upper(), path=str(item["path"]), location=location,
                     framework=str(item.get("framework", "")), needs_auth=bool(item["needs_auth"]),
                     authenticated=bool(item.get("authenticated", False)),
                     calls_model=bool(item.get("calls_model", False)), touches_db=bool(item.get("touches_db", False)))


def concrete_path(template: str, numeric: bool = False) -> str:
    """``template`` with every path parameter replaced by a random value (digits for numeric converters, or for
    every parameter with ``numeric``: a FastAPI ``chat_id: int`` declares its type only in the handler); a
    Django regex pattern (``^api/export/(?P<pk>[0-9]+)/$``) loses its anchors and its named groups get values
    (digits for a digit class)."""
    def value(match: re.Match[str]) -> str:
        kind = (match.group("conv") or (match.group("brace") or "").partition(":")[2] or "").lower()
        return _number() if numeric or kind in _NUMERIC else "lr" + secrets.token_hex(5)

    def group(match: re.Match[str]) -> str:
        digits = match.group("body") in (r"\d+", "[0-9]+", r"\d*", "[0-9]*")
        return _number() if numeric or digits else "lr" + secrets.token_hex(5)

    if "(?P<" in template or template.startswith("^") or template.endswith("$"):
        template = _REGEX_GROUP.sub(group, template.lstrip("^").rstrip("$"))
    path = _PARAM.sub(value, template)
    return path if path.startswith("/") else "/" + path


def has_parameters(template: str) -> bool:
    """True when ``template`` holds a path parameter."""
    return bool(_PARAM.search(template) or _REGEX_GROUP.search(template))


def _number() -> str:
    return str(secrets.randbelow(10**8) + 10**7)


def first_method(route: RouteInfo) -> str:
    """The method to probe ``route`` with: its first declared verb, ``GET`` when any (``*``)."""
    first = route.method.split(",")[0].strip().upper()
    return "GET" if first in ("", "*") else first


def probeable(route: RouteInfo) -> bool:
    """True when the route has a known URL path (a Django view without ``urls.py`` entry has none)."""
    return bool(route.path)
