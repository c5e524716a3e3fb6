"""LLM app tooling: Pinecone (vector database) and LangSmith (tracing) API keys."""

from __future__ import annotations

import random
from typing import ClassVar

from scanner.keys.detectors.base import ALNUM, HEX, Detector, keyed, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity


class PineconeKeyDetector(Detector):
    """Pinecone API key (SEC112). Format (https://docs.pinecone.io/guides/projects/manage-api-keys): ``pcsk_``
    + a short id + ``_`` + a long ``[A-Za-z0-9]`` secret, about 70 characters after the prefix."""

    rule_id = "SEC112"
    secret_type = "Pinecone API Key"
    keywords = ("pcsk_",)
    denylist = (keyed("pcsk_", r"[A-Za-z0-9]{4,10}_[A-Za-z0-9]{40,90}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'PINECONE_API_KEY=pcsk_...',
        'key = "pcsk_abc_def"',
        'PINECONE_API_KEY=${PINECONE_API_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "pcsk_" + pick(rng, ALNUM, 6) + "_" + pick(rng, ALNUM, 63)
        return f"PINECONE_API_KEY={secret}", secret


class LangSmithKeyDetector(Detector):
    """LangSmith API key (SEC113). Format (https://docs.smith.langchain.com/administration/how_to_guides/
    organization_management/create_account_api_key): ``lsv2_pt_`` (personal) or ``lsv2_sk_`` (service)
    + 32 hex + ``_`` + 10 hex."""

    rule_id = "SEC113"
    secret_type = "LangSmith API Key"
    keywords = ("lsv2_",)
    denylist = (keyed(r"lsv2_(?:pt|sk)_", r"[0-9a-f]{32}_[0-9a-f]{10}"),)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'LANGCHAIN_API_KEY=lsv2_pt_...',
        'key = "lsv2_pt_abc_def"',
        'LANGSMITH_API_KEY=${LANGSMITH_API_KEY}',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "lsv2_pt_" + pick(rng, HEX, 32) + "_" + pick(rng, HEX, 10)
        return f"LANGCHAIN_API_KEY={secret}", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC112", "pinecone-api-key", Severity.HIGH, "Pinecone API key",
        vendor="Pinecone",
        page="https://app.pinecone.io",
        example="PINECONE_API_KEY=pcsk_…",
        shape="`pcsk_` + id + `_` + secret",
    ),
    KeySpec(
        "SEC113", "langsmith-api-key", Severity.HIGH, "LangSmith API key",
        vendor="LangChain (LangSmith)",
        page="https://smith.langchain.com/settings",
        example="LANGCHAIN_API_KEY=lsv2_pt_…",
        shape="`lsv2_pt_` / `lsv2_sk_` + 32 hex + `_` + 10 hex",
    ),
)
