"""Shared in-memory stores of conversations: a module-level list or dict named for chats or messages
(``knowledge.ownership.CONVERSATION_STORE_WORDS``: ``chats = []``, ``chat_histories = {}``, also seeded with
sample rows) that project code
writes to (``chats.append(new_chat)``, ``chat_histories[key] = ...``).

Such a store is the app's database without one: a route that returns its content (``GET /chat/<int:chat_id>`` ->
``next(c for c in chats if c["id"] == chat_id)["messages"]``, ``GET /chats``) shows every visitor's conversations,
so a read-only route that reads it is no static page (AUTH303 applies to it as to a route that writes).
"""

from __future__ import annotations

import re

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.names import walk
from scanner.knowledge import words
from scanner.knowledge.ownership import CONVERSATION_STORE_WORDS

#: Empty containers a store starts as.
_CONTAINERS = frozenset({"list", "dict", "defaultdict", "OrderedDict", "deque"})


def reads_conversation_store(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef) -> bool:
    """True when the handler ``node`` names a shared in-memory store of conversations (see the module
    docstring), defined in its module or imported from a project module."""
    stores = _store_names(ctx)
    return bool(stores) and any(isinstance(n, cst.Name) and n.value in stores for n in walk(node))


def _store_names(ctx: FileContext) -> frozenset[str]:
    cached = ctx.memo.get("conversation-stores")
    if isinstance(cached, frozenset):
        return cached
    found: set[str] = set()
    for name, bound in ctx.imports.aliases.items():
        if set(words(name)) & CONVERSATION_STORE_WORDS:
            assigned = ctx.project.assignment(bound, ctx.path)
            if assigned is not None and _container(assigned[1]) and _written(ctx, name):
                found.add(name)
    for stmt in ctx.module.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
        if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
            name = small.targets[0].target.value
            if set(words(name)) & CONVERSATION_STORE_WORDS and _container(small.value) and _written(ctx, name):
                found.add(name)
    result = frozenset(found)
    ctx.memo["conversation-stores"] = result
    return result


def _container(value: cst.BaseExpression) -> bool:
    """``[]``, ``{}`` (also seeded with sample rows), ``dict()``, ``defaultdict(list)``."""
    if isinstance(value, (cst.List, cst.Dict)):
        return True
    return isinstance(value, cst.Call) and isinstance(value.func, (cst.Name, cst.Attribute)) and \
        (value.func.value if isinstance(value.func, cst.Name) else value.func.attr.value) in _CONTAINERS


def _written(ctx: FileContext, name: str) -> bool:
    """Some project file adds to ``name`` (``name.append(...)``, ``name[key] = ...``, ``name.update(...)``)."""
    pattern = re.compile(rf"\b{re.escape(name)}(?:\.(?:append|extend|insert|update|setdefault)\(|"
                         rf"\[[^\]\n]*\]\s*=(?!=))")
    return any(pattern.search(text) for text in ctx.project.texts.values())
