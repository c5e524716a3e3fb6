"""Next.js `middleware.ts`: does it reject requests without a session, and which paths does it cover?"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: Where Next.js looks for the middleware (and the Next 16 ``proxy`` file), relative to the project root.
MIDDLEWARE_FILES = tuple(f"{d}{n}.{e}" for d in ("", "src/") for n in ("middleware", "proxy")
                         for e in ("ts", "js", "mjs", "tsx"))
#: Signs that the middleware (or a helper it calls) turns away a request without a session.
_REJECTS = re.compile(
    r"(?:if\s*\((?:[^{;]{0,160}?&&)?\s*!\s*[\w.?]*(?:user|session|token|auth|userId|loggedIn|authenticated)\b"
    r"[^{;]{0,200}\)\s*\{?"
    r"[^}]{0,400}?(?:redirect\(|rewrite\(|status:\s*40[13]\b|NextResponse\.json\([^)]*40[13]))|"
    r"\.protect\(|redirectToSignIn\(|authMiddleware\(|withMiddlewareAuthRequired\(|"
    r"export\s+default\s+(auth|withAuth|NextAuth\([^)]*\)\.auth)\b|export\s*\{\s*auth\s+as\s+(default|middleware)|"
    r"export\s+const\s+middleware\s*=\s*auth\b|authorized\s*[(:]|withAuth\(|new\s+Response\([^)]*40[13]|"
    r"export\s*\{\s*default(?:\s+as\s+middleware)?\s*\}\s*from\s*[\"']next-auth/middleware[\"']"
)
_MATCHER = re.compile(r"matcher\s*:\s*(\[[^\]]*\]|[\"'`][^\"'`]*[\"'`])", re.S)
_STRING = re.compile(r"[\"'`]([^\"'`]*)[\"'`]")
_IMPORT = re.compile(r"import\s*\{?\s*([\w\s,]+?)\s*\}?\s*from\s*[\"']([.@][^\"']*)[\"']")
#: The common negative-lookahead matcher ``/((?!api|_next/static|.*\\.(?:svg|png)$).*)``: its excluded alternatives.
_LOOKAHEAD = re.compile(r"^/\(\(\?!(.*)\)\.\*\)$", re.S)


#: Clerk ``authMiddleware({ publicRoutes: [...] })`` / ``ignoredRoutes``: a list, or a function (unknowable).
_CLERK_PUBLIC = re.compile(r"\b(?:publicRoutes|ignoredRoutes)\s*:\s*(\[[^\]]*\]|[^,}\n]*=>|function\b|\w+)", re.S)
#: ``const isPublicRoute = createRouteMatcher([...])`` (Clerk; one pattern as a string too): names that say which list
#: it is.
#: ``const protectedRoutes = [...]`` (regex literals or path strings) in a middleware.
_PATH_LIST = re.compile(r"(?:const|let)\s+(\w*(?:protected|private|secure|guarded)\w*)\s*(?::[^=\n]*)?=\s*(\[[^\]]*\])",
                        re.S | re.I)
#: A JS regex literal inside such a list: ``/^\/chat(\/.*)?$/``.
_REGEX_LITERAL = re.compile(r"(?<![\w\"'`])/((?:\\.|[^/\\\n])+)/[dgimsuy]*(?=\s*[,\]])")
_ROUTE_MATCHER = re.compile(r"(?:const|let)\s+(\w+)\s*=\s*createRouteMatcher\(\s*(\[[^\]]*\]|\"[^\"\n]*\"|'[^'\n]*')",
                            re.S)


#: A redirect guarded by ``!pathname.startsWith('/')``, never true for a request path: the Supabase SSR template
#: (``!user && !request.nextUrl.pathname.startsWith('/login')``) with its public prefix cut down to ``'/'``
#: redirects nobody.
_NEVER_TRUE = re.compile(r"&&\s*!\s*[\w$.?]*pathname\s*\.\s*startsWith\(\s*(['\"`])/\1\s*\)")


@dataclass(frozen=True)
class Middleware:
    """The project's middleware: its path, whether it rejects requests without a session, its matcher
    strings (empty: runs on every path), the routes it lets through without a session (Clerk
    ``publicRoutes`` / a public ``createRouteMatcher``) and, when it protects only some, those routes
    (``isProtectedRoute``); ``public_all`` when a function decides (``publicRoutes: () => true``)."""

    path: str
    rejects: bool
    matchers: tuple[str, ...]
    public: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    public_all: bool = False

    def covers(self, url: str) -> bool:
        """True when the middleware runs for ``url`` (``/api/chat``) and rejects unauthenticated requests."""
        if not self.rejects or self.public_all:
            return False
        if any(_matcher_covers(p, url) for p in self.public):
            return False
        if self.protected and not any(_matcher_covers(p, url) for p in self.protected):
            return False
        return self.runs_on(url)

    def runs_on(self, url: str) -> bool:
        """True when the matcher lets the middleware run for ``url``, whatever it does there."""
        return not self.matchers or any(_matcher_covers(m, url) for m in self.matchers)


def find_middleware(texts: Mapping[str, str]) -> Middleware | None:
    """The Next.js middleware among ``texts`` (path -> text), following its relative or ``@/`` imports one
    level deep to find whether it rejects; None when the project has none."""
    for path in MIDDLEWARE_FILES:
        if path in texts:
            text = texts[path]
            helpers = "\n".join(texts.get(p, "") for p in _imported_paths(path, text, texts))
            public, protected, public_all = _route_lists(text)
            rejects = any(_REJECTS.search(t) and not _NEVER_TRUE.search(t) for t in (text, helpers))
            return Middleware(path, rejects, _matchers(text), public, protected, public_all)
    return None


def middleware_texts(read: Callable[[str], str | None]) -> dict[str, str]:
    """The middleware file and the project files it imports, read with ``read(path) -> text or None``: the
    context a staged or ``--since`` scan needs when the middleware itself did not change."""
    texts: dict[str, str] = {}
    for path in MIDDLEWARE_FILES:
        text = read(path)
        if text is not None:
            texts[path] = text
            for candidate in _candidates(path, text):
                found = read(candidate)
                if found is not None:
                    texts[candidate] = found
            break
    return texts


def _candidates(path: str, text: str) -> list[str]:
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    out = []
    for _names, spec in _IMPORT.findall(text):
        stem = spec[2:] if spec.startswith("@/") else _join(base, spec)
        out += [prefix + stem + ext for prefix in ("", "src/")
                for ext in (".ts", ".js", ".tsx", "/index.ts", "/index.js")]
    return out


def _imported_paths(path: str, text: str, texts: Mapping[str, str]) -> list[str]:
    return [c for c in _candidates(path, text) if c in texts]


def _join(base: str, spec: str) -> str:
    parts = [p for p in base.split("/") if p]
    for piece in spec.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def _route_lists(text: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """``(public routes, protected-only routes, public decided by a function)`` of a Clerk middleware."""
    public: list[str] = []
    protected: list[str] = []
    public_all = False
    for found in _CLERK_PUBLIC.finditer(text):
        if found.group(1).startswith("["):
            public += _STRING.findall(found.group(1))
        else:
            public_all = True
    for name, routes in _ROUTE_MATCHER.findall(text):
        if re.search(r"(?i)public|ignored|open|unprotected", name):
            public += _STRING.findall(routes)
        elif re.search(r"(?i)protected|private|auth|dashboard|admin|secure", name):
            protected += _STRING.findall(routes)
    # a plain list the middleware tests the path against (``const protectedRoute = [/^\/chat(\/.*)?$/]`` then
    # ``protectedRoute.some((r) => r.test(pathname))``; ``["/dashboard"]`` with ``pathname.startsWith(r)``)
    for name, routes in _PATH_LIST.findall(text):
        if re.search(r"(?i)unprotected|public|open", name) or not re.search(rf"\b{re.escape(name)}\s*\.\s*(?:some|"
                                                                            r"includes|find)\b", text):
            continue
        paths = [f"re:{m}" for m in _REGEX_LITERAL.findall(routes)] + \
            [p if re.search(r"[(:*]", p) else f"{p.rstrip('/')}(.*)" for p in _STRING.findall(routes)]
        protected += [p for p in paths if p not in ("re:", "(.*)")]
    return tuple(public), tuple(protected), public_all


def _matchers(text: str) -> tuple[str, ...]:
    found = _MATCHER.search(text)
    return tuple(_STRING.findall(found.group(1))) if found else ()


def _alternatives(group: str) -> list[str] | None:
    """The top-level ``|`` alternatives of a regex group, or None when its parentheses do not balance."""
    alts: list[str] = []
    depth = start = 0
    for i, ch in enumerate(group):
        if ch == "(" and (i == 0 or group[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and (i == 0 or group[i - 1] != "\\"):
            depth -= 1
            if depth < 0:
                return None
        elif ch == "|" and depth == 0:
            alts.append(group[start:i])
            start = i + 1
    return [*alts, group[start:]] if depth == 0 else None


def _excluded(group: str, rest: str) -> bool | None:
    """Whether the lookahead ``(?!group)`` excludes the path ``rest`` (the URL after its leading ``/``); None when
    it cannot be read. A plain alternative (``api``, ``favicon.ico``) is a prefix; one with regex syntax
    (``.*\\.(?:svg|png)$``, ``$``) runs with google-re2 (linear time) as written in the source string."""
    alts = _alternatives(group)
    if alts is None or len(group) > 600:
        return None
    for alt in filter(None, alts):
        if not re.search(r"[\\()\[\]*+?$^]", alt):
            if rest.startswith(alt):
                return True
            continue
        found = _re2_match(alt.replace("\\\\", "\\"), rest)
        if found is None:
            return None
        if found:
            return True
    return False


def _re2_match(pattern: str, text: str) -> bool | None:
    """``pattern`` matched at the start of ``text`` with google-re2; None when re2 cannot compile it."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return None
    try:
        return re2.match(pattern, text) is not None
    except Exception:  # re2.error: lookarounds, backreferences
        return None


def _matcher_covers(matcher: str, url: str) -> bool:
    """Next.js matcher semantics (path-to-regexp with ``:param*``, or a regex), bounded: the common
    ``/((?!api|_next/static|...).*)`` form is read as a list of excluded alternatives; other patterns are
    converted to a regex and run with google-re2 (linear time) when available. ``re:`` marks a JS regex literal
    of the middleware's own path list, searched as written."""
    if matcher.startswith("re:"):
        try:
            import re2
        except ImportError:  # pragma: no cover - google-re2 is a dependency
            return False
        try:
            return re2.search(matcher[3:], url) is not None
        except Exception:  # re2.error: an unsupported construct is no coverage
            return False
    look = _LOOKAHEAD.match(matcher)
    if look:
        excluded = _excluded(look.group(1), url[1:])
        return excluded is False
    pattern = re.sub(r":\w+\*", "(.*)", matcher)
    pattern = re.sub(r":\w+\+", "(.+)", pattern)
    pattern = re.sub(r":\w+", "([^/]+)", pattern)
    if len(pattern) > 300 or "(?" in pattern:
        return False
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return bool(re.fullmatch(pattern.replace("/(.*)", "(/.*)?"), url))
    try:
        return bool(re2.fullmatch(pattern.replace("/(.*)", "(/.*)?"), url))
    except Exception:  # re2.error: an invalid pattern is no coverage
        return False
