"""The shared rule definitions (EXP2xx, AUTH3xx, LOG4xx, CORS5xx): one Rule per code, used by every engine.

The Python engine (libcst), the semgrep engine (JS/TS) and the config-file engine report these codes and
take the ``Rule`` objects from here, so that one code is one object (``scanner.registry`` refuses two
different rules with one code). EXP204 (key-in-client-bundle) is the secrets engine's own rule, defined in
``scanner.engines.secrets.rules``. Docs are framework-neutral and follow the
fixed headings What it finds / Why it matters / Example / Fix (DESIGN.md section 8).
"""

from __future__ import annotations

from scanner.model import Rule, Severity


def _doc(what: str, why: str, example: str, fix: str) -> str:
    """Markdown under the fixed headings; ``example`` is shown as a code block."""
    return (
        f"## What it finds\n{what}\n\n## Why it matters\n{why}\n\n"
        f"## Example\n```\n{example}\n```\n\n## Fix\n{fix}\n"
    )


def _rule(
    code: str, slug: str, family: str, severity: Severity, short: str,
    parts: tuple[str, str, str, str], cwe: tuple[int, ...], precision: str = "high",
) -> Rule:
    """Build one shared Rule; ``parts`` are (what, why, example, fix); ``fix`` is also the fix text."""
    return Rule(
        id=code, slug=slug, family=family, severity=severity, short=short,
        doc=_doc(*parts), fix=parts[3], cwe=cwe, precision=precision,
    )


_EXP = "client-exposure"
_AUTH = "auth"
_LOG = "logging"
_CORS = "cors"
_LR = "launch"
_H, _C, _M, _L = Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM, Severity.LOW

_RULES: tuple[Rule, ...] = (
    # ---- client exposure ----
    _rule("EXP201", "public-env-secret", _EXP, _H,
          "A secret is stored under a public (browser-visible) environment variable prefix.",
          ("An environment variable with a public prefix (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`, "
           "`EXPO_PUBLIC_`, "
           "`PUBLIC_`, `NUXT_PUBLIC_`, `GATSBY_`, Nuxt `runtimeConfig.public`) whose name or value is a "
           "secret: "
           "an API key of a server-side vendor, a service-role key, a token, a password or a database URL.",
           "Build tools inline every public-prefixed variable into the JavaScript sent to every visitor. "
           "Anyone "
           "can open the bundle and spend your model budget or read your database with the key.",
           "NEXT_PUBLIC_OPENAI_API_KEY=sk-proj-...\nVITE_SUPABASE_SERVICE_ROLE_KEY=eyJ...",
           "Revoke and rotate the key at the vendor first (it has shipped in bundles), then rename the "
           "variable "
           "without the public prefix and call the vendor from server code only (an API route, a server "
           "action, "
           "a backend endpoint). Keys that are public by design (Supabase anon key, Stripe `pk_`) may stay."),
          (200, 522)),
    _rule("EXP202", "browser-llm-client", _EXP, _H,
          "Browser code calls a model API directly with a secret key.",
          ("An LLM SDK client created with `dangerouslyAllowBrowser: true`, a `'use client'` component or a "
           "Vite/Expo app that calls a model API (`api.openai.com`, `api.anthropic.com`, ...) with a key "
           "header, "
           "or an SDK client built from a public-prefixed environment variable.",
           "Code that runs in the browser cannot keep a secret: the key is in the bundle and in every "
           "request "
           "visible in the network tab.",
           "const openai = new OpenAI({ apiKey: import.meta.env.VITE_OPENAI_KEY, "
           "dangerouslyAllowBrowser: true })",
           "Move the model call to server code (a route handler, server action, FastAPI/Flask/Express "
           "endpoint) "
           "that authenticates the user and rate-limits; the browser calls your endpoint. Rotate any key "
           "that "
           "has shipped."),
          (200, 522)),
    _rule("EXP203", "bundle-inlines-server-secret", _EXP, _H,
          "Build configuration inlines a server secret into the client bundle.",
          ("`next.config.*` `env: {...}`, Vite `define`, or Nuxt `runtimeConfig.public` entries that copy a "
           "server-side secret (`process.env.OPENAI_API_KEY`, a database URL) into the code sent to "
           "browsers; and a Next.js server component that passes such a secret to a `\"use client\"` "
           "component as a prop (`<KeyProvider serverKey={process.env.OPENAI_API_KEY} />`).",
           "These settings replace the expression with the literal value at build time, in every client "
           "chunk, "
           "even though the variable itself has no public prefix. A client component's props are "
           "serialized into the page (the RSC payload), so a prop holding a key reaches every visitor.",
           "// next.config.js\nmodule.exports = { env: { OPENAI_API_KEY: process.env.OPENAI_API_KEY } }",
           "Remove the entry from `env`/`define`/`runtimeConfig.public` and read the secret only in "
           "server code "
           "(`process.env` in route handlers, Nuxt private `runtimeConfig`). Rotate the key if a build "
           "shipped."),
          (200, 522)),
    # ---- auth ----
    _rule("AUTH301", "unauthenticated-model-route", _AUTH, _H,
          "A route that calls a model API has no authentication check.",
          ("A route handler (Flask, FastAPI, Django/DRF, Express, Next.js `route.ts`, `pages/api`, "
           "server actions) "
           "that calls an LLM SDK or model API without first checking the user's session or token.",
           "Anyone on the internet can call the route and spend your model budget (a single script can "
           "run up "
           "thousands of dollars overnight) or use your app as a free proxy.",
           "export async function POST(req) {\n  const { messages } = await req.json()\n"
           "  return streamText({ model: openai('gpt-4o'), messages })\n}",
           "Check the session before doing anything else (`auth()`, `getServerSession`, Clerk `auth()`, "
           "`supabase.auth.getUser()`, `Depends(get_current_user)`, `@login_required`, "
           "`passport.authenticate`) "
           "and return 401 when there is no user; then add a per-user rate limit."),
          (306, 862)),
    _rule("AUTH302", "unauthenticated-data-route", _AUTH, _H,
          "A route that reads or writes the database has no authentication check.",
          ("A route handler that queries or changes the database (Prisma, Drizzle, Supabase, Mongoose, "
           "SQLAlchemy, Django ORM, Tortoise, Beanie, ODMantic, ...) without checking the user's session or "
           "token first. A read-only Django listing of public site content (published posts, a video list: "
           "no owner field, no request value, no session) is not member data. A guest mode "
           "whose every query is filtered by a key from the server-signed session (Flask `session`, Django "
           "`request.session`) reaches only the visitor's own rows and is not reported; a key the client "
           "sends (`X-Guest-ID` header, a body field) is reported, since anyone can send another visitor's id.",
           "Unauthenticated database access lets anyone read other members' chats and data or change them.",
           "app.get('/api/chats/:id', async (req, res) => res.json(await db.chat.findUnique(...)))",
           "Require an authenticated user before the query (session check or auth middleware/decorator) and "
           "scope the query to that user's id."),
          (306, 862)),
    _rule("AUTH303", "unauthenticated-route", _AUTH, _M,
          "A route handler has no authentication check.",
          ("A route handler (Flask, FastAPI, Django, Express, Next.js) with no session or token check, that "
           "is not a known public route (login, signup, health, signed webhook).",
           "Routes are public by default; an endpoint added for the app's own front end is callable by "
           "anyone.",
           "export async function POST(req) { ... }",
           "Add the project's session check or auth middleware; if the route is public on purpose, list "
           "it in "
           "`public_routes` in the launch-ready config."),
          (306, 862), "medium"),
    _rule("AUTH304", "permissive-view-permission", _AUTH, _H,
          "A sensitive view explicitly allows any caller.",
          ("A view or route that opts out of authentication explicitly: DRF `permission_classes = "
           "[AllowAny]`, "
           "`@csrf_exempt` plus no auth, `auth: false`, or an equivalent on a view that reads user data or "
           "calls a model. Account flows are open by design and judged by what they do: a view (or its DRF "
           "serializer) that creates the account, checks a password, or issues a session or password-reset "
           "token is not reported; one that writes a new password over a user looked up from the request is.",
           "An explicit opt-out survives project-wide defaults, so the view stays open even when the rest of "
           "the API requires login.",
           "class ChatViewSet(ModelViewSet):\n    permission_classes = [AllowAny]",
           "Use `IsAuthenticated` (or the project's permission class) and scope the queryset to the user."),
          (862,)),
    _rule("AUTH305", "auth-middleware-not-applied", _AUTH, _M,
          "An authentication middleware is imported or defined but never applied.",
          ("An auth middleware or helper (`requireAuth`, `verifyToken`, `passport.authenticate`, "
           "`login_required`, a Next.js `middleware.ts` that does not reject) that is imported or "
           "defined but "
           "not in any route's chain. (A refusing `middleware.ts` whose matcher leaves out an open API route "
           "is said in that route's own AUTH301/302/303.)",
           "It looks like the app is protected, so nobody checks the routes, yet every request goes through.",
           "import { requireAuth } from './auth'\napp.post('/api/chat', chatHandler)",
           "Apply the middleware to the router (`router.use(requireAuth)`) or to each route, or make the "
           "middleware reject requests without a session and cover `/api/:path*` in its matcher."),
          (306, 862), "medium"),
    # ---- logging ----
    _rule("LOG401", "prompt-or-chat-logged", _LOG, _M,
          "User prompts or chat messages are written to logs.",
          ("A logging call (`logging`, loguru, structlog, `print`, `console.*`, pino, winston, bunyan, "
           "`debug`) "
           "whose arguments carry a prompt, chat `messages` or user input sent to a model.",
           "Chats contain personal data that users did not agree to have stored in log systems, which have "
           "wider access and longer retention than your database.",
           "console.log('chat request', messages)",
           "Log ids, counts, lengths and statuses instead of content; if content is needed for debugging, "
           "keep it behind an explicit opt-in with redaction and a short retention."),
          (532,)),
    _rule("LOG402", "model-output-logged", _LOG, _L,
          "Model output (completions) is written to logs.",
          ("A logging call whose arguments carry a model completion, response text or streamed chunks, "
           "including what the Vercel AI SDK hands its callbacks (`onFinish({ text })`, `onChunk`, "
           "`onStepFinish`) and a streamed result's `text` / `textStream`.",
           "Completions echo the user's data and can contain anything the model saw, including other "
           "documents retrieved for the user.",
           "logger.info(completion.choices[0].message.content)",
           "Log token counts, finish reasons and latencies rather than the text."),
          (532,)),
    _rule("LOG403", "pii-logged", _LOG, _M,
          "Personal data (emails, names, phone numbers) is written to logs.",
          ("A logging call whose arguments carry an email address, a name, a phone number or an address, also "
           "inside a helper one import away whose parameter receives it at a call site "
           "(`sendWelcomeEmail(user.email)` with `console.log('sending to', to)` in the helper; the message names "
           "the call site).",
           "Personal data in logs is a privacy and compliance problem (GDPR access and deletion requests do "
           "not reach log archives).",
           "logger.info(f\"signup {user.email}\")",
           "Log the user id instead, or a hash of the email when you need to correlate."),
          (532,)),
    _rule("LOG404", "credential-logged", _LOG, _H,
          "A password, token, key or Authorization header is written to logs.",
          ("A logging call whose arguments carry a password, an access/refresh token, an API key, a session "
           "cookie or the `Authorization` header, or a credential read from the environment by its name "
           "(`console.log(process.env.EMAIL_PASS)`, `print(os.getenv('SMTP_PASSWORD'))`, a database or broker URL "
           "such as `MONGO_URI` / `DATABASE_URL`, which carries its password, the whole "
           "`process.env`); logging only whether it is set (`!!process.env.KEY`, `bool(...)`, a length) is fine.",
           "Logs are read by more people and systems than secrets should be; a logged token is a leaked "
           "token.",
           "console.log('auth header', req.headers.authorization)",
           "Remove the value from the log call (log that it was present, or its last 4 characters); "
           "rotate any "
           "credential that reached a log system."),
          (532,)),
    _rule("LOG405", "request-body-logged", _LOG, _M,
          "A whole request body is written to logs.",
          ("A logging call whose argument is an entire request body (`req.body`, `await req.json()`, "
           "`request.json`, `await request.body()`).",
           "Request bodies carry whatever the client sends: passwords, tokens, prompts and personal data.",
           "app.post('/api/chat', (req, res) => { console.log(req.body); ... })",
           "Log selected, non-sensitive fields (ids, sizes, types) instead of the whole body."),
          (532,)),
    # ---- cors ----
    _rule("CORS501", "any-origin", _CORS, _M,
          "CORS allows any origin (`*`).",
          ("CORS configured to allow every origin: express `cors()` with no options or `origin: '*'`, "
           "flask-cors defaults, Starlette/FastAPI `CORSMiddleware(allow_origins=['*'])`, "
           "django-cors-headers "
           "`CORS_ALLOW_ALL_ORIGINS`, or `Access-Control-Allow-Origin: *` in code, `next.config.*`, "
           "`vercel.json`, `netlify.toml` or `_headers`.",
           "Any website can call the API from its visitors' browsers and read the responses: your model "
           "endpoint becomes usable from any page on the internet.",
           "app.use(cors())",
           "List the origins that need access (`origin: ['https://app.example.com']`); same-origin front "
           "ends "
           "need no CORS at all."),
          (942,)),
    _rule("CORS502", "reflected-origin", _CORS, _H,
          "CORS echoes the request's Origin without an allow-list.",
          ("`Access-Control-Allow-Origin` set from the request's `Origin` header, express `cors({origin: "
           "true})` "
           "or an origin callback that allows every origin.",
           "Echoing the origin allows every website, and unlike `*` it is also accepted together with "
           "credentials, so one more setting turns it into account takeover.",
           "res.setHeader('Access-Control-Allow-Origin', req.headers.origin)",
           "Compare the origin against a fixed allow-list and only echo it when it is on the list."),
          (942,)),
    _rule("CORS503", "credentialed-reflected-origin", _CORS, _C,
          "CORS reflects any origin and allows credentials.",
          ("A reflected origin (or a configuration that reflects, such as Starlette, django-cors-headers or "
           "flask-cors with `*` plus credentials) combined with `Access-Control-Allow-Credentials: true`.",
           "Any website a logged-in user visits can make authenticated requests as that user and read the "
           "answers: chats, API keys in settings, account data.",
           "app.use(cors({ origin: true, credentials: true }))",
           "Use an explicit allow-list of your own origins when credentials are allowed; never reflect."),
          (942, 346)),
    _rule("CORS504", "credentials-with-any-origin", _CORS, _H,
          "CORS sends a literal `*` origin together with credentials.",
          ("`Access-Control-Allow-Origin: *` combined with `Access-Control-Allow-Credentials: true` "
           "(express `cors({ origin: '*', credentials: true })`, headers set by hand or in config files).",
           "Browsers refuse this combination, but it shows the intent to share credentials with every "
           "origin; "
           "the usual next 'fix' is reflecting the origin, which is critical (CORS503).",
           "res.setHeader('Access-Control-Allow-Origin', '*')\n"
           "res.setHeader('Access-Control-Allow-Credentials', 'true')",
           "Decide which origins need credentialed access and list them explicitly."),
          (942,)),
    # ---- signing secrets (auth) and client passwords (secrets), from the code engines ----
    _rule("AUTH306", "hardcoded-signing-secret", _AUTH, _C,
          "A literal is used as a JWT, session, cookie or HMAC signing key.",
          ("A string literal (of any entropy) used as a key that signs or verifies sessions and tokens: "
           "PyJWT, python-jose and Authlib `encode`/`decode`, jsonwebtoken `sign`/`verify`, jose "
           "`SignJWT`/`jwtVerify` with `new TextEncoder().encode(\"...\")`, passport-jwt `secretOrKey`, "
           "express-jwt `secret`, NextAuth `secret`, express-session `secret`, cookie-session `keys`, "
           "`cookie-parser(\"...\")`, iron-session `password`, Flask `secret_key` / `SECRET_KEY`, Django "
           "`SECRET_KEY` in a settings module that is not for tests or local development, Starlette "
           "`SessionMiddleware(secret_key=...)`, itsdangerous serializers, `hmac.new` and `createHmac` keys. "
           "The literal is followed through constants and keyword arguments in the file; an environment "
           "lookup with a literal fallback (`os.getenv(\"JWT_SECRET\", \"dev\")`, "
           "`process.env.JWT_SECRET || \"dev\"`) counts, because the literal becomes the key whenever the "
           "variable is missing.",
           "Whoever knows the key can mint a valid session or token for any member (or an admin) and "
           "forge signed cookies and webhooks. A key in the repository is known to everyone who can read "
           "it, its forks and its history; a well-known default (`secret`, `changeme`, the FastAPI "
           "tutorial's key) is known to everyone.",
           "token = jwt.encode(payload, \"super-secret\", algorithm=\"HS256\")\n"
           "app.use(session({ secret: \"keyboard cat\" }))",
           "Generate a long random key (`python -c \"import secrets; print(secrets.token_urlsafe(48))\"`), "
           "store it in the deployment's secret store and read it from the environment with no fallback, "
           "failing at start-up when it is missing (`os.environ[\"JWT_SECRET\"]`). Rotate the key that "
           "was committed: every session and token signed with it must be treated as forgeable."),
          (798, 321)),
    _rule("AUTH307", "unscoped-object-access", _AUTH, _H,
          "An authenticated route loads, changes or deletes an object by a request id with no owner check.",
          ("A signed-in route that takes an object id from the path, the query string or the body and reads, "
           "updates or deletes that object by the id alone, with no condition tying it to the session user, "
           "tenant or role: Django `Chat.objects.get(id=chat_id)` / `get_object_or_404(Chat, pk=pk)`, a DRF "
           "viewset whose `queryset` is `Chat.objects.all()`, SQLAlchemy `session.get(Chat, id)` / "
           "`filter(Chat.id == id)`, Prisma `findUnique({ where: { id } })` / `delete({ where: { id } })`, "
           "Mongoose `findById(req.params.id)`, Drizzle `where(eq(chat.id, id))`, Supabase `.eq(\"id\", id)`, a "
           "server action that deletes by id. A query that also filters on an owner field (`user`, `userId`, "
           "`owner_id`, `tenant_id`, `org_id`, `created_by`, ...), a check of the loaded object's owner "
           "afterwards (`if chat.user_id != user.id: raise 403`), an access-check call given the object, or a "
           "role-gated route (admin dependency or decorator, `is_staff` test) is scoped, and so is a change by id "
           "after an owner-scoped load of that id whose miss is refused. A chat's child rows read or written by "
           "a chat id from the request (`message.findMany({ where: { chatId } })`, `message.create({ data: { "
           "chatId } })`) with no check that the chat is the caller's are reported too, and so is a JS/TS handler "
           "that takes a member's own id from the request (`GET /chat/messages/:userID`, a server action's "
           "`userId` argument) and hands it to a query or service without ever reading who is signed in. "
           "Reported on the query line; the message names the route, the model and where the id came from.",
           "Signing in proves who the caller is, not what they may see. Ids leak through URLs, logs and shared "
           "links or are simply sequential: any member can swap in another member's id and read, rewrite or "
           "delete their chats and documents (OWASP API1:2023, broken object level authorization).",
           "@router.get(\"/api/chats/{chat_id}\")\ndef get_chat(chat_id: int, user=Depends(get_current_user)):\n"
           "    return db.get(Chat, chat_id)\n\nconst chat = await prisma.chat.findUnique({ where: { id } })",
           "Put the owner into the query so that another member's id finds nothing: `filter(Chat.id == chat_id, "
           "Chat.user_id == user.id)`, `get_object_or_404(Chat, pk=pk, user=request.user)`, DRF "
           "`get_queryset()` returning `Chat.objects.filter(user=self.request.user)`, Prisma `findFirst({ where: "
           "{ id, userId: session.user.id } })`, Supabase `.eq(\"user_id\", user.id)` (or row-level security "
           "with the user's own client). Answer 404 when nothing is found. Admin tools: gate the route on the "
           "role."),
          (639, 862)),
    _rule("SEC193", "hardcoded-client-password", "secrets", _H,
          "A literal password is passed to a database or service client, or is a parameter default.",
          ("A string literal given as the `password` (or `passwd`) of a database or service client "
           "constructor or connect call (`psycopg2.connect`, `pymysql.connect`, `mysql.connector.connect`, "
           "`redis.Redis`, `MongoClient`, SQLAlchemy `URL.create`, `asyncpg.connect`, ...), or a literal "
           "default of a parameter named like a password.",
           "The password opens the database or service to anyone who reads the repository, its forks or "
           "its history; a default parameter silently becomes the production password when the caller "
           "forgets it.",
           "conn = psycopg2.connect(host=\"db\", user=\"app\", password=\"hunter2\")",
           "Change the password at the database or service first, then read it from the environment "
           "(`os.environ[\"DB_PASSWORD\"]`) or a secret store, with no literal default."),
          (798, 259)),
    # ---- launch ----
    _rule("LR601", "model-route-without-rate-limit", _LR, _H,
          "A route that calls a model has no rate limit.",
          ("A route handler that calls a model (OpenAI, Anthropic, Google, Groq, Mistral, LangChain, LlamaIndex, "
           "LiteLLM, the Vercel AI SDK `streamText`/`generateText`, a fetch to a model API) with no rate limit on "
           "its own path: no slowapi / Flask-Limiter `@limiter.limit` or applied `default_limits`, no "
           "django-ratelimit `@ratelimit`, no DRF `throttle_classes` / `DEFAULT_THROTTLE_CLASSES`, no "
           "fastapi-limiter `RateLimiter` dependency, no express-rate-limit / express-slow-down / "
           "rate-limiter-flexible middleware mounted over it, no `@upstash/ratelimit` (or KV counter) check in the "
           "handler or in a Next.js middleware whose matcher covers it. A limiter set up for other routes, or "
           "installed and never applied, does not count, and neither does a limit checked only after the model "
           "call (the message says so) or a 429 sent from a `catch` / `except` that relays the model vendor's "
           "own quota error.",
           "Every call costs money and quota. One script looping over the route can spend the month's model "
           "budget in an hour, exhaust the vendor's rate limit for every other member, or get the key "
           "suspended; a login in front of the route does not stop a member's own script.",
           "@app.post(\"/api/chat\")\nasync def chat(body: ChatIn):\n    return await client.chat.completions."
           "create(model=\"gpt-4o\", messages=body.messages)",
           "Apply a per-user (or per-IP) limit to the route itself: `@limiter.limit(\"10/minute\")` (slowapi, "
           "Flask-Limiter), `@ratelimit(key=\"user\", rate=\"20/m\")`, DRF `throttle_classes = "
           "[UserRateThrottle]`, `app.use(\"/api/chat\", rateLimit({ windowMs: 60_000, limit: 10 }))`, or "
           "`const { success } = await ratelimit.limit(userId)` answering 429 when it fails; also cap the "
           "tokens per request."),
          (770, 799)),
    _rule("LR602", "unbounded-prompt-input", _LR, _M,
          "Request text reaches a model call with no server-side size limit.",
          ("A route handler that passes what the client sent (a JSON body field, form field, query parameter, "
           "a FastAPI `str`/`dict` parameter or pydantic field without `max_length`, a Next.js or Express "
           "`req.json()` / `req.body` field) to a model call (OpenAI, Anthropic, Google, LangChain, Vercel AI "
           "SDK `streamText`/`generateText`, ...) with no bound on its size on the way: no `max_length` / "
           "`constr` / `StringConstraints`, no zod `.max()`, no `len(...)` / `.length` or token-count check, "
           "no `[:N]` / `.slice(0, N)` truncation. One finding per handler, at its first such model call.",
           "Every token a visitor sends is billed to you and fills the model's context: one scripted request "
           "with a megabyte of text costs real money, slows every member's answers and can push your own "
           "instructions out of the context window.",
           "prompt = request.json[\"prompt\"]\n"
           "client.chat.completions.create(model=\"gpt-4o-mini\", messages=[{\"role\": \"user\", "
           "\"content\": prompt}])",
           "Bound the input where it enters: `prompt: str = Field(min_length=1, max_length=4000)`, zod "
           "`z.string().max(4000)`, or `if len(prompt) > 4000: abort(413)`; cap how many history messages "
           "you forward, and set `max_tokens` on the answer."),
          (770, 400)),
    _rule("LR603", "user-text-in-system-prompt", _LR, _H,
          "Request text is placed into the system prompt.",
          ("Text from the request placed into a system prompt: the content of a `{\"role\": \"system\"}` "
           "(or `\"developer\"`) message, Anthropic `system=`, OpenAI `instructions=`, Google "
           "`system_instruction=`, LangChain `SystemMessage(...)` / `SystemMessagePromptTemplate` / "
           "`(\"system\", ...)`, the Vercel AI SDK `system:` option, or a system prompt built with an "
           "f-string, `+`, `.format` or a template literal, also when a helper (up to two calls away, in "
           "another module too) builds it from an argument, and Google `systemInstruction` in JS/TS. Not "
           "findings: a constant or server-config system "
           "prompt, user text in the user role, a server-side lookup keyed by the request "
           "(`PERSONAS[persona]`), non-text values, and the signed-in member's own profile fields.",
           "Models give the system prompt more authority than the conversation: whoever writes its text can "
           "switch off your guardrails, change the persona, make the model reveal the rest of the prompt "
           "and steer its tool calls, for every answer of the session.",
           "messages = [{\"role\": \"system\", \"content\": f\"You are {request.json['persona']}.\"},\n"
           "            {\"role\": \"user\", \"content\": request.json[\"message\"]}]",
           "Keep the system prompt constant, or let the server choose it from an allow-list "
           "(`PERSONAS[persona]` after checking the key, `Literal[...]` / `z.enum([...])` fields), and put "
           "the member's text in a `user` message."),
          (77, 1427)),
    _rule("LR604", "debug-in-production", _LR, _H,
          "Debug mode is on in production configuration, or errors send stack traces to the client.",
          ("Django `DEBUG = True` in a settings module that is not for tests or local development and not "
           "gated on the environment; Flask `app.run(debug=True)`, `app.debug = True` or "
           "`app.config[\"DEBUG\"] = True`, or a config class with `DEBUG = True` that the app loads with "
           "`app.config.from_object(...)` unconditionally (development and test classes excepted); "
           "`FLASK_DEBUG=1` in committed configuration (`.flaskenv`, "
           "`.env`, Dockerfile, compose file); `FastAPI(debug=True)`; an Express error handler that sends "
           "`err.stack` to the client; Next.js `productionBrowserSourceMaps: true`.",
           "A debug page or stack trace shows visitors your source, settings, file paths and sometimes "
           "environment variables and keys; the Werkzeug debugger runs arbitrary code for anyone who "
           "reaches it. Source maps publish your front-end source.",
           "DEBUG = True\napp.run(debug=True)\nres.status(500).json({ error: err.message, stack: err.stack })",
           "Read the flag from the environment with a safe default (`DEBUG = os.environ.get(\"DEBUG\") == "
           "\"1\"`), never pass `debug=True` in code that production runs, send a generic error message "
           "to the client and the details to your logs or error monitoring, and remove "
           "`productionBrowserSourceMaps` (or upload source maps to your monitoring tool privately)."),
          (489, 215)),
    _rule("LR605", "no-error-monitoring", _LR, _M,
          "The app has no error monitoring set up.",
          ("An app (the folder of a `package.json` that depends on a web framework, or the Python module "
           "that constructs a Flask, FastAPI, Starlette or Django app) with no error monitoring anywhere "
           "under it: no Sentry (`sentry_sdk`, `@sentry/*`), Rollbar, Bugsnag, Honeybadger, Datadog "
           "(`ddtrace`, `dd-trace`), OpenTelemetry exporter, Better Stack / Logtail or Highlight. The finding "
           "sits at line 1 of the app's entry file.",
           "Without monitoring, the first sign of a failing model call, an expired key or a crash loop is an "
           "angry member; you cannot see errors that only happen in production.",
           "app = FastAPI()  # and no sentry_sdk.init(...) anywhere in the project",
           "Add an error monitor before launch, e.g. `sentry_sdk.init(dsn=os.environ[\"SENTRY_DSN\"])` "
           "next to the app, or `npx @sentry/wizard@latest -i nextjs`; make sure it reports from production "
           "and alerts a person."),
          (778,), "medium"),
)

#: Every shared rule by code.
RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def rule(code: str) -> Rule:
    """The shared Rule for ``code`` (e.g. ``"AUTH301"``).

    Raises:
        KeyError: ``code`` is not in the rulebook.
    """
    return RULES[code]


def rules_of(family: str) -> tuple[Rule, ...]:
    """The shared rules of one family (``client-exposure``, ``auth``, ``logging``, ``cors``), sorted by "
    "code."""
    return tuple(r for r in _RULES if r.family == family)


# ---- live rules: reported by `launch-ready probe` only (scanner.probe), never by `scan` ----
_EDGE = "edge"
_LAUNCH = "launch"
_I = Severity.INFO

_PROBE_RULES: tuple[Rule, ...] = (
    _rule("AUTH308", "live-route-without-session", _AUTH, _H,
          "A member route answered 2xx with a body to a request with no cookie or token.",
          ("`launch-ready probe` sent one request with no cookie, no `Authorization` header and random path "
           "parameters to a route the static inventory says should need a session; it answered 2xx with a body.",
           "What the deployed app does is what attackers see: the route is open on the internet, whatever the "
           "code looks like.",
           "POST /api/chat  (no cookie)  ->  200 {\"answer\": \"...\"}",
           "Require a session on the route (the framework's auth dependency, decorator or middleware) and "
           "return 401 without one; then re-run the probe."),
          (306, 862)),
    _rule("CORS505", "live-any-origin", _CORS, _M,
          "The live app answers a foreign origin with `Access-Control-Allow-Origin: *`.",
          ("A preflight or simple request from `https://<random>.invalid` got `Access-Control-Allow-Origin: *`.",
           "Any web page can read the response from its visitors' browsers.",
           "Origin: https://x1y2.invalid  ->  Access-Control-Allow-Origin: *",
           "Allow only your front end's origins in the CORS configuration of the deployed app."),
          (942,)),
    _rule("CORS506", "live-reflected-origin", _CORS, _H,
          "The live app echoes a foreign request's `Origin` back in `Access-Control-Allow-Origin`.",
          ("A preflight or simple request from `https://<random>.invalid` got that origin back as "
           "`Access-Control-Allow-Origin`, without credentials.",
           "Echoing every origin is an allow-list of everyone: any site can read the responses.",
           "Origin: https://x1y2.invalid  ->  Access-Control-Allow-Origin: https://x1y2.invalid",
           "Replace the reflection with an explicit allow-list of your own origins."),
          (942,)),
    _rule("CORS507", "live-credentialed-reflected-origin", _CORS, _C,
          "The live app echoes a foreign origin and allows credentials.",
          ("A request from `https://<random>.invalid` got that origin back with "
           "`Access-Control-Allow-Credentials: true` (or `*` with credentials).",
           "Any web page a signed-in member visits can call your API with the member's cookies and read the "
           "answers: chats, profile, billing.",
           "Access-Control-Allow-Origin: https://x1y2.invalid\nAccess-Control-Allow-Credentials: true",
           "List the exact origins that need credentialed access (never `*`, never the request's own origin); "
           "Starlette, django-cors-headers and flask-cors reflect the origin when `*` meets credentials."),
          (942,)),
    _rule("LR606", "no-rate-limit-observed", _LAUNCH, _H,
          "A model route answered a bounded burst without one 429 or `Retry-After`.",
          ("`launch-ready probe --burst N` sent N requests (at most 100, within 20 seconds) to one "
           "model-calling route and none was refused with 429 or carried `Retry-After`.",
           "Each call spends model budget; without a limit one script can run up a large bill or starve other "
           "users.",
           "30 x POST /api/chat  ->  30 x 200",
           "Add a per-user and per-IP rate limit in front of model routes (slowapi, flask-limiter, "
           "express-rate-limit, the platform's edge limiter) that answers 429 with `Retry-After`."),
          (770,)),
    _rule("LR607", "error-details-exposed", _LAUNCH, _M,
          "The live app returns a stack trace or a debug page.",
          ("A request for a missing path or with a malformed JSON body returned a stack trace, a framework "
           "debug page or exception details.",
           "Stack traces show file paths, library versions, settings and sometimes secrets; debug pages can "
           "even run code.",
           "POST /api/chat  body: {\"  ->  500 Traceback (most recent call last): ...",
           "Turn debug mode off in production (`DEBUG = False`, `app.debug = False`, `NODE_ENV=production`) "
           "and return a generic error body; send details to your error monitoring instead."),
          (209, 215)),
    _rule("EDGE701", "http-not-redirected", _EDGE, _M,
          "Plain `http://` is served instead of redirected to `https://`.",
          ("A request to the `http://` address did not end on `https://` (it answered content over plain "
           "HTTP, or redirected only within HTTP).",
           "Anyone on the network path can read and change plain HTTP traffic, including session cookies "
           "set there.",
           "GET http://app.example.com/  ->  200 OK",
           "Redirect every `http://` request to `https://` with 301/308 at the edge (load balancer, CDN, "
           "platform setting)."),
          (319,)),
    _rule("EDGE702", "bad-redirect-chain", _EDGE, _L,
          "The redirect chain loops, is longer than needed, or leaves the site's domain.",
          ("Following redirects from the `http://` address: a loop, more than 3 hops, a first hop that stays "
           "on `http://`, or a hop to a host outside the site's registrable domain.",
           "Every extra plain-HTTP hop is a chance to intercept; loops break the site; off-domain hops hand "
           "visitors to someone else.",
           "http://example.com -> http://www.example.com -> https://www.example.com",
           "Redirect `http://` straight to the one canonical `https://` host in a single hop."),
          (601,), "medium"),
    _rule("EDGE703", "tls-certificate-invalid", _EDGE, _H,
          "The TLS certificate does not verify (chain, host name or dates).",
          ("The certificate presented for the host does not chain to a trusted root, does not name the host, "
           "or is expired or not yet valid.",
           "Browsers refuse the site, and users who click through can be intercepted.",
           "certificate verify failed: self-signed certificate",
           "Install a certificate for the exact host name from a public CA (Let's Encrypt, the platform's "
           "managed certificates) with its full chain."),
          (295,)),
    _rule("EDGE704", "tls-certificate-expiring", _EDGE, _M,
          "The TLS certificate expires within 14 days.",
          ("The certificate verifies today but its `notAfter` date is less than 14 days away.",
           "When it expires every visitor gets a browser error and API clients stop working.",
           "notAfter: in 6 days",
           "Renew now and automate renewal (ACME / the platform's managed certificates) with an alert."),
          (298,)),
    _rule("EDGE705", "tls-protocol-outdated", _EDGE, _M,
          "The server negotiates a TLS version older than 1.2.",
          ("The handshake settled on SSLv3, TLS 1.0 or TLS 1.1.",
           "These versions have known weaknesses and are disabled in current browsers.",
           "negotiated protocol: TLSv1.1",
           "Allow TLS 1.2 and 1.3 only in the server, load balancer or CDN settings."),
          (327,)),
    _rule("EDGE706", "hsts-missing-or-short", _EDGE, _L,
          "`Strict-Transport-Security` is missing or its `max-age` is under 180 days.",
          ("The `https://` response has no `Strict-Transport-Security` header, or its `max-age` is below "
           "15552000 seconds (180 days).",
           "Without HSTS a visitor's first plain-HTTP request can be intercepted and downgraded.",
           "Strict-Transport-Security: max-age=300",
           "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on HTTPS responses."),
          (319,)),
    _rule("EDGE707", "spf-missing-or-permissive", _EDGE, _M,
          "The domain has no SPF record, a permissive one, or one over 10 DNS lookups.",
          ("The domain's SPF TXT record is missing or invalid, ends in `?all`/`+all` (or has no `all`), or "
           "needs more than 10 DNS lookups (checked with checkdmarc).",
           "Anyone can send mail that passes as your domain: password-reset and invoice phishing to your "
           "members.",
           "example.com TXT \"v=spf1 include:_spf.google.com +all\"",
           "Publish one SPF record listing your senders and ending in `-all` (or `~all` while testing)."),
          (290,)),
    _rule("EDGE708", "dmarc-missing-or-none", _EDGE, _M,
          "The domain has no DMARC record or its policy is `p=none`.",
          ("No valid `_dmarc` TXT record, or its policy is `none` (checked with checkdmarc).",
           "Receivers are not told to reject mail that fails SPF/DKIM, so spoofed mail is delivered.",
           "_dmarc.example.com TXT \"v=DMARC1; p=none\"",
           "Publish `v=DMARC1; p=quarantine` (then `p=reject`) with a `rua=` address for reports."),
          (290,)),
    _rule("EDGE709", "dkim-missing", _EDGE, _L,
          "No DKIM key was found for the given (or common) selectors.",
          ("No `<selector>._domainkey` TXT record with a public key (`p=`) for the selectors given with "
           "`--dkim-selector`, or for common ones when none were given.",
           "Without DKIM, DMARC has only SPF to go on and forwarded mail fails; receivers trust the domain less.",
           "s1._domainkey.example.com: no TXT record",
           "Turn on DKIM signing at your mail provider and publish its key under the selector it names."),
          (290,), "medium"),
    _rule("EDGE710", "mx-missing", _EDGE, _I,
          "The domain has no MX record.",
          ("The domain publishes no MX record (checked with checkdmarc, without connecting to any mail server).",
           "Replies to your app's mail (and DMARC reports sent to the domain) bounce; some receivers distrust "
           "senders that cannot receive.",
           "example.com MX: none",
           "Publish MX records for the mailbox provider that receives your domain's mail, or a null MX "
           "(`0 .`) if it receives none."),
          (),),
)

#: Every live rule by code (``launch-ready probe``); kept apart from ``RULES`` so that scan engines never list them.
PROBE_RULES: dict[str, Rule] = {r.id: r for r in _PROBE_RULES}


def probe_rule(code: str) -> Rule:
    """The live Rule for ``code`` (e.g. ``"EDGE701"``, ``"AUTH308"``).

    Raises:
        KeyError: ``code`` is not a live rule.
    """
    return PROBE_RULES[code]


#: Where the live rules land on the launch scorecard (issue 13's eleven rows): row 9 (email authentication) and
#: row 11 (edge, HTTPS and SSL) are filled by the probe alone; the other live rules join the row of their static
#: family (1 auth on member APIs, 4 rate limiting, 7 CORS, 8 errors reach you and not the visitor).
PROBE_SCORECARD_ROWS: dict[int, tuple[str, ...]] = {
    1: ("AUTH308",),
    4: ("LR606",),
    7: ("CORS505", "CORS506", "CORS507"),
    8: ("LR607",),
    9: ("EDGE707", "EDGE708", "EDGE709", "EDGE710"),
    11: ("EDGE701", "EDGE702", "EDGE703", "EDGE704", "EDGE705", "EDGE706"),
}
