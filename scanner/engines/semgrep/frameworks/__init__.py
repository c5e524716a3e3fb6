"""One module per JS/TS web framework behind one small protocol, registered in FRAMEWORKS.

A framework module says whether a file uses it, which routes the file declares (from semgrep's route facts
and its own reading of the text), how auth attaches to a route there (middleware chains, mounts, guards,
the Next.js middleware) and which CORS settings it makes that the shared semgrep rules cannot see.
Adding a framework: one module here, one line in FRAMEWORKS, its tests."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.express import Express
from scanner.engines.semgrep.frameworks.hono import Hono
from scanner.engines.semgrep.frameworks.nestjs import NestJs
from scanner.engines.semgrep.frameworks.nextjs import NextJs
from scanner.engines.semgrep.frameworks.serverless import Serverless
from scanner.engines.semgrep.frameworks.shared import CorsHit
from scanner.engines.semgrep.frameworks.websocket import WebSocket
from scanner.engines.semgrep.imports import imports_of, resolve
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route
from scanner.engines.semgrep.runner import Match

__all__ = ["FRAMEWORKS", "CorsHit", "JsFramework", "routes_of"]


class JsFramework(Protocol):
    """What every framework module provides."""

    name: str

    def declares(self, doc: Doc) -> bool:
        """True when ``doc`` uses this framework (its routes can only come from such files)."""
        ...

    def routes(self, doc: Doc, matches: Sequence[Match], project: Project) -> list[Route]:
        """The routes ``doc`` declares; ``matches`` are semgrep's route facts in ``doc``."""
        ...

    def authenticated(self, route: Route, project: Project) -> bool:
        """True when this framework's way of attaching auth covers ``route`` (the handler's own checks are
        judged by the caller)."""
        ...

    def cors(self, doc: Doc) -> list[CorsHit]:
        """CORS settings only this framework makes (``enableCors()``, ``hono/cors`` defaults, ...)."""
        ...


FRAMEWORKS: dict[str, JsFramework] = {
    "express": Express(), "hono": Hono(), "nestjs": NestJs(), "nextjs": NextJs(), "serverless": Serverless(),
    "websocket": WebSocket(),
}


@dataclass(frozen=True)
class _Key:
    path: str
    start: int
    url: str
    method: str


def routes_of(doc: Doc, matches: Sequence[Match], project: Project) -> list[tuple[JsFramework, Route]]:
    """Every route ``doc`` declares, with the framework module that found it (one per anchor and method)."""
    seen: set[_Key] = set()
    out = []
    declaring = [f for f in FRAMEWORKS.values() if f.declares(doc)] or _by_factory(doc, project) or \
        _by_registrar(doc, project)
    for framework in declaring:
        for route in framework.routes(doc, matches, project):
            key = _Key(route.match.path, route.match.start, route.url, route.method)
            if key not in seen:
                seen.add(key)
                out.append((framework, route))
    return out


#: Frameworks whose app or router a project module can build for others (``createApp = () => new Hono()``).
_FACTORY_FRAMEWORKS = ("express", "hono")
_BUILDS_APP = re.compile(r"\bnew\s+Hono\b|\bexpress\(\s*\)|\bRouter\(\s*\)")
#: A router-style route declaration (``app.get("/x", ...)``, ``.route("/x")``): only such files can use a factory.
_ROUTE_CALL = re.compile(r"\.(?:get|post|put|patch|delete|all|options|head|on|route|use)\s*\(\s*[\"'`/]")


def _by_factory(doc: Doc, project: Project) -> list[JsFramework]:
    """The router-style frameworks of the project modules ``doc`` imports from: a route file that builds its
    router with a project factory (``createApp()`` from ``@/utils/server``, which imports Hono) uses Hono."""
    out: list[JsFramework] = []
    if _ROUTE_CALL.search(doc.text) is None:
        return out
    for name, spec, _line in imports_of(doc.text):
        if not re.search(rf"\b{re.escape(name)}\s*\(", doc.text):
            continue
        for target in resolve(doc.path, spec, project.docs):
            text = project.docs[target].text
            if _BUILDS_APP.search(text):
                out += [FRAMEWORKS[n] for n in _FACTORY_FRAMEWORKS
                        if FRAMEWORKS[n].declares(project.docs[target]) and FRAMEWORKS[n] not in out]
    return out


def _by_registrar(doc: Doc, project: Project) -> list[JsFramework]:
    """The router-style frameworks of the app modules that import ``doc`` and call what it exports with
    arguments: ``routes(app, openai)`` in an Express entry file makes ``app.post("/", ...)`` inside
    ``function routes(app, openai)`` a route. The importer map is built once per scan."""
    if _ROUTE_CALL.search(doc.text) is None:
        return []
    cached = project.cache.get("registrars")
    registrars: dict[str, list[JsFramework]] = cached if isinstance(cached, dict) else {}
    if not isinstance(cached, dict):
        for importer in project.docs.values():
            frameworks = [FRAMEWORKS[n] for n in _FACTORY_FRAMEWORKS if FRAMEWORKS[n].declares(importer)]
            if not frameworks:
                continue
            for name, spec, _line in imports_of(importer.text):
                if re.search(rf"(?<![\w$.]){re.escape(name)}\s*\(\s*[\w$]", importer.text):
                    for target in resolve(importer.path, spec, project.docs):
                        registrars.setdefault(target, frameworks)
        project.cache["registrars"] = registrars
    return list(registrars.get(doc.path, []))
