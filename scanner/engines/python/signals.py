"""Django save signals: a ``post_save``/``pre_save`` receiver of a model class that calls a model API makes every
view that saves rows of that class a model route (set 25 ChatBackend: six tutor viewsets answered through a
``@receiver(post_save, sender=GenericAI)`` that asks GPT and stores the answer on the row).

Receivers are ``@receiver(post_save, sender=X)`` functions and ``post_save.connect(fn, sender=X)`` calls at module
level (Django docs, "Signals": "Connecting receiver functions"). A view saves ``X`` when it is a DRF class view over
``queryset = X.objects...`` that can write (a model viewset, a create or update view or mixin, a writing method;
not limited to reads by ``http_method_names``), or when its body calls ``X.objects.create`` (or ``get_or_create``,
``update_or_create``) or builds ``X(...)`` and calls ``.save()``. ``bulk_create`` sends no signal.
"""

from __future__ import annotations

import re

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.calls import context_of
from scanner.engines.python.names import dotted, string_value, walk
from scanner.engines.python.project import absolute

_SIGNALS = ("post_save", "pre_save")
#: DRF class views that save: the model viewset, the create and update views and mixins (a view of only list and
#: retrieve mixins, or ``ReadOnlyModelViewSet``, saves nothing), or any class view with a writing method.
_WRITER_BASE = re.compile(r"(?:^|\.)(?:ModelViewSet|\w*Create\w*|\w*Update\w*)$")
_WRITER_METHODS = frozenset({"post", "put", "patch", "create", "update", "perform_create", "perform_update"})
#: ``http_method_names = ["get", "head"]``: the view answers reads only.
_READ_METHODS = frozenset({"get", "head", "options"})
#: Saves that send the save signals (``bulk_create`` and ``update()`` on a queryset send none: Django docs,
#: "QuerySet API reference").
_SAVES = ("objects.create", "objects.get_or_create", "objects.update_or_create")


def saved_model_vendor(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """``"OpenAI in the post_save receiver update_response()"`` when the view ``node`` (a function or a DRF class
    view) saves rows of a model class whose save signal runs a model; None otherwise."""
    receivers = _receivers(ctx)
    if not receivers:
        return None
    for saved in _saved_classes(ctx, node):
        qualified = absolute(saved, ctx.path)
        found = receivers.get(qualified) or receivers.get(f"*.{qualified.rsplit('.', 1)[-1]}")
        if found is not None:
            return found
    return None


def _saved_classes(ctx: FileContext, node: cst.CSTNode) -> list[str]:
    """Qualified names of the model classes ``node`` saves rows of."""
    out: list[str] = []
    if isinstance(node, cst.ClassDef):
        methods = {m.name.value for m in node.body.body if isinstance(m, cst.FunctionDef)}
        if not (any(_WRITER_BASE.search(dotted(b.value) or "") for b in node.bases) or methods & _WRITER_METHODS):
            return []
        assigned = {small.targets[0].target.value: small.value for line in node.body.body
                    if isinstance(line, cst.SimpleStatementLine) and line.body
                    and isinstance(small := line.body[0], cst.Assign) and isinstance(small.targets[0].target, cst.Name)}
        verbs = assigned.get("http_method_names")
        if isinstance(verbs, (cst.List, cst.Tuple)) and \
                {string_value(e.value) for e in verbs.elements} <= _READ_METHODS:
            return []
        owner = _objects_owner(assigned["queryset"]) if "queryset" in assigned else None
        return [ctx.imports.qualify(owner) or dotted(owner) or ""] if owner is not None else []
    calls = [n for n in walk(node) if isinstance(n, cst.Call)]
    saves = any(isinstance(c.func, cst.Attribute) and c.func.attr.value == "save" for c in calls)
    for call in calls:
        name = ctx.imports.qualify(call.func) or ""
        for suffix in _SAVES:
            if name.endswith("." + suffix):
                out.append(name[: -len(suffix) - 1])
        if saves and name[:1] and name.rsplit(".", 1)[-1][:1].isupper():
            out.append(name)  # ``row = GenericAI(answer=q)`` ... ``row.save()``
    return out


def _objects_owner(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """The model class of a manager chain (``X`` of ``X.objects.all()``, ``X.objects.filter(...).order_by(...)``),
    or None."""
    while isinstance(expr, (cst.Call, cst.Attribute)):
        if isinstance(expr, cst.Attribute) and expr.attr.value == "objects":
            return expr.value
        expr = expr.func if isinstance(expr, cst.Call) else expr.value
    return None


def _receivers(ctx: FileContext) -> dict[str, str]:
    """Qualified model class -> what its save-signal receiver runs, for the receivers that run a model (computed
    once per scan)."""
    key = "save-signal-receivers"
    cached = ctx.project.facts_cache.get(key)
    if isinstance(cached, dict):
        return cached
    ctx.project.facts_cache[key] = {}  # a receiver's helper that reaches this lookup again ends here
    from scanner.engines.python.invocations import model_vendor  # (it imports the body facts, which use us)

    out: dict[str, str] = {}
    for path in ctx.project.files_containing(*_SIGNALS):
        module = ctx.project.module(path)
        if module is None:
            continue
        other = context_of(ctx, path, module)
        for func, signal, sender in _connections(other, module):
            vendor = model_vendor(other, func)
            if vendor is not None:
                # a lazy reference (``sender="chat.Message"``: app label and class) is matched by the class name
                text = string_value(sender)
                qualified = f"*.{text.rsplit('.', 1)[-1]}" if text else \
                    absolute(other.imports.qualify(sender) or dotted(sender) or "", path)
                out.setdefault(qualified, f"{vendor} in the {signal} receiver {func.name.value}()")
    ctx.project.facts_cache[key] = out
    return out


def _connections(ctx: FileContext, module: cst.Module) -> list[tuple[cst.FunctionDef, str, cst.BaseExpression]]:
    """``(receiver, signal, sender)`` for the module's ``@receiver(post_save, sender=X)`` functions and its
    ``post_save.connect(fn, sender=X)`` calls."""
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    out = []
    for func in functions.values():
        for dec in func.decorators:
            d = dec.decorator
            if isinstance(d, cst.Call) and (dotted(d.func) or "").rsplit(".", 1)[-1] == "receiver" and d.args:
                first = d.args[0].value  # one signal, or a list of them (``[post_save, post_delete]``)
                listed = [e.value for e in first.elements] if isinstance(first, (cst.List, cst.Tuple)) else [first]
                signal = next((n for e in listed if (n := (dotted(e) or "").rsplit(".", 1)[-1]) in _SIGNALS), "")
                sender = next((a.value for a in d.args if a.keyword is not None and a.keyword.value == "sender"), None)
                if signal and sender is not None:
                    out.append((func, signal, sender))
    for call in walk(module):
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "connect":
            signal = (dotted(call.func.value) or "").rsplit(".", 1)[-1]
            target = dotted(call.args[0].value) if call.args else None
            sender = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "sender"), None)
            if signal in _SIGNALS and target in functions and sender is not None:
                out.append((functions[target], signal, sender))
    return out
