"""Python glue for AUTH3xx: which route handlers run without any authentication.

A route is authenticated by a session check in its handler, a project helper, Express middleware in its
chain or router, a router mounted with auth elsewhere, or a rejecting Next.js middleware whose matcher
covers it. The code rises with what the handler does (model: AUTH301, db: AUTH302)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from scanner.config import Config
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.nextmw import Middleware, find_middleware
from scanner.engines.semgrep.routes import KIND_LABEL, ROUTE_RULES, Route, is_public, route_of
from scanner.engines.semgrep.runner import Match
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

AUTH_MIDDLEWARE = (
    r"passport\.authenticate|requireAuth\w*|requireUser|requireLogin|requireSession|requireAuthentication|"
    r"ensureAuth\w*|ensureLoggedIn|isAuthenticated|isLoggedIn|isAuth|authenticate\w*|authMiddleware|"
    r"verifyToken|verifyJWT|verifyJwt|checkJwt|jwtCheck|expressjwt|expressJwt|withAuth|protect|protectRoute|"
    r"auth|authorize|authorized|ClerkExpressRequireAuth|ClerkExpressWithAuth|requireAuthMiddleware|"
    r"validateSession|firebaseAuth|checkAuth|apiKeyAuth|bearerAuth|basicAuth|jwt|authGuard|sessionGuard"
)
_INLINE_CHECK = re.compile(r"!\s*req\.(user|auth|session\??\.user|userId)\b|req\.isAuthenticated\(\)")
_DB_MODULE = re.compile(r"(^|/)(db|database|queries|prisma|drizzle|models?|repositor(y|ies))(/|$|\.)|/db/")
_IMPORTS = re.compile(
    r"import\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*[\"']([^\"']+)[\"']|"
    r"(?:const|let|var)\s+(?:(\w+)|\{([^}]*)\})\s*=\s*require\(\s*[\"']([^\"']+)[\"']\s*\)")
_THROWS = re.compile(r"throw\b|40[13]|redirect\(|unauthori[sz]ed|notFound\(", re.I)
_FUNC_NAME = re.compile(
    r"(?:function\s+(\w+)|(?:const|let)\s+(\w+)\s*=\s*(?:async\s*)?(?:\([^)]*\)|\w+)\s*=>)"
)


def _names(spec: str) -> list[str]:
    """Local names bound by an import list (``a, b as c`` -> ``a``, ``c``)."""
    return [p.split(" as ")[-1].strip() for p in spec.split(",") if p.strip()]


def imports_of(text: str) -> list[tuple[str, str, int]]:
    """``(local name, module spec, 1-based line)`` for every ES import and CommonJS require in ``text``."""
    out = []
    for found in _IMPORTS.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        default, group, spec = found.group(1) or found.group(4), found.group(2) or found.group(5), \
            found.group(3) or found.group(6)
        names = ([default] if default else []) + (_names(group) if group else [])
        out += [(n, spec, line) for n in names]
    return out


class AuthAnalysis:
    """Joins route matches with session/model/db facts across the project's JS/TS files."""

    def __init__(self, matches: Sequence[Match], docs: Mapping[str, Doc], config: Config,
                 context: Mapping[str, str] | None = None) -> None:
        """``context`` holds texts of unchanged project files (the Next.js middleware) for diff scans."""
        self.docs = docs
        self.config = config
        self.facts: dict[tuple[str, str], list[Match]] = {}
        for m in matches:
            self.facts.setdefault((m.path, m.role), []).append(m)
        names = AUTH_MIDDLEWARE + "".join("|" + re.escape(n) for n in config.auth_middleware)
        self.mw_names = re.compile(rf"\b(?:{names})\b")
        self.helpers = self._project_helpers() | set(config.auth_helpers)
        self.middleware: Middleware | None = find_middleware({**(context or {}),
                                                              **{p: d.text for p, d in docs.items()}})
        self.mounted = self._mounted_with_auth()

    def findings(self, matches: Iterable[Match]) -> list[Finding]:
        """AUTH301/302/303 for unauthenticated routes and AUTH305 for imported-but-unapplied middleware."""
        out = []
        for m in matches:
            if m.rule_id in ROUTE_RULES and m.path in self.docs:
                route = route_of(m, self.docs[m.path])
                if route is not None and not is_public(route, self.config.public_routes) \
                        and not self.authenticated(route):
                    finding = self._finding(route)
                    if finding.rule_id != "AUTH303" or not route.body.strip() or _does_work(route.body):
                        out.append(finding)
        return out + self._unapplied()

    def _inside(self, route: Route, role: str) -> list[Match]:
        m = route.match
        return [f for f in self.facts.get((m.path, role), []) if m.start <= f.start and f.end <= m.end]

    def authenticated(self, route: Route) -> bool:
        """True when any of the accepted forms of authentication protects ``route``."""
        if self._inside(route, "session") or _INLINE_CHECK.search(route.body):
            return True
        if any(re.search(rf"\b{re.escape(h)}\s*\(", route.body) for h in self.helpers):
            return True
        if route.kind == "express":
            return self._express_authed(route)
        return self.middleware is not None and self.middleware.covers(route.url)

    def _express_authed(self, route: Route) -> bool:
        if self.mw_names.search(route.chain) or route.match.path in self.mounted:
            return True
        doc = self.docs[route.match.path]
        before = doc.slice(0, route.match.start)
        for use in re.finditer(rf"\b{re.escape(route.router)}\.use\(([^;\n]*)", before):
            args = use.group(1)
            prefix = re.match(r"\s*[\"'`]([^\"'`]*)[\"'`]", args)
            if self.mw_names.search(args) and (prefix is None or route.url.startswith(prefix.group(1))):
                return True
        return False

    def _project_helpers(self) -> set[str]:
        """Names of project functions that read the session and throw, redirect or answer 401 without one."""
        helpers = set()
        for (path, role), facts in self.facts.items():
            if role != "session" or path not in self.docs:
                continue
            doc = self.docs[path]
            for fact in facts:
                head = doc.slice(max(0, fact.start - 600), fact.start)
                names = [a or b for a, b in _FUNC_NAME.findall(head)]
                if names and _THROWS.search(doc.slice(fact.end, fact.end + 600)):
                    helpers.add(names[-1])
        # components (PascalCase), route handlers and the middleware itself are not helpers a route calls
        return {h for h in helpers if h[:1].islower() and h not in ("handler", "middleware", "proxy")}

    def _mounted_with_auth(self) -> set[str]:
        """Files whose router is mounted with auth elsewhere: ``app.use('/api', requireAuth, chatRouter)``."""
        out = set()
        for path, doc in self.docs.items():
            imported = {name: spec for name, spec, _ in imports_of(doc.text) if spec.startswith(".")}
            for use in re.finditer(r"\.use\(([^;\n]*)\)", doc.text):
                last = re.search(r"(\w+)\s*$", use.group(1))
                if last and last.group(1) in imported and self.mw_names.search(use.group(1)[: last.start()]):
                    out |= set(_resolve(path, imported[last.group(1)], self.docs))
        return out

    def _unapplied(self) -> list[Finding]:
        """AUTH305: an auth middleware imported into a file with routes and never used there."""
        out = []
        route_files = {m.path for (m_path, role), ms in self.facts.items() if role == "route" for m in ms}
        for path in sorted(route_files & set(self.docs)):
            doc = self.docs[path]
            for name, spec, line in imports_of(doc.text):
                if self.mw_names.fullmatch(name) and name not in ("auth", "protect") \
                        and len(re.findall(rf"\b{re.escape(name)}\b", doc.text)) == 1:
                    message = f"{name} is imported from {spec} but no route in this file uses it"
                    snippet = snippet_of(doc.line(line))
                    out.append(Finding(rule("AUTH305"), Location(path, line), message, snippet,
                                       context=name, match_key=f"{name}:{spec}"))
        return out

    def _finding(self, route: Route) -> Finding:
        m = route.match
        doc = self.docs[m.path]
        if self._inside(route, "model"):
            code, what = "AUTH301", " calls a model API"
        elif self._inside(route, "db") or self._calls_db_helper(route, doc):
            code, what = "AUTH302", " reads or writes the database"
        else:
            code, what = "AUTH303", ""
        url = "" if route.kind == "action" else f" ({route.url})"
        joiner = " and" if what else ""
        message = f"{KIND_LABEL[route.kind]} {route.name}{url}{what}{joiner} checks no session or token first"
        loc = Location(m.path, m.line, doc.column(m.line, m.column))
        return Finding(rule(code), loc, message, snippet_of(doc.line(m.line)),
                       context=f"{route.kind}:{route.name}:{route.url}", match_key=route.name)

    def _calls_db_helper(self, route: Route, doc: Doc) -> bool:
        names = [n for n, spec, _ in imports_of(doc.text) if _DB_MODULE.search(spec)]
        return any(re.search(rf"\b{re.escape(n)}\s*[.(]", route.body) for n in names)


def _does_work(body: str) -> bool:
    """False for a trivial handler (no ``await``, no promise chain: a static answer such as a 204 or a
    health JSON), which is not worth an AUTH303 finding."""
    return bool(re.search(r"\bawait\b|\.then\(", body))


def _resolve(importer: str, spec: str, docs: Mapping[str, Doc]) -> list[str]:
    base = importer.rsplit("/", 1)[0].split("/") if "/" in importer else []
    parts = list(base)
    for piece in spec.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in (".", ""):
            parts.append(piece)
    stem = "/".join(parts)
    stem = re.sub(r"\.(js|ts|mjs|cjs)$", "", stem)
    candidates = [stem + ext for ext in (".js", ".ts", ".mjs", ".cjs", "/index.js", "/index.ts")]
    return [c for c in candidates if c in docs]
