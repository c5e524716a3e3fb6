"""The JS/TS project as the auth join sees it: files, semgrep facts by role, mounts with their prefixes, and
which middleware, guards and helpers authenticate (by what their code does, names as the fallback)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cached_property

from scanner.config import Config
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import imports_of, resolve
from scanner.engines.semgrep.jstext import balanced_end, byte_offset, default_export_span, definition_span
from scanner.engines.semgrep.nextmw import Middleware, find_middleware
from scanner.engines.semgrep.routes import join_url
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
#: ``this.chatService.ask(`` in a NestJS controller method.
_THIS_CALL = re.compile(r"\bthis\.(\w+)\.(\w+)\s*\(")
#: ``ask(`` / ``chatService.ask(`` (not a member of something else).
_CALL = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*\(")
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
                if names and _THROWS.search(doc.slice(fact.end, fact.end + 600)):
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
            for use in re.finditer(r"\.use\(([^;\n]*)\)", doc.text):
                args = use.group(1)
                last_start = _last_require_start(args)
                if last_start is None:
                    found = re.search(r"(\w+)\s*$", args)
                    last_start = found.start() if found and found.group(1) in imported else None
                if last_start is not None and self.authenticates(args[:last_start], path):
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
        if self.mw_names.search(chain):
            return True
        return any(self.rejects(name, path) for name in _IDENT.findall(chain))

    def rejects(self, name: str, path: str) -> bool:
        """True when function ``name`` as seen from ``path`` (defined there or imported) reads a credential and
        refuses (401/403, unauthorized error, redirect to sign-in) without it."""
        key = (path, name)
        if key not in self._behaviour:
            self._behaviour[key] = False
            found = self.definition(name, path)
            if found is not None:
                doc, start, end = found
                body = doc.text[start:end]
                self._behaviour[key] = bool(js.REJECTS.search(body) and js.READS_CREDENTIAL.search(body))
        return self._behaviour[key]

    def definition(self, expr: str, path: str) -> tuple[Doc, int, int] | None:
        """The document and character span defining ``expr`` (``create`` or ``controller.create``) as seen
        from ``path``: in that file, or in the project module it was imported from (one hop)."""
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
        name = member or head
        for local, spec, _ in imports_of(doc.text):
            if local == head:
                for target in resolve(path, spec, self.docs):
                    text = self.docs[target].text
                    span = definition_span(text, name) or (None if member else default_export_span(text))
                    if span is not None:
                        return self.docs[target], span[0], span[1]
                return None
        span = definition_span(doc.text, name) if not member else None
        return (doc, span[0], span[1]) if span is not None else None

    def callee_spans(self, body: str, path: str) -> list[tuple[str, int, int]]:
        """Byte spans ``(path, start, end)`` of the project functions a handler ``body`` (seen from ``path``)
        calls one hop away: imported functions (``ask(q)``, ``chatService.ask(q)``) and NestJS injected
        services (``this.chatService.ask(q)``, the constructor's ``private chatService: ChatService``)."""
        doc = self.docs.get(path)
        if doc is None:
            return []
        imported = {n for n, _, _ in imports_of(doc.text)}
        exprs: list[str] = []
        for prop, method in _THIS_CALL.findall(body):
            typed = re.search(rf"\b{re.escape(prop)}\s*:\s*(\w+)", doc.text)
            if typed and typed.group(1) in imported:
                exprs.append(f"{typed.group(1)}#{method}")
        exprs += [e for e in _CALL.findall(body) if e.split(".")[0] in imported]
        out = []
        for expr in dict.fromkeys(exprs):
            found = self._class_method(expr, path) if "#" in expr else self.definition(expr, path)
            if found is not None:
                target, start, end = found
                out.append((target.path, byte_offset(target.text, start), byte_offset(target.text, end)))
        return out[:20]

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
                for target in resolve(path, spec, self.docs):
                    text = self.docs[target].text
                    head = re.search(rf"class\s+{re.escape(cls)}\b", text)
                    span = definition_span(text[head.end():], method) if head else None
                    if head and span is not None:
                        return self.docs[target], head.end() + span[0], head.end() + span[1]
        return None

    def handler_span(self, expr: str, path: str) -> tuple[str, int, int, str] | None:
        """``(path, start byte, end byte, text)`` of a named handler's body, wherever it is defined."""
        found = self.definition(expr.strip(), path)
        if found is None:
            return None
        doc, start, end = found
        return doc.path, byte_offset(doc.text, start), byte_offset(doc.text, end), doc.text[start:end]


def _last_require_start(args: str) -> int | None:
    """Start of an inline ``require("./x")`` that ends ``args`` (a mount's last argument), else None."""
    matches = list(_REQUIRE.finditer(args))
    last = matches[-1] if matches else None
    return last.start() if last is not None and not args[last.end():].strip() else None


def call_args(text: str, open_paren: int) -> str:
    """Inner text of the argument list opening at ``text[open_paren]`` (``""`` when it does not close)."""
    end = balanced_end(text, open_paren)
    return text[open_paren + 1:end - 1] if end > 0 else ""
