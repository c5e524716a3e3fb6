"""Which model a handler invokes, for LR601's message and its stricter evidence.

The route facts (``calls.BodyFacts.calls_model``) count any call into a model SDK, client constructors and
helpers named like model code included; a rate-limit finding needs a call that runs the model: an SDK
function or method (``openai.chat.completions.create``, ``litellm.completion``), a model API over HTTP, a
model-running method on a model-named receiver (``self.llm.invoke``), or a project helper whose own code does
one of these (followed six levels). Constructors (``ChatOpenAI(...)``, ``OpenAIEmbedding(...)``) and
message/prompt builders (``langchain_core.messages``) run no model.
"""

from __future__ import annotations

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.calls import (
    LISTING_CALLS,
    callable_definition,
    context_of,
    global_models,
    hands_model,
    is_model_call,
    model_assigned,
    qualified_call,
    run_target,
)
from scanner.engines.python.local_models import alternate_constructor, is_model_object, local_models, pipeline_model
from scanner.engines.python.model_http import call_strings, model_http_call
from scanner.engines.python.names import dotted, in_modules, walk
from scanner.engines.python.project import absolute
from scanner.engines.python.signals import saved_model_vendor
from scanner.knowledge import (
    HTTP_CLIENT_MODULES,
    LOCAL_MODEL_HOSTS,
    MODEL_CALL_SUFFIXES,
    MODEL_HINT_WORDS,
    model_engine,
    words,
)
from scanner.knowledge.ratelimit import (
    LLM_METHODS,
    MODEL_METHODS_EXTRA,
    PY_NOT_MODEL_CALLS,
    PY_VENDORS,
    host_vendor,
    py_vendor,
)

#: Methods of an HTTP client that send a request (``client.post`` on an ``httpx.AsyncClient`` out of sight).
_HTTP_VERBS = frozenset({"post", "get", "request", "stream"})
#: How many helper levels are followed (a chat route's title helper calls a wrapper that calls the SDK).
MAX_DEPTH = 6


def model_vendor(ctx: FileContext, node: cst.CSTNode, depth: int = 0,
                 local: dict[str, str] | None = None) -> str | None:
    """Who the model calls of ``node`` go to, best named first: a vendor (``OpenAI``), ``a model API
    (chat.completions.create)`` for an SDK method on an object out of sight, ``a model through helper()`` (or
    ``OpenAI through helper()``) for a project helper that invokes one; None when nothing in ``node`` is seen
    running a model. ``local``: the model objects of the enclosing handler (``calls.local_models``) when
    ``node`` is one statement of it."""
    key = f"lr601-vendor:{id(node)}:{depth}:{id(local) if local else ''}"
    if key not in ctx.memo:
        ctx.memo[key] = None  # set first: a helper that reaches itself ends here
        ctx.memo[key] = _vendor(ctx, node, depth, local)
    found = ctx.memo[key]
    return found if isinstance(found, str) else None


def _vendor(ctx: FileContext, node: cst.CSTNode, depth: int, local: dict[str, str] | None = None) -> str | None:
    if isinstance(node, cst.ClassDef) and local is None:
        # a class-based view: each handler method with its own model objects (``groq_service = GroqService()``
        # then ``groq_service.multimodal_chat(...)`` in ``post``)
        for method in node.body.body:
            if isinstance(method, cst.FunctionDef):
                found = model_vendor(ctx, method, depth)
                if found is not None:
                    return found
    local = local or local_models(ctx, node)
    for call in walk(node):  # a LangChain pipeline run (``(prompt | llm).invoke({})``): its model's vendor
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and \
                isinstance(call.func.value, cst.BinaryOperation) and is_model_call(ctx, call, local):
            model = pipeline_model(ctx, call.func.value, local)
            return py_vendor(_plain(model)) or f"a model through {model.replace('()', '').rsplit('.', 1)[-1]}"
    every = [n for n in walk(node) if isinstance(n, cst.Call)]
    found = _vendor_of_calls(ctx, every, depth, local)
    if found is not None:
        return found
    for call in walk(node):  # a model object handed to a helper that runs it (``generate_with_retry(chain, x)``)
        if isinstance(call, cst.Call) and hands_model(ctx, call, local):
            handed = next(local[a.value.value] for a in call.args
                          if isinstance(a.value, cst.Name) and is_model_object(local.get(a.value.value, "")))
            callee = (dotted(call.func) or "a helper").rsplit(".", 1)[-1]
            return f"{py_vendor(_plain(handed)) or 'a model'} through {callee}()"
    # then the calls handed to a runner (``executor.submit(partial(helper, q))``)
    ran = [t for c in every if (t := run_target(ctx, c)) is not None]
    found = _vendor_of_calls(ctx, ran, depth, local, generic=False) if ran else None
    # last, a saved row whose Django save signal runs a model
    return found if found is not None or depth > 0 else saved_model_vendor(ctx, node)


def _vendor_of_calls(ctx: FileContext, every: list[cst.Call], depth: int, local: dict[str, str],
                     generic: bool = True) -> str | None:
    """The vendor the first of ``every`` that runs a model names (see :func:`model_vendor`), or None;
    ``generic``: also a model-running method on an object of unknown vendor (``chain.invoke``)."""
    for call in every:  # ``connections.chat_engines[sid].stream_chat(q)``: a LlamaIndex engine out of sight
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in LLM_METHODS and \
                model_engine(ctx.code_of(call.func.value)):
            return f"a model through {call.func.attr.value}() of a LlamaIndex engine"
    calls = [(call, _plain(name)) for call in every
             if (name := qualified_call(ctx, call, local)) and not in_modules(name, PY_NOT_MODEL_CALLS)
             and not (_constructor(name) and not _project_function(ctx, name))
             and not _plain(name).endswith(LISTING_CALLS)
             and (_sdk_method(name) or is_model_call(ctx, call, local))]
    for call, name in calls:
        vendor = py_vendor(name) or next((v for text in call_strings(ctx, call) if (v := host_vendor(text))), None)
        if vendor:
            return vendor
    for call, plain in calls:
        receiver = plain.rpartition(".")[0]
        if plain in global_models(ctx) or (receiver and receiver in global_models(ctx)):
            return f"a model through {plain}()"  # ``qa_chain({...})``: a chain another view stored in a global
        assigned = model_assigned(ctx, receiver) if receiver else None
        if assigned is not None:  # ``from .ml import ML_MODEL`` (``replicate.Client(...)``) then ``ML_MODEL.run``
            return py_vendor(_plain(assigned)) or f"a model through {plain.rsplit('.', 1)[-1]}()"
        suffix = _sdk_method(plain)
        if suffix:
            vendor = next((v for m, v in PY_VENDORS if "." not in m and m in plain.lower()), None)
            return vendor or _module_vendor(ctx) or f"a model API ({suffix})"
        if generic and _llm_method(plain):
            return f"a model through {plain.rsplit('.', 1)[-1]}()"
        if (in_modules(plain, HTTP_CLIENT_MODULES) or plain.rsplit(".", 1)[-1] in _HTTP_VERBS) and \
                model_http_call(ctx, call):
            return _server_vendor(ctx, call)
    for call, _name in calls:
        inner = _helper_vendor(ctx, qualified_call(ctx, call, local), depth)  # ``Bot().ask``: the class's method
        if inner is not None:
            return inner
    return None


def _server_vendor(ctx: FileContext, call: cst.Call) -> str:
    """``Ollama`` for an HTTP call to Ollama's address or to a URL named for it, else a model server."""
    code = ctx.code_of(call).lower()
    local = any(host in text for text in call_strings(ctx, call) for host in LOCAL_MODEL_HOSTS)
    return "Ollama" if local or "ollama" in code else "a model server over HTTP"


def _module_vendor(ctx: FileContext) -> str | None:
    """The vendor of the one model SDK the module imports (``self.model.generate_content`` in a module that
    imports only ``google.generativeai`` is a Gemini call); None when it imports none or several."""
    vendors = {v for target in ctx.imports.aliases.values() if (v := py_vendor(target))}
    return vendors.pop() if len(vendors) == 1 else None


def unseen_model_helper(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """The name of a model-named helper that ``node`` calls whose code is not in the repository
    (``from assistant.llm import ask`` with no ``assistant/llm.py``): its words are the only evidence left, so
    the auth rules still count it. None when every such helper's code is found (then its code decides)."""
    for call in walk(node):
        if not isinstance(call, cst.Call):
            continue
        name = qualified_call(ctx, call)
        if not name or "(" in name or _constructor(name) or in_modules(name, PY_NOT_MODEL_CALLS):
            continue
        owner = absolute(name, ctx.path).rpartition(".")[0]
        if "." not in name or ctx.project.find_module(owner) is not None:
            continue
        if ctx.project.definition(name, ctx.path) is None and is_model_call(ctx, call):
            return name
    return None


def _plain(name: str) -> str:
    """A call name without ``()`` and the raw-response wrappers (``client.chat.completions.with_raw_response
    .create`` is ``client.chat.completions.create``)."""
    return name.replace("()", "").replace(".with_raw_response", "").replace(".with_streaming_response", "")


def _sdk_method(name: str) -> str | None:
    """The model SDK method suffix ``name`` ends with (``chat.completions.create``), if any."""
    plain = _plain(name)
    return next((s for s in (*MODEL_CALL_SUFFIXES, *MODEL_METHODS_EXTRA) if plain.endswith(s)), None)


def _project_function(ctx: FileContext, name: str) -> bool:
    """True when a capitalised call name is a project *function* (``def Request(messages)``), not a class."""
    found = callable_definition(ctx, name) if "(" not in name else None
    return found is not None and isinstance(found[1], cst.FunctionDef)


def _constructor(name: str) -> bool:
    """``ChatOpenAI(...)``, ``openai.OpenAI(...)``, ``ConversationalRetrievalChain.from_llm(...)``: building a
    client, a model object or a chain from one runs nothing (set 27 RAG_Chatbot_Django)."""
    if alternate_constructor(name) and "(" not in name.rsplit(".", 2)[-2]:
        return True  # ``RetrievalQA.from_chain_type(...)``, not a method of a built object (``Bar().from_x``)
    last = name.rsplit(".", 1)[-1]
    return bool(last) and last[0].isupper() and "(" not in last


def _llm_method(name: str) -> bool:
    """``self.llm.invoke`` / ``qa_chain.ainvoke``: a model-running method on a receiver named for a model."""
    *receiver, last = name.split(".")
    return last in LLM_METHODS and any(set(words(r)) & MODEL_HINT_WORDS or model_engine(r) for r in receiver)


def _helper_vendor(ctx: FileContext, helper: str, depth: int) -> str | None:
    """``<vendor> through helper()`` when the helper (in this module or a project module) invokes a model."""
    if depth >= MAX_DEPTH:
        return None
    if "." not in helper:
        local = ctx.project.local_definition(ctx.module, helper)
        found = (ctx.path, local) if local is not None else None
    else:
        found = callable_definition(ctx, helper)
    module = ctx.project.module(found[0]) if found is not None else None
    if found is None or module is None:
        return None
    other = ctx if found[0] == ctx.path else context_of(ctx, found[0], module)
    inner = model_vendor(other, found[1], depth + 1)
    if inner is None:
        return None
    prefix = "a model" if inner.startswith("a model") else inner.split(" through ")[0]
    return f"{prefix} through {helper.rsplit('.', 1)[-1]}()"
