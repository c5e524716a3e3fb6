"""What a call or a function body does: call a model, touch the database, authenticate the caller.

Judged from qualified names (``names.ImportMap``), SDK method suffixes, model API hosts in URL literals, and
for project helpers the words of their module or receiver (``app.llm.complete``, ``llm_service.ask``) or,
one level deep, whether the helper's own module imports a model SDK.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.flows import account_flow, visitor_scoped
from scanner.engines.python.local_models import is_model_object, local_models, pipeline_model
from scanner.engines.python.model_http import model_http_call
from scanner.engines.python.names import dotted, in_modules, string_value, walk
from scanner.engines.python.orm_models import engine_query, orm_instances, orm_query
from scanner.engines.python.project import absolute, module_of
from scanner.engines.python.public_content import public_listing
from scanner.knowledge import (
    DB_CALLS,
    DB_RECEIVER_WORDS,
    HTTP_CLIENT_MODULES,
    MODEL_CALL_SUFFIXES,
    MODEL_HINT_WORDS,
    MODEL_MODULES,
    SIGNED_WEBHOOK_MODULES,
    model_engine,
    words,
)
from scanner.knowledge.ratelimit import LLM_METHODS

_HTTP_VERBS = ("post", "get", "request", "stream")
#: What runs a LangChain runnable.
_RUNNABLE_CALLS = frozenset({"invoke", "ainvoke", "stream", "astream", "batch", "abatch"})
#: An ``if`` test about the caller's session or signed-in user, and what a refusal returns or raises.
_SESSION_TEST = re.compile(r"\bsession\b|current_user|request\.user|\bg\.user\b|get_jwt_identity|cookies")
#: An answer that refuses: a 401/403 status or its words.
_REFUSED_STATUS = r"\b40[13]\b|HTTP_40[13]|unauthori[sz]ed|forbidden"
_REFUSAL = re.compile(rf"(?i)log ?in|sign ?in|\bauth|{_REFUSED_STATUS}|PermissionDenied|NotAuthenticated")
#: A handler parameter that carries the caller's credential (FastAPI ``authorization: str = Header(None)``,
#: ``x_api_key: str = Header(...)``): a test on it that refuses is a credential check (set 24 Cerebral-Hacks).
_CREDENTIAL_PARAM = re.compile(r"(?i)^(?:authorization|x_api_key|api_key|apikey|x_auth_token|auth_token|"
                               r"x_access_token|access_token|token|credentials?)$")
#: A read of a credential header (``request.headers.get("Authorization")``, ``request.headers["X-API-Key"]``).
_CREDENTIAL_HEADER = re.compile(r"(?i)headers(?:\.get\(|\[)\s*[\"'](?:authorization|x-api-key|api-key|"
                                r"x-auth-token|x-access-token)[\"']")
#: A test that the session value is *absent* (``not logged_in``, ``user is None``, ``"uid" not in session``):
#: then any redirect away (``redirect("inicio")``) refuses the caller, whatever page it names.
_ABSENT_TEST = re.compile(r"\bnot\b|\bis None\b|== None\b")
_REDIRECT = re.compile(r"\b(?:redirect|RedirectResponse|HttpResponseRedirect)\s*\(")
#: Model SDK calls that only read metadata (a health check or an open ``/models`` route makes them).
#: Lookups of stored objects in a model SDK: no model runs (``openai.Completion.retrieve(id)``: set 23 study-pilot).
SDK_LOOKUPS = ("Completion.retrieve", "files.list", "files.retrieve", "files.delete", "models.delete")
LISTING_CALLS = ("models.list", "models.retrieve", "models.get", "list_models", *SDK_LOOKUPS,
                 # SDK set-up, no model run: ``genai.configure(api_key=...)``, ``vertexai.init(...)``
                 ".configure", "vertexai.init", "set_api_key")
#: A connectivity probe a health check sends (``SELECT 1``, ``SELECT version()``): it reads no stored row.
_PROBE_SQL = re.compile(r"(?i)\s*select\s+(?:1|'1'|true|version\(\)|now\(\)|current_timestamp)\s*;?\s*")
#: Calls that render a page, redirect or convert values: a handler making only these does no work of its own.
_PAGE_CALLS = frozenset({"render_template", "render", "redirect", "url_for", "send_from_directory",
                         "send_file",
                         "FileResponse", "HTMLResponse", "RedirectResponse", "TemplateResponse", "jsonify",
                         "dict", "str", "int", "float", "bool", "len", "round", "min", "max", "abs", "sum",
                         "get_template", "render_template_string", "JsonResponse", "HttpResponse",
                         # a fresh id or timestamp, a response model built from it (``POST /session`` answering
                         # ``{"session_id": uuid4()}``)
                         "uuid4", "uuid1", "now", "utcnow", "isoformat", "model_validate", "model_dump", "list",
                         "tuple", "PlainTextResponse"})


def qualified_call(ctx: FileContext, call: cst.Call, local: dict[str, str] | None = None) -> str:
    """The qualified name of the called function (``""`` when not a name chain)."""
    return ctx.imports.qualify(call.func, local) or ""


def is_model_call(ctx: FileContext, call: cst.Call, local: dict[str, str] | None = None,
                  deep: bool = True) -> bool:
    """True when ``call`` calls a model: an SDK, a model API over HTTP, or a project helper that wraps one.
    ``deep=False`` skips reading helper definitions (cheap enough for every assignment of a file)."""
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in _RUNNABLE_CALLS and \
            isinstance(call.func.value, cst.BinaryOperation):
        return bool(pipeline_model(ctx, call.func.value, local or {}))  # ``(prompt | llm).invoke({})``
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in LLM_METHODS and \
            model_engine(ctx.code_of(call.func.value)):
        return True  # ``connections.chat_engines[sid].stream_chat(q)``: a LlamaIndex engine runs the model
    name = qualified_call(ctx, call, local)
    if not name:
        return False
    if in_modules(name, MODEL_MODULES) or any(name.endswith(s) for s in MODEL_CALL_SUFFIXES):
        return not twilio_send(call) and not name.endswith(SDK_LOOKUPS)

    receiver, _, method = name.rpartition(".")
    if method in LLM_METHODS and receiver and "(" not in receiver and not in_modules(name, HTTP_CLIENT_MODULES) \
            and model_assigned(ctx, receiver):
        return True
    if (deep and "." not in name.replace("()", "") and name in global_models(ctx)) or \
            (deep and method in LLM_METHODS and receiver in global_models(ctx)):
        return True  # ``qa_chain({...})``: a module global another view set to a chain (``global qa_chain``)
    if in_modules(name, HTTP_CLIENT_MODULES) or name.rsplit(".", 1)[-1] in _HTTP_VERBS:
        return model_http_call(ctx, call)
    return _model_helper(ctx, name, deep)


def global_models(ctx: FileContext) -> frozenset[str]:
    """Names a function of the module declares ``global`` and assigns a model, a chain built on one or a
    project helper's model object (``global qa_chain; qa_chain = get_qa_chain(model, db, prompt)`` in one view,
    ``qa_chain({"question": message})`` in another: set 27 RAG_Chatbot_Django). Memoised per module."""
    cached = ctx.memo.get("global-models")
    if isinstance(cached, frozenset):
        return cached
    ctx.memo["global-models"] = frozenset()  # set first: the judgement below may ask again
    found: set[str] = set()
    for func in (n for n in walk(ctx.module) if isinstance(n, cst.FunctionDef)):
        declared = {g.name.value for n in walk(func.body) if isinstance(n, cst.Global) for g in n.names}
        if not declared:
            continue
        for node in walk(func.body):
            if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call) and \
                    any(isinstance(t.target, cst.Name) and t.target.value in declared for t in node.targets) and \
                    is_model_call(ctx, node.value, local_models(ctx, func)):
                found.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
    result = frozenset(found)
    ctx.memo["global-models"] = result
    return result


def model_assigned(ctx: FileContext, qualified: str) -> str | None:
    """The qualified constructor of the model object a module-level name holds (``agent =
    create_react_agent(llm, tools=tools)`` in ``psychai/tools/therapist_tools.py``, imported by the caller as
    ``agent``): a call into a model SDK (``MODEL_MODULES``: LangChain, LangGraph, LlamaIndex, ...) assigned to the
    name in its module; None otherwise. Memoised per scan."""
    key = f"model-assigned:{absolute(qualified, ctx.path)}"
    cache = ctx.project.facts_cache
    if key not in cache:
        cache[key] = None
        found = ctx.project.assignment(qualified, ctx.path)
        if found is not None:
            path, value = found
            value = value.expression if isinstance(value, cst.Await) else value
            if isinstance(value, cst.Call):
                resolved = ctx.project.imports(path).qualify(value.func) or ""
                if in_modules(resolved, MODEL_MODULES):
                    cache[key] = resolved
    verdict = cache[key]
    return verdict if isinstance(verdict, str) else None


#: Project modules followed across from a route to find its model call (``routes/chat.py`` ->
#: ``services/conversations.py`` -> ``services/chat.py``, where ``client.chat.completions.create`` runs).
_MODEL_HELPER_HOPS = 2


#: Keywords of Twilio's ``client.messages.create(to=..., from_=..., body=...)`` (an SMS or WhatsApp message, not
#: Anthropic's ``messages.create``, which always names a ``model``).
_TWILIO_KEYWORDS = frozenset({"from_", "to", "body", "messaging_service_sid", "media_url", "content_sid"})


def twilio_send(call: cst.Call) -> bool:
    """True for a ``messages.create`` call shaped like Twilio's (``to=``/``from_=``/``body=`` keywords and no
    ``model=``): it sends a text message, it runs no model."""
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == "create" and \
        "model" not in keywords and bool(keywords & _TWILIO_KEYWORDS)


def _model_helper(ctx: FileContext, name: str, deep: bool) -> bool:
    """A project helper: judged by its code when it can be found (deep), else by the words of its module or
    receiver (``app.llm.complete``, ``llm_service.ask``)."""
    head = name.split("(")[0]
    parts = head.strip(".").split(".")
    if deep and len(parts) == 1 and "()." not in name:
        return _local_helper_calls_model(ctx, head)
    if deep:
        key = f"model-helper:{absolute(name, ctx.path)}:{ctx.path if len(parts) == 1 else ''}"
        cache = ctx.project.facts_cache
        depth = cache.get("helper-depth", 0)
        assert isinstance(depth, int)
        verdict = cache.get(key)
        if key not in cache and depth < _MODEL_HELPER_HOPS:
            # a route -> a service function -> the module that calls the SDK: two hops across modules. Only a
            # verdict reached from a route is kept (one reached inside another hop stopped early)
            if depth == 0:
                cache[key] = None  # set first: a helper that calls itself ends here
            cache["helper-depth"] = depth + 1
            try:
                verdict = _helper_verdict(ctx, name)
            finally:
                cache["helper-depth"] = depth
            if depth == 0:
                cache[key] = verdict
        if isinstance(verdict, bool):
            return verdict
    if len(parts) > 1 and any(set(words(p)) & MODEL_HINT_WORDS for p in parts[:-1]):
        return True
    if len(parts) > 1 and parts[-1] in LLM_METHODS and any(model_engine(p) for p in parts[:-1]):
        return True  # ``self.chat_engine.chat(q)``: a LlamaIndex engine runs the model
    # undecided code re-exported by a package (``from src.services import generate_quiz_payload``): the words of
    # the module that defines it (``services/llm_quiz_generator.py``)
    found = callable_definition(ctx, name) if deep and len(parts) > 1 else None
    return found is not None and any(set(words(p)) & MODEL_HINT_WORDS for p in module_of(found[0]).split("."))


def _local_helper_calls_model(ctx: FileContext, name: str) -> bool:
    """True when ``name`` is a function of this module whose body calls a model (followed a few levels:
    the key is set before the body is read, so recursion ends)."""
    key = f"local-model:{name}"
    if key not in ctx.memo:
        ctx.memo[key] = False
        func = ctx.project.local_definition(ctx.module, name)
        ctx.memo[key] = func is not None and body_facts(ctx, func).calls_model
    return bool(ctx.memo[key])


def context_of(ctx: FileContext, path: str, module: cst.Module) -> FileContext:
    """The shared FileContext of another project file (one per file and scan, so that its memo of body facts
    is computed once whichever file follows a helper into it)."""
    key = f"context:{path}"
    cached = ctx.project.facts_cache.get(key)
    if isinstance(cached, FileContext):
        return cached
    other = FileContext(path, module, ctx.project.imports(path), ctx.project, ctx.knowledge)
    ctx.project.facts_cache[key] = other
    return other


Definition = tuple[str, cst.FunctionDef | cst.ClassDef]


def callable_definition(ctx: FileContext, qualified: str) -> Definition | None:
    """The project code a qualified call name runs, with its file: a top-level function or class
    (``app.llm.ask``); a method of a project class on an instance built in sight (``bot = Chatbot(key)`` then
    ``bot.ask``, qualified ``chatbot.Chatbot().ask``); a method of a module-level instance in a project module
    (``from bots import bot`` then ``bot.ask``). A method the class does not define itself (inherited) gives
    the class. None when the code is not in the project."""
    if "()." in qualified:
        owner, _, method = qualified.partition("().")
        if "." in method or "(" in method:
            return None
        local = ctx.project.local_definition(ctx.module, owner) if "." not in owner else None
        found = (ctx.path, local) if local is not None else ctx.project.definition(owner, ctx.path)
        return _method_of(found, method)
    found = ctx.project.definition(qualified, ctx.path) if "." in qualified else None
    return found or _instance_method(ctx, qualified) or _class_function(ctx, qualified)


def _class_function(ctx: FileContext, qualified: str) -> Definition | None:
    """``Gpt.ask(...)`` called on a project class (a function of the class, no instance): the function, or
    the class when it does not define it."""
    owner, _, method = qualified.rpartition(".")
    if not owner or not method or "(" in owner:
        return None
    local = ctx.project.local_definition(ctx.module, owner) if "." not in owner else None
    found = (ctx.path, local) if local is not None else (
        ctx.project.definition(owner, ctx.path) if "." in owner else None)
    if found is None or not isinstance(found[1], cst.ClassDef):
        return None
    return _method_of(found, method)


def project_function(ctx: FileContext, qualified: str) -> tuple[str, cst.FunctionDef] | None:
    """(path, function) of the project function a qualified call name runs (``callable_definition``, or a
    function of this module for a bare name); None for a class, or code outside the project."""
    found = callable_definition(ctx, qualified)
    if found is None and "." not in qualified:
        local = ctx.project.local_definition(ctx.module, qualified)
        found = (ctx.path, local) if local is not None else None
    if found is None or not isinstance(found[1], cst.FunctionDef):
        return None
    return found[0], found[1]


def _method_of(found: Definition | None, method: str) -> Definition | None:
    """The method ``method`` of a found class (the class itself when it does not define it)."""
    if found is None or not isinstance(found[1], cst.ClassDef):
        return found
    body = found[1].body.body
    return next(((found[0], s) for s in body if isinstance(s, cst.FunctionDef) and s.name.value == method), found)


def _instance_method(ctx: FileContext, qualified: str) -> Definition | None:
    """``service.method`` where ``service = Service(...)`` is a module-level instance in a project module: the
    method of class ``Service`` (or the class, when the method is inherited)."""
    owner, _, method = absolute(qualified, ctx.path).rpartition(".")
    found = ctx.project.assignment(owner, ctx.path) if "." in owner else None
    if found is None or not isinstance(found[1], cst.Call):
        return None
    cls = dotted(found[1].func) or ""
    module = ctx.project.module(found[0])
    if not cls or module is None:
        return None
    local = ctx.project.local_definition(module, cls) if "." not in cls else None
    if local is not None:
        return _method_of((found[0], local), method)
    qualified_cls = ctx.project.imports(found[0]).qualify(found[1].func) or cls
    return _method_of(ctx.project.definition(qualified_cls, found[0]), method)


def _helper_verdict(ctx: FileContext, qualified: str) -> bool | None:
    """Whether a helper in another project module calls a model, by its body (for a class, its methods),
    followed further through the helpers it calls; False when the module is in the project but has no such
    name (``gpt.ping`` that does not exist) or neither calls nor imports a model; None (undecided) when the
    module is not in the project or imports a model SDK that the helper's own code is not seen to call."""
    found = callable_definition(ctx, qualified)
    if found is None:
        owner = absolute(qualified.split("(")[0], ctx.path).rpartition(".")[0]
        path = ctx.project.find_module(owner) if owner else None
        return False if path is not None and ctx.project.module(path) is not None else None
    module = ctx.project.module(found[0])
    if module is None:
        return None
    other = context_of(ctx, found[0], module)
    if body_facts(other, found[1]).calls_model:
        return True
    # not seen calling one, but its module uses a model SDK (the call may go through an object the helper
    # receives) or an HTTP client (to a URL read from settings): undecided, so the words of its module decide
    return None if any(in_modules(a, (*MODEL_MODULES, *HTTP_CLIENT_MODULES))
                       for a in other.imports.aliases.values()) else False


def is_db_call(ctx: FileContext, call: cst.Call, local: dict[str, str] | None = None) -> bool:
    """True when ``call`` reads or writes a database (ORM query, SQL execute, document store); a connectivity
    probe (``db.execute(text("SELECT 1"))``) reads no stored row and is not."""
    name = qualified_call(ctx, call, local)
    if not name or _probe_query(call):
        return False
    if orm_query(ctx, name) or engine_query(ctx, call, name):
        return True
    segments = name.replace("()", "").split(".")
    receiver = {w for s in segments[:-1] for w in words(s)}
    if receiver & {"db", "database", "orm", "crud"} or ".query." in f".{name}.":
        return True
    if ".objects." in f".{name}." or in_modules(name, ("sqlalchemy", "pymongo", "psycopg2", "sqlite3")):
        return True
    if segments[-1] in ("get", "delete", "refresh") and receiver & DB_RECEIVER_WORDS and call.args and \
            (dotted(call.args[0].value) or "").rsplit(".", 1)[-1][:1].isupper():
        return True  # SQLAlchemy/SQLModel ``session.get(models.User, user_id)`` (not ``session.get("key")``)
    if receiver & {"store", "storage", "datastore"} and {"current_app", "g", "state"} & set(segments[:-2]):
        return True  # the app's own store of rows (``current_app.store.get_messages(sid)``: set 27 ai-chatbot-flask)
    if segments[-1] == "AsyncResult":
        return True  # a Celery task's result, read from its result backend by task id
    if segments[-1] not in DB_CALLS or len(segments) < 2:
        return False
    return bool(receiver & DB_RECEIVER_WORDS) or (segments[-1] in ("execute", "query") and len(segments) > 2)


def helper_touches_db(ctx: FileContext, qualified: str) -> bool:
    """True when ``qualified`` names a project function (in this module or, one hop, in another: a
    ``services`` package's ``get_users(db)``) whose own body reads or writes the database. Its own helpers
    are not followed; a class (a constructor call) is not judged."""
    if not qualified or ("(" in qualified and qualified.count("().") != 1) or qualified.endswith("()"):
        return False  # (a method of an instance built in sight, ``chatbot.ChatService().history``, is judged)
    key = f"db-helper:{absolute(qualified, ctx.path)}:{ctx.path if '.' not in qualified else ''}"
    cache = ctx.project.facts_cache
    if key in cache:
        return cache[key] is True
    cache[key] = False  # set first: a helper that calls itself ends here
    found = project_function(ctx, qualified)
    if found is None:
        return False
    module = ctx.project.module(found[0])
    if module is None:
        return False
    other = context_of(ctx, found[0], module)
    orm = orm_instances(other, found[1])
    cache[key] = any(is_db_call(other, c) or (bool(orm) and is_db_call(other, c, orm))
                     for c in walk(found[1].body) if isinstance(c, cst.Call))
    return cache[key] is True


def _probe_query(call: cst.Call) -> bool:
    """``text("SELECT 1")`` / ``cursor.execute("SELECT 1")`` / ``db.execute(text("SELECT 1"))``."""
    if len(call.args) != 1:
        return False
    arg = call.args[0].value
    if isinstance(arg, cst.Call):
        return _probe_query(arg) and (dotted(arg.func) or "").rsplit(".", 1)[-1] == "text"
    value = string_value(arg)
    return value is not None and _PROBE_SQL.fullmatch(value) is not None


@dataclass(frozen=True)
class BodyFacts:
    """What a handler body does: calls a model, touches the database, authenticates the caller (a session,
    token, API key or signature check), reads request data, or only renders a page / redirects."""

    calls_model: bool
    touches_db: bool
    authenticates: bool
    trivial: bool
    #: Calls a model to generate (not only ``models.list()``): a health check that does is not public.
    generates: bool = False
    #: Creates an account and signs the visitor in: a sign-up view, public by intent whatever its name.
    signs_up: bool = False
    #: Does what an account flow does: creates an account (``create_user``, ``set_password``, a password hash),
    #: checks a password (``authenticate``, ``check_password``), issues a session token (``RefreshToken.for_user``)
    #: or a password-reset token (``default_token_generator.make_token``). Registration, login, token and
    #: reset-request views do this, and they are public by intent whatever they are named.
    account_flow: bool = False
    #: Every database call is scoped by a per-visitor key read from the server-signed session
    #: (``session["guest_id"]``): a guest mode whose rows belong to the visitor, not to other members.
    visitor_scoped: bool = False
    #: Only reads public site content: Django ORM rows nobody owns (or published ones), by no request value
    #: (``public_content.public_listing``).
    public_listing: bool = False


class _BodyScan:
    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.local: dict[str, str] = {}
        #: Locals holding an async ORM model instance (``chat = await Chat.get(id=chat_id)``).
        self.orm: dict[str, str] = {}
        self.model = self.db = self.auth = self.nontrivial = self.generates = False
        #: Locals assigned from the session or signed-in user (``logged_in = request.session.get("logged_in")``).
        self.session_names: set[str] = set()
        #: The calls that call a model or touch the database (to see whether a session test guards them all).
        self.sensitive: list[cst.Call] = []
        #: Signs of a sign-up flow: it creates an account (``create_user``, ``form.save()``, a password hash)
        #: and signs the visitor in (``login(request, user)``, ``request.session["logged_in"] = True``).
        self.creates_account = self.signs_in = False
        self.calls: list[cst.Call] = []
        #: The database calls and the assignments of the body (for ``visitor_scoped``).
        self.db_calls: list[cst.Call] = []
        self.assigns: list[cst.Assign] = []
        #: The ``request.user.is_authenticated``-like flags read (auth unless only an ``if`` that never
        #: returns or raises tests them).
        self.user_flags: list[cst.Attribute] = []
        #: Dict keys: a header name written into a dict is an outgoing request's, not the caller's.
        self.dict_keys: set[int] = set()

    def run(self, body: cst.CSTNode, local: dict[str, str]) -> None:
        self.local = local
        tests: list[cst.If] = []  # judged once every session local is known (``walk`` is not in source order)
        for node in walk(body):
            if isinstance(node, cst.Call):
                self.visit_Call(node)
                target = run_target(self.ctx, node)
                if target is not None:  # ``executor.submit(partial(service.ask, q))`` runs ``service.ask(q)``
                    self.visit_Call(target, anchor=node)
            elif isinstance(node, cst.Attribute):
                self.visit_Attribute(node)
            elif isinstance(node, cst.SimpleString):
                if id(node) not in self.dict_keys:
                    self.visit_SimpleString(node)
            elif isinstance(node, cst.DictElement):
                # ``headers={"Authorization": f"Bearer {KEY}"}`` sends the app's own credential out
                self.dict_keys.add(id(node.key))
            elif isinstance(node, cst.Assign) and (_SESSION_TEST.search(self.ctx.code_of(node.value)) or
                                                   _CREDENTIAL_HEADER.search(self.ctx.code_of(node.value))):
                self.session_names.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
            elif isinstance(node, cst.If):
                tests.append(node)
            if isinstance(node, cst.Assign):
                self.assigns.append(node)
                self.signs_in = self.signs_in or any(_session_key(t.target) for t in node.targets)
        self.auth = self.auth or any(_refuses_without_session(self.ctx, t, self.session_names) for t in tests)
        # A user-flag test whose branches neither return nor raise (``if request.user.is_authenticated:
        # username = ...`` / ``save_chat(request)``) only picks a display name or whether to save: not auth.
        labels = {id(n) for t in tests if _labels_only(self.ctx, t) for n in walk(t.test)}
        self.auth = self.auth or any(id(a) not in labels for a in self.user_flags)
        # (the test's own calls too: a helper that loads the session's user to answer ``loggedIn()``)
        guarded = {id(n) for t in tests if _requires_session(self.ctx, t, self.session_names)
                   for part in (t.test, t.body) for n in walk(part)}
        self.auth = self.auth or (bool(self.sensitive) and all(id(c) in guarded for c in self.sensitive))

    def visit_Call(self, node: cst.Call, anchor: cst.Call | None = None) -> None:
        """``anchor``: the call in the tree that runs ``node`` (``run_target``), which guards and scopes judge."""
        name = qualified_call(self.ctx, node)
        model = is_model_call(self.ctx, node) or (bool(self.local) and is_model_call(self.ctx, node, self.local)) \
            or (bool(self.local) and hands_model(self.ctx, node, self.local))
        self.model = self.model or model
        self.generates = self.generates or (model and not name.endswith(LISTING_CALLS))
        db = is_db_call(self.ctx, node) or (bool(self.orm) and is_db_call(self.ctx, node, self.orm)) \
            or (not model and helper_touches_db(self.ctx, name)) \
            or (not model and bool(self.local) and
                helper_touches_db(self.ctx, qualified_call(self.ctx, node, self.local)))
        self.db = self.db or db
        if model or db:
            self.sensitive.append(anchor or node)
        if db:
            self.db_calls.append(anchor or node)
        last_word = name.replace("()", "").rsplit(".", 1)[-1]
        self.creates_account = self.creates_account or last_word in _ACCOUNT_CALLS
        self.calls.append(node)
        self.signs_in = self.signs_in or name in _SIGN_IN_CALLS
        self.auth = self.auth or (bool(name) and self.ctx.knowledge.is_auth_call(name)) or _aborts_401(node) \
            or (in_modules(name, SIGNED_WEBHOOK_MODULES) and name.rsplit(".", 1)[-1] in ("verify", "construct_event"))
        last = name.replace("()", "").rsplit(".", 1)[-1]
        reads_input = name.startswith(("flask.request.", "request.", "quart.request."))
        # the caller's own cookie session (``session.pop("chat")`` on a "clear" button: set 27 mini-AI-App)
        own_session = name.startswith(("flask.session.", "quart.session."))
        if last not in _PAGE_CALLS and not reads_input and not own_session and not name.endswith(LISTING_CALLS):
            self.nontrivial = True  # listing the vendor's models or configuring the SDK is no work of its own

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in ("is_authenticated", "is_anonymous", "is_staff", "is_superuser"):
            self.user_flags.append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and value.lower() in ("authorization", "x-api-key", "http_authorization",
                                                        "x-hub-signature-256", "stripe-signature"):
            self.auth = True


#: Calls that create an account or store a new password (a sign-up view makes one).
_ACCOUNT_CALLS = frozenset({"create_user", "make_password", "set_password", "generate_password_hash", "hashpw",
                            "save"})
#: Calls that sign the visitor in.
_SIGN_IN_CALLS = frozenset({"django.contrib.auth.login", "flask_login.login_user", "django.contrib.auth.alogin"})


#: Session keys that mark a signed-in visitor (``logged_in``, ``user_id``, ``uid``, ``rol``).
_SIGNED_IN_KEY = re.compile(r"(?i)logged|user|^uid$|^rol|auth|account|email")
#: Session keys only a sign-in writes (``session["session_token"] = token``, ``session["user_id"] = user.id``).
_SIGN_IN_KEY = re.compile(r"(?i)^(?:user_?id|uid|session_?token|auth_?token|access_?token|logged_?in|account_?id)$")


def _writes_sign_in(assigns: list[cst.Assign]) -> bool:
    """True when the body writes a sign-in session key: a login step (``/verify-code``, ``/magic-login/<token>``
    that checks an emailed code then sets ``session["session_token"]``), public by intent (set 16)."""
    for node in assigns:
        value = node.value
        # a value the server made or looked up (a new token, a row's id): not cleared (``= None``: a logout or
        # an account deletion) and not what the client sent (``= data["user_id"]``: a profile update)
        if (isinstance(value, cst.Name) and value.value in ("None", "True", "False")) or \
                isinstance(value, (cst.SimpleString, cst.Integer)) or _CLIENT_VALUE.search(_code(value)):
            continue
        # a bare ``id`` key holding a user row's id (``session["id"] = user.uuid``; set 25 AMA_HackTues11)
        user_row = re.fullmatch(r"(?i)\w*(?:user|account|member)\w*\.(?:id|uuid|pk|_id)", _code(value)) is not None
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Subscript) and (dotted(t.value) or "") in ("request.session", "session") and any(
                    isinstance(e.slice, cst.Index) and (_SIGN_IN_KEY.match(key := string_value(e.slice.value) or "")
                                                        or (user_row and key.lower() in ("id", "uuid")))
                    for e in t.slice):
                return True
    return False


#: A value read from what the client sent (``request.json["user_id"]``, ``data.get("id")``, ``form["email"]``).
_CLIENT_VALUE = re.compile(r"\b(?:request|data|form|payload|body|args|json)\b\s*(?:\.|\[)")


#: Calls that run a function handed to them, with their other arguments: position of that function among the
#: positional arguments (``loop.run_in_executor(None, f, a)``: the second). ``functools.partial(f, a)`` is
#: counted as the call it prepares.
_RUNNERS = {"to_thread": 0, "run_in_threadpool": 0, "add_task": 0, "run_sync": 0, "run_in_executor": 1,
            "submit": 0, "partial": 0, "map": 0}


def run_target(ctx: FileContext, call: cst.Call) -> cst.Call | None:
    """The call ``call`` makes on a function handed to it: ``asyncio.to_thread(helper, a, b)``,
    ``executor.submit(helper, a)``, ``partial(helper, a)``, ``executor.map(helper, [a])``,
    ``threading.Thread(target=helper, args=(a,), kwargs={"b": b})`` ->
    ``helper(a, b)``; None for any other call. The result is not part of the module (it has no position):
    report on ``call``. Built once per call (kept in ``ctx.memo``, so ids stay unique)."""
    key = f"run-target:{id(call)}"
    if key not in ctx.memo:
        ctx.memo[key] = _run_target(call)
    found = ctx.memo[key]
    return found if isinstance(found, cst.Call) else None


def _run_target(call: cst.Call) -> cst.Call | None:
    last = call.func.attr.value if isinstance(call.func, cst.Attribute) else \
        call.func.value if isinstance(call.func, cst.Name) else ""
    if last == "Thread":
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        target, args, kwargs = keywords.get("target"), keywords.get("args"), keywords.get("kwargs")
        if target is None:
            return None
        items = args.elements if isinstance(args, (cst.Tuple, cst.List)) else ()
        named = [cst.Arg(value=e.value, keyword=cst.Name(key)) for e in
                 (kwargs.elements if isinstance(kwargs, cst.Dict) else ())
                 if isinstance(e, cst.DictElement) and (key := string_value(e.key) or "").isidentifier()]
        return cst.Call(func=target, args=[*(cst.Arg(value=e.value) for e in items), *named])
    at = _RUNNERS.get(last)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if at is None or len(positional) <= at or isinstance(positional[at].value, (cst.SimpleString, cst.Integer)):
        return None
    rest = [a for a in call.args if a is not positional[at] and a not in positional[:at]]
    return cst.Call(func=positional[at].value, args=rest)


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def hands_model(ctx: FileContext, call: cst.Call, local: dict[str, str]) -> bool:
    """True when ``call`` hands a model object the function built (``chain = prompt | llm``) to a project function
    that uses that parameter (``generate_with_retry(chain, inputs)`` whose body runs ``await
    asyncio.to_thread(chain.invoke, inputs)``): the model runs there."""
    models = {i: a for i, a in enumerate(call.args) if isinstance(a.value, cst.Name) and
              is_model_object(local.get(a.value.value, ""))}
    if not models:
        return False
    found = project_function(ctx, qualified_call(ctx, call, local))
    if found is None:
        return False
    params = [p.name.value for p in (*found[1].params.params, *found[1].params.kwonly_params)]
    module = ctx.project.module(found[0])
    code = module.code_for_node(found[1].body) if module is not None else ""
    for i, arg in models.items():
        param = arg.keyword.value if arg.keyword is not None else (params[i] if i < len(params) else "")
        # ``chain.ainvoke(inputs)``, ``asyncio.to_thread(chain.invoke, inputs)``, ``llm(prompt)``
        if param and re.search(rf"(?<![\w.]){re.escape(param)}\s*(?:\.\s*[A-Za-z_]\w*|\()", code):
            return True
    return False


def _session_key(target: cst.BaseAssignTargetExpression) -> bool:
    """``request.session["logged_in"] = ...`` / ``session["user_id"] = ...``: the handler signs the visitor in."""
    if not isinstance(target, cst.Subscript) or (dotted(target.value) or "") not in ("request.session", "session"):
        return False
    keys = [string_value(e.slice.value) for e in target.slice if isinstance(e.slice, cst.Index)]
    return any(k is not None and _SIGNED_IN_KEY.search(k) for k in keys)


def _requires_session(ctx: FileContext, node: cst.If, session_names: AbstractSet[str]) -> bool:
    """``if logged_in and rol == "Tutor":`` / ``if "uid" in session:`` / ``if loggedIn():`` (a project helper
    that tests the session): the branch runs only when the session holds a signed-in user (a positive test of a
    session value, no ``not``/``is None``/``or``)."""
    test = ctx.code_of(node.test)
    names = {n.value for n in walk(node.test) if isinstance(n, cst.Name)}
    if _ABSENT_TEST.search(test) or re.search(r"\bor\b", test) or "request.method" in test:
        return False
    return bool(_SESSION_TEST.search(test) or names & session_names) or _session_helper_test(ctx, node.test)


def _project_function(ctx: FileContext, qualified: str) -> tuple[FileContext, cst.FunctionDef] | None:
    """The project function a qualified name refers to (followed one import away), with the context of its file;
    None when it is not project code or not a function."""
    found = ctx.project.definition(qualified, ctx.path) if qualified else None
    if found is None or not isinstance(found[1], cst.FunctionDef):
        return None
    module = ctx.project.module(found[0])
    return (context_of(ctx, found[0], module), found[1]) if module is not None else None


def _session_helper_test(ctx: FileContext, test: cst.BaseExpression) -> bool:
    """True when the test calls a project helper whose answer is a session test (``def loggedIn(): return "id" in
    session and ...``; followed one import away)."""
    for call in walk(test):
        found = _project_function(ctx, ctx.imports.qualify(call.func) or "") \
            if isinstance(call, cst.Call) and not call.args else None
        if found is not None and any(
                isinstance(r, cst.Return) and r.value is not None and _SESSION_TEST.search(found[0].code_of(r.value))
                for r in walk(found[1].body)):
            return True
    return False


def _refuses_without_session(ctx: FileContext, node: cst.If, session_names: AbstractSet[str] = frozenset()) -> bool:
    """``if "user_id" not in session: return redirect("/login")`` (or ``abort(401)``, a 401/403 response, a
    "please log in" answer): the branch refuses the caller when the session or signed-in user is absent. The
    test may name a local read from the session earlier (``session_names``); when it tests for absence
    (``if not logged_in: return redirect("home")``), a redirect anywhere refuses too."""
    test = ctx.code_of(node.test)
    names = {n.value for n in walk(node.test) if isinstance(n, cst.Name)}
    if not (_SESSION_TEST.search(test) or names & session_names):
        return False
    absent = _ABSENT_TEST.search(test) is not None
    for stmt in walk(node.body):
        if isinstance(stmt, (cst.Return, cst.Raise)):
            code = ctx.code_of(stmt)
            if _REFUSAL.search(code) or (absent and (_REDIRECT.search(code) or _EMPTY_ANSWER.fullmatch(code))):
                return True
        elif isinstance(stmt, cst.Call) and absent and _refusing_helper(ctx, stmt):
            return True  # ``if "uid" not in session: deny()`` with ``def deny(): abort(401)``
    return False


#: An empty answer (``return jsonify([])``, ``return []``, ``return {}``, ``return JsonResponse([], safe=False)``):
#: with an absence test before it (``if not request.current_user: return jsonify([])``) the anonymous caller gets
#: nothing (set 16 local-gpt).
_EMPTY_ANSWER = re.compile(r"return\s+(?:(?:flask\.)?jsonify\(\s*(?:\[\s*\]|\{\s*\})\s*\)|\[\s*\]|\{\s*\}|"
                           r"JsonResponse\(\s*(?:\[\s*\]|\{\s*\})\s*(?:,\s*safe\s*=\s*False\s*)?\))\s*(?:,\s*200\s*)?")


def _leaves(node: cst.If) -> bool:
    """The ``if`` (a branch or its ``else``/``elif``) returns or raises: it can refuse the caller."""
    return any(isinstance(n, (cst.Return, cst.Raise)) for n in walk(node.body)) or (
        node.orelse is not None and any(isinstance(n, (cst.Return, cst.Raise)) for n in walk(node.orelse)))


def _labels_only(ctx: FileContext, node: cst.If) -> bool:
    """The ``if`` on a user flag only picks what to show: it never returns or raises, or it is a positive test
    with an ``else`` whose branches return no refusal (``if request.user.is_authenticated: return
    JsonResponse({"username": ...}) else: return JsonResponse({"username": "-anon-"})``)."""
    if not _leaves(node):
        return True
    if not isinstance(node.orelse, cst.Else) or _ABSENT_TEST.search(ctx.code_of(node.test)) or \
            "is_anonymous" in ctx.code_of(node.test):
        return False
    for stmt in walk(node):
        if isinstance(stmt, cst.Raise):
            return False
        if isinstance(stmt, cst.Return):
            code = ctx.code_of(stmt)
            if _REFUSAL.search(code) or _REDIRECT.search(code) or re.search(r"(?i)error|denied", code):
                return False
    return True


def _aborts_401(call: cst.Call) -> bool:
    name = dotted(call.func) or ""
    if not name.endswith(("abort", "HTTPException", "PermissionDenied", "NotAuthenticated", "Unauthorized")):
        return False
    if name.endswith(("PermissionDenied", "NotAuthenticated", "Unauthorized")):
        return True
    codes = [a.value.value if isinstance(a.value, cst.Integer) else dotted(a.value) or "" for a in call.args]
    return any(c in ("401", "403") or "HTTP_401" in c or "HTTP_403" in c for c in codes)


def body_facts(ctx: FileContext, func: cst.FunctionDef | cst.ClassDef) -> BodyFacts:
    """Facts about ``func``'s body (memoised per node in ``ctx.memo``)."""
    key = f"body:{id(func)}"
    cached = ctx.memo.get(key)
    if isinstance(cached, BodyFacts):
        return cached
    visitor = _BodyScan(ctx)
    if isinstance(func, cst.FunctionDef):  # ``authorization: Annotated[str | None, Header()] = None``
        visitor.session_names.update(p.name.value for p in func.params.params
                                     if _CREDENTIAL_PARAM.match(p.name.value))
    visitor.orm = orm_instances(ctx, func)
    visitor.run(func.body, local_models(ctx, func))
    if not visitor.model:
        from scanner.engines.python.signals import saved_model_vendor  # (it follows receivers with these facts)

        visitor.model = visitor.generates = saved_model_vendor(ctx, func) is not None
    facts = BodyFacts(visitor.model, visitor.db, visitor.auth, not (visitor.nontrivial or visitor.generates),
                      visitor.generates, visitor.creates_account and visitor.signs_in,
                      account_flow(ctx, visitor.calls, visitor.assigns) or _writes_sign_in(visitor.assigns),
                      visitor.db and visitor_scoped(ctx, visitor.db_calls, visitor.assigns),
                      visitor.db and not visitor.model and public_listing(ctx, func, visitor.db_calls))
    ctx.memo[key] = facts
    return facts


#: A test on the caller's credential in a decorator's wrapper (``if not auth_header``, ``if token is None``).
_CREDENTIAL_TEST = re.compile(r"(?i)authori[sz]ation|token|bearer|api_?key|\bsession\b|current_user|request\.user|"
                              r"\buser\b|\bjwt\b|credential")


def decorator_refuses(ctx: FileContext, qualified: str) -> bool:
    """True when a project decorator (``qualified``: its qualified name, call parentheses dropped; followed one
    import away) wraps the view in a function that refuses a caller with no session, token or key before it
    calls the view: an ``if`` on the credential that returns a 401/403 answer, aborts or redirects to sign-in,
    or a wrapper body that authenticates the way a handler does (``def jwt_authentication_required(view):
    @wraps(view) def _wrapped(request): if not header: return Response(..., status=HTTP_401_UNAUTHORIZED)``;
    set 22 djangp-chatgpt). Decorator factories (``@require(role)``) are read two levels deep. False when the
    code is not in the project (names are the fallback there: ``Knowledge.is_auth_decorator``)."""
    if not qualified:
        return False
    key = f"decorator-refuses:{absolute(qualified, ctx.path)}"
    cached = ctx.project.facts_cache.get(key)
    if isinstance(cached, bool):
        return cached
    ctx.project.facts_cache[key] = False  # a decorator that decorates itself ends here
    verdict = False
    found = _project_function(ctx, qualified)
    if found is not None:
        verdict = any(_wrapper_refuses(found[0], inner) for inner in _wrappers(found[1], 2))
    ctx.project.facts_cache[key] = verdict
    return verdict


def hook_refuses(ctx: FileContext, func: cst.FunctionDef | cst.ClassDef) -> bool:
    """True when an app-wide hook (Flask ``before_request``, FastAPI ``@app.middleware("http")``) authenticates and
    can refuse: the handler-level facts say it authenticates, and somewhere it answers 401/403 or sends the caller
    to sign in, aborts, or calls a known auth function. A middleware that only reads the ``Authorization`` header to
    log whether it is there refuses nobody (set 25 ai-chat: it made every route look authenticated)."""
    if not body_facts(ctx, func).authenticates:
        return False
    for node in walk(func.body):
        if isinstance(node, (cst.Return, cst.Raise)):
            code = ctx.code_of(node)
            if _REFUSAL.search(code) or _REDIRECT.search(code):
                return True
        elif isinstance(node, cst.Call):
            name = qualified_call(ctx, node)
            if _aborts_401(node) or (bool(name) and ctx.knowledge.is_auth_call(name)) or _refusing_helper(ctx, node):
                return True
    return False


def _refusing_helper(ctx: FileContext, call: cst.Call) -> bool:
    """True when ``call`` calls a project function (followed one import away) that refuses the caller: it aborts
    with 401/403, raises ``PermissionDenied``/``NotAuthenticated``, or returns a 401/403 or sign-in answer
    (``def deny(): abort(401)``)."""
    found = _project_function(ctx, ctx.imports.qualify(call.func) or "")
    if found is None:
        return False
    other, func = found
    for node in walk(func.body):
        if isinstance(node, cst.Call) and _aborts_401(node):
            return True
        if isinstance(node, cst.Raise) and _REFUSAL.search(other.code_of(node)):
            return True
        if isinstance(node, cst.Return) and node.value is not None and \
                re.search(_REFUSED_STATUS, other.code_of(node.value), re.I):
            return True
    return False


def guarding_decorator(ctx: FileContext, qualified: str) -> bool:
    """True when the decorator named ``qualified`` authenticates: by its code when it is in the project
    (``calls.decorator_refuses``), else by its name (``Knowledge.is_auth_decorator``); a project decorator whose
    wrapper only calls the view checks nothing, whatever its name (``calls.decorator_passes_through``)."""
    if decorator_passes_through(ctx, qualified):
        return False
    return ctx.knowledge.is_auth_decorator(qualified) or decorator_refuses(ctx, qualified)


def decorator_passes_through(ctx: FileContext, qualified: str) -> bool:
    """True when a project decorator (``qualified``, followed one import away) wraps the view in a function that
    does nothing but call it (``def require_auth(func): @wraps(func) def wrapper(*a, **k): return func(*a, **k)``,
    a stub left for later; set 25 tool_juggler): whatever its name, it checks nothing. Logging and ``print``
    calls do not count as work."""
    found = _project_function(ctx, qualified)
    if found is None:
        return False
    decorator = found[1]
    wrapped = {p.name.value for p in decorator.params.params}
    inner = _wrappers(decorator, 1)
    if not inner or not wrapped:
        return False
    for wrapper in inner:
        for node in walk(wrapper.body):
            if isinstance(node, (cst.If, cst.Raise, cst.Try, cst.With, cst.Assign, cst.AugAssign, cst.AnnAssign)):
                return False
            if isinstance(node, cst.Call):
                name = dotted(node.func) or ""
                if name not in wrapped and not _PASS_THROUGH_CALL.match(name):
                    return False
    return True


#: Calls a pass-through wrapper may make: logging and printing.
_PASS_THROUGH_CALL = re.compile(r"^(?:print|(?:logging|logger|log|app\.logger|current_app\.logger)\.\w+)$")


def _wrappers(func: cst.FunctionDef, depth: int) -> list[cst.FunctionDef]:
    """The functions defined directly in ``func``'s body, and theirs down to ``depth`` levels."""
    found: list[cst.FunctionDef] = []
    for stmt in func.body.body:
        if isinstance(stmt, cst.FunctionDef):
            found.append(stmt)
            if depth > 1:
                found.extend(_wrappers(stmt, depth - 1))
    return found


def _wrapper_refuses(ctx: FileContext, inner: cst.FunctionDef) -> bool:
    if body_facts(ctx, inner).authenticates:
        return True
    # a helper called before the view that refuses (``check(request)`` raising ``PermissionDenied``)
    if any(isinstance(n, cst.Expr) and isinstance(n.value, cst.Call) and _refusing_helper(ctx, n.value)
           for line in inner.body.body if isinstance(line, cst.SimpleStatementLine) for n in line.body):
        return True
    for node in walk(inner.body):
        if not isinstance(node, cst.If) or not _CREDENTIAL_TEST.search(ctx.code_of(node.test)):
            continue
        for stmt in walk(node.body):
            if isinstance(stmt, (cst.Return, cst.Raise)) and _REFUSAL.search(ctx.code_of(stmt)):
                return True
            if isinstance(stmt, cst.Call) and (_aborts_401(stmt) or _refusing_helper(ctx, stmt)):
                return True
    return False
