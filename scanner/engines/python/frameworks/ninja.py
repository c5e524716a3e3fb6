"""Django Ninja: ``@router.get("/x", auth=...)`` on a ``ninja.Router`` or ``ninja.NinjaAPI`` (ninja-extra's too);
auth from the operation's ``auth=`` (``auth=None`` makes it public), else the router's or the API's ``auth=``
(Django Ninja docs, "Authentication": an auth callable that answers nothing gets a 401). Router prefixes from
``api.add_router`` are not joined.
"""

from __future__ import annotations

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.facts import ProjectFacts
from scanner.engines.python.frameworks.base import Framework, Route, auth_decorated, make_route
from scanner.engines.python.names import dotted, module_constants, string_value

_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "api_operation": "*"}
_ROOTS = ("ninja", "ninja_extra")


class Ninja(Framework):
    """Django Ninja operations and their ``auth=``."""

    name = "ninja"
    roots = frozenset(_ROOTS)
    label = "Django Ninja"

    def function_route(self, ctx: FileContext, func: cst.FunctionDef, active: set[str],
                       facts: ProjectFacts) -> Route | None:
        """A function under ``@<Router or NinjaAPI>.<verb>(path, ...)``."""
        for dec in func.decorators:
            call = dec.decorator
            if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                    and call.func.attr.value in _VERBS):
                continue
            built = _receiver_call(ctx, call.func.value)
            if built is None:
                continue
            method = _VERBS[call.func.attr.value]
            path = string_value(call.args[0].value) if call.args and call.args[0].keyword is None else None
            own = _auth_keyword(call)
            if own is not None:
                authed = not _is_none(own)
            else:
                router = _auth_keyword(built)
                authed = (router is not None and not _is_none(router)) or _api_authed(ctx)
            authed = authed or auth_decorated(ctx, func)
            return make_route(ctx, self.name, func, f"{method} {path or '/'}", dec, authed, path or "/",
                              method=method)
        return None


def _receiver_call(ctx: FileContext, receiver: cst.BaseExpression) -> cst.Call | None:
    """The ``Router(...)``/``NinjaAPI(...)`` call a decorator's receiver was built by (in this module, or a
    module-level name imported from a project module), or None when it is not a Django Ninja router."""
    value: cst.BaseExpression | None = None
    other = ctx
    if isinstance(receiver, cst.Name):
        value = module_constants(ctx.module).get(receiver.value)
    if value is None:
        qualified = ctx.imports.qualify(receiver) or ""
        found = ctx.project.assignment(qualified, ctx.path) if qualified else None
        if found is not None:
            value = found[1]
            module = ctx.project.module(found[0])
            if module is None:
                return None
            other = FileContext(found[0], module, ctx.project.imports(found[0]), ctx.project, ctx.knowledge)
    if not isinstance(value, cst.Call):
        return None
    name = other.imports.qualify(value.func) or ""
    return value if name.split(".")[0] in _ROOTS and name.rsplit(".", 1)[-1] in ("Router", "NinjaAPI",
                                                                                  "NinjaExtraAPI") else None


def _auth_keyword(call: cst.Call) -> cst.BaseExpression | None:
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "auth"), None)


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _api_authed(ctx: FileContext) -> bool:
    """True when a ``NinjaAPI(auth=...)`` in any project module protects every operation by default."""
    cached = ctx.project.facts_cache.get("ninja-api-auth")
    if isinstance(cached, bool):
        return cached
    authed = False
    for path in ctx.project.files_containing("NinjaAPI", "NinjaExtraAPI"):
        module = ctx.project.module(path)
        for value in module_constants(module).values() if module is not None else ():
            if isinstance(value, cst.Call) and (dotted(value.func) or "").rsplit(".", 1)[-1] in (
                    "NinjaAPI", "NinjaExtraAPI"):
                keyword = _auth_keyword(value)
                authed = authed or (keyword is not None and not _is_none(keyword))
    ctx.project.facts_cache["ninja-api-auth"] = authed
    return authed
