"""Async ORM models of the project (Tortoise ORM, Beanie, ODMantic): which calls on them read or write the database.

These ORMs put the queries on the model class itself (``await ChatHistory.filter(user_id=uid)``, ``await
Chat.get(id=chat_id)``, ``await Message.create(...)``, ``await Note.find_one(Note.owner == uid)``) and on its
instances (``await chat.delete()``, ``await note.save()``), with no session or ``objects`` manager whose name would
say so. A call is database access when its receiver is a class of the project whose bases (followed through project
classes) reach one of these ORMs' model bases, never by the method name alone: ``Cache.get(key)`` on any other class
is not. ODMantic queries go through its engine with the model class first (``engine.find(Conversation, ...)``).
"""

from __future__ import annotations

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.names import walk

#: Model base classes of async ORMs whose queries are methods of the model class.
ASYNC_ORM_BASES = frozenset({
    "tortoise.models.Model", "tortoise.Model", "beanie.Document", "beanie.odm.documents.Document",
    "odmantic.Model", "odmantic.model.Model",
})
#: Class-level query methods (Tortoise querysets and Beanie/ODMantic finders).
CLASS_CALLS = frozenset({
    "filter", "get", "get_or_none", "all", "create", "get_or_create", "update_or_create", "bulk_create",
    "bulk_update", "exclude", "first", "exists", "count", "annotate", "select_for_update", "in_bulk",
    "raw", "find", "find_one", "find_all", "find_many", "get_motor_collection", "insert_one", "insert_many",
    "delete_all", "aggregate", "distinct", "update_all", "get_pymongo_collection",
})
#: Instance methods that write or reload the row.
INSTANCE_CALLS = frozenset({
    "save", "delete", "update_from_dict", "refresh_from_db", "fetch_related", "insert", "replace", "update",
    "set", "inc", "sync", "create", "upsert",
})
#: ODMantic ``AIOEngine`` methods that take the model class first.
_ENGINE_CALLS = frozenset({"find", "find_one", "count", "remove"})
#: How many project base classes are followed from a model to its ORM base.
_MAX_DEPTH = 3


def orm_query(ctx: FileContext, qualified: str) -> bool:
    """True when ``qualified`` (``app.models.Chat.filter().values`` or ``app.models.Chat().delete``, the name of
    a called function) calls a query method on an async ORM model class of the project or on an instance of one."""
    segments = qualified.split(".")
    for i, segment in enumerate(segments[:-1]):
        instance = segment.endswith("()")
        bare = segment.removesuffix("()")
        if not bare[:1].isupper():
            continue
        method = segments[i + 1].removesuffix("()")
        wanted = INSTANCE_CALLS if instance else CLASS_CALLS
        return method in wanted and orm_class(ctx, ".".join([*segments[:i], bare]))
    return False


def engine_query(ctx: FileContext, call: cst.Call, qualified: str) -> bool:
    """True for an ODMantic engine query: ``engine.find(Conversation, Conversation.user_id == uid)``,
    ``engine.find_one(Chat, ...)``, ``engine.count(Chat)``, ``engine.remove(Chat, ...)``, whose first argument
    is an async ORM model class of the project."""
    if qualified.replace("()", "").rsplit(".", 1)[-1] not in _ENGINE_CALLS or not call.args:
        return False
    first = ctx.imports.qualify(call.args[0].value) or ""
    return first.rsplit(".", 1)[-1][:1].isupper() and orm_class(ctx, first)


def orm_class(ctx: FileContext, qualified: str) -> bool:
    """True when ``qualified`` names a class of the project (or of this file) that subclasses an async ORM
    model base, directly or through project classes (memoised per project)."""
    key = f"orm-class:{ctx.path}:{qualified}"
    cached = ctx.project.facts_cache.get(key)
    if isinstance(cached, bool):
        return cached
    found = _definition(ctx, qualified, ctx.path)
    result = found is not None and _reaches_orm(ctx, *found, depth=0)
    ctx.project.facts_cache[key] = result
    return result


def _definition(ctx: FileContext, qualified: str, from_path: str) -> tuple[str, cst.ClassDef] | None:
    if "." not in qualified:
        module = ctx.project.module(from_path)
        local = ctx.project.local_definition(module, qualified) if module is not None else None
        return (from_path, local) if isinstance(local, cst.ClassDef) else None
    found = ctx.project.definition(qualified, from_path)
    return (found[0], found[1]) if found is not None and isinstance(found[1], cst.ClassDef) else None


def _reaches_orm(ctx: FileContext, path: str, cls: cst.ClassDef, depth: int) -> bool:
    imports = ctx.project.imports(path)
    for base in cls.bases:
        name = imports.qualify(base.value) or ""
        if name in ASYNC_ORM_BASES:
            return True
        parent = _definition(ctx, name, path) if depth < _MAX_DEPTH and name else None
        if parent is not None and parent[1] is not cls and _reaches_orm(ctx, *parent, depth=depth + 1):
            return True
    return False


def orm_instances(ctx: FileContext, func: cst.CSTNode) -> dict[str, str]:
    """Locals of ``func`` that hold an async ORM model instance, as ``{name: "app.models.Chat()"}`` (the shape
    ``ImportMap.qualify`` takes): assigned from ``await Chat.get(...)`` / ``await Chat.get_or_none(...)`` /
    ``await Chat.create(...)`` / ``Chat(...)`` / ``await Chat.find_one(...)``. Memoised per function."""
    key = f"orm-instances:{id(func)}"
    cached = ctx.memo.get(key)
    if isinstance(cached, dict):
        return cached
    out: dict[str, str] = {}
    for node in walk(func):
        if not (isinstance(node, cst.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0].target, cst.Name)):
            continue
        value = node.value.expression if isinstance(node.value, cst.Await) else node.value
        if not isinstance(value, cst.Call):
            continue
        name = (ctx.imports.qualify(value.func) or "").replace("()", "")
        cls, _, method = name.rpartition(".")
        if method[:1].isupper() and orm_class(ctx, name):
            out[node.targets[0].target.value] = f"{name}()"
        elif method in _ONE_ROW and cls.rsplit(".", 1)[-1][:1].isupper() and orm_class(ctx, cls):
            out[node.targets[0].target.value] = f"{cls}()"
    ctx.memo[key] = out
    return out


#: Class methods that return one model instance.
_ONE_ROW = frozenset({"get", "get_or_none", "create", "find_one", "first", "get_or_create"})
