"""Our vendor detectors, one small module per vendor or vendor group; ``ALL`` lists them in priority order."""

from __future__ import annotations

from scanner.keys.detectors.anthropic import AnthropicAdminKeyDetector, AnthropicKeyDetector
from scanner.keys.detectors.auth_header import AuthorizationHeaderDetector
from scanner.keys.detectors.aws import AwsAccessKeyIdDetector, AwsSecretKeyDetector
from scanner.keys.detectors.base import PUBLIC, Detector, Hit
from scanner.keys.detectors.cloud_vendors import (
    AlibabaAccessKeyDetector,
    AmazonMwsTokenDetector,
    AppSyncKeyDetector,
    AzureClientSecretDetector,
    BraintreeTokenDetector,
    KolideKeyDetector,
    MailgunKeyDetector,
    TeamsWebhookDetector,
)
from scanner.keys.detectors.code_password import CliPasswordDetector, CodePasswordDetector
from scanner.keys.detectors.email import ResendKeyDetector, SendGridKeyDetector
from scanner.keys.detectors.github import GitHubTokenDetector
from scanner.keys.detectors.google import GoogleApiKeyDetector
from scanner.keys.detectors.huggingface import HuggingFaceTokenDetector
from scanner.keys.detectors.inference import (
    GroqKeyDetector,
    OpenRouterKeyDetector,
    PerplexityKeyDetector,
    ReplicateTokenDetector,
    XaiKeyDetector,
)
from scanner.keys.detectors.keyword import KeywordTokenDetector
from scanner.keys.detectors.llm_tooling import LangSmithKeyDetector, PineconeKeyDetector
from scanner.keys.detectors.npm import NpmrcAuthDetector, NpmTokenDetector
from scanner.keys.detectors.openai import OpenAIAdminKeyDetector, OpenAIKeyDetector
from scanner.keys.detectors.private_key import PrivateKeyDetector
from scanner.keys.detectors.query_keys import QueryStringKeyDetector
from scanner.keys.detectors.slack import SlackTokenDetector, SlackWebhookDetector
from scanner.keys.detectors.stripe_clerk import (
    PublishableKeyDetector,
    StripeClerkSecretKeyDetector,
    StripeRestrictedKeyDetector,
    StripeWebhookSecretDetector,
)
from scanner.keys.detectors.supabase import (
    SupabaseAccessTokenDetector,
    SupabaseJwtDetector,
    SupabaseSecretKeyDetector,
)
from scanner.keys.detectors.twilio import TwilioDetector
from scanner.keys.detectors.urls import UrlPasswordDetector

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
