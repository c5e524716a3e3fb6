"""One module per JS/TS web framework behind one small protocol, registered in FRAMEWORKS.

A framework module says whether a file uses it, which routes the file declares (from semgrep's route facts
and its own reading of the text), how auth attaches to a route there (middleware chains, mounts, guards,
the Next.js middleware) and which CORS settings it makes that the shared semgrep rules cannot see.
Adding a framework: one module here, one line in FRAMEWORKS, its tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.express import Express
from scanner.engines.semgrep.frameworks.hono import Hono
from scanner.engines.semgrep.frameworks.nestjs import NestJs
from scanner.engines.semgrep.frameworks.nextjs import NextJs
from scanner.engines.semgrep.frameworks.shared import CorsHit
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
    "express": Express(), "hono": Hono(), "nestjs": NestJs(), "nextjs": NextJs(),
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
    for framework in FRAMEWORKS.values():
        if framework.declares(doc):
            for route in framework.routes(doc, matches, project):
                key = _Key(route.match.path, route.match.start, route.url, route.method)
                if key not in seen:
                    seen.add(key)
                    out.append((framework, route))
    return out
