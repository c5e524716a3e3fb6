"""Which parameters of a module's function receive personal data or a credential at a call site in another project
module (one hop), for the logging analysis: ``send_welcome(user.email)`` in a route makes ``to`` of
``mailer.send_welcome(to)`` a member's email address, so ``logger.info(f"sending to {to}")`` logs it.

Arguments are judged by their own names (``user.email``, ``current_user``, ``data["phone"]``, ``password``), not
by data flow inside the caller: one hop, cheap, and what the call site says in plain sight.
"""

from __future__ import annotations

import re

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.calls import is_model_call
from scanner.engines.python.names import dotted, string_value, walk
from scanner.engines.python.project import absolute, module_of, same_module
from scanner.engines.python.sensitive import NONE, Kinds, is_safe, name_kinds

#: Kinds a call site's argument hands on to a parameter.
_HANDED_ON = frozenset({"pii", "credential"})
_CALLED = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
#: Most call sites looked at per function.
MAX_CALL_SITES = 50


def param_sources(ctx: FileContext, func: cst.FunctionDef) -> dict[str, tuple[Kinds, str]]:
    """Parameter name -> (kinds, evidence) for the parameters of the top-level function ``func`` of ``ctx``'s
    module that a call site in another project module passes personal data or a credential (cached per scan)."""
    key = f"log-callers:{ctx.path}:{func.name.value}"
    cached = ctx.project.facts_cache.get(key)
    if isinstance(cached, dict):
        return cached
    found: dict[str, tuple[Kinds, str]] = {}
    ctx.project.facts_cache[key] = found
    params = [p.name.value for p in func.params.params]
    keyword = {p.name.value for p in (*func.params.params, *func.params.kwonly_params)}
    module = module_of(ctx.path)
    seen = 0
    for path in _callers(ctx).get(func.name.value, ()):
        if path == ctx.path:
            continue
        caller = ctx.project.module(path)
        if caller is None:
            continue
        imports = ctx.project.imports(path)
        for node in walk(caller):
            if not isinstance(node, cst.Call) or seen >= MAX_CALL_SITES:
                continue
            full = absolute(imports.qualify(node.func) or "", path)
            owner, _, name = full.rpartition(".")
            if name != func.name.value or not owner or not same_module(owner, module):
                continue
            seen += 1
            for param, arg in _bound(node, params, keyword):
                kinds = _arg_kinds(arg.value, ctx.knowledge.sensitive_names)
                if kinds and param not in found:
                    found[param] = (kinds, _evidence(caller, node, arg.value, path))
    return found


def _callers(ctx: FileContext) -> dict[str, list[str]]:
    """Called name -> project Python files that call something by that name (``name(`` in their text), built
    once per scan: one pass over the texts instead of one per function."""
    index = ctx.project.facts_cache.get("log-callers")
    if isinstance(index, dict):
        return index
    out: dict[str, list[str]] = {}
    for path in sorted(ctx.project.texts):
        if path.endswith(".py"):
            for name in set(_CALLED.findall(ctx.project.texts[path])):
                out.setdefault(name, []).append(path)
    ctx.project.facts_cache["log-callers"] = out
    return out


def _bound(call: cst.Call, params: list[str], keyword: set[str]) -> list[tuple[str, cst.Arg]]:
    """(parameter, argument) pairs of a call: positional by place, keywords by name (``*args`` stop the walk)."""
    out = []
    for i, arg in enumerate(call.args):
        if arg.star:
            break
        if arg.keyword is not None:
            if arg.keyword.value in keyword:
                out.append((arg.keyword.value, arg))
        elif i < len(params):
            out.append((params[i], arg))
    return out


def _arg_kinds(expr: cst.BaseExpression, extra: frozenset[str]) -> Kinds:
    """Personal data or a credential an argument names: its last name segment or string key
    (``user.email``, ``form["phone"]``, ``current_user``)."""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        key = string_value(expr.slice[0].slice.value)
        return name_kinds(key, extra) & _HANDED_ON if key else NONE
    name = dotted(expr)
    if name is None or "()" in name:
        return NONE
    return name_kinds(name.rsplit(".", 1)[-1], extra) & _HANDED_ON


def _evidence(module: cst.Module, call: cst.Call, arg: cst.BaseExpression, path: str) -> str:
    """``user.email`` passed by ``send_welcome(…)`` in app/routes.py line 12."""
    where = path
    at = module.code.find(module.code_for_node(call))
    if at >= 0:
        where += f" line {module.code.count(chr(10), 0, at) + 1}"
    return f"receives `{module.code_for_node(arg)[:40]}` from `{dotted(call.func) or '…'}(…)` in {where}"


def handed_answers(ctx: FileContext) -> dict[str, dict[str, str]]:
    """Top-level function of ``ctx``'s module -> parameter -> evidence, for the parameters a call site in the same
    module hands a model's answer: ``cleaned = extract_json(resp)`` where the caller assigned ``resp =
    ai.prompt_gemini(...)`` (a model call, or a project helper that makes one), or a piece of such a name
    (``resp.choices[0].message.content``). One hop; computed once per module."""
    cached = ctx.memo.get("handed-answers")
    if isinstance(cached, dict):
        return cached
    found: dict[str, dict[str, str]] = {}
    ctx.memo["handed-answers"] = found
    top = {s.name.value: s for s in ctx.module.body if isinstance(s, cst.FunctionDef)}
    if not top:
        return found
    for caller in top.values():
        calls = [n for n in walk(caller.body) if isinstance(n, cst.Call) and isinstance(n.func, cst.Name)
                 and n.func.value in top and n.func.value != caller.name.value]
        if not calls:
            continue
        answers = _answer_names(ctx, caller)
        if not answers:
            continue
        for call in calls:
            callee = top[call.func.value] if isinstance(call.func, cst.Name) else None
            if callee is None:
                continue
            params = [p.name.value for p in callee.params.params]
            for position, arg in enumerate(call.args):
                if arg.star:
                    break
                root = _root_name(arg.value)
                if root is None or root not in answers:
                    continue
                param = arg.keyword.value if arg.keyword is not None else \
                    params[position] if position < len(params) else None
                if param is not None:
                    found.setdefault(callee.name.value, {}).setdefault(
                        param, f"the model's answer `{root}` handed in by {caller.name.value}")
    return found


def _answer_names(ctx: FileContext, func: cst.FunctionDef) -> set[str]:
    """Names ``func`` assigns a model's answer: from a model call (or a project helper making one), or from a
    piece of such a name (``text = resp.choices[0].message.content``)."""
    assigns: list[tuple[str, cst.BaseExpression]] = []
    for node in walk(func.body):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            value = node.value.expression if isinstance(node.value, cst.Await) else node.value
            assigns.append((node.targets[0].target.value, value))
    names = {name for name, value in assigns if isinstance(value, cst.Call) and is_model_call(ctx, value)}
    for _ in range(3):  # pieces of pieces (walk order is not source order)
        more = {name for name, value in assigns if _root_name(value) in names} - names
        if not more:
            break
        names |= more
    return names


def _root_name(expr: cst.BaseExpression) -> str | None:
    """The name at the root of ``a``, ``a.b[0].c``, ``a.strip()``; None for anything else, and for a piece named
    as no text (``r.id``, ``r.usage.total_tokens``: ``is_safe``)."""
    if isinstance(expr, cst.Attribute) and is_safe(expr.attr.value):
        return None
    while True:
        if isinstance(expr, cst.Name):
            return expr.value
        if isinstance(expr, (cst.Attribute, cst.Subscript)):
            expr = expr.value
        elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            expr = expr.func.value
        else:
            return None
