"""Where request text goes inside a route handler: into a model call without a size bound (LR602), or into a
system prompt (LR603).

The analysis is per handler and flow-insensitive: every assignment, loop target, comprehension target and
``x.append(v)`` of the handler binds its target to the union of what its value carries, repeated until
nothing changes. A value carries a ``Taint``: the request fields it comes from and whether its size is
still unbounded.

Sources: Flask/Quart ``request.json``/``form``/``args``/``get_json()``, Django ``request.POST``/``body``,
DRF ``request.data``, Starlette ``await request.json()``, FastAPI parameters (``str`` and ``dict``
parameters, fields of pydantic models, judged by their ``max_length``), Socket.IO event data and
``cleaned_data``/``validated_data`` (text, bounded by the form or serializer as far as its fields are: a field with no
``max_length`` is open; a form or serializer the scan cannot find counts as bounded). Not sources: the signed-in
user's own record (``request.user``, ``current_user``), headers, cookies, the session.

Bounds (LR602 only): ``x[:N]``, a truncating call (``truncate(x)``, ``textwrap.shorten``), a size check in
any comparison of the handler (``len(x) > N``, ``count_tokens(x) > N``), a validating call statement
(``validate_prompt(x)``), a pydantic ``max_length``/``constr``/``StringConstraints``/validator, FastAPI
``Query(max_length=...)``. Cleaners (both rules): ``int(x)`` and other non-text conversions, and a lookup
in a server table (``PERSONAS[x]``, ``PERSONAS.get(x)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.calls import (
    body_facts,
    context_of,
    is_db_call,
    is_model_call,
    qualified_call,
    run_target,
    twilio_send,
)
from scanner.engines.python.depends import depends_calls
from scanner.engines.python.facts import project_facts
from scanner.engines.python.local_models import local_models
from scanner.engines.python.log_sources import is_socket_handler
from scanner.engines.python.names import dotted, in_modules, string_value, walk
from scanner.engines.python.project import absolute
from scanner.engines.python.routes import Route, routes_of
from scanner.knowledge import (
    MODEL_CALL_SUFFIXES,
    MODEL_MODULES,
    MODEL_SESSION_FACTORIES,
    PROMPT_KEYS,
    is_test_path,
    words,
)
from scanner.knowledge.prompts import (
    BOUND_KEYWORDS,
    MODEL_ONLY_KEYWORDS,
    NON_TEXT_CALLS,
    NON_TEXT_KEY_WORDS,
    NON_TEXT_TYPES,
    PROMPT_BUILDER_WORDS,
    PROMPT_CALL_SUFFIXES,
    REQUEST_BODY_ATTRS,
    REQUEST_NAMES,
    SIZE_CHECK_WORDS,
    SYSTEM_KEYWORDS,
    SYSTEM_MESSAGE_CLASSES,
    SYSTEM_ROLES,
    SYSTEM_VARIABLE,
    TRUNCATE_WORDS,
    URL_KEY,
)

#: Keyword arguments of a model call that carry settings, not prompt text.
_SETTING_KEYWORDS = frozenset({
    "model", "model_name", "engine", "deployment_id", "deployment", "temperature", "top_p", "top_k",
    "max_tokens", "max_output_tokens", "max_completion_tokens", "n", "stream", "stop", "seed", "user",
    "timeout", "response_format", "tools", "tool_choice", "presence_penalty", "frequency_penalty",
    "logit_bias", "api_key", "base_url", "metadata", "config", "session_id", "thread_id", "conversation_id",
    "callbacks", "stream_options", "reasoning_effort", "extra_headers", "extra_body", "headers", "verbose",
    "file_id", "assistant_id", "run_id", "vector_store_id", "message_id", "file_ids", "purpose",
})
#: Model SDK calls that manage resources (files, threads, runs) rather than send a prompt.
_MANAGEMENT_CALLS = frozenset({"delete", "retrieve", "list", "get", "cancel", "remove", "update", "modify", "del",
                               "adelete", "aretrieve", "alist", "aget"})
#: Verbs of storage helpers (``get_conversation_by_user``, ``acreate_session``): not model calls.
_STORAGE_WORDS = frozenset({"get", "by", "create", "update", "delete", "save", "list", "set", "fetch", "find",
                            "filter", "remove", "exists", "count", "store", "load", "add", "upsert", "insert"})
_PROMPT_SUFFIXES = (*MODEL_CALL_SUFFIXES, *PROMPT_CALL_SUFFIXES)
#: Database calls that store a row (``Flow._db_write``).
_DB_WRITES = frozenset({"add", "add_all", "create", "bulk_create", "save", "insert_one", "insert_many",
                        "update_one", "replace_one", "execute"})
_PATH_PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}|<(?:\w+:)?(\w+)>")
_VALIDATE_WORDS = frozenset({"validate", "check", "ensure", "enforce", "guard", "limit"})
_METHOD_NAMES = frozenset({"get", "post", "put", "patch", "delete", "create", "update", "list", "retrieve",
                           "partial_update", "form_valid", "dispatch", "stream", "chat"})
_STRING_METHODS = frozenset({"strip", "lower", "upper", "replace", "encode", "decode", "format", "title",
                             "capitalize", "lstrip", "rstrip", "format_map", "model_dump", "model_dump_json",
                             "dict", "json", "to_dict", "copy", "items", "values", "splitlines", "split",
                             "casefold", "expandtabs"})
_PASSTHROUGH = frozenset({"str", "repr", "dumps", "dict", "list", "tuple", "loads", "escape", "dedent",
                          "cast", "deepcopy", "copy", "join", "asdict", "jsonable_encoder", "reversed"})


@dataclass(frozen=True)
class Taint:
    """What a value carries: the request ``fields`` it comes from, those of them whose size is still
    unbounded (``loose``), and whether it is a container of fields (``raw``: a body whose keys name them)."""

    fields: frozenset[str]
    loose: frozenset[str]
    raw: bool = False
    #: A container whose ``loose`` names its unbounded keys (a serializer's ``validated_data``): ``self[key]``
    #: is unbounded only for those keys.
    keyed: bool = False

    @classmethod
    def of(cls, name: str, unbounded: bool, raw: bool = False) -> Taint:
        """One field, unbounded or not."""
        return cls(frozenset({name}), frozenset({name}) if unbounded else frozenset(), raw)

    @property
    def unbounded(self) -> bool:
        """True when some of the text has no size bound."""
        return bool(self.loose)

    def bounded(self) -> Taint:
        """The same text after a size bound."""
        return Taint(self.fields, frozenset(), self.raw, self.keyed)

    def narrow(self, key: str) -> Taint | None:
        """``self[key]``: a container's field is named by its key (None for an id, switch or setting such as
        ``conversationId``); other values keep their fields."""
        if not self.raw:
            return Taint(self.fields, self.loose)
        parts = words(key)
        if not parts or parts[-1] in NON_TEXT_KEY_WORDS or parts[0] in ("is", "has", "use", "enable") or \
                URL_KEY.search(key):
            return None
        return Taint.of(key, key in self.loose if self.keyed else self.unbounded)

    def __or__(self, other: Taint) -> Taint:
        return Taint(self.fields | other.fields, self.loose | other.loose, self.raw and other.raw,
                     self.keyed and other.keyed)

    def label(self, loose: bool = False) -> str:
        """The fields for a message: `` `prompt` `` or `` `persona`, `tone` ``."""
        names = sorted(self.loose if loose else self.fields, key=lambda n: (n.lower() not in PROMPT_KEYS, n))
        return ", ".join(f"`{n}`" for n in names[:3]) + (" …" if len(names) > 3 else "")


def _join(items: Iterable[Taint | None]) -> Taint | None:
    out: Taint | None = None
    for item in items:
        if item is not None:
            out = item if out is None else out | item
    return out


@dataclass(frozen=True)
class PromptHit:
    """A finding of LR602 or LR603: the rule code, the node to report at, the message and the handler."""

    code: str
    node: cst.CSTNode
    message: str
    context: str


@dataclass(frozen=True)
class _Field:
    text: bool
    bounded: bool


@dataclass(frozen=True)
class _Model:
    """A pydantic model a FastAPI handler takes: its fields (name -> text?, bounded?)."""

    fields: dict[str, _Field]

    @property
    def unbounded(self) -> bool:
        """True when some text field of the model has no size bound (``max_length``, ``constr``...)."""
        return any(f.text and not f.bounded for f in self.fields.values())


def prompt_hits(ctx: FileContext) -> list[PromptHit]:
    """LR602 and LR603 hits of the module (memoised: both rules share one analysis per file)."""
    cached = ctx.memo.get("prompt-flow")
    if isinstance(cached, list):
        return cached
    hits: list[PromptHit] = []
    if not is_test_path(ctx.path):
        for label, context, func, framework in handlers(ctx):
            hits.extend(Flow(ctx, func, label, context, framework).hits())
    ctx.memo["prompt-flow"] = hits
    return hits


#: Starlette/FastAPI WebSocket reads: each is a message the client sent.
_SOCKET_RECEIVES = frozenset({"receive_text", "receive_json", "receive_bytes"})


def _drf_action(func: cst.FunctionDef) -> bool:
    """True for a DRF ViewSet extra action (``@action(detail=True, methods=["post"])``): the router serves it
    at its own URL, with the request as its second parameter."""
    return any((dotted(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator) or "")
               .rsplit(".", 1)[-1] == "action" for d in func.decorators)


def handlers(ctx: FileContext) -> Iterator[tuple[str, str, cst.FunctionDef, str]]:
    """``(label, context, function, framework)`` of every route handler and Socket.IO event handler."""
    index = index_of(ctx)
    routes: dict[str, Route] = {}
    for route in routes_of(ctx):
        routes.setdefault(route.name, route)
    seen: set[int] = set()
    flask_request = ctx.imports.qualify(cst.Name("request")) in ("flask.request", "quart.request")
    handed = {c.func.value for c in index.calls if isinstance(c.func, cst.Name) and c.args and
              isinstance(c.args[0].value, cst.Name) and c.args[0].value.value in REQUEST_NAMES}
    actions = project_facts(ctx.project, ctx.knowledge).view_actions
    for cls in index.classes:
        owner = routes.get(cls.name.value)
        if owner is None:
            continue
        for stmt in cls.body.body:
            if isinstance(stmt, cst.FunctionDef) and (stmt.name.value in _METHOD_NAMES or _drf_action(stmt)
                                                      or stmt.name.value in actions):
                seen.add(id(stmt))
                method = stmt.name.value
                label = f"{method.upper()} {owner.url}" if owner.url and method in ("get", "post", "put", "patch") \
                    else f"{owner.label} {cls.name.value}.{method}"
                yield label, f"{owner.context}.{method}", stmt, owner.framework
    for func in index.functions:
        if id(func) in seen:
            continue
        handler = routes.get(func.name.value)
        if handler is not None:
            yield handler.label, handler.context, func, handler.framework
        elif is_socket_handler(func):
            yield f"Socket.IO event {func.name.value}", f"socket handler {func.name.value}", func, "socketio"
        elif flask_request and _reads_request(func):  # a controller a route delegates to (`return chat()`)
            yield f"handler {func.name.value}", f"function {func.name.value}", func, "flask"
        elif routes and func.name.value in handed and _reads_request_param(func):
            # a view's helper the module hands its request to (``return handle_post_request(request, room)``)
            framework = next(iter(routes.values())).framework
            yield f"handler {func.name.value}", f"function {func.name.value}", func, framework


class Flow:
    """The taint analysis of one handler (see the module docstring)."""

    def __init__(self, ctx: FileContext, func: cst.FunctionDef, label: str, context: str, framework: str,
                 seed: dict[str, Taint] | None = None) -> None:
        self.ctx = ctx
        self.func = func
        self.label = label
        self.context = context
        self.framework = framework
        self.env: dict[str, Taint] = {}
        self.requests: set[str] = set()
        self.models: dict[str, _Model] = {}
        #: Request text the handler writes to the database, and the tables (model classes, collections) it
        #: goes to: a later read of one of them returns it (the conversation history sent back to the model).
        self.stored: Taint | None = None
        self.tables: set[str] = set()
        #: Serializers the handler builds (``serializer = MessageSerializer(data=request.data)``): their
        #: ``validated_data`` is as long as their fields allow.
        self.serializers: dict[str, Taint] = {}
        self._params(framework)
        self.env.update(seed or {})  # a helper's parameters that a handler passes request text to
        self._serializers()
        self.bounded = self._size_checked()
        self._propagate()

    # ---- sources ----
    def _params(self, framework: str) -> None:
        params = [*self.func.params.params, *self.func.params.kwonly_params]
        if self.ctx.imports.qualify(cst.Name("request")) in ("flask.request", "quart.request"):
            self.requests.add("request")
        path_params = set()
        for dec in self.func.decorators:
            if isinstance(dec.decorator, cst.Call) and dec.decorator.args:
                path = string_value(dec.decorator.args[0].value) or ""
                path_params |= {a or b for a, b in _PATH_PARAM.findall(path)}
        if framework == "socketio":
            data = [p for p in params if p.name.value not in ("self", "sid")]
            if data:
                self.env[data[0].name.value] = Taint.of(data[0].name.value, True, raw=True)
            return
        for param in params:
            name = param.name.value
            annotation = param.annotation.annotation if param.annotation else None
            unwrapped = _unwrap(annotation)
            type_name = (dotted(unwrapped) or "") if unwrapped is not None else ""
            if type_name.rsplit(".", 1)[-1] in ("Request", "HttpRequest", "WSGIRequest", "WebSocket") or \
                    (name in REQUEST_NAMES and not type_name):
                self.requests.add(name)
            elif framework in ("fastapi", "litestar", "ninja") and name != "self" and name not in path_params:
                self._fastapi_param(param, annotation)

    def _fastapi_param(self, param: cst.Param, annotation: cst.BaseExpression | None) -> None:
        name = param.name.value
        if next(depends_calls(param.default), None) or next(depends_calls(annotation), None) or \
                URL_KEY.search(name):
            return
        bounded = _has_bound(self.ctx, param.default) or _has_bound(self.ctx, annotation)
        base = _unwrap(annotation) if annotation is not None else None
        type_name = (dotted(base) or "") if base is not None else "str"
        last = type_name.rsplit(".", 1)[-1]
        if last in NON_TEXT_TYPES or _is_literal(base):
            return
        if last in ("str", "dict", "Dict", "Any", "list", "List", "Json") or \
                (isinstance(base, cst.Subscript) and last in ("list", "List", "dict", "Dict")):
            self.env[name] = Taint.of(name, not bounded, raw=last != "str")
            return
        model = _pydantic_model(self.ctx, base) if base is not None else None
        if model is None:  # a type we cannot read: text, size unknown (not claimed unbounded)
            self.env[name] = Taint.of(name, False)
            return
        self.models[name] = model
        loose = frozenset(k for k, f in model.fields.items() if f.text and not f.bounded)
        # the whole model handed on (`event_generator(body)`): its unbounded fields name it
        self.env[name] = Taint(loose, loose) if loose and not bounded else Taint.of(name, False)

    def _serializers(self) -> None:
        for node in walk(self.func.body):
            if not (isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.value, cst.Call)):
                continue
            target = node.targets[0].target
            func = self._view_serializer(node.value.func) or node.value.func
            found = serializer_data(self.ctx, func) if isinstance(target, cst.Name) else None
            if found is not None and isinstance(target, cst.Name):
                self.serializers[target.value] = found

    def _view_serializer(self, func: cst.BaseExpression) -> cst.BaseExpression | None:
        """The serializer class a DRF generic view's ``self.get_serializer(data=...)`` (or
        ``self.serializer_class(...)``, ``self.get_serializer_class()(...)``) builds: the ``serializer_class``
        attribute of the class that holds the handler."""
        if (dotted(func) or "").replace("()", "") not in _VIEW_SERIALIZER_CALLS:
            return None
        owner = next((c for c in walk(self.ctx.module) if isinstance(c, cst.ClassDef)
                      and any(s is self.func for s in c.body.body)), None)
        return _class_assigns(owner).get("serializer_class") if owner is not None else None

    def _is_request(self, expr: cst.BaseExpression) -> bool:
        return (isinstance(expr, cst.Name) and expr.value in self.requests) or \
            (dotted(expr) or "") == "self.request"

    # ---- bounds ----
    def _size_checked(self) -> set[str]:
        """Code of every expression whose size the handler checks or validates."""
        out: set[str] = set()
        # the test of a conditional expression shapes that one value (``title = text[:40] + "…" if len(text) > 40
        # else text``), it guards nothing else: see ``_taint``
        chosen = {id(n.test) for n in walk(self.func.body) if isinstance(n, cst.IfExp)}
        for node in walk(self.func.body):
            if isinstance(node, cst.Comparison) and id(node) not in chosen and not _emptiness_test(node):
                out |= self._checked(node)
            elif isinstance(node, cst.Assign) and isinstance(node.value, cst.IfExp):
                # ... unless it re-binds the value it measured: `text = text if len(text) <= N else text[:N]`
                targets = {self.ctx.code_of(t.target) for t in node.targets}
                out |= self._checked(node.value.test) & targets
            elif isinstance(node, cst.Call) and set(_words_of(node.func)) & _VALIDATE_WORDS and \
                    not self._sends_prompt(node):
                # `error = validate_data(data)`; a helper that hands the text to a model checks nothing of its size
                # (`checkSolution(exercise, user_answer)` has GPT-4 grade the answer: set 26 next_step_v1)
                out |= {self.ctx.code_of(e) for e in _call_inputs(node)}
        return out

    def _checked(self, test: cst.CSTNode) -> set[str]:
        """Code of the expressions a size check measures (``len(x) > N``, ``count_tokens(x) > N``)."""
        out: set[str] = set()
        for call in walk(test):
            if isinstance(call, cst.Call) and set(_words_of(call.func)) & SIZE_CHECK_WORDS:
                out |= {self.ctx.code_of(e) for e in _call_inputs(call)}
        return out

    # ---- propagation ----
    def _bindings(self) -> list[tuple[cst.BaseExpression, cst.BaseExpression]]:
        out: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
        for node in walk(self.func.body):
            if isinstance(node, cst.Assign):
                out.extend((t.target, node.value) for t in node.targets)
            elif isinstance(node, (cst.AnnAssign, cst.AugAssign)) and node.value is not None:
                out.append((node.target, node.value))
            elif isinstance(node, (cst.For, cst.CompFor)):
                out.append((node.target, node.iter))
            elif isinstance(node, cst.NamedExpr):
                out.append((node.target, node.value))
            elif isinstance(node, cst.WithItem) and node.asname is not None:
                out.append((node.asname.name, node.item))
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.args and \
                    node.func.attr.value in ("append", "extend", "insert", "update", "appendleft", "add"):
                out.append((node.func.value, node.args[-1].value))
        return out

    def _propagate(self) -> None:
        bindings = self._bindings()
        writes = [c for c in walk(self.func.body) if isinstance(c, cst.Call) and self._db_write(c)]
        for _round in range(5):
            stored = _join(self._stored(c, bindings) for c in writes)
            changed = stored != self.stored
            self.stored = stored
            for target, value in bindings:
                taint = self.taint(value)
                if taint is None:
                    continue
                for name in _target_names(target):
                    old = self.env.get(name)
                    new = taint if old is None else old | taint
                    if new != old:
                        self.env[name] = new
                        changed = True
            if not changed:
                break

    # ---- the database as a carrier ----
    def _db_write(self, call: cst.Call) -> bool:
        """``db.session.add(msg)``, ``Message.objects.create(...)``, ``collection.insert_one(...)``, or
        ``msg.save()`` on a row built in the handler: records the written tables."""
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value not in _DB_WRITES:
            return False
        receiver = dotted(call.func.value) or ""
        if call.func.attr.value == "save" and not call.args:
            return bool(receiver) and "." not in receiver
        if not is_db_call(self.ctx, call) or is_model_call(self.ctx, call, deep=False):
            return False
        root = receiver.split(".")[0]
        if root[:1].isupper():
            self.tables.add(root)  # ``Message.objects.create``
        elif call.func.attr.value in ("insert_one", "insert_many", "update_one", "replace_one"):
            self.tables.add(receiver)  # ``db.messages.insert_one``
        return True

    def _stored(self, call: cst.Call, bindings: list[tuple[cst.BaseExpression, cst.BaseExpression]]) -> Taint | None:
        """The request text a database write stores: its arguments, the rows built for it (``Message(content=
        text)`` assigned to a local and added), or for ``msg.save()`` the row itself."""
        assert isinstance(call.func, cst.Attribute)
        values: list[cst.BaseExpression] = [a.value for a in call.args]
        if call.func.attr.value == "save" and not call.args:
            values.append(call.func.value)
        return _join(self._row(v, bindings, 0) for v in values)

    def _row(self, expr: cst.BaseExpression, bindings: list[tuple[cst.BaseExpression, cst.BaseExpression]],
             depth: int) -> Taint | None:
        name = (dotted(expr.func) or "") if isinstance(expr, cst.Call) else ""
        if name[:1].isupper() and "." not in name:
            self.tables.add(name)  # ``Message(content=text)``
        found = self.taint(expr)
        if found is not None or depth > 2:
            return found
        if isinstance(expr, cst.Call):
            return _join(self._row(a.value, bindings, depth + 1) for a in expr.args)
        if isinstance(expr, cst.Name):
            return _join(self._row(v, bindings, depth + 1) for t, v in bindings
                         if isinstance(t, cst.Name) and t.value == expr.value)
        return None

    def _read_back(self, call: cst.Call) -> Taint | None:
        """What a database read returns: the stored request text when it reads a table the handler wrote."""
        if self.stored is None or not self.tables or not is_db_call(self.ctx, call):
            return None
        code = self.ctx.code_of(call)
        return self.stored if any(re.search(rf"(?<![\w.]){re.escape(t)}\b", code) for t in self.tables) else None

    def taint(self, expr: cst.BaseExpression) -> Taint | None:
        """What ``expr`` carries, or None for no request text."""
        found = self._taint(expr)
        if found is not None and found.unbounded and self.ctx.code_of(expr) in self.bounded:
            return found.bounded()
        return found

    def _taint(self, expr: cst.BaseExpression) -> Taint | None:
        if isinstance(expr, cst.Name):
            return self.env.get(expr.value)
        if isinstance(expr, (cst.Await, cst.StarredElement)):
            return self.taint(expr.value if isinstance(expr, cst.StarredElement) else expr.expression)
        if isinstance(expr, cst.FormattedString):
            return _join(self.taint(p.expression) for p in expr.parts if isinstance(p, cst.FormattedStringExpression))
        if isinstance(expr, cst.ConcatenatedString):
            return _join((self.taint(expr.left), self.taint(expr.right)))
        if isinstance(expr, cst.BinaryOperation):
            return _join((self.taint(expr.left), self.taint(expr.right)))
        if isinstance(expr, cst.BooleanOperation):
            return _join((self.taint(expr.left), self.taint(expr.right)))
        if isinstance(expr, cst.IfExp):  # `p if len(p) <= N else p[:N]`: a value chosen by its size is bounded
            found = _join((self.taint(expr.body), self.taint(expr.orelse)))
            sized = isinstance(expr.test, cst.Comparison) and bool(self._checked(expr.test))
            return found.bounded() if found is not None and sized else found
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            return _join(self.taint(e.value) for e in expr.elements)
        if isinstance(expr, cst.Dict):
            return _join(self.taint(e.value) for e in expr.elements)
        if isinstance(expr, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            return self.taint(expr.elt)
        if isinstance(expr, cst.DictComp):
            return self.taint(expr.value)
        if isinstance(expr, cst.Attribute):
            return self._attribute(expr)
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr)
        if isinstance(expr, cst.Call):
            return self._call(expr)
        return None

    def _attribute(self, expr: cst.Attribute) -> Taint | None:
        attr = expr.attr.value
        if attr in ("validated_data", "cleaned_data") and isinstance(expr.value, cst.Name) and \
                expr.value.value in self.serializers:
            return self.serializers[expr.value.value]
        if attr in ("cleaned_data", "validated_data"):
            return Taint.of("form", False, raw=True)
        if self._is_request(expr.value):
            return Taint.of("body", True, raw=True) if attr in REQUEST_BODY_ATTRS else None
        if isinstance(expr.value, cst.Name) and expr.value.value in self.models:
            found = self.models[expr.value.value].fields.get(attr)
            if found is not None and not found.text:
                return None
            return Taint.of(attr, found is not None and not found.bounded)
        base = self.taint(expr.value)
        if base is None or attr in ("role", "type", "id", "name"):
            return None
        return base.narrow(attr)

    def _subscript(self, expr: cst.Subscript) -> Taint | None:
        base = self.taint(expr.value)
        element = expr.slice[0].slice if len(expr.slice) == 1 else None
        if base is None:
            return None  # a lookup in a server table (`PERSONAS[persona]`) is the table's text
        if isinstance(element, cst.Slice):
            if isinstance(expr.value, cst.Call) and is_db_call(self.ctx, expr.value):
                return base  # ``Message.objects.filter(...)[:20]``: fewer rows, each as long as it was stored
            return base if element.upper is None and element.lower is None else base.bounded()
        key = string_value(element.value) if isinstance(element, cst.Index) else None
        if key in ("role", "type", "id"):
            return None
        return base.narrow(key) if key is not None else Taint(base.fields, base.loose)

    def _call(self, expr: cst.Call) -> Taint | None:
        func = expr.func
        name = dotted(func) or ""
        last = func.attr.value if isinstance(func, cst.Attribute) else name.replace("()", "").rsplit(".", 1)[-1]
        if last in NON_TEXT_CALLS:
            return None
        history = self._read_back(expr)
        if history is not None:
            return history
        if isinstance(func, cst.Attribute):
            if self._is_request(func.value):
                if last in REQUEST_BODY_ATTRS:
                    return Taint.of("body", True, raw=True)
                if last in _SOCKET_RECEIVES:  # ``data = await websocket.receive_text()``: what the client sent
                    return Taint.of("message", True, raw=True)
                return None
            receiver = self.taint(func.value)
            if last in ("get", "pop", "getlist", "setdefault") and expr.args:
                if receiver is None:
                    return None  # `PERSONAS.get(persona)`
                key = string_value(expr.args[0].value)
                if key in ("role", "type", "id"):
                    return None
                return receiver.narrow(key) if key is not None else Taint(receiver.fields, receiver.loose)
            if last in _STRING_METHODS or last == "join":
                return _join((receiver, *(self.taint(a.value) for a in expr.args)))
        words_ = set(words(last))
        if words_ & TRUNCATE_WORDS:
            found = _join(self.taint(a.value) for a in expr.args)
            return found.bounded() if found is not None else None
        if last in ("loads", "parse_raw", "model_validate_json"):
            return _join(self.taint(a.value) for a in expr.args)
        if last in _PASSTHROUGH or last in SYSTEM_MESSAGE_CLASSES or last.endswith("Message") or \
                words_ & PROMPT_BUILDER_WORDS:
            return _join(self.taint(a.value) for a in expr.args)
        if not expr.args and self.framework in ("flask", "quart"):
            # a helper of this module that returns what it reads off the request (``def extract_user_input():
            # return request.get_json().get("message", "")``)
            local = self.ctx.project.local_definition(self.ctx.module, name) if "." not in name else None
            if isinstance(local, cst.FunctionDef) and _returns_request(local):
                found_key = re.search(r"""(?:\.get\(\s*|\[\s*)["'](\w+)["']""", self.ctx.code_of(local.body))
                return Taint.of(found_key.group(1) if found_key else local.name.value, True)
        return None

    # ---- sinks ----
    def hits(self) -> list[PromptHit]:
        """LR602 (first model call of the handler that gets unbounded request text) and LR603 hits."""
        if not self.env and not self.requests:
            return []
        out = self._system_hits()
        order = {id(c): i for i, c in enumerate(index_of(self.ctx).calls)}
        ordered = sorted((n for n in walk(self.func.body) if isinstance(n, cst.Call)),
                         key=lambda c: order.get(id(c), 0))
        # each call, then the call it runs (``executor.submit(partial(service.ask, q))``), reported on the first
        calls = [(c, a) for a in ordered for c in (a, run_target(self.ctx, a)) if c is not None]
        for call, anchor in calls:
            sdk = in_modules(qualified_call(self.ctx, call), MODEL_MODULES) or \
                _attribute_tail(call.func).endswith(_PROMPT_SUFFIXES)
            found = _join(self.taint(a.value) for a in expr_args(call, helper=not sdk))
            if found is not None and found.unbounded and not _builds_prompt(call) and self._sends_prompt(call):
                target = self.ctx.code_of(call.func)
                out.append(PromptHit("LR602", anchor, f"{self.label} sends request field {found.label(True)} to the "
                                     f"model (`{target}`) with no server-side size limit: no max_length, "
                                     "length check or truncation", self.context))
                break
        return out

    def _sends_prompt(self, call: cst.Call) -> bool:
        """True when ``call`` calls a model: an SDK call, or a project function or class method whose own body
        calls one. A helper named for storage (``aget_agent_by_slug``, ``save_memory``) counts only when its
        own body calls a model SDK directly (the class may talk to a model elsewhere)."""
        if twilio_send(call):
            return False
        if _attribute_tail(call.func).endswith(_PROMPT_SUFFIXES):
            return True
        if _attribute_tail(call.func).rsplit(".", 1)[-1] in MODEL_SESSION_FACTORIES:
            return False  # ``model.start_chat(history=...)`` sends nothing until ``send_message``
        callee = callee_of(self.ctx, call)
        local = local_models(self.ctx, self.func)
        # the same judgement as the route facts LR601 reads (``is_model_call``), so that a helper LR601 counts
        # as a model call (``Ollama.generate`` by its words) is one here too, whatever its body shows
        verdict = (callee is not None and body_facts(*callee).calls_model) or is_model_call(self.ctx, call, local)
        if not verdict:
            return False
        name = qualified_call(self.ctx, call, local).replace("()", "")
        if in_modules(name, MODEL_MODULES) or name.endswith(MODEL_CALL_SUFFIXES):
            return True
        verbs = {w[1:] if w.startswith("a") and w[1:] in _STORAGE_WORDS else w for w in words(name.rsplit(".", 1)[-1])}
        if not verbs & _STORAGE_WORDS:
            return True
        return callee is not None and _calls_sdk(*callee)

    def _system_hits(self) -> list[PromptHit]:
        out: list[PromptHit] = []
        reported: set[str] = set()
        for node in walk(self.func.body):
            if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and node.value is not None:
                targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
                names = [t.value for t in targets if isinstance(t, cst.Name) and SYSTEM_VARIABLE.match(t.value)]
                found = self.taint(node.value) if names else None
                if found is not None:
                    reported.update(names)
                    out.append(self._system_hit(node.value, found, f"the system prompt `{names[0]}`"))
        for node in walk(self.func.body):
            sink = self._system_sink(node)
            if sink is None:
                continue
            value, how = sink
            found = self.taint(value)
            if found is not None and not (isinstance(value, cst.Name) and value.value in reported):
                out.append(self._system_hit(value, found, how))
        return out

    def _system_hit(self, node: cst.CSTNode, found: Taint, how: str) -> PromptHit:
        return PromptHit("LR603", node, f"{self.label} places request field {found.label()} into {how}: the "
                         "caller can rewrite the app's instructions; keep user text in the user role",
                         self.context)

    def _system_sink(self, node: cst.CSTNode) -> tuple[cst.BaseExpression, str] | None:
        """The value a system-prompt slot receives, and how the message names the slot."""
        if isinstance(node, cst.Dict):
            entries = {string_value(e.key): e.value for e in node.elements
                       if isinstance(e, cst.DictElement) and string_value(e.key) is not None}
            role = string_value(entries.get("role"))
            content = entries.get("content", entries.get("parts"))
            if role in SYSTEM_ROLES and content is not None:
                return content, f"a `{role}`-role message"
        elif isinstance(node, cst.Tuple) and len(node.elements) == 2 and \
                string_value(node.elements[0].value) in SYSTEM_ROLES:
            return node.elements[1].value, "a `(\"system\", ...)` prompt message"
        elif isinstance(node, cst.Call):
            return self._call_sink(node)
        return None

    def _call_sink(self, call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
        name = self.ctx.imports.qualify(call.func) or ""
        last = name.replace("()", "").rsplit(".", 1)
        cls = last[0].rsplit(".", 1)[-1] if len(last) > 1 else ""
        if last[-1] in SYSTEM_MESSAGE_CLASSES or (cls in SYSTEM_MESSAGE_CLASSES and last[-1] == "from_template"):
            value = next((a.value for a in call.args if a.keyword is None or
                          a.keyword.value in ("content", "template", "prompt")), None)
            return (value, f"`{last[-1] if last[-1] != 'from_template' else cls}`") if value is not None else None
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if string_value(keywords.get("role")) in SYSTEM_ROLES and "content" in keywords:
            return keywords["content"], "a `system`-role message"
        for key, value in keywords.items():
            if key in SYSTEM_KEYWORDS:
                if key in MODEL_ONLY_KEYWORDS and not (in_modules(name, (*MODEL_MODULES, "agents")) or
                                                       is_model_call(self.ctx, call, deep=False)):
                    continue
                callee = callee_of(self.ctx, call)
                if (callee is not None and not body_facts(*callee).calls_model) or \
                        (callee is None and _project_name(self.ctx, name)):
                    # a project function that stores it (``create_chat(system_prompt=...)``) sends nothing; one
                    # whose code is out of sight (a method of an imported instance) is not judged by a keyword
                    continue
                return value, f"the `{key}=` argument"
        return None


def _project_name(ctx: FileContext, qualified: str) -> bool:
    """True when ``qualified`` (``apps.chats.pipeline.chat_pipeline.create_chat``) lies in a project module."""
    parts = absolute(qualified.replace("()", ""), ctx.path).split(".")
    return any(ctx.project.find_module(".".join(parts[:i])) is not None for i in range(len(parts) - 1, 0, -1))


def callee_of(ctx: FileContext, call: cst.Call) -> tuple[FileContext, cst.FunctionDef] | None:
    """The project function, or method of a project class (``Class.method``), that ``call`` runs."""
    qualified = (ctx.imports.qualify(call.func) or "").replace("()", "")
    found = ctx.project.definition(qualified, ctx.path) if qualified else None
    if found is not None and isinstance(found[1], cst.FunctionDef):
        module = ctx.project.module(found[0])
        return (context_of(ctx, found[0], module), found[1]) if module is not None else None
    owner, _, method = qualified.rpartition(".")
    found = ctx.project.definition(owner, ctx.path) if owner else None
    if found is None or not isinstance(found[1], cst.ClassDef):
        return None
    module = ctx.project.module(found[0])
    for stmt in found[1].body.body:
        if module is not None and isinstance(stmt, cst.FunctionDef) and stmt.name.value == method:
            return context_of(ctx, found[0], module), stmt
    return None


def _calls_sdk(ctx: FileContext, func: cst.FunctionDef, depth: int = 1) -> bool:
    """True when ``func``'s own body calls a model SDK, or (``depth`` more levels) calls a function of the same
    module whose own body does (``get_openai_response`` wrapping ``ask_openai`` in a try)."""
    for node in walk(func.body):
        if isinstance(node, cst.Call):
            name = qualified_call(ctx, node).replace("()", "")
            if (in_modules(name, MODEL_MODULES) or _attribute_tail(node.func).endswith(_PROMPT_SUFFIXES)) and \
                    not twilio_send(node):
                return True
            if depth > 0 and isinstance(node.func, cst.Name):
                local = ctx.project.local_definition(ctx.module, node.func.value)
                if isinstance(local, cst.FunctionDef) and local is not func and _calls_sdk(ctx, local, depth - 1):
                    return True
    return False


def _reads_request_param(func: cst.FunctionDef) -> bool:
    """True when a function's first parameter is the request (``request``/``req``, no other annotation) and it
    reads that request's body, form or query: a view hands its request to it."""
    params = [p for p in func.params.params if p.name.value not in ("self", "cls")]
    if not params or params[0].name.value not in REQUEST_NAMES:
        return False
    name = params[0].name.value
    return any(isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and n.value.value == name
               and n.attr.value in REQUEST_BODY_ATTRS for n in walk(func.body))


def _returns_request(func: cst.FunctionDef) -> bool:
    """True when a function reads the Flask ``request`` body and returns a value read from it."""
    if not _reads_request(func):
        return False
    returns = [n.value for n in walk(func.body) if isinstance(n, cst.Return) and n.value is not None]
    return any(any(isinstance(x, cst.Name) and x.value in ("request", "data", "body", "payload", "json_data")
                   for x in walk(r)) for r in returns)


def _reads_request(func: cst.FunctionDef) -> bool:
    """True when a function reads the Flask/Quart ``request`` global's body, form or query."""
    return any(isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and n.value.value == "request"
               and n.attr.value in REQUEST_BODY_ATTRS for n in walk(func.body))


def _attribute_tail(func: cst.BaseExpression) -> str:
    """The attribute names at the end of a callee, whatever it starts from: ``chat.completions.create`` for
    ``clients["openai"].chat.completions.create`` (a client looked up in a dict has no dotted name)."""
    names: list[str] = []
    while isinstance(func, cst.Attribute):
        names.append(func.attr.value)
        func = func.value
    return ".".join(reversed(names))


def _builds_prompt(call: cst.Call) -> bool:
    """True for a message or prompt-template constructor (LangChain ``SystemMessage``,
    ``ChatPromptTemplate.from_messages``) or a resource call (``files.delete``): not a prompt sent to a model,
    though its module is a model SDK's."""
    name = (dotted(call.func) or "").replace("()", "")
    parts = name.split(".")
    return parts[-1].endswith(("Message", "Template", "PromptTemplate")) or parts[-1] in _MANAGEMENT_CALLS or \
        parts[-1] in ("from_messages", "from_template", "format_messages", "partial") or \
        any(p.endswith("Template") for p in parts[:-1])


def expr_args(call: cst.Call, helper: bool = False) -> list[cst.Arg]:
    """The arguments of a model call that carry prompt text (settings such as ``model=`` left out). ``helper``:
    a project function, whose ``user=`` is the user's message (``generate_with_provider(m, system=...,
    user=final_prompt)``), not the SDKs' end-user id."""
    settings = _SETTING_KEYWORDS - {"user"} if helper else _SETTING_KEYWORDS
    return [a for a in call.args if a.keyword is None or a.keyword.value not in settings]


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value)]
    if isinstance(target, (cst.Subscript, cst.Attribute)):
        return _target_names(target.value)
    return []


def _emptiness_test(node: cst.Comparison) -> bool:
    """True for a size compared with 0 or 1 or a minimum (``len(content) < 1``, ``len(q) == 0``, ``len(q) >
    0``, ``len(q) < MIN_LEN``): it refuses empty input and bounds nothing (set 22 Jasper)."""
    if len(node.comparisons) != 1:
        return False
    sides = (node.left, node.comparisons[0].comparator)
    for side in sides:
        if isinstance(side, cst.Integer) and side.evaluated_value <= 1:
            return True
        if isinstance(side, (cst.Name, cst.Attribute)) and "min" in words((dotted(side) or "").rsplit(".", 1)[-1]):
            return True
    return False


def _words_of(expr: cst.BaseExpression) -> tuple[str, ...]:
    name = dotted(expr) or ""
    return words(name.replace("()", "").rsplit(".", 1)[-1])


def _call_inputs(call: cst.Call) -> Iterator[cst.BaseExpression]:
    """The arguments of a size check, and the arguments of calls inside them (``len(enc.encode(x))``)."""
    for arg in call.args:
        yield arg.value
        inner = arg.value
        while isinstance(inner, cst.Call) and inner.args:
            inner = inner.args[0].value
            yield inner


def _unwrap(annotation: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """``Annotated[X, ...]``, ``Optional[X]``, ``X | None`` -> ``X``."""
    if isinstance(annotation, cst.Subscript) and (dotted(annotation.value) or "").rsplit(".", 1)[-1] in \
            ("Annotated", "Optional"):
        first = annotation.slice[0].slice
        return _unwrap(first.value) if isinstance(first, cst.Index) else annotation
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        left = annotation.left
        return _unwrap(annotation.right if isinstance(left, cst.Name) and left.value == "None" else left)
    return annotation


def _is_literal(annotation: cst.BaseExpression | None) -> bool:
    return isinstance(annotation, cst.Subscript) and (dotted(annotation.value) or "").endswith("Literal")


def _has_bound(ctx: FileContext, expr: cst.BaseExpression | None) -> bool:
    """True when ``expr`` (an annotation or default) sets a size bound: ``max_length=``, ``constr(...)``,
    ``StringConstraints(max_length=...)``, ``conlist(..., max_length=...)``."""
    if expr is None:
        return False
    return any(isinstance(n, cst.Arg) and n.keyword is not None and n.keyword.value in BOUND_KEYWORDS
               for n in walk(expr))


def _pydantic_model(ctx: FileContext, annotation: cst.BaseExpression, depth: int = 0) -> _Model | None:
    """The fields of the pydantic model ``annotation`` names (this module or the project), or None."""
    found = _class_of(ctx, annotation)
    if found is None or depth > 2:
        return None
    cls, module_ctx = found
    validated: set[str] = set()
    bounded_all = False
    fields: dict[str, _Field] = {}
    for base in cls.bases:
        parent = _pydantic_model(module_ctx, base.value, depth + 1)
        if parent is not None:
            fields.update(parent.fields)
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef):
            for dec in stmt.decorators:
                call = dec.decorator
                if isinstance(call, cst.Call) and (dotted(call.func) or "").endswith("validator"):
                    validated |= {v for a in call.args if (v := string_value(a.value)) is not None}
                    validated |= {"*"} if any(string_value(a.value) == "*" for a in call.args) else set()
        elif isinstance(stmt, cst.ClassDef) and stmt.name.value == "Config":
            bounded_all |= any(isinstance(n, cst.Name) and n.value in BOUND_KEYWORDS for n in walk(stmt))
        elif isinstance(stmt, cst.SimpleStatementLine):
            small = stmt.body[0]
            if isinstance(small, cst.Assign) and dotted(small.targets[0].target) == "model_config":
                bounded_all |= _has_bound(ctx, small.value)
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                key = small.target.value
                parts = words(key)
                fields[key] = _field(module_ctx, small, depth) if parts and parts[-1] not in NON_TEXT_KEY_WORDS \
                    else _Field(False, True)  # `conversation_id: str` is an id, not prompt text
    if bounded_all or "*" in validated:
        return _Model({k: _Field(f.text, True) for k, f in fields.items()})
    return _Model({k: _Field(f.text, f.bounded or k in validated) for k, f in fields.items()})


def _field(ctx: FileContext, stmt: cst.AnnAssign, depth: int) -> _Field:
    annotation = stmt.annotation.annotation
    if _has_bound(ctx, annotation) or _has_bound(ctx, stmt.value):
        return _Field(True, True)
    base = _unwrap(annotation)
    last = (dotted(base) or "").rsplit(".", 1)[-1] if base is not None else ""
    if last in NON_TEXT_TYPES or _is_literal(base) or last.endswith(("Enum", "Role")):
        return _Field(False, True)
    if last in ("str", "Any", "dict", "Dict", "Json", "list", "List", ""):  # ``messages: list``: any size
        return _Field(True, False)
    if isinstance(base, cst.Subscript) and last in ("list", "List", "Sequence", "tuple"):
        first = base.slice[0].slice
        item = first.value if isinstance(first, cst.Index) else None
        nested = _pydantic_model(ctx, item, depth + 1) if item is not None else None
        if nested is not None:
            return _Field(True, not nested.unbounded)
        item_name = (dotted(item) or "") if item is not None else ""
        return _Field(item_name not in NON_TEXT_TYPES, item_name in NON_TEXT_TYPES)
    nested = _pydantic_model(ctx, base, depth + 1) if base is not None else None
    if nested is not None:
        return _Field(True, not nested.unbounded)
    return _Field(True, True)  # a type we cannot read (an Enum from elsewhere, a custom type): not claimed


def _class_of(ctx: FileContext, annotation: cst.BaseExpression) -> tuple[cst.ClassDef, FileContext] | None:
    name = dotted(annotation)
    if not name:
        return None
    if "." not in name:
        local = ctx.project.local_definition(ctx.module, name)
        if isinstance(local, cst.ClassDef):
            return local, ctx
    qualified = ctx.imports.qualify(annotation) or name
    found = ctx.project.definition(qualified, ctx.path)
    if found is None and "." in qualified:  # re-exported: `from .helpers import ChatRequestBody` (one hop)
        owner, _, last = qualified.rpartition(".")
        path = ctx.project.find_module(owner)
        target = ctx.project.imports(path).aliases.get(last) if path is not None else None
        found = ctx.project.definition(target, path) if target and path is not None else None
    if found is None or not isinstance(found[1], cst.ClassDef):
        return None
    module = ctx.project.module(found[0])
    if module is None:
        return None
    return found[1], context_of(ctx, found[0], module)


#: How a DRF generic view builds its own serializer (``serializer_class``).
_VIEW_SERIALIZER_CALLS = frozenset({"self.get_serializer", "self.serializer_class", "self.get_serializer_class"})
#: DRF serializer fields and Django model fields that hold text of any length unless given ``max_length``.
_OPEN_TEXT_FIELDS = frozenset({"CharField", "TextField", "JSONField"})


def serializer_data(ctx: FileContext, func: cst.BaseExpression) -> Taint | None:
    """What ``validated_data`` of a DRF serializer built by calling ``func`` carries: its text fields, those
    with no size bound loose (a ``ModelSerializer`` over a ``TextField``, a ``serializers.CharField()`` with no
    ``max_length``), keyed by field name; fields and ``Meta`` of the project's base serializers are inherited
    (``class TherapistMessageSerializer(BaseMessageSerializer)`` with ``class Meta(BaseMessageSerializer.Meta)``).
    None when ``func`` is not a serializer class of the project."""
    found = _class_of(ctx, func)
    if found is None:
        return None
    cls, module_ctx = found
    if not _serializer_class(cls):
        return None
    fields, methods, _ = _serializer_fields(cls, module_ctx, 0)
    if methods & {"validate", "clean"}:
        return Taint(frozenset(fields), frozenset(), raw=True, keyed=True)
    loose = frozenset(k for k, v in fields.items()
                      if v and f"validate_{k}" not in methods and f"clean_{k}" not in methods)
    return Taint(frozenset(fields), loose, raw=True, keyed=True)


def _serializer_class(cls: cst.ClassDef) -> bool:
    """A DRF serializer (``ModelSerializer[Message]`` too) or a Django form, whose ``validated_data`` /
    ``cleaned_data`` is as long as its fields allow (``forms.CharField()`` and a ModelForm over a ``TextField``
    have no bound)."""
    bases = (b.value.value if isinstance(b.value, cst.Subscript) else b.value for b in cls.bases)
    return any((dotted(b) or "").endswith(("Serializer", "Form")) for b in bases)


#: How many project base serializers are followed up.
_SERIALIZER_BASES = 3


def _serializer_fields(cls: cst.ClassDef, ctx: FileContext,
                       depth: int) -> tuple[dict[str, bool], set[str], dict[str, cst.BaseExpression]]:
    """``(fields, validators, Meta values)`` of a serializer class: field name -> open text (no size bound),
    the names of its validator methods that measure or cut (``_measures``), and its ``Meta`` assignments, each
    merged over those of its project base serializers."""
    fields: dict[str, bool] = {}
    methods: set[str] = set()
    inherited: dict[str, cst.BaseExpression] = {}
    for base in cls.bases:
        expr = base.value.value if isinstance(base.value, cst.Subscript) else base.value
        found = _class_of(ctx, expr) if depth < _SERIALIZER_BASES and _serializer_class(cls) else None
        if found is not None and found[0] is not cls and _serializer_class(found[0]):
            base_fields, base_methods, base_meta = _serializer_fields(found[0], found[1], depth + 1)
            fields.update(base_fields)
            methods |= base_methods
            inherited = {**base_meta, **inherited}
    meta = next((s for s in cls.body.body if isinstance(s, cst.ClassDef) and s.name.value == "Meta"), None)
    own_meta = _class_assigns(meta) if meta is not None else {}
    listed_own = own_meta.get("fields")
    if listed_own is not None and not isinstance(listed_own, (cst.List, cst.Tuple, cst.SimpleString)):
        own_meta = {k: v for k, v in own_meta.items() if k != "fields"}  # ``Base.Meta.fields``: the base's list
    meta_values = {**inherited, **own_meta}
    model = meta_values.get("model")
    model_class = _class_of(ctx, model) if model is not None else None
    if model_class is not None:
        listed = meta_values.get("fields")
        names = None if listed is None or string_value(listed) == "__all__" else \
            {v for e in walk(listed) if isinstance(e, cst.SimpleString) and (v := string_value(e)) is not None}
        for name, value in _class_assigns(model_class[0]).items():
            if names is None or name in names:
                fields[name] = _open_text(value)
        extra = meta_values.get("extra_kwargs")
        bounded_extra = {string_value(e.key) for e in (extra.elements if isinstance(extra, cst.Dict) else ())
                         if isinstance(e, cst.DictElement) and any(string_value(k.key) in BOUND_KEYWORDS for k in
                                                                   walk(e.value) if isinstance(k, cst.DictElement))}
        fields.update({k: False for k in fields if k in bounded_extra})
    for name, value in _class_assigns(cls).items():
        if isinstance(value, cst.Call) and (dotted(value.func) or "").endswith("Field"):
            fields[name] = _open_text(value)
    # a validator bounds a field when it measures or cuts it (`if len(value) > 4000: raise ...`), not when it
    # only refuses an empty message
    methods |= {s.name.value for s in cls.body.body if isinstance(s, cst.FunctionDef) and _measures(s)}
    return fields, methods, meta_values


def _measures(func: cst.FunctionDef) -> bool:
    """True when a validator's body checks a size (``len(...)``, a token count) or truncates (``value[:N]``)."""
    for node in walk(func.body):
        if isinstance(node, cst.Call) and set(_words_of(node.func)) & SIZE_CHECK_WORDS:
            return True
        if isinstance(node, cst.Slice) and node.upper is not None:
            return True
    return False


def _class_assigns(cls: cst.ClassDef) -> dict[str, cst.BaseExpression]:
    """``name = value`` statements of a class body."""
    out: dict[str, cst.BaseExpression] = {}
    for stmt in cls.body.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            out[small.targets[0].target.value] = small.value
    return out


def _open_text(value: cst.BaseExpression) -> bool:
    """True for a text field with no ``max_length`` (``models.TextField()``, ``serializers.CharField()``)."""
    if not isinstance(value, cst.Call):
        return False
    last = (dotted(value.func) or "").rsplit(".", 1)[-1]
    return last in _OPEN_TEXT_FIELDS and not any(a.keyword is not None and a.keyword.value == "max_length"
                                                 for a in value.args)
