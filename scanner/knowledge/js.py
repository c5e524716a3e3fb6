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

#: Model API hosts a JS/TS module can call with fetch/axios (the shared list plus JS-only gateways); the
#: ``js-model-call`` rule's URL regex is generated from it (``scanner/engines/semgrep/generate.py``).
MODEL_HOSTS_JS: tuple[str, ...] = tuple(dict.fromkeys((*MODEL_HOSTS, "api.perplexity.ai", "api.x.ai",
                                                        "api.deepseek.com", "api.fireworks.ai",
                                                        "api.stability.ai", "api.elevenlabs.io")))
#: The path of any OpenAI-compatible API (Sarvam, Together, vLLM, LM Studio: set 23 AIResumeMailer-), as a regex: a
#: versioned ``/v1/chat/completions`` (also ``/v1beta/openai/...``) that ends there (not an internal service's
#: ``/internal/chat/completions`` or ``.../chat/completions/search``). A server call to it runs a model; browser code
#: calling it may be calling its own backend, so the browser rules use the hosts only.
MODEL_API_PATH_REGEX = r"/v\d+(?:beta)?(?:/openai)?/chat/completions(?![\w/-])"

#: Constant names browser code gives a model API's URL (``fetch(CHAT_URL, ...)`` with a key header).
MODEL_URL_CONSTANTS = ("CHAT_URL", "OPENAI_URL", "API_URL")

#: Log sink objects and levels of the ``js-log-*`` rules (``$LOG.$LEVEL(...)``; ``console`` and ``debug()`` are
#: separate patterns); regex alternatives, generated into the YAML.
LOG_OBJECTS = ("log", "logger", "\\w*logger", "pino", "winston", "bunyan", "fastify\\.log", "req\\.log",
               "request\\.log", "this\\.log", "this\\.logger", "ctx\\.log", "c\\.var\\.logger", "app\\.log")
LOG_LEVELS = ("log", "info", "warn", "error", "debug", "trace", "fatal", "verbose", "silly", "child")

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
    r"hono|@nestjs/common|ws|socket\.io)[\"']|\bRouter\(\s*\)|\b(?:clerkMiddleware|authMiddleware)\b|"
    r"(?m:^\s*|\)\s*)\.(?:get|post|put|patch|delete|all)\(\s*[\"'`]/"
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
    r"(?:^|/)(?i:api|server|routes|functions|backend|middleware)/|(?:^|/)route\.[cm]?[jt]sx?$|"
    r"(?:^|/)(?:middleware|proxy)\.[cm]?[jt]s$"
)
SERVER_TEXT = re.compile(
    r"[\"'](?:express|fastify|koa|hono|@hapi/hapi|next/server|@vercel/node|http|node:http|@nestjs/common|"
    r"socket\.io|ws)[\"']|"
    r"[\"']use server[\"']|\(\s*req\b[^)]*\bres\b|NextRequest|NextApiRequest|"
    r"export\s+(?:async\s+)?function\s+(?:GET|POST|PUT|PATCH|DELETE)\b"
)
#: Imports only server code makes: the NextAuth / Auth.js configuration (``NextAuth({ callbacks: { signIn } })``,
#: its providers and database adapters), ``server-only``, ``next/headers``. ``next-auth/react`` is the browser's.
SERVER_ONLY_IMPORT = re.compile(
    r"from\s*[\"'](?:next-auth|next-auth/(?:providers/[\w-]+|next|jwt)|@auth/[\w-]+-adapter|@auth/core[\w/-]*|"
    r"server-only|next/headers)[\"']|^\s*import\s+[\"']server-only[\"']", re.M)
#: A module that imports a server-side model SDK for its values (not ``import type``): an AI SDK tool, a chain,
#: a model wrapper. Unless it is a browser module (CLIENT_TEXT), its ``console.*`` runs on the server.
MODEL_IMPORT_TEXT = re.compile(
    r"^\s*import\s+(?!type\b)[^;]*?from\s*[\"'](?:ai|openai|@anthropic-ai/sdk|@ai-sdk/[\w-]+|@google/generative-ai|"
    r"@google/genai|groq-sdk|@mistralai/mistralai|cohere-ai|langchain(?:/[\w/-]+)?|@langchain/[\w-]+|ollama|replicate)"
    r"[\"']|require\(\s*[\"'](?:openai|@anthropic-ai/sdk|langchain[\w/-]*|@langchain/[\w-]+|groq-sdk)[\"']\s*\)",
    re.M,
)
#: A module that imports a server-side database client for its values: its code runs where the database is
#: reachable, the server (``import { eq } from "drizzle-orm"``, ``@prisma/client``, ``mongoose``, ``pg``).
#: Supabase's and Firebase's clients are left out: browsers use them too.
DB_IMPORT_TEXT = re.compile(
    r"^\s*import\s+(?!type\b)[^;]*?from\s*[\"'](?:drizzle-orm(?:/[\w-]+)*|@prisma/client|mongoose|mongodb|pg|"
    r"mysql2(?:/promise)?|@libsql/client|@neondatabase/serverless|@vercel/postgres|better-sqlite3|sequelize|typeorm|"
    r"knex|ioredis|redis)[\"']|"
    r"require\(\s*[\"'](?:mongoose|mongodb|pg|mysql2(?:/promise)?|@prisma/client|sequelize|knex|better-sqlite3)[\"']\s*\)",
    re.M,
)
#: Component files (JSX): a model SDK import there is for types or hooks, not a server module.
COMPONENT_PATH = re.compile(r"\.[jt]sx$")
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
               r"messages\.(?:create|stream)|createChatCompletion|createCompletion|responses\.create|generateContent|sendMessage|systemInstruction|SystemMessage|\.invoke\(|role:\s*[\"'`]system|"
               r"\.stream\(|images\.(?:generate|edit)\(|createImage\(|audio\.speech\.create\(|replicate\.(?:run|stream|predictions)\b|"
               # wrapper packages whose clients' ``ask``/``sendMessage`` run the model (rules/semgrep/js-model-call)
               r"[\"']gemini-ai[\"']|[\"']chatgpt[\"']|[\"'](?:@langchain/|langchain/)|"
               + "|".join([*(re.escape(h) for h in MODEL_HOSTS_JS), MODEL_API_PATH_REGEX]))
#: Text the launch rules can match: signing/session/HMAC keys (AUTH306), an error's stack sent back (LR605),
#: Next.js browser source maps (LR604; build configs always join the group).
LAUNCH_TEXT = re.compile(r"(?i)\.sign\s*\(|\.verify\s*\(|jwtVerify|SignJWT|secretOrKey|expressjwt|\bjwt\s*\(|"
                         r"secret\s*:|keys\s*:|cookieParser\s*\(|cookieName|createHmac|\.stack\b|"
                         r"productionBrowserSourceMaps|\baxios\b|[\"']got[\"']|"
                         # a config module's secret fallback (``process.env.SESSION_SECRET ?? 'dev'``)
                         r"process\.env\.\w*(?:secret|key)\w*\s*(?:\|\||\?\?)")
#: The prompt-input rules (LR602, LR603) run on files that read a request and call a model or fill a system slot.
PROMPT_CALL_TEXT = re.compile(PROMPT_TEXT)
REQUEST_READ_TEXT = re.compile(r"\b(?:req|request|r|c\.req|ctx\.request|event\.request|context\.request)\."
                               r"(?:json|formData|text|body|query|nextUrl|url)\b")
#: Build configs that inline env values into bundles (always given to the exposure rules).
CONFIG_FILE = re.compile(r"(?:^|/)(?:next|vite|nuxt)\.config\.[cm]?[jt]s$")
#: Serverless function files: Vercel ``api/`` at a project root, Cloudflare Pages ``functions/``, Netlify
#: ``netlify/functions/``; groups: the folder kind and the path below it without extension. Folders under
#: ``src/``, ``app/``, ``lib/``... are client wrappers or another framework's, not deployed functions.
FUNCTION_PATH = re.compile(
    r"^(?!(?:.*/)?(?:src|app|pages|lib|components|client|frontend|hooks|utils|services|store|node_modules|test|"
    r"tests|__tests__|_\w+)/)(?:.*?/)??(netlify/functions|functions|api)/([^.]+?)\.(?:[cm]?[jt]s)$"
)
#: Path hints of files that can hold a route even without route text (pages router, app router, functions).
ROUTE_PATH = re.compile(r"(?:^|/)pages/api/|(?:^|/)route\.[cm]?[jt]sx?$|(?:^|/)(?:middleware|proxy)\.[cm]?[jt]s$")

#: (Clerk's ``clerkMiddleware()`` and ``ClerkExpressWithAuth()`` only attach the session and refuse nobody: not
#: listed; ``requireAuth()`` / ``ClerkExpressRequireAuth()`` refuse.)
#: Names of middleware, guards and helpers that authenticate (names are the fallback when the code is out
#: of reach; project functions are judged by what they do, see ``scanner/engines/semgrep/behaviour.py``).
AUTH_MIDDLEWARE_NAMES = (
    "passport.authenticate", "requireAuth\\w*", "requireUser", "requireLogin", "requireSession",
    "requireAuthentication", "ensureAuth\\w*", "ensureLoggedIn", "isAuthenticated", "isLoggedIn", "isAuth",
    "authenticate\\w*", "authMiddleware", "verifyToken", "verifyJWT", "verifyJwt", "checkJwt", "jwtCheck",
    "expressjwt", "expressJwt", "withAuth", "protect", "protectRoute", "auth", "authorize", "authorized",
    "ClerkExpressRequireAuth", "requireAuthMiddleware", "validateSession",
    "firebaseAuth", "checkAuth", "apiKeyAuth", "bearerAuth", "basicAuth", "jwt", "authGuard", "sessionGuard",
    "jwtAuth", "tokenAuth", "AuthGuard", "JwtAuthGuard", "ClerkAuthGuard", "verifyApiKey",
)
#: NestJS guards that authenticate (``@UseGuards(AuthGuard('jwt'))``); any class named ``*Auth*Guard`` counts.
NEST_AUTH_GUARD = re.compile(r"\bUseGuards\(\s*[^)]*(?:Auth|Jwt|Session|Clerk|ApiKey|Token)\w*(?:Guard)?")
#: NestJS middleware classes whose names say they authenticate (``consumer.apply(AuthMiddleware)``); a project
#: class is judged by its ``use`` method first.
NEST_AUTH_MIDDLEWARE = re.compile(r"^(?:\w*(?:Auth|Jwt|JWT|Session|Clerk|Token|ApiKey)\w*Middleware|AuthMiddleware)$")
#: A function body that refuses a request: a 401/403 status, an unauthorized error, a redirect to sign-in.
REJECTS = re.compile(
    r"\b40[13]\b|Unauthori[sz]ed|Forbidden|redirect\([^)]*(?:login|sign-?in|auth)|redirectToSignIn|"
    r"\.protect\(|throw\s+new\s+\w*(?:Auth|Unauthori[sz]ed|Forbidden)\w*",
    re.I,
)
#: A function body that reads the request's credential (session, token, key, cookie).
READS_CREDENTIAL = re.compile(
    r"(?i)authorization|bearer|cookies?\b|\.session\b|getSession|getServerSession|\bauth\(\)|getToken|"
    r"x-api-key|api[_-]?key|jwt|verify|token|getUser|currentUser|getAuth\b|\.userId\b|"
    # Passport's session check (``if (req.isAuthenticated()) return next()``); ``req.user`` alone is not one: a
    # quota middleware reads it and answers 403 to guests and members alike
    r"\.isAuthenticated\(\)"
)
#: Public by design, as any path segment: sign-in/up and password-recovery flows, OAuth callbacks, Supabase's
#: ``auth/confirm`` code exchange, an auth library's catch-all handler, a widget.
PUBLIC_URL = re.compile(
    r"(?:^|/)(?:login|log-in|signin|sign-in|signup|sign-up|register|registration|logout|signout|sign-out|"
    r"oauth|callback|forgot-password|reset-password|request-password|verify-email|csrf|\[\.\.\.nextauth\]|"
    # an auth library's catch-all handler under ``auth/`` (SuperTokens ``[[...path]]``, Better Auth ``[...all]``)
    r"auth/\[\[?\.\.\.\w+\]\]?|"
    r"widget(?:\.js)?|embed\.js|auth/confirm|"
    # an account step under an auth folder (``/api/csuf-auth/forgot``, ``/auth/resend``: set 24 expence)
    r"[\w-]*auth[\w-]*/(?:confirm|forgot|resend|reset|verify|verify-code|resend-code|confirm-email|"
    r"new-password|set-password))(?:/|$|\.)",
    re.I,
)
#: Words of a URL (split at separators and camel case: ``/servicerOtpVerification``) that make it public by
#: design: one-time codes and captchas are what a visitor without a session asks for.
PUBLIC_URL_WORDS = frozenset({"otp", "captcha", "recaptcha"})
#: Public by design only as the route's last segment with no parameter in the path (``/api/health``, not
#: ``/alarms/:id/status``); ``auth`` only as the last segment (the auth library's own endpoint).
PUBLIC_LAST = re.compile(
    r"(?:^|/)(?:auth|health|healthz|healthcheck|status|ping|ready|readyz|livez|version|og|robots|sitemap|"
    r"favicon)(?:\.\w+)?/?$",
    re.I,
)
PARAMETER = re.compile(r"/[:\[{]")
#: An auth provider's sign-in, sign-up or password-recovery call (Supabase ``auth.resetPasswordForEmail``,
#: Firebase ``sendPasswordResetEmail``): a route that makes one is an auth flow, public by design whatever its URL
#: (``POST /auth/reset``).
AUTH_FLOW_CALL = re.compile(
    r"\.auth\.(?:signInWith\w+|signUp|resetPasswordForEmail|verifyOtp|resend)\s*\(|"
    r"\b(?:sendPasswordResetEmail|confirmPasswordReset|signInWithEmailAndPassword|createUserWithEmailAndPassword|"
    r"sendSignInLinkToEmail)\s*\(")
PUBLIC_ACTION = re.compile(r"(?i)(login|logIn|signIn|signUp|register|logout|logOut|signOut|forgotPassword|"
                           r"resetPassword|requestPasswordReset|verifyEmail|"
                           # one-time-code and email-verification steps: sendMfaToken, verifyOtp, newVerification
                           r"(?:send|resend|request|verify|validate|check|new)(?:Mfa|Otp|Totp|2fa|TwoFactor|"
                           r"Verification|MagicLink)\w*|\w*(?:Mfa|Otp|TwoFactor)(?:Code|Token)?$|"
                           r"(?:email)?Verification$)")
#: Route handler names (the last word of ``router.post('/x', ctrl.adminLogin)``, a NestJS method) of the sign-in,
#: sign-up, password-recovery and one-time-code flows: public by design, whatever the URL says.
PUBLIC_HANDLER_NAME = re.compile(
    r"(?i)(?:log_?in|sign_?in|sign_?up|register|registration|create_?account|log_?out|sign_?out|forgot_?password|reset_?password|"
    r"verify_?(?:email|otp|confirm_?password)|confirm_?password|otp|captcha|refresh_?token)"
    r"(?:_?(?:user|account|handler|page|form|request|step|verification|callback))?$|"
    r"^(?:get|say)?hello$"
)
#: URL parameters that name a public page (a profile by its handle, a shared item by its share code): a GET
#: whose parameters are all such names reads what its owner published.
PUBLIC_PARAM = re.compile(r"(?i)user_?name|handle|slug|public_?code|share_?(?:id|code|token|slug)")
#: A handler its author named public (``getStorePublic``, ``publicProfile``): a name is all there is to go on.
PUBLIC_HANDLER = re.compile(r"(?:^|[\s.])(?:public[A-Z_]\w*|\w+Public(?:[A-Z_]\w*)?)$")
WEBHOOK_URL = re.compile(r"(?:^|/)[\w-]*(?:webhook|hooks)[\w-]*(?:/|$)", re.I)
#: A signed webhook: the handler verifies the sender's signature before it acts.
SIGNATURE_CHECK = re.compile(
    r"constructEvent|verifySignature|verifyWebhook|Webhook\(|svix|timingSafeEqual|createHmac|validateRequest|"
    r"x-hub-signature|stripe-signature|x-signature|verifyKey|\bwh\.verify\(|webhook\.verify\(")
#: An API-key lookup: the handler reads a key header and refuses without a valid one.
API_KEY_CHECK = re.compile(r"(?i)[\"'](?:x-api-key|api-key|x-api-token)[\"']|\bapiKey\b.{0,200}\b40[13]\b|"
                           # a shared secret in the Authorization header (Vercel's documented cron check:
                           # ``authHeader !== `Bearer ${process.env.CRON_SECRET}` ``)
                           r"Bearer \$\{\s*process\.env\.\w+\s*\}", re.S)

#: A call whose result is the signed-in user or session (``getRequestSession(req)``, ``supabase.auth.getUser()``,
#: ``validateToken(token)``), as opposed to a lookup by a value the client sent (``getUserById(id)``).
CREDENTIAL_CALL = re.compile(r"(?i)^(?!.*By[A-Z_]?)(?!.*\.(?:json|text|formData)$)"
                             r".*(?:session|auth|user|token|claims|whoami|viewer|clerk|principal)")

#: Middleware files (Next.js) whose exported wrapper rejects requests without a session by default.
NEXT_REJECTING_WRAPPERS = re.compile(
    r"export\s+default\s+(?:auth|withAuth|authMiddleware|NextAuth\([^)]*\)\.auth)\b|"
    r"export\s*\{\s*auth\s+as\s+(?:default|middleware)|export\s+const\s+middleware\s*=\s*auth\b|"
    r"authMiddleware\(|withAuth\(|withMiddlewareAuthRequired\(|\.protect\(|redirectToSignIn\(|authorized\s*[(:]"
)


def server_module(path: str, text: str) -> bool:
    """True for a module whose ``console.*`` output lands in a server log: server text (SERVER_TEXT), a
    server-only import (SERVER_ONLY_IMPORT: the NextAuth config's callbacks) outside browser modules, or a
    server path or a (non-component) module importing a model SDK or a database client that is not a browser
    module."""
    if SERVER_TEXT.search(text) or (SERVER_ONLY_IMPORT.search(text) and not CLIENT_TEXT.search(text)):
        return True
    if _SCRIPT_PATH.search(path):
        return False  # a seed or migration script run by hand: its output is the developer's terminal
    library = (MODEL_IMPORT_TEXT.search(text) or DB_IMPORT_TEXT.search(text)) and not COMPONENT_PATH.search(path) \
        and _EXPORTS.search(text) and not _CLI_TEXT.search(text)
    return bool(SERVER_PATH.search(path) or library) and not CLIENT_TEXT.search(text)


#: Database seed and migration scripts (``prisma/seed.js``, ``seeders/``, ``migrations/``, ``scripts/seed.ts``).
_SCRIPT_PATH = re.compile(r"(?:^|/)(?:seeds?|seeders|seeding|migrations)/|"
                          r"(?:^|/)(?:prisma|scripts|db)/seed\w*\.[cm]?[jt]s$|(?:^|/)seed(?:[-_.]\w+)?\.[cm]?[jt]s$")


#: A module that exports something (a model wrapper or an AI SDK tool used by the server), not a script.
_EXPORTS = re.compile(r"^\s*export\s|\bmodule\.exports\b|^\s*exports\.\w+\s*=", re.M)
#: A command-line script: its console output goes to the terminal of whoever runs it.
_CLI_TEXT = re.compile(r"\bprocess\.argv\b|\breadline\b|\bprocess\.stdin\b|^#!", re.M)
