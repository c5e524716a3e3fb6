"""Python glue for AUTH3xx and the route inventory: which JS/TS route handlers run without authentication.

A route is authenticated by a session check in its handler (wherever its body lives), a project helper that
refuses without a session, an API-key lookup that refuses, or the framework's way of attaching auth
(middleware chains and mounts, NestJS guards, a rejecting Next.js middleware whose matcher covers it). The
code rises with what the handler does (model: AUTH301, db: AUTH302)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from scanner.config import Config
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks import FRAMEWORKS, JsFramework, routes_of
from scanner.engines.semgrep.imports import imports_of
from scanner.engines.semgrep.jstext import balanced_end, definition_span, strip_js
from scanner.engines.semgrep.object_access import unscoped_findings
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.prompt_reach import unbounded_through_helpers
from scanner.engines.semgrep.ratelimit import RateLimits
from scanner.engines.semgrep.routes import KIND_LABEL, Route, is_public, verifies_only_when_configured
from scanner.engines.semgrep.runner import Match
from scanner.engines.semgrep.system_reach import system_prompt_through_helpers
from scanner.knowledge import DEBUG_ROUTE, js, words
from scanner.knowledge.ownership import INTAKE_WORDS, MEMBER_DATA_WORDS, PUBLIC_CONTENT_WORDS
from scanner.model import Finding, Location, RouteInfo
from scanner.redact import snippet_of
from scanner.rulebook import rule

_INLINE_CHECK = re.compile(r"!\s*(?:req|c|ctx|request)\.(?:user|auth|session\??\.user|userId|get\(\s*[\"']user)\b|"
                           r"req\.isAuthenticated\(\)")
#: ``const session = await getRequestSession(req)`` / ``const { data: { user } } = await sb.auth.getUser()``.
_ASSIGNED = re.compile(r"(?:const|let|var)\s+(?:\{([^=]*)\}|(\w+))\s*(?::[^=]{0,80})?=\s*(?:await\s+)?([\w$.]+)\s*\(")
#: ``const user = c.get("user")``, ``c.var.session``, ``ctx.state.user``, ``req.user``, ``res.locals.user``: a
#: value an earlier middleware stored on the request context.
_CONTEXT_READ = re.compile(r"(?:const|let|var)\s+(?:\{([^=]*)\}|(\w+))\s*(?::[^=]{0,80})?=\s*(?:"
                           r"(?:c|ctx|context)\.get\(\s*[\"'](\w+)[\"']\s*\)|(?:c|ctx|context)\.(?:var|state)\.(\w+)|"
                           r"(?:req|request)\.(user|auth|session)|res\.locals\.(\w+))(?:\??\.[\w$]+)*!?"
                           r"(?:\s+as\s+[^;\n=]+)?\s*[;\n]")
#: ``if (req.auth?.userId) {`` / ``if (req.user) {``: a positive test of the credential a middleware attached.
_POSITIVE_CHECK = re.compile(r"\bif\s*\(\s*(?:req|c|ctx|request)\.(?:user|auth|session|userId)\b[?!.\w]*\s*\)\s*\{")
_CREDENTIAL_KEY = re.compile(r"(?i)user|session|auth|jwt|payload|claims|token|principal|viewer|member")
_DB_MODULE = re.compile(r"(^|/)(db|database|queries|prisma|drizzle|models?|repositor(y|ies))(/|$|\.)|/db/")
_ROUTE_RULES = ("js-nextjs-route-handler", "js-pages-api-handler", "js-server-action", "js-express-route")


class AuthAnalysis:
    """Joins route facts with session/model/db facts across the project's JS/TS files."""

    def __init__(self, matches: Sequence[Match], docs: Mapping[str, Doc], config: Config,
                 context: Mapping[str, str] | None = None,
                 manifest: Callable[[str], str | None] | None = None) -> None:
        """``context`` holds texts of unchanged project files (the Next.js middleware) for diff scans;
        ``manifest(rel)`` reads a ``package.json`` (the Next.js version decides which server actions have
        endpoints)."""
        self.project = Project(matches, docs, config, context)
        self.docs = docs
        self.config = config
        self.inventory: list[RouteInfo] = []
        self.authed_routes: list[Route] = []  # issue 13: AUTH307 judges these
        self.open_api: list[Route] = []  # Next.js API routes reported open: AUTH305 when the middleware skips them
        self.rate_limits = RateLimits(self.project, {**(context or {}), **{p: d.text for p, d in docs.items()}},
                                      manifest)

    def findings(self, matches: Sequence[Match]) -> list[Finding]:
        """AUTH301/302/303 for unauthenticated routes and AUTH305 for imported-but-unapplied middleware;
        fills :attr:`inventory` with every route judged."""
        by_path: dict[str, list[Match]] = {}
        for m in matches:
            if m.rule_id in _ROUTE_RULES:
                by_path.setdefault(m.path, []).append(m)
        out: list[Finding] = []
        judged: dict[int, int] = {}  # id(route) -> index in out of its AUTH301/302/303
        for path in sorted(self.docs):
            for framework, route in routes_of(self.docs[path], by_path.get(path, []), self.project):
                finding = self._judge(framework, route)
                if finding is not None:
                    judged[id(route)] = len(out)
                    out.append(finding)
                limit = self.rate_limits.finding(route)  # issue 13: LR601
                if limit is not None:
                    out.append(limit)
                reachable = route.kind != "action" or self.rate_limits.action_reachable(route)
                unbounded = unbounded_through_helpers(route, self.project, reachable)  # LR602 across modules
                if unbounded is not None:
                    out.append(unbounded)
                system = system_prompt_through_helpers(route, self.project)  # LR603 across functions
                if system is not None:
                    out.append(system)
        self._matcher_misses_api(out, judged)
        return out + self._unapplied(set(by_path)) + unscoped_findings(self.authed_routes, self.project, self.docs)

    def _judge(self, framework: JsFramework, route: Route) -> Finding | None:
        if route.kind == "action" and self.rate_limits.has_client_code and \
                not self.rate_limits.action_reachable(route):
            return None  # the client code in sight never imports it: Next.js gives it no endpoint
        public = is_public(route, self.config.public_routes)
        authed = self.authenticated(route, framework)
        spans = [route.span, *self.project.callee_spans(route.body, route.span[0])]
        model = bool(self.project.reaching(route, "model"))
        db = bool(self.project.reaching(route, "db")) or self._calls_db_helper(route)
        m = route.match
        self.inventory.append(RouteInfo(route.method, route.url, Location(m.path, m.line), framework.name,
                                        authed or not public, authed, model, db))
        if authed and not public:
            self.authed_routes.append(route)
            late = self._model_before_session(route, framework) if model else None
            if late is not None:
                return late
        if public or authed:
            return None
        callees = [self.docs[p].slice(a, b) for p, a, b in spans[1:] if p in self.docs]
        if not model and route.method not in ("GET", "HEAD") and any(map(creates_account, (route.body, *callees))):
            return None  # a sign-up, whatever it is called: public by intent
        if not model and _ONE_TIME_TOKEN_LOOKUP.search(strip_js(route.body, '""')):
            return None  # a password-reset or verification step that finds the member by the emailed token
        if not model and public_by_content(route, callees):
            return None
        finding = self._finding(route, model, db)
        if finding.rule_id == "AUTH303" and route.body.strip() and not _UPLOAD_MIDDLEWARE.search(route.chain) and \
                not DEBUG_ROUTE.search(route.url) and (
                not _does_work(route.body, callees) or
                _stateless(route.body, callees, self.docs.get(route.span[0]))):
            return None
        if route.framework == "nextjs" and route.kind in ("next", "pages") and route.url.startswith("/api"):
            self.open_api.append(route)
        return finding

    def _matcher_misses_api(self, out: list[Finding], judged: dict[int, int]) -> None:
        """A ``middleware.ts`` that refuses signed-out users while its ``matcher`` leaves out API routes that
        check no session themselves (``matcher: ['/account/:path*']``): said in each such route's own
        AUTH301/302/303 message (one finding per hole, whose fix names the matcher line), only when no API
        route outside the matcher checks the session itself (then the open ones are public by choice: an
        image gallery, a search). Edits ``out`` in place."""
        mw = self.project.middleware
        if mw is None or not mw.rejects or not mw.matchers or mw.path not in self.docs:
            return
        missed = [r for r in self.open_api if not mw.runs_on(r.url)]
        checked = [r for r in self.authed_routes if r.framework == "nextjs" and r.kind in ("next", "pages")
                   and r.url.startswith("/api") and not mw.runs_on(r.url)]
        if not missed or checked:
            return  # API routes that check the session themselves: the open ones are left open on purpose
        doc = self.docs[mw.path]
        found = re.search(r"\bmatcher\s*:", doc.text)
        line = doc.text.count("\n", 0, found.start()) + 1 if found else 1
        note = (f"; {mw.path} refuses signed-out users, but its matcher ({', '.join(mw.matchers)}, line {line}) "
                f"does not cover this route")
        for route in missed:
            at = judged.get(id(route))
            if at is not None:
                out[at] = replace(out[at], message=out[at].message + note)

    def authenticated(self, route: Route, framework: JsFramework | None = None) -> bool:
        """True when any of the accepted forms of authentication protects ``route``."""
        sessions = self.project.inside(route.span, "session")
        if sessions and (route.kind not in _REFUSAL_NEEDED or action_refuses(route.body, [
                self.docs[f.path].slice(f.start, f.end) for f in sessions if f.path in self.docs])):
            return True
        if _INLINE_CHECK.search(route.body) or _checks_then_else_returns(route.body):
            return True
        if any(re.search(rf"\b{re.escape(h)}\s*\(", route.body) for h in self.project.helpers):
            return True
        if js.API_KEY_CHECK.search(route.body) and js.REJECTS.search(route.body):
            return True
        if refuses_without_credential(route.body):
            return True
        if _SESSION_WRAPPER.search(route.body) and not _SESSION_OPTIONAL.search(route.body):
            return True
        framework = framework or FRAMEWORKS.get(route.framework or "nextjs", FRAMEWORKS["nextjs"])
        return framework.authenticated(route, self.project)

    def _unapplied(self, route_files: set[str]) -> list[Finding]:
        """AUTH305: an auth middleware imported into a file with routes and never used there."""
        out = []
        names = self.project.mw_names
        for path in sorted(route_files & set(self.docs)):
            doc = self.docs[path]
            for name, spec, line in imports_of(doc.text):
                if names.fullmatch(name) and name not in ("auth", "protect") \
                        and len(re.findall(rf"\b{re.escape(name)}\b", doc.text)) == 1:
                    message = f"{name} is imported from {spec} but no route in this file uses it"
                    out.append(Finding(rule("AUTH305"), Location(path, line), message, snippet_of(doc.line(line)),
                                       context=name, match_key=f"{name}:{spec}"))
        return out

    def _finding(self, route: Route, model: bool, db: bool) -> Finding:
        if model:
            code, what = "AUTH301", " calls a model API"
        elif db:
            code, what = "AUTH302", " reads or writes the database"
        else:
            code, what = "AUTH303", ""
        joiner = " and" if what else ""
        if verifies_only_when_configured(route.body):
            how = "checks the sender's signature only when its webhook secret is set; without it, it trusts any body"
        elif guest := next((n for n in sorted(set(re.findall(r"[A-Za-z_$][\w$]*", route.chain)))
                            if self.project.passes_guests(n, route.match.path)), None):
            how = (f"passes {guest}, which lets a request without a credential through as a guest (its "
                   "missing-token branch calls next()), and nothing refuses guests")
        elif self.project.inside(route.span, "session"):
            how = "reads the session but serves callers without one (nothing refuses them)"
        else:
            how = "checks no session or token first"
        where = f" (handler in {route.body_path})" if route.body_path and route.body_path != route.match.path \
            else ""
        return self._route_finding(route, code, f"{self._label(route)}{what}{joiner} {how}{where}")

    def _model_before_session(self, route: Route, framework: JsFramework) -> Finding | None:
        """AUTH301 for a handler that calls the model before it reads the session it refuses without
        (``const answer = await model.generateContent(prompt)`` then ``if (!user) return 401``): the check
        guards only what follows, so anyone spends the model budget. None when a middleware, guard or wrapper
        protects the route before the handler runs, or when the order cannot be read from the handler itself."""
        if framework.authenticated(route, self.project):
            return None
        calls = self.project.inside(route.span, "model")
        sessions = self.project.inside(route.span, "session")
        if not calls or not sessions:
            return None
        first_call = min(calls, key=lambda f: f.start)
        first_check = min(sessions, key=lambda f: f.start)
        if first_call.start >= first_check.start:
            return None
        return self._route_finding(route, "AUTH301", (
            f"{self._label(route)} calls a model API (line {first_call.line}) before it checks the session (line "
            f"{first_check.line}): the check guards only what follows, so anyone can spend the model budget"))

    @staticmethod
    def _label(route: Route) -> str:
        """``Next.js route handler POST (/api/chat)``; a server action has no URL."""
        url = "" if route.kind == "action" else f" ({route.url})"
        return f"{KIND_LABEL[route.kind]} {route.name}{url}"

    def _route_finding(self, route: Route, code: str, message: str) -> Finding:
        """A finding of ``code`` on the route's declaration line (one per route: keyed by the route's name)."""
        m = route.match
        doc = self.docs[m.path]
        return Finding(rule(code), Location(m.path, m.line, doc.column(m.line, m.column)), message,
                       snippet_of(doc.line(m.line)), context=f"{route.kind}:{route.name}:{route.url}",
                       match_key=route.name)

    def _calls_db_helper(self, route: Route) -> bool:
        path = route.span[0]
        doc = self.docs.get(path)
        if doc is None:
            return False
        names = [n for n, spec, _ in imports_of(doc.text) if _DB_MODULE.search(spec)]
        return any(re.search(rf"\b{re.escape(n)}\s*[.(]", route.body) for n in names)


#: SuperTokens' Next.js wrapper, ``return withSession(request, async (err, session) => {...})``
#: (``supertokens-node/nextjs``): it answers 401 itself when the request has no valid session, unless its options
#: say ``sessionRequired: false`` (https://supertokens.com/docs/session/common-customizations/sessions/
#: protecting-api-routes, "app directory").
_SESSION_WRAPPER = re.compile(r"\bwithSession\s*\(\s*[\w$.]+\s*,\s*(?:async\s*)?(?:function\s*)?\(\s*[\w$]+\s*,")
_SESSION_OPTIONAL = re.compile(r"\bsessionRequired\s*:\s*false\b")
#: Route kinds whose session read counts only when the handler refuses without a session: server actions and
#: Next.js route handlers (``const { userId } = await auth()`` then a guest fallback refuses nobody). Express-style
#: handlers read what a middleware attached, which refuses for them.
_REFUSAL_NEEDED = frozenset({"action", "next", "pages"})


def _checks_then_else_returns(body: str) -> bool:
    """True for ``if (req.auth?.userId) { userId = req.auth.userId } else { return res.status(401)... }``: the
    handler tests the credential an optional middleware attached and leaves (401, or an empty answer) without
    it, so the rest runs for a signed-in caller only."""
    body = strip_js(body)
    for found in _POSITIVE_CHECK.finditer(body):
        end = balanced_end(body, found.end() - 1)
        if end > 0 and re.match(r"\s*else\s*\{?\s*(?:return\b|throw\b)", body[end:end + 200]):
            return True
    return False


#: An assignment from the session itself (``getServerSession(authOptions)``, ``await auth()``, ``currentUser()``),
#: not from a member lookup: only the session's own absence makes a dereference fail closed.
_SESSION_SOURCE = re.compile(r"(?i)session\w*\s*\(|\bauth\s*\(\s*\)|currentUser\s*\(|getUser\s*\(")
#: The first database or model call of a handler (its arguments are evaluated before it runs).
_FIRST_WORK = re.compile(r"\.(?:find\w*|create\w*|delete\w*|update\w*|upsert|insert\w*|aggregate|count\w*|"
                         r"completions|generate\w*|stream\w*)\s*\(")


def _fails_closed(body: str, alternatives: str, start: int) -> bool:
    """True when the session value is dereferenced without optional chaining (``session!.id``,
    ``session.user.email``, ``(session as any).id``) before or inside the handler's first database or model
    call, or a Prisma relation is connected by a session value inside that call: with no session that throws
    and the work never runs (a 500, not an open route)."""
    work = _FIRST_WORK.search(body, start)
    if work is None:
        return False
    close = balanced_end(body, work.end() - 1)
    limit = close if close > 0 else work.end()
    deref = re.compile(rf"(?<![\w$.?])(?:\(\s*(?:{alternatives})\s+as\s+\w+\s*\)|(?:{alternatives})!?)\.(?!\.)[\w$]")
    if any(not _guarded_by(body, found.start(), alternatives) for found in deref.finditer(body, start, limit)):
        return True
    # Prisma: a relation connected by the session's value (``author: { connect: { email: session?.user?.email }
    # }``, Prisma's own Next.js example); without a session the unique input is empty and Prisma refuses the write
    connect = re.compile(rf"\bconnect\s*:\s*\{{\s*[\w$]+\s*:\s*(?:{alternatives})\??\.[\w$?.]*\s*\}}")
    return connect.search(body, work.start(), limit) is not None


#: The first query of a handler: an ORM or document-store call (``_FIRST_WORK``) or raw SQL (``pool.query(``).
_FIRST_QUERY = re.compile(_FIRST_WORK.pattern[:-len(r")\s*\(")] + r"|query|execute)\s*\(")
#: A SQL condition on the owner column bound to a placeholder (``WHERE id = $1 AND user_id = $2``).
_SQL_OWNER = re.compile(r"(?is)\bwhere\b.{0,200}?\b(?:user_?id|owner_?id|author_?id|account_?id|member_?id)\s*=\s*"
                        r"(?:\$\d+|\?|:\w+|%s)")


def _owner_gated(body: str, alternatives: str, start: int) -> bool:
    """True when the handler's first query is SQL that selects by the caller's own id (``const userId =
    req.user?.id`` then ``SELECT * FROM chats WHERE id = $1 AND user_id = $2`` with ``[chatId, userId]``) and the
    handler ends when it finds nothing (``if (chat.rows.length === 0) return res.status(403)...``) before any other
    work: without a session the owner value is undefined, bound as NULL, no row matches (set 16). Not an ORM
    filter (Prisma and Mongoose drop an undefined key, so ``where: { id, userId }`` then matches any row), not an
    owner the client sends (``req.body.userId``), not ``OR user_id = $2``."""
    work = _FIRST_QUERY.search(body, start)
    if work is None:
        return False
    close = balanced_end(body, work.end() - 1)
    if close <= 0:
        return False
    args = body[work.end():close - 1]
    owner = _SQL_OWNER.search(args)
    if owner is None or re.search(r"(?i)\bor\b", args[:owner.end()]) or \
            not re.search(rf"(?<![\w$.])(?:{alternatives})\b(?!\s*\??\.)", args):
        return False
    held = re.search(r"(?:const|let|var)\s+([\w$]+)\s*(?::[^=]{0,80})?=\s*(?:await\s+)?[\w$.]*\s*$",
                     body[max(0, work.start() - 200):work.start() + 1])
    if held is None:
        return False
    name = re.escape(held.group(1))
    empty = re.compile(rf"if\s*\(\s*(?:!\s*{name}\b(?:\??\.rows)?(?:\??\.length)?\s*\)|{name}(?:\??\.rows)?"
                       rf"\??\.(?:length|rowCount)\s*(?:===?\s*0|<\s*1)\s*\))")
    found = empty.search(body, close, close + 300)
    return found is not None and _ENDS.match(body, found.end()) is not None and \
        not re.search(r"\bawait\b|\.(?:invoke|create|generate\w*|stream\w*)\s*\(", body[close:found.start()])


def _guarded_by(body: str, at: int, alternatives: str) -> bool:
    """True when the dereference at ``at`` sits under ``if (session`` or after ``session &&`` / ``session ?``
    (then it does not run without a session, and proves nothing)."""
    before = body[max(0, at - 300):at]
    return re.search(rf"(?:if\s*\(\s*(?:{alternatives})\b|(?:{alternatives})\s*(?:&&|\?(?!\.)))", before) is not None


#: A new member row given a password (``new User({ name, password })``, ``User.create({ email, password })``,
#: ``prisma.user.create({ data: { email, password: hashed } })``, ``users.insertOne({ ..., password })``).
_NEW_ACCOUNT = re.compile(
    r"(?:\bnew\s+(?:User|Account|Member)\s*\(\s*\{|\b(?:User|Account|Member)\.create\s*\(\s*\{|"
    r"\.(?:user|users|account|accounts)\.(?:create|insertOne)\s*\(\s*\{(?:\s*data\s*:\s*\{)?)"
    r"[^;]{0,400}?\b(?:password|passwordHash|hashedPassword|hash)\b\s*[:,}]",
    re.S)


#: A member row found by the one-time token a reset or verification e-mail carried (``User.findOne({ resetToken:
#: hashed, resetTokenExpiry: { $gt: Date.now() } })``, ``where: { verificationToken: token }``): the token is the
#: credential of that step (set 26 LIGOS_AI).
_ONE_TIME_TOKEN_LOOKUP = re.compile(
    r"\b(?:User|Account|Member|users|user|accounts|account)\.(?:findOne|findFirst|findUnique|find|findOneAndUpdate)"
    r"\s*\(\s*\{[^;]{0,200}?\b(?:reset|passwordReset|verification|verify|confirm|confirmation|activation|magic|"
    r"emailVerification)_?[Tt]oken\s*:", re.S)


def creates_account(body: str) -> bool:
    """True when a handler (or a function it calls) creates a member row with a password: a sign-up, which is
    public by intent whatever the route is named (``POST /api/key`` registering a name, password and key)."""
    return _NEW_ACCOUNT.search(strip_js(body, '""')) is not None


#: Another reason to refuse, or-ed before the missing-credential test (``authError || ``).
_OR_BEFORE = r"[\w$.?!]{1,60}\s*\|\|\s*"


def refuses_without_credential(body: str) -> bool:
    """True when ``body`` reads the signed-in user or session from a call (``const session = await
    getRequestSession(req)``) or from what a middleware stored on the request context (Hono ``c.get("user")`` /
    ``c.var.session``, Koa ``ctx.state.user``, Express ``req.user`` / ``res.locals.user``) and, when that value
    is missing, answers 401/403 or redirects to sign-in (``if (!session) return NextResponse.json(..., { status:
    403 })``): the route refuses anonymous callers, whatever the helper is called. A lookup by a client-sent value
    (``getUserById(id)``) does not count."""
    for names, end in _credential_locals(body):
        alternatives = "|".join(re.escape(n) for n in names if n)
        if not alternatives:
            continue
        # (also after another refusal reason: ``if (authError || !user)``, Supabase's getUser idiom; set 24)
        check = re.compile(rf"if\s*\(\s*(?:{_OR_BEFORE})?!\s*(?:{alternatives})\b[^)]{{0,120}}\)")
        for guard in check.finditer(body, end):
            if js.REJECTS.search(body, guard.end(), guard.end() + 400):
                return True
        if _SESSION_SOURCE.search(body, max(0, end - 160), end) and _fails_closed(body, alternatives, end):
            return True
        if _owner_gated(body, alternatives, end):
            return True
        # ``if (session) { ...the work... } else { return new Response(..., { status: 401 }) }``
        positive = re.compile(rf"if\s*\(\s*(?:{alternatives})\b[^)!]{{0,120}}\)\s*\{{")
        for guard in positive.finditer(body, end):
            close = balanced_end(body, guard.end() - 1)
            otherwise = re.match(r"\s*else\s*\{?", body[close:close + 40]) if close > 0 else None
            if otherwise and js.REJECTS.search(body, close + otherwise.end(), close + otherwise.end() + 400):
                return True
    return False


#: A session call that refuses by itself: ``auth.protect()``, ``requireUser()``, ``getUserOrThrow()``, a JWT verify.
_SELF_REFUSING = re.compile(r"^(?:[\w$]+\.)*(?:protect|require\w*|ensure\w*|assert\w*|verify\w*|jwtVerify)\s*\(|"
                            r"Or(?:Throw|Redirect)\s*\(|\.verify\s*\(")
#: What a server action does when the guard holds: anything that ends it before its work.
_ENDS = re.compile(r"\s*\{?\s*(?:throw\b|return\b|redirect\(|notFound\(|unauthorized\()")


def action_refuses(body: str, session_calls: Sequence[str]) -> bool:
    """True when a server action's session read refuses without a session: the call refuses by itself
    (``requireUser()``), or a guard on the session (or a value taken from it: ``const userId =
    session?.user?.id``) throws, redirects or returns before the work (``if (!session?.user) throw new
    Error("Unauthorized")``). ``const session = await auth()`` whose ``session?.user?.email`` is only passed on
    refuses nobody."""
    if any(_SELF_REFUSING.search(call.strip()) for call in session_calls) or refuses_without_credential(body):
        return True
    for names, end in _credential_locals(body):
        names = [n for n in names if n]
        for name in list(names):
            derived = rf"(?:const|let|var)\s+(\w+)\s*(?::[^=]{{0,80}})?=\s*{re.escape(name)}\b[?!.\w]*\s*[;\n]"
            names += re.findall(derived, body[end:])
        if not names:
            continue
        alternatives = "|".join(re.escape(n) for n in dict.fromkeys(names))
        guard = re.compile(rf"if\s*\(\s*(?:{_OR_BEFORE})?(?:!\s*(?:{alternatives})\b[^)]{{0,120}}|"
                           rf"(?:{alternatives})\b[?.\w]*\s*[=!]==?\s*(?:null|undefined)[^)]{{0,120}})\)")
        if any(_ENDS.match(body, found.end()) for found in guard.finditer(body, end)):
            return True
    return False


#: A session read that returns a Promise, assigned without ``await``: ``if (!session)`` then never refuses.
#: (Clerk v5's ``auth()`` is synchronous, so ``auth`` is not here.)
_UNAWAITED_SESSION = re.compile(r"=\s*(?:[\w$]+\.)*(?:getServerSession|currentUser|getToken|getSession|getUser)\s*\($")


def _credential_locals(body: str) -> list[tuple[list[str], int]]:
    """(local names, end of the assignment) of each local in ``body`` that holds the caller's credential."""
    out = []
    client = _client_values(body)
    for found in _ASSIGNED.finditer(body):
        if _UNAWAITED_SESSION.search(found.group(0)):
            continue  # ``const session = getServerSession(authConfig)``: a Promise, never falsy
        if js.CREDENTIAL_CALL.search(found.group(3)) and not _looks_up_client_value(body, found, client):
            out.append((_bound_names(found.group(1), found.group(2)), found.end()))
    for found in _CONTEXT_READ.finditer(body):
        key = next(g for g in found.groups()[2:] if g)
        if _CREDENTIAL_KEY.search(key):
            out.append((_bound_names(found.group(1), found.group(2)), found.end()))
    return out


#: A value the client sends: ``req.query.user_email``, ``req.body``, ``req.params.id``, ``await req.json()``,
#: ``req.nextUrl.searchParams.get("userId")``.
_CLIENT_READ = re.compile(r"\b(?:req|request)\??\.(?:query|body|params|nextUrl)\b|\bsearchParams\??\.get\s*\(|"
                          r"\b(?:req|request)\.(?:json|formData)\s*\(")
#: A model lookup (``User.findOne(...)``, ``prisma.user.findUnique(...)``), not a session read.
_MODEL_LOOKUP = re.compile(r"(?:^|\.)(?:find\w*|get\w*By\w*|where|exists|count\w*)$")


def _client_values(body: str) -> set[str]:
    """Locals of ``body`` assigned from what the client sent (``const user_email = req.query.user_email``,
    ``const { email } = req.body``)."""
    names: set[str] = set()
    for found in re.finditer(r"(?:const|let|var)\s+(?:\{([^}]*)\}|(\w+))\s*=\s*([^;\n]+)", body):
        if _CLIENT_READ.search(found.group(3)):
            names.update(_bound_names(found.group(1), found.group(2)))
    return {n for n in names if n}


def _looks_up_client_value(body: str, found: re.Match[str], client: set[str]) -> bool:
    """True when the assignment loads a row by a value the client sent (``const user = await
    User.findOne({ email: req.query.user_email })``): whoever names an email gets that member, no credential."""
    if not _MODEL_LOOKUP.search(found.group(3)):
        return False
    close = balanced_end(body, found.end() - 1)
    args = body[found.end():close - 1] if close > 0 else body[found.end():found.end() + 200]
    return bool(_CLIENT_READ.search(args) or any(re.search(rf"\b{re.escape(n)}\b", args) for n in client))


def _bound_names(destructured: str | None, name: str | None) -> list[str]:
    return [n for n in re.findall(r"(\w+)\s*(?:[,}]|$)", destructured or "") if n] or [name or ""]


#: Reads of a model: ``Product.find()``, ``prisma.product.findMany()``.
_READS = re.compile(r"\b([A-Z][\w$]*)\.(?:find\w*|aggregate|count\w*|findAll|findByPk)\(|"
                    r"\bprisma\.(\w+)\.(?:find\w*|count|aggregate|groupBy)\(")
#: Tables named by a call: ``db.collection("faqs")``, supabase/drizzle ``.from("plans")`` / ``.from(products)``.
_TABLES = re.compile(r"\.collection\(\s*[\"'`](\w+)|\.from\(\s*[\"'`]?(\w+)")
_WRITES = re.compile(r"\.(?:create\w*|insert\w*|save|update\w*|delete\w*|remove\w*|upsert|destroy|"
                     r"find\w*And(?:Update|Delete|Remove)\w*|replace\w*|bulkWrite)\(")
_INSERTS = re.compile(r"(?:\b(\w+)\s*)?\.\s*(?:create|insertOne|insertMany|insert|save)\(")
#: The caller or a member named by the request: a read or write keyed on one is member data.
_MEMBER_KEY = re.compile(r"(?i)\b(?:user_?id|owner\w*|member_?id|customer_?id|account_?id|req\.user|session)\b")


def _names(pattern: re.Pattern[str], text: str) -> set[str]:
    return {next(g for g in m.groups() if g).lower() for m in pattern.finditer(text)}


def _words(names: set[str]) -> set[str]:
    return {w for n in names for part in re.split(r"[^A-Za-z0-9]+", n) for w in words(part)}


def public_by_content(route: Route, callees: Sequence[str] = ()) -> bool:
    """True for a data route public by intent, judged from what it touches: a GET that only reads
    catalogue or directory content (``Product.find()``, ``prisma.category.findMany()``; a model named for
    neither, such as ``Profile``, counts when the URL or handler names a directory: ``/providers``), or a
    POST that only inserts a public form's record (a booking or contact request). Members' rows (users, chats,
    orders, bookings read back), a key on the caller or a member (``userId``), or any other write keep it a
    finding."""
    text = "\n".join((route.body, *callees))
    if _MEMBER_KEY.search(text):
        return False
    reads, tables = _names(_READS, text), _names(_TABLES, text)
    if route.method == "GET":
        models = reads | tables
        if not models or _WRITES.search(text) or any(_words({m}) & MEMBER_DATA_WORDS for m in models):
            return False
        named = _words({route.url, re.split(r"[\s.]", route.name)[-1]})
        return all(_words({m}) & PUBLIC_CONTENT_WORDS for m in models) or bool(named & PUBLIC_CONTENT_WORDS)
    if route.method == "POST" and not reads:
        inserts = _INSERTS.findall(text)
        only_inserts = bool(inserts) and len(_WRITES.findall(text)) == len(inserts)
        intake = _words({r.lower() for r in inserts if r} | tables) & INTAKE_WORDS
        # a contact *request* carries a message for the staff; a contact with a role and a phone is an entry in
        # the members' own address book (set 25 AITC-Server: a real-estate CRM's contacts)
        if intake and intake <= {"contact", "contacts"} and not _MESSAGE_FIELD.search(_ANSWER.sub("", text)):
            return False
        return only_inserts and bool(intake)
    return False


#: What a handler answers (``res.status(400).json({ message: err.message })``): not the record it stores.
_ANSWER = re.compile(r"\b(?:res|reply|NextResponse|Response|c)\s*(?:\.\s*status\([^)]*\))?\s*\.\s*(?:json|send)\([^;]*")
#: A field a contact form carries for the site's staff.
_MESSAGE_FIELD = re.compile(r"\b(?:message|msg|text|content|subject|inquiry|enquiry|comments?|question|body|details|"
                            r"note)\b\s*[:,}]")


#: ``await cookies()`` / ``await headers()`` (``next/headers``), ``await req.json()``: reading the caller's own
#: request (its cookies, headers or body) is not work.
_OWN_REQUEST = re.compile(r"\bawait\s+(?:(?:cookies|headers|draftMode)\(\s*\)|"
                          r"(?:req|request|c\.req|ctx\.request)\.(?:json|formData|text)\(\s*\)|"
                          # the caller's own session (a NextAuth sample route that answers a fixed text with or
                          # without one: set 22 content-repurposer-ai)
                          r"(?:getServerSession|getSession|auth|currentUser|getToken)\s*\([^()]*\))")


#: What a handler touches beyond the request it was given: the network, the app's settings and secrets, storage, a
#: database client or the file system.
_STATEFUL = re.compile(r"\bfetch\(|\baxios\b|\bgot\(|\bhttps?\.request\(|process\.env\b|import\.meta\.env\b|"
                       r"\bfs\.|\bwriteFile|\bcreateWriteStream\b|\b(?:db|prisma|supabase|mongoose|redis|kv|"
                       r"storage|bucket|s3|cloudinary|stripe|resend|mail\w*)\b|\.(?:insert|update|delete)\w*\(|"
                       r"\bcookies\(\)\.set\b|\bsetHeader\(\s*[\"']Set-Cookie")


def _stateless(body: str, callees: Sequence[str], doc: Doc | None) -> bool:
    """True for a handler that only transforms what the caller sent and answers it (a PDF merge with pdf-lib, a
    text formatter): its module imports packages only, every call it makes is to one of those, a global or a
    function of its own module, and it reaches no network, setting, storage or database, here or in the project
    code it calls, so a missing session costs nothing (the public tools of a site, set 20 ai-chat-pdf). Code out of
    reach (a project import, ``this.service``, an unknown name) may do anything: not stateless."""
    if doc is None or re.search(r"\bthis\.\w+\.\w+\(", body):
        return False
    imports = imports_of(doc.text)
    if any(spec.startswith((".", "@/", "~/")) for _n, spec, _l in imports):
        return False
    known = {n for n, _s, _l in imports} | set(_JS_GLOBALS)
    code = strip_js(body)
    heads = {m.group(1) for m in re.finditer(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?:\??\.[\w$]+)*\s*\(", code)}
    if any(h not in known and definition_span(doc.text, h) is None and not re.search(
            rf"\b(?:const|let|var)\s+{re.escape(h)}\b|\(\s*{re.escape(h)}\b|\b{re.escape(h)}\s*(?:=>|,)", code)
           for h in heads):
        return False
    return not any(_STATEFUL.search(strip_js(text)) for text in (body, *callees))


#: Globals and keywords a handler calls that touch nothing outside it.
_JS_GLOBALS = ("if", "for", "while", "switch", "catch", "return", "await", "function", "typeof", "new", "String",
               "Number", "Boolean", "Array", "Object", "JSON", "Math", "Date", "Promise", "Response", "NextResponse",
               "Error", "console", "parseInt", "parseFloat", "encodeURIComponent", "decodeURIComponent", "Buffer",
               "Uint8Array", "ArrayBuffer", "Blob", "File", "FormData", "URL", "URLSearchParams", "Set", "Map",
               "isNaN", "setTimeout", "TextEncoder", "TextDecoder", "async", "super", "import", "require",
               "req", "request", "res", "response", "formData", "files", "file")


#: Upload middleware in a route's chain (multer's ``upload.single("file")``, ``.array``, ``.fields``, ``.any``):
#: it writes what the caller sends to the server's disk or storage before the handler runs, whatever the handler
#: then answers (set 25 AITC-Server: an open upload endpoint).
_UPLOAD_MIDDLEWARE = re.compile(r"\b(?:\w*upload\w*|multer\([^()]*\))\s*\.\s*(?:single|array|fields|any)\s*\(", re.I)


def _does_work(body: str, callees: Sequence[str] = ()) -> bool:
    """False for a trivial handler (no ``await``, no promise chain, and no call into a service that does
    either: a static answer such as a 204, a health JSON or ``this.appService.getHello()``), which is not
    worth an AUTH303 finding. A service call whose code is out of reach counts as work. Awaiting only the
    caller's own cookies, headers or body (a stub that parses ``await req.json()`` and answers a fixed text, its
    model call commented out: comments are no code) is not work: a ``'use server'`` ``createClient()`` that
    builds a Supabase client from them reads and writes nothing. Reading the caller's own session
    (``await getServerSession(req, res, authOptions)``, ``await auth()``) is not work either: a handler that
    only answers a fixed text with or without one protects nothing."""
    body = _OWN_REQUEST.sub("", strip_js(body))
    if re.search(r"\bawait\b|\.then\(", body):
        return True
    delegates = bool(re.search(r"\bthis\.\w+\.\w+\(", body))
    if delegates and not callees:
        return True
    return any(re.search(r"\bawait\b|\.then\(|\bthis\.\w+\.\w+\(", _OWN_REQUEST.sub("", strip_js(text)))
               for text in callees)
