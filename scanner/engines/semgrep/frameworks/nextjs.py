"""Next.js: app-router ``route.ts`` handlers (also ``export { handler as GET }``), pages-router ``pages/api``,
server actions (``'use server'`` exports, also ``export { send }`` lists) and the rejecting middleware."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.shared import CorsHit
from scanner.engines.semgrep.imports import import_closure
from scanner.engines.semgrep.jstext import definition_span, has_directive
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route, anchor, next_url
from scanner.engines.semgrep.runner import Match

_NEXT_ROUTE = re.compile(r"(?:^|/)app/((?:.*/)?)route\.(?:js|jsx|ts|tsx|mjs)$")
_PAGES_API = re.compile(r"(?:^|/)pages/(api/.*)\.(?:js|jsx|ts|tsx|mjs)$")
_NAME = re.compile(r"(?:function\s+|const\s+)(\w+)")
_EXPORT_LIST = re.compile(r"export\s*\{([^}]*)\}(?!\s*from)")
#: ``export const POST = auth(`` / ``= withAuth(handler)``: the wrapper's name and, for ``withAuth(handler)``, the
#: handler's.
_WRAPPED = re.compile(r"export\s+const\s+\w+\s*(?::[^=]{0,80})?=\s*([A-Za-z_$][\w$.]*)\s*\("
                      r"\s*(?:([A-Za-z_$][\w$]*)\s*[,)])?")
#: A definition that is a function: ``async function handler(`` / ``const handler = async (req) =>``.
_FUNCTION_START = re.compile(r"(?:export\s+)?(?:async\s+)?function\b|(?:export\s+)?(?:const|let|var)\s+\w+\s*"
                             r"(?::[^=]{0,80})?=\s*(?:async\s*)?(?:\([^)]*\)|\w+)\s*(?::[^=]{0,80})?=>")
_VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: A file under an ``app/`` private folder (``app/demos/_notes/end/actions.ts``): Next.js leaves underscore
#: folders and everything in them out of routing.
_PRIVATE = re.compile(r"(?:^|/)app/(?:[^/]+/)*_[^/]+/")
#: How many imports deep a routed (non-private) module may reach a private-folder action module.
_PRIVATE_DEPTH = 4
_KINDS = {"js-nextjs-route-handler": "next", "js-pages-api-handler": "pages", "js-server-action": "action"}


class NextJs:
    """The Next.js framework module."""

    name = "nextjs"

    def declares(self, doc: Doc) -> bool:
        """An app-router route file, a pages-router API file or a ``'use server'`` module."""
        path = doc.path
        return bool(_NEXT_ROUTE.search(path) or _PAGES_API.search(path) or has_directive(doc.text, "use server"))

    def routes(self, doc: Doc, matches: Sequence[Match], project: Project) -> list[Route]:
        """Exported handlers and actions (semgrep facts) plus the ones exported by an ``export { }`` list. A file
        under an ``app/**/_folder/`` private folder is no route, and its actions have no endpoint unless a module
        outside private folders imports it (directly or through private components)."""
        if _PRIVATE.search(doc.path) and (not has_directive(doc.text, "use server") or
                                          doc.path not in _routed_imports(project)):
            return []
        out = [r for m in matches if m.rule_id in _KINDS if (r := self._from_match(doc, m)) is not None]
        return out + self._export_list(doc)

    def _from_match(self, doc: Doc, m: Match) -> Route | None:
        kind = _KINDS[m.rule_id]
        text = doc.slice(m.start, m.end)
        found = _NAME.search(text)
        name = found.group(1) if found else "handler"
        if kind == "next":
            folder = _NEXT_ROUTE.search(m.path)
            if folder is None:
                return None
            wrapped = _WRAPPED.match(text)
            if wrapped is None:
                return Route(m, kind, name, next_url(folder.group(1)), text, framework="nextjs", method=name)
            body = text[wrapped.end():] if wrapped.group(2) is None else text
            span = definition_span(doc.text, wrapped.group(2)) if wrapped.group(2) else None
            if wrapped.group(2) and (span is None or not _FUNCTION_START.match(doc.text, span[0])):
                return None  # ``handle(app)`` (Hono), ``toNextJsHandler(auth)``: an adapter, its app's routes count
            if span is not None:
                return Route(m, kind, name, next_url(folder.group(1)), doc.text[span[0]:span[1]], framework="nextjs",
                             method=name, body_path=doc.path, body_start=_b(doc, span[0]),
                             body_end=_b(doc, span[1]), wrapper=wrapped.group(1))
            return Route(m, kind, name, next_url(folder.group(1)), body, framework="nextjs", method=name,
                         wrapper=wrapped.group(1))
        if kind == "pages":
            page = _PAGES_API.search(m.path)
            return Route(m, kind, "handler", next_url(page.group(1)), text, framework="nextjs") if page else None
        return Route(m, kind, name, "/__action", text, framework="nextjs", method="POST") \
            if has_directive(doc.text, "use server") else None

    def _export_list(self, doc: Doc) -> list[Route]:
        """``export { handler as GET, handler as POST }`` in a route file; ``export { send, save }`` of
        functions in a ``'use server'`` module."""
        route_folder = _NEXT_ROUTE.search(doc.path)
        action = bool(has_directive(doc.text, "use server"))
        out = []
        for found in _EXPORT_LIST.finditer(doc.text):
            for part in found.group(1).split(","):
                local, _, exported = (p.strip() for p in part.strip().partition(" as "))
                exported = exported or local
                span = definition_span(doc.text, local) if local else None
                if span is None:
                    continue
                m = anchor("js-nextjs-export", doc, found.start(), found.end())
                body = doc.text[span[0]:span[1]]
                if route_folder and exported in _VERBS:
                    out.append(Route(m, "next", exported, next_url(route_folder.group(1)), body,
                                     framework="nextjs", method=exported, body_path=doc.path,
                                     body_start=_b(doc, span[0]), body_end=_b(doc, span[1])))
                elif action and not route_folder:
                    out.append(Route(m, "action", exported, "/__action", body, framework="nextjs",
                                     method="POST", body_path=doc.path, body_start=_b(doc, span[0]),
                                     body_end=_b(doc, span[1])))
        return out

    def authenticated(self, route: Route, project: Project) -> bool:
        """A rejecting ``middleware.ts`` whose matcher covers the URL, or a wrapper that refuses: judged by its
        code when the project defines it, else by its name. NextAuth v5's ``auth(handler)`` only attaches
        ``req.auth`` and refuses nobody: the handler must refuse itself."""
        if project.middleware is not None and project.middleware.covers(route.url):
            return True
        if not route.wrapper:
            return False
        path = route.match.path
        found = project.definition(route.wrapper, path)
        if found is not None:
            doc, start, end = found
            return "NextAuth" not in doc.text[start:end] and project.rejects(route.wrapper, path)
        return route.wrapper != "auth" and bool(project.mw_names.fullmatch(route.wrapper))

    def cors(self, doc: Doc) -> list[CorsHit]:
        """Next.js CORS (headers in route handlers, ``next.config`` headers) is read by the shared rules."""
        return []


def _routed_imports(project: Project) -> set[str]:
    """Project files that modules outside ``app/`` private folders import, directly or through at most
    ``_PRIVATE_DEPTH`` modules (computed once per scan)."""
    cached = project.cache.get("nextjs-routed-imports")
    if isinstance(cached, set):
        return cached
    texts = {p: d.text for p, d in project.docs.items()}
    found = import_closure([p for p in texts if not _PRIVATE.search(p)], texts, _PRIVATE_DEPTH)
    project.cache["nextjs-routed-imports"] = found
    return found


def _b(doc: Doc, index: int) -> int:
    from scanner.engines.semgrep.jstext import byte_offset

    return byte_offset(doc.text, index)
