"""Cloud and SaaS keys with a fixed literal head that the key catalogue reports only next to a vendor word: Azure
AD client secrets, Alibaba Cloud AccessKey ids, AWS AppSync API keys, Amazon MWS auth tokens, Braintree access
tokens, Mailgun API keys, Kolide API keys and Microsoft Teams incoming-webhook URLs."""

from __future__ import annotations

import random
import re
import string
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, HEX, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity

_LOWER_DIGITS = string.ascii_lowercase + string.digits


def _uuid(rng: random.Random) -> str:
    raw = pick(rng, HEX, 32)
    return f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-a{raw[17:20]}-{raw[20:]}"


class AzureClientSecretDetector(Detector):
    """Azure AD (Entra ID) application client secret (SEC134). Format (Microsoft identity platform credentials,
    https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials; the identifiable format since
    2022): 3 characters, a digit, ``Q~``, then 31-34 characters of ``[A-Za-z0-9_~.-]``, 40 in all."""

    rule_id = "SEC134"
    secret_type = "Azure AD Client Secret"
    keywords = ("q~",)
    denylist = (re.compile(r"(?<![\w~.-])(?P<secret>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![\w~.-])"),)
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "AZURE_CLIENT_SECRET=${AZURE_CLIENT_SECRET}",
        'label = "abc1Q~short"',
        "path = 'a/b/c1Q~'",
        'client_secret = "xxx8Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
        "value: abc1Q-" + "k" * 34,
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = pick(rng, ALNUM, 3) + "7Q~" + pick(rng, ALNUM + "_~.-", 34)
        return f'AZURE_CLIENT_SECRET = "{secret}"', secret


class AlibabaAccessKeyDetector(Detector):
    """Alibaba Cloud AccessKey ID (SEC135). Format (https://www.alibabacloud.com/help/en/ram/user-guide/create-an-
    accesskey-pair): ``LTAI`` + 12-20 letters and digits. Its secret travels with it; both are rotated together."""

    rule_id = "SEC135"
    secret_type = "Alibaba Cloud AccessKey"
    keywords = ("ltai",)
    denylist = (keyed("LTAI", r"[A-Za-z0-9]{12,20}"),)
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "ALIBABA_ACCESS_KEY_ID=LTAIxxxxxxxxxxxxxxxx",
        "LTAI5tShort",
        "const label = 'LTAIMENTION';",
        "id = 'ALTAI5t7Jd8y3Kq2Lp9Zr4Mx'",
        "LTAI5t7Jd8y3Kq2Lp9Zr4Mx6Nw8Vb2Qh",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "LTAI" + pick(rng, ALNUM, 20)
        return f'access_key_id = "{secret}"', secret


class AppSyncKeyDetector(Detector):
    """AWS AppSync GraphQL API key (SEC136). Format (https://docs.aws.amazon.com/appsync/latest/devguide/security-
    authz.html#api-key-authorization): ``da2-`` + 26 lower-case letters and digits. Rated info: the key is meant
    for clients of public APIs (Amplify writes it into ``aws-exports.js``), like a Firebase web API key."""

    rule_id = "SEC136"
    secret_type = "AWS AppSync API Key"
    keywords = ("da2-",)
    denylist = (keyed("da2-", r"[a-z0-9]{26}"),)
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "aws_appsync_apiKey: 'da2-xxxxxxxxxxxxxxxxxxxxxxxxxx'",
        "da2-short123",
        "sha2-abcdefghij0123456789abcdef",
        "uda2-k3v9q2m7x4b8n1c6z5l0p2w7rt",
        "da2-k3v9q2m7x4b8n1c6z5l0p2w7rtEXTRA",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "da2-" + pick(rng, _LOWER_DIGITS, 26)
        return f'"aws_appsync_apiKey": "{secret}",', secret


class AmazonMwsTokenDetector(Detector):
    """Amazon Marketplace Web Service auth token (SEC137). Format (Amazon MWS developer guide, "MWSAuthToken"):
    ``amzn.mws.`` + a UUID."""

    rule_id = "SEC137"
    secret_type = "Amazon MWS Auth Token"
    keywords = ("amzn.mws.",)
    denylist = (keyed(r"amzn\.mws\.", r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),)
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "MWS_AUTH_TOKEN=amzn.mws.xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
        "amzn.mws.00000000-0000-0000-0000-000000000000",
        "amzn.mws.<your-token>",
        "see amzn.mws.docs for the token format",
        "amzn.mws.4a1b2c3d-5e6f",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "amzn.mws." + _uuid(rng)
        return f"MWS_AUTH_TOKEN={secret}", secret


class BraintreeTokenDetector(Detector):
    """PayPal Braintree access token (SEC138). Format (Braintree "Access tokens", https://developer.paypal.com/
    braintree/docs/guides/authentication/access-tokens; truffleHog's pattern): ``access_token$production$`` or
    ``$sandbox$`` + 16 + ``$`` + 32 lower-case letters and digits."""

    rule_id = "SEC138"
    secret_type = "Braintree Access Token"
    keywords = ("access_token$",)
    denylist = (keyed(r"access_token\$(?:production|sandbox)\$", r"[0-9a-z]{16}\$[0-9a-z]{32}"),)
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "BRAINTREE_TOKEN=access_token$production$xxxxxxxxxxxxxxxx$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "access_token$production$<merchant>$<token>",
        "access_token$staging$k3v9q2m7x4b8n1c6$0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "access_token$production$k3v9q2m7$0a1b2c3d",
        "$access_token",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = f"access_token$production${pick(rng, _LOWER_DIGITS, 16)}${pick(rng, HEX, 32)}"
        return f"BRAINTREE_ACCESS_TOKEN='{secret}'", secret


class MailgunKeyDetector(Detector):
    """Mailgun private API key, legacy format (SEC139). Format (https://documentation.mailgun.com/docs/mailgun/
    api-reference/authentication/): ``key-`` + 32 hex digits."""

    rule_id = "SEC139"
    secret_type = "Mailgun API Key"
    keywords = ("key-",)
    denylist = (keyed("key-", r"[0-9a-f]{32}"),)
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "MAILGUN_API_KEY=key-00000000000000000000000000000000",
        "cache-key-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "key-0a1b2c3d4e5f",
        "idempotency-key: 0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "key-" + pick(rng, HEX, 32)
        return f'MAILGUN_API_KEY = "{secret}"', secret


class KolideKeyDetector(Detector):
    """Kolide API key (SEC140). Format (https://www.kolide.com/docs/developers/api): ``k2sk_v1_`` + 24 or more
    letters and digits."""

    rule_id = "SEC140"
    secret_type = "Kolide API Key"
    keywords = ("k2sk_",)
    denylist = (keyed("k2sk_v1_", r"[A-Za-z0-9]{24,64}"),)
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "KOLIDE_API_KEY=k2sk_v1_xxxxxxxxxxxxxxxxxxxxxxxx",
        "k2sk_v1_short",
        "k2sk_v2_K2UYhW7OPt2jKKLqmFacGNK7",
        "KOLIDE_API_KEY=k2sk_v1_<your-key>",
        "k2sk_v1_${KOLIDE_KEY}",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "k2sk_v1_" + pick(rng, ALNUM, 24)
        return f"KOLIDE_API_KEY={secret}", secret


class TeamsWebhookDetector(Detector):
    """Microsoft Teams incoming-webhook URL (SEC141): whoever has it posts into the channel. Format
    (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook):
    ``https://<tenant>.webhook.office.com/webhookb2/<group id>@<tenant id>/IncomingWebhook/<32>/<id>``, and the
    older ``https://outlook.office.com/webhook/…`` host."""

    rule_id = "SEC141"
    secret_type = "Microsoft Teams Webhook"
    keywords = ("webhook.office.com", "outlook.office.com/webhook", "outlook.office365.com/webhook")
    denylist = (
        re.compile(r"(?P<secret>https://(?:[a-z0-9-]{1,60}\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?"
                   r"\.com/webhook)/[a-z0-9-]{36}@[a-z0-9-]{36}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9-]{36})"
                   r"(?![A-Za-z0-9-])"),
    )
    priority = 5
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "TEAMS_WEBHOOK_URL=${TEAMS_WEBHOOK_URL}",
        "https://contoso.webhook.office.com/webhookb2/<group-id>@<tenant-id>/IncomingWebhook/<id>/<id>",
        "https://outlook.office.com/webhook/",
        "see https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors",
        "https://contoso.webhook.office.com/webhookb2/" + "x" * 36 + "@" + "x" * 36 + "/IncomingWebhook/"
        + "x" * 32 + "/" + "x" * 36,
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = (f"https://contoso.webhook.office.com/webhookb2/{_uuid(rng)}@{_uuid(rng)}/IncomingWebhook/"
                  f"{pick(rng, _LOWER_DIGITS, 32)}/{_uuid(rng)}")
        return f'TEAMS_WEBHOOK = "{secret}"', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC134", "azure-ad-client-secret", Severity.CRITICAL, "Azure AD client secret",
        vendor="Microsoft Entra ID",
        page="https://portal.azure.com (App registrations > Certificates & secrets)",
        example="AZURE_CLIENT_SECRET=Xy81Q~…",
        shape="3 characters, a digit, `Q~`, then 31-34 characters (40 in all)",
    ),
    KeySpec(
        "SEC135", "alibaba-access-key", Severity.HIGH, "Alibaba Cloud AccessKey",
        vendor="Alibaba Cloud",
        page="https://ram.console.aliyun.com/manage/ak",
        example='access_key_id = "LTAI5t…"',
        shape="`LTAI` + 12-20 letters and digits",
    ),
    KeySpec(
        "SEC136", "aws-appsync-api-key", Severity.INFO, "AWS AppSync API key (shipped to clients by design)",
        vendor="AWS AppSync",
        page="https://console.aws.amazon.com/appsync (Settings > API keys)",
        example='"aws_appsync_apiKey": "da2-…"',
        shape="`da2-` + 26 lower-case letters and digits",
    ),
    KeySpec(
        "SEC137", "amazon-mws-auth-token", Severity.HIGH, "Amazon MWS auth token",
        vendor="Amazon Seller Central",
        page="https://sellercentral.amazon.com (Apps and Services > Manage Your Apps)",
        example="MWS_AUTH_TOKEN=amzn.mws.…",
        shape="`amzn.mws.` + a UUID",
    ),
    KeySpec(
        "SEC138", "braintree-access-token", Severity.CRITICAL, "Braintree access token",
        vendor="PayPal Braintree",
        page="https://www.braintreegateway.com (Settings > API)",
        example="BRAINTREE_TOKEN=access_token$production$…",
        shape="`access_token$production$` + 16 + `$` + 32 lower-case letters and digits",
    ),
    KeySpec(
        "SEC139", "mailgun-api-key", Severity.HIGH, "Mailgun API key",
        vendor="Mailgun",
        page="https://app.mailgun.com/settings/api_security",
        example='MAILGUN_API_KEY = "key-3ax6…"',
        shape="`key-` + 32 hex digits",
    ),
    KeySpec(
        "SEC140", "kolide-api-key", Severity.HIGH, "Kolide API key",
        vendor="Kolide",
        page="https://app.kolide.com/settings/admin/api",
        example="KOLIDE_API_KEY=k2sk_v1_…",
        shape="`k2sk_v1_` + 24 or more letters and digits",
    ),
    KeySpec(
        "SEC141", "teams-webhook-url", Severity.MEDIUM, "Microsoft Teams incoming-webhook URL",
        vendor="Microsoft Teams",
        page="the channel's Connectors / Workflows settings",
        example="TEAMS_WEBHOOK=https://contoso.webhook.office.com/webhookb2/…",
        shape="`https://….webhook.office.com/webhookb2/…@…/IncomingWebhook/…/…`",
    ),
)
