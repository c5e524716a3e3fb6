"""Route discovery and the auth verdict for Flask, FastAPI, Django and DRF handlers in one module.

A ``Route`` is a handler with its framework, label (``POST /api/chat``), the node to report at, whether it
is authenticated (decorator, dependency, hook, mixin, permission class, URL wrapper, a check in its body or a
project-wide rule) or public by design, and what its body does (``calls.BodyFacts``).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.calls import BodyFacts, body_facts
from scanner.engines.python.depends import dependencies_authenticate, param_authenticates
from scanner.engines.python.facts import ProjectFacts, project_facts
from scanner.engines.python.mounts import join, mounts_of, receiver_key
from scanner.engines.python.names import dotted, string_value
from scanner.engines.python.project import module_of
from scanner.engines.python.views import class_views, django_function_view

ROUTE_DECORATORS = {"route": "", "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH",
                    "delete": "DELETE", "api_route": "", "websocket": "WS", "head": "HEAD",
                    "options": "OPTIONS"}


@dataclass(frozen=True)
class Route:
    """One handler. ``anchor`` is where a finding goes (decorator line, ``def`` line or DRF
    ``permission_classes`` line); ``open_permission`` is the explicit ``AllowAny`` node, if any."""

    framework: str
    name: str
    label: str
    anchor: cst.CSTNode
    authed: bool
    public: bool
    facts: BodyFacts
    open_permission: cst.CSTNode | None = None
    method: str = "*"
    url: str = ""

    @property
    def context(self) -> str:
        """The finding context: ``POST /api/chat handler chat``."""
        return f"{self.label} handler {self.name}"

    @property
    def mutating(self) -> bool:
        """True unless the route only answers GET/HEAD/OPTIONS (read-only pages are AUTH303's noise)."""
        verbs = set(self.label.split(" ")[0].split(",")) if self.framework != "django" else {"?"}
        return not verbs <= {"GET", "HEAD", "OPTIONS"}

    @property
    def sensitive(self) -> bool:
        """True when the handler calls a model or touches the database."""
        return self.facts.calls_model or self.facts.touches_db


def framework_of(ctx: FileContext) -> set[str]:
    """Web frameworks the module imports: a subset of flask, fastapi, django."""
    found = set()
    for target in ctx.imports.aliases.values():
        root = target.split(".")[0]
        if root in ("flask", "quart", "flask_restful", "flask_restx", "flask_smorest"):
            found.add("flask")
        elif root in ("fastapi", "starlette"):
            found.add("fastapi")
        elif root in ("django", "rest_framework"):
            found.add("django")
    return found


def is_views_module(path: str) -> bool:
    """True for a Django views module: ``views.py`` or a file inside a ``views/`` package."""
    return path.rsplit("/", 1)[-1] == "views.py" or "/views/" in f"/{path}"


def routes_of(ctx: FileContext) -> list[Route]:
    """Every route handler of the module (memoised: the AUTH rules share one analysis per file)."""
    cached = ctx.memo.get("routes")
    if isinstance(cached, list):
        return cached
    routes: list[Route] = []
    frameworks = framework_of(ctx)
    if is_views_module(ctx.path):
        frameworks.add("django")
    if frameworks or _has_wired(ctx):
        facts = project_facts(ctx.project, ctx.knowledge)
        for func in index_of(ctx).functions:
            route = decorated_route(ctx, func, frameworks, facts)
            if route is None:
                route = wired_function(ctx, func, facts)
            if route is None and "django" in frameworks:
                route = django_function_view(ctx, func, facts)
            if route is not None:
                routes.append(route)
        routes += class_views(ctx, frameworks, facts)
    ctx.memo["routes"] = routes
    return routes


def decorated_route(ctx: FileContext, func: cst.FunctionDef, frameworks: set[str],
                    facts: ProjectFacts) -> Route | None:
    """A Flask or FastAPI route: a function with an ``@<app|router|bp>.<route|get|post|...>(path)``."""
    for dec in func.decorators:
        call = dec.decorator
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            continue
        verb = call.func.attr.value
        if verb not in ROUTE_DECORATORS:
            continue
        receiver = ctx.imports.qualify(call.func.value) or ""
        framework = _route_framework(receiver, frameworks)
        if framework is None:
            continue
        path = string_value(call.args[0].value) if call.args and call.args[0].keyword is None else None
        if path is not None:
            path = join(mounts_of(ctx.project, ctx.knowledge).prefix(receiver_key(ctx, call.func.value)), path)
        method = _methods(call, verb)
        label = f"{method} {path or '?'}"
        authed = _decorated_authed(ctx, func, call, framework, facts)
        return make_route(ctx, framework, func, label, dec, authed, path or "", method=method)
    return None


def _has_wired(ctx: FileContext) -> bool:
    """True when some other module mounts a function or class of this one (``add_url_rule``)."""
    module = module_of(ctx.path)
    views = mounts_of(ctx.project, ctx.knowledge).views
    return any(name.rpartition(".")[0] == module or name.rpartition(".")[0].endswith("." + module)
               for name in views)


def wired_function(ctx: FileContext, func: cst.FunctionDef, facts: ProjectFacts) -> Route | None:
    """A Flask view function mounted by ``add_url_rule(path, view_func=func)`` here or in another module."""
    wired = mounts_of(ctx.project, ctx.knowledge).view(f"{module_of(ctx.path)}.{func.name.value}")
    if wired is None:
        return None
    authed = wired.authed or facts.flask_global_auth or any(
        ctx.knowledge.is_auth_decorator(_decorator_name(ctx, d)) for d in func.decorators)
    method = "GET" if wired.method == "*" else wired.method
    return make_route(ctx, "flask", func, f"{method} {wired.path}", func.name, authed, wired.path,
                      method=method)


def make_route(ctx: FileContext, framework: str, node: cst.FunctionDef | cst.ClassDef, label: str,
               anchor: cst.CSTNode, authed: bool, path: str, open_permission: cst.CSTNode | None = None,
               db_hint: bool = False, method: str = "*") -> Route:
    """Build a Route: adds body facts, body-level auth and the public-route verdict."""
    facts = body_facts(ctx, node)
    if db_hint and not facts.touches_db:
        facts = BodyFacts(facts.calls_model, True, facts.authenticates, False)
    kind = ctx.knowledge.public_kind(path, node.name.value)
    read_only = label.split(" ")[0] in ("GET", "HEAD")
    page = kind == "static" and (facts.trivial or (read_only and not facts.calls_model and not facts.touches_db))
    public = kind == "public" or page or facts.trivial
    return Route(framework, node.name.value, label, anchor, authed or facts.authenticates, public, facts,
                 open_permission, method, path)


def _route_framework(receiver: str, frameworks: set[str]) -> str | None:
    root = receiver.split(".")[0]
    if root in ("flask", "quart"):
        return "flask"
    if root in ("fastapi", "starlette"):
        return "fastapi"
    if "fastapi" in frameworks:
        return "fastapi"
    return "flask" if "flask" in frameworks else None


def _methods(call: cst.Call, verb: str) -> str:
    if ROUTE_DECORATORS[verb]:
        return ROUTE_DECORATORS[verb]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "methods" and \
                isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
            names = [string_value(e.value) or "?" for e in arg.value.elements]
            return ",".join(n.upper() for n in names)
    return "GET"


def _decorated_authed(ctx: FileContext, func: cst.FunctionDef, call: cst.Call, framework: str,
                      facts: ProjectFacts) -> bool:
    if any(ctx.knowledge.is_auth_decorator(_decorator_name(ctx, d)) for d in func.decorators):
        return True
    receiver = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else None
    if framework == "flask":
        return facts.flask_global_auth or (receiver or "") in _flask_hooked(ctx)
    params = [*func.params.params, *func.params.kwonly_params]
    return (facts.fastapi_global_auth or facts.fastapi_app_authed(ctx.path) or dependencies_authenticate(ctx, call)
            or any(param_authenticates(ctx, p) for p in params)
            or (receiver is not None and (facts.router_authed(ctx.path, receiver)
                                          or receiver in _fastapi_authed_routers(ctx))))


def _decorator_name(ctx: FileContext, dec: cst.Decorator) -> str:
    expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
    return ctx.imports.qualify(expr) or ""


def _flask_hooked(ctx: FileContext) -> set[str]:
    """Receivers (app or blueprint names) of this module with a ``before_request`` hook that authenticates."""
    hooked = set()
    cached = ctx.memo.get("flask-hooked")
    if isinstance(cached, set):
        return cached
    for func in index_of(ctx).functions:
        for dec in func.decorators:
            name = dotted(dec.decorator) or ""
            if name.endswith((".before_request", ".before_app_request")) and \
                    body_facts(ctx, func).authenticates:
                hooked.add(name.rsplit(".", 1)[0])
    for call in index_of(ctx).calls:
        if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "before_request"):
            continue
        target = (dotted(call.args[0].value) or "") if call.args else ""
        hook = ctx.project.local_definition(ctx.module, target)
        if hook is not None and body_facts(ctx, hook).authenticates:
            hooked.add(dotted(call.func.value) or "")
    ctx.memo["flask-hooked"] = hooked
    return hooked


def _fastapi_authed_routers(ctx: FileContext) -> set[str]:
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
