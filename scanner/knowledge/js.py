"""JS/TS facts in one place: which files can matter to each rule family, auth and public-route words, log sinks.

The semgrep engine's prefilter, its framework modules and the generated lists inside ``rules/semgrep/*.yaml``
(``scanner/engines/semgrep/generate.py``) all read these. Shared, language-neutral lists (model hosts,
credential and PII words) come from :mod:`scanner.knowledge`; JS-only additions are made here.
Sources: Express, Next.js (route handlers, middleware, server actions), NestJS, Hono, Clerk, NextAuth/Auth.js,
Supabase SSR docs.
"""

from __future__ import annotations

import re

from scanner.knowledge import CREDENTIAL_WORDS, MODEL_HOSTS, PII_WORDS

#: JS server frameworks: import specifier -> framework module name.
SERVER_IMPORTS = {
    "express": "express", "fastify": "express", "koa": "express", "@koa/router": "express",
    "koa-router": "express", "restify": "express", "polka": "express", "hono": "hono",
    "@hono/node-server": "hono", "@nestjs/common": "nestjs", "@nestjs/core": "nestjs",
}

#: Text that means a file can declare a route (any framework): the prefilter of the ``route`` family.
ROUTE_TEXT = re.compile(
    r"[\"']use server[\"']|export\s+(?:async\s+)?(?:function|const)\s+(?:GET|POST|PUT|PATCH|DELETE)\b|"
    r"\bas\s+(?:GET|POST|PUT|PATCH|DELETE)\b|[\"'](?:express|fastify|koa|@koa/router|koa-router|restify|polka|"
    r"hono|@nestjs/common)[\"']|\bRouter\(\s*\)|\b(?:clerkMiddleware|authMiddleware)\b"
)
#: Text that means a file can configure CORS.
CORS_TEXT = re.compile(r"(?i)cors|access-control-allow")
#: A log sink call: console.*, a logger object, pino/winston/bunyan, debug().
LOG_SINK_TEXT = re.compile(
    r"\b(?:console|\w*[lL]ogger|log|pino|winston|bunyan|fastify\.log)\.(?:log|info|warn|error|debug|trace|fatal)\s*\("
)
#: Code whose ``console.*`` output lands in a server log (route handlers, server actions, Express and friends,
#: serverless functions), by path or by text; ``console.log`` in a browser component or CLI script does not.
SERVER_PATH = re.compile(
    r"(?:^|/)(?:api|server|routes|functions|backend|middleware)/|(?:^|/)route\.[cm]?[jt]sx?$|"
    r"(?:^|/)(?:middleware|proxy)\.[cm]?[jt]s$"
)
SERVER_TEXT = re.compile(
    r"[\"'](?:express|fastify|koa|hono|@hapi/hapi|next/server|@vercel/node|http|node:http|@nestjs/common)[\"']|"
    r"[\"']use server[\"']|\(\s*req\b[^)]*\bres\b|NextRequest|NextApiRequest|"
    r"export\s+(?:async\s+)?function\s+(?:GET|POST|PUT|PATCH|DELETE)\b"
)
#: A browser module: ``console.*`` there prints to the visitor's devtools, whatever folder it sits in.
CLIENT_TEXT = re.compile(r"[\"']use client[\"']|from\s+[\"'](?:react|react-dom|vue|svelte)[\"']")
#: A log sink that is not ``console`` (a logger writes to the server log wherever it runs).
LOGGER_TEXT = re.compile(
    r"\b(?:\w*[lL]ogger|log|pino|winston|bunyan|fastify\.log)\.(?:log|info|warn|error|debug|trace|fatal)\s*\("
)
#: Words near a log sink that make a file worth the logging rules (shared credential/PII words plus JS names).
JS_SENSITIVE_WORDS = frozenset({
    "prompt", "messages", "message", "content", "completion", "answer", "reply", "output", "user", "body",
    "otp", "code", "verification", "cookie", "cookies", "headers", "authorization", "session", "text", "input",
    "query", "question", "result", "response",
})
SENSITIVE_TEXT = re.compile(
    r"(?i)(?:" + "|".join(sorted(CREDENTIAL_WORDS | PII_WORDS | JS_SENSITIVE_WORDS)) + r")"
)
#: A router module (Express-style, Hono, NestJS): its relative imports (controllers, handlers) join the
#: route group, since a named handler's body lives there.
ROUTER_TEXT = re.compile(r"[\"'](?:express|fastify|koa|@koa/router|koa-router|restify|polka|hono|@nestjs/common)[\"']|"
                         r"\bRouter\(\s*\)")
#: Text that can expose a secret to the browser: public env prefixes, SDK options, build-config inlining.
EXPOSURE_TEXT = re.compile(
    r"NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|GATSBY_|PUBLIC_|import\.meta\.env|"
    r"dangerouslyAllowBrowser|\bdefine\s*:|\benv\s*:|" + "|".join(re.escape(h) for h in MODEL_HOSTS)
)
#: Model calls and system-prompt slots a request can reach (LR602, LR603 run on files with one of these).
PROMPT_TEXT = (r"streamText|generateText|streamObject|generateObject|streamUI|completions\.|"
               r"messages\.(?:create|stream)|createChatCompletion|createCompletion|responses\.create|generateContent|sendMessage|SystemMessage|\.invoke\(|role:\s*[\"'`]system|"
               + "|".join(re.escape(h) for h in MODEL_HOSTS))
#: Text the launch rules can match: signing/session/HMAC keys (AUTH306), an error's stack sent back (LR605),
#: Next.js browser source maps (LR604; build configs always join the group).
LAUNCH_TEXT = re.compile(r"(?i)secret|jwt|jose|hmac|session|cookie|\.stack\b|productionBrowserSourceMaps")
#: The prompt-input rules (LR602, LR603) run on files that read a request and call a model or fill a system slot.
PROMPT_CALL_TEXT = re.compile(PROMPT_TEXT)
REQUEST_READ_TEXT = re.compile(r"\b(?:req|request|r|c\.req|ctx\.request|event\.request|context\.request)\."
                               r"(?:json|formData|text|body|query|nextUrl|url)\b")
#: Build configs that inline env values into bundles (always given to the exposure rules).
CONFIG_FILE = re.compile(r"(?:^|/)(?:next|vite|nuxt)\.config\.[cm]?[jt]s$")
#: Path hints of files that can hold a route even without route text (pages router, app router).
ROUTE_PATH = re.compile(r"(?:^|/)pages/api/|(?:^|/)route\.[cm]?[jt]sx?$|(?:^|/)(?:middleware|proxy)\.[cm]?[jt]s$")

#: Names of middleware, guards and helpers that authenticate (names are the fallback when the code is out
#: of reach; project functions are judged by what they do, see ``scanner/engines/semgrep/behaviour.py``).
AUTH_MIDDLEWARE_NAMES = (
    "passport.authenticate", "requireAuth\\w*", "requireUser", "requireLogin", "requireSession",
    "requireAuthentication", "ensureAuth\\w*", "ensureLoggedIn", "isAuthenticated", "isLoggedIn", "isAuth",
    "authenticate\\w*", "authMiddleware", "verifyToken", "verifyJWT", "verifyJwt", "checkJwt", "jwtCheck",
    "expressjwt", "expressJwt", "withAuth", "protect", "protectRoute", "auth", "authorize", "authorized",
    "ClerkExpressRequireAuth", "ClerkExpressWithAuth", "requireAuthMiddleware", "validateSession",
    "firebaseAuth", "checkAuth", "apiKeyAuth", "bearerAuth", "basicAuth", "jwt", "authGuard", "sessionGuard",
    "clerkMiddleware", "jwtAuth", "tokenAuth", "AuthGuard", "JwtAuthGuard", "ClerkAuthGuard", "verifyApiKey",
)
#: NestJS guards that authenticate (``@UseGuards(AuthGuard('jwt'))``); any class named ``*Auth*Guard`` counts.
NEST_AUTH_GUARD = re.compile(r"\bUseGuards\(\s*[^)]*(?:Auth|Jwt|Session|Clerk|ApiKey|Token)\w*(?:Guard)?")
#: A function body that refuses a request: a 401/403 status, an unauthorized error, a redirect to sign-in.
REJECTS = re.compile(
    r"\b40[13]\b|Unauthori[sz]ed|Forbidden|redirect\([^)]*(?:login|sign-?in|auth)|redirectToSignIn|"
    r"\.protect\(|throw\s+new\s+\w*(?:Auth|Unauthori[sz]ed|Forbidden)\w*",
    re.I,
)
#: A function body that reads the request's credential (session, token, key, cookie).
READS_CREDENTIAL = re.compile(
    r"(?i)authorization|bearer|cookies?\b|\.session\b|getSession|getServerSession|\bauth\(\)|getToken|"
    r"x-api-key|api[_-]?key|jwt|verify|token|getUser|currentUser"
)
#: Public by design, as any path segment: sign-in/up and password-recovery flows, OAuth callbacks, a widget.
PUBLIC_URL = re.compile(
    r"(?:^|/)(?:login|log-in|signin|sign-in|signup|sign-up|register|registration|logout|signout|sign-out|"
    r"oauth|callback|forgot-password|reset-password|request-password|verify-email|csrf|\[\.\.\.nextauth\]|"
    r"widget(?:\.js)?|embed\.js)(?:/|$|\.)",
    re.I,
)
#: Public by design only as the route's last segment with no parameter in the path (``/api/health``, not
#: ``/alarms/:id/status``); ``auth`` only as the last segment (the auth library's own endpoint).
PUBLIC_LAST = re.compile(
    r"(?:^|/)(?:auth|health|healthz|healthcheck|status|ping|ready|readyz|livez|version|og|robots|sitemap|"
    r"favicon)(?:\.\w+)?/?$",
    re.I,
)
PARAMETER = re.compile(r"/[:\[{]")
PUBLIC_ACTION = re.compile(r"(?i)(login|logIn|signIn|signUp|register|logout|logOut|signOut|forgotPassword|"
                           r"resetPassword|requestPasswordReset|verifyEmail)")
WEBHOOK_URL = re.compile(r"(?:^|/)[\w-]*(?:webhook|hooks)[\w-]*(?:/|$)", re.I)
#: A signed webhook: the handler verifies the sender's signature before it acts.
SIGNATURE_CHECK = re.compile(
    r"constructEvent|verifySignature|verifyWebhook|Webhook\(|svix|timingSafeEqual|createHmac|validateRequest|"
    r"x-hub-signature|stripe-signature|x-signature|verifyKey|\bwh\.verify\(|webhook\.verify\(")
#: An API-key lookup: the handler reads a key header and refuses without a valid one.
API_KEY_CHECK = re.compile(r"(?i)[\"'](?:x-api-key|api-key|x-api-token)[\"']|\bapiKey\b.{0,200}\b40[13]\b", re.S)

#: Middleware files (Next.js) whose exported wrapper rejects requests without a session by default.
NEXT_REJECTING_WRAPPERS = re.compile(
    r"export\s+default\s+(?:auth|withAuth|authMiddleware|NextAuth\([^)]*\)\.auth)\b|"
    r"export\s*\{\s*auth\s+as\s+(?:default|middleware)|export\s+const\s+middleware\s*=\s*auth\b|"
    r"authMiddleware\(|withAuth\(|\.protect\(|redirectToSignIn\(|authorized\s*[(:]"
)
