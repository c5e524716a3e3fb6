"""Route discovery for one module: every registered framework (``frameworks.FRAMEWORKS``) that the module's
imports make active is offered each function and class, and the first that claims it makes the ``Route``.

A ``Route`` is a handler with its framework, label (``POST /api/chat``, prefixes included), the node to
report at, whether it is authenticated (decorator, dependency, hook, mixin, permission class, URL wrapper, a
check in its body or a project-wide rule) or public by design, and what its body does (``calls.BodyFacts``).
"""

from __future__ import annotations

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.facts import project_facts
from scanner.engines.python.frameworks import FRAMEWORKS, Route
from scanner.engines.python.frameworks.base import route_decorators

__all__ = ["Route", "active_frameworks", "handler_functions", "handler_node", "routes_of"]

#: Methods of a class-based view that handle a request.
_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "create", "update", "partial_update",
                           "destroy", "retrieve", "list"})


def active_frameworks(ctx: FileContext) -> set[str]:
    """Names of the frameworks that may declare routes in this module."""
    imported = {target.split(".")[0] for target in ctx.imports.aliases.values()}
    return {name for name, fw in FRAMEWORKS.items() if fw.active(ctx, imported)}


def routes_of(ctx: FileContext) -> list[Route]:
    """Every route handler of the module (memoised: the AUTH rules share one analysis per file)."""
    cached = ctx.memo.get("routes")
    if isinstance(cached, list):
        return cached
    found: list[tuple[cst.FunctionDef | cst.ClassDef, Route]] = []
    active = active_frameworks(ctx)
    if active:
        facts = project_facts(ctx.project, ctx.knowledge)
        frameworks = [fw for name, fw in FRAMEWORKS.items() if name in active]
        for func in index_of(ctx).functions:
            route = next((r for fw in frameworks if (r := fw.function_route(ctx, func, active, facts))), None)
            if route is not None:
                found.append((func, route))
        for cls in index_of(ctx).classes:
            route = next((r for fw in frameworks if (r := fw.class_route(ctx, cls, active, facts))), None)
            if route is not None:
                found.append((cls, route))
    routes = _live(ctx, found)
    ctx.memo["routes"] = routes
    return routes


def _live(ctx: FileContext, found: list[tuple[cst.FunctionDef | cst.ClassDef, Route]]) -> list[Route]:
    """The routes that can answer a request, following the frameworks. A route registered by a decorator
    (``@app.post("/chat")``) is registered when its ``def`` runs, and for the same URL and method Werkzeug's and
    Starlette's routers answer with the first one registered: a later copy never runs. A view reached by its
    name (Django ``urls.py``, ``add_url_rule(view_func=chat)``) is whatever the module name holds last: an
    earlier module-level ``def`` of the same name is dead code."""
    last = {s.name.value: id(s) for s in ctx.module.body if isinstance(s, (cst.FunctionDef, cst.ClassDef))}
    registered: set[tuple[str, str, str, str]] = set()
    live = []
    for node, route in found:
        decorators = list(route_decorators(node)) if isinstance(node, cst.FunctionDef) else []
        if decorators:
            func = decorators[0][1].func
            receiver = ctx.code_of(func.value) if isinstance(func, cst.Attribute) else ""
            key = (route.framework, receiver, route.url, route.method)  # two blueprints may share a path
            if route.url and key in registered:
                continue
            registered.add(key)
        elif last.get(node.name.value, id(node)) != id(node):
            continue
        live.append(route)
    return live


def handler_node(ctx: FileContext, route: Route) -> cst.FunctionDef | cst.ClassDef | None:
    """The function or class a route was built from (found by its anchor node)."""
    index = index_of(ctx)
    for func in index.functions:
        if route.anchor is func.name or any(d is route.anchor for d in func.decorators):
            return func
    for cls in index.classes:
        if route.anchor is cls.name:
            return cls
    return None


def handler_functions(ctx: FileContext, route: Route) -> list[cst.FunctionDef]:
    """The functions that handle a route's requests: the handler itself, or a class view's request methods."""
    node = handler_node(ctx, route)
    if isinstance(node, cst.ClassDef):
        return [s for s in node.body.body if isinstance(s, cst.FunctionDef) and s.name.value in _VIEW_METHODS]
    return [node] if node is not None else []
