"""Our vendor detectors, one small module per vendor or vendor group; ``ALL`` lists them in priority order."""

from __future__ import annotations

from scanner.engines.secrets.detectors.anthropic import AnthropicAdminKeyDetector, AnthropicKeyDetector
from scanner.engines.secrets.detectors.auth_header import AuthorizationHeaderDetector
from scanner.engines.secrets.detectors.aws import AwsAccessKeyIdDetector, AwsSecretKeyDetector
from scanner.engines.secrets.detectors.base import PUBLIC, Detector, Hit
from scanner.engines.secrets.detectors.cloud_vendors import (
    AlibabaAccessKeyDetector,
    AmazonMwsTokenDetector,
    AppSyncKeyDetector,
    AzureClientSecretDetector,
    BraintreeTokenDetector,
    KolideKeyDetector,
    MailgunKeyDetector,
    TeamsWebhookDetector,
)
from scanner.engines.secrets.detectors.code_password import CliPasswordDetector, CodePasswordDetector
from scanner.engines.secrets.detectors.email import ResendKeyDetector, SendGridKeyDetector
from scanner.engines.secrets.detectors.github import GitHubTokenDetector
from scanner.engines.secrets.detectors.google import GoogleApiKeyDetector
from scanner.engines.secrets.detectors.huggingface import HuggingFaceTokenDetector
from scanner.engines.secrets.detectors.inference import (
    GroqKeyDetector,
    OpenRouterKeyDetector,
    PerplexityKeyDetector,
    ReplicateTokenDetector,
    XaiKeyDetector,
)
from scanner.engines.secrets.detectors.keyword import KeywordTokenDetector
from scanner.engines.secrets.detectors.llm_tooling import LangSmithKeyDetector, PineconeKeyDetector
from scanner.engines.secrets.detectors.npm import NpmrcAuthDetector, NpmTokenDetector
from scanner.engines.secrets.detectors.openai import OpenAIAdminKeyDetector, OpenAIKeyDetector
from scanner.engines.secrets.detectors.private_key import PrivateKeyDetector
from scanner.engines.secrets.detectors.query_keys import QueryStringKeyDetector
from scanner.engines.secrets.detectors.slack import SlackTokenDetector, SlackWebhookDetector
from scanner.engines.secrets.detectors.stripe_clerk import (
    PublishableKeyDetector,
    StripeClerkSecretKeyDetector,
    StripeRestrictedKeyDetector,
    StripeWebhookSecretDetector,
)
from scanner.engines.secrets.detectors.supabase import (
    SupabaseAccessTokenDetector,
    SupabaseJwtDetector,
    SupabaseSecretKeyDetector,
)
from scanner.engines.secrets.detectors.twilio import TwilioDetector
from scanner.engines.secrets.detectors.urls import UrlPasswordDetector

#: Every vendor detector. When two hits overlap, the lower ``priority`` wins, then the earlier in this list.
PRIVATE_KEY = PrivateKeyDetector()
ALL: tuple[Detector, ...] = (
    PRIVATE_KEY,
    SlackWebhookDetector(),
    TeamsWebhookDetector(),
    OpenRouterKeyDetector(),
    OpenAIAdminKeyDetector(),
    OpenAIKeyDetector(),
    AnthropicAdminKeyDetector(),
    AnthropicKeyDetector(),
    GoogleApiKeyDetector(),
    HuggingFaceTokenDetector(),
    GroqKeyDetector(),
    ReplicateTokenDetector(),
    PerplexityKeyDetector(),
    XaiKeyDetector(),
    PineconeKeyDetector(),
    LangSmithKeyDetector(),
    StripeClerkSecretKeyDetector(),
    StripeRestrictedKeyDetector(),
    StripeWebhookSecretDetector(),
    PublishableKeyDetector(),
    SupabaseJwtDetector(),
    SupabaseSecretKeyDetector(),
    SupabaseAccessTokenDetector(),
    ResendKeyDetector(),
    SendGridKeyDetector(),
    TwilioDetector(),
    AwsAccessKeyIdDetector(),
    AwsSecretKeyDetector(),
    GitHubTokenDetector(),
    SlackTokenDetector(),
    NpmTokenDetector(),
    NpmrcAuthDetector(),
    AzureClientSecretDetector(),
    AlibabaAccessKeyDetector(),
    AppSyncKeyDetector(),
    AmazonMwsTokenDetector(),
    BraintreeTokenDetector(),
    MailgunKeyDetector(),
    KolideKeyDetector(),
    UrlPasswordDetector(),
    QueryStringKeyDetector(),
    AuthorizationHeaderDetector(),
    KeywordTokenDetector(),
    CodePasswordDetector(),
    CliPasswordDetector(),
)

__all__ = ["ALL", "PRIVATE_KEY", "PUBLIC", "Detector", "Hit"]
