"""LR601 for JS/TS: a route handler that calls a model (semgrep's ``model`` facts) with no rate limit on its path.

A route is limited by a limiter in its own middleware chain (``app.post("/chat", limiter, h)``, NestJS
``@Throttle()``), a ``x.use(limiter)`` earlier in its file whose path covers it, a mount of its router behind
one (``app.use("/api", limiter, chatRouter)``, or ``app.use(limiter)`` before the mount, followed up the mount
chain), a check in the handler (``ratelimit.limit(ip)``, ``limiter.consume(ip)``, ``checkRateLimit(...)``, a
429 answer outside a ``catch``, a KV counter), a Next.js middleware that limits and whose matcher covers the
URL, or NestJS's global ``ThrottlerGuard``. Limiters are recognised by their names (``JS_LIMITER_NAME``) and by
the local names the project binds to a limiter package or constructor. Knowledge: ``scanner.knowledge.ratelimit``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cached_property

from scanner.engines.semgrep.imports import imports_of, resolve
from scanner.engines.semgrep.jstext import strip_js, without_catch
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import KIND_LABEL, Route
from scanner.knowledge.ratelimit import (
    JS_ENFORCES,
    JS_LIMITER_NAME,
    JS_LIMITER_PACKAGES,
    host_vendor,
    js_vendor,
    set_up,
)
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

_USE = re.compile(r"\b[\w$]+\.(?:use|route|register)\(([^;\n]*)\)")
_PREFIX = re.compile(r"\s*[\"'`]([^\"'`]*)[\"'`]\s*,?")
_LAST = re.compile(r"([\w$]+)\s*$")
#: ``app.use("/openai", require("./routes/openai"))``: a router mounted straight from a require.
_REQUIRED = re.compile(r"require\(\s*[\"']([^\"']+)[\"']\s*\)\s*$")
_CONSTRUCTED = re.compile(r"(?:const|let|var)\s+([\w$]+)\s*(?::[^=]+)?=\s*(?:await\s+)?(?:new\s+)?([\w$.]+)\s*\(")
_LIMITER_CLASSES = re.compile(r"^(?:RateLimiter\w*|Ratelimit|rateLimit|slowDown|rateLimiter|RateLimit)$")
_MAX_DEPTH = 4
#: Calls in a handler that are never project helpers.
_NOT_HELPERS = frozenset({"if", "for", "while", "switch", "catch", "return", "await", "function", "fetch", "require",
                          "String", "Number", "Boolean", "Array", "Object", "JSON", "Response", "Error", "Promise"})
#: What follows a called name: ``(`` or ``.method(`` (``?.`` too).
_CALL_AFTER = re.compile(r"\s*(?:\??\.\s*[\w$]+\s*)?\(")


def _code(text: str) -> str:
    """``text`` without comments and with string contents blanked (a route path or message is no evidence)."""
    return strip_js(text, "''")


def _enforces(text: str) -> bool:
    """``text`` answers 429 or counts in a KV store on its own check, outside its ``catch`` blocks."""
    return bool(JS_ENFORCES.search(without_catch(strip_js(text))))


def _code_keep_strings(text: str) -> str:
    """``text`` without comments (hosts in URLs and ``baseURL`` strings stay)."""
    return strip_js(text)


class RateLimits:
    """LR601 judgements for one scan: built on the auth join's ``Project`` and every JS/TS text (``texts``:
    path -> text, including unchanged middleware files in diff scans)."""

    def __init__(self, project: Project, texts: Mapping[str, str],
                 manifest: Callable[[str], str | None] | None = None) -> None:
        """``project``: the auth join's project (facts, docs, middleware); ``texts``: path -> text;
        ``manifest(rel)``: the text of a ``package.json`` or None."""
        self.project = project
        self.texts = texts
        self.manifest = manifest
        self._imported: dict[str, set[str]] = {}  # client module -> project files it imports

    @cached_property
    def libraries(self) -> list[str]:
        """Limiter packages the project imports, by message name, in path order."""
        found: list[str] = []
        for path in sorted(self.texts):
            for _name, spec, _line in imports_of(self.texts[path]):
                name = JS_LIMITER_PACKAGES.get(spec)
                if name and name not in found:
                    found.append(name)
        return found

    @cached_property
    def bound(self) -> set[str]:
        """Local names bound to a limiter: imports from a limiter package and values built by one
        (``const apiCalls = rateLimit({...})``, ``const rl = new RateLimiterRedis(...)``)."""
        names = {n for t in self.texts.values() for n, spec, _ in imports_of(t) if spec in JS_LIMITER_PACKAGES}
        for text in self.texts.values():
            for local, called in _CONSTRUCTED.findall(text):
                last = called.rsplit(".", 1)[-1]
                if last in names or _LIMITER_CLASSES.match(last):
                    names.add(local)
        return names

    def _names_limiter(self, text: str) -> bool:
        """True when code ``text`` (comments and strings already removed) names a limiter."""
        for ident in re.findall(r"[A-Za-z_$][\w$]*", text):
            if ident in self.bound or (JS_LIMITER_NAME.fullmatch(ident) and not ident.endswith(("Error", "Exception"))):
                return True
        return False

    @cached_property
    def nest_global(self) -> bool:
        """NestJS ``{ provide: APP_GUARD, useClass: ThrottlerGuard }`` anywhere in the project."""
        return any(re.search(r"APP_GUARD[\s\S]{0,80}?Throttl", t) for t in self.texts.values())

    def finding(self, route: Route) -> Finding | None:
        """LR601 for ``route`` when it calls a model and nothing limits it, else None."""
        models = self.project.reaching(route, "model")  # in the handler or a function it calls (CALL_DEPTH hops)
        if not models or (route.kind == "action" and not self.action_reachable(route)) or self.limited(route):
            return None
        m = route.match
        doc = self.project.docs[m.path]
        model_doc = self.project.docs.get(models[0].path, doc)
        vendor = host_vendor(route.body) or host_vendor(_code_keep_strings(model_doc.text)) or \
            js_vendor([spec for _n, spec, _l in imports_of(model_doc.text)]) or "a model API"
        where = f"{KIND_LABEL[route.kind]} {route.name}" if route.kind == "action" else f"{route.method} {route.url}"
        message = f"{where} calls {vendor} with no rate limit"
        if self.libraries:
            message += f"; {set_up(self.libraries)}"
        loc = Location(m.path, m.line, doc.column(m.line, m.column))
        return Finding(rule("LR601"), loc, message, snippet_of(doc.line(m.line)),
                       context=f"{route.kind}:{route.name}:{route.url}", match_key=route.name)

    def action_reachable(self, route: Route) -> bool:
        """A server action has an endpoint only when browser code can call it: Next.js gives ids only to actions
        that a client module or a component (``.tsx``/``.jsx``, e.g. ``<form action={send}>``) refers to, and to
        before Next.js 15, every export of a module such code imports (``import { a } from '@/lib/actions'``
        registered ``b`` too); one that only route handlers and other server modules import is a plain server
        function."""
        name = re.compile(rf"\b{re.escape(route.name)}\b")
        whole_module = self._next_major(route.match.path) in range(1, 15)
        return any(path != route.match.path and _client_code(path, text) and (
            name.search(text) or (whole_module and route.match.path in self._client_imports(path)))
            for path, text in self.texts.items())

    def _next_major(self, path: str) -> int:
        """The major version of ``next`` the nearest ``package.json`` above ``path`` names (``^14.2.3`` -> 14);
        0 when unknown. From Next.js 15 on, an export no client code refers to gets no action id ("dead code
        elimination" of server actions, Next.js 15 release notes); before, every export of an imported
        module did."""
        parts = path.split("/")[:-1]
        for depth in range(len(parts), -1, -1):
            text = self.manifest("/".join([*parts[:depth], "package.json"])) if self.manifest else None
            found = re.search(r'"next"\s*:\s*"[~^>=<\s]*(\d+)', text or "")
            if found:
                return int(found.group(1))
            if text:
                return 0
        return 0

    def _client_imports(self, path: str) -> set[str]:
        """Project files the client module ``path`` imports (memoised)."""
        if path not in self._imported:
            self._imported[path] = {target for _n, spec, _l in imports_of(self.texts[path])
                                    for target in resolve(path, spec, self.texts)}
        return self._imported[path]

    @cached_property
    def has_client_code(self) -> bool:
        """True when the scan holds client code (a component or a ``'use client'`` module) that could import a
        server action; without any (a partial scan) whether an action is reachable cannot be told."""
        return any(_client_code(path, text) for path, text in self.texts.items())

    def limited(self, route: Route) -> bool:
        """True when any of the accepted forms of rate limiting covers ``route``."""
        if self._checks_limit(route.body) or self._helper_limits(route):
            return True
        if re.search(r"@SkipThrottle\(", route.chain):
            return False
        if self._names_limiter(_code(route.chain)) or (route.framework == "nestjs" and self.nest_global):
            return True
        if route.kind in ("next", "pages", "action"):
            return self._next_middleware_limits(route.url)
        path = route.match.path
        doc = self.project.docs[path]
        local = route.url.removeprefix(self.project.prefixes.get(path, ""))
        return self._used_before(doc.text[: len(doc.slice(0, route.match.start))], local) or \
            self._mounted_limited(path, route.url, 0)

    def _checks_limit(self, text: str) -> bool:
        """Code ``text`` answers 429, counts in a KV store or calls a limiter; a 429 inside a ``catch`` relays the
        model vendor's quota error and limits nobody."""
        return _enforces(text) or self._calls_limiter(_code(text))

    def _helper_limits(self, route: Route) -> bool:
        """A project function the handler calls (``await enforceUsage(userId)``) checks a limit (one hop)."""
        path = route.span[0]
        for name in dict.fromkeys(re.findall(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(", _code(route.body))):
            found = self.project.definition(name, path) if name not in _NOT_HELPERS else None
            if found is not None:
                doc, start, end = found
                if doc.text[start:end] != route.body and self._checks_limit(doc.text[start:end]):
                    return True
        return False

    def _calls_limiter(self, code: str) -> bool:
        """A call of a limiter in handler code: ``ratelimit.limit(id)``, ``await checkRateLimit(ip)``,
        ``limiter.consume(ip)``."""
        for found in re.finditer(r"[A-Za-z_$][\w$]*", code):
            ident = found.group(0)
            if (ident in self.bound or (JS_LIMITER_NAME.fullmatch(ident) and
                                        not ident.endswith(("Error", "Exception")))) and \
                    _CALL_AFTER.match(code, found.end()):
                return True
        return False

    def _used_before(self, before: str, url: str) -> bool:
        """An ``x.use([path,] ...limiter...)`` in ``before`` (text preceding a route or mount) covering ``url``."""
        for use in _USE.finditer(strip_js(before)):
            args = use.group(1)
            prefix = _PREFIX.match(args)
            scope = prefix.group(1).rstrip("*").rstrip("/") if prefix else ""
            rest = args[prefix.end():] if prefix else args
            if self._names_limiter(_code(rest)) and (not scope or url.startswith(scope)):
                return True
        return False

    def _mounted_limited(self, path: str, url: str, depth: int) -> bool:
        """The router file ``path`` is mounted behind a limiter (in the mount or before it), up the chain."""
        if depth >= _MAX_DEPTH:
            return False
        for parent, text in self.texts.items():
            if ".use(" not in text and ".route(" not in text and ".register(" not in text:
                continue
            imported = {n: s for n, s, _ in imports_of(text) if s.startswith((".", "@/", "~/"))}
            for use in _USE.finditer(text):
                args = use.group(1)
                mounted = _REQUIRED.search(args) or _LAST.search(args)
                spec = mounted.group(1) if mounted else ""
                spec = spec if mounted is not None and mounted.re is _REQUIRED else imported.get(spec, "")
                if not spec or mounted is None or path not in resolve(parent, spec, self.texts):
                    continue
                chain = args[: mounted.start()]
                if self._names_limiter(_code(_PREFIX.sub("", chain, count=1))) or \
                        self._used_before(text[: use.start()], url) or self._mounted_limited(parent, url, depth + 1):
                    return True
        return False

    def _next_middleware_limits(self, url: str) -> bool:
        """The Next.js middleware (or a helper it imports) checks a limit and its matcher covers ``url``."""
        middleware = self.project.middleware
        if middleware is None or not middleware.runs_on(url):
            return False
        text = self.texts.get(middleware.path, "")
        helpers = [self.texts[p] for _n, spec, _l in imports_of(text)
                   for p in resolve(middleware.path, spec, self.texts)]
        return any(_enforces(t) or self._calls_limiter(_code(t)) for t in [text, *helpers])


def _client_code(path: str, text: str) -> bool:
    """A component (``.tsx``, ``.jsx``, ``.vue``, ``.svelte``) or a ``'use client'`` module."""
    return path.endswith(("x", ".vue", ".svelte")) or "use client" in text[:200]
