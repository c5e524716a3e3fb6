"""Starlette: ``Route(path, endpoint)`` / ``Mount(prefix, routes=[...])`` tables (read project-wide by
``mounts``), ``@requires("authenticated")`` on the endpoint; CORS: ``CORSMiddleware`` (also FastAPI's), which
answers with the request's own origin when any origin is allowed together with credentials (CORS503).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.facts import ProjectFacts
from scanner.engines.python.frameworks.base import Framework, Route, auth_decorated, decorator_name, make_route
from scanner.engines.python.mounts import mounts_of
from scanner.engines.python.project import module_of

if TYPE_CHECKING:
    from scanner.engines.python.cors_analysis import CorsCollector


class Starlette(Framework):
    """Starlette endpoints mounted in route tables, and CORSMiddleware."""

    name = "starlette"
    roots = frozenset({"starlette"})
    label = "Starlette"

    def active(self, ctx: FileContext, imported: set[str]) -> bool:
        """Some route table mounts a function of this module."""
        module = module_of(ctx.path)
        return any(name.rpartition(".")[0] == module or name.rpartition(".")[0].endswith("." + module)
                   for name in mounts_of(ctx.project, ctx.knowledge).views)

    def function_route(self, ctx: FileContext, func: cst.FunctionDef, active: set[str],
                       facts: ProjectFacts) -> Route | None:
        """An endpoint named in a ``Route(...)`` of some route table."""
        wired = mounts_of(ctx.project, ctx.knowledge).view(f"{module_of(ctx.path)}.{func.name.value}")
        if wired is None or wired.framework != self.name:
            return None
        authed = facts.fastapi_global_auth or auth_decorated(ctx, func) or any(
            decorator_name(ctx, d) == "starlette.authentication.requires" for d in func.decorators)
        return make_route(ctx, self.name, func, f"{wired.method} {wired.path}", func.name, authed, wired.path,
                          method=wired.method)

    def cors_call(self, collector: CorsCollector, call: cst.Call, name: str) -> bool:
        """``add_middleware(CORSMiddleware, ...)``, ``Middleware(CORSMiddleware, ...)``, ``CORSMiddleware(app, ...)``:
        ``allow_origins`` with ``*`` or an ``allow_origin_regex`` (matched in full) that lets foreign origins in."""
        middleware = name.replace("()", "").rsplit(".", 1)[-1] == "CORSMiddleware" or any(
            (collector.ctx.imports.qualify(a.value) or "").endswith("CORSMiddleware") for a in call.args)
        if not middleware:
            return False
        kwargs = {a.keyword.value: a for a in call.args if a.keyword is not None}
        creds = "allow_credentials" in kwargs and collector.true(kwargs["allow_credentials"].value)
        code = "CORS503" if creds else "CORS501"
        for key in ("allow_origins", "allow_origin_regex"):
            if key in kwargs and collector.allows_any(kwargs[key].value):
                collector.hit(code, kwargs[key], "Starlette CORSMiddleware allows any origin")
            elif key == "allow_origin_regex" and key in kwargs:
                for weak, why in collector.weak(kwargs[key].value, fullmatch=True, regex_only=False):
                    collector.hit(code, weak, f"Starlette CORSMiddleware: {why}")
        return True
