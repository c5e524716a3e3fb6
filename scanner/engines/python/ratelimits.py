"""Which Python routes have a rate limit on their own path (LR601): project-wide limits, limited routers and
blueprints, and the decorators, dependencies, class attributes and body checks of one handler.

A limit counts only where it applies: a ``Limiter`` that is constructed but never applied, a decorator on
another route or ``SlowAPIMiddleware`` without ``default_limits`` leaves a route unlimited, and
``@limiter.exempt`` or ``throttle_classes = []`` opts a route out of a project-wide limit. The knowledge
(library names, limiter words) is in ``scanner.knowledge.ratelimit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.calls import context_of
from scanner.engines.python.frameworks.base import Route, route_decorators
from scanner.engines.python.names import dotted, in_modules, string_value, walk
from scanner.engines.python.project import Project, absolute, module_of, same_module
from scanner.knowledge import is_test_path
from scanner.knowledge.ratelimit import (
    DJANGO_NON_LIMITING,
    EXEMPT,
    LIMIT_ERROR,
    LIMITER_NAME,
    PY_429,
    PY_LIMITER_IMPORT,
    PY_LIMITER_MODULES,
)

_STRINGS = re.compile(r"(?i)[rbuf]*(?:'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'[^'\n]*'|\"[^\"\n]*\")")
_COMMENT = re.compile(r"#[^\n]*")
_IDENT = re.compile(r"[A-Za-z_][\w.]*")
_CALLED = re.compile(r"([A-Za-z_][\w.]*)\s*\(")
_EXCEPT = re.compile(r"\s*except\b")
_DEFAULTS = ("default_limits", "application_limits")
_NEEDLES = ("imit", "hrottl", "atelimit", "quota", "RATELIMIT_", "429")


@dataclass
class LimitFacts:
    """Project-wide rate-limit facts: limiter libraries imported anywhere (names for messages, in first-seen
    order), the project-wide limit if any (``global_limit`` says what it is), whether DRF's settings throttle
    every API view, and the routers/blueprints (``module.name``) limited as a whole."""

    libraries: list[str] = field(default_factory=list)
    global_limit: str = ""
    drf_default: bool = False
    receivers: set[str] = field(default_factory=set)
    slowapi_defaults: bool = False
    slowapi_middleware: bool = False
    flask_config_default: bool = False

    def receiver_limited(self, path: str, receiver: str) -> bool:
        """True when ``receiver`` (a router or blueprint name in module ``path``) is limited as a whole."""
        return any(same_module(f"{module_of(path)}.{receiver}", r) for r in self.receivers)


def code_text(ctx: FileContext, node: cst.CSTNode) -> str:
    """The source of ``node`` with string literals blanked and comments dropped (words in a route path, a
    docstring or a comment are no evidence)."""
    return _COMMENT.sub("", _STRINGS.sub("''", ctx.module.code_for_node(node)))


def names_limiter(text: str) -> bool:
    """True when an identifier of ``text`` names a limiter (``limiter.limit``, ``RateLimiter``), not an error
    about limits (``openai.RateLimitError``)."""
    return any(LIMITER_NAME.search(n) and not LIMIT_ERROR.search(n) for n in _IDENT.findall(text))


def limit_facts(ctx: FileContext) -> LimitFacts:
    """The project's ``LimitFacts`` (computed once per scan, cached on the project)."""
    project = ctx.project
    cached = project.facts_cache.get("rate-limits")
    if isinstance(cached, LimitFacts):
        return cached
    facts = LimitFacts()
    for path in project.files_containing(*_NEEDLES):
        if is_test_path(path):
            continue
        _read_file(project, path, facts, ctx)
    if facts.flask_config_default and "Flask-Limiter" in facts.libraries:
        facts.global_limit = facts.global_limit or "Flask-Limiter RATELIMIT_DEFAULT"
    if facts.slowapi_defaults and facts.slowapi_middleware:
        facts.global_limit = facts.global_limit or "slowapi default_limits with SlowAPIMiddleware"
    project.facts_cache["rate-limits"] = facts
    return facts


def _read_file(project: Project, path: str, facts: LimitFacts, ctx: FileContext) -> None:
    text = project.texts.get(path, "")
    for found in PY_LIMITER_IMPORT.finditer(text):
        name = PY_LIMITER_MODULES[found.group(1)]
        if name not in facts.libraries:
            facts.libraries.append(name)
    if "throttle_classes" in text and "DRF throttling" not in facts.libraries:
        facts.libraries.append("DRF throttling")
    facts.flask_config_default |= bool(re.search(r"RATELIMIT_(?:DEFAULT|APPLICATION)\b", text))
    module = project.module(path)
    if module is None:
        return
    other = FileContext(path, module, project.imports(path), project, ctx.knowledge)
    for call in index_of(other).calls:
        _read_call(other, call, facts)
    for func in index_of(other).functions:
        _read_hook(other, func, facts)
    for stmt in module.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
        if isinstance(small, cst.Assign):
            _read_assign(other, small, facts)


def _keywords(call: cst.Call) -> dict[str, cst.BaseExpression]:
    return {a.keyword.value: a.value for a in call.args if a.keyword is not None}


def _nonempty(expr: cst.BaseExpression | None) -> bool:
    return expr is not None and not (isinstance(expr, (cst.List, cst.Tuple)) and not expr.elements)


def _read_call(ctx: FileContext, call: cst.Call, facts: LimitFacts) -> None:
    name = ctx.imports.qualify(call.func) or ""
    kwargs = _keywords(call)
    last = name.rsplit(".", 1)[-1]
    if in_modules(name, ("flask_limiter",)) and last == "Limiter" and any(_nonempty(kwargs.get(k)) for k in _DEFAULTS):
        facts.global_limit = facts.global_limit or "Flask-Limiter default_limits"
    elif in_modules(name, ("slowapi",)) and last == "Limiter" and any(_nonempty(kwargs.get(k)) for k in _DEFAULTS):
        facts.slowapi_defaults = True
    elif last == "add_middleware" and call.args:
        middleware = ctx.imports.qualify(call.args[0].value) or ""
        if middleware.rsplit(".", 1)[-1] in ("SlowAPIMiddleware", "SlowAPIASGIMiddleware"):
            facts.slowapi_middleware = True
        elif names_limiter(middleware):
            facts.global_limit = facts.global_limit or f"{middleware.rsplit('.', 1)[-1]} middleware"
    elif last == "include_router" and call.args and names_limiter(code_text(ctx, kwargs.get("dependencies", call))):
        if "dependencies" in kwargs:
            target = ctx.imports.qualify(call.args[0].value)
            if target:
                facts.receivers.add(absolute(target, ctx.path))
    elif in_modules(name, ("fastapi.FastAPI",)) and names_limiter(code_text(ctx, kwargs.get("dependencies", call))) \
            and "dependencies" in kwargs:
        facts.global_limit = facts.global_limit or "FastAPI(dependencies=[...]) rate limit"
    elif isinstance(call.func, cst.Call) and _limit_decorator(ctx, call.func) and call.args and \
            dotted(call.args[0].value):  # limiter.limit("10/minute")(chat_bp)
        facts.receivers.add(_receiver_key(ctx, call.args[0].value))


def _limit_decorator(ctx: FileContext, call: cst.Call) -> bool:
    name = dotted(call.func) or ""
    return name.rsplit(".", 1)[-1] in ("limit", "shared_limit") and names_limiter(name)


def _read_hook(ctx: FileContext, func: cst.FunctionDef, facts: LimitFacts) -> None:
    """``@app.before_request`` / ``@bp.before_request`` / ``@app.middleware("http")`` hooks that limit."""
    for dec in func.decorators:
        expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
        name = dotted(expr) or ""
        if not name.endswith((".before_request", ".before_app_request", ".middleware")):
            continue
        if not body_limits(ctx, func):
            continue
        receiver = name.rsplit(".", 1)[0]
        qualified = ctx.imports.qualify(cst.Name(receiver)) or ""
        if name.endswith((".middleware", ".before_app_request")) or qualified.startswith("flask.Flask()") or \
                receiver in ("app", "application"):
            facts.global_limit = facts.global_limit or f"{name} hook"
        else:
            facts.receivers.add(_receiver_key(ctx, expr.value if isinstance(expr, cst.Attribute) else expr))


def _receiver_key(ctx: FileContext, expr: cst.BaseExpression) -> str:
    """``module.name`` of a router or blueprint: where it was imported from, else this module."""
    qualified = ctx.imports.qualify(expr) or dotted(expr) or ""
    if "." in qualified and "(" not in qualified:
        return absolute(qualified, ctx.path)
    return f"{module_of(ctx.path)}.{dotted(expr) or qualified}"


def _read_assign(ctx: FileContext, stmt: cst.Assign, facts: LimitFacts) -> None:
    target = dotted(stmt.targets[0].target) or ""
    value = stmt.value
    if target == "REST_FRAMEWORK" and isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement) and string_value(element.key) == "DEFAULT_THROTTLE_CLASSES":
                facts.drf_default = _nonempty(element.value)
    elif target == "MIDDLEWARE" and isinstance(value, (cst.List, cst.Tuple)):
        for item in value.elements:
            entry = string_value(item.value) or ""
            if names_limiter(entry.rsplit(".", 1)[-1]) and entry not in DJANGO_NON_LIMITING:
                facts.global_limit = facts.global_limit or f"{entry} middleware"
    elif isinstance(value, cst.Call) and "dependencies" in _keywords(value) and \
            names_limiter(code_text(ctx, _keywords(value)["dependencies"])):
        facts.receivers.add(f"{module_of(ctx.path)}.{target}")  # router = APIRouter(dependencies=[RateLimiter])


def body_limits(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef) -> bool:
    """True when the body checks a limit itself: calls a limiter or quota check, or answers 429."""
    return _text_limits(code_text(ctx, node.body))


def _text_limits(text: str) -> bool:
    if PY_429.search(_outside_except(text)):
        return True
    return any(LIMITER_NAME.search(n) and not LIMIT_ERROR.search(n) for n in _CALLED.findall(text))


def _decorator_limits(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef) -> bool:
    """A project decorator on the handler whose code answers 429 or calls a limiter (a hand-written token bucket,
    ``@token_bucket_limit`` whose wrapper returns ``jsonify(...), 429``), whatever it is called."""
    for decorator in node.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        name = ctx.imports.qualify(expr) or ""
        if not name or "(" in name:
            continue
        local = ctx.project.local_definition(ctx.module, name) if "." not in name else None
        found = (ctx.path, local) if local is not None else (
            ctx.project.definition(name, ctx.path) if "." in name else None)
        module = ctx.project.module(found[0]) if found is not None else None
        if found is not None and module is not None and isinstance(found[1], cst.FunctionDef) and \
                body_limits(context_of(ctx, found[0], module), found[1]):
            return True
    return False


def _outside_except(text: str) -> str:
    """``text`` without its ``except`` clauses: a 429 there relays the vendor's quota error
    (``except openai.RateLimitError: return ..., 429``) and limits nobody."""
    kept: list[str] = []
    indent = -1
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip())
        if indent >= 0 and (not line.strip() or depth > indent):
            continue
        indent = depth if _EXCEPT.match(line) else -1
        kept.append(line if indent < 0 else line[:depth] + "except:")
    return "\n".join(kept)


def limits_in(ctx: FileContext, part: cst.CSTNode, handler: cst.FunctionDef | cst.ClassDef) -> bool:
    """True when one part of ``handler`` (a statement, an ``if`` test) checks a limit: by its own code or
    through a project helper it calls (``body_limits``, ``_helper_limits``)."""
    return _text_limits(code_text(ctx, part)) or _helper_limits(ctx, handler, part)


def _helper_limits(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef, part: cst.CSTNode | None = None) -> bool:
    """A project function the handler calls checks a limit itself (``enforce_usage(user)`` whose body answers
    429 or calls a limiter); one hop. ``part``: only the calls in that part of the handler."""
    seen: set[str] = set()
    for call in walk(part if part is not None else node.body):
        if not isinstance(call, cst.Call):
            continue
        name = ctx.imports.qualify(call.func) or ""
        if not name or "(" in name or name in seen or name.split(".")[0] in ("self", "cls"):
            continue
        seen.add(name)
        found = ctx.project.definition(name, ctx.path)
        module = ctx.project.module(found[0]) if found is not None else None
        if found is not None and module is not None and found[1] is not node and \
                body_limits(context_of(ctx, found[0], module), found[1]):
            return True
    return False


@dataclass(frozen=True)
class Verdict:
    """Whether a route is rate limited; ``exempt`` when it opts out of a project-wide limit."""

    limited: bool
    exempt: bool = False
    #: The only limit is a check in the handler's own body (or a helper it calls): where it runs matters.
    in_body: bool = False


def route_limit(ctx: FileContext, route: Route, node: cst.FunctionDef | cst.ClassDef) -> Verdict:
    """The rate-limit verdict of ``route`` whose handler is ``node``."""
    facts = limit_facts(ctx)
    decorators = [code_text(ctx, d) for d in node.decorators]
    if isinstance(node, cst.ClassDef):
        decorators += [code_text(ctx, d) for s in node.body.body if isinstance(s, cst.FunctionDef)
                       for d in s.decorators]
    exempt = any(EXEMPT.search(d) for d in decorators)
    throttles = _throttle_classes(ctx, node)
    if throttles is not None:
        return Verdict(throttles, exempt=not throttles and facts.drf_default)
    if any(names_limiter(d) for d in decorators if not EXEMPT.search(d)) or _params_limit(ctx, node) \
            or _receiver_limited(ctx, node, facts) or _decorator_limits(ctx, node):
        return Verdict(True)
    drf = route.label.startswith("DRF")
    project_wide = not exempt and (bool(facts.global_limit) or (drf and facts.drf_default))
    if body_limits(ctx, node) or _helper_limits(ctx, node):
        return Verdict(True, in_body=not project_wide)
    if exempt:
        return Verdict(False, exempt=bool(facts.global_limit))
    return Verdict(project_wide)


def _throttle_classes(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef) -> bool | None:
    """``throttle_classes = [...]`` / ``@throttle_classes([...])``: True when non-empty, False when empty
    (opts out of ``DEFAULT_THROTTLE_CLASSES``), None when absent. ``decorators = [limiter.limit(...)]`` on a
    Flask class view counts as non-empty."""
    if isinstance(node, cst.ClassDef):
        for stmt in node.body.body:
            small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
            if isinstance(small, cst.Assign):
                name = dotted(small.targets[0].target)
                if name == "throttle_classes":
                    return _nonempty(small.value)
                if name in ("decorators", "method_decorators") and names_limiter(code_text(ctx, small.value)):
                    return True
        return None
    for dec in node.decorators:
        call = dec.decorator
        if isinstance(call, cst.Call) and (dotted(call.func) or "").endswith("throttle_classes") and call.args:
            return _nonempty(call.args[0].value)
    return None


def _params_limit(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef) -> bool:
    """A ``Depends(RateLimiter(...))`` / ``Depends(rate_limit)`` parameter (default or ``Annotated``)."""
    if not isinstance(node, cst.FunctionDef):
        return False
    for param in [*node.params.params, *node.params.kwonly_params]:
        text = code_text(ctx, param)
        if ("Depends(" in text or "Security(" in text) and names_limiter(text.split(":", 1)[-1]):
            return True
    return False


def _receiver_limited(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef, facts: LimitFacts) -> bool:
    if not isinstance(node, cst.FunctionDef):
        return False
    for _dec, call, _verb in route_decorators(node):
        receiver = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else None
        if receiver and facts.receiver_limited(ctx.path, receiver):
            return True
    return False


def handler_of(ctx: FileContext, route: Route) -> cst.FunctionDef | cst.ClassDef | None:
    """The function or class that declares ``route`` (found by its anchor: a decorator, its name, or a
    class attribute such as ``permission_classes``)."""
    index = index_of(ctx)
    candidates: list[cst.FunctionDef | cst.ClassDef] = [*index.functions, *index.classes]
    for node in candidates:
        if node.name.value != route.name:
            continue
        if route.anchor is node.name or any(d is route.anchor for d in node.decorators):
            return node
        if isinstance(node, cst.ClassDef) and any(x is route.anchor for s in node.body.body for x in _smalls(s)):
            return node
    return None


def _smalls(stmt: cst.BaseStatement | cst.BaseSmallStatement) -> list[cst.CSTNode]:
    return list(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else []
