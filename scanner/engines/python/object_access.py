"""AUTH307 for Python handlers: queries that load, change or delete one object by a request id with nothing tying
it to the signed-in user, tenant or role.

A lookup is a Django ORM ``get``/``filter``/``get_object_or_404``, SQLAlchemy ``session.get(Model, id)``/
``Model.query.get(id)``/``filter(Model.id == id)``/``filter_by(id=id)``/``select(Model).where(...)``, a pymongo
``find_one({"_id": ...})`` (and its update/delete kin), a Supabase ``.eq("id", id)`` or a ``get_<thing>_by_id(id)``
helper given nothing but the id. It is scoped when its statement also holds a condition on an owner field
(``ownership.is_owner_field``, whose value is not itself a request id) or mentions the session user
(``request.user.chats.get(...)``); when a test or access-check call in the handler looks at the loaded object's
owner (``if chat.user_id != user.id: raise``); when a test compares the request id with the session user; or when
the handler is role-gated (admin decorator or dependency, ``is_staff`` test, an ``/admin`` URL).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.calls import context_of, project_function
from scanner.engines.python.names import dotted, string_value, walk
from scanner.engines.python.object_sources import Access, Sources, in_order, model_fields, model_owned
from scanner.engines.python.orm_models import orm_class
from scanner.knowledge import ownership as own
from scanner.knowledge import words

_RECEIVER_NOISE = frozenset({"repo", "repository", "service", "crud", "dao", "utils", "adapter", "adapters",
                             "manager", "store", "table", "collection", "db", "model", "models"})
_MODEL_IN = re.compile(r"\b([A-Z]\w*)\.(?:objects|query)\b|\b(?:query|select|delete|update)\(\s*(?:\w+\.)*([A-Z]\w*)")
_TABLE_IN = re.compile(r"\.(?:table|from_)\(\s*[\"'](\w+)[\"']")
#: supabase-py clients that carry the member's own token: row-level security scopes their rows.
_USER_CLIENT = re.compile(r"postgrest\.auth\(|\.auth\.set_session\(|[\"']Authorization[\"']\s*:\s*f?[\"']Bearer")
_STRINGS = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")
_DELETE = re.compile(r"\.(?:a?delete\w*|remove\w*|find_one_and_delete)\(|\bdelete\(\s*[A-Z]|[\"']\s*DELETE\s+FROM\b")
_UPDATE = re.compile(r"\.(?:a?update\w*|edit\w*|find_one_and_update|replace_one|save)\(|\bupdate\(\s*[A-Z]|"
                     r"[\"']\s*UPDATE\s+\w+\s+SET\b")


def unscoped_accesses(ctx: FileContext, func: cst.FunctionDef, url: str, framework: str) -> list[Access]:
    """The unscoped lookups of one authenticated handler function (none when it is role-gated)."""
    sources = Sources(ctx, func, url, framework)
    if role_gated(ctx, func, url):
        return []
    checks = _checks(ctx, func)
    found = []
    helped: list[tuple[str | None, Access]] = []
    # ids handed, with the signed-in user, to a project function before any lookup (``load_thread_messages(
    # thread_id, user.id)``): the function can scope by the user, and later lookups by that id read the caller's row
    owner_checked: set[str] = set()
    for stmt in _statements(func):
        calls = [n for n in in_order(stmt) if isinstance(n, cst.Call)]
        for call in calls:
            if _owner_call(ctx, call, sources):
                owner_checked.update(f[0] for a in call.args if (f := sources.of(a.value)) is not None)
        for call in calls:
            hit = _lookup(ctx, call, sources)
            if hit is not None:
                if hit[1][0] not in owner_checked:
                    found.append((stmt, call, *hit))
                break
        else:
            helped += ((_target(stmt), a) for c in calls[:_HELPER_CALLS]
                       if (a := _through_helper(ctx, c, sources)) is not None and a.id_name not in owner_checked)
    # an id is verified once any object loaded by it has its owner checked (or the id itself is compared with
    # the session user): later queries by the same id are then scoped too
    assigned = _assignments(ctx, func)
    verified = {ids[0] for stmt, _, _, ids in found
                if any(_checked(t, ids[0], sources, checks) for t in _with_parents(_target(stmt), assigned))}
    # a lookup filtered by the id of an object whose owner is checked (``Prompt.project_id == project.id`` after
    # ``if project.owner_id != user.id: raise``) reads only that owner's rows
    owned = {name for name, _ in assigned if _checked(name, "", sources, checks)}
    # an id a lookup has already matched together with the owner (``update_one({"_id": ObjectId(chat_id),
    # "user_id": user_id}, ...)`` then 404 on no match) names the caller's row: later lookups by it (or by a name
    # assigned from it, ``chat_id = msg.chat_id``) read that row again
    scoped_before: set[str] = set()
    direct = []
    for stmt, call, model, (id_name, source) in found:
        if _statement_scoped(ctx, stmt, sources):
            scoped_before.add(id_name)
            scoped_before.update(name for name, text in assigned if text.strip() == id_name)
            continue
        if id_name in verified or id_name in scoped_before or not model_owned(ctx, model):
            continue
        if any(re.search(rf"\b{re.escape(o)}\.(?:id|pk|_id)\b", ctx.code_of(stmt)) for o in owned):
            continue
        direct.append(Access(call, model, id_name, source, _verb(ctx.code_of(stmt))))
    seen = {a.id_name for a in direct} | verified | scoped_before
    # a row a helper loaded is checked like one loaded in the handler (``db_flow = flow_crud.get_flow(db, flow_id)``
    # then ``if current_user.organization_id != db_flow.organization_id: raise``)
    checked_ids = {a.id_name for target, a in helped
                   if any(_checked(t, a.id_name, sources, checks) for t in _with_parents(target, assigned))}
    return direct + [a for _, a in helped if a.id_name not in seen | checked_ids]


#: An argument that hands a helper the signed-in user (``user["id"]``, ``owner``, ``uid``): it can scope by it.
_USER_ARG = re.compile(r"(?i)\b(?:user|users|owner|member|account|uid|me)\b")
#: Calls of one handler statement followed into project functions.
_HELPER_CALLS = 4


def _through_helper(ctx: FileContext, call: cst.Call, sources: Sources, depth: int = 2) -> Access | None:
    """An unscoped lookup inside the project function ``call`` runs (one hop: ``DbChat.update(chat_id,
    name)`` whose body does ``query(DbChat).filter_by(chat_id=chatId).first()``), keyed by the parameter
    that receives a request id; reported on the call. None when the handler also hands it the session user
    (the helper can scope by it) or the helper checks an owner."""
    handed_user = [i for i, a in enumerate(call.args)
                   if (text := _plain(ctx.code_of(a.value), sources)) and
                   (own.SESSION_USER.search(text) or _USER_ARG.search(text))]
    given = [(i, a, found) for i, a in enumerate(call.args) if (found := sources.of(a.value)) is not None]
    # the whole request body handed on (``process_answer_resolver(request)`` with ``request: AnalyzeRequest``):
    # the ids the helper reads off it (``request.conversation_id``) are request ids
    whole = [(i, a) for i, a in enumerate(call.args)
             if isinstance(a.value, cst.Name) and a.value.value in sources.bodies]
    if not given and not whole:
        return None
    resolved = _helper_definition(ctx, call)
    if resolved is None:
        return None
    path, helper, name = resolved
    module = ctx.project.module(path)
    if module is None:
        return None
    params = [*helper.params.params, *helper.params.kwonly_params]
    if params and params[0].name.value in ("self", "cls") and not _called_on_class(call):
        params = params[1:]
    ids: dict[str, tuple[str, str]] = {}
    bodies: set[str] = set()
    # the helper's parameters that receive the signed-in user: a lookup that uses one is scoped by it
    user_params = set()
    for i in handed_user:
        arg = call.args[i]
        keyword = arg.keyword.value if arg.keyword is not None else None
        param = next((p for p in params if p.name.value == keyword), None) if keyword else \
            (params[i] if i < len(params) else None)
        if param is None:
            return None  # handed where the code cannot follow it: the helper may scope by it
        user_params.add(param.name.value)
    for i, arg, found in given:
        keyword = arg.keyword.value if arg.keyword is not None else None
        param = next((p for p in params if p.name.value == keyword), None) if keyword else \
            (params[i] if i < len(params) else None)
        if param is not None:
            ids[param.name.value] = found
    for i, arg in whole:
        keyword = arg.keyword.value if arg.keyword is not None else None
        param = next((p for p in params if p.name.value == keyword), None) if keyword else \
            (params[i] if i < len(params) else None)
        if param is not None:
            bodies.add(param.name.value)
    if not ids and not bodies:
        return None
    other = context_of(ctx, path, module)
    inner = Sources.of_helper(other, helper, ids, bodies)
    checks = _checks(other, helper)
    for stmt in _statements(helper):
        inner_calls = [n for n in in_order(stmt) if isinstance(n, cst.Call)]
        if user_params and any(_hands_user_and_id(other, c, user_params, inner) for c in inner_calls):
            return None  # ``c = await get_chat(user_id, chat_id); if not c: return []`` before the lookup
        for inner_call in inner_calls:
            hit = _lookup(other, inner_call, inner)
            if hit is None:
                continue
            model, (id_name, source) = hit
            code = other.code_of(stmt)
            if _statement_scoped(other, stmt, inner) or not model_owned(other, model) or \
                    _checked(_target(stmt), id_name, inner, checks) or \
                    any(re.search(rf"\b{re.escape(p)}\b", code) for p in user_params) or \
                    (user_params and _checks_owner(checks, user_params)):
                return None
            return Access(call, model, id_name, source, _verb(other.code_of(stmt)), name)
        if depth > 1 and not user_params:  # a service method handing the id on to the model's own method
            for inner_call in inner_calls[:_HELPER_CALLS]:
                deeper = _through_helper(other, inner_call, inner, depth - 1)
                if deeper is not None:
                    return Access(call, deeper.model, deeper.id_name, deeper.source, deeper.verb,
                                  f"{name}() -> {deeper.via}")
    return None


def _owner_call(ctx: FileContext, call: cst.Call, sources: Sources) -> bool:
    """True for a call of a project function handed a request id and the signed-in user (``load_thread(thread_id,
    user.id)``), or one whose own code refuses a row the signed-in user does not own (Flask's tutorial
    ``get_post(id)``: ``if post["author_id"] != g.user["id"]: abort(403)``)."""
    if not any(sources.of(a.value) is not None for a in call.args):
        return False
    resolved = _helper_definition(ctx, call)
    if resolved is None:
        return False
    texts = [_plain(ctx.code_of(a.value), sources) for a in call.args]
    if any(own.SESSION_USER.search(t) or _USER_ARG.search(t) for t in texts if t):
        # handed the signed-in user too: the caller's row, unless the helper's own lookup by the id ignores it
        # (``UPDATE conversations SET ... WHERE id = %s`` in a helper given ``user_id``: set 18 chatapp)
        return _through_helper(ctx, call, sources) is None
    module = ctx.project.module(resolved[0])
    body = module.code_for_node(resolved[1].body) if module is not None else ""
    return bool(_OWNER_REFUSAL.search(body))


#: A helper's own owner check: an owner field compared with the signed-in user, then a refusal.
_OWNER_REFUSAL = re.compile(r"(?s)\b(?:author|owner|user|creator|account|member)_?id\b[\"'\]]*\s*!=\s*[^\n]{0,80}"
                            r"(?:g\.user|current_user|request\.user|session|get_jwt_identity)[^\n]*\n\s*"
                            r"(?:abort\(\s*40[34]|raise\b|return\b[^\n]*40[34])")


def _hands_user_and_id(ctx: FileContext, call: cst.Call, user_params: set[str], sources: Sources) -> bool:
    """True for a call handed both a parameter holding the signed-in user and a request id (an owner-scoped
    load of the row first)."""
    names = {n.value for a in call.args for n in walk(a.value) if isinstance(n, cst.Name)}
    return bool(names & user_params) and any(sources.of(a.value) is not None for a in call.args)


def _checks_owner(checks: list[str], user_params: set[str]) -> bool:
    """True when one of a helper's tests compares something with a parameter holding the signed-in user
    (``if row["user_id"] != user_id: raise``)."""
    return any(re.search(rf"\b{re.escape(p)}\b", c) for c in checks for p in user_params)


def _called_on_class(call: cst.Call) -> bool:
    """``DbChat.update(...)``: a function of a class called on the class (no instance bound to ``self``)."""
    func = call.func
    return isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value[:1].isupper()


def _helper_definition(ctx: FileContext, call: cst.Call) -> tuple[str, cst.FunctionDef, str] | None:
    """(path, function, display name) of the project function a call runs: a module function, a method of a
    project class called on the class or an instance built in sight; None when not in the project."""
    qualified = ctx.imports.qualify(call.func) or dotted(call.func) or ""
    found = project_function(ctx, qualified) if qualified else None
    if found is None:
        return None
    return found[0], found[1], (dotted(call.func) or qualified).replace("()", "")


def public_lookups(ctx: FileContext, func: cst.FunctionDef, url: str, framework: str) -> list[Access]:
    """The lookups of one handler without authentication that pick a row of member data by a request id
    (``guestChats.objects.get(id=serializer.validated_data["id"])``): an owned model or one named for member
    data (chats, messages, profiles). Whoever sends an id reads or rewrites that row."""
    sources = Sources(ctx, func, url, framework)
    found = []
    for stmt in _statements(func):
        for call in (n for n in in_order(stmt) if isinstance(n, cst.Call)):
            hit = _lookup(ctx, call, sources)
            if hit is not None and (model_owned(ctx, hit[0]) or set(words(hit[0])) & own.MEMBER_DATA_WORDS):
                found.append(Access(call, hit[0], hit[1][0], hit[1][1], _verb(ctx.code_of(stmt))))
                break
    return found


def role_gated(ctx: FileContext, func: cst.FunctionDef, url: str) -> bool:
    """True when the handler is for a role: an ``/admin`` URL, an admin/permission decorator or dependency, or
    a role test in its body (``if not user.is_superuser``)."""
    if re.search(r"(?:^|/)admin(?:/|$)", url):
        return True
    heads = [ctx.code_of(d) for d in func.decorators] + [ctx.code_of(func.params)]
    tests = [ctx.code_of(n.test) for n in walk(func.body) if isinstance(n, (cst.If, cst.Assert))]
    return any(own.ROLE_CHECK.search(text) for text in heads + tests)


def _statements(func: cst.FunctionDef) -> Iterator[cst.CSTNode]:
    for node in in_order(func.body):
        if isinstance(node, cst.SimpleStatementLine):
            yield node
        elif isinstance(node, (cst.If, cst.While)):
            yield node.test
        elif isinstance(node, cst.For):
            yield node.iter


def _lookup(ctx: FileContext, call: cst.Call, sources: Sources) -> tuple[str, tuple[str, str]] | None:
    """(model, (id name, source)) when ``call`` selects rows by a request id."""
    func = call.func
    last = func.attr.value if isinstance(func, cst.Attribute) else (func.value if isinstance(func, cst.Name) else "")
    receiver = ctx.code_of(func.value) if isinstance(func, cst.Attribute) else ""
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    helper = own.PY_HELPER.match(last) or own.PY_BY_ID.match(last)
    if helper:
        model = own.helper_model(helper.group(1)) if helper.re is own.PY_HELPER else _receiver_model(receiver)
        found = next((f for a in positional if (f := sources.of(a)) is not None), None)
        return (model, found) if found and model and len(positional) <= 2 else None
    if last in own.PY_PRIMARY_KEY_GETS and positional:
        found = sources.of(positional[-1])
        model = _positional_model(ctx, positional, receiver)
        if found and model:
            return model, found
    if last in own.PY_CONDITION_LOOKUPS:
        for kw in call.args:
            if kw.keyword is not None and _id_key(kw.keyword.value) and (found := sources.of(kw.value)):
                return _model(ctx, call, receiver), found
        for value in positional:
            compared = _compared_id(value, sources)
            if compared:
                return compared
    if last in own.MONGO_ONE and positional and isinstance(positional[0], cst.Dict):
        for element in positional[0].elements:
            if isinstance(element, cst.DictElement) and _id_key(string_value(element.key) or "") and \
                    (found := sources.of(element.value)):
                return receiver.rsplit(".", 1)[-1].strip("[]\"'"), found
    if last in _SQL_CALLS and positional:
        hit = _sql_lookup(positional, sources)
        if hit is not None:
            return hit
    if last == "eq" and len(positional) == 2 and _id_key(string_value(positional[0]) or "") and \
            not _USER_CLIENT.search(ctx.project.texts.get(ctx.path, "")):
        found = sources.of(positional[1])
        table = _TABLE_IN.search(receiver)
        if found and table:
            return table.group(1), found
    return None


#: DB-API and driver calls that run SQL text with parameters (sqlite3, psycopg2, asyncpg, aiosqlite, databases).
_SQL_CALLS = frozenset({"execute", "fetch", "fetchrow", "fetchval", "fetch_one", "fetch_all", "fetch_val"})
#: The table and the WHERE clause of a SELECT / UPDATE / DELETE.
_SQL_TABLE = re.compile(r"(?is)\b(?:from|update)\s+[\"`]?(\w+)[\"`]?\b(.*?)\bwhere\b(.*)")
#: A column compared to a placeholder: ``id = %s``, ``conversation_id = ?``, ``chat_id = $1``, ``id = :id``.
_SQL_CONDITION = re.compile(r"(?i)\b(\w+)\s*=\s*(?:%s|\?|\$\d+|:\w+|%\(\w+\)s)")


def _sql_lookup(args: list[cst.BaseExpression], sources: Sources) -> tuple[str, tuple[str, str]] | None:
    """(table, request id) for raw SQL that selects, updates or deletes rows of ``table`` by an id-like column
    bound to a request id (``cur.execute("SELECT * FROM messages WHERE conversation_id = %s", (conversation_id,))``)
    (set 16 local-gpt). Whether an owner column in the same WHERE scopes it is the caller's judgement."""
    sql = string_value(args[0])
    found = _SQL_TABLE.search(sql or "")
    if found is None:
        return None
    table, where = found.group(1), found.group(3)
    columns = [c for c in _SQL_CONDITION.findall(where)]
    # (an owner column beside the id, ``AND user_id = %s``, is judged with the statement: scoped when it is bound to
    # the signed-in user, and then later lookups by the same id read the caller's rows)
    if not any(_id_key(c) for c in columns) or re.search(r"(?i)\bor\b", where):
        return None
    params = args[1:] if len(args) > 1 else []
    values = [e.value for p in params for e in (p.elements if isinstance(p, (cst.Tuple, cst.List)) else ())] + \
        [p for p in params if not isinstance(p, (cst.Tuple, cst.List))]
    hit = next((f for v in values if (f := sources.of(v)) is not None), None)
    return (table, hit) if hit is not None else None


def _receiver_model(receiver: str) -> str:
    """``dsm.utils.conversation`` -> conversation; ``chat_repo`` -> chat; ``ChatService`` -> Chat."""
    last = receiver.rsplit(".", 1)[-1].strip("()")
    kept = [w for w in re.split(r"_|(?<=[a-z])(?=[A-Z])", last) if w and w.lower() not in _RECEIVER_NOISE]
    return "_".join(kept)


def _id_key(name: str) -> bool:
    return own.is_id_name(name) or name.endswith(("__id", "__pk", "__uuid"))


def _positional_model(ctx: FileContext, args: list[cst.BaseExpression], receiver: str) -> str:
    """``session.get(Chat, id)`` -> Chat; ``Chat.query.get(id)`` / ``db.query(Chat).get(id)`` -> Chat."""
    if len(args) == 2:
        name = dotted(args[0]) or ""
        last = name.rsplit(".", 1)[-1]
        return last if last[:1].isupper() else ""
    found = _MODEL_IN.search(receiver)
    return (found.group(1) or found.group(2)) if found and receiver.endswith((".query", ")")) else ""


def _model(ctx: FileContext, call: cst.Call, receiver: str) -> str:
    """The model a keyword lookup reads: the receiver's ``Model.objects``/``Model.query``/``query(Model)``, or
    ``get_object_or_404``'s first argument."""
    if not receiver and call.args:
        first = ctx.code_of(call.args[0].value)
        found = _MODEL_IN.search(first)
        return (found.group(1) or found.group(2)) if found else first.split(".")[0]
    found = _MODEL_IN.search(receiver)
    if found:
        return found.group(1) or found.group(2)
    lower = re.match(r"(\w+)\.objects\b", receiver)  # ``guestChats.objects``: a project model named in lower case
    if lower and model_fields(ctx, lower.group(1)) is not None:
        return lower.group(1)
    return _orm_receiver(ctx, call)


def _orm_receiver(ctx: FileContext, call: cst.Call) -> str:
    """``Chat.get(id=chat_id)`` / ``models.Chat.filter(...)`` on an async ORM model class (Tortoise, Beanie) -> Chat."""
    receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
    qualified = ctx.imports.qualify(receiver) if receiver is not None else None
    last = (qualified or "").rsplit(".", 1)[-1]
    return last if last[:1].isupper() and orm_class(ctx, qualified or "") else ""


def _compared_id(arg: cst.BaseExpression, sources: Sources) -> tuple[str, tuple[str, str]] | None:
    """``Chat.id == chat_id`` (either side) in a ``filter``/``where`` -> (Chat, request id)."""
    for node in walk(arg):
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            sides = [node.left, node.comparisons[0].comparator]
            for column, value in (sides, sides[::-1]):
                if isinstance(column, cst.Attribute) and _id_key(column.attr.value) and \
                        (found := sources.of(value)):
                    root = dotted(column.value) or ""
                    return root.split(".")[0], found
    return None


def _statement_scoped(ctx: FileContext, stmt: cst.CSTNode, sources: Sources) -> bool:
    """True when the statement holding the lookup also conditions on an owner, the session user or a role."""
    for node in walk(stmt):
        if isinstance(node, cst.Arg) and node.keyword is not None and own.is_owner_field(node.keyword.value) \
                and sources.within(node.value) is None:
            return True
        if isinstance(node, cst.Comparison) and _owner_comparison(node, sources):
            return True
        if isinstance(node, cst.DictElement) and own.is_owner_field(string_value(node.key) or "") and \
                sources.within(node.value) is None:
            return True
        if isinstance(node, cst.Call) and (dotted(node.func) or "").endswith(".eq") and len(node.args) == 2 and \
                own.is_owner_field(string_value(node.args[0].value) or "") and sources.within(node.args[1]) is None:
            return True
    text = _plain(ctx.code_of(stmt), sources)
    return bool(own.SESSION_USER.search(text) or own.ROLE_CHECK.search(text))


def _owner_comparison(node: cst.Comparison, sources: Sources) -> bool:
    sides = [node.left, *(c.comparator for c in node.comparisons)]
    owner = any(isinstance(s, cst.Attribute) and own.is_owner_field(s.attr.value) for s in sides)
    return owner and all(sources.within(s) is None for s in sides)


def _plain(text: str, sources: Sources) -> str:
    """``text`` without string literals and without the names that hold request ids."""
    text = _STRINGS.sub('""', text)
    for name in sources.names():
        text = re.sub(rf"\b{re.escape(name)}\b", "_", text)
    return text


def _checks(ctx: FileContext, func: cst.FunctionDef) -> list[str]:
    """Texts of the handler's tests, comparisons and access-check calls (where an ownership check can be)."""
    out = []
    for node in walk(func.body):
        if isinstance(node, (cst.If, cst.While, cst.Assert, cst.IfExp)):
            out.append(ctx.code_of(node.test))
        elif isinstance(node, cst.Comparison):
            out.append(ctx.code_of(node))
        elif isinstance(node, cst.Call) and own.ACCESS_CHECK_CALL.search(dotted(node.func) or ""):
            out.append("check:" + ctx.code_of(node))
    return out


def _checked(target: str | None, id_name: str, sources: Sources, checks: list[str]) -> bool:
    """True when a test looks at the loaded object's owner or the session user, or an access-check call
    receives the object (or a test ties the request id itself to the session user)."""
    holders = [n for n, (name, _) in sources.ids.items() if name == id_name]
    for text in checks:
        plain = _plain(text, sources)
        session = text.startswith("check:") or bool(own.SESSION_USER.search(plain))
        if target and re.search(rf"\b{re.escape(target)}\b", text) and (session or _owner_of(target, text)):
            return True
        if session and any(re.search(rf"\b{re.escape(h)}\b", text) for h in holders):
            return True
    return False


def _assignments(ctx: FileContext, func: cst.FunctionDef) -> list[tuple[str, str]]:
    """(name, value text) of the handler's assignments to a plain name (in no particular order)."""
    out = []
    for node in walk(func.body):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            out.append((node.targets[0].target.value, ctx.code_of(node.value)))
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and node.value is not None:
            out.append((node.target.value, ctx.code_of(node.value)))
    return out


def _with_parents(target: str | None, assigned: list[tuple[str, str]]) -> list[str | None]:
    """``target`` and the objects loaded through one of its fields (``project = ...filter(Project.id ==
    prompt.project_id)``): an owner check on the parent a row belongs to covers the row."""
    if target is None:
        return [None]
    return [target, *(name for name, text in assigned
                      if name != target and re.search(rf"\b{re.escape(target)}\s*\.\s*\w*id\b", text))]


def _owner_of(target: str, text: str) -> bool:
    """True when ``text`` reads an owner field of ``target`` (``chat.user_id``, ``msg.chat.owner``,
    ``doc["user_id"]``)."""
    chains = re.findall(rf"\b{re.escape(target)}\.([\w.]+)", text)
    keys = re.findall(rf"\b{re.escape(target)}\[[\"'](\w+)", text)
    return any(own.is_owner_field(p) for c in chains for p in c.split(".")) or any(map(own.is_owner_field, keys))


def _target(stmt: cst.CSTNode) -> str | None:
    """The variable a lookup statement assigns (``chat = ...``, ``chat: Chat = ...``)."""
    if isinstance(stmt, cst.SimpleStatementLine):
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            return small.target.value
    for node in walk(stmt):
        if isinstance(node, cst.NamedExpr) and isinstance(node.target, cst.Name):
            return node.target.value
    return None


def _verb(text: str) -> str:
    if _DELETE.search(text):
        return "deletes"
    return "updates" if _UPDATE.search(text) else "loads"
