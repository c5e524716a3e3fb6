"""What the locals of a function hold: model objects it builds (``model = genai.GenerativeModel(...)``), instances
of project classes it builds or receives (``bot = Chatbot(key)``, a parameter ``uc: ChatUseCase =
Depends(get_chat_uc)``), and for a method the attributes its class's ``__init__`` types (``self.llm = llm`` with
``llm: OpenAIClient``). Calls on them are qualified by the class (``ChatUseCase().handle_message``), so the class's
code decides what they do.
"""

from __future__ import annotations

import copy
import re

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.names import ImportMap, dotted, in_modules, walk
from scanner.engines.python.project import absolute, module_of
from scanner.knowledge import MODEL_MODULES, MODEL_SESSION_FACTORIES


def local_models(ctx: FileContext, node: cst.CSTNode) -> dict[str, str]:
    """Model objects a function builds in its own body, by local name and qualified: ``model =
    genai.GenerativeModel(...)`` and ``chat = model.start_chat()`` make ``chat.send_message(text)`` a Gemini
    call; ``bot = Chatbot(key)`` (a class of the project) makes ``bot.ask(text)`` its method. Only
    constructors (of a model SDK or a project class) and a model SDK's chat-session factories
    (``MODEL_SESSION_FACTORIES``) are followed: the result of a call that runs the model is an answer, not a
    model. A parameter annotated with a project class (a FastAPI ``Depends``-injected use case or service) is
    one too. Memoised per function."""
    if not isinstance(node, cst.FunctionDef):
        return {}
    key = f"local-models:{id(node)}"
    cached = ctx.memo.get(key)
    if isinstance(cached, dict):
        return cached
    out = _local_imports(node)  # ``from ai_client import send_to_model`` inside the handler
    out.update(_typed_params(ctx, node))  # ``uc: ChatUseCase = Depends(get_chat_uc)``
    out.update(_typed_attributes(ctx, node))
    assigns = [(n.targets[0].target.value, n.value) for n in walk(node.body) if isinstance(n, cst.Assign)
               and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name) and isinstance(n.value, cst.Call)]
    for _round in range(3):  # a session built from a model built earlier (``walk`` is not in source order)
        for name, value in assigns:
            resolved = ctx.imports.qualify(value.func, out) or ""
            last = resolved.replace("()", "").rsplit(".", 1)[-1]
            if (in_modules(resolved, MODEL_MODULES) and (last[:1].isupper() or last in MODEL_SESSION_FACTORIES
                                                         or alternate_constructor(resolved))) \
                    or (last[:1].isupper() and "()" not in resolved and _project_class(ctx, resolved)):
                out[name] = f"{resolved}()"
            elif "()" not in resolved and not last[:1].isupper():
                made = _factory_class(ctx, resolved)  # ``handler = get_llm_handler("openai")``
                if made:
                    out[name] = made
    # a LangChain pipeline built from a model (``chain = prompt | llm | parser``): invoking it runs the model
    for n in walk(node.body):
        if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name):
            model = pipeline_model(ctx, n.value, out)
            if model:
                out.setdefault(n.targets[0].target.value, model)
    ctx.memo[key] = out
    return out


def _local_imports(node: cst.FunctionDef) -> dict[str, str]:
    """What the function's own import statements bind (``from ai_client import send_to_model`` in the handler
    body, to keep start-up light or dodge a circular import; set 25 AMA_HackTues11): the names its calls are
    qualified by, as a module-level import would."""
    imports = ImportMap()
    for stmt in walk(node.body):
        if isinstance(stmt, (cst.Import, cst.ImportFrom)):
            imports.learn(stmt)
    return dict(imports.aliases)


def pipeline_model(ctx: FileContext, expr: cst.BaseExpression, local: dict[str, str]) -> str:
    """For a LangChain Expression Language pipeline (``prompt | llm | StrOutputParser()``): the qualified model
    object among its stages (``langchain_openai.ChatOpenAI()``), or ``""`` when none is a model."""
    if not (isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr)):
        return ""
    for side in (expr.left, expr.right):
        if isinstance(side, cst.BinaryOperation):
            found = pipeline_model(ctx, side, local)
        elif isinstance(side, cst.Call):
            resolved = ctx.imports.qualify(side.func, local) or ""
            found = f"{resolved}()" if _model_class(resolved) else ""
        else:
            resolved = ctx.imports.qualify(side, local) or ""
            if not resolved.endswith("()") and isinstance(side, cst.Name):
                resolved = _module_models(ctx).get(side.value, "")  # a body analysed without its locals
            found = resolved if resolved.endswith("()") and _model_class(resolved[:-2]) else ""
        if found:
            return found
    return ""


#: A model class of a model SDK or LangChain integration (``ChatOpenAI``, ``ChatAnthropic``, ``OpenAI``,
#: ``GoogleGenerativeAI``, ``Ollama``), not a prompt template, parser or other pipeline stage.
_MODEL_CLASS = re.compile(r"^(?:Chat\w+|\w*(?:LLM|OpenAI|Anthropic|Gemini|GenerativeAI|Ollama|Groq|Mistral\w*|"
                          r"Bedrock\w*|Cohere|HuggingFace\w*|VertexAI|Together|Fireworks|DeepSeek|Agent)\w*|"
                          r"Assistant|Crew|Team)$")


def alternate_constructor(name: str) -> bool:
    """True for a class's ``from_*`` classmethod (``RetrievalQA.from_chain_type``,
    ``ConversationalRetrievalChain.from_llm``, ``PromptTemplate.from_template``): it builds an object, as the
    class's own constructor does, and runs nothing."""
    *head, last = name.replace("()", "").split(".")
    return bool(head) and head[-1][:1].isupper() and last.startswith("from_")


def is_model_object(value: str) -> bool:
    """True for a ``local_models`` value that is a model SDK object (``langchain_openai.ChatOpenAI()``), not an
    instance of a project class."""
    return value.endswith("()") and "()" not in value[:-2] and _model_class(value[:-2])


def _model_class(resolved: str) -> bool:
    last = resolved.rsplit(".", 1)[-1]
    return in_modules(resolved, MODEL_MODULES) and bool(_MODEL_CLASS.match(last)) and \
        not last.endswith(("Embeddings", "Parser", "Template", "Loader"))


def _module_models(ctx: FileContext) -> dict[str, str]:
    """Names the module assigns a model SDK object to anywhere (``chat_model = ChatOpenAI(...)``), qualified
    (``langchain_openai.ChatOpenAI()``); memoised per module."""
    cached = ctx.memo.get("module-models")
    if isinstance(cached, dict):
        return cached
    out: dict[str, str] = {}
    for n in walk(ctx.module):
        if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name) and \
                isinstance(n.value, cst.Call):
            resolved = ctx.imports.qualify(n.value.func) or ""
            if _model_class(resolved):
                out.setdefault(n.targets[0].target.value, f"{resolved}()")
    ctx.memo["module-models"] = out
    return out


def _typed_params(ctx: FileContext, func: cst.FunctionDef) -> dict[str, str]:
    """Parameters annotated with a project class (``Annotated``/``Optional`` unwrapped): name -> ``Class()``."""
    out: dict[str, str] = {}
    for param in (*func.params.params, *func.params.kwonly_params):
        annotation = param.annotation.annotation if param.annotation is not None else None
        while isinstance(annotation, cst.Subscript) and (dotted(annotation.value) or "").endswith(
                ("Annotated", "Optional")) and isinstance(annotation.slice[0].slice, cst.Index):
            annotation = annotation.slice[0].slice.value
        resolved = (ctx.imports.qualify(annotation) or "") if annotation is not None else ""
        if resolved.rsplit(".", 1)[-1][:1].isupper() and _project_class(ctx, resolved):
            out[param.name.value] = f"{resolved}()"
    return out


def _typed_attributes(ctx: FileContext, method: cst.FunctionDef) -> dict[str, str]:
    """For a method: the attributes its class's ``__init__`` sets from a parameter annotated with a project class
    (``def __init__(self, llm: OpenAIClient): self.llm = llm``, ``self.llm`` -> ``OpenAIClient()``) or to a model
    SDK client or project class it constructs (``self.client = cohere.Client(key)``, ``self.client`` ->
    ``cohere.Client()``)."""
    cls = next((c for c in index_of(ctx).classes if any(s is method for s in c.body.body)), None)
    out: dict[str, str] = {}
    if cls is not None and ctx.project.local_definition(ctx.module, cls.name.value) is cls:
        # ``self._call_api(...)``: the class's own method (``app.llm.Handler()._call_api``), whose code decides
        for s in cls.body.body:
            if isinstance(s, cst.FunctionDef) and s is not method and not s.name.value.startswith("__"):
                out[f"self.{s.name.value}"] = f"{module_of(ctx.path)}.{cls.name.value}().{s.name.value}"
    init = next((s for s in cls.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"),
                None) if cls is not None else None
    if init is None:
        return out
    params = _typed_params(ctx, init)
    for node in walk(init.body):
        if not isinstance(node, cst.Assign):
            continue
        if isinstance(node.value, cst.Name) and node.value.value in params:
            bound = params[node.value.value]
        elif isinstance(node.value, cst.Call):
            bound = _constructed(ctx, node.value)  # ``self.client = cohere.Client(key)``
        else:
            continue
        for target in node.targets:
            name = dotted(target.target) or ""
            if bound and name.startswith("self.") and name.count(".") == 1:
                out[name] = bound
    return out


def _constructed(ctx: FileContext, call: cst.Call) -> str:
    """``Class()`` for a call that builds a model SDK client or an instance of a project class (``cohere.Client(key)``
    -> ``cohere.Client()``); ``""`` for any other call (its result is an answer, not an object to follow)."""
    resolved = ctx.imports.qualify(call.func) or ""
    last = resolved.rsplit(".", 1)[-1]
    if not last[:1].isupper() or "()" in resolved:
        return ""
    return f"{resolved}()" if in_modules(resolved, MODEL_MODULES) or _project_class(ctx, resolved) else ""


def _factory_class(ctx: FileContext, qualified: str) -> str:
    """For a call to a project function whose return annotation names a project class (``def
    get_llm_handler(provider: str) -> LLMHandler``): that class, qualified, as ``Class()``; ``""`` otherwise
    (no annotation, a builtin or library type, or code outside the project)."""
    local = ctx.project.local_definition(ctx.module, qualified) if "." not in qualified else None
    found = (ctx.path, local) if local is not None else (
        ctx.project.definition(qualified, ctx.path) if "." in qualified else None)
    if found is None or not isinstance(found[1], cst.FunctionDef):
        return ""
    path, func = found[0], found[1]
    built = _returned_class(ctx, path, func)  # ``return ChatgptConselor()`` under ``-> IConselor`` (an interface)
    if built or func.returns is None:
        return built or _returned_model(ctx, path, func)
    annotation = func.returns.annotation
    name = ctx.project.imports(path).qualify(annotation) or ""
    if not name.rsplit(".", 1)[-1][:1].isupper():
        return ""
    module = ctx.project.module(path)
    local_cls = ctx.project.local_definition(module, name) if module is not None and "." not in name else None
    if isinstance(local_cls, cst.ClassDef):
        return f"{module_of(path)}.{name}()"
    name = absolute(name, path)
    cls = ctx.project.definition(name, path) if "." in name else None
    return f"{name}()" if cls is not None and isinstance(cls[1], cst.ClassDef) else ""


def _returned_class(ctx: FileContext, path: str, func: cst.FunctionDef) -> str:
    """``module.Class()`` when every ``return`` of a factory builds the same project class (``return
    ChatgptIFSConselor()``); ``""`` otherwise."""
    module = ctx.project.module(path)
    imports = ctx.project.imports(path)
    made: set[str] = set()
    for node in walk(func.body):
        if not isinstance(node, cst.Return) or node.value is None:
            continue
        if not isinstance(node.value, cst.Call):
            return ""
        name = imports.qualify(node.value.func) or ""
        local = ctx.project.local_definition(module, name) if module is not None and "." not in name else None
        if isinstance(local, cst.ClassDef):
            made.add(f"{module_of(path)}.{name}()")
            continue
        qualified = absolute(name, path)
        found = ctx.project.definition(qualified, path) if "." in qualified else None
        if found is None or not isinstance(found[1], cst.ClassDef):
            return ""
        made.add(f"{qualified}()")
    return made.pop() if len(made) == 1 else ""


def _returned_model(ctx: FileContext, path: str, func: cst.FunctionDef) -> str:
    """For a factory with no return annotation: the model SDK object it returns, qualified as ``Class()``
    (``def get_llm(): ... _llm = ChatGoogleGenerativeAI(model=name) ... return _llm``, the class imported inside
    the function), or ``""``."""
    imports = copy.deepcopy(ctx.project.imports(path))
    for node in walk(func.body):  # imports inside the function (a lazily imported SDK)
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            imports.learn(node)
    built: dict[str, str] = {}
    for node in walk(func.body):
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
            resolved = imports.qualify(node.value.func) or ""
            if _model_class(resolved):
                built.update({t.target.value: f"{resolved}()" for t in node.targets if isinstance(t.target, cst.Name)})
    for node in walk(func.body):
        if isinstance(node, cst.Return) and node.value is not None:
            if isinstance(node.value, cst.Name) and node.value.value in built:
                return built[node.value.value]
            if isinstance(node.value, cst.Call):
                resolved = imports.qualify(node.value.func) or ""
                if _model_class(resolved):
                    return f"{resolved}()"
    return ""


def _project_class(ctx: FileContext, qualified: str) -> bool:
    """True when ``qualified`` names a class of this module or of a project module."""
    local = ctx.project.local_definition(ctx.module, qualified) if "." not in qualified else None
    found = local if local is not None else (ctx.project.definition(qualified, ctx.path) or ("", None))[1]
    return isinstance(found, cst.ClassDef)
