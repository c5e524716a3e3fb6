"""AUTH307 facts for Python handlers: the request ids a handler holds and which models hold per-user data.

Inside one authenticated handler, request ids are path parameters, id-named query or body fields (``chat_id``,
``body.conversation_id``, ``request.args["id"]``, ``self.kwargs["pk"]``) and variables assigned from them
(through ``int()``/``UUID()``/``ObjectId()``). A model whose class is in the project holds per-user data only when
it has an owner field or a foreign key to a per-user parent; otherwise its name must say so
(``ownership.per_user_model``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.names import dotted, string_value, walk
from scanner.knowledge import ownership as own

_URL_PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}|<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
_REQUEST = re.compile(r"^(?:self\.)?(?:request|req|flask\.request|quart\.request)\.(\w+)")
_KINDS = {"args": "query string", "GET": "query string", "query_params": "query string", "values": "query string",
          "json": "request body", "get_json": "request body", "form": "request body", "data": "request body",
          "POST": "request body", "body": "request body", "view_args": "path", "path_params": "path",
          "match_info": "path", "kwargs": "path"}
_CONVERTERS = frozenset({"int", "str", "UUID", "ObjectId", "PydanticObjectId", "uuid.UUID", "bson.ObjectId",
                         "bson.objectid.ObjectId", "strip", "lower"})
_SCALARS = frozenset({"int", "str", "UUID", "uuid.UUID", "Optional", "Union", "None", "Path", "Query", "Body",
                      "Annotated", "PydanticObjectId", "ObjectId"})
_HELPER = re.compile(r"^(?:a?get|fetch|find|load|read|delete|remove|update|edit)_(\w+?)_by_(?:id|uuid|pk)$")
_FK = re.compile(r"ForeignKey|relationship|Relationship|foreign_key|ReferenceField|Link\[|OneToOne|_id\b")
_CLASS = re.compile(r"^class\s+(\w+)\b[^\n]*:\s*$", re.M)
_FIELD = re.compile(r"^\s+(\w+)\s*(?::[^=\n]*)?=\s*([^\n]*)$|^\s+(\w+)\s*:\s*([^\n=]*)$", re.M)
_TABLE = re.compile(r"__tablename__\s*=\s*[\"'](\w+)[\"']|db_table\s*=\s*[\"'](\w+)[\"']")


@dataclass(frozen=True)
class Access:
    """One unscoped lookup: the call to report, the model, the request id it is keyed by and where that id
    comes from (``path``, ``query string``, ``request body``), and what the call does (loads/updates/deletes)."""

    node: cst.CSTNode
    model: str
    id_name: str
    source: str
    verb: str
    #: The project function the lookup is in when it is not the handler (``DbChat.update``), else "".
    via: str = ""


def in_order(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` in source order (``names.walk`` is faster but unordered)."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def url_params(url: str) -> set[str]:
    """Parameter names of a route URL: ``/chats/{chat_id}``, ``/chats/<int:pk>``, ``(?P<pk>\\d+)``."""
    return {a or b or c for a, b, c in _URL_PARAM.findall(url)}


class Sources:
    """The request ids visible in one handler: variable -> (id name, source), plus body-model parameters and
    dicts read from the request body."""

    def __init__(self, ctx: FileContext, func: cst.FunctionDef, url: str, framework: str) -> None:
        self.ctx = ctx
        self.ids: dict[str, tuple[str, str]] = {}
        self.bodies: set[str] = set()
        path = url_params(url)
        params = [*func.params.params, *func.params.kwonly_params]
        for i, param in enumerate(params):
            name = param.name.value
            if (i == 0 and name in ("self", "cls")) or _is_dependency(param) or (
                    name in ("request", "req") and not (framework == "fastapi" and _body_model(param))):
                continue  # (a FastAPI ``request: ChatRequest`` is the body model, not Starlette's Request)
            if name in path or (framework != "fastapi" and own.is_id_name(name)):
                self.ids[name] = (name, "path")
            elif own.is_id_name(name) and _scalar(param):
                self.ids[name] = (name, _param_kind(param))
            elif framework in ("fastapi", "ninja") and not _scalar(param) and param.annotation is not None:
                self.bodies.add(name)
        self._propagate(func)

    @classmethod
    def of_helper(cls, ctx: FileContext, func: cst.FunctionDef, ids: dict[str, tuple[str, str]],
                  bodies: AbstractSet[str] = frozenset()) -> Sources:
        """The request ids inside a project function a handler calls: ``ids`` maps its parameters that receive
        one to (id name, source), ``bodies`` names those that receive the whole request body; its own assignments
        from them are followed."""
        found = cls.__new__(cls)
        found.ctx, found.ids, found.bodies = ctx, dict(ids), set(bodies)
        found._propagate(func)
        return found

    def _propagate(self, func: cst.FunctionDef) -> None:
        id_lists: dict[str, tuple[str, str]] = {}
        for node in in_order(func.body):
            if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
                targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
                for target in targets:
                    self._bind(target, node.value)
                    listed = self._id_list(node.value, id_lists)
                    if listed is not None and isinstance(target, cst.Name):
                        id_lists[target.value] = listed
            elif isinstance(node, cst.For) and isinstance(node.target, cst.Name):
                # ``for doc_id in request_data.get("document_ids", []):`` each element is a request id
                listed = self._id_list(node.iter, id_lists)
                if listed is not None:
                    self.ids[node.target.value] = listed

    def _id_list(self, expr: cst.BaseExpression, id_lists: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
        """(key, source) when ``expr`` is a list of ids the client sent (``data.get("document_ids", [])``,
        ``body.chat_ids``) or a name holding one."""
        if isinstance(expr, cst.Name):
            return id_lists.get(expr.value)
        key, holder = _keyed_read(expr)
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            key, holder = expr.attr.value, expr.value
        if key is None or holder is None or not _ID_LIST.fullmatch(key):
            return None
        code = dotted(holder) or self.ctx.code_of(holder)
        request = _REQUEST.match(code) or _REQUEST.match(self.ctx.imports.qualify(holder) or "")
        if (isinstance(holder, cst.Name) and holder.value in self.bodies) or code.endswith(
                (".validated_data", ".cleaned_data")) or (request and _KINDS.get(request.group(1)) == "request body"):
            return key, "request body"
        if request and request.group(1) in _KINDS:
            return key, _KINDS[request.group(1)]
        return None

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            found = self.of(value)
            if found is not None:
                self.ids[target.value] = found
            elif _whole_body(self.ctx, value):
                self.bodies.add(target.value)
        elif isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple):
            for t, v in zip(target.elements, value.elements, strict=False):
                self._bind(t.value, v.value)

    def of(self, expr: cst.BaseExpression) -> tuple[str, str] | None:
        """The (id name, source) ``expr`` evaluates to, or None when it is not a request id."""
        if isinstance(expr, cst.Await):
            return self.of(expr.expression)
        if isinstance(expr, cst.Name):
            return self.ids.get(expr.value)
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and \
                expr.value.value in self.bodies and own.is_id_name(expr.attr.value):
            return expr.attr.value, "request body"
        key, holder = _keyed_read(expr)
        if key is not None and holder is not None and own.is_id_name(key):
            code = dotted(holder) or self.ctx.code_of(holder)
            if isinstance(holder, cst.Name) and holder.value in self.bodies:
                return key, "request body"
            if code in ("self.kwargs", "kwargs"):  # Django class views: the URL's keyword arguments
                return key, "path"
            if code.endswith((".validated_data", ".cleaned_data")):  # a DRF serializer / Django form of the body
                return key, "request body"
            request = _REQUEST.match(code) or _REQUEST.match(self.ctx.imports.qualify(holder) or "")
            if request and request.group(1) in _KINDS:  # (``from flask import request as flask_request`` too)
                return key, _KINDS[request.group(1)]
        if isinstance(expr, cst.Call) and expr.args and (dotted(expr.func) or "") in _CONVERTERS:
            return self.of(expr.args[0].value)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and \
                expr.func.attr.value in ("strip", "lower"):
            return self.of(expr.func.value)
        return None

    def within(self, node: cst.CSTNode) -> tuple[str, str] | None:
        """The first request id used anywhere inside ``node``."""
        for sub in walk(node):
            if isinstance(sub, cst.BaseExpression):
                found = self.of(sub)
                if found is not None:
                    return found
        return None

    def names(self) -> set[str]:
        """Local names that hold a request id."""
        return set(self.ids)


#: A key naming a list of ids (``document_ids``, ``chatIds``).
_ID_LIST = re.compile(r"\w+_ids|\w+Ids|ids")


def _keyed_read(expr: cst.BaseExpression) -> tuple[str | None, cst.BaseExpression | None]:
    """``holder["key"]`` or ``holder.get("key")`` -> (key, holder)."""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        return string_value(expr.slice[0].slice.value), expr.value
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "get" \
            and expr.args:
        return string_value(expr.args[0].value), expr.func.value
    return None, None


def _whole_body(ctx: FileContext, value: cst.BaseExpression) -> bool:
    """``request.get_json()``, ``await request.json()``, ``request.data``, ``json.loads(request.body)``."""
    code = ctx.code_of(value).removeprefix("await ")
    match = _REQUEST.match(code.split("json.loads(")[-1])
    return match is not None and _KINDS.get(match.group(1)) == "request body"


def _body_model(param: cst.Param) -> bool:
    """True for a parameter annotated with a class that is not Starlette's/FastAPI's ``Request`` (a pydantic body
    model such as ``ChatRequest``)."""
    annotation = dotted(param.annotation.annotation) if param.annotation is not None else None
    last = (annotation or "").rsplit(".", 1)[-1]
    return bool(last) and last[:1].isupper() and last not in ("Request", "HTTPConnection", "WebSocket")


def _is_dependency(param: cst.Param) -> bool:
    text = cst.Module([]).code_for_node(param)
    return "Depends(" in text or "Security(" in text


def _scalar(param: cst.Param) -> bool:
    if param.annotation is None:
        return True
    names = {(dotted(n) or "") for n in walk(param.annotation.annotation) if isinstance(n, (cst.Name, cst.Attribute))}
    return bool(names) and names <= _SCALARS | {"uuid"}


def _param_kind(param: cst.Param) -> str:
    text = cst.Module([]).code_for_node(param)
    return "path" if "Path(" in text else ("request body" if "Body(" in text else "query string")


def model_owned(ctx: FileContext, model: str) -> bool:
    """True when ``model`` (a class or table name) holds per-user data: its class in the project has an owner
    field or a foreign key to a per-user parent; when no class is found, its name says so."""
    fields = _fields_of(ctx, model)
    if fields is None:
        return own.per_user_model(model)
    return any(own.is_owner_field(name) or (bool(_FK.search(value) or name.endswith("_id")) and
                                            own.per_user_model(name.removesuffix("_id")))
               for name, value in fields)


def model_fields(ctx: FileContext, model: str) -> list[str] | None:
    """Field names of the project class (or table) ``model``, or None when the project defines none."""
    fields = _fields_of(ctx, model)
    return None if fields is None else [name for name, _ in fields]


def model_field_defs(ctx: FileContext, model: str) -> list[tuple[str, str]] | None:
    """(field, its definition text) of the project class (or table) ``model``, or None when the project defines
    none."""
    return _fields_of(ctx, model)


def _fields_of(ctx: FileContext, model: str) -> list[tuple[str, str]] | None:
    """The fields of ``model``: its class, or its table (a ``CREATE TABLE`` one also by its plural: ``quiz`` ->
    ``quizzes``, ``chat`` -> ``chats``)."""
    index = _model_index(ctx)
    low = model.lower()
    for key in (model, low):
        if key in index:
            return index[key]
    tables = ctx.project.facts_cache.get("sql-tables")
    assert isinstance(tables, set)
    return next((index[key] for key in sorted(tables) if _singular(key.lower()) == low), None)


def _singular(name: str) -> str:
    """The singular of an English table name (``quizzes`` -> ``quiz``, ``chats`` -> ``chat``, ``replies`` ->
    ``reply``, ``addresses`` -> ``address``)."""
    for plural, single in (("zzes", "z"), ("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"),
                           ("shes", "sh"), ("s", "")):
        if name.endswith(plural) and len(name) > len(plural) + 1:
            return name[: -len(plural)] + single
    return name


def _model_index(ctx: FileContext) -> dict[str, list[tuple[str, str]]]:
    """Class name (and table name) -> [(field, its definition text)] for every class of the project."""
    cached = ctx.project.facts_cache.get("model-fields")
    if isinstance(cached, dict):
        return cached
    index: dict[str, list[tuple[str, str]]] = {}
    for path in ctx.project.files_containing("class "):
        text = ctx.project.texts[path]
        heads = list(_CLASS.finditer(text))
        for i, head in enumerate(heads):
            body = text[head.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
            body = re.split(r"\n(?=\S)", body, maxsplit=1)[0]
            fields = [(a or c, b or d) for a, b, c, d in _FIELD.findall(body)]
            index.setdefault(head.group(1), []).extend(fields)
            for a, b in _TABLE.findall(body):
                index.setdefault(a or b, []).extend(fields)
    # raw SQL schemas in the code (asyncpg, sqlite3 apps): ``CREATE TABLE IF NOT EXISTS quizzes (..., user_id
    # INTEGER REFERENCES users(id))``; the table's columns are its fields
    tables: set[str] = set()
    for path in ctx.project.files_containing("CREATE TABLE", "create table"):
        for table, columns in _CREATE_TABLE.findall(ctx.project.texts[path]):
            fields = [(m.group(1), m.group(0)) for m in _SQL_COLUMN.finditer(columns)]
            index.setdefault(table, []).extend(fields)
            tables.add(table)
    ctx.project.facts_cache["sql-tables"] = tables
    ctx.project.facts_cache["model-fields"] = index
    return index


#: ``CREATE TABLE [IF NOT EXISTS] name (columns)`` in a string of the code; the columns up to the closing line.
_CREATE_TABLE = re.compile(r"(?i)\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?[\"`]?(\w+)[\"`]?\s*\(([^;]{0,4000}?)\)\s*"
                           r"(?:;|[\"']{1,3}|$)")
#: One column definition: its name first on the line, then its type and constraints.
_SQL_COLUMN = re.compile(r"(?im)^\s*[\"`]?(\w+)[\"`]?\s+(?!KEY\b)[A-Za-z][^,\n]*")
