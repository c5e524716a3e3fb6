"""Request bodies for write routes (only with ``--allow-writes``): built from the route's declared schema when the
app publishes an OpenAPI document (FastAPI's ``/openapi.json``), else an empty JSON object."""

from __future__ import annotations

import json
import re
from typing import Any

from scanner.model import RouteInfo
from scanner.probe.routes import first_method

#: Where frameworks publish their OpenAPI document (FastAPI, Django Ninja, drf-spectacular's usual path).
OPENAPI_PATHS = ("/openapi.json",)
_TEMPLATE_PARAM = re.compile(r"\{[^}]*\}|<[^>]*>|(?<=/):\w+|\[[^\]]*\]")
_SAMPLES: dict[str, Any] = {"string": "launch-ready probe", "integer": 1, "number": 1, "boolean": False}
_MAX_DEPTH = 6


def _shape(path: str) -> str:
    return _TEMPLATE_PARAM.sub("{}", path.rstrip("/") or "/")


def body_for(route: RouteInfo, openapi: dict[str, Any] | None) -> bytes:
    """The JSON body to send to ``route``: an instance of its declared request schema (required properties,
    sample values) when ``openapi`` declares one, else ``{}``."""
    schema = _request_schema(route, openapi) if openapi else None
    instance = sample(schema, openapi or {}, 0) if schema is not None else {}
    return json.dumps(instance).encode("utf-8")


def _request_schema(route: RouteInfo, doc: dict[str, Any]) -> dict[str, Any] | None:
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return None
    for template, operations in paths.items():
        if _shape(str(template)) != _shape(route.path) or not isinstance(operations, dict):
            continue
        operation = operations.get(first_method(route).lower())
        try:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]  # type: ignore[index]
        except (KeyError, TypeError):
            return None
        return schema if isinstance(schema, dict) else None
    return None


def sample(schema: dict[str, Any], doc: dict[str, Any], depth: int) -> Any:
    """A small instance of the JSON Schema ``schema`` (``$ref`` into ``doc``'s components resolved, required
    properties only, first of ``anyOf``/``oneOf``, ``example``/``default``/``enum`` preferred)."""
    if depth > _MAX_DEPTH:
        return None
    schema = _resolve(schema, doc)
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            non_null = [o for o in options if isinstance(o, dict) and o.get("type") != "null"] or options
            return sample(non_null[0], doc, depth + 1)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if kind == "object":
        props = schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {}
        required = [name for name in schema.get("required", []) if name in props]
        return {name: sample(props[name], doc, depth + 1) for name in required}
    if kind == "array":
        items = schema.get("items")
        return [sample(items, doc, depth + 1)] if isinstance(items, dict) and schema.get("minItems") else []
    return _SAMPLES.get(str(kind), "launch-ready probe")


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}
