"""Find logging calls whose arguments carry sensitive data, with simple taint tracking inside each function.

Logging calls: ``logging.*``, loggers from ``logging.getLogger``/``structlog.get_logger``/loguru, anything
named ``*logger``/``*log`` (``app.logger``, ``self.log``), ``print``, ``pprint`` and ``warnings.warn``.
Arguments are classified (``sensitive.name_kinds`` on names, attributes, subscript keys and keyword names;
request bodies and fields; model call results) through f-strings, ``%``, ``.format`` and ``extra=``.
Variables assigned from a request, a model call or a sensitive value carry that kind within the function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from scanner.engines.python.base import Collector, FileContext
from scanner.engines.python.calls import is_model_call
from scanner.engines.python.log_callers import handed_answers, param_sources
from scanner.engines.python.log_sources import (
    SANITIZERS,
    env_name,
    is_main_guard,
    is_route,
    is_socket_handler,
    literal,
    param_kinds,
    sanitized,
    union,
)
from scanner.engines.python.names import dotted, in_modules, string_value, walk
from scanner.engines.python.project import Project, module_of
from scanner.engines.python.sensitive import KIND_CODES, NONE, Kinds, is_safe, name_kinds
from scanner.knowledge import LOG_METHODS, PROMPT_KEYS, env_credential, is_test_path, words
from scanner.knowledge.ratelimit import PY_NOT_MODEL_CALLS

_STRING = re.compile(r"""(['"])(.*?)\1""")
_KEY = re.compile(r"[\w .-]{0,24}")
_LOGGER_NAME = re.compile(r"(?i)^_*(log|logger|logging|\w*_log|\w*logger|log_\w+|logger_\w+)$")
_LOGGER_ROOTS = ("logging", "loguru.logger", "structlog", "logging.getLogger()", "structlog.get_logger()",
                 "structlog.getLogger()", "structlog.stdlib.get_logger()")
_PRINTS = frozenset({"print", "pprint", "pprint.pprint", "pprint.pp", "warnings.warn", "builtins.print"})
_SKIP_KWARGS = frozenset({"exc_info", "stack_info", "stacklevel", "level", "file", "sep", "end", "flush",
                          "category", "exc"})
_PASSTHROUGH = frozenset({"str", "repr", "dumps", "dict", "list", "format", "pformat", "shorten", "jsonify",
                          "tuple", "join", "loads", "asdict", "model_dump", "to_dict", "json", "model_to_dict",
                          "reversed", "sorted", "deepcopy"})
#: Standard-library functions whose result is their text argument rewritten (``re.sub(r"\s+", " ", answer)``) or
#: a piece of it (``re.search(r"=(.*\))", answer)``, whose ``.group(0)`` is that piece).
_TEXT_FUNCTIONS = frozenset({"re.sub", "re.subn", "re.search", "re.match", "re.fullmatch", "re.findall",
                             "textwrap.dedent", "textwrap.fill", "textwrap.indent",
                             "html.unescape", "html.escape", "unicodedata.normalize", "markdown.markdown"})
_STRING_METHODS = frozenset({"strip", "lower", "upper", "replace", "split", "encode", "decode", "format",
                             "title", "capitalize", "model_dump", "model_dump_json", "dict", "json",
                             "to_dict",
                             "items", "values", "copy", "lstrip", "rstrip", "splitlines", "text", "pop",
                             "popleft", "group", "groups"})
#: What a bound DRF serializer or Django form says about the body, not the body: its validation state.
_FORM_STATE = frozenset({"errors", "non_field_errors", "error_messages", "is_bound"})
#: Request attributes that hold what the client sent. Not ``files``: Werkzeug's and Starlette's uploaded-file objects
#: print as their file names and content types (``<FileStorage: 'tools.zip' ('application/zip')>``), not their
#: contents (set 25 tool_juggler).
_REQUEST_BODY = frozenset({"json", "data", "body", "form", "values", "POST", "GET", "args", "query_params",
                           "stream", "get_json", "get_data", "get_body", "path_params", "content"})
_REQUEST_SECRET = frozenset({"headers", "cookies", "META", "environ", "authorization"})
#: Fields of a member record that hold the person's name (``name`` alone is safe on anything else).
_PERSON_NAME_FIELDS = frozenset({"name", "full_name", "display_name", "fullname", "displayName"})
#: Keys of a chat message that are no text: its role, type, model, timestamps.
_NOT_CONTENT_KEYS = frozenset({"role", "type", "model", "status", "created_at", "updated_at", "timestamp",
                               "index", "finish_reason", "is_bot", "message_type", "title", "doc_title",
                               "tokens", "renew"})
#: Words of a helper that finds stored documents for the member's text (embeddings and a vector search): what it
#: returns is the app's own documents, not a model's answer.
_RETRIEVAL_WORDS = frozenset({"vector", "vectordb", "vectorstore", "retriever", "retrieve", "retrieval", "embed",
                              "embedding", "embeddings", "similarity", "similar"})


def _finds_documents(name: str) -> bool:
    """True when a call's dotted name (``VectorDBTool(user_id=uid)._run``, ``client.embeddings.create``) says it
    finds stored documents for a text, or embeds it (:data:`_RETRIEVAL_WORDS`)."""
    return bool(set(words(name)) & _RETRIEVAL_WORDS)


_MODEL_VERBS = frozenset({"respond", "reply", "answer", "generate", "complete", "completion", "chat", "ask",
                          "predict", "invoke", "ainvoke", "run", "arun", "stream", "call", "query"})


#: Kinds of sensitive data from gravest to least (LOG404 is high; LOG401, LOG405 and LOG403 medium; LOG402 low).
_KIND_ORDER = ("credential", "prompt", "body", "pii", "output")
_KIND_WORDS = {"credential": "a credential", "prompt": "a prompt", "body": "a request body",
               "pii": "personal data", "output": "model output"}


@dataclass(frozen=True)
class LogHit:
    """A logging call that carries sensitive data: the rule code, the call and the enclosing function."""

    code: str
    node: cst.Call
    context: str
    #: What the finding rests on: the argument and, for a variable, what it was assigned from.
    detail: str = ""


@dataclass
class _Scope:
    name: str
    taint: dict[str, Kinds] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    requests: set[str] = field(default_factory=set)
    #: How many ``if``/loop/``try`` bodies deep the walk is inside this function: an assignment there may not
    #: run, so it adds to what the name held instead of replacing it.
    branch: int = 0
    #: A top-level function whose call sites in other modules may hand its parameters personal data (looked
    #: up once, at its first logging call that uses a parameter).
    function: cst.FunctionDef | None = None
    #: Parameter -> the call site in another module that hands it a sensitive value (said in the message).
    via: dict[str, str] = field(default_factory=dict)
    #: Name -> what its latest assignment bound and the statement block it sits in: a use later in that same
    #: block sees that value only (``error_msg = f"... {e}"`` in an ``except`` after ``error_msg = f"...
    #: {json_response}"`` in an ``else``: set 23 FastAPI-Backend).
    fresh: dict[str, tuple[Kinds, int]] = field(default_factory=dict)
    #: Names a masking rebuilt (``masked_url = f"...:****@..."``): no credential, whatever else they held.
    masked: set[str] = field(default_factory=set)


class LogCollector(Collector):
    """Collects ``LogHit``s for the module into ``ctx.memo["logging"]`` (a list)."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.hits: list[LogHit] = []
        ctx.memo["logging"] = self.hits
        self.scopes = [_Scope("module")]
        #: The statement blocks the walk is inside (ids; the module is 0).
        self.blocks: list[int] = [0]
        self.extra = ctx.knowledge.sensitive_names
        self.fastapi = any(v.startswith("fastapi") for v in ctx.imports.aliases.values())
        self.local_functions = {s.name.value for s in ctx.module.body if isinstance(s, cst.FunctionDef)}
        #: Classes of this module -> their annotated field names (pydantic body models).
        self.local_models = {
            s.name.value: [f.target.value for line in s.body.body if isinstance(line, cst.SimpleStatementLine)
                           for f in line.body if isinstance(f, cst.AnnAssign) and isinstance(f.target, cst.Name)]
            for s in ctx.module.body if isinstance(s, cst.ClassDef)}
        #: Inside ``if __name__ == "__main__"``, or anywhere in a console script (one that reads ``input()``).
        self.console_depth = 1 if _reads_console(ctx.module) else 0
        #: An operator's command-line tool: its prints and logs go to the terminal of whoever runs it.
        self.operator_tool = ctx.memo["operator-tool"] = _operator_script(ctx)
        #: Blocks that run when an HTTP response failed (id -> the response's name), and the names failed in the
        #: blocks the walk is inside: there ``response.text`` is the provider's error body, not model output.
        self.failed_blocks: dict[int, str] = {}
        self.failed: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = _Scope(f"function {node.name.value}")
        for param in node.params.params:
            annotation = dotted(param.annotation.annotation) if param.annotation else None
            if (annotation or "").rsplit(".", 1)[-1] in ("Request", "HttpRequest", "WSGIRequest"):
                scope.requests.add(param.name.value)
        if is_socket_handler(node) and node.params.params:
            first = node.params.params[0].name.value
            if first not in ("self", "sid"):
                scope.taint[first] = frozenset({"body"})
            elif len(node.params.params) > 1:
                scope.taint[node.params.params[1].name.value] = frozenset({"body"})
        if self.fastapi and is_route(node):
            for param in [*node.params.params, *node.params.kwonly_params]:
                kinds = param_kinds(param, self.extra)
                if kinds == {"body"} and not self._sensitive_model(param):
                    continue  # a body model of names, titles and settings only
                if kinds:
                    scope.taint[param.name.value] = kinds
        for name in self._model_inputs(node):
            scope.taint.setdefault(name, frozenset({"prompt"}))
            scope.via.setdefault(name, "the text this function sends to the model")
        if len(self.scopes) == 1:
            for name, evidence in handed_answers(self.ctx).get(node.name.value, {}).items():
                scope.taint.setdefault(name, frozenset({"output"}))
                scope.via.setdefault(name, evidence)
        if len(self.scopes) == 1 and node.params.params:
            scope.function = node
        self.scopes.append(scope)

    def _model_inputs(self, node: cst.FunctionDef) -> list[str]:
        """Text parameters of ``node`` that its own model call is given (``chain.invoke({"input": message})``,
        ``client.chat.completions.create(messages=[{"role": "user", "content": text}])``): what a member
        asked, whatever the parameter is called. Ids, counts and settings (``is_safe``) are not."""
        params = {p.name.value for p in [*node.params.params, *node.params.kwonly_params]
                  if p.name.value not in ("self", "cls") and not is_safe(p.name.value)
                  and not _RETRIEVED.search(p.name.value)
                  and (p.annotation is None or (dotted(p.annotation.annotation) or "") in ("str", "list", "dict"))}
        if not params:
            return []
        carried = _carriers(node, params)
        found: set[str] = set()
        for call in (n for n in walk(node.body) if isinstance(n, cst.Call)):
            names = {n.value for a in call.args for n in walk(a.value) if isinstance(n, cst.Name)}
            used = {p for n in names for p in carried.get(n, ())}
            if used - found and is_model_call(self.ctx, call):
                found |= used
        return sorted(found)

    def _caller_taint(self, call: cst.Call) -> None:
        """Taint the parameters of the enclosing top-level function that a call site in another module passes
        personal data or a credential (``send_welcome(user.email)`` -> ``to``), when this logging call uses one."""
        scope = self.scopes[-1]
        func = scope.function
        if func is None:
            return
        params = {p.name.value for p in func.params.params}
        used = {n.value for a in call.args for n in walk(a.value) if isinstance(n, cst.Name)}
        if not used & params - scope.taint.keys():
            return
        scope.function = None  # once per function
        for param, (kinds, evidence) in param_sources(self.ctx, func).items():
            if param not in scope.taint and not name_kinds(param, self.extra):
                scope.taint[param] = kinds
                scope.via[param] = evidence

    def _sensitive_model(self, param: cst.Param) -> bool:
        """False for a parameter typed with a body model of this module none of whose fields is sensitive
        (``CreateAssistantRequest(name, model)``); True otherwise (the fields are out of sight)."""
        annotation = dotted(param.annotation.annotation) if param.annotation else None
        fields = self.local_models.get(annotation or "")
        if not fields:
            return True
        return any(name_kinds(f, self.extra) or f.lower() in PROMPT_KEYS for f in fields)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.blocks.append(id(node))
        if id(node) in self.failed_blocks:
            self.failed.append(self.failed_blocks[id(node)])

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self.blocks.pop()
        if id(original_node) in self.failed_blocks:
            self.failed.pop()

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.blocks.append(id(node))

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self.blocks.pop()

    def visit_If(self, node: cst.If) -> None:
        self.scopes[-1].branch += 1
        if is_main_guard(node):
            self.console_depth += 1
        failed = _failed_response(self.ctx.code_of(node.test))
        if failed is not None:
            name, in_body = failed
            if in_body and isinstance(node.body, cst.IndentedBlock):
                self.failed_blocks[id(node.body)] = name
            elif not in_body and isinstance(node.orelse, cst.Else) and isinstance(node.orelse.body, cst.IndentedBlock):
                self.failed_blocks[id(node.orelse.body)] = name

    def leave_If(self, original_node: cst.If) -> None:
        self.scopes[-1].branch -= 1
        if is_main_guard(original_node):
            self.console_depth -= 1

    def visit_While(self, node: cst.While) -> None:
        self.scopes[-1].branch += 1

    def leave_While(self, original_node: cst.While) -> None:
        self.scopes[-1].branch -= 1

    def visit_Try(self, node: cst.Try) -> None:
        self.scopes[-1].branch += 1

    def leave_Try(self, original_node: cst.Try) -> None:
        self.scopes[-1].branch -= 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        kinds = self.classify(node.value) | self._model_result(node.value)
        for target in node.targets:
            self._bind(target.target, kinds or self._rewritten(target.target, node.value), node.value)

    def _rewritten(self, target: cst.BaseAssignTargetExpression, value: cst.BaseExpression) -> Kinds:
        """``text = clean(text)``: a project function given the name's own value, its result bound back to the
        name, rewrites the text it held (a sanitizer by name does not: ``SANITIZERS``)."""
        if not (isinstance(target, cst.Name) and isinstance(value, cst.Call)):
            return NONE
        last = (dotted(value.func) or "").rsplit(".", 1)[-1]
        if last in SANITIZERS or is_safe(last) or not any(
                isinstance(a.value, cst.Name) and a.value.value == target.value for a in value.args):
            return NONE
        return self._name(target.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, self.classify(node.value) | self._model_result(node.value), node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        """``reply += chunk``: the name keeps what it held and gains what is added (a streamed answer)."""
        if isinstance(node.target, cst.Name) and isinstance(node.operator, cst.AddAssign):
            added = self.classify(node.value)
            if added:
                held = self._name(node.target.value)
                self.scopes[-1].taint[node.target.value] = held | added
                self.scopes[-1].fresh.pop(node.target.value, None)
                self.scopes[-1].origin.setdefault(node.target.value, self._describe(node.value))

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, self.classify(node.iter) | self._model_result(node.iter), node.iter)
        self.scopes[-1].branch += 1

    def leave_For(self, original_node: cst.For) -> None:
        self.scopes[-1].branch -= 1

    def _bind(self, target: cst.BaseExpression, kinds: Kinds, value: cst.BaseExpression | None = None,
              element: bool = False) -> None:
        """Bind ``target`` to ``kinds``; ``element``: one name of a tuple unpacked from a record (``user_id,
        username, password_hash = user``), which holds one field, the one its name says (a login handle, not
        the member's name or email: set 22 Assignment)."""
        if isinstance(target, cst.Name):
            scope = self.scopes[-1]
            if set(words(target.value)) & _MASKED_WORDS and value is not None and not _copy(value):
                # `masked_url = f"{scheme}://{user}:****@{host}"`: a value rebuilt under a name that says the secret
                # was taken out (set 23 FastAPI-Backend) is no credential, nor is what the name held before; a
                # plain copy (`sanitized_token = token`) keeps it, and a prompt, answer or email "sanitized" of
                # HTML is still the member's text
                kinds = kinds - _CREDENTIAL
                scope.masked.add(target.value)
            elif is_safe(target.value) and not name_kinds(target.value, self.extra) and \
                    not (kinds == _CREDENTIAL and words(target.value)[-1:] in _CREDENTIAL_HOLDERS) and \
                    not (kinds == _PII and not element and words(target.value)[-1:] in _NAME_HOLDERS):
                # `conversation_id = create_conversation(...)` holds an id whatever it came from (but a URL made by
                # `generate_presigned_url(...)`, or `key` in `for key in API_KEYS`, is the credential it carries)
                kinds = NONE
            elif not kinds and value is not None and not literal(value) and not sanitized(value):
                kinds = name_kinds(target.value, self.extra)  # `otp_code = make_code()`, `user = db.get(...)`
            if kinds and value is not None:
                scope.origin[target.value] = self._describe(value)
            scope.fresh[target.value] = (kinds, self.blocks[-1])
            if scope.branch and target.value in scope.taint:
                kinds = kinds | scope.taint[target.value]  # a branch may not run: keep what it held
            if target.value in scope.masked:
                kinds = kinds - _CREDENTIAL
            scope.taint[target.value] = kinds
        elif isinstance(target, (cst.Tuple, cst.List)):
            for part in target.elements:
                self._bind(part.value, kinds, value, element=True)

    def _describe(self, expr: cst.BaseExpression) -> str:
        """The code of ``expr`` on one line, string literals other than short keys elided, at most 60 chars."""
        text = _STRING.sub(lambda m: m.group(0) if _KEY.fullmatch(m.group(2)) else f"{m.group(1)}…{m.group(1)}",
                           self.ctx.code_of(expr))
        return text if len(text) <= 60 else text[:59] + "…"

    def _evidence(self, expr: cst.BaseExpression, kind: str) -> str:
        """``arg`` or ``arg`` (from ``value``) when a variable in it was assigned from a sensitive value."""
        expr = self._carrier(expr, kind)
        names = [n.value for n in walk(expr) if isinstance(n, cst.Name)]
        via = next((self.scopes[-1].via[n] for n in names if n in self.scopes[-1].via and kind in self._name(n)), "")
        if via:
            return f"`{self._describe(expr)}` ({via})"
        origins = [self._origin(n) for n in names]
        origin = next((o for o in origins if o), "")
        return f"`{self._describe(expr)}`" + (f" (from `{origin}`)" if origin else "")

    def _carrier(self, expr: cst.BaseExpression, kind: str, depth: int = 0) -> cst.BaseExpression:
        """The smallest part of a log argument that carries the sensitive value (the ``{x}`` of an f-string,
        the operand of ``+``/``%``, the argument of ``.format``)."""
        parts: list[cst.BaseExpression] = []
        if isinstance(expr, cst.FormattedString):
            parts = [p.expression for p in expr.parts if isinstance(p, cst.FormattedStringExpression)]
        elif isinstance(expr, cst.BinaryOperation):
            parts = [expr.left, expr.right]
        elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "format":
            parts = [a.value for a in expr.args]
        for part in parts:
            if depth < 4 and kind in self.classify(part):
                return self._carrier(part, kind, depth + 1)
        return expr

    def _origin(self, name: str) -> str:
        for scope in reversed(self.scopes):
            if name in scope.taint:
                return scope.origin.get(name, "")
        return ""

    def visit_Call(self, node: cst.Call) -> None:
        if not self._is_log_call(node):
            return
        self._caller_taint(node)
        kinds: dict[str, str] = {}
        for arg in node.args:
            if arg.keyword is None or arg.keyword.value == "extra":
                found = self.classify(arg.value)
            elif arg.keyword.value not in _SKIP_KWARGS:
                found = self._field(arg.keyword.value, arg.value, NONE)
            else:
                continue
            if "output" in found and self.failed and _reads_response(arg.value, self.failed):
                found = found - {"output"}  # the provider's error body (``print("Error:", response.text)``)
            for kind in found:
                kinds.setdefault(kind, self._evidence(arg.value, kind))
        if kinds:  # one finding per log call: the gravest kind, the others named in its message
            top = min(kinds, key=_KIND_ORDER.index)
            others = [_KIND_WORDS[k] for k in _KIND_ORDER if k in kinds and k != top]
            detail = kinds[top] + (f" (the call also writes {' and '.join(others)})" if others else "")
            self.hits.append(LogHit(KIND_CODES[top], node, self.scopes[-1].name, detail))

    def _is_log_call(self, node: cst.Call) -> bool:
        if self.operator_tool:
            return False
        name = self.ctx.imports.qualify(node.func) or ""
        if name in _PRINTS:
            # a script's `print` under `if __name__ == "__main__"` is its UI; `print(..., file=fp)` writes a file
            return self.console_depth == 0 and not self._prints_to_a_file(node)
        receiver, _, method = name.rpartition(".")
        if not receiver or method not in LOG_METHODS:
            return False
        if method == "debug" and not receiver.startswith(("loguru", "structlog")) and \
                not debug_written(self.ctx.project):
            return False  # the project sets the standard logging level to INFO or above: nothing writes it
        if receiver in _LOGGER_ROOTS or receiver.startswith(_LOGGER_ROOTS):
            return True
        return bool(_LOGGER_NAME.match(receiver.replace("()", "").rsplit(".", 1)[-1]))

    def _prints_to_a_file(self, node: cst.Call) -> bool:
        """``print(..., file=fp)`` to anything but ``sys.stdout`` / ``sys.stderr``: a report or data file the
        program writes on purpose, not a log."""
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "file":
                target = self.ctx.imports.qualify(arg.value) or dotted(arg.value) or ""
                return target not in ("sys.stdout", "sys.stderr", "sys.__stdout__", "sys.__stderr__")
        return False

    def _model_result(self, value: cst.BaseExpression) -> Kinds:
        inner = value.expression if isinstance(value, cst.Await) else value
        if not isinstance(inner, cst.Call):
            return NONE
        message = _message_kind(inner)
        if message is not None:
            return message
        if in_modules(self.ctx.imports.qualify(inner.func) or "", PY_NOT_MODEL_CALLS):
            return NONE  # a document loader, splitter or message class runs no model
        name = dotted(inner.func) or ""
        if _finds_documents(name):
            # ``VectorDBTool(user_id=uid)._run(message)``, ``client.embeddings.create(...)``: stored documents
            # found for the text, or its vector; not a model's answer (set 26 yann_fan)
            return NONE
        if is_model_call(self.ctx, inner, deep=False):
            return frozenset({"output"})
        if not any(self.classify(a.value) & {"prompt", "body"} for a in inner.args):
            return NONE
        # the member's text goes into a project helper: follow it (one hop)
        if set(words(name.rsplit(".", 1)[-1])) & _MODEL_VERBS or (self._project_helper(inner) and
                                                                  is_model_call(self.ctx, inner, deep=True)):
            return frozenset({"output"})
        return NONE

    def _project_helper(self, call: cst.Call) -> bool:
        """True for a call of a function defined in this module or imported from the project (one hop:
        ``answer = generate_reply(messages)`` where ``generate_reply`` calls a model in another module)."""
        name = dotted(call.func) or ""
        head = name.split(".")[0]
        if "." not in name:
            return head in self.local_functions or head in self.ctx.imports.aliases
        return head in self.ctx.imports.aliases and name.count(".") == 1

    # ---- classification ----
    def classify(self, expr: cst.BaseExpression) -> Kinds:
        """The sensitive kinds ``expr`` carries."""
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float,
                             cst.Comparison, cst.UnaryOperation)):
            return NONE
        if isinstance(expr, cst.BooleanOperation):  # `text or ""` is the text
            return self.classify(expr.left) | self.classify(expr.right)
        if isinstance(expr, cst.Name):
            return self._name(expr.value)
        if isinstance(expr, cst.Await):
            return self.classify(expr.expression)
        if isinstance(expr, cst.FormattedString):
            return union(self.classify(p.expression) for p in expr.parts
                          if isinstance(p, cst.FormattedStringExpression))
        if isinstance(expr, cst.BinaryOperation):
            return self.classify(expr.left) | self.classify(expr.right)
        if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
            return union(self.classify(e.value) for e in expr.elements)
        if isinstance(expr, cst.Dict):
            return union(self._dict_entry(e) for e in expr.elements)
        if isinstance(expr, cst.IfExp):
            return self.classify(expr.body) | self.classify(expr.orelse)
        if isinstance(expr, cst.Attribute):
            if self.ctx.imports.qualify(expr) == "os.environ":
                return frozenset({"credential"})  # every variable, secrets included
            return self._attribute(expr)
        if isinstance(expr, (cst.Subscript, cst.Call)):
            variable = env_name(expr, self.ctx.imports.qualify)
            if variable is not None:  # the server's own settings: a credential by its name, nothing else
                return frozenset({"credential"}) if env_credential(variable) else NONE
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr)
        if isinstance(expr, cst.Call):
            return self._call(expr)
        return NONE

    def _name(self, name: str) -> Kinds:
        for scope in reversed(self.scopes):
            if name in scope.taint:
                fresh = scope.fresh.get(name)
                return fresh[0] if fresh is not None and fresh[1] == self.blocks[-1] else scope.taint[name]
        return name_kinds(name, self.extra)

    def _is_request(self, expr: cst.BaseExpression) -> bool:
        name = self.ctx.imports.qualify(expr) or ""
        return name in ("request", "req", "flask.request", "quart.request", "self.request") or \
            name in self.scopes[-1].requests

    def _attribute(self, expr: cst.Attribute) -> Kinds:
        attr = expr.attr.value
        if self._is_request(expr.value):
            if attr in _REQUEST_BODY:
                return frozenset({"body"})
            if attr == "user":
                return frozenset({"pii"})  # the whole signed-in user record
            if attr in _REQUEST_SECRET:
                return frozenset({"credential"})
            # a field of a request model (`req.phone`), or of a handler parameter that holds the body
            base = self._name(expr.value.value) if isinstance(expr.value, cst.Name) else NONE
            return self._field(attr, None, base)
        if attr in ("headers", "cookies") and isinstance(expr.value, cst.Name) and \
                words(expr.value.value)[-1:] in (("response",), ("resp",), ("res",), ("r",)):
            return NONE  # what a server answered (request ids, rate-limit counters), not what the app sent
        if attr == "user" and (dotted(expr.value) or "").rsplit(".", 1)[-1] in _BOT_CLIENTS:
            return NONE  # a chat bot's own account (discord.py ``bot.user``, ``client.user``), not a member
        base = self.classify(expr.value)
        if attr in _FORM_STATE and "body" in base:
            return NONE  # a bound form's or serializer's validation messages, not the values sent
        kinds = self._field(attr, None, base)
        if base == _PII and kinds == base and attr not in _PERSON_NAME_FIELDS and not name_kinds(attr, self.extra):
            # a PII taint is the record's (loaded by an email, or the user itself): an attribute that names no
            # PII (`user.chats`, `user.userId`, `user.created_at`) carries none of it
            return NONE
        return kinds

    def _field(self, key: str, value: cst.BaseExpression | None, base: Kinds) -> Kinds:
        """Kinds of ``base[key]`` / ``base.key`` / ``key=value`` (a keyword or dict entry)."""
        if key.isupper() and "_" in key:
            # a setting (`settings.EMAIL_PASS`, `config.SYSTEM_PROMPT`, `EMAIL_HOST`): the server's own, a
            # credential by its name or nothing a member wrote
            named = env_credential(key) or "credential" in name_kinds(key, self.extra)
            return frozenset({"credential"}) if named and (value is None or not literal(value)) else NONE
        own = name_kinds(key, self.extra)
        if own:
            return own if value is None or not literal(value) else NONE
        if value is None and key in _PERSON_NAME_FIELDS and base == {"pii"}:
            return base  # `current_user.name`: the member's own name
        if value is None and base == _PII and key not in _WRAPPER_KEYS:
            return NONE  # another field of a personal record (`session["metadata"]`, `user["plan"]`) names no PII
        if is_safe(key) or key in _NOT_CONTENT_KEYS or (value is not None and literal(value)):
            return NONE
        if base == {"credential"}:
            return NONE
        if "body" in base and key.lower() in PROMPT_KEYS:
            return frozenset({"prompt"})
        return base | (self.classify(value) if value is not None else NONE)

    def _dict_entry(self, element: cst.BaseDictElement) -> Kinds:
        if not isinstance(element, cst.DictElement):
            return self.classify(element.value)
        key = string_value(element.key)
        return self._field(key, element.value, NONE) if key is not None else self.classify(element.value)

    def _subscript(self, expr: cst.Subscript) -> Kinds:
        base = self.classify(expr.value)
        index = expr.slice[0].slice if len(expr.slice) == 1 else None
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        if base == _CREDENTIAL and _names_credentials(expr.value):
            return base  # an entry of a set of keys (``config["Api_keys"]["Gemini"]``, ``API_KEYS[0]``) is one
        return self._field(key, None, base) if key is not None else base

    def _call(self, expr: cst.Call) -> Kinds:
        func = expr.func
        last = func.attr.value if isinstance(func, cst.Attribute) else (dotted(func) or "").replace("()", "")
        if last in SANITIZERS:
            return NONE
        qualified = self.ctx.imports.qualify(func) or ""
        if qualified in _DECODED_CLAIMS:
            return NONE  # a verified token's claims (``sub``, ``exp``): not the token, nothing to replay
        if in_modules(qualified, ("stripe",)) and last in _STRIPE_RECORDS and \
                any(kind in qualified for kind in _STRIPE_PERSONAL):
            return _PII  # a Stripe event, checkout session or customer: the payer's email, name and address
        if isinstance(func, cst.Attribute):
            if self._is_request(func.value) and last in _REQUEST_BODY:
                return frozenset({"body"})
            if last == "get" and expr.args:
                key = string_value(expr.args[0].value)
                if key is not None and _PROFILE_ENDPOINT.search(key):
                    return _PII  # an OAuth provider's profile of the member (flask-dance ``facebook.get("/me")``)
                base = self.classify(func.value)
                return self._field(key, None, base) if key is not None else base
            if last in _STRING_METHODS:
                return self.classify(func.value) | union(self.classify(a.value) for a in expr.args)
        if last in _PASSTHROUGH or (self.ctx.imports.qualify(func) or "") in _TEXT_FUNCTIONS:
            return union(self.classify(a.value) for a in expr.args)
        if last.endswith(("Serializer", "Form")) and last[:1].isupper():
            # a DRF serializer or Django form bound to what the client sent: its .data/.validated_data/
            # .cleaned_data are that body
            bound = [a.value for a in expr.args if a.keyword is not None and a.keyword.value == "data"]
            if last.endswith("Form") and expr.args and expr.args[0].keyword is None:
                bound.append(expr.args[0].value)  # ``ContactForm(request.POST)``
            return union(self.classify(v) for v in bound)
        message = _message_kind(expr)
        if message is not None:
            return message | _union_args(self, expr)
        if is_model_call(self.ctx, expr, deep=False) and not in_modules(qualified, PY_NOT_MODEL_CALLS) and \
                not _finds_documents(dotted(func) or ""):
            return frozenset({"output"})  # (a document loader's ``load()`` reads files, it runs no model)
        return name_kinds(last, self.extra)


#: Last words of names that hold a person's name when one is assigned to them (``username =
#: request.user.profile.name or request.user.email``), though alone they name a thing (``model_name``).
_NAME_HOLDERS = frozenset({("name",), ("username",)})
#: Chat-platform clients whose ``.user`` is the bot's own account (discord.py ``Bot``/``Client``, Slack Bolt).
_BOT_CLIENTS = frozenset({"bot", "client", "discord_client", "discord_bot"})
_PII: Kinds = frozenset({"pii"})
_CREDENTIAL: Kinds = frozenset({"credential"})
#: A test on an HTTP response's success: ``response.status_code == 200`` / ``r.ok`` (the failure is the ``else``),
#: ``response.status_code != 200`` / ``not r.ok`` / ``r.status_code >= 400`` (the failure is the body).
_RESPONSE_OK = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\.(?:status_code\s*==\s*200|ok)\s*$")
_RESPONSE_FAILED = re.compile(r"^\s*(?:not\s+(?P<a>[A-Za-z_]\w*)\.ok|(?P<b>[A-Za-z_]\w*)\.status_code\s*"
                              r"(?:!=\s*200|>=?\s*[45]\d\d|not\s+in\s*\(\s*200\b[^)]*\)))\s*$")


def _carriers(func: cst.FunctionDef, params: set[str]) -> dict[str, set[str]]:
    """Name -> the parameters of ``params`` whose text it holds in ``func``: each parameter itself, and names
    built from one (``messages = [{"role": "user", "content": content}]``, ``messages.append({... content})``,
    ``prompt = f"...{content}"``, ``prompt += content``), followed through three rounds of such statements. A
    name the statement binds to an id, count or setting (``is_safe``: ``n_tokens = len(content)``) carries none,
    and only text and containers built from the parameter carry it: the result of another call
    (``abs_dir = os.path.join(root, index_dir)``, ``docs = search(content)``) is something else.
    """
    steps: list[tuple[str, cst.BaseExpression]] = []
    for node in walk(func.body):
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and node.value is not None:
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            steps += [(t.value, node.value) for t in targets if isinstance(t, cst.Name)]
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
                node.func.attr.value in ("append", "extend", "insert") and isinstance(node.func.value, cst.Name):
            steps += [(node.func.value.value, a.value) for a in node.args]
    carried: dict[str, set[str]] = {p: {p} for p in params}
    for _ in range(3):
        grew = False
        for target, value in steps:
            if is_safe(target):
                continue
            if not _builds_text(value):
                continue
            held = {p for n in walk(value) if isinstance(n, cst.Name) for p in carried.get(n.value, ())}
            if held - carried.get(target, set()):
                carried.setdefault(target, set()).update(held)
                grew = True
        if not grew:
            break
    return carried


#: Parameters named as what the app itself puts beside the member's text in a prompt (retrieved documents, web
#: research, its own instructions), not what a member wrote: ``generate_response(user_query, research_info)``.
_RETRIEVED = re.compile(r"(?i)context|research|referenc|document|docs?$|chunk|source|retriev|knowledge|system|"
                        r"instruction|template|schema|tools?$|persona")
#: Calls that rebuild text or a container from their receiver or arguments (the text is still in the result).
_TEXT_CALLS = frozenset({"format", "join", "strip", "lstrip", "rstrip", "lower", "upper", "replace", "str", "dict",
                         "list", "tuple", "dumps", "copy"})


def _builds_text(value: cst.BaseExpression) -> bool:
    """Whether ``value`` is text or a container built from its parts: a name, literal, f-string, ``+``, a
    list/dict/tuple display or comprehension, a piece (``a.b``, ``a[0]``), or a text call (``"".join(x)``,
    ``x.strip()``, ``json.dumps(x)``); any other call is not."""
    if isinstance(value, cst.Call):
        func = value.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) \
            else ""
        if isinstance(func, cst.Attribute) and (dotted(func.value) or "").endswith("path"):
            return False  # ``os.path.join(root, name)``: a file path, not the text
        return name in _TEXT_CALLS
    if isinstance(value, cst.BinaryOperation):
        return _builds_text(value.left) and _builds_text(value.right)
    return isinstance(value, (cst.Name, cst.Attribute, cst.Subscript, cst.SimpleString, cst.FormattedString,
                              cst.ConcatenatedString, cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp,
                              cst.DictComp, cst.Integer))


def _failed_response(test: str) -> tuple[str, bool] | None:
    """``(response name, the failure is the if-body)`` for a test on an HTTP response's success, else None."""
    ok = _RESPONSE_OK.match(test)
    if ok is not None:
        return ok.group("name"), False
    failed = _RESPONSE_FAILED.match(test)
    if failed is not None:
        return failed.group("a") or failed.group("b"), True
    return None


def _reads_response(expr: cst.BaseExpression, names: list[str]) -> bool:
    """True when ``expr`` reads an attribute or method of one of the failed responses ``names``
    (``response.text``, ``r.json()``, ``resp.reason``)."""
    return any(isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and n.value.value in names
               for n in walk(expr))


def _copy(value: cst.BaseExpression) -> bool:
    """A plain copy of a value: a name, an attribute, ``dict(x)``, ``list(x)``, ``str(x)``, ``x.copy()``."""
    if isinstance(value, (cst.Name, cst.Attribute)):
        return True
    if isinstance(value, cst.Call):
        name = (dotted(value.func) or "").rsplit(".", 1)[-1]
        return name in ("dict", "list", "tuple", "str", "copy", "deepcopy", "dumps") and len(value.args) <= 1
    return False


#: Words of a local that holds a value with its secret taken out (``masked_url``, ``redacted_headers``).
_MASKED_WORDS = frozenset({"masked", "redacted", "sanitized", "sanitised", "obfuscated", "scrubbed", "censored"})
#: Last words of names that hold a credential when one is assigned to them, though alone they name nothing secret.
_CREDENTIAL_HOLDERS = frozenset({("url",), ("urls",), ("link",), ("key",), ("keys",), ("k",)})
#: Keys that wrap a whole record rather than name one of its fields (``event["data"]["object"]``).
_WRAPPER_KEYS = frozenset({"data", "object", "body", "result", "results", "items", "payload", "record", "records",
                           "attributes", "value", "values", "customer", "customer_details", "user", "profile"})
#: JWT decoders: what they answer is the token's claims.
_DECODED_CLAIMS = frozenset({"jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode", "authlib.jose.jwt.decode"})
#: Stripe calls that answer a customer's records (``stripe.Webhook.construct_event``, ``Session.retrieve``).
_STRIPE_RECORDS = frozenset({"construct_event", "retrieve", "list", "create", "modify", "search"})
#: Stripe objects that carry the payer's email, name or address (a Subscription holds only a customer id).
_STRIPE_PERSONAL = ("Webhook", "Customer", "checkout", "Charge", "PaymentIntent", "Invoice")
#: Profile endpoints of OAuth providers (Facebook Graph ``/me``, OpenID Connect ``userinfo``, GitHub ``/user``):
#: what they answer is the member's name, email and picture.
_PROFILE_ENDPOINT = re.compile(r"^(?:https://[\w.-]+)?/(?:v\d+(?:\.\d+)?/)?(?:me|user)(?:\?|$)|userinfo")
_MESSAGE_KINDS = {"HumanMessage": frozenset({"prompt"}), "UserMessage": frozenset({"prompt"}),
                  "AIMessage": frozenset({"output"}), "AssistantMessage": frozenset({"output"}),
                  "SystemMessage": NONE, "ChatMessage": NONE, "ToolMessage": NONE}


#: A standard ``logging`` level set in code: ``basicConfig(level=logging.INFO)``, ``"level": "INFO"`` in a
#: ``LOGGING``/``dictConfig`` dict, ``logger.setLevel("WARNING")``.
_LEVEL_SET = re.compile(r"""(?:\blevel\s*=\s*|["']level["']\s*:\s*|\.setLevel\(\s*)"""
                        r"""(?:logging\.)?["']?([A-Za-z_][\w.]*|\d+)""")
_ABOVE_DEBUG = frozenset({"INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL"})
#: Numeric levels (``setLevel(10)``): the standard library's values.
_LEVEL_NUMBERS = {"10": "DEBUG", "20": "INFO", "30": "WARNING", "40": "ERROR", "50": "CRITICAL", "0": "NOTSET"}
_CONFIG_FROM_FILE = re.compile(r"\bfileConfig\(|\bdictConfig\(\s*(?!\{|LOGGING\b|settings\.LOGGING\b)")


def debug_written(project: Project) -> bool:
    """False when the project's code sets standard ``logging`` levels and every one it sets is INFO or above (so a
    ``logger.debug`` call writes nothing: Python logging docs, "Logging Levels"); True when one is DEBUG,
    NOTSET or not a literal (``level=os.getenv("LOG_LEVEL")``), or when no level is set anywhere (unknown)."""
    cached = project.facts_cache.get("debug-written")
    if isinstance(cached, bool):
        return cached
    paths = [p for p in project.files_containing("level", "setLevel", "fileConfig", "dictConfig")
             if not is_test_path(p)]
    levels = {_LEVEL_NUMBERS.get(m.group(1), m.group(1).upper()) for path in paths
              for m in _LEVEL_SET.finditer(project.texts[path])}
    # a configuration read from a file (``fileConfig("logging.ini")``, ``dictConfig(yaml.safe_load(f))``) may
    # turn DEBUG on where this reading cannot see
    from_file = any(_CONFIG_FROM_FILE.search(project.texts[p]) for p in paths)
    written = from_file or not levels or not levels <= _ABOVE_DEBUG
    project.facts_cache["debug-written"] = written
    return written


def _names_credentials(expr: cst.BaseExpression) -> bool:
    """True when ``expr`` names a set of credentials by its last key, attribute or name (``config["Api_keys"]``,
    ``settings.API_KEYS``, ``tokens``)."""
    if isinstance(expr, cst.Subscript):
        index = expr.slice[0].slice if len(expr.slice) == 1 else None
        name = string_value(index.value) if isinstance(index, cst.Index) else None
    elif isinstance(expr, cst.Attribute):
        name = expr.attr.value
    else:
        name = expr.value if isinstance(expr, cst.Name) else None
    ws = words(name or "")
    return bool(ws) and ws[-1] in ("keys", "apikeys", "secrets", "tokens", "credentials", "passwords")


def _message_kind(call: cst.Call) -> Kinds | None:
    """A chat message object (LangChain ``HumanMessage(text)``, ``AIMessage``): what it holds by its role, or
    None for any other call (a message class is not a model call)."""
    if not isinstance(call, cst.Call):
        return None
    return _MESSAGE_KINDS.get((dotted(call.func) or "").rsplit(".", 1)[-1])


def _union_args(collector: LogCollector, call: cst.Call) -> Kinds:
    return union(collector.classify(a.value) for a in call.args)


#: Folders of an operator's command-line tools (``scripts/migrate_orgs.py``, ``bin/seed.py``).
_SCRIPT_DIR = re.compile(r"(?:^|/)(?:scripts|bin)/")


def _operator_script(ctx: FileContext) -> bool:
    """True for a command-line tool the team runs by hand, whose ``print`` and logging calls talk to the operator
    at the terminal: a module under ``scripts/`` or ``bin/`` with an ``if __name__ == "__main__":`` block, or a
    stand-alone module anywhere (``backend/check_profile.py``, ``init_db.py``) that has such a block or runs code
    at import, that no project module imports, and that serves nothing: no web framework, no route, no bot or
    worker loop (those write the server's log)."""
    main_block = any(isinstance(s, cst.If) and "__main__" in ctx.code_of(s.test) for s in ctx.module.body)
    if _SCRIPT_DIR.search(ctx.path) is not None and main_block:
        return True
    if is_test_path(ctx.path) or ctx.path.endswith("__init__.py") or _SERVES.search(ctx.module.code):
        return False
    top_level_calls = any(isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], cst.Expr)
                          and isinstance(s.body[0].value, (cst.Call, cst.Await)) for s in ctx.module.body)
    if not (main_block or top_level_calls):
        return False
    imported, servers = _imported_names(ctx.project)
    # beside a server of the project (else there is no import graph to judge by), and imported by none of it
    return servers and module_of(ctx.path).rsplit(".", 1)[-1] not in imported


#: Text of a module that serves: a web framework's app or routes, a bot or worker loop, a task queue.
_SERVES = re.compile(
    r"\b(?:FastAPI|Flask|APIRouter|Blueprint|Quart|Starlette|Sanic|Litestar|NinjaAPI)\s*\(|^\s*@\w+\.(?:route|get|post|"
    r"put|patch|delete|websocket|on|event|command|message_handler|task)\b|\burlpatterns\b|\buvicorn\.run\(|"
    r"\bweb\.run_app\(|\bserve_forever\(|\brun_polling\(|\bstart_polling\(|\binfinity_polling\(|"
    r"\b(?:bot|client|app|application)\.run\(|\bwhile\s+True\b|\bshared_task\b|\bCelery\(|\bsocketio\b|"
    r"\bimport\s+streamlit\b|\bimport\s+gradio\b|\.launch\(|\bschedule\.every\b|Scheduler\(|\blambda_handler\b",
    re.M,
)
_MAIN_BLOCK = re.compile(r"^if\s+__name__\s*==\s*[\"']__main__[\"']", re.M)
#: ``from app.core import database``, ``import check_profile``: the last parts of every module a project module
#: imports, and every name a ``from`` import takes.
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[\w \t,]+)|"
                          r"import[ \t]+([\w. \t,]+))", re.M)


def _imported_names(project: Project) -> tuple[frozenset[str], bool]:
    """Module names (each dotted part) and imported names of every project module's imports, and whether some
    project module serves (``_SERVES``); cached per scan."""
    cached = project.facts_cache.get("imported-names")
    if isinstance(cached, tuple):
        return cached
    names: set[str] = set()
    servers = False
    for text in project.texts.values():
        serves = _SERVES.search(text) is not None
        servers = servers or serves
        if _MAIN_BLOCK.search(text) and not serves:
            continue  # another stand-alone script (``setup.py`` running ``sync_profiles``): no server imports it
        for found in _IMPORT_LINE.finditer(text):
            modules = found.group(1) or ""
            names.update(part for part in modules.split(".") if part)
            for group in (found.group(2), found.group(3)):
                for item in (group or "").strip("()").replace("\n", ",").split(","):
                    first = item.strip().split(" ")[0]
                    names.update(part for part in first.split(".") if part)
    result = (frozenset(names), servers)
    project.facts_cache["imported-names"] = result
    return result


def _reads_console(module: cst.Module) -> bool:
    """True for a console program: it calls the builtin ``input()``, so its ``print`` calls talk to its user."""
    return "input(" in module.code and any(
        isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == "input" for n in walk(module))
