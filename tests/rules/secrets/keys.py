"""Fake keys in each vendor's exact format, generated at test time from a seeded random source."""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"
B64 = ALNUM + "+/"

_RNG = random.Random(20261129)


def rand(alphabet: str, n: int) -> str:
    """``n`` random characters of ``alphabet`` (with a digit when the alphabet has digits, and no word that
    marks a placeholder), so that no generated key looks like an identifier or an example."""
    while True:
        value = "".join(_RNG.choice(alphabet) for _ in range(n))
        low = value.lower()
        if any(w in low for w in ("fake", "xxxx", "your", "todo", "test", "dummy")):
            continue
        if n < 8 or not (set(alphabet) & set(string.digits)) or any(c.isdigit() for c in value):
            return value


def jwt(role: str, iss: str = "supabase") -> str:
    """A Supabase-shaped HS256 JWT whose payload carries ``role`` (and ``iss``)."""
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    header = part({"alg": "HS256", "typ": "JWT"})
    payload = part({"iss": iss, "ref": rand(string.ascii_lowercase, 20), "role": role,
                    "iat": 1712000000, "exp": 2027576000})
    return f"{header}.{payload}.{rand(URLSAFE, 43)}"


def pem_body(lines: int = 4) -> list[str]:
    """Base64 lines of a PEM body (64 characters each)."""
    return [rand(B64, 64) for _ in range(lines)]


#: name -> (a function giving a fresh key, the rule it must be reported under, a line template)
KEYS: dict[str, tuple[Callable[[], str], str, str]] = {
    "openai-project": (lambda: "sk-proj-" + rand(URLSAFE, 74) + "T3BlbkFJ" + rand(URLSAFE, 74), "SEC100",
                       'OPENAI_API_KEY = "{}"'),
    "openai-svcacct": (lambda: "sk-svcacct-" + rand(URLSAFE, 70) + "T3BlbkFJ" + rand(URLSAFE, 70), "SEC100",
                       "OPENAI_API_KEY={}"),
    "openai-legacy": (lambda: "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20), "SEC100",
                      'openai.api_key = "{}"'),
    "openai-named-project": (lambda: "sk-None-" + rand(URLSAFE, 40) + "T3BlbkFJ" + rand(URLSAFE, 40),
                             "SEC100", "OPENAI_API_KEY={}"),
    "openai-admin": (lambda: "sk-admin-" + rand(URLSAFE, 70) + "T3BlbkFJ" + rand(URLSAFE, 70), "SEC101",
                     "OPENAI_ADMIN_KEY={}"),
    "anthropic": (lambda: "sk-ant-api03-" + rand(URLSAFE, 93) + "AA", "SEC102", "ANTHROPIC_API_KEY={}"),
    "anthropic-admin": (lambda: "sk-ant-admin01-" + rand(URLSAFE, 93) + "AA", "SEC103", 'key: "{}",'),
    "google": (lambda: "AIza" + rand(URLSAFE, 35), "SEC104", 'const GEMINI_KEY = "{}";'),
    "huggingface": (lambda: "hf_" + rand(string.ascii_letters, 34), "SEC106", "HF_TOKEN={}"),
    "huggingface-org": (lambda: "api_org_" + rand(string.ascii_letters, 34), "SEC106", 'token="{}"'),
    "groq": (lambda: "gsk_" + rand(ALNUM, 52), "SEC107", "GROQ_API_KEY={}"),
    "replicate": (lambda: "r8_" + rand(ALNUM, 37), "SEC108", "REPLICATE_API_TOKEN={}"),
    "openrouter": (lambda: "sk-or-v1-" + rand(HEX, 64), "SEC109", 'apiKey: "{}",'),
    "perplexity": (lambda: "pplx-" + rand(ALNUM, 48), "SEC110", "PPLX_KEY={}"),
    "xai": (lambda: "xai-" + rand(ALNUM, 80), "SEC111", "XAI_API_KEY={}"),
    "pinecone": (lambda: "pcsk_" + rand(ALNUM, 6) + "_" + rand(ALNUM, 63), "SEC112", "PINECONE_API_KEY={}"),
    "langsmith": (lambda: "lsv2_pt_" + rand(HEX, 32) + "_" + rand(HEX, 10), "SEC113", "LANGCHAIN_API_KEY={}"),
    "stripe-live": (lambda: "sk_live_" + rand(ALNUM, 24), "SEC114", 'const stripe = new Stripe("{}");'),
    "stripe-live-long": (lambda: "sk_live_51" + rand(ALNUM, 97), "SEC114", "STRIPE_SECRET_KEY={}"),
    "stripe-restricted": (lambda: "rk_live_" + rand(ALNUM, 24), "SEC115", "STRIPE_KEY={}"),
    "stripe-webhook": (lambda: "whsec_" + rand(ALNUM, 32), "SEC116", 'const WEBHOOK_SECRET = "{}";'),
    "supabase-service-role": (lambda: jwt("service_role"), "SEC117", "SUPABASE_SERVICE_ROLE_KEY={}"),
    "supabase-secret": (lambda: "sb_secret_" + rand(URLSAFE, 31), "SEC118", "SUPABASE_SECRET_KEY={}"),
    "supabase-access-token": (lambda: "sbp_" + rand(HEX, 40), "SEC119", "SUPABASE_ACCESS_TOKEN={}"),
    "clerk-live": (lambda: "sk_live_" + rand(ALNUM, 42), "SEC120", "CLERK_SECRET_KEY={}"),
    "resend": (lambda: "re_" + rand(ALNUM, 8) + "_" + rand(ALNUM, 24), "SEC121", 'new Resend("{}")'),
    "sendgrid": (lambda: "SG." + rand(URLSAFE, 22) + "." + rand(URLSAFE, 43), "SEC122",
                 "SENDGRID_API_KEY={}"),
    "twilio-auth-token": (lambda: rand(HEX, 32), "SEC123", "TWILIO_AUTH_TOKEN={}"),
    "twilio-pair": (lambda: rand(ALNUM, 32), "SEC123",
                    "url = 'https://AC" + rand(HEX, 32) + ":{}@api.twilio.com'"),
    "aws-access-key": (lambda: "AKIA" + rand(B32, 16), "SEC124", "aws_access_key_id = {}"),
    "aws-session-key": (lambda: "ASIA" + rand(B32, 16), "SEC124", 'AWS_ACCESS_KEY_ID="{}"'),
    "aws-secret-key": (lambda: rand(ALNUM + "+/", 40), "SEC125", "aws_secret_access_key = {}"),
    "github-classic": (lambda: "ghp_" + rand(ALNUM, 36), "SEC127", "GITHUB_TOKEN={}"),
    "github-oauth": (lambda: "gho_" + rand(ALNUM, 36), "SEC127", 'token = "{}"'),
    "github-app": (lambda: "ghs_" + rand(ALNUM, 36), "SEC127", "GH={}"),
    "github-fine-grained": (lambda: "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59), "SEC127",
                            "GH_PAT={}"),
    "slack-bot": (lambda: "xoxb-" + rand(string.digits, 12) + "-" + rand(string.digits, 13) + "-"
                  + rand(ALNUM, 24), "SEC128", "SLACK_BOT_TOKEN={}"),
    "slack-webhook": (lambda: "https://hooks.slack.com/services/T" + rand(B32, 8) + "/B" + rand(B32, 10) + "/"
                      + rand(ALNUM, 24), "SEC129", 'SLACK_WEBHOOK_URL="{}"'),
    "npm": (lambda: "npm_" + rand(ALNUM, 36), "SEC130", "NPM_TOKEN={}"),
    "npmrc": (lambda: rand(ALNUM, 36), "SEC130", "//registry.npmjs.org/:_authToken={}"),
    "url-credentials": (lambda: rand(ALNUM, 16), "SEC131", "API_BASE=https://admin:{}@api.acme-prod.net/v1"),
    "gitlab": (lambda: "glpat-" + rand(URLSAFE, 20), "SEC152", "GITLAB_TOKEN={}"),
    "generic-password": (lambda: rand(ALNUM + "!#%", 18), "SEC190", 'DB_PASSWORD = "{}"'),
    "test-mode-stripe": (lambda: "sk_test_" + rand(ALNUM, 24), "SEC199", "STRIPE_SECRET_KEY={}"),
    "test-mode-restricted": (lambda: "rk_test_" + rand(ALNUM, 24), "SEC199", "STRIPE_KEY={}"),
}

DB_SCHEMES = ("postgres", "postgresql", "postgresql+asyncpg", "postgresql+psycopg2", "mysql", "mysql+pymysql",
              "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps")
