"""LLM app tooling: Pinecone (vector database) and LangSmith (tracing) API keys."""

from __future__ import annotations

from scanner.keys.detectors.base import Detector, keyed


class PineconeKeyDetector(Detector):
    """Pinecone API key (SEC112). Format (https://docs.pinecone.io/guides/projects/manage-api-keys): ``pcsk_``
    + a short id + ``_`` + a long ``[A-Za-z0-9]`` secret, about 70 characters after the prefix."""

    rule_id = "SEC112"
    secret_type = "Pinecone API Key"
    keywords = ("pcsk_",)
    denylist = (keyed("pcsk_", r"[A-Za-z0-9]{4,10}_[A-Za-z0-9]{40,90}"),)


class LangSmithKeyDetector(Detector):
    """LangSmith API key (SEC113). Format (https://docs.smith.langchain.com/administration/how_to_guides/
    organization_management/create_account_api_key): ``lsv2_pt_`` (personal) or ``lsv2_sk_`` (service)
    + 32 hex + ``_`` + 10 hex."""

    rule_id = "SEC113"
    secret_type = "LangSmith API Key"
    keywords = ("lsv2_",)
    denylist = (keyed(r"lsv2_(?:pt|sk)_", r"[0-9a-f]{32}_[0-9a-f]{10}"),)
