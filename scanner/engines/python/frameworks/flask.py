"""Flask (and Quart, Flask-RESTful, Flask-RESTX): ``@app.route``/``@bp.post`` functions, views mounted with
``add_url_rule(path, view_func=...)`` from any module, ``MethodView``/``Resource`` classes judged by the URL
they are mounted at (``add_url_rule``, ``add_resource``, ``@ns.route``). Auth: decorators, ``decorators = [...]``
on a class view, a wrapper around ``view_func``, ``before_request`` hooks that refuse the caller. CORS:
flask-cors ``CORS(...)``/``@cross_origin`` (default origins ``*``; origin strings with regex characters are
regexes matched with ``re.match``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.calls import guarding_decorator, hook_refuses
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
from scanner.engines.python.mounts import join, mounts_of, receiver_key
from scanner.engines.python.names import dotted, string_value
from scanner.engines.python.project import module_of

if TYPE_CHECKING:
    from scanner.engines.python.cors_analysis import CorsCollector

_VIEW_BASES = frozenset({"MethodView", "View", "Resource"})
_VERBS = ("get", "post", "put", "patch", "delete")


class Flask(Framework):
    """Flask routes, class views and mounted view functions."""

    name = "flask"
    roots = frozenset({"flask", "quart", "flask_restful", "flask_restx", "flask_smorest"})
    label = "Flask"

    def active(self, ctx: FileContext, imported: set[str]) -> bool:
        """Flask imported, or some module mounts a function or class of this one (``add_url_rule``)."""
        if imported & self.roots:
            return True
        module = module_of(ctx.path)
        return any(name.rpartition(".")[0] == module or name.rpartition(".")[0].endswith("." + module)
                   for name in mounts_of(ctx.project, ctx.knowledge).views)

    def function_route(self, ctx: FileContext, func: cst.FunctionDef, active: set[str],
                       facts: ProjectFacts) -> Route | None:
        """``@app.route(path)``-style functions, then functions mounted with ``add_url_rule``."""
        for dec, call, verb in route_decorators(func):
            if receiver_framework(ctx, call, active) != self.name:
                continue
            if isinstance(call.func, cst.Attribute) and \
                    mounts_of(ctx.project, ctx.knowledge).unmounted(receiver_key(ctx, call.func.value)):
                return None  # its blueprint is registered nowhere: the route answers nothing
            path = decorated_path(ctx, call)
            method = methods_of(call, verb)
            receiver = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else ""
            authed = auth_decorated(ctx, func) or facts.flask_global_auth or (receiver or "") in hooked(ctx)
            return make_route(ctx, self.name, func, f"{method} {path or '?'}", dec, authed, path or "",
                              method=method)
        wired = mounts_of(ctx.project, ctx.knowledge).view(f"{module_of(ctx.path)}.{func.name.value}")
        if wired is None or wired.framework != self.name:
            return None
        authed = wired.authed or facts.flask_global_auth or auth_decorated(ctx, func)
        method = "GET" if wired.method == "*" else wired.method
        return make_route(ctx, self.name, func, f"{method} {wired.path}", func.name, authed, wired.path,
                          method=method)

    def class_route(self, ctx: FileContext, cls: cst.ClassDef, active: set[str],
                    facts: ProjectFacts) -> Route | None:
        """A ``MethodView``/``View``/``Resource`` subclass, labelled by the URL it is mounted at."""
        qualified = [ctx.imports.qualify(b.value) or "" for b in cls.bases]
        if not ({q.rsplit(".", 1)[-1] for q in qualified} & _VIEW_BASES and
                {q.split(".")[0] for q in qualified if "." in q} & self.roots):
            return None
        verbs = [s.name.value.upper() for s in cls.body.body
                 if isinstance(s, cst.FunctionDef) and s.name.value in _VERBS]
        wired = mounts_of(ctx.project, ctx.knowledge).view(f"{module_of(ctx.path)}.{cls.name.value}")
        path = wired.path if wired is not None else _class_decorator_path(ctx, cls)
        authed = _view_authed(ctx, cls) or facts.flask_global_auth or (wired is not None and wired.authed)
        method = ",".join(verbs) or "*"
        return make_route(ctx, self.name, cls, f"{method if verbs else '?'} {path or 'view'}", cls.name, authed,
                          path, method=method)

    def cors_call(self, collector: CorsCollector, call: cst.Call, name: str) -> bool:
        """flask-cors ``CORS(app, ...)`` / ``@cross_origin(...)``: origins ``*`` unless listed."""
        if not (name.startswith("flask_cors") and name.rsplit(".", 1)[-1] in ("CORS", "cross_origin")):
            return False
        kwargs = {a.keyword.value: a for a in call.args if a.keyword is not None}
        creds = "supports_credentials" in kwargs and collector.true(kwargs["supports_credentials"].value)
        code = "CORS503" if creds else "CORS501"
        origins = kwargs.get("origins")
        resources = kwargs.get("resources")
        anchors: list[cst.CSTNode] = [call]
        if origins is not None:
            anchors = [origins] if collector.allows_any(origins.value) else []
            for weak, why in collector.weak(origins.value, fullmatch=False, regex_only=True):
                collector.hit(code, weak, f"flask-cors: {why}")
        elif resources is not None and isinstance(resources.value, cst.Dict):
            anchors = _resource_anchors(collector, call, resources.value)
        for anchor in anchors:
            collector.hit(code, anchor, "flask-cors allows any origin")
        return True


def _resource_anchors(collector: CorsCollector, call: cst.Call, resources: cst.Dict) -> list[cst.CSTNode]:
    anchors: list[cst.CSTNode] = []
    for element in resources.elements:
        options = element.value if isinstance(element, cst.DictElement) else None
        if not isinstance(options, cst.Dict):
            continue
        found = [e for e in options.elements if isinstance(e, cst.DictElement) and string_value(e.key) == "origins"]
        if not found:
            anchors.append(call)
        anchors += [e for e in found if collector.allows_any(e.value)]
    return anchors


def hooked(ctx: FileContext) -> set[str]:
    """Receivers (app or blueprint names) of this module with a ``before_request`` hook that authenticates."""
    cached = ctx.memo.get("flask-hooked")
    if isinstance(cached, set):
        return cached
    found = set()
    for func in index_of(ctx).functions:
        for dec in func.decorators:
            name = dotted(dec.decorator) or ""
            if name.endswith((".before_request", ".before_app_request")) and hook_refuses(ctx, func):
                found.add(name.rsplit(".", 1)[0])
    for call in index_of(ctx).calls:
        if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "before_request"):
            continue
        target = (dotted(call.args[0].value) or "") if call.args else ""
        hook = ctx.project.local_definition(ctx.module, target)
        if hook is not None and hook_refuses(ctx, hook):
            found.add(dotted(call.func.value) or "")
    ctx.memo["flask-hooked"] = found
    return found


def _class_decorator_path(ctx: FileContext, cls: cst.ClassDef) -> str:
    """The path of a Flask-RESTX/smorest ``@ns.route("/x")`` class decorator, with the namespace prefix."""
    for dec in cls.decorators:
        call = dec.decorator
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and \
                call.func.attr.value == "route" and call.args:
            path = string_value(call.args[0].value)
            if path is not None:
                return join(mounts_of(ctx.project, ctx.knowledge).prefix(receiver_key(ctx, call.func.value)), path)
    return ""


def _view_authed(ctx: FileContext, cls: cst.ClassDef) -> bool:
    """``decorators = [login_required]``, an auth decorator on a method, or ``add_url_rule(...,
    login_required(View.as_view(...)))`` in this module."""
    for stmt in cls.body.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
        if isinstance(small, cst.Assign) and dotted(small.targets[0].target) in ("decorators", "method_decorators") \
                and isinstance(small.value, (cst.List, cst.Tuple, cst.Dict)) and \
                any(guarding_decorator(ctx, ctx.imports.qualify(n) or "") for n in _names(small.value)):
            return True
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value in _VERBS and auth_decorated(ctx, stmt):
            return True
    for call in index_of(ctx).calls:
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "add_url_rule":
            for arg in call.args:
                if isinstance(arg.value, cst.Call) and cls.name.value in ctx.code_of(arg.value) and \
                        guarding_decorator(ctx, ctx.imports.qualify(arg.value.func) or ""):
                    return True
    return False


def _names(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Decorator expressions of a ``decorators``/``method_decorators`` list or dict (calls unwrapped)."""
    if isinstance(expr, cst.Dict):
        items: list[cst.BaseExpression] = []
        for e in expr.elements:
            items += _names(e.value) if isinstance(e.value, (cst.List, cst.Tuple)) else [e.value]
        return items
    assert isinstance(expr, (cst.List, cst.Tuple))
    return [e.value.func if isinstance(e.value, cst.Call) else e.value for e in expr.elements]
