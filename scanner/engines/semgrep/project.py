"""The JS/TS project as the auth join sees it: files, semgrep facts by role, mounts with their prefixes, and
which middleware, guards and helpers authenticate (by what their code does, names as the fallback)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cached_property, lru_cache

from scanner.config import Config
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import CALL_DEPTH, exported_name, imports_of, namespace_source, reexports, resolve
from scanner.engines.semgrep.jstext import (
    balanced_end,
    byte_offset,
    default_export_span,
    definition_span,
    strip_js,
)
from scanner.engines.semgrep.nextmw import Middleware, find_middleware
from scanner.engines.semgrep.routes import Route, join_url
from scanner.engines.semgrep.runner import Match
from scanner.knowledge import js

_FUNC_NAME = re.compile(
    r"(?:function\s+(\w+)|(?:const|let)\s+(\w+)\s*=\s*(?:async\s*)?(?:\([^)]*\)|\w+)\s*=>)"
)
_THROWS = re.compile(r"throw\b|40[13]|redirect\(|unauthori[sz]ed|notFound\(", re.I)
#: ``x.use("/prefix", ..., router)`` or Hono's ``app.route("/prefix", sub)``: a router mounted under a prefix.
_MOUNT = re.compile(r"\.(use|route)\(\s*([\"'`])([^\"'`]*)\2\s*,([^;\n]*)\)")
_STRING = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'|`[^`\n]*`")
_IDENT = re.compile(r"\b[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?\b")
#: ``ask(`` / ``svc.ask(`` / ``this.svc.ask(`` / ``this.#ask(`` (a private method): a call by name (not a member of a
#: call result or a string).
_ANY_CALL = re.compile(r"(?<![\w$.])((?:this|[A-Za-z_$][\w$]*)(?:\??\.#?[A-Za-z_$][\w$]*){0,2})\s*(?:<[^<>()]*>)?\s*\(")
#: A function handed by name to an array or promise method, which calls it: ``pages.map(embedDocument)``,
#: ``.then(saveAnswer)`` (set 17 chat-docu: the embeddings call two modules down an ingest route).
_PASSED_FUNCTION = re.compile(r"\.(?:map|flatMap|forEach|filter|reduce|some|every|find|then)\(\s*"
                              r"((?:this\.)?[A-Za-z_$][\w$]*)\s*[,)]")
#: Text just before a name that makes ``name(`` a definition: ``function name(``.
_DEFINES = re.compile(r"\bfunction\s*\*?\s*$")
#: Names ``_ANY_CALL`` finds that are never project functions: keywords, globals, framework objects.
_NOT_CALLEES = frozenset({
    "if", "for", "while", "switch", "catch", "return", "await", "function", "typeof", "new", "super", "import",
    "require", "fetch", "String", "Number", "Boolean", "Array", "Object", "JSON", "Math", "Date", "Promise",
    "Response", "NextResponse", "Error", "console", "res", "req", "request", "response", "c", "ctx", "next",
    "setTimeout", "parseInt", "parseFloat", "encodeURIComponent", "decodeURIComponent", "Buffer", "process",
})
#: A local bound to an instance: ``const ai = new AiService(...)`` (``this.ai = new AiService()`` too).
_NEW_LOCAL = (r"(?m:(?:(?:const|let|var)\s+|this\.|^[ \t]*(?:(?:private|public|protected|readonly|static)\s+)*))"
              r"{name}\s*(?::[^=;]{{0,80}})?=\s*new\s+([A-Za-z_$][\w$]*)\s*[(<]")
#: At most this many callee spans per handler (a service calling ten helpers before the one that reaches the model,
#: three hops down, needs more than 20: set 16 InfoPlus).
MAX_CALLEES = 40
#: ``require("./x")`` written inline where a name would be (a middleware chain, a mount).
_REQUIRE = re.compile(r"\brequire\(\s*[\"'`]([^\"'`]+)[\"'`]\s*\)")


class Project:
    """Everything the per-framework route judgements share for one scan."""

    def __init__(self, matches: Sequence[Match], docs: Mapping[str, Doc], config: Config,
                 context: Mapping[str, str] | None = None) -> None:
        """``context`` holds texts of unchanged project files (the Next.js middleware) for diff scans."""
        self.docs = docs
        self.config = config
        self.facts: dict[tuple[str, str], list[Match]] = {}
        for m in matches:
            self.facts.setdefault((m.path, m.role), []).append(m)
        names = "|".join(js.AUTH_MIDDLEWARE_NAMES) + "".join("|" + re.escape(n) for n in config.auth_middleware)
        self.mw_names = re.compile(rf"\b(?:{names})\b")
        self.middleware: Middleware | None = find_middleware({**(context or {}),
                                                              **{p: d.text for p, d in docs.items()}})
        self._behaviour: dict[tuple[str, str], bool] = {}
        self._callees: dict[tuple[str, str, int], list[tuple[str, int, int]]] = {}
        #: Per-scan results a framework module computes once (its project-wide auth settings).
        self.cache: dict[str, object] = {}

    def inside(self, span: tuple[str, int, int], role: str) -> list[Match]:
        """Facts of ``role`` (``session``, ``model``, ``db``) inside a byte span ``(path, start, end)``."""
        path, start, end = span
        return [f for f in self.facts.get((path, role), []) if start <= f.start and f.end <= end]

    @cached_property
    def helpers(self) -> set[str]:
        """Project functions that read the session and throw, redirect or answer 401 without one, plus the
        config's ``auth_helpers``."""
        found = set(self.config.auth_helpers)
        for (path, role), facts in self.facts.items():
            if role != "session" or path not in self.docs:
                continue
            doc = self.docs[path]
            for fact in facts:
                names = [a or b for a, b in _FUNC_NAME.findall(doc.slice(max(0, fact.start - 600), fact.start))]
                after = doc.slice(fact.end, fact.end + 600)
                after = after[:after.find("\n}")] if "\n}" in after else after  # not the next function's
                if names and _THROWS.search(after):
                    found.add(names[-1])
        return {h for h in found if h[:1].islower() and h not in ("handler", "middleware", "proxy")}

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Router file -> URL prefix it is mounted under (``app.use('/api/v1', chatRouter)``), followed through
        nested mounts (one prefix per file: the first found)."""
        direct: dict[str, tuple[str, str]] = {}
        for path, doc in self.docs.items():
            imported = {n: s for n, s, _ in imports_of(doc.text)}
            for mount in _MOUNT.finditer(doc.text):
                for target in self._mounted(mount.group(4), path, imported):
                    direct.setdefault(target, (path, mount.group(3)))
        out = {}
        for target in direct:
            prefix, seen, current = "", set(), target
            while current in direct and current not in seen:
                seen.add(current)
                parent, part = direct[current]
                prefix = join_url(part, prefix) if prefix else part
                current = parent
            out[target] = prefix.rstrip("*").rstrip("/") if prefix != "/" else ""
        return out

    @cached_property
    def mounted_with_auth(self) -> set[str]:
        """Files whose router is mounted with auth elsewhere: ``app.use('/api', requireAuth, chatRouter)``."""
        out = set()
        for path, doc in self.docs.items():
            imported = {n: s for n, s, _ in imports_of(doc.text) if s.startswith((".", "@/", "~/"))}
            guarded: set[str] = set()  # apps that ran an auth middleware for every later mount
            for use in re.finditer(r"\b([A-Za-z_$][\w$]*)\.use\(([^;\n]*)\)", doc.text):
                app, args = use.group(1), use.group(2)
                if not _STRING.search(args) and "," not in args and self.authenticates(args, path):
                    # ``app.use(requireAuth)`` with no path: every mount after it passes through it
                    guarded.add(app)
                    continue
                last_start = _last_require_start(args)
                if last_start is None:
                    found = re.search(r"(\w+)\s*$", args)
                    last_start = found.start() if found and found.group(1) in imported else None
                if last_start is None:
                    continue
                if app in guarded or self.authenticates(args[:last_start], path):
                    out |= set(self._mounted(args[last_start:], path, imported))
        return out

    def _mounted(self, args: str, path: str, imported: Mapping[str, str]) -> list[str]:
        """Project files a mount's last argument names: an imported router or an inline ``require("./x")``."""
        start = _last_require_start(args)
        if start is not None:
            found = _REQUIRE.match(args, start)
            return resolve(path, found.group(1), self.docs) if found else []
        last = re.search(r"(\w+)\s*$", args)
        if last and last.group(1) in imported:
            return resolve(path, imported[last.group(1)], self.docs)
        return []

    def authenticates(self, chain: str, path: str) -> bool:
        """True when middleware text ``chain`` (arguments before a handler, a ``use`` call) names a known auth
        middleware or a project function that refuses requests without a credential (followed one import)."""
        if any(self.rejects(f"require:{spec}", path) for spec in _REQUIRE.findall(chain)):
            return True
        chain = _STRING.sub("''", _REQUIRE.sub("", chain))
        # a project middleware that lets a request without a credential through as a guest authenticates
        # nobody, whatever it is called (``authMiddleware`` setting ``req.user = null`` then ``next()``)
        for name in set(_IDENT.findall(chain)):
            if self.passes_guests(name, path) or self.passes_through(name, path):
                chain = re.sub(rf"(?<![\w$.]){re.escape(name)}(?![\w$])", "_", chain)
        if self.mw_names.search(chain):
            return True
        return any(self.rejects(name, path) for name in _IDENT.findall(chain))

    def passes_guests(self, name: str, path: str) -> bool:
        """True when function ``name`` as seen from ``path`` is project code whose branch for a missing
        credential calls ``next()`` and refuses nothing there (``if (!authHeader) { req.user = null; return
        next(); }``: optional authentication, set 23 Reactproject01)."""
        key = (path, "guests:" + name)
        if key not in self._behaviour:
            found = self.definition(name, path)
            self._behaviour[key] = found is not None and _passes_guests(found[0].text[found[1]:found[2]])
        return self._behaviour[key]

    def passes_through(self, name: str, path: str) -> bool:
        """True when function ``name`` as seen from ``path`` is project code that only calls ``next()`` (logging
        aside): ``function requireAuth(req, res, next) { next(); }``, a stub whatever its name (attack 9)."""
        key = (path, "through:" + name)
        if key not in self._behaviour:
            found = self.definition(name, path)
            self._behaviour[key] = found is not None and _passes_through(found[0].text[found[1]:found[2]])
        return self._behaviour[key]

    def rejects(self, name: str, path: str) -> bool:
        """True when function ``name`` as seen from ``path`` (defined there or imported) reads a credential and
        refuses (401/403, unauthorized error, redirect to sign-in) without it."""
        key = (path, name)
        if key not in self._behaviour:
            self._behaviour[key] = False
            found = self.definition(name, path)
            if found is not None:
                doc, start, end = found
                # (a log line's text refuses nothing: ``console.log('guest (would be 401 once login ships)')``)
                body = re.sub(r"\bconsole\.\w+\([^;\n]*", "", doc.text[start:end])
                self._behaviour[key] = bool(js.REJECTS.search(body) and js.READS_CREDENTIAL.search(body))
        return self._behaviour[key]

    def definition(self, expr: str, path: str) -> tuple[Doc, int, int] | None:
        """The document and character span defining ``expr`` (``create`` or ``controller.create``) as seen
        from ``path``: in that file, or in the project module it was imported from (one hop; an import renamed
        with ``as`` and a barrel's ``export * from`` / ``export { x } from`` followed)."""
        doc = self.docs.get(path)
        if doc is None:
            return None
        if expr.startswith("require:"):
            for target in resolve(path, expr.removeprefix("require:"), self.docs):
                span = default_export_span(self.docs[target].text)
                if span is not None:
                    return self.docs[target], span[0], span[1]
            return None
        head, _, member = expr.partition(".")
        for local, spec, _ in imports_of(doc.text):
            if local == head:
                name = member or exported_name(doc.text, head)
                for target in resolve(path, spec, self.docs):
                    found = self._exported(target, name, whole=not member, hops=1)
                    if found is not None:
                        return found
                    for inner in namespace_source(self.docs[target].text, exported_name(doc.text, head)) \
                            if member and "." not in member else ():
                        for module in resolve(target, inner, self.docs):  # a barrel's module namespace
                            found = self._exported(module, member, whole=False, hops=1)
                            if found is not None:
                                return found
                return None
        if member and "." not in member and (made := _instance_class(doc.text, doc.text, head)) is not None:
            return self.class_method(f"{made}#{member}", path)  # ``const chat = new ChatController()``
        span = definition_span(doc.text, head) if not member else None
        return (doc, span[0], span[1]) if span is not None else None

    def _exported(self, path: str, name: str, whole: bool, hops: int) -> tuple[Doc, int, int] | None:
        """``name`` defined in module ``path`` (its default export when ``whole`` and no such name), following
        re-exports ``hops`` modules further."""
        text = self.docs[path].text
        span = definition_span(text, name) or (default_export_span(text) if whole else None)
        if span is not None:
            return self.docs[path], span[0], span[1]
        for target in reexports(text, name) if hops > 0 else []:
            spec, _, exported = target.partition("#")
            for found in resolve(path, spec, self.docs):
                result = self._exported(found, exported, False, hops - 1)
                if result is not None:
                    return result
        return None

    def callee_spans(self, body: str, path: str, depth: int = CALL_DEPTH) -> list[tuple[str, int, int]]:
        """Byte spans ``(path, start, end)`` of the project functions a handler ``body`` (seen from ``path``)
        calls, followed ``depth`` calls deep (a controller calling a service; cycle-safe, at most
        ``MAX_CALLEES``): imported functions (``ask(q)``, ``chatService.ask(q)``, a ``require``d module's
        ``ai.generate(q)``, a default export), methods of instances (``new ChatService().ask(q)`` bound to a
        local, an exported ``new X()``), functions of the same module (``askModel(q)``, ``this.callModel(q)``)
        and NestJS injected services (``this.chatService.ask(q)``, the constructor's ``private chatService:
        ChatService``)."""
        key = (path, body, depth)
        if key in self._callees:
            return self._callees[key]
        out: list[tuple[str, int, int]] = []
        self._callees[key] = out
        seen: set[tuple[str, int, int]] = set()
        frontier = [(body, path)]
        for _ in range(depth):
            found: list[tuple[str, str]] = []
            for text, where in frontier:
                for _expr, (target, start, end) in self.calls(text, where):
                    span = (target.path, byte_offset(target.text, start), byte_offset(target.text, end))
                    if span in seen or target.text[start:end] == body:
                        continue
                    seen.add(span)
                    out.append(span)
                    found.append((target.text[start:end], target.path))
                    if len(out) >= MAX_CALLEES:
                        return out
            frontier = found
        return out

    def reaching(self, route: Route, role: str) -> list[Match]:
        """Facts of ``role`` (``model``, ``db``, ``lookup``) in ``route``'s handler or in the project functions
        it calls (:meth:`callee_spans`): what the route does, wherever the code doing it lives."""
        spans = [route.span, *self.callee_spans(route.body, route.span[0])]
        return [f for span in spans for f in self.inside(span, role)]

    def calls(self, text: str, path: str) -> list[tuple[str, tuple[Doc, int, int]]]:
        """``(call expression, definition)`` of every project function code ``text`` of module ``path``
        calls (one hop, in order of first call): see :meth:`callee_spans`."""
        doc = self.docs.get(path)
        if doc is None:
            return []
        imported = {n for n, _, _ in imports_of(doc.text)}
        out: list[tuple[str, tuple[Doc, int, int]]] = []
        code = strip_js(text, "''")
        for found in sorted([*_ANY_CALL.finditer(code), *_PASSED_FUNCTION.finditer(code)], key=lambda m: m.start(1)):
            if _DEFINES.search(code, max(0, found.start() - 20), found.start()):
                continue  # ``function ask(`` defines, it does not call
            expr = found.group(1).replace("?.", ".")
            head, _, member = expr.partition(".")
            if head in _NOT_CALLEES:
                continue
            result: tuple[Doc, int, int] | None = None
            if head == "this" and "." in member:
                prop, _, method = member.partition(".")
                typed = re.search(rf"\b{re.escape(prop)}\s*[?!]?:\s*([A-Z]\w*)", doc.text)
                cls = typed.group(1) if typed else _instance_class(doc.text, doc.text, prop)
                if cls and "." not in method:
                    result = self.class_method(f"{cls}#{method}", path)
            elif head == "this":
                span = definition_span(doc.text, member)
                result = (doc, span[0], span[1]) if span else None
            elif "." in member:
                continue
            elif head in imported:
                result = self.definition(expr, path)
            elif member and (made := _instance_class(text, doc.text, head)) is not None:
                result = self.class_method(f"{made}#{member}", path)
            elif not member:
                span = definition_span(doc.text, head)
                result = (doc, span[0], span[1]) if span else None
            if result is not None and result[2] > result[1] and \
                    not (result[0].path == path and text in result[0].text[result[1]:result[2]]):
                out.append((expr, result))  # (not the handler's own definition: ``POST(req)``)
        unique: dict[tuple[str, int], tuple[str, tuple[Doc, int, int]]] = {}
        for expr, result in out:
            unique.setdefault((result[0].path, result[1]), (expr, result))
        return list(unique.values())

    def class_method(self, expr: str, path: str) -> tuple[Doc, int, int] | None:
        """``Class#method`` as seen from ``path`` (the class imported there, or defined there): its span."""
        found = self._class_method(expr, path)
        if found is not None:
            return found
        cls, _, method = expr.partition("#")
        doc = self.docs.get(path)
        head = re.search(rf"class\s+{re.escape(cls)}\b", doc.text) if doc else None
        if doc is None or head is None:
            return None
        span = definition_span(doc.text[head.end():], method)
        return (doc, head.end() + span[0], head.end() + span[1]) if span else None

    def constant_strings(self, name: str, path: str) -> list[str]:
        """String literals of the array constant ``name`` as seen from ``path`` (``export const excluded =
        ['/a', { path: '/b' }]`` here or in the module it was imported from)."""
        doc = self.docs.get(path)
        if doc is None:
            return []
        candidates = [doc] + [self.docs[t] for local, spec, _ in imports_of(doc.text) if local == name
                              for t in resolve(path, spec, self.docs)]
        for target in candidates:
            found = re.search(rf"\b(?:const|let|var)\s+{re.escape(name)}\s*(?::[^=]*)?=\s*\[", target.text)
            if found:
                end = balanced_end(target.text, found.end() - 1)
                return [m[1:-1] for m in _STRING.findall(target.text[found.end():end if end > 0 else found.end()])]
        return []

    def _class_method(self, expr: str, path: str) -> tuple[Doc, int, int] | None:
        """``Class#method`` imported into ``path``: the method's span in the class's module."""
        cls, _, method = expr.partition("#")
        doc = self.docs[path]
        for local, spec, _ in imports_of(doc.text):
            if local == cls:
                targets = resolve(path, spec, self.docs)
                for hop in range(3):  # the class's module, or a barrel re-exporting it (``services/index.ts``)
                    further: list[str] = []
                    for target in targets:
                        text = self.docs[target].text
                        head = re.search(rf"class\s+{re.escape(cls)}\b", text)
                        span = definition_span(text[head.end():], method) if head else None
                        if head and span is not None:
                            return self.docs[target], head.end() + span[0], head.end() + span[1]
                        if head is None and hop < 2:
                            further += [f for r in reexports(text, cls) for f in resolve(target, r.partition("#")[0],
                                                                                         self.docs)]
                    targets = further
        return None

    def handler_span(self, expr: str, path: str) -> tuple[str, int, int, str] | None:
        """``(path, start byte, end byte, text)`` of a named handler's body, wherever it is defined."""
        found = self.definition(expr.strip(), path)
        if found is None:
            return None
        doc, start, end = found
        return doc.path, byte_offset(doc.text, start), byte_offset(doc.text, end), doc.text[start:end]


@lru_cache(maxsize=4096)
def _new_local(name: str) -> re.Pattern[str]:
    return re.compile(_NEW_LOCAL.format(name=re.escape(name)))


def _instance_class(text: str, module: str, name: str) -> str | None:
    """The class a local ``name`` holds an instance of (``const ai = new AiService()`` in the handler ``text``
    or at the top of its ``module``), else None."""
    pattern = _new_local(name)
    found = pattern.search(text) or pattern.search(module)
    return found.group(1) if found else None


#: A condition about the request's credential (``!authHeader``, ``!token``, ``!req.cookies.session``).
_CREDENTIAL_TEST = re.compile(r"(?i)token|authoriz|authheader|bearer|cookie|session|jwt|req\.user\b|headers?\b")
_IF = re.compile(r"\bif\s*\(")


#: One operand of a missing-credential test: ``!authHeader``, ``!req.headers.authorization``, ``!token?.length``,
#: or a method of such a value (``!authHeader.startsWith('Bearer ')``).
_MISSING = re.compile(r"\s*!\s*[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*(?:\??\.[A-Za-z_$][\w$]*\s*\([^()]*\))?\s*")


def _passes_through(text: str) -> bool:
    """True for a middleware function's text whose body calls ``next()`` and nothing else but console logging."""
    brace = text.find("{")
    if brace < 0:
        return False
    body = re.sub(r"\bconsole\.\w+\([^;\n]*", "", strip_js(text[brace:]))
    calls = re.findall(r"([A-Za-z_$][\w$.]*)\s*\(", body)
    return "next" in calls and all(c == "next" for c in calls) and not re.search(r"\bthrow\b|\bres\.", body)


def _passes_guests(body: str) -> bool:
    """True when ``body`` has an ``if (!<credential> || ...)`` (every operand a negated value or its method, none
    of them a call of a project function, no ``&&``) whose branch calls ``next()`` with no argument and refuses
    nothing in that branch. ``if (!token && PUBLIC_PATHS.includes(url))``, ``if (!header && req.method ===
    'OPTIONS')`` and ``if (!needsTokenRefresh(decoded))`` are no guest pass."""
    for found in _IF.finditer(body):
        close = balanced_end(body, found.end() - 1)
        if close < 0:
            continue
        condition = body[found.end():close - 1]
        parts = condition.split("||")
        if "&&" in condition or not all(_MISSING.fullmatch(p) for p in parts) or not any(
                _CREDENTIAL_TEST.search(re.sub(r"\([^()]*\)", "", p)) for p in parts):
            continue
        rest = body[close:].lstrip()
        if rest.startswith("{"):
            end = balanced_end(rest, 0)
            branch = rest[:end if end > 0 else len(rest)]
        else:
            branch = re.split(r";|\n", rest, maxsplit=1)[0]
        if re.search(r"\bnext\(\s*\)", branch) and not js.REJECTS.search(branch):
            return True
    return False


def _last_require_start(args: str) -> int | None:
    """Start of an inline ``require("./x")`` that ends ``args`` (a mount's last argument), else None."""
    matches = list(_REQUIRE.finditer(args))
    last = matches[-1] if matches else None
    return last.start() if last is not None and not args[last.end():].strip() else None
