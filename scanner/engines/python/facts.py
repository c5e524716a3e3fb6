"""Project-wide auth facts, read once per scan from the files that can hold them.

Django ``urls.py`` (which functions are views, at which path, wrapped in ``login_required``), settings
(``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]``, ``LoginRequiredMiddleware``), FastAPI ``include_router(...,
dependencies=[...])`` and ``FastAPI(dependencies=[...])``, app-wide auth middleware, and Flask
``before_request`` hooks on the app that check the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.calls import guarding_decorator, hook_refuses
from scanner.engines.python.depends import dependencies_authenticate
from scanner.engines.python.mounts import join
from scanner.engines.python.names import dotted, in_modules, string_value
from scanner.engines.python.project import Project, absolute, module_of, same_module
from scanner.knowledge import Knowledge, is_test_path

_DJANGO_STOCK_MIDDLEWARE = ("AuthenticationMiddleware", "RemoteUserMiddleware", "AccountMiddleware")


@dataclass(frozen=True)
class UrlView:
    """A view wired in ``urls.py``: its URL pattern and whether the pattern wraps it in an auth decorator."""

    route: str
    authed: bool
    #: The ``urls`` module that wires it (its ``include(...)`` prefix is added on lookup).
    urls_module: str = ""


@dataclass
class ProjectFacts:
    """Auth facts that hold for the whole project (see the module docstring)."""

    url_views: dict[str, UrlView] = field(default_factory=dict)
    #: ``path("api/", include("chat.urls"))``: included urls module -> (prefix, including urls module).
    url_includes: dict[str, tuple[str, str]] = field(default_factory=dict)
    drf_default_authenticated: bool = False
    django_global_auth: bool = False
    authed_routers: set[str] = field(default_factory=set)
    fastapi_global_auth: bool = False
    flask_global_auth: bool = False
    fastapi_authed_app_files: set[str] = field(default_factory=set)
    fastapi_open_app_files: set[str] = field(default_factory=set)
    #: Methods a ViewSet serves by name through ``as_view({"post": "create_topic"})`` in a urls module.
    view_actions: set[str] = field(default_factory=set)

    def fastapi_app_authed(self, path: str) -> bool:
        """True when ``FastAPI(dependencies=[...])`` protects the routes of ``path``: an app with auth
        dependencies is created in that file and no app without them; for a router in another file, every app
        of the project has them (one open app anywhere could be the one that mounts it)."""
        if path in self.fastapi_authed_app_files or path in self.fastapi_open_app_files:
            return path not in self.fastapi_open_app_files
        return bool(self.fastapi_authed_app_files) and not self.fastapi_open_app_files

    def url_view(self, qualified: str) -> UrlView | None:
        """The ``urls.py`` entry of a view by qualified name (allowing for a source root)."""
        for name, view in self.url_views.items():
            if same_module(name, qualified):
                prefix = self._include_prefix(view.urls_module)
                return UrlView(join(prefix, view.route) if prefix else view.route, view.authed, view.urls_module)
        return None

    def _include_prefix(self, urls_module: str, depth: int = 0) -> str:
        for included, (prefix, parent) in self.url_includes.items():
            if urls_module and same_module(included, urls_module) and depth < 5:
                return join(self._include_prefix(parent, depth + 1), prefix)
        return ""

    def module_wired(self, module: str) -> bool:
        """True when ``urls.py`` names some view of ``module``: then only the named functions are views."""
        return any(same_module(name.rpartition(".")[0], module) for name in self.url_views)

    def router_authed(self, path: str, receiver: str) -> bool:
        """True when the router ``receiver`` of module ``path`` is included with auth dependencies."""
        return any(same_module(f"{module_of(path)}.{receiver}", r) for r in self.authed_routers)


def project_facts(project: Project, knowledge: Knowledge) -> ProjectFacts:
    """The facts of ``project`` (computed on first use, then cached on the project)."""
    cached = project.facts_cache.get("project-facts")
    if isinstance(cached, ProjectFacts):
        return cached
    facts = ProjectFacts()
    for path in project.files_containing("urlpatterns", "REST_FRAMEWORK", "MIDDLEWARE", "include_router",
                                         "FastAPI(", "add_middleware", ".middleware(", "before_request",
                                         "before_app_request", "wsgi_app", *knowledge.auth_middleware):
        module = project.module(path) if not is_test_path(path) else None  # a test app protects nothing
        if module is not None:
            ctx = FileContext(path, module, project.imports(path), project, knowledge)
            _read_file(ctx, facts)
    project.facts_cache["project-facts"] = facts
    return facts


def _read_file(ctx: FileContext, facts: ProjectFacts) -> None:
    index = index_of(ctx)
    for call in index.calls:
        _read_call(ctx, call, facts)
    for stmt in ctx.module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Assign):
            _read_setting(ctx, stmt.body[0], facts)
    for func in index.functions:
        _read_hook(ctx, func, facts)


def _read_call(ctx: FileContext, call: cst.Call, facts: ProjectFacts) -> None:
    name = ctx.imports.qualify(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    wraps_wsgi = any((dotted(a.value) or "").endswith("wsgi_app") for a in call.args)
    if last in ctx.knowledge.auth_middleware or name in ctx.knowledge.auth_middleware or (
            wraps_wsgi and ctx.knowledge.is_auth_middleware(name)):
        facts.flask_global_auth = facts.fastapi_global_auth = facts.django_global_auth = True
    elif last in ("path", "re_path", "url") and len(call.args) >= 2 and "urls" in ctx.path:
        _read_url(ctx, call, facts)
    elif last == "include_router" and call.args and dependencies_authenticate(ctx, call):
        target = ctx.imports.qualify(call.args[0].value)
        if target:
            facts.authed_routers.add(absolute(target, ctx.path))
    elif in_modules(name, ("fastapi.FastAPI", "starlette.applications.Starlette")):
        if dependencies_authenticate(ctx, call):
            facts.fastapi_authed_app_files.add(ctx.path)
        else:
            facts.fastapi_open_app_files.add(ctx.path)
    elif last == "add_middleware" and call.args:
        middleware = ctx.imports.qualify(call.args[0].value) or ""
        facts.fastapi_global_auth |= ctx.knowledge.is_auth_middleware(middleware)
    elif last == "before_request" and call.args and name.startswith("flask.Flask()"):
        target = dotted(call.args[0].value) or ""
        hook = ctx.project.local_definition(ctx.module, target)
        facts.flask_global_auth |= hook is not None and hook_refuses(ctx, hook)


def _read_url(ctx: FileContext, call: cst.Call, facts: ProjectFacts) -> None:
    text = string_value(call.args[0].value)
    route = "?" if text is None else text  # path("", include(...)) is the root, not an unknown route
    view = call.args[1].value
    if isinstance(view, cst.Call) and (dotted(view.func) or "").rsplit(".", 1)[-1] == "include" and view.args:
        ref = view.args[0].value
        if isinstance(ref, cst.Tuple) and ref.elements:
            ref = ref.elements[0].value
        included = string_value(ref) or absolute(ctx.imports.qualify(ref) or "", ctx.path)
        if included:
            facts.url_includes.setdefault(included, ("/" + route.lstrip("^/"), module_of(ctx.path)))
        return
    authed = False
    while isinstance(view, cst.Call) and view.args:
        wrapper = ctx.imports.qualify(view.func) or ""
        if wrapper.endswith("as_view"):
            actions = view.args[0].value
            if isinstance(actions, cst.Dict):  # a ViewSet's methods by verb: each one a handler
                facts.view_actions |= {name for e in actions.elements if isinstance(e, cst.DictElement)
                                       and (name := string_value(e.value)) is not None}
            view = view.func.value if isinstance(view.func, cst.Attribute) else view
            break
        authed |= guarding_decorator(ctx, wrapper)
        view = view.args[0].value
    target = ctx.imports.qualify(view)
    if target:
        facts.url_views[absolute(target, ctx.path)] = UrlView("/" + route.lstrip("^/"), authed, module_of(ctx.path))


def _read_setting(ctx: FileContext, stmt: cst.BaseSmallStatement, facts: ProjectFacts) -> None:
    assert isinstance(stmt, cst.Assign)
    target = dotted(stmt.targets[0].target) or ""
    if target == "REST_FRAMEWORK" and isinstance(stmt.value, cst.Dict):
        for element in stmt.value.elements:
            if isinstance(element, cst.DictElement) and \
                    string_value(element.key) == "DEFAULT_PERMISSION_CLASSES":
                classes = _strings_in(element.value)
                facts.drf_default_authenticated = any(not c.endswith("AllowAny") for c in classes)
    elif target == "MIDDLEWARE":
        for entry in _strings_in(stmt.value):
            last = entry.rsplit(".", 1)[-1]
            if last == "LoginRequiredMiddleware" or (
                    last not in _DJANGO_STOCK_MIDDLEWARE and not entry.startswith(("django.", "allauth."))
                    and ctx.knowledge.is_auth_middleware(entry)):
                facts.django_global_auth = True


def _read_hook(ctx: FileContext, func: cst.FunctionDef, facts: ProjectFacts) -> None:
    for dec in func.decorators:
        name = ctx.imports.qualify(dec.decorator) or ""
        on_app = name.startswith(("flask.Flask()", "app.")) or name.endswith("before_app_request")
        if on_app and name.endswith(("before_request", "before_app_request")):
            facts.flask_global_auth |= hook_refuses(ctx, func)
        if name.endswith(".middleware()") or (isinstance(dec.decorator, cst.Call) and
                                              (dotted(dec.decorator.func) or "").endswith(".middleware")):
            facts.fastapi_global_auth |= hook_refuses(ctx, func)


def _strings_in(expr: cst.BaseExpression) -> list[str]:
    out = []
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        for element in expr.elements:
            value = string_value(element.value)
            if value is not None:
                out.append(value)
    return out
