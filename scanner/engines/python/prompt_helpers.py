"""LR603 one hop into a helper: a route handler hands request text to a project function and that function puts
its parameter into a system prompt.

``answer = await asyncio.to_thread(local.answer_with_memory, content, conv.id)`` in a FastAPI route, then in
``answer_with_memory(question, conversation_id)``: ``prompt += "\\n".join(lines_with(question))`` and
``{"role": "system", "content": prompt}``. The handler's analysis (``prompt_flow.Flow``) says which arguments
carry request text; the callee (a function or a method of a project class, in any module, also when it is run
through ``asyncio.to_thread``, ``run_in_threadpool``, ``loop.run_in_executor`` or ``background_tasks.add_task``)
is analysed with those parameters as its sources, and its system-prompt slots are reported in its own file.
One hop only: a helper's own helpers are not followed.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.calls import context_of, run_target
from scanner.engines.python.names import walk
from scanner.engines.python.prompt_flow import Flow, PromptHit, Taint, callee_of, handlers
from scanner.knowledge import is_test_path

#: Files that can hold route handlers.
_WEB_MARKERS = ("fastapi", "flask", "django", "quart", "starlette", "rest_framework", "socketio", "litestar",
                "ninja")
#: Texts a file needs to hold a system prompt slot.
_SYSTEM_MARKERS = ("system", "System")


@dataclass(frozen=True)
class _Seed:
    """A handler that calls a helper with request text: its label, and the helper parameters that get it."""

    label: str
    taints: tuple[tuple[str, Taint], ...]


def helper_system_hits(ctx: FileContext) -> list[PromptHit]:
    """LR603 hits in the functions of ``ctx`` that some route handler of the project calls with request text
    (see the module docstring); handlers themselves are analysed by ``prompt_flow.prompt_hits``."""
    text = ctx.project.texts.get(ctx.path, "")
    if is_test_path(ctx.path) or not any(m in text for m in _SYSTEM_MARKERS):
        return []
    seeds = _seeds(ctx)
    if not seeds:
        return []
    handled = {id(func) for _, _, func, _ in handlers(ctx)}
    out: list[PromptHit] = []
    reported: set[int] = set()
    for func in index_of(ctx).functions:
        if id(func) in handled:
            continue
        for seed in seeds.get(f"{ctx.path}:{func.name.value}", ()):
            flow = Flow(ctx, func, f"{seed.label}, through {func.name.value}(),", f"function {func.name.value}",
                        "helper", dict(seed.taints))
            for hit in flow.hits():
                inside = {id(n) for n in walk(hit.node)}
                # one finding per slot: ``system_messages = [{"role": "system", "content": text}]`` is one hole
                if hit.code == "LR603" and not inside & reported:
                    reported |= inside
                    out.append(hit)
    return out


def _seeds(ctx: FileContext) -> dict[str, list[_Seed]]:
    """``path:function`` -> the handlers that call it with request text (computed once per project)."""
    cached = ctx.project.facts_cache.get("lr603:helper-seeds")
    if isinstance(cached, dict):
        return cached
    seeds: dict[str, list[_Seed]] = {}
    for path in ctx.project.files_containing(*_WEB_MARKERS):
        module = ctx.project.module(path) if not is_test_path(path) else None
        if module is None:
            continue
        here = context_of(ctx, path, module)
        for label, context, func, framework in handlers(here):
            flow = Flow(here, func, label, context, framework)
            if flow.env or flow.requests:
                _read_calls(here, func, flow, label, seeds)
    ctx.project.facts_cache["lr603:helper-seeds"] = seeds
    return seeds


def _read_calls(ctx: FileContext, func: cst.FunctionDef, flow: Flow, label: str,
                seeds: dict[str, list[_Seed]]) -> None:
    for node in walk(func.body):
        if not isinstance(node, cst.Call):
            continue
        call = run_target(ctx, node) or node
        found = callee_of(ctx, call)
        if found is None or found[1] is func:
            continue
        taints = _bind(found[1], call, flow)
        if taints:
            seeds.setdefault(f"{found[0].path}:{found[1].name.value}", []).append(_Seed(label, taints))


def _bind(callee: cst.FunctionDef, call: cst.Call, flow: Flow) -> tuple[tuple[str, Taint], ...]:
    """The callee's parameters that get request text from ``call``'s arguments."""
    params = [p.name.value for p in callee.params.params]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    names = set(params) | {p.name.value for p in callee.params.kwonly_params}
    out: list[tuple[str, Taint]] = []
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for index, arg in enumerate(positional[:len(params)]):
        taint = flow.taint(arg.value)
        if taint is not None:
            out.append((params[index], taint))
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names:
            taint = flow.taint(arg.value)
            if taint is not None:
                out.append((arg.keyword.value, taint))
    return tuple(out)
