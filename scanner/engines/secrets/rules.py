"""The secrets rule table: every SEC rule and EXP204 with slug, severity, vendor page and documentation."""

from __future__ import annotations

from scanner.keys import codes, detectors
from scanner.keys.spec import KeySpec
from scanner.model import Rule, Severity

CWE_HARDCODED = (798,)
ENGINE = "secrets"

C, H, M, L, INFO = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO

#: The rules of detect-secrets' plugins (:data:`scanner.engines.secrets.adapter.PLUGINS`); our detectors'
#: rows live in their files under :mod:`scanner.keys.detectors`.
PLUGIN_SPECS: tuple[KeySpec, ...] = (
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
)
#: Every SEC rule row (ours and the plugins'), by code.
SPECS: tuple[KeySpec, ...] = tuple(sorted((*detectors.SPECS, *PLUGIN_SPECS), key=lambda spec: spec.id))

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
