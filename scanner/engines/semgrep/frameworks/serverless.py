"""Serverless functions, one route per file: Vercel ``api/*.js`` (``export default function handler(req, res)``,
``module.exports = handler``, Web-style ``export async function POST``), Cloudflare Pages ``functions/**``
(``onRequest``, ``onRequestPost``...) and Netlify ``netlify/functions/*`` (``exports.handler``).

Vercel deploys the ``api/`` folder at the project root (the root may be a subfolder of the repository); an
``api/`` folder under ``src/``, ``app/``, ``lib/``, ``components/`` or ``pages/`` is client code or another
framework's, not functions. Auth attaches only inside the handler (the caller judges that)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.shared import CorsHit
from scanner.engines.semgrep.jstext import default_export_span, definition_span
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route, anchor, join_url
from scanner.engines.semgrep.runner import Match
from scanner.knowledge import js

_VERBS = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE", "": "*"}
#: ``export async function onRequestPost`` / ``export const onRequest = async (...) =>`` (Cloudflare Pages).
_CF_HANDLER = re.compile(r"export\s+(?:async\s+function\s+|function\s+|const\s+)"
                         r"(onRequest(Get|Post|Put|Patch|Delete)?)\b")
#: ``export async function POST(request)`` (Vercel Web-style functions).
_WEB_HANDLER = re.compile(r"export\s+(?:async\s+function\s+|function\s+|const\s+)(GET|POST|PUT|PATCH|DELETE)\b")
#: ``exports.handler =`` / ``export const handler =`` / ``export async function handler`` (Netlify, Lambda).
_NAMED_HANDLER = re.compile(r"(?:module\.)?exports\.handler\s*=|export\s+(?:async\s+function\s+|function\s+|const\s+)"
                            r"handler\b")
#: A default export that takes the request: ``(req, res)``, ``(request)``, ``handler`` defined in the file.
_DEFAULT_HANDLER = re.compile(r"(?:export\s+default|module\.exports\s*=)\s*(?:async\s+)?(?:function\s*\w*\s*)?"
                              r"\(\s*(?:req|request|_?req\w*)\b|(?:export\s+default|module\.exports\s*=)\s*(\w+)\s*;?\s*$",
                              re.M)


def function_path(path: str) -> re.Match[str] | None:
    """``js.FUNCTION_PATH`` on ``path`` with catch-all segments (``api/p/[...path].js``, ``[[...slug]]``) read
    as one segment (their dots are not an extension); group 2 writes them ``[~path]``."""
    return js.FUNCTION_PATH.search(re.sub(r"\[(\[?)\.\.\.(\w+)\]", r"[\1~\2]", path))


class Serverless:
    """The serverless-functions module (Vercel, Cloudflare Pages, Netlify)."""

    name = "serverless"

    def declares(self, doc: Doc) -> bool:
        """A file in a functions folder (js.FUNCTION_PATH) that builds no Express/Hono/NestJS app (those
        frameworks' modules read it)."""
        return self._url(doc.path) is not None and not js.ROUTER_TEXT.search(doc.text)

    @staticmethod
    def _url(path: str) -> str | None:
        found = function_path(path)
        if found is None:
            return None
        kind, rest = found.group(1), found.group(2)
        rest = re.sub(r"(?:/index)?$", "", rest)
        rest = re.sub(r"\[\[?~(\w+)\]\]?", r"*", re.sub(r"\[(\w+)\]", r":\1", rest))
        if kind.startswith("netlify"):
            return join_url("/.netlify/functions", rest)
        if kind.startswith("functions"):
            return join_url("/", rest)
        return join_url("/api", rest)

    def routes(self, doc: Doc, matches: Sequence[Match], project: Project) -> list[Route]:
        """The handlers the file exports: one per Cloudflare ``onRequestX`` / Web verb, else the default or
        ``handler`` export (any method)."""
        url = self._url(doc.path)
        if url is None:
            return []
        out = []
        for pattern in (_CF_HANDLER, _WEB_HANDLER):
            for found in pattern.finditer(doc.text):
                span = definition_span(doc.text, found.group(1))
                if span is not None:
                    method = _VERBS.get(found.group(2) or "", "*") if pattern is _CF_HANDLER else found.group(1)
                    out.append(self._route(doc, span, found.group(1), url, method))
        if out:
            return out
        default = _DEFAULT_HANDLER.search(doc.text)
        if default is not None:
            span = definition_span(doc.text, default.group(1)) if default.group(1) else default_export_span(doc.text)
            if span is not None and re.search(r"\b(?:req|request|event)\b", doc.text[span[0]:span[1]]):
                return [self._route(doc, span, "handler", url, "*")]
        named = _NAMED_HANDLER.search(doc.text)
        if named is not None:
            span = definition_span(doc.text, "handler")
            if span is not None:
                return [self._route(doc, span, "handler", url, "*")]
        return []

    @staticmethod
    def _route(doc: Doc, span: tuple[int, int], name: str, url: str, method: str) -> Route:
        m = anchor("js-serverless-function", doc, span[0], span[1])
        return Route(m, "function", name, url, doc.text[span[0]:span[1]], framework="serverless", method=method)

    def authenticated(self, route: Route, project: Project) -> bool:
        """Functions have no middleware: only the handler's own checks count (judged by the caller)."""
        return False

    def cors(self, doc: Doc) -> list[CorsHit]:
        """Function CORS headers are read by the shared semgrep rules."""
        return []
