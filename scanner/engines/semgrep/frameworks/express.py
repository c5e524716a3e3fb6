"""Express (and Koa/Fastify/restify routers): ``app.METHOD(path, ...mw, handler)``, ``router.route(path)``
chains, handlers named from another module, ``app.use(prefix, router)`` mounts and middleware chains."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.shared import CorsHit, chain_routes, router_authenticated, router_route
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route
from scanner.engines.semgrep.runner import Match

_DECLARES = re.compile(
    r"(?:require\(\s*|from\s*)[\"'](?:express|fastify|koa|@koa/router|koa-router|restify|polka)[\"']|"
    r"\bRouter\(\s*\)|\bexpress\(\s*\)"
)


class Express:
    """The Express framework module."""

    name = "express"

    def declares(self, doc: Doc) -> bool:
        """A module that builds an Express-style app or router (so ``x.post('/p', h)`` is a route, not an
        HTTP client call such as ``axios.post('/api/chat', body)``)."""
        return bool(_DECLARES.search(doc.text))

    def routes(self, doc: Doc, matches: Sequence[Match], project: Project) -> list[Route]:
        """``x.METHOD('/p', ..., h)`` registrations (semgrep facts) and ``x.route('/p').get(h)`` chains."""
        out = [r for m in matches if m.rule_id == "js-express-route"
               if (r := router_route(doc, m, project, "express")) is not None]
        return out + chain_routes(doc, project, "express")

    def authenticated(self, route: Route, project: Project) -> bool:
        """Middleware in the chain, an earlier ``router.use(auth)``, or the router mounted with auth."""
        return router_authenticated(route, project)

    def cors(self, doc: Doc) -> list[CorsHit]:
        """Express CORS is read by the shared semgrep rules (``cors()``, options objects, headers)."""
        return []
