"""Django and DRF views, and Flask ``MethodView`` classes: which are views and what protects them.

Function views are found through ``urls.py`` (``project_facts``) or, in a ``views`` module, by a first
parameter named ``request``; class views by their bases. Auth comes from decorators, ``urls.py`` wrappers,
mixins, ``method_decorator``, DRF ``permission_classes`` (or the settings default, ``AllowAny`` when unset)
and Flask's ``decorators = [...]`` / ``add_url_rule`` wrappers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.facts import ProjectFacts
from scanner.engines.python.mounts import join, mounts_of, receiver_key
from scanner.engines.python.names import dotted
from scanner.engines.python.project import module_of
from scanner.knowledge import (
    DJANGO_AUTH_MIXINS,
    DJANGO_VIEW_BASES,
    DRF_OPEN_PERMISSIONS,
    DRF_VIEW_BASES,
)

_VIEW_METHODS = ("dispatch", "get", "post", "put", "patch", "delete")
#: Flask class views: ``MethodView``/``View`` and Flask-RESTful/RESTX ``Resource``.
_FLASK_VIEW_BASES = frozenset({"MethodView", "View", "Resource"})
_FLASK_ROOTS = frozenset({"flask", "quart", "flask_restful", "flask_restx", "flask_smorest"})

if TYPE_CHECKING:
    from scanner.engines.python.routes import Route


def django_function_view(ctx: FileContext, func: cst.FunctionDef, facts: ProjectFacts) -> Route | None:
    """A Django/DRF function view, or None when ``func`` is not one."""
    from scanner.engines.python.routes import make_route

    wired = facts.url_view(f"{module_of(ctx.path)}.{func.name.value}")
    params = func.params.params
    takes_request = bool(params) and params[0].name.value in ("request", "req")
    in_views = ctx.path.rsplit("/", 1)[-1] == "views.py" or "/views/" in f"/{ctx.path}"
    api_view = _decorator(ctx, func, "api_view")
    module_wired = facts.module_wired(module_of(ctx.path))
    if wired is None and (module_wired or not (takes_request and (in_views or api_view is not None))):
        return None
    if _is_nested_method(ctx, func):
        return None
    names = [_name(ctx, d.decorator) for d in func.decorators]
    authed = any(ctx.knowledge.is_auth_decorator(n) for n in names if not n.endswith("permission_classes"))
    authed = authed or facts.django_global_auth or (wired is not None and wired.authed)
    open_node = None
    if api_view is not None:
        perm = _decorator(ctx, func, "permission_classes")
        if perm is None:
            authed = authed or facts.drf_default_authenticated
        elif _open(ctx, perm.decorator):
            open_node = perm
        else:
            authed = True
    label = f"{'DRF' if api_view else 'Django'} view {wired.route if wired else ''}".rstrip()
    return make_route(ctx, "django", func, label, func.name, authed, wired.route if wired else "",
                      open_permission=open_node)


def class_views(ctx: FileContext, frameworks: set[str], facts: ProjectFacts) -> list[Route]:
    """Django class views, DRF API views and viewsets, and Flask ``MethodView`` classes of the module."""
    from scanner.engines.python.routes import make_route

    routes = []
    for cls in index_of(ctx).classes:
        qualified = [_name(ctx, b.value) for b in cls.bases]
        bases = {q.rsplit(".", 1)[-1] for q in qualified}
        roots = {q.split(".")[0] for q in qualified if "." in q}
        if "flask" in frameworks and bases & _FLASK_VIEW_BASES and roots & _FLASK_ROOTS:
            authed = _flask_view_authed(ctx, cls) or facts.flask_global_auth
            verbs = [s.name.value.upper() for s in cls.body.body
                     if isinstance(s, cst.FunctionDef) and s.name.value in _VIEW_METHODS[1:]]
            wired = mounts_of(ctx.project, ctx.knowledge).view(f"{module_of(ctx.path)}.{cls.name.value}")
            path = wired.path if wired is not None else _class_route(ctx, cls)
            authed = authed or (wired is not None and wired.authed)
            label = f"{','.join(verbs) or '?'} {path or 'view'}"
            routes.append(make_route(ctx, "flask", cls, label, cls.name, authed, path,
                                     method=",".join(verbs) or "*"))
        elif "django" in frameworks and bases & (DRF_VIEW_BASES | DJANGO_VIEW_BASES) and \
                roots & {"django", "rest_framework"}:
            routes.append(_django_class_view(ctx, cls, bases, facts, make_route))
    return routes


def _django_class_view(ctx: FileContext, cls: cst.ClassDef, bases: set[str], facts: ProjectFacts,
                       make_route: object) -> Route:
    wired = facts.url_view(f"{module_of(ctx.path)}.{cls.name.value}")
    authed = bool(bases & DJANGO_AUTH_MIXINS) or facts.django_global_auth
    authed = authed or (wired is not None and wired.authed)
    authed = authed or any("method_decorator" in _name(ctx, d.decorator) and _wraps_auth(ctx, d.decorator)
                           for d in cls.decorators) or _methods_decorated(ctx, cls)
    anchor: cst.CSTNode = cls.name
    open_node = None
    if bases & DRF_VIEW_BASES:
        perm = _class_attr(cls, "permission_classes")
        if perm is None:
            authed = authed or facts.drf_default_authenticated
        elif _open(ctx, perm.value):
            anchor = open_node = perm
        else:
            authed = True
    db_hint = _class_attr(cls, "queryset") is not None
    db_hint = db_hint or bool(bases & {"ModelViewSet", "ReadOnlyModelViewSet"})
    kind = "DRF" if bases & DRF_VIEW_BASES else "Django"
    label = f"{kind} view {wired.route if wired else ''}".rstrip()
    assert callable(make_route)
    route: Route = make_route(ctx, "django", cls, label, anchor, authed, wired.route if wired else "",
                              open_permission=open_node, db_hint=db_hint)
    return route


def _name(ctx: FileContext, expr: cst.BaseExpression) -> str:
    target = expr.func if isinstance(expr, cst.Call) else expr
    return ctx.imports.qualify(target) or ""


def _decorator(ctx: FileContext, func: cst.FunctionDef, last: str) -> cst.Decorator | None:
    for dec in func.decorators:
        if _name(ctx, dec.decorator).rsplit(".", 1)[-1] == last:
            return dec
    return None


def _open(ctx: FileContext, expr: cst.BaseExpression) -> bool:
    """True when a permission list (or ``@permission_classes([...])``) holds only ``AllowAny`` or nothing."""
    if isinstance(expr, cst.Call):
        expr = expr.args[0].value if expr.args else cst.List([])
    if not isinstance(expr, (cst.List, cst.Tuple)):
        return False
    names = {_name(ctx, e.value).rsplit(".", 1)[-1] for e in expr.elements}
    return names <= DRF_OPEN_PERMISSIONS


def _wraps_auth(ctx: FileContext, expr: cst.BaseExpression) -> bool:
    if not isinstance(expr, cst.Call):
        return False
    for arg in expr.args:
        values = arg.value.elements if isinstance(arg.value, (cst.List, cst.Tuple)) else [arg]
        if any(ctx.knowledge.is_auth_decorator(_name(ctx, v.value)) for v in values):
            return True
    return False


def _methods_decorated(ctx: FileContext, cls: cst.ClassDef) -> bool:
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value in _VIEW_METHODS and \
                any(_wraps_auth(ctx, d.decorator) or ctx.knowledge.is_auth_decorator(_name(ctx, d.decorator))
                    for d in stmt.decorators):
            return True
    return False


def _class_attr(cls: cst.ClassDef, name: str) -> cst.Assign | None:
    for stmt in cls.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and dotted(small.targets[0].target) == name:
                    return small
    return None


def _flask_view_authed(ctx: FileContext, cls: cst.ClassDef) -> bool:
    attr = _class_attr(cls, "decorators")
    if attr is not None and isinstance(attr.value, (cst.List, cst.Tuple)) and \
            any(ctx.knowledge.is_auth_decorator(_name(ctx, e.value)) for e in attr.value.elements):
        return True
    for call in index_of(ctx).calls:
        if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "add_url_rule"):
            continue
        for arg in call.args:
            if isinstance(arg.value, cst.Call) and cls.name.value in ctx.code_of(arg.value) and \
                    ctx.knowledge.is_auth_decorator(_name(ctx, arg.value)):
                return True
    return _methods_decorated(ctx, cls)


def _class_route(ctx: FileContext, cls: cst.ClassDef) -> str:
    """The path of a Flask-RESTX/smorest ``@ns.route("/x")`` class decorator, with the namespace prefix."""
    for dec in cls.decorators:
        call = dec.decorator
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and \
                call.func.attr.value == "route" and call.args:
            path = call.args[0].value
            if isinstance(path, (cst.SimpleString, cst.ConcatenatedString)) and \
                    isinstance(path.evaluated_value, str):
                prefix = mounts_of(ctx.project, ctx.knowledge).prefix(receiver_key(ctx, call.func.value))
                return join(prefix, path.evaluated_value)
    return ""


def _is_nested_method(ctx: FileContext, func: cst.FunctionDef) -> bool:
    """True for a method of a class (handled as a class view)."""
    methods = ctx.memo.get("methods")
    if not isinstance(methods, set):
        methods = {id(s) for cls in index_of(ctx).classes for s in cls.body.body}
        ctx.memo["methods"] = methods
    return id(func) in methods
