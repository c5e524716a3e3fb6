"""Rate-limit knowledge for LR601 in one place: limiter libraries (Python and JS/TS), the names and texts that
apply one, and the model vendors a finding message names.

Sources: slowapi (``Limiter``, ``@limiter.limit``, ``default_limits`` + ``SlowAPIMiddleware``), Flask-Limiter
(``Limiter(default_limits=...)``, ``@limiter.limit``, ``@limiter.exempt``, ``RATELIMIT_DEFAULT``),
django-ratelimit (``@ratelimit``, ``is_ratelimited``), DRF throttling (``throttle_classes``,
``DEFAULT_THROTTLE_CLASSES``), fastapi-limiter (``Depends(RateLimiter(...))``), express-rate-limit,
express-slow-down, rate-limiter-flexible (``new RateLimiterMemory(...).consume``), @upstash/ratelimit
(``new Ratelimit(...).limit``), hono-rate-limiter, @nestjs/throttler (``ThrottlerGuard``, ``@Throttle``).
"""

from __future__ import annotations

import re

#: Python modules of limiter libraries -> the name a message uses.
PY_LIMITER_MODULES = {
    "slowapi": "slowapi", "flask_limiter": "Flask-Limiter", "django_ratelimit": "django-ratelimit",
    "ratelimit.decorators": "django-ratelimit", "fastapi_limiter": "fastapi-limiter",
    "rest_framework.throttling": "DRF throttling", "limits": "limits", "starlette_limiter": "starlette-limiter",
    "ratelimiter": "ratelimiter", "fastapi_limiter.depends": "fastapi-limiter", "aiolimiter": "aiolimiter",
}
#: ``import``/``from`` lines that set up a Python limiter (text test, any module of the project).
PY_LIMITER_IMPORT = re.compile(
    r"^\s*(?:from|import)\s+(slowapi|flask_limiter|django_ratelimit|ratelimit\.decorators|fastapi_limiter|"
    r"rest_framework\.throttling|limits|starlette_limiter|ratelimiter|aiolimiter)\b", re.M)
#: An identifier that names a rate limiter, a throttle or a quota check (decorators, dependencies, calls,
#: middleware classes): ``limiter``, ``rate_limit``, ``RateLimiter``, ``UserRateThrottle``, ``check_quota``.
LIMITER_NAME = re.compile(r"(?i)rate_?limit|ratelimit|limiter|throttl|quota|slow_?down|\bbrute")
#: Identifiers that name an error about a limit, usually the model vendor's (``openai.RateLimitError``):
#: handling one is not limiting callers.
LIMIT_ERROR = re.compile(r"(?i)(?:Error|Exception)$")
#: Flask-Limiter / slowapi decorators that opt a route out of the default limits.
EXEMPT = re.compile(r"\.exempt\b")
#: A handler that answers 429 itself (a hand-written counter).
PY_429 = re.compile(r"status_code\s*=\s*429|HTTP_429|abort\(\s*429|,\s*429\s*\)?\s*$|status\s*=\s*429|"
                    r"TooManyRequests|Throttled\(", re.M)
#: Django ``MIDDLEWARE`` entries that only handle django-ratelimit's exception (they limit nothing).
DJANGO_NON_LIMITING = ("django_ratelimit.middleware.RatelimitMiddleware", "ratelimit.middleware.RatelimitMiddleware")

#: JS/TS packages of limiter libraries -> the name a message uses.
JS_LIMITER_PACKAGES = {
    "express-rate-limit": "express-rate-limit", "express-slow-down": "express-slow-down",
    "rate-limiter-flexible": "rate-limiter-flexible", "@upstash/ratelimit": "@upstash/ratelimit",
    "express-brute": "express-brute", "express-limiter": "express-limiter", "hono-rate-limiter":
    "hono-rate-limiter", "@nestjs/throttler": "@nestjs/throttler", "next-rate-limit": "next-rate-limit",
    "@fastify/rate-limit": "@fastify/rate-limit", "limiter": "limiter", "bottleneck": "bottleneck",
}
#: A JS/TS identifier that names a limiter or a limit check (``apiLimiter``, ``rateLimit``, ``ratelimit.limit``,
#: ``checkRateLimit``, ``ThrottlerGuard``, ``speedLimiter``, ``slowDown``).
JS_LIMITER_NAME = re.compile(r"(?i)[\w$]*(?:rate_?limit|ratelimit|limiter|throttl|quota|slow_?down|brute)[\w$]*")
#: JS/TS text that enforces a limit by itself: a 429 answer, a KV/redis counter with a limit word, an error
#: code such as Vercel's ``new ChatSDKError("rate_limit:chat")``. The engines read it (and ``PY_429``) outside
#: ``catch`` / ``except`` blocks: a 429 there relays the model vendor's quota error.
JS_ENFORCES = re.compile(
    r"status\s*[:(]\s*429\b|\.status\(\s*429\b|new\s+\w*Error\(\s*[\"'`]rate[_:-]?limit|TOO_MANY_REQUESTS|"
    r"\b(?:kv|redis|upstash)\.incr\w*\(\s*[`\"'][^`\"']*(?:rate|limit|quota|count)"
)

#: Python model modules -> vendor names for messages (first match wins: longer names first).
PY_VENDORS = (
    ("langchain_openai", "OpenAI (LangChain)"), ("langchain_anthropic", "Anthropic (LangChain)"),
    ("langchain_google_genai", "Google Gemini (LangChain)"), ("langchain", "LangChain"), ("langgraph", "LangGraph"),
    ("agents.Runner", "the OpenAI Agents SDK"),
    ("openai", "OpenAI"), ("anthropic", "Anthropic"), ("google.generativeai", "Google Gemini"),
    ("google.genai", "Google Gemini"), ("vertexai", "Vertex AI"), ("litellm", "LiteLLM"),
    ("llama_index", "LlamaIndex"), ("cohere", "Cohere"), ("mistralai", "Mistral"), ("groq", "Groq"),
    ("together", "Together AI"), ("replicate", "Replicate"), ("ollama", "Ollama"),
    ("huggingface_hub", "Hugging Face"), ("instructor", "instructor"), ("dspy", "DSPy"),
    ("boto3", "Amazon Bedrock"),
)
#: Modules under a model SDK whose calls build messages, prompts or documents and call no model.
PY_NOT_MODEL_CALLS = (
    "langchain_core.messages", "langchain.schema", "langchain_core.prompts", "langchain.prompts",
    "langchain_core.output_parsers", "langchain.output_parsers", "langchain.text_splitter",
    "langchain_text_splitters", "langchain_core.documents", "langchain.docstore", "openai.types",
    "anthropic.types", "langchain_core.tools", "langchain_core.utils", "llama_index.core.schema",
    "llama_index.core.llms.ChatMessage", "llama_index.core.base.llms.types",
    "langchain_community.document_loaders", "langchain.document_loaders", "llama_index.core.SimpleDirectoryReader",
)
#: Methods of LangChain / LlamaIndex objects that run the model (``self.llm.invoke``, ``chain.ainvoke``,
#: ``query_engine.query``): with a model word in the receiver they call a model although its type is out of sight.
LLM_METHODS = frozenset({"invoke", "ainvoke", "stream", "astream", "batch", "abatch", "predict", "apredict",
                         "generate", "agenerate", "run", "arun", "chat", "achat", "complete", "acomplete",
                         "query", "aquery", "stream_chat", "astream_chat", "call", "acall"})
#: SDK methods that run a paid model besides ``MODEL_CALL_SUFFIXES`` (images, speech, transcription).
MODEL_METHODS_EXTRA = ("images.generate", "images.edit", "images.create_variation", "audio.speech.create",
                       "audio.transcriptions.create", "audio.translations.create", "chat.completions.stream")
#: Model API hosts -> vendor names.
HOST_VENDORS = (
    ("api.openai.com", "OpenAI"), ("openai.azure.com", "Azure OpenAI"), ("api.anthropic.com", "Anthropic"),
    ("generativelanguage.googleapis.com", "Google Gemini"), ("aiplatform.googleapis.com", "Vertex AI"),
    ("api.groq.com", "Groq"), ("openrouter.ai", "OpenRouter"), ("api.mistral.ai", "Mistral"),
    ("api.cohere", "Cohere"), ("api.together", "Together AI"), ("api-inference.huggingface.co", "Hugging Face"),
    ("api.replicate.com", "Replicate"), ("api.perplexity.ai", "Perplexity"), ("api.x.ai", "xAI"),
    ("api.deepseek.com", "DeepSeek"), ("bedrock-runtime", "Amazon Bedrock"),
)
#: JS/TS packages -> vendor names (the Vercel AI SDK provider packages name the vendor).
JS_VENDORS = (
    ("@ai-sdk/openai", "OpenAI"), ("@ai-sdk/anthropic", "Anthropic"), ("@ai-sdk/google", "Google Gemini"),
    ("@ai-sdk/groq", "Groq"), ("@ai-sdk/mistral", "Mistral"), ("@ai-sdk/azure", "Azure OpenAI"),
    ("@ai-sdk/xai", "xAI"), ("@ai-sdk/deepseek", "DeepSeek"), ("@openrouter/ai-sdk-provider", "OpenRouter"),
    ("@anthropic-ai/sdk", "Anthropic"), ("@google/generative-ai", "Google Gemini"), ("@google/genai", "Google Gemini"),
    ("groq-sdk", "Groq"), ("@mistralai/mistralai", "Mistral"), ("cohere-ai", "Cohere"), ("replicate", "Replicate"),
    ("@langchain/openai", "OpenAI (LangChain)"), ("@langchain/anthropic", "Anthropic (LangChain)"),
    ("@langchain/", "LangChain"), ("langchain", "LangChain"), ("llamaindex", "LlamaIndex"), ("openai", "OpenAI"),
    ("openai-edge", "OpenAI"), ("together-ai", "Together AI"), ("ollama", "Ollama"),
    ("@huggingface/inference", "Hugging Face"), ("gemini-ai", "Google Gemini"), ("chatgpt", "OpenAI"),
    ("ai", "the Vercel AI SDK"),
)


def py_vendor(qualified: str) -> str | None:
    """The vendor of a qualified Python call name (``openai.OpenAI().chat.completions.create`` -> OpenAI)."""
    for module, vendor in PY_VENDORS:
        if qualified == module or qualified.startswith((module + ".", module + "(")):
            return vendor
    return None


def host_vendor(text: str) -> str | None:
    """The vendor whose model API host ``text`` mentions."""
    return next((vendor for host, vendor in HOST_VENDORS if host in text), None)


def js_vendor(specs: list[str]) -> str | None:
    """The vendor named by the first of ``specs`` (import specifiers, in file order) that is a model package."""
    for spec in specs:
        for package, vendor in JS_VENDORS:
            matches = spec == package or spec.startswith(package if package.endswith("/") else package + "/")
            if matches and vendor != "the Vercel AI SDK":
                return vendor
    return "the Vercel AI SDK" if "ai" in specs else None


def set_up(libraries: list[str]) -> str:
    """``slowapi is set up but not applied to this route`` for one to three limiter libraries (more: the first
    three and a count)."""
    names = libraries[:3] + ([f"{len(libraries) - 3} more"] if len(libraries) > 3 else [])
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{listed} {'is' if len(names) == 1 else 'are'} set up but not applied to this route"
