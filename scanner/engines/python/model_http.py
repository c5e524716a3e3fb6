"""Model APIs called over HTTP: an httpx/requests/aiohttp call whose URL names a model API host
(``knowledge.MODEL_HOSTS``), a self-hosted model server's address, or a variable named for one.

The URL is read from the call's literal or f-string arguments, from the module constants they name (also an
``os.getenv`` default), and from a local the file assigns once (``url = f"https://generativelanguage.googleapis.com
/v1beta/{model}:generateContent"`` then ``requests.post(url, ...)``).
"""

from __future__ import annotations

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.literals import assigned_value
from scanner.engines.python.names import dotted, string_value
from scanner.knowledge import LOCAL_MODEL_HOSTS, MODEL_HOSTS, MODEL_URL_WORDS, words

#: Paths of model APIs, whatever host serves them: the OpenAI-compatible ``/chat/completions`` (OpenAI, vLLM,
#: LM Studio, LiteLLM, OpenRouter, a self-hosted gateway under ``f"{self.base_url}/chat/completions"``),
#: Anthropic's ``/v1/messages``, Cloudflare Workers AI's ``/ai/run/@cf/...`` (Gemini's ``:generateContent`` is
#: judged by its host).
MODEL_API_PATHS = ("/chat/completions", "/v1/messages", "/ai/run/@")


def model_http_call(ctx: FileContext, call: cst.Call) -> bool:
    """True when an HTTP call goes to a model API: its URL mentions a model API host or a self-hosted model
    server's address (``http://localhost:11434/api/chat``), in a literal, an f-string or a module constant
    (also an ``os.getenv`` default), or is held by a variable named for one (``f"{OLLAMA_URL}/api/generate"``)."""
    hosts = (*MODEL_HOSTS, *LOCAL_MODEL_HOSTS, *MODEL_API_PATHS)
    if any(host in text for text in call_strings(ctx, call) for host in hosts):
        return True
    url = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "url"), None)
    if url is None:
        return False
    names = _url_names(url)
    if isinstance(url, cst.Name) and (assigned := assigned_value(ctx, url.value)) is not None:
        names += _url_names(assigned)  # ``url = OLLAMA_REMOTE_URL`` then ``requests.post(url, ...)`` (set 23)
    return any(set(words(n)) & MODEL_URL_WORDS for n in names)


def _url_names(expr: cst.BaseExpression) -> list[str]:
    """The last names of the variables a URL expression is built from: ``OLLAMA_URL`` for
    ``f"{OLLAMA_URL}/api/generate"``, ``ollama_host`` for ``self.ollama_host + "/api/chat"``."""
    if isinstance(expr, cst.FormattedString):
        return [n for p in expr.parts if isinstance(p, cst.FormattedStringExpression) for n in _url_names(p.expression)]
    if isinstance(expr, cst.BinaryOperation):
        return [*_url_names(expr.left), *_url_names(expr.right)]
    name = dotted(expr) if isinstance(expr, (cst.Name, cst.Attribute)) else None
    return [name.rsplit(".", 1)[-1]] if name else []


def call_strings(ctx: FileContext, call: cst.Call) -> list[str]:
    """The string arguments of a call (the literal parts of an f-string), a module-level constant named as an
    argument read from its assignment (``requests.post(GEMINI_URL, ...)``)."""
    out: list[str] = []
    for arg in call.args:
        out.extend(_strings(ctx, arg.value, 0))
    return out


def _strings(ctx: FileContext, expr: cst.BaseExpression, depth: int) -> list[str]:
    """The literal text of one argument: a string, the literal parts of an f-string and the values of the module
    constants it names, a module constant's value, or the string arguments of the call a constant is
    assigned from (``OLLAMA_URL = os.getenv("OLLAMA_URL", "http://localhost:11434")``)."""
    if isinstance(expr, cst.Name) and depth < 3:
        found = ctx.project.assignment(expr.value, ctx.path)  # else a local the file assigns once (``url = f"..."``)
        assigned = found[1] if found is not None else assigned_value(ctx, expr.value)
        if assigned is None:
            return []
        if isinstance(assigned, cst.Call):
            return [s for a in assigned.args if (s := string_value(a.value)) is not None]
        return _strings(ctx, assigned, depth + 1)
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and depth < 3:
        # a class constant of this module (``requests.post(GroqChat.API_URL, ...)``)
        cls = ctx.project.local_definition(ctx.module, expr.value.value)
        if isinstance(cls, cst.ClassDef):
            for stmt in cls.body.body:
                for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                    targets = [t.target.value for t in small.targets if isinstance(t.target, cst.Name)] \
                        if isinstance(small, cst.Assign) else []
                    if isinstance(small, cst.Assign) and expr.attr.value in targets:
                        return _strings(ctx, small.value, depth + 1)
        return []
    if isinstance(expr, cst.FormattedString):
        text = "".join(p.value for p in expr.parts if isinstance(p, cst.FormattedStringText))
        names = [p.expression for p in expr.parts if isinstance(p, cst.FormattedStringExpression)
                 and isinstance(p.expression, cst.Name)]
        return [text, *(s for n in names for s in _strings(ctx, n, depth + 1))]
    value = string_value(expr)
    return [value] if value is not None else []
