"""Which JS/TS files each rule group can matter for, decided by cheap text tests before semgrep starts.

Groups: ``route`` (route facts, sessions, model and database calls), ``cors``, ``logging``, ``exposure``,
``launch`` (signing secrets, stacks sent to the client, production source maps), ``prompt`` (LR602/LR603: files
that read a request and call a model).
A file goes to a group when its text (or path) can hold what the group looks for (``scanner.knowledge.js``);
modules that route files import from (handlers, controllers, auth helpers, the services those call and their
helpers: three imports deep) join the ``route`` group so the cross-module join sees their facts. Each semgrep
rule then runs only on its group's files (``paths.include`` in the generated rule copy), in one semgrep process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from scanner.engines.semgrep.frameworks.serverless import function_path
from scanner.engines.semgrep.imports import CALL_DEPTH, import_closure
from scanner.engines.semgrep.jstext import has_directive
from scanner.knowledge import is_test_path, js

GROUPS = ("route", "cors", "logging", "exposure", "launch", "prompt")
_CODE = re.compile(r"^\s+code:\s*(([A-Z]+)\d+)\s*$", re.M)
#: Rules of other families that the launch issue added (AUTH306 hard-coded signing secrets).
_LAUNCH_CODES = frozenset({"AUTH306"})
#: The prompt-input rules (issue 13): taint rules, run only where a request is read and a model called.
_PROMPT_CODES = frozenset({"LR602", "LR603"})
_ROLE = re.compile(r"^\s+role:\s*(\w+)\s*$", re.M)


def rule_group(yaml_text: str) -> str:
    """The group of one rule file, from its ``metadata.code`` and ``role`` (fact rules are ``route``)."""
    role = _ROLE.search(yaml_text)
    code = _CODE.search(yaml_text)
    prefix = code.group(2) if code else ""
    if not role and code and code.group(1) in _PROMPT_CODES:
        return "prompt"
    if not role and (prefix == "LR" or (code and code.group(1) in _LAUNCH_CODES)):
        return "launch"
    if role or prefix == "AUTH":
        return "route"
    return {"CORS": "cors", "LOG": "logging", "EXP": "exposure"}.get(prefix, "route")


#: A component: a function that returns JSX (``return (<div>``, ``=> <Card />``). A ``.tsx`` module without one is
#: server code written with that extension (set 19 ai-mood-journal: ``utils/ai.tsx`` calls the model).
_RENDERS_JSX = re.compile(r"(?:\breturn|=>)\s*\(?\s*<[A-Za-z>]")


def select(texts: Mapping[str, str]) -> dict[str, list[str]]:
    """Group -> sorted paths (of ``texts``: path -> text) worth that group's rules."""
    out: dict[str, set[str]] = {g: set() for g in GROUPS}
    for path, text in texts.items():
        if is_test_path(path):
            continue  # test code is never deployed (its keys are the secrets engine's, which reads every file)
        for group in groups_of(path, text):
            out[group].add(path)
    # the modules route files call into, CALL_DEPTH imports deep (a controller, its service, a helper): the
    # cross-module join (``Project.callee_spans``) needs their model and database facts; components and client
    # modules are not
    called = import_closure(sorted(out["route"]), texts, CALL_DEPTH)
    out["route"] |= {p for p in called
                     if not (p.endswith((".tsx", ".jsx")) and _RENDERS_JSX.search(texts[p]))
                     and not has_directive(texts[p], "use client")}
    return {g: sorted(paths) for g, paths in out.items()}


def groups_of(path: str, text: str) -> list[str]:
    """The groups one file belongs to (possibly none)."""
    found = []
    if js.ROUTE_TEXT.search(text) or js.ROUTE_PATH.search(path) or function_path(path):
        found.append("route")
    if js.CORS_TEXT.search(text):
        found.append("cors")
    if js.LOG_SINK_TEXT.search(text) and js.SENSITIVE_TEXT.search(text) and \
            (js.LOGGER_TEXT.search(text) or js.server_module(path, text)):
        found.append("logging")
    if js.EXPOSURE_TEXT.search(text) or js.CONFIG_FILE.search(path):
        found.append("exposure")
    if js.LAUNCH_TEXT.search(text) or js.CONFIG_FILE.search(path):
        found.append("launch")
    if js.REQUEST_READ_TEXT.search(text) and js.PROMPT_CALL_TEXT.search(text) and not js.CLIENT_TEXT.search(text):
        found.append("prompt")
    return found


def glob_literal(path: str) -> str:
    """``path`` as a semgrep ``paths.include`` glob that matches only itself (``[``, ``*``, ``?`` escaped),
    anchored at the scan root."""
    return "/" + re.sub(r"([\[*?])", r"[\1]", path)


def with_paths(yaml_text: str, paths: Sequence[str]) -> str:
    """A copy of a one-rule YAML file restricted to ``paths`` (a ``paths.include`` block after ``languages``)."""
    import json

    block = "    paths:\n      include:\n" + "".join(f"        - {json.dumps(glob_literal(p))}\n" for p in paths)
    return re.sub(r"^(    languages:[^\n]*\n)", lambda m: m.group(1) + block, yaml_text, count=1, flags=re.M)
