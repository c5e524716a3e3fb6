"""Litestar: ``@get("/x")``/``@post(...)`` handler functions (path joined to a ``Router(path=...)`` or
``Controller.path`` is not followed), auth from ``guards=[...]`` judged by what each guard does; CORS:
``CORSConfig(allow_origins=[...])``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.calls import body_facts
from scanner.engines.python.facts import ProjectFacts
from scanner.engines.python.frameworks.base import Framework, Route, auth_decorated, make_route
from scanner.engines.python.names import dotted, string_value

if TYPE_CHECKING:
    from scanner.engines.python.cors_analysis import CorsCollector

_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "route": "*",
          "websocket": "WS"}
_REFUSALS = ("NotAuthorizedException", "PermissionDeniedException")


class Litestar(Framework):
    """Litestar route handlers and guards."""

    name = "litestar"
    roots = frozenset({"litestar"})
    label = "Litestar"

    def function_route(self, ctx: FileContext, func: cst.FunctionDef, active: set[str],
                       facts: ProjectFacts) -> Route | None:
        """A function under ``@get(path)``/``@post(path)``/... imported from litestar."""
        for dec in func.decorators:
            call = dec.decorator
            name = ctx.imports.qualify(call.func if isinstance(call, cst.Call) else call) or ""
            verb = name.rsplit(".", 1)[-1]
            if not name.startswith("litestar") or verb not in _VERBS:
                continue
            path = string_value(call.args[0].value) if isinstance(call, cst.Call) and call.args else None
            authed = auth_decorated(ctx, func) or (isinstance(call, cst.Call) and _guarded(ctx, call))
            return make_route(ctx, self.name, func, f"{_VERBS[verb]} {path or '/'}", dec, authed, path or "/",
                              method=_VERBS[verb])
        return None

    def cors_call(self, collector: CorsCollector, call: cst.Call, name: str) -> bool:
        """``CORSConfig(allow_origins=["*"])`` (the default origins are ``*`` too)."""
        if not (name.startswith("litestar") and name.endswith("CORSConfig")):
            return False
        kwargs = {a.keyword.value: a for a in call.args if a.keyword is not None}
        origins = kwargs.get("allow_origins")
        if origins is None or collector.allows_any(origins.value):
            collector.hit("CORS501", origins or call, "Litestar CORSConfig allows any origin")
        return True


def _guarded(ctx: FileContext, call: cst.Call) -> bool:
    """True when ``guards=[...]`` holds a guard that refuses the caller (raises NotAuthorizedException,
    checks a credential) or, when its code cannot be found, is named like an auth check."""
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value != "guards" or not isinstance(arg.value, (cst.List, cst.Tuple)):
            continue
        for element in arg.value.elements:
            name = dotted(element.value) or ""
            found = ctx.project.local_definition(ctx.module, name) if "." not in name else None
            if found is None:
                qualified = ctx.imports.qualify(element.value) or name
                definition = ctx.project.definition(qualified, ctx.path)
                if definition is None:
                    return ctx.knowledge.is_auth_call(name) or "auth" in name.lower()
                other = ctx.project.module(definition[0])
                if other is not None and any(r in other.code_for_node(definition[1]) for r in _REFUSALS):
                    return True
                continue
            if body_facts(ctx, found).authenticates or any(r in ctx.code_of(found) for r in _REFUSALS):
                return True
    return False
