"""FastAPI: ``@app.get``/``@router.post`` routes; auth from dependencies judged by what they do (route,
``APIRouter``, ``include_router`` and ``FastAPI`` ``dependencies=[...]``, handler parameters), app-wide auth
middleware and ``@app.middleware("http")`` checks. CORS is Starlette's ``CORSMiddleware`` (``starlette``).
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.depends import dependencies_authenticate, param_authenticates, unread_credential
from scanner.engines.python.facts import ProjectFacts
from scanner.engines.python.frameworks.base import (
    Framework,
    Route,
    auth_decorated,
    decorated_path,
    make_route,
    methods_of,
    receiver_framework,
    route_decorators,
)
from scanner.engines.python.mounts import mounts_of, receiver_key
from scanner.engines.python.names import dotted


class FastAPI(Framework):
    """FastAPI routes and how dependencies protect them."""

    name = "fastapi"
    roots = frozenset({"fastapi"})
    label = "FastAPI"

    def function_route(self, ctx: FileContext, func: cst.FunctionDef, active: set[str],
                       facts: ProjectFacts) -> Route | None:
        """A function under ``@<app|router>.<get|post|...|api_route|websocket>(path)``."""
        for dec, call, verb in route_decorators(func):
            if receiver_framework(ctx, call, active) != self.name:
                continue
            if isinstance(call.func, cst.Attribute) and \
                    mounts_of(ctx.project, ctx.knowledge).unmounted(receiver_key(ctx, call.func.value)):
                return None  # its router is included nowhere: the route answers nothing
            path = decorated_path(ctx, call)
            method = methods_of(call, verb)
            authed = auth_decorated(ctx, func) or _authed(ctx, func, call, facts)
            route = make_route(ctx, self.name, func, f"{method} {path or '?'}", dec, authed, path or "",
                               method=method)
            unread = [p.name.value for p in [*func.params.params, *func.params.kwonly_params]
                      if param_authenticates(ctx, p) and unread_credential(ctx, p, func)]
            if unread and not route.authed:
                route = replace(route, note=f"`{unread[0]}` comes from a security scheme that only checks the "
                                            "header is present, and the handler never verifies it")
            return route
        return None


def _authed(ctx: FileContext, func: cst.FunctionDef, call: cst.Call, facts: ProjectFacts) -> bool:
    receiver = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else None
    params = [*func.params.params, *func.params.kwonly_params]
    return (facts.fastapi_global_auth or facts.fastapi_app_authed(ctx.path) or dependencies_authenticate(ctx, call)
            or any(param_authenticates(ctx, p) and not unread_credential(ctx, p, func) for p in params)
            or (receiver is not None and (facts.router_authed(ctx.path, receiver)
                                          or receiver in authed_routers(ctx))))


def authed_routers(ctx: FileContext) -> set[str]:
    """Module-level ``router = APIRouter(dependencies=[...auth...])`` receivers."""
    cached = ctx.memo.get("fastapi-routers")
    if isinstance(cached, set):
        return cached
    authed = set()
    for stmt in ctx.module.body:
        assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
        if isinstance(assign, cst.Assign) and isinstance(assign.value, cst.Call) and \
                dependencies_authenticate(ctx, assign.value):
            authed.add(dotted(assign.targets[0].target) or "")
    ctx.memo["fastapi-routers"] = authed
    return authed
