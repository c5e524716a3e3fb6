"""Judging environment-variable names and values for client exposure (EXP201/EXP203), shared by both engines.

Sources for the prefixes: Next.js "Bundling Environment Variables for the Browser" (`NEXT_PUBLIC_`), Vite
"Env Variables and Modes" (`VITE_`), Create React App (`REACT_APP_`), Expo (`EXPO_PUBLIC_`), SvelteKit
`$env/static/public` and Astro (`PUBLIC_`), Nuxt (`NUXT_PUBLIC_`), Gatsby (`GATSBY_`).
"""

from __future__ import annotations

import re

from scanner.model import Rule, Severity

#: Prefixes that build tools inline into browser bundles.
PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "GATSBY_", "PUBLIC_",
)

#: Name parts that mean "secret" on their own.
_SECRET_WORDS = re.compile(
    r"(SECRET|SERVICE_ROLE|PRIVATE|TOKEN|PASSWORD|PASSWD|DATABASE_URL|DB_URL|POSTGRES_URL|MONGODB_URI|"
    r"CREDENTIAL|SIGNING_KEY|WEBHOOK_SECRET)"
)
#: Vendors whose `*_API_KEY` / `*_KEY` is a server secret (model APIs and SaaS back ends).
_SERVER_VENDORS = re.compile(
    r"(OPENAI|ANTHROPIC|CLAUDE|GEMINI|GOOGLE_AI|GOOGLE_GENERATIVE|GENAI|GROQ|REPLICATE|OPENROUTER|PERPLEXITY|"
    r"XAI|GROK|MISTRAL|COHERE|HUGGING_?FACE|HF|PINECONE|LANGSMITH|LANGCHAIN|RESEND|SENDGRID|TWILIO|"
    r"ELEVEN_?LABS|DEEPSEEK|TOGETHER|FIREWORKS|AZURE_OPENAI|DEEPGRAM|ASSEMBLY_?AI|STRIPE|SUPABASE_SERVICE|"
    r"CLERK|MAILGUN|POSTMARK|AWS|UPSTASH|QDRANT|WEAVIATE|VOYAGE|TAVILY|SERPAPI|FIRECRAWL|LLM|AI)_"
    r"(\w*_)?(API_)?KEY\b"
)
#: Names that are public by design: anon keys, publishable keys, URLs, analytics and Firebase web config.
_PUBLIC_BY_DESIGN = re.compile(
    r"(ANON_KEY|ANON_PUBLIC|PUBLISHABLE|PUBLIC_KEY$|_URL$|_URI$|_HOST$|_DOMAIN$|_ID$|SITE_KEY|"
    r"MEASUREMENT_ID|ANALYTICS|POSTHOG|SENTRY_DSN|_DSN$|FIREBASE|MAPBOX|GOOGLE_MAPS|MAPS_API_KEY|ALGOLIA_SEARCH|"
    r"RECAPTCHA|TURNSTILE|VAPID_PUBLIC|PUSHER_KEY|PUSHER_APP_KEY|CLERK_PUBLISHABLE|STRIPE_PK|SEARCH_ONLY)"
)


#: A yes/no switch named for what it turns on: ``USE_CREDENTIALS``, ``ENABLE_TOKEN_REFRESH``, ``SECRET_MODE_ENABLED``.
_FLAG = re.compile(r"(?:^|_)(?:USE|ENABLE|DISABLE|IS|HAS|WITH|ALLOW|INCLUDE|SEND|REQUIRE|SHOW|SKIP)_|"
                   r"_(?:ENABLED|DISABLED|REQUIRED|MODE|FLAG)$")


def public_prefix(name: str) -> str | None:
    """The public prefix ``name`` starts with (``NEXT_PUBLIC_``, ...), or None."""
    return next((p for p in PUBLIC_PREFIXES if name.startswith(p)), None)


def secret_looking_name(name: str) -> bool:
    """True when ``name`` (without or after its prefix) names a server secret and is not public by design.

    ``*_URL`` is public by design except database URLs; ``*_API_KEY`` counts only for server vendors.
    """
    upper = name.upper()
    bare = upper[len(public_prefix(upper) or ""):]
    if _FLAG.search(bare):
        return False  # a switch about a secret (``VITE_API_USE_CREDENTIALS=true``), not the secret
    if _SECRET_WORDS.search(bare) and (re.search(r"(DATABASE|DB|POSTGRES|MONGODB)_UR[LI]$", bare)
                                      or not _PUBLIC_BY_DESIGN.search(bare)):
        return True
    return bool(_SERVER_VENDORS.search(bare) or bare in ("API_KEY", "SECRET_KEY")) and \
        not _PUBLIC_BY_DESIGN.search(bare)


def secret_value_rule(value: str, name: str = "") -> Rule | None:
    """The secrets engine's rule for ``value`` assigned to ``name`` (``scanner.engines.secrets
    .classify_value``), or None when the value is not a key, is public by design (the secrets engine rates
    those ``info``, e.g. a Firebase web API key), or the secrets engine is not installed."""
    try:
        from scanner.engines.secrets.engine import classify_value
    except ImportError:
        return None
    try:
        hit = classify_value(value, name)
    except TypeError:  # an older classify_value(value)
        hit = classify_value(value)
    return None if hit is None or hit.severity is Severity.INFO else hit


def public_env_secret(name: str, value: str | None = None) -> str | None:
    """Why ``name`` (with ``value`` when known) is a client-exposed secret, or None.

    Returns a short reason: ``"secret-looking name"`` or ``"the value matches <code> <slug>"``. Only names with a
    public prefix qualify.
    """
    if public_prefix(name.upper()) is None:
        return None
    if value:
        hit = secret_value_rule(value, name)
        if hit is not None:
            return f"the value matches {hit.id} {hit.slug}"
        if _SETTING_VALUE.fullmatch(value.strip()):
            return None  # NEXT_PUBLIC_MAX_TOKENS=1024, NEXT_PUBLIC_PASSWORD_LOGIN=true: a setting, not a secret
    if _SETTING_NAME.search(name.upper()):
        return None
    return "secret-looking name" if secret_looking_name(name) else None


#: Values that are settings, not secrets: numbers, booleans, durations, empty.
_SETTING_VALUE = re.compile(r"(?i)|-?\d+(\.\d+)?(ms|s|m|h|d|k|kb|mb)?|true|false|yes|no|on|off|enabled|disabled")
#: Name parts that make a secret word a setting about it (``MAX_TOKENS``, ``PASSWORD_MIN_LENGTH``).
_SETTING_NAME = re.compile(
    r"(^|_)(MAX|MIN|LIMIT|COUNT|LENGTH|LEN|INTERVAL|TTL|TIMEOUT|EXPIRY|EXPIRES|ENABLED|DISABLED|REQUIRED|"
    r"POLICY|RULES|STRENGTH|HINT|FIELD|LABEL|PLACEHOLDER|NAME)(_|$)"
)
