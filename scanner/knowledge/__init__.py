"""Built-in framework knowledge in one place: model clients, auth names, public routes, sensitive names.

Every list the Python rules consult lives here so that the config file (``auth_decorators``,
``auth_helpers``, ``auth_middleware``, ``public_routes``, ``sensitive_names``) can extend it through
``Knowledge.with_config``. Sources: the SDK docs of each vendor (module names), Flask/Flask-Login/
Flask-JWT-Extended/Flask-HTTPAuth, FastAPI security, Django auth and DRF permission docs.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from dataclasses import dataclass

from scanner.config import Config

#: Top-level modules of LLM SDKs and frameworks: a call resolving into one of them calls a model.
MODEL_MODULES = (
    "openai", "anthropic", "google.generativeai", "google.genai", "vertexai", "litellm", "langchain",
    "langchain_core", "langchain_openai", "langchain_anthropic", "langchain_community", "langgraph",
    # LangChain's partner packages (``from langchain_google_genai import ChatGoogleGenerativeAI``)
    "langchain_google_genai", "langchain_google_vertexai", "langchain_groq", "langchain_mistralai",
    "langchain_ollama", "langchain_aws", "langchain_huggingface", "langchain_cohere", "langchain_together",
    "langchain_fireworks", "langchain_deepseek", "langchain_xai", "langchain_nvidia_ai_endpoints", "langchain_ibm",
    "llama_index", "cohere", "mistralai", "groq", "together", "replicate", "ollama", "huggingface_hub",
    "instructor", "dspy", "boto3.client().invoke_model",
    # the OpenAI Agents SDK (``pip install openai-agents``): ``await Runner.run(agent, question)`` runs the model
    "agents.Runner",
    # agent frameworks whose agent runs the model (``Agent(model=Gemini()).run(prompt)``): phidata and its successor
    # Agno (set 27 Chatbot_with_Session), CrewAI, smolagents, Pydantic AI; their tools and vector stores are not
    "phi.agent", "phi.assistant", "phi.llm", "phi.model", "agno.agent", "agno.team", "agno.models", "crewai",
    "smolagents", "pydantic_ai",
)
#: Method-call suffixes of model SDK calls, for clients whose construction is out of sight (``self.client``).
MODEL_CALL_SUFFIXES = (
    "chat.completions.create", "completions.create", "messages.create", "messages.stream",
    "responses.create", "generate_content", "generate_content_async", "ChatCompletion.create",
    "ChatCompletion.acreate", "Completion.create", "embeddings.create", "chat.completions.parse",
    "invoke_model", "converse",
)
#: Methods of a model SDK object that return a chat session (whose ``send_message`` runs the model).
MODEL_SESSION_FACTORIES = frozenset({"start_chat", "create_chat", "chats.create"})
#: Hosts of model APIs: an httpx/requests/aiohttp call whose URL mentions one calls a model.
MODEL_HOSTS = (
    "api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com", "api.groq.com",
    "openrouter.ai", "api.mistral.ai", "api.cohere", "api.together", "api-inference.huggingface.co",
    "api.replicate.com", "api.perplexity.ai", "api.x.ai", "api.deepseek.com", "openai.azure.com",
    "aiplatform.googleapis.com", "bedrock-runtime",
)
#: Self-hosted model servers a backend calls over HTTP, by their default address (Ollama listens on port 11434:
#: ``http://localhost:11434/api/generate``). Python only: a browser cannot reach the visitor's localhost.
LOCAL_MODEL_HOSTS = (":11434",)
#: Words of a URL variable that names a model server (``OLLAMA_URL``, ``self.ollama_host``, ``LLM_API_URL``):
#: an HTTP call to such a URL calls a model whatever its address.
MODEL_URL_WORDS = frozenset({"ollama", "llm", "openai", "gpt", "chatgpt", "anthropic", "claude", "gemini", "groq",
                             "mistral", "completion", "completions", "inference"})
HTTP_CLIENT_MODULES = ("httpx", "requests", "aiohttp", "urllib.request")
#: Words in a project module path or receiver name that say "this wraps a model".
MODEL_HINT_WORDS = frozenset({
    "llm", "llms", "openai", "gpt", "chatgpt", "anthropic", "claude", "gemini", "genai", "langchain",
    "chain", "agent", "rag", "completion", "completions", "inference", "ollama", "mistral", "groq",
})
#: LlamaIndex engine names: a model-running method on one (``chat_engine.stream_chat(q)``) calls the model.
MODEL_ENGINE_PAIRS = frozenset({("chat", "engine"), ("chat", "engines"), ("query", "engine"), ("query", "engines")})


def model_engine(name: str) -> bool:
    """True for a receiver named for a LlamaIndex chat or query engine (``chat_engine``, ``self.chat_engines``)."""
    ws = tuple(w for part in re.split(r"[^A-Za-z0-9_]+", name) for w in words(part))
    return any(pair in MODEL_ENGINE_PAIRS for pair in itertools.pairwise(ws))


#: Calls/attributes that read or write a database.
DB_CALLS = frozenset({
    "query", "execute", "executemany", "filter_by", "get_or_404", "first_or_404", "one_or_404",
    "find_one", "insert_one", "insert_many", "update_one", "update_many", "delete_one", "delete_many",
    "aggregate", "scalars", "scalar", "fetchall", "fetchone", "bulk_create", "get_object_or_404",
    "get_list_or_404", "raw", "find_many", "upsert", "rpc", "add", "add_all", "commit", "flush", "merge",
    "refresh", "exec", "delete", "bulk_save_objects",
})
DB_RECEIVER_WORDS = frozenset({"db", "session", "cursor", "conn", "connection", "collection", "supabase",
                               "table", "engine", "repo", "repository", "crud", "objects"})

#: Decorators that authenticate (matched on the last dotted segment); config ``auth_decorators`` adds more.
AUTH_DECORATOR_RE = re.compile(
    r"(?i)^(login_required|jwt_required|fresh_jwt_required|jwt_refresh_token_required|auth_required|"
    r"token_required|roles_required|roles_accepted|permission_required|permissions_required|"
    r"user_passes_test|staff_member_required|superuser_required|admin_required|requires_auth|"
    r"require_auth|require_login|requires_login|api_key_required|require_api_key|http_auth_required|"
    r"auth\.login_required|verify_token|authenticated|protected|require_user|login_user_required|"
    r"\w*_(login|auth|jwt|token|api_?key|permission|role|admin|staff|user|session)_required|"
    r"requires?_\w*(auth|login|user|role|permission|token|key|scope|admin)\w*)$"
)
#: Call names inside a handler or dependency body that authenticate the caller.
AUTH_CALL_RE = re.compile(
    r"(?i)(authenticat|authoriz|verify_?(id_?)?token|decode_?token|verify_?jwt|jwt\.decode|decode_jwt|"
    r"check_?(auth|token|api_?key|login|user|permission|session)|require_?(auth|login|user|api_?key|token)|"
    r"get_?current_?(active_?)?user|current_?user|validate_?(token|api_?key|session|jwt)|"
    r"verify_?(api_?key|session|user|signature|webhook|password)|is_authenticated|compare_digest|"
    r"construct_event|verify_?request|check_password|has_perm|getUser|get_user_from_token|verify_id_token)"
)
#: Webhook SDKs whose ``verify``/``construct_event`` checks the sender's signature (a signed webhook is public
#: by design: the signature is its authentication).
SIGNED_WEBHOOK_MODULES = ("svix", "stripe", "standardwebhooks", "github_webhook", "twilio.request_validator")
#: Middleware class names that authenticate every request.
_AUTH_MIDDLEWARE_RE = re.compile(r"(?i)(auth|login|jwt|token|session_?required|api_?key|sso|oidc|saml)")
#: Names of FastAPI dependencies (or their parameters) that resolve a user, token, API key or session.
AUTH_DEPENDENCY_RE = re.compile(
    r"(?i)(user|auth|token|api_?key|apikey|jwt|oauth|bearer|principal|credential|verify|login|"
    r"permission|scope|admin|client_key|require|security|signature)"
)
#: Classes whose instance, used as a dependency, is a security scheme (fastapi.security).
SECURITY_SCHEMES = ("fastapi.security", "OAuth2PasswordBearer", "HTTPBearer", "HTTPBasic", "APIKeyHeader",
                    "APIKeyCookie", "APIKeyQuery", "OAuth2AuthorizationCodeBearer", "OpenIdConnect")
#: Django/DRF base classes and mixins.
DJANGO_AUTH_MIXINS = frozenset({"LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin",
                                "StaffuserRequiredMixin", "SuperuserRequiredMixin", "AccessMixin"})
DRF_VIEW_BASES = frozenset({"APIView", "GenericAPIView", "ViewSet", "GenericViewSet", "ModelViewSet",
                            "ReadOnlyModelViewSet", "ListAPIView", "CreateAPIView", "RetrieveAPIView",
                            "ListCreateAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView",
                            "RetrieveUpdateDestroyAPIView", "UpdateAPIView", "DestroyAPIView"})
DJANGO_VIEW_BASES = frozenset({"View", "TemplateView", "FormView", "CreateView", "UpdateView", "DeleteView",
                               "DetailView", "ListView", "RedirectView"})
DRF_OPEN_PERMISSIONS = frozenset({"AllowAny"})
#: Default public paths / handler names: health checks, auth flows, static pages.
#: Health and meta endpoints: public when the whole route is one of them (``/health``, ``/api/v1/ping``), never
#: when the word is one segment of a longer member path (``/users/{uid}/status``, ``/docs/{doc_id}``).
HEALTH_WORDS = frozenset({
    "health", "healthz", "healthcheck", "ping", "status", "ready", "readiness", "live", "liveness", "alive",
    "version", "favicon", "robots", "sitemap", "metrics", "openapi", "docs", "redoc",
})
#: A debugging endpoint (``/debug``, ``/debug-uri``, ``/api/_debug/env``): whatever it answers (the environment, the
#: database host, a connection string with its password masked) is for the developer, never public by intent, so
#: an open one is reported though its handler only reads configuration (set 26 chatgpt-backend).
DEBUG_ROUTE = re.compile(r"(?i)(?:^|/)_*debug(?:[-_][a-z]+)*(?:/|$)")
#: Auth-flow endpoints: public when a path segment is exactly one of them (``/auth/login``, ``/oauth/callback``)
#: or the handler's whole name is (``def login``), never by a word inside a longer name (``/api/login-history``).
PUBLIC_WORDS = frozenset({
    "login", "logout", "signin", "signup", "sign_in", "sign_up", "register", "registration",
    "password_reset", "reset_password", "forgot_password", "password_recovery", "recover_password",
    "verify_email", "confirm_email", "callback", "oauth", "token", "refresh_token", "token_refresh",
    "signout", "sign_out", "log_out", "logoff", "clear_token", "revoke_token", "token_revoke",
    # a site's public forms and pages (set 17: a landing page's newsletter and contact forms)
    "contact", "kontakt", "newsletter", "subscribe", "unsubscribe", "waitlist", "impressum", "imprint",
})
#: Words that may stand beside an auth-flow word without changing what the endpoint is (``logout_user``,
#: ``user_login``, ``register_account``, ``login_page``).
_AUTH_FLOW_COMPANIONS = frozenset({"user", "users", "account", "accounts", "member", "page", "view", "form", "api",
                                   "apiview", "endpoint", "handler", "action", "inner", "internal", "local"})
#: One-time-code and verification steps of a sign-in or sign-up: public by intent when the name is only these
#: words and holds one of ``_CODE_FLOW_KEYS`` (``send_mfa_code``, ``new_verification``, ``verify_otp``,
#: ``resend_verification_email``); ``send_email`` or ``verify_payment`` are not.
_CODE_FLOW_WORDS = frozenset({"send", "resend", "request", "new", "verify", "confirm", "check", "validate",
                              "generate", "mfa", "otp", "totp", "2fa", "two", "factor", "verification", "magic",
                              "link", "code", "email", "mail", "mfacode", "otpcode"})
_CODE_FLOW_KEYS = frozenset({"mfa", "otp", "totp", "2fa", "factor", "verification", "magic", "mfacode", "otpcode"})
#: Words a step of an auth flow adds to the flow's own word (``forgot_password_request``, ``register_verify_otp``).
_FLOW_STEP_WORDS = _CODE_FLOW_WORDS | {"reset", "submit", "complete", "start", "finish", "init", "step", "token",
                                       "response"}
#: The auth-flow words a step name may hold, as word tuples (``("forgot", "password")``): sign-in, sign-up and
#: reset flows only (``generate_token``, ``check_token``, ``new_password`` name member actions as often).
_FLOW_PARTS = tuple(tuple(w.split("_")) for w in sorted(
    {"login", "logout", "signin", "signup", "sign_in", "sign_up", "register", "registration", "password_reset",
     "reset_password", "forgot_password", "password_recovery", "recover_password", "verify_email", "confirm_email",
     "reset_token", "forgot"}))
#: Path segments that only prefix a route (``/api/v1/health`` is still a health check).
_PREFIX_SEGMENTS = re.compile(r"^(api|v\d+|internal|_)$")
_HANDLER_VERBS = re.compile(r"^(get|post|put|handle|do|api|route|view|show|process)_")
#: Static-page words: public only when the handler does nothing but render or redirect.
STATIC_WORDS = frozenset({"index", "home", "about", "privacy", "terms", "landing", "page", "root", "hello"})

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal",
                         "log", "trace", "success", "msg"})
#: Identifier words (after splitting snake/camel case) that make a name safe to log: ids, counts, states.
SAFE_WORDS = frozenset({
    "id", "ids", "uuid", "sid", "count", "counts", "len", "length", "size", "num", "total", "max", "min", "limit",
    "usage", "used", "remaining", "cost", "ms", "latency", "duration", "elapsed", "time", "timeout", "ttl",
    "start", "end", "started", "ended", "begin", "finish", "finished", "seconds", "secs", "took",
    "expiry", "expires", "exp", "type", "kind", "status", "state", "code", "idx", "index", "hash", "digest",
    "fingerprint", "valid", "is", "has", "enabled", "masked", "redacted", "version", "format", "level",
    "tokens", "page", "next", "cursor", "continuation", "sync", "cache", "field", "fields", "path",
    "file", "url", "endpoint", "model", "name", "names", "key_name", "prefix", "suffix", "policy", "rule",
    "config", "settings", "error", "exc", "regex", "pattern", "class", "location", "header", "headers_len",
    "schema", "template", "ok", "success", "failed", "required", "min_length", "strength", "rotated",
    "verified", "confirmed", "sent", "domain", "subject", "provider", "exists", "present", "set", "missing",
    "changed", "updated", "created", "expired", "invalid", "empty", "none", "policy_id",
    "username", "login", "nickname", "handle",
})
CREDENTIAL_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey",
                              "authorization", "bearer", "credential", "credentials", "cookie", "cookies",
                              "jwt", "otp", "sessionid", "csrftoken", "headers"})
#: Word pairs that name a bearer credential to a file: whoever holds a signed URL reads the object until it
#: expires (S3 presigned URLs, Supabase ``create_signed_url``, GCS signed URLs).
CREDENTIAL_PAIRS = frozenset({("signed", "url"), ("presigned", "url"), ("signed", "urls"), ("presigned", "urls"),
                              ("sas", "url"), ("sas", "token")})
KEY_QUALIFIERS = frozenset({"api", "secret", "private", "access", "signing", "encryption", "client", "openai",
                            "anthropic", "stripe", "service", "master", "license", "auth", "x"})
PII_WORDS = frozenset({"email", "emails", "phone", "mobile", "ssn", "dob", "birthday", "birthdate",
                       "surname", "passport", "iban", "address", "fullname", "firstname", "lastname",
                       "recipient", "recipients"})
PII_PAIRS = frozenset({("full", "name"), ("first", "name"), ("last", "name"), ("credit", "card"),
                       ("card", "number"), ("date", "birth"), ("phone", "number"), ("real", "name")})
PROMPT_WORDS = frozenset({"prompt", "prompts", "messages", "msgs", "conversation", "transcript", "question",
                          "utterance"})
PROMPT_SUBJECTS = frozenset({"user", "human", "guest", "customer", "visitor", "input", "chat", "incoming"})
PROMPT_OBJECTS = frozenset({"message", "msg", "text", "input", "query", "content", "question", "history"})
OUTPUT_WORDS = frozenset({"completion", "answer", "reply", "generation", "generated"})
OUTPUT_SUBJECTS = frozenset({"llm", "model", "ai", "gpt", "bot", "assistant", "chat", "openai", "claude",
                             "gemini", "agent", "completion", "generated", "chain"})
OUTPUT_OBJECTS = frozenset({"response", "reply", "output", "answer", "text", "message", "result",
                            "completion", "content"})
BODY_WORDS = frozenset({("request", "body"), ("raw", "body"), ("req", "body"), ("request", "data"),
                        ("json", "body"), ("form", "data"), ("request", "json"), ("request", "payload")})
#: Names of whole user records (email, password hash, tokens inside): logging one logs them all.
RECORD_NAMES = frozenset({"user", "current_user", "db_user", "user_obj", "user_record", "user_data", "user_info",
                          "userinfo", "user_profile", "profile", "member", "account", "customer", "new_user",
                          "existing_user", "auth_user", "logged_in_user", "user_doc", "user_row"})
#: Words that, before ``code``/``pin``, make it a one-time secret (``otp_code``, ``verification_code``).
SECRET_CODE_QUALIFIERS = frozenset({"otp", "verification", "verify", "confirmation", "confirm", "reset", "login",
                                    "auth", "sms", "mfa", "totp", "magic", "activation", "one", "2fa", "invite",
                                    "recovery", "security", "access", "email"})
#: Last words of an environment variable's name that make it a credential besides ``CREDENTIAL_WORDS``
#: (``OPENAI_API_KEY``, ``EMAIL_PASS``); the name's last word decides (``JWT_EXPIRES_IN``, ``TOKEN_LIMIT`` hold none).
ENV_CREDENTIAL_ENDINGS = frozenset({"key", "pass", "pw", "pat"})
#: Words naming a database, cache or message broker: before ``URL``/``URI`` they make the variable a connection URL,
#: which carries the password (``MONGO_URI``, ``DATABASE_URL``, ``REDIS_URL``, ``CELERY_BROKER_URL``).
ENV_DATABASE_WORDS = frozenset({"database", "db", "mongo", "mongodb", "postgres", "postgresql", "pg", "psql", "mysql",
                                "mariadb", "mssql", "sql", "sqlalchemy", "redis", "rediss", "kv", "cache", "amqp",
                                "rabbitmq", "rabbit", "broker", "neo4j", "cockroach", "cockroachdb", "cosmos",
                                "couchdb", "elasticsearch", "prisma", "mongoose", "neon", "turso",
                                "libsql"})
#: Words that may follow ``URL`` in a connection URL's name (Vercel's ``POSTGRES_URL_NON_POOLING``).
_ENV_URL_TAILS = frozenset({"non", "pooling", "unpooled", "pooled", "direct", "no", "ssl", "test", "prod",
                            "production", "dev", "development", "local", "primary", "replica", "read", "write"})
#: Services whose DSN is public by design (a Sentry DSN goes into the browser bundle).
_ENV_PUBLIC_DSN = frozenset({"sentry", "glitchtip", "bugsnag"})
#: Words of an environment variable's name that make a key public by design (``SUPABASE_ANON_KEY``).
_ENV_PUBLIC_WORDS = frozenset({"public", "publishable", "anon"})
#: Request-field keys that carry the user's text to the bot.
PROMPT_KEYS = frozenset({"msg", "message", "messages", "text", "q", "query", "question", "input", "content",
                         "prompt", "chat", "history", "conversation", "user_input", "user_message"})


def words(identifier: str) -> tuple[str, ...]:
    """Lower-case words of a snake_case, camelCase or kebab-case name: ``userEmail`` -> (user, email)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", identifier)
    return tuple(w for w in re.split(r"[_\-\s.]+", spaced.lower()) if w)


def env_credential(name: str) -> bool:
    """True when an environment variable's name says it holds a credential: its last word is a credential word
    or a key/pass ending (``SMTP_PASSWORD``, ``OPENAI_API_KEY``, ``EMAIL_PASS``, ``HF_TOKEN``), and it is not
    public by design (``NEXT_PUBLIC_...``, ``*_PUBLISHABLE_KEY``, ``*_ANON_KEY``)."""
    ws = words(name)
    while ws and ws[-1].isdigit():  # one of several keys rotated in turn: ``GOOGLE_API_KEY_1``, ``OPENAI_KEY2``
        ws = ws[:-1]
    if not ws or set(ws) & _ENV_PUBLIC_WORDS:
        return False
    return ws[-1] in ENV_CREDENTIAL_ENDINGS or ws[-1] in CREDENTIAL_WORDS - {"headers", "cookie", "cookies"} or \
        _env_connection(ws)


def env_connection(name: str) -> bool:
    """True when an environment variable's name says it holds a database or broker connection URL, whose text
    carries a password (``MONGO_URI``, ``DATABASE_URL``, ``PG_CONNECTION_STRING``)."""
    ws = words(name)
    return bool(ws) and not set(ws) & _ENV_PUBLIC_WORDS and _env_connection(ws)


def _env_connection(ws: tuple[str, ...]) -> bool:
    """A database or broker connection URL by its name's words: ``..._CONNECTION_STRING``, ``..._DSN`` (not a
    Sentry DSN), or a database word just before ``URL``/``URI`` (``MONGO_URI``, ``POSTGRES_URL_NON_POOLING``)."""
    if ws[-2:] in (("connection", "string"), ("conn", "str")) or ws[-1] in ("dsn", "connstr", "connectionstring"):
        return not set(ws) & _ENV_PUBLIC_DSN
    for i in range(len(ws) - 1, 0, -1):
        if ws[i] in ("url", "uri"):
            return ws[i - 1] in ENV_DATABASE_WORDS and set(ws[i + 1:]) <= _ENV_URL_TAILS
    return False


@dataclass(frozen=True)
class Knowledge:
    """Built-in lists plus the config's extensions: extra auth decorators/helpers/middleware (names,
    matched on the full dotted name or its last segment), public route globs and extra sensitive names."""

    auth_decorators: frozenset[str] = frozenset()
    auth_helpers: frozenset[str] = frozenset()
    auth_middleware: frozenset[str] = frozenset()
    public_routes: tuple[str, ...] = ()
    sensitive_names: frozenset[str] = frozenset()

    @classmethod
    def with_config(cls, config: Config) -> Knowledge:
        """The knowledge for one scan: built-ins extended by ``config``."""
        return cls(frozenset(config.auth_decorators), frozenset(config.auth_helpers),
                   frozenset(config.auth_middleware), tuple(config.public_routes),
                   frozenset(n.lower() for n in config.sensitive_names))

    def is_auth_decorator(self, dotted: str) -> bool:
        """True when a decorator (dotted name, call parentheses stripped) authenticates."""
        last = dotted.rsplit(".", 1)[-1]
        return (dotted in self.auth_decorators or last in self.auth_decorators
                or bool(AUTH_DECORATOR_RE.match(last)) or bool(AUTH_DECORATOR_RE.match(dotted)))

    def is_auth_call(self, dotted: str) -> bool:
        """True when a call by this dotted name inside a handler or dependency authenticates the caller."""
        last = dotted.rsplit(".", 1)[-1]
        return dotted in self.auth_helpers or last in self.auth_helpers or bool(AUTH_CALL_RE.search(dotted))

    def is_auth_middleware(self, dotted: str) -> bool:
        """True when a middleware class or function name authenticates every request."""
        last = dotted.rsplit(".", 1)[-1]
        if dotted in self.auth_middleware or last in self.auth_middleware:
            return True
        return bool(_AUTH_MIDDLEWARE_RE.search(last)) and "cors" not in last.lower()

    def public_kind(self, path: str, handler: str) -> str | None:
        """``"public"`` when a route is public by design: a configured glob matches ``path``; the whole route
        (after ``/api``, ``/v1`` prefixes) is a health or meta endpoint; a path segment is exactly an auth-flow
        word; or the handler's whole name is one (``login``, ``handle_signup``), alone or beside ``user``/``account``/
        ``page`` words (``logout_user``, ``user_login``). ``"static"`` for a static-page
        word as the whole route, or ``/`` (public only if the handler just renders). Else None."""
        if any(fnmatch.fnmatchcase(path, glob) for glob in self.public_routes):
            return "public"
        raw = [s for s in path.lower().split("/") if s]
        params = [s for s in raw if s.startswith(("{", "<", ":", "["))]
        if params:
            # a member path with a parameter is never a health check or a static page; an auth-flow step
            # carrying its one-time token is public (``/magic-login/<token>``, ``/reset-password/{uidb64}/{token}``)
            fixed = ["_".join(words(s)) for s in raw if s not in params]
            tokens = all(_TOKEN_PARAM.search(p) for p in params)
            return "public" if tokens and (any(map(_auth_flow, fixed)) or _auth_flow(
                "_".join(words(_HANDLER_VERBS.sub("", handler))))) else None
        segments = ["_".join(words(s)) for s in raw]
        core = [s for s in segments if not _PREFIX_SEGMENTS.match(s)]
        name = "_".join(words(_HANDLER_VERBS.sub("", handler)))
        if (len(core) == 1 and core[0] in HEALTH_WORDS) or any(map(_auth_flow, segments)) or _auth_flow(name):
            return "public"
        if not core and not raw:
            return "static"
        return "static" if len(core) == 1 and core[0] in STATIC_WORDS else None


#: Route parameters that carry a one-time credential (``<token>``, ``{uidb64}``, ``:code``).
_TOKEN_PARAM = re.compile(r"(?i)^[{<:\[]?(?:\w+:)?(?:token|\w+_token|uidb64|code|otp|key|signature|nonce)[}>\]]?$")


def _auth_flow(name: str) -> bool:
    """True when ``name`` (snake_case words) is an auth-flow word, alone or beside companion words only
    (``logout``, ``logout_user``, ``user_login``, ``register_api_view``), or a one-time-code or verification
    step (``send_mfa_code``, ``new_verification``); ``login_history`` is not."""
    core = [w for w in name.split("_") if w not in _AUTH_FLOW_COMPANIONS]
    if not core:
        return False
    if "_".join(core) in PUBLIC_WORDS:
        return True
    if set(core) <= _CODE_FLOW_WORDS and bool(set(core) & _CODE_FLOW_KEYS):
        return True
    # a step of an auth flow: the flow's word beside step words only (``register_request_otp``,
    # ``forgot_password_verify``, ``request_password_reset``, ``verify_reset_token``, ``new_password_submit``)
    for flow in _FLOW_PARTS:
        n = len(flow)
        for i in range(len(core) - n + 1):
            if tuple(core[i:i + n]) == flow and set(core[:i] + core[i + n:]) <= _FLOW_STEP_WORDS:
                return True
    return False


#: JS/TS test files by the Jest, Vitest, Mocha and Playwright conventions: ``auth.spec.ts``, ``api.test.js``.
_JS_TEST_NAME = re.compile(r"\.(?:spec|test|e2e-spec|e2e)\.[cm]?[jt]sx?$")


def is_test_path(path: str) -> bool:
    """True for test code (``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``; JS/TS ``*.spec.ts``,
    ``*.test.js``, ``__tests__/``, ``__mocks__/``): it is never deployed, so routes, CORS, signing keys and
    logging there are not reported."""
    parts = path.split("/")
    name = parts[-1]
    return (bool({"tests", "test", "testing", "__tests__", "__mocks__"} & set(parts[:-1]))
            or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
            or bool(_JS_TEST_NAME.search(name)))
