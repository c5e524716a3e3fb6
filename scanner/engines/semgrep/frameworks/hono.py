"""Hono: ``app.METHOD(path, ...mw, handler)``, ``app.route(prefix, sub)`` mounts, ``app.use('/api/*', auth)``
and the ``hono/cors`` middleware (whose default origin is ``*``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.shared import CorsHit, chain_routes, router_authenticated, router_route
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route
from scanner.engines.semgrep.runner import Match

_DECLARES = re.compile(r"from\s*[\"'](?:hono|@hono/[\w-]+)[\"']|require\(\s*[\"']hono[\"']")
#: ``import { cors } from "hono/cors"``, or compiled CommonJS: ``var cors_1 = require("hono/cors")``.
_CORS_IMPORT = re.compile(r"import\s*\{[^}]*\bcors\b[^}]*\}\s*from\s*[\"']hono/cors[\"']|"
                          r"\brequire\(\s*[\"']hono/cors[\"']\s*\)")
#: ``cors()``, or as TypeScript compiles it: ``(0, cors_1.cors)()``.
_CORS_CALL = re.compile(r"(?:\bcors|\b[\w$]+\.cors\))\(\s*(\)|\{[^}]*origin\s*:\s*[\"'`]\*[\"'`])")


class Hono:
    """The Hono framework module."""

    name = "hono"

    def declares(self, doc: Doc) -> bool:
        """A module importing Hono."""
        return bool(_DECLARES.search(doc.text))

    def routes(self, doc: Doc, matches: Sequence[Match], project: Project) -> list[Route]:
        """``app.METHOD('/p', ..., h)`` registrations (semgrep facts) and ``app.on``-free ``route`` chains."""
        out = [r for m in matches if m.rule_id == "js-express-route"
               if (r := router_route(doc, m, project, "hono")) is not None]
        return out + chain_routes(doc, project, "hono")

    def authenticated(self, route: Route, project: Project) -> bool:
        """Middleware in the chain, ``app.use('/api/*', jwt(...))`` before it, or a mount with auth."""
        return router_authenticated(route, project)

    def cors(self, doc: Doc) -> list[CorsHit]:
        """``cors()`` from ``hono/cors`` with no options (origin ``*``), also in compiled CommonJS (``(0,
        cors_1.cors)()``); an explicit ``origin: '*'`` object is
        the shared rule's."""
        if not _CORS_IMPORT.search(doc.text):
            return []
        return [CorsHit("CORS501", doc.text.count("\n", 0, m.start()) + 1,
                        "hono/cors cors() without an origin allows every origin ('*')")
                for m in _CORS_CALL.finditer(doc.text) if m.group(1) == ")"]
