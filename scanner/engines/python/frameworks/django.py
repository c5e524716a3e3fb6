"""Django and DRF: function views (wired in ``urls.py`` or, in a ``views`` module, taking ``request``), class
views, API views and viewsets. Auth: decorators, ``urls.py`` wrappers, mixins, ``method_decorator``, DRF
``permission_classes`` (or the settings default, ``AllowAny`` when unset), ``LoginRequiredMiddleware``. CORS:
django-cors-headers settings (``CORS_ALLOW_ALL_ORIGINS``, ``CORS_ALLOWED_ORIGIN_REGEXES``, matched with
``re.match``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.calls import body_facts, context_of, guarding_decorator
from scanner.engines.python.facts import ProjectFacts
from scanner.engines.python.frameworks.base import Framework, Route, make_route
from scanner.engines.python.names import dotted, string_value
from scanner.engines.python.project import module_of
from scanner.knowledge import (
    DJANGO_AUTH_MIXINS,
    DJANGO_VIEW_BASES,
    DRF_OPEN_PERMISSIONS,
    DRF_VIEW_BASES,
)

if TYPE_CHECKING:
    from scanner.engines.python.cors_analysis import CorsCollector

_VIEW_METHODS = ("dispatch", "get", "post", "put", "patch", "delete")
_ALLOW_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")
_REGEXES = ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST")


def is_views_module(path: str) -> bool:
    """True for a Django views module: ``views.py`` or a file inside a ``views/`` package."""
    return path.rsplit("/", 1)[-1] == "views.py" or "/views/" in f"/{path}"


class Django(Framework):
    """Django and DRF views."""

    name = "django"
    roots = frozenset({"django", "rest_framework", "adrf"})  # adrf: async DRF views and viewsets

    def active(self, ctx: FileContext, imported: set[str]) -> bool:
        """Django imported, or a ``views`` module (views often import nothing from Django)."""
        return bool(imported & self.roots) or is_views_module(ctx.path)

    def function_route(self, ctx: FileContext, func: cst.FunctionDef, active: set[str],
                       facts: ProjectFacts) -> Route | None:
        """A function view."""
        return django_function_view(ctx, func, facts)

    def class_route(self, ctx: FileContext, cls: cst.ClassDef, active: set[str],
                    facts: ProjectFacts) -> Route | None:
        """A class view, API view or viewset."""
        qualified = [_name(ctx, b.value) for b in cls.bases]
        bases = {q.rsplit(".", 1)[-1] for q in qualified}
        roots = {q.split(".")[0] for q in qualified if "." in q}
        if bases & (DRF_VIEW_BASES | DJANGO_VIEW_BASES) and roots & self.roots:
            if facts.url_view(f"{module_of(ctx.path)}.{cls.name.value}") is None and \
                    _unreferenced(ctx, cls.name.value, facts):
                return None
            return _class_view(ctx, cls, bases, facts)
        return None

    def cors_assign(self, collector: CorsCollector, target: str, node: cst.Assign) -> bool:
        """django-cors-headers settings: allow-all flags, origin regexes, ``CORS_ALLOW_CREDENTIALS``."""
        if (target in _ALLOW_ALL and collector.true(node.value)) or \
                (target in _REGEXES and collector.allows_any(node.value)):
            collector.settings.append((node, "django-cors-headers allows any origin"))
        elif target in _REGEXES:
            collector.settings += [(n, f"django-cors-headers: {why}") for n, why in
                                   collector.weak(node.value, fullmatch=False, regex_only=False)]
        elif target == "CORS_ALLOW_CREDENTIALS" and collector.true(node.value):
            collector.settings_credentials = True
        else:
            return False
        return True


def django_function_view(ctx: FileContext, func: cst.FunctionDef, facts: ProjectFacts) -> Route | None:
    """A Django/DRF function view, or None when ``func`` is not one."""
    wired = facts.url_view(f"{module_of(ctx.path)}.{func.name.value}")
    params = func.params.params
    takes_request = bool(params) and params[0].name.value in ("request", "req")
    in_views = ctx.path.rsplit("/", 1)[-1] == "views.py" or "/views/" in f"/{ctx.path}"
    api_view = _decorator(ctx, func, "api_view")
    module_wired = facts.module_wired(module_of(ctx.path))
    if wired is None and (module_wired or not (takes_request and (in_views or api_view is not None))):
        return None
    if wired is None and _unreferenced(ctx, func.name.value, facts):
        return None
    if _is_nested_method(ctx, func):
        return None
    names = [_name(ctx, d.decorator) for d in func.decorators]
    authed = any(guarding_decorator(ctx, n) for n in names if not n.endswith("permission_classes"))
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
                      open_permission=open_node, method=_view_methods(ctx, func))


def _unreferenced(ctx: FileContext, name: str, facts: ProjectFacts) -> bool:
    """True when the project's URL configuration is in sight (some view is wired in a ``urls.py``) and no other
    project file names ``name`` (no import, no pattern, no ``router.register``) and its own module has no
    ``urlpatterns``: a view no URL can reach (dead code, such as a copy left beside the wired view)."""
    if not facts.url_views or "urlpatterns" in ctx.project.texts.get(ctx.path, ""):
        return False
    word = re.compile(rf"\b{re.escape(name)}\b")
    return not any(path != ctx.path and word.search(ctx.project.texts[path])
                   for path in ctx.project.files_containing(name))


def _view_methods(ctx: FileContext, func: cst.FunctionDef) -> str:
    """Methods a function view accepts: ``@api_view(["POST"])``, ``@require_http_methods([...])``,
    ``@require_POST``/``@require_GET``; ``*`` when not restricted."""
    for dec in func.decorators:
        name = _name(ctx, dec.decorator).rsplit(".", 1)[-1]
        if name in ("require_POST", "require_GET", "require_safe"):
            return {"require_POST": "POST", "require_GET": "GET", "require_safe": "GET,HEAD"}[name]
        call = dec.decorator
        if name in ("api_view", "require_http_methods") and isinstance(call, cst.Call) and call.args and \
                isinstance(call.args[0].value, (cst.List, cst.Tuple)):
            verbs = [string_value(e.value) for e in call.args[0].value.elements]
            if verbs and all(verbs):
                return ",".join(v.upper() for v in verbs if v)
    return "*"


def _class_view(ctx: FileContext, cls: cst.ClassDef, bases: set[str], facts: ProjectFacts) -> Route:
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
    return make_route(ctx, "django", cls, label, anchor, authed, wired.route if wired else "",
                      open_permission=open_node, db_hint=db_hint, account_hint=_serializer_account_flow(ctx, cls))


def _serializer_account_flow(ctx: FileContext, cls: cst.ClassDef) -> bool:
    """True when the view's ``serializer_class`` (in this module or a project module) runs an account flow:
    a ``RegisterSerializer`` whose ``create`` calls ``create_user``/``set_password`` makes its generic
    ``CreateAPIView`` a sign-up view."""
    attr = _class_attr(cls, "serializer_class")
    name = dotted(attr.value) if attr is not None else None
    if not name:
        return False
    local = ctx.project.local_definition(ctx.module, name) if "." not in name else None
    found = (ctx.path, local) if local is not None else \
        ctx.project.definition(ctx.imports.qualify(attr.value) or name, ctx.path) if attr is not None else None
    module = ctx.project.module(found[0]) if found is not None else None
    if found is None or module is None:
        return False
    other = ctx if found[0] == ctx.path else context_of(ctx, found[0], module)
    return body_facts(other, found[1]).account_flow


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
        if any(guarding_decorator(ctx, _name(ctx, v.value)) for v in values):
            return True
    return False


def _methods_decorated(ctx: FileContext, cls: cst.ClassDef) -> bool:
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value in _VIEW_METHODS and \
                any(_wraps_auth(ctx, d.decorator) or guarding_decorator(ctx, _name(ctx, d.decorator))
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


def _is_nested_method(ctx: FileContext, func: cst.FunctionDef) -> bool:
    """True for a method of a class (handled as a class view)."""
    methods = ctx.memo.get("methods")
    if not isinstance(methods, set):
        methods = {id(s) for cls in index_of(ctx).classes for s in cls.body.body}
        ctx.memo["methods"] = methods
    return id(func) in methods
