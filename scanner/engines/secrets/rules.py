"""The secrets rule table: every SEC rule and EXP204 with slug, severity, vendor page and documentation."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.keys import codes
from scanner.model import Rule, Severity

CWE_HARDCODED = (798,)
ENGINE = "secrets"


@dataclass(frozen=True)
class KeySpec:
    """One row of the table: code, slug, severity, the key's name, the vendor and its key-management page,
    and a redacted example line (never a whole key)."""

    id: str
    slug: str
    severity: Severity
    name: str
    vendor: str
    page: str
    example: str
    precision: str = "high"

    @property
    def shape(self) -> str:
        """The key's format in one phrase, for the rule's documentation ("" when the plugin defines it)."""
        return SHAPES.get(self.id, "")


C, H, M, L, INFO = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO

SPECS: tuple[KeySpec, ...] = (
    KeySpec("SEC100", "openai-api-key", C, "OpenAI API key", "OpenAI",
            "https://platform.openai.com/api-keys", 'OPENAI_API_KEY = "sk-proj-Rh73…"'),
    KeySpec("SEC101", "openai-admin-key", C, "OpenAI admin key", "OpenAI",
            "https://platform.openai.com/settings/organization/admin-keys", 'OPENAI_ADMIN_KEY=sk-admin-…'),
    KeySpec("SEC102", "anthropic-api-key", C, "Anthropic API key", "Anthropic",
            "https://console.anthropic.com/settings/keys", 'ANTHROPIC_API_KEY=sk-ant-api03-…'),
    KeySpec("SEC103", "anthropic-admin-key", C, "Anthropic admin key", "Anthropic",
            "https://console.anthropic.com/settings/admin-keys", 'ANTHROPIC_ADMIN_KEY=sk-ant-admin01-…'),
    KeySpec("SEC104", "google-api-key", H, "Google API key", "Google Cloud / Google AI Studio",
            "https://console.cloud.google.com/apis/credentials", 'GEMINI_API_KEY=AIzaSy…'),
    KeySpec("SEC105", "firebase-web-api-key", INFO, "Firebase web API key (public by design)", "Firebase",
            "https://console.firebase.google.com/project/_/settings/general", 'apiKey: "AIzaSy…",'),
    KeySpec("SEC106", "huggingface-token", C, "Hugging Face access token", "Hugging Face",
            "https://huggingface.co/settings/tokens", 'HF_TOKEN=hf_CARG…'),
    KeySpec("SEC107", "groq-api-key", C, "Groq API key", "Groq", "https://console.groq.com/keys",
            'GROQ_API_KEY=gsk_sPgM…'),
    KeySpec("SEC108", "replicate-api-token", C, "Replicate API token", "Replicate",
            "https://replicate.com/account/api-tokens", 'REPLICATE_API_TOKEN=r8_S61L…'),
    KeySpec("SEC109", "openrouter-api-key", C, "OpenRouter API key", "OpenRouter",
            "https://openrouter.ai/settings/keys", 'OPENROUTER_API_KEY=sk-or-v1-…'),
    KeySpec("SEC110", "perplexity-api-key", C, "Perplexity API key", "Perplexity",
            "https://www.perplexity.ai/settings/api", 'PERPLEXITY_API_KEY=pplx-…'),
    KeySpec("SEC111", "xai-api-key", C, "xAI API key", "xAI", "https://console.x.ai", 'XAI_API_KEY=xai-…'),
    KeySpec("SEC112", "pinecone-api-key", H, "Pinecone API key", "Pinecone", "https://app.pinecone.io",
            'PINECONE_API_KEY=pcsk_…'),
    KeySpec("SEC113", "langsmith-api-key", H, "LangSmith API key", "LangChain (LangSmith)",
            "https://smith.langchain.com/settings", 'LANGCHAIN_API_KEY=lsv2_pt_…'),
    KeySpec("SEC114", "stripe-secret-key", C, "Stripe live secret key", "Stripe",
            "https://dashboard.stripe.com/apikeys", 'new Stripe("sk_live_mERx…")'),
    KeySpec("SEC115", "stripe-restricted-key", C, "Stripe live restricted key", "Stripe",
            "https://dashboard.stripe.com/apikeys", 'STRIPE_KEY=rk_live_…'),
    KeySpec("SEC116", "stripe-webhook-secret", H, "Stripe webhook signing secret", "Stripe",
            "https://dashboard.stripe.com/webhooks", 'const WEBHOOK_SECRET = "whsec_lQ2D…";'),
    KeySpec("SEC117", "supabase-service-role-key", C, "Supabase service_role key", "Supabase",
            "https://supabase.com/dashboard/project/_/settings/api-keys",
            'SUPABASE_SERVICE_ROLE_KEY=eyJhbGci…'),
    KeySpec("SEC118", "supabase-secret-key", C, "Supabase secret API key", "Supabase",
            "https://supabase.com/dashboard/project/_/settings/api-keys", 'SUPABASE_SECRET_KEY=sb_secret_…'),
    KeySpec("SEC119", "supabase-access-token", C, "Supabase personal access token", "Supabase",
            "https://supabase.com/dashboard/account/tokens", 'SUPABASE_ACCESS_TOKEN=sbp_…'),
    KeySpec("SEC120", "clerk-secret-key", C, "Clerk live secret key", "Clerk",
            "https://dashboard.clerk.com/last-active?path=api-keys", 'CLERK_SECRET_KEY=sk_live_…'),
    KeySpec("SEC121", "resend-api-key", H, "Resend API key", "Resend", "https://resend.com/api-keys",
            'RESEND_API_KEY=re_…'),
    KeySpec("SEC122", "sendgrid-api-key", H, "SendGrid API key", "Twilio SendGrid",
            "https://app.sendgrid.com/settings/api_keys", 'SENDGRID_API_KEY=SG.…'),
    KeySpec("SEC123", "twilio-credentials", H, "Twilio auth token or API key secret", "Twilio",
            "https://console.twilio.com/us1/account/keys-credentials/api-keys", 'TWILIO_AUTH_TOKEN=9f2c…'),
    KeySpec("SEC124", "aws-access-key-id", H, "AWS access key ID", "AWS",
            "https://console.aws.amazon.com/iam/home#/security_credentials", 'aws_access_key_id = AKIA…'),
    KeySpec("SEC125", "aws-secret-access-key", C, "AWS secret access key", "AWS",
            "https://console.aws.amazon.com/iam/home#/security_credentials", 'aws_secret_access_key = wJal…'),
    KeySpec("SEC126", "gcp-service-account-key", C, "Google Cloud service-account private key",
            "Google Cloud", "https://console.cloud.google.com/iam-admin/serviceaccounts",
            '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE…"'),
    KeySpec("SEC127", "github-token", C, "GitHub token", "GitHub", "https://github.com/settings/tokens",
            'GITHUB_TOKEN=ghp_…'),
    KeySpec("SEC128", "slack-token", H, "Slack token", "Slack", "https://api.slack.com/apps",
            'SLACK_BOT_TOKEN=xoxb-…'),
    KeySpec("SEC129", "slack-webhook-url", M, "Slack incoming-webhook URL", "Slack", "https://api.slack.com/apps",
            'SLACK_WEBHOOK=https://hooks.slack.com/services/T000…'),
    KeySpec("SEC130", "npm-token", C, "npm access token", "npm",
            "https://www.npmjs.com/settings/~/tokens", '//registry.npmjs.org/:_authToken=npm_…'),
    KeySpec("SEC131", "url-credentials", H, "password inside a URL", "the service named in the URL",
            "the service's account or user settings", 'API_BASE=https://admin:hunt…@api.example.com'),
    KeySpec("SEC132", "url-query-key", H, "API key in a URL query string", "the service named in the URL",
            "the service's API-key settings", 'fetch("https://…/v1/models?key=AIza…")'),
    KeySpec("SEC133", "authorization-header-token", H, "token in an Authorization header",
            "the service the request goes to", "the service's token or API-key settings",
            "headers: { Authorization: 'Bearer eyJh…' }"),
    KeySpec("SEC134", "azure-ad-client-secret", C, "Azure AD client secret", "Microsoft Entra ID",
            "https://portal.azure.com (App registrations > Certificates & secrets)", 'AZURE_CLIENT_SECRET=Xy81Q~…'),
    KeySpec("SEC135", "alibaba-access-key", H, "Alibaba Cloud AccessKey", "Alibaba Cloud",
            "https://ram.console.aliyun.com/manage/ak", 'access_key_id = "LTAI5t…"'),
    KeySpec("SEC136", "aws-appsync-api-key", INFO, "AWS AppSync API key (shipped to clients by design)", "AWS AppSync",
            "https://console.aws.amazon.com/appsync (Settings > API keys)", '"aws_appsync_apiKey": "da2-…"'),
    KeySpec("SEC137", "amazon-mws-auth-token", H, "Amazon MWS auth token", "Amazon Seller Central",
            "https://sellercentral.amazon.com (Apps and Services > Manage Your Apps)", "MWS_AUTH_TOKEN=amzn.mws.…"),
    KeySpec("SEC138", "braintree-access-token", C, "Braintree access token", "PayPal Braintree",
            "https://www.braintreegateway.com (Settings > API)", "BRAINTREE_TOKEN=access_token$production$…"),
    KeySpec("SEC139", "mailgun-api-key", H, "Mailgun API key", "Mailgun",
            "https://app.mailgun.com/settings/api_security", 'MAILGUN_API_KEY = "key-3ax6…"'),
    KeySpec("SEC140", "kolide-api-key", H, "Kolide API key", "Kolide", "https://app.kolide.com/settings/admin/api",
            "KOLIDE_API_KEY=k2sk_v1_…"),
    KeySpec("SEC141", "teams-webhook-url", M, "Microsoft Teams incoming-webhook URL", "Microsoft Teams",
            "the channel's Connectors / Workflows settings",
            "TEAMS_WEBHOOK=https://contoso.webhook.office.com/webhookb2/…"),
    KeySpec("SEC150", "azure-storage-key", C, "Azure storage account key", "Microsoft Azure",
            "https://portal.azure.com (Storage account > Access keys)", 'AccountKey=lJzR…'),
    KeySpec("SEC151", "discord-bot-token", H, "Discord bot token", "Discord",
            "https://discord.com/developers/applications", 'DISCORD_TOKEN=MTA4…'),
    KeySpec("SEC152", "gitlab-token", C, "GitLab token", "GitLab",
            "https://gitlab.com/-/user_settings/personal_access_tokens", 'GITLAB_TOKEN=glpat-…'),
    KeySpec("SEC153", "mailchimp-api-key", H, "Mailchimp API key", "Mailchimp",
            "https://admin.mailchimp.com/account/api/", 'MAILCHIMP_KEY=3f2c…-us21'),
    KeySpec("SEC154", "pypi-token", C, "PyPI upload token", "PyPI", "https://pypi.org/manage/account/token/",
            'password = pypi-AgEI…'),
    KeySpec("SEC155", "square-oauth-secret", H, "Square OAuth secret", "Square",
            "https://developer.squareup.com/apps", 'SQUARE_SECRET=sq0csp-…'),
    KeySpec("SEC156", "telegram-bot-token", H, "Telegram bot token", "Telegram (BotFather)",
            "https://t.me/BotFather (/revoke)", 'TELEGRAM_TOKEN=1234…:AAH…'),
    KeySpec("SEC157", "artifactory-token", H, "JFrog Artifactory token", "JFrog",
            "https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens", 'AKCp…'),
    KeySpec("SEC158", "ibm-cloud-iam-key", H, "IBM Cloud IAM key", "IBM Cloud",
            "https://cloud.ibm.com/iam/apikeys", 'ibm_cloud_iam_key = "…"'),
    KeySpec("SEC159", "ibm-cos-hmac-key", H, "IBM Cloud Object Storage HMAC secret", "IBM Cloud",
            "https://cloud.ibm.com/objectstorage", 'secret_access_key = "…"'),
    KeySpec("SEC160", "cloudant-credentials", H, "IBM Cloudant credentials", "IBM Cloud",
            "https://cloud.ibm.com/resources", 'cloudant_password = "…"'),
    KeySpec("SEC161", "softlayer-api-key", H, "SoftLayer API key", "IBM Cloud (SoftLayer)",
            "https://cloud.ibm.com/iam/apikeys", 'softlayer_api_key = "…"'),
    KeySpec("SEC190", "generic-secret", M, "password or secret", "the service it belongs to",
            "the service's credential settings", 'DB_PASSWORD = "hunt…"', precision="medium"),
    KeySpec("SEC191", "database-url-password", H, "database URL with a password", "the database provider",
            "the database's user or role settings", 'DATABASE_URL=postgresql://app:S3cr…@db.example.com/app'),
    KeySpec("SEC192", "private-key", C, "private key", "whoever trusts the key (server, CA, cloud, SSH host)",
            "the system that trusts its public half", '-----BEGIN RSA PRIVATE KEY-----'),
    KeySpec("SEC199", "test-mode-key", L, "test-mode secret key (Stripe or Clerk)", "Stripe or Clerk",
            "https://dashboard.stripe.com/test/apikeys or https://dashboard.clerk.com",
            'STRIPE_KEY=sk_test_…'),
)

SHAPES: dict[str, str] = {
    "SEC100": (
        "`sk-proj-` / `sk-svcacct-` + ~156 characters with the `T3BlbkFJ` marker, "
        "or a legacy `sk-` + 48"
    ),
    "SEC101": "`sk-admin-` + 48 or more characters",
    "SEC102": "`sk-ant-api03-` + 93 characters ending in `AA`",
    "SEC103": "`sk-ant-admin01-` + 80-120 characters",
    "SEC104": "`AIza` + 35 characters of `[0-9A-Za-z_-]`",
    "SEC105": "`AIza…` as the `apiKey` of a Firebase web config",
    "SEC106": "`hf_` + 34 letters, or a legacy `api_org_` token",
    "SEC107": "`gsk_` + 52 characters",
    "SEC108": "`r8_` + 37 characters",
    "SEC109": "`sk-or-v1-` + 64 hex digits",
    "SEC110": "`pplx-` + 48 characters",
    "SEC111": "`xai-` + 80 characters",
    "SEC112": "`pcsk_` + id + `_` + secret",
    "SEC113": "`lsv2_pt_` / `lsv2_sk_` + 32 hex + `_` + 10 hex",
    "SEC114": "`sk_live_` + 24-247 characters",
    "SEC115": "`rk_live_` + 24-247 characters",
    "SEC116": "`whsec_` + 32 characters",
    "SEC117": (
        "a JWT whose payload says `\"role\": \"service_role\"` "
        "(the `anon` key is public and not reported)"
    ),
    "SEC118": "`sb_secret_` + 31 or more characters",
    "SEC119": "`sbp_` + 40 hex digits",
    "SEC120": "`sk_live_` + ~42 characters next to Clerk configuration",
    "SEC121": "`re_` + 8 + `_` + 24 characters",
    "SEC122": "`SG.` + 22 + `.` + 43 characters",
    "SEC123": (
        "a 32-character auth token or API-key secret next to an `AC…`/`SK…` SID or an `auth_token` name"
    ),
    "SEC124": "`AKIA` / `ASIA` + 16 characters",
    "SEC125": "40 characters assigned to an `aws…secret…` name",
    "SEC126": "the `private_key` of a JSON file with `\"type\": \"service_account\"`",
    "SEC127": "`ghp_` / `gho_` / `ghu_` / `ghs_` / `ghr_` + 36, or `github_pat_` + 82 characters",
    "SEC128": "`xoxb-` / `xoxp-` / `xoxa-` / `xoxr-` / `xoxs-` tokens",
    "SEC129": "`https://hooks.slack.com/services/T…/B…/…`",
    "SEC130": "`npm_` + 36 characters, or `_authToken=` in an `.npmrc`",
    "SEC131": "`scheme://user:password@host` (not a database URL, not an example host)",
    "SEC132": "`?key=`, `api_key=`, `access_token=`, `token=`, `client_secret=` + a 16-512 character value",
    "SEC133": "`Authorization: Bearer|Token|JWT` + a 20-4096 character token (often a JWT)",
    "SEC134": "3 characters, a digit, `Q~`, then 31-34 characters (40 in all)",
    "SEC135": "`LTAI` + 12-20 letters and digits",
    "SEC136": "`da2-` + 26 lower-case letters and digits",
    "SEC137": "`amzn.mws.` + a UUID",
    "SEC138": "`access_token$production$` + 16 + `$` + 32 lower-case letters and digits",
    "SEC139": "`key-` + 32 hex digits",
    "SEC140": "`k2sk_v1_` + 24 or more letters and digits",
    "SEC141": "`https://….webhook.office.com/webhookb2/…@…/IncomingWebhook/…/…`",
    "SEC190": "a password, secret or token name assigned a literal value (detect-secrets' keyword plugin)",
    "SEC191": (
        "`postgres(ql)://`, `mysql://`, `mongodb(+srv)://`, `redis(s)://`, `amqp(s)://` "
        "and `+driver` variants with `user:password@host`"
    ),
    "SEC192": "`-----BEGIN … PRIVATE KEY-----` followed by a key body",
    "SEC199": "`sk_test_` / `rk_test_` keys (test mode: no real money, but still account access)",
}

_WHY = (
    "Anyone who can read this repository, a fork, a clone on a laptop, a CI log or a pull-request ref can "
    "use the {name} as you: spend your model or API budget, read your users' data or act on your account. "
    "Bots scan public pushes for keys within minutes."
)
_FIX = (
    "Revoke and rotate the {name} at {vendor} ({page}) first, then remove it from the code and read it from "
    "the environment or a secret manager. Rewriting git history does not un-leak a key that has been pushed: "
    "forks, pull-request refs and caches keep it, so rotate even after a force-push."
)
_PUBLIC_FIX = (
    "No rotation is needed: Firebase web API keys are public by design. Make sure Firebase Security Rules "
    "and App Check restrict what the key can reach, and restrict the key to your app's domains at {page}."
)


def _doc(spec: KeySpec, fix: str) -> str:
    shape = f": {spec.shape}" if spec.shape else " (detect-secrets plugin)"
    where = "source, `.env*`, notebooks, Dockerfiles, compose and CI files, staged changes and history"
    return (
        f"**What it finds**\n\n{_article(spec.name)} {spec.name} written into a file or commit{shape}. "
        f"Looked for in {where}.\n\n"
        f"**Why it matters**\n\n{_WHY.format(name=spec.name)}\n\n"
        f"**Example**\n\n```\n{spec.example}\n```\n\n**Fix**\n\n{fix}\n"
    )


def _article(name: str) -> str:
    return "An" if name[0].lower() in "aeiou" else "A"


_APPSYNC_FIX = (
    "No rotation is needed for the key alone: AppSync API keys are meant for clients of public APIs (Amplify "
    "writes them into `aws-exports.js`). Make sure what the API serves under API-key auth is public data, keep "
    "the key's expiry short at {page}, and put user data behind Cognito or IAM authorization."
)


def _rule(spec: KeySpec) -> Rule:
    template = _PUBLIC_FIX if spec.id == "SEC105" else _APPSYNC_FIX if spec.id == "SEC136" else _FIX
    fix = template.format(name=spec.name, vendor=spec.vendor, page=spec.page)
    return Rule(spec.id, spec.slug, "secrets", spec.severity, f"Hard-coded {spec.name}.", _doc(spec, fix),
                fix, CWE_HARDCODED, spec.precision, ENGINE)


_BUNDLE_FIX = (
    "Revoke and rotate the key at its vendor first (the message names the key type), then stop shipping it: "
    "call the vendor from a server route instead, keep the key in a server-only variable (no NEXT_PUBLIC_, "
    "VITE_, REACT_APP_ prefix) and rebuild. Anyone who loaded the page already has the key; a rebuild does "
    "not un-leak it."
)
EXP204 = Rule(
    "EXP204", "key-in-client-bundle", "client-exposure", Severity.HIGH,
    "A secret key is inside a built client bundle that browsers download.",
    "**What it finds**\n\nA secret key (any SEC key type) inside built client assets: `.next/static/`, "
    "`dist/`, `build/static/`.\n\n**Why it matters**\n\nEvery visitor downloads these files; the key is "
    "public the moment the site is deployed.\n\n**Example**\n\n```\n.next/static/chunks/app/page-3f2c.js: "
    "headers:{Authorization:\"Bearer sk-proj-…\"}\n```\n\n**Fix**\n\n" + _BUNDLE_FIX + "\n",
    _BUNDLE_FIX, (200, 522), "high", ENGINE,
)

RULES: dict[str, Rule] = {spec.id: _rule(spec) for spec in SPECS}
NAMES: dict[str, str] = {spec.id: spec.name for spec in SPECS}


def all_rules() -> tuple[Rule, ...]:
    """Every rule of the secrets engine, by code: our SEC rules, the key catalogue's (SEC1000-SEC1999) and
    EXP204."""
    return (*RULES.values(), *codes.catalogue_rules().values(), EXP204)


def rule_by_code(code: str) -> Rule:
    """The SEC rule of a code, ours or the catalogue's. Raises KeyError for an unknown code."""
    if code in RULES:
        return RULES[code]
    return codes.catalogue_rules()[codes.by_code()[code].rule_id]


def name_of(code: str) -> str:
    """The key type a code reports, for messages (``OpenAI API key``; a catalogue rule's id)."""
    if code in NAMES:
        return NAMES[code]
    return f"credential (catalogue rule {codes.by_code()[code].rule_id})"
