"""Where routes are mounted, project-wide: router/blueprint URL prefixes and views wired by a call.

Prefixes come from ``APIRouter(prefix=...)`` and ``Blueprint(..., url_prefix=...)``, then from the calls that
mount them: ``include_router(router, prefix=...)`` (FastAPI adds it, a router included in a router adds its
parent's prefix too) and ``register_blueprint(bp, url_prefix=...)`` (Flask replaces the blueprint's own).
Wired views are Flask ``add_url_rule(path, view_func=...)`` and Flask-RESTful/RESTX ``add_resource(Cls, path)``:
the handler may live in another module, so the rule for that module looks its qualified name up here.
Keys are dotted ``module.name`` strings (``app.routers.chat.router``), matched allowing a source root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.names import dotted, module_constants, string_value
from scanner.engines.python.project import Project, absolute, module_of, same_module
from scanner.knowledge import Knowledge, is_test_path

_ROUTER_CLASSES = ("APIRouter", "Blueprint", "Namespace", "Router")
_PREFIX_KEYWORDS = ("prefix", "url_prefix", "path")
_MAX_NESTING = 6
#: Text a file must hold to be read here (a cheap filter before parsing): a mounting call and a framework.
_NEEDLES = ("APIRouter(", "Blueprint(", "Namespace(", "include_router", "register_blueprint", "add_url_rule(",
            "add_resource(", "add_namespace(", "Mount(", "Route(")
#: Text a module needs to be read for mounts: a framework's name, or a mounting call (``register_all(app)`` in
#: ``blueprints/__init__.py`` registers blueprints without naming Flask).
_FRAMEWORK_WORDS = ("fastapi", "flask", "starlette", "quart", "litestar", "register_blueprint", "include_router")
_T = TypeVar("_T")


@dataclass(frozen=True)
class WiredView:
    """A view mounted by a call: its verbs (``POST``, ``GET,POST`` or ``*``), URL path (with the mounting
    receiver's prefix) and whether the call wraps it in an auth decorator (``login_required(view)``)."""

    method: str
    path: str
    authed: bool
    framework: str = "flask"


@dataclass
class Mounts:
    """Own prefixes of routers (``own``), where each is mounted (``mounted``: parent key, prefix, whether
    the prefix replaces the router's own) and views wired by ``add_url_rule``/``add_resource``."""

    own: dict[str, str] = field(default_factory=dict)
    mounted: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    views: dict[str, tuple[str, WiredView]] = field(default_factory=dict)
    #: Every module-level ``APIRouter()`` and Flask ``Blueprint()`` (``module.name``).
    routers: set[str] = field(default_factory=set)

    #: A mounting method passed as a value (``map(app.register_blueprint, blueprints)``): what it mounts is unknown.
    opaque: bool = False

    def unmounted(self, key: str) -> bool:
        """True when FastAPI router or Flask blueprint ``key`` is never included (registered) anywhere while the
        project mounts its routers by name: its routes answer nothing (a ``routers/file.py`` left out of
        ``main.py``, a blueprint no ``register_blueprint`` names). False whenever some
        ``include_router`` argument does not resolve to a known router (a loop over a list, a package
        re-export): it might be this one."""
        known = dict.fromkeys(self.routers, True)
        if self.opaque or not self.mounted or _lookup(known, key) is None or _lookup(self.mounted, key) is not None:
            return False
        return all(_lookup(known, child) is not None for child in self.mounted)

    def prefix(self, key: str, depth: int = 0) -> str:
        """The full URL prefix of router ``key`` (``""`` when unknown or none)."""
        own = _lookup(self.own, key) or ""
        mount = _lookup(self.mounted, key)
        if mount is None or depth > _MAX_NESTING:
            return own
        parent, prefix, replaces = mount
        outer = self.prefix(parent, depth + 1) if parent and parent != key else ""
        return join(outer, prefix, "" if replaces else own)

    def view(self, qualified: str) -> WiredView | None:
        """The wiring of a view by its qualified name (path with its receiver's prefix), or None."""
        found = _lookup(self.views, qualified)
        if found is None:
            return None
        receiver, wired = found
        return WiredView(wired.method, join(self.prefix(receiver), wired.path), wired.authed, wired.framework)


def _lookup(table: dict[str, _T], key: str) -> _T | None:
    if key in table:
        return table[key]
    for name, value in table.items():
        if same_module(name, key):
            return value
    return None


def join(*parts: str) -> str:
    """URL parts joined with single slashes: ``join("/api", "/v1/", "chat")`` -> ``/api/v1/chat``."""
    pieces = [p.strip("/") for p in parts if p and p.strip("/")]
    tail = "/" if parts and parts[-1].endswith("/") and pieces else ""
    return ("/" + "/".join(pieces) + tail) if pieces else (parts[-1] if parts else "")


def receiver_key(ctx: FileContext, expr: cst.BaseExpression) -> str:
    """The dotted key of a router/app expression: ``module.name`` for a name assigned in this module, the
    imported name (made absolute) otherwise."""
    name = dotted(expr) or ""
    head = name.split(".")[0]
    if head in module_constants(ctx.module) or head not in ctx.imports.aliases:
        return f"{module_of(ctx.path)}.{name}"
    return absolute(ctx.imports.qualify(expr) or name, ctx.path)


def mounts_of(project: Project, knowledge: Knowledge) -> Mounts:
    """The project's ``Mounts`` (computed on first use, cached on the project)."""
    cached = project.facts_cache.get("mounts")
    if isinstance(cached, Mounts):
        return cached
    mounts = Mounts()
    for path in project.files_containing(*_NEEDLES):
        text = project.texts[path]
        if is_test_path(path) or not any(word in text for word in _FRAMEWORK_WORDS):
            continue
        module = project.module(path)
        if module is not None:
            _read(FileContext(path, module, project.imports(path), project, knowledge), mounts)
    project.facts_cache["mounts"] = mounts
    return mounts


def wired_paths(project: Project, knowledge: Knowledge) -> set[str]:
    """Project files that define a view some route table mounts (they may import no framework at all)."""
    views = mounts_of(project, knowledge).views
    if not views:
        return set()
    modules = {name.rpartition(".")[0] for name in views} - {""}
    return {p for p in project.texts if p.endswith(".py") and
            any(same_module(module_of(p), m) for m in modules)}


def _text(ctx: FileContext, expr: cst.BaseExpression | None) -> str | None:
    value = string_value(expr)
    if value is None and isinstance(expr, cst.Name):
        value = string_value(module_constants(ctx.module).get(expr.value))
    return value


def _keyword(call: cst.Call, *names: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names:
            return arg.value
    return None


def _read(ctx: FileContext, mounts: Mounts) -> None:
    for stmt in ctx.module.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
        if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) and \
                isinstance(small.targets[0].target, cst.Name):
            cls = (dotted(small.value.func) or "").rsplit(".", 1)[-1]
            prefix = _text(ctx, _keyword(small.value, *_PREFIX_KEYWORDS)) if cls in _ROUTER_CLASSES else None
            if prefix:
                mounts.own[f"{module_of(ctx.path)}.{small.targets[0].target.value}"] = prefix
            if cls in ("APIRouter", "Blueprint"):
                mounts.routers.add(f"{module_of(ctx.path)}.{small.targets[0].target.value}")
    mounted_at: dict[int, str] = {}
    if re.search(r"\.(?:register_blueprint|include_router)\b(?!\s*\()", ctx.project.texts.get(ctx.path, "")):
        mounts.opaque = True
    for call in index_of(ctx).calls:
        if _starlette_route(ctx, call, mounts, mounted_at):
            continue
        if not (isinstance(call.func, cst.Attribute) and call.args):
            continue
        verb = call.func.attr.value
        if verb in ("include_router", "register_blueprint", "add_namespace"):
            prefix = _text(ctx, _keyword(call, "prefix", "url_prefix", "path")) or ""
            child = receiver_key(ctx, call.args[0].value)
            mounts.mounted.setdefault(child, (receiver_key(ctx, call.func.value), prefix,
                                              verb == "register_blueprint" and bool(prefix)))
        elif verb == "add_url_rule":
            _read_url_rule(ctx, call, mounts)
        elif verb == "add_resource":
            _read_resource(ctx, call, mounts)


def _starlette_route(ctx: FileContext, call: cst.Call, mounts: Mounts, mounted_at: dict[int, str]) -> bool:
    """Starlette ``Route(path, endpoint, methods=[...])`` and ``Mount(prefix, routes=[...])`` (calls come in
    source order, so a ``Mount`` is seen before the routes inside it)."""
    name = ctx.imports.qualify(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    if not (name.startswith("starlette") and last in ("Route", "WebSocketRoute", "Mount")) or not call.args:
        return False
    path = join(mounted_at.get(id(call), ""), _text(ctx, call.args[0].value) or "")
    if last == "Mount":
        routes = _keyword(call, "routes")
        for element in routes.elements if isinstance(routes, (cst.List, cst.Tuple)) else ():
            mounted_at[id(element.value)] = path
        return True
    endpoint = call.args[1].value if len(call.args) > 1 and call.args[1].keyword is None else \
        _keyword(call, "endpoint")
    methods = _keyword(call, "methods")
    verbs = [(_text(ctx, e.value) or "?").upper() for e in methods.elements] \
        if isinstance(methods, (cst.List, cst.Tuple, cst.Set)) else []
    if endpoint is not None:
        wired = WiredView(",".join(verbs) or ("WS" if last == "WebSocketRoute" else "GET"), path, False, "starlette")
        mounts.views.setdefault(receiver_key(ctx, endpoint), ("", wired))
    return True


def _read_url_rule(ctx: FileContext, call: cst.Call, mounts: Mounts) -> None:
    path = _text(ctx, call.args[0].value) if call.args[0].keyword is None else _text(ctx, _keyword(call, "rule"))
    view = _keyword(call, "view_func")
    if view is None and len(call.args) >= 3 and call.args[2].keyword is None:
        view = call.args[2].value
    if path is None or view is None:
        return
    authed = False
    while isinstance(view, cst.Call) and view.args:
        if isinstance(view.func, cst.Attribute) and view.func.attr.value == "as_view":
            view = view.func.value
            break
        authed |= ctx.knowledge.is_auth_decorator(ctx.imports.qualify(view.func) or "")
        view = view.args[0].value
    methods = _keyword(call, "methods")
    verbs = [(_text(ctx, e.value) or "?").upper() for e in methods.elements] \
        if isinstance(methods, (cst.List, cst.Tuple, cst.Set)) else []
    receiver = receiver_key(ctx, call.func.value) if isinstance(call.func, cst.Attribute) else ""
    mounts.views.setdefault(receiver_key(ctx, view), (receiver, WiredView(",".join(verbs) or "*", path, authed)))


def _read_resource(ctx: FileContext, call: cst.Call, mounts: Mounts) -> None:
    paths = [p for p in (_text(ctx, a.value) for a in call.args[1:] if a.keyword is None) if p]
    if paths:
        receiver = receiver_key(ctx, call.func.value) if isinstance(call.func, cst.Attribute) else ""
        mounts.views.setdefault(receiver_key(ctx, call.args[0].value), (receiver, WiredView("*", paths[0], False)))
