"""Find CORS policies in one module and classify each as any-origin or reflected, with or without credentials.

Runs inside the batched traversal (``CorsCollector``) and leaves ``CorsHit``s in ``ctx.memo["cors"]``; the
CORS rules pick theirs by code. Framework behaviour (from their sources): flask-cors, Starlette's
``CORSMiddleware``, django-cors-headers and python-engineio (Flask-SocketIO, python-socketio) echo the
request's origin when any origin is allowed together with credentials, so that case is CORS503; only a
hand-set ``*`` header really sends ``*`` with credentials (CORS504).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from scanner.engines.python.base import Collector, FileContext
from scanner.engines.python.frameworks import FRAMEWORKS
from scanner.engines.python.names import dotted, module_constants, string_value, walk

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
_SCHEMES = ("(https?://)?", "https?://", "http(s)?://", "https?:\\/\\/", "https://", "http://", "https?:")
_ANYTHING = frozenset({".*", ".+", "(.*)", "(.+)", "[^/]*", "[^/]+", "\\S*", "\\S+", "//.*"})
_ORIGIN_KEYS = frozenset({"origin", "http_origin"})
_ENV_GETTERS = frozenset({"getenv", "get", "config", "env"})
_REGEX_CHARS = frozenset("*\\]?$^[()")
_CHECK_CALL = re.compile(r"(?i)(allow|match|valid|check|permit|trust|whitelist|is_|endswith|startswith)")


@dataclass(frozen=True)
class CorsHit:
    """One CORS finding candidate: the rule code, the node, what it allows and which library set it."""

    code: str
    node: cst.CSTNode
    detail: str
    context: str = "module"


def universal(value: str) -> bool:
    """True for an origin or origin regex that allows every origin: ``*``, ``.*``, ``^https?://.*$``."""
    text = value.strip()
    if text == "*":
        return True
    text = text.removeprefix("^").removesuffix("$")
    for scheme in _SCHEMES:
        if text.startswith(scheme) and text[len(scheme):] in _ANYTHING:
            return True
    return text in _ANYTHING


def is_any(expr: cst.BaseExpression, names: dict[str, cst.BaseExpression] | None = None,
           depth: int = 0) -> bool:
    """True when an origins value allows every origin: a string, a list/tuple/set of strings, an environment
    read whose fallback is ``*`` (``os.getenv("CORS_ORIGINS", "*").split(",")``, ``getenv(...) or "*"``), a
    comprehension over one, or a variable (``names``: the module's assignments) holding one."""
    value = string_value(expr)
    if value is not None:
        return universal(value)
    if depth > 4:
        return False
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        return any(is_any(e.value, names, depth + 1) for e in expr.elements)
    if isinstance(expr, cst.Name) and names is not None and expr.value in names:
        return is_any(names[expr.value], names, depth + 1)
    if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
        return is_any(expr.right, names, depth + 1)
    if isinstance(expr, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
        return is_any(expr.for_in.iter, names, depth + 1)
    if isinstance(expr, cst.Call):
        return _env_any(expr, names, depth)
    return False


def _env_any(call: cst.Call, names: dict[str, cst.BaseExpression] | None, depth: int) -> bool:
    """``getenv(name, "*")``/``environ.get(name, "*")``/``config(name, default="*")``, or ``.split()``,
    ``.strip()``, ``list()`` of one."""
    func = dotted(call.func) or ""
    last = func.rsplit(".", 1)[-1]
    if isinstance(call.func, cst.Attribute) and last in ("split", "strip", "lower", "rstrip"):
        return is_any(call.func.value, names, depth + 1)
    if last in ("list", "tuple", "set") and call.args:
        return is_any(call.args[0].value, names, depth + 1)
    if last not in _ENV_GETTERS:
        return False
    fallback = [a.value for a in call.args[1:2] if a.keyword is None]
    fallback += [a.value for a in call.args if a.keyword is not None and a.keyword.value == "default"]
    return any(is_any(v, names, depth + 1) for v in fallback)


def weak_regex(pattern: str, fullmatch: bool) -> str | None:
    """Why an origin regex lets a foreign origin through, or None: it matches everything; it has no end
    anchor under ``re.match`` (flask-cors, django-cors-headers), so ``https://app.example.com.evil.net``
    passes; it ends in a wildcard; or a wildcard is followed by an unescaped ``.`` (``.*.example.com``
    matches ``evilexample.com``)."""
    if universal(pattern):
        return "the origin regex matches every origin"
    body = pattern.removeprefix("^")
    if not fullmatch and not body.endswith(("$", "\\Z")):
        return "the origin regex has no $ anchor, so any origin that starts like an allowed one passes"
    core = body.removesuffix("$").removesuffix("\\Z")
    if core.endswith((".*", ".+")):
        return "the origin regex ends in a wildcard, so any host after the allowed prefix passes"
    if re.search(r"(\.\*|\.\+|\[\^/\][*+])\.(?=[a-z0-9])", core, re.IGNORECASE):
        return "a wildcard in the origin regex is followed by an unescaped '.', so look-alike domains pass"
    return None


def _true(expr: cst.BaseExpression | None) -> bool:
    if isinstance(expr, cst.Name):
        return expr.value == "True"
    value = string_value(expr) if expr is not None else None
    return value is not None and value.lower() == "true"


def _kwargs(call: cst.Call) -> dict[str, cst.Arg]:
    return {a.keyword.value: a for a in call.args if a.keyword is not None}


@dataclass
class _Scope:
    name: str = "module"
    headers: list[tuple[cst.CSTNode, cst.BaseExpression]] = field(default_factory=list)
    credentials: bool = False
    origin_vars: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)


class CorsCollector(Collector):
    """Collects ``CorsHit``s for the module into ``ctx.memo["cors"]`` (a list)."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.hits: list[CorsHit] = []
        ctx.memo["cors"] = self.hits
        self.scopes: list[_Scope] = [_Scope()]
        #: Settings-module policies (node, detail), reported at the end with ``settings_credentials``.
        self.settings: list[tuple[cst.CSTNode, str]] = []
        self.settings_credentials = False
        self.constants = module_constants(ctx.module)
        self.assigned: dict[str, cst.BaseExpression] | None = None

    def allows_any(self, expr: cst.BaseExpression) -> bool:
        """``is_any`` on ``expr``, following the variables of the module (``allow_origins=origins``)."""
        if self.assigned is None:
            self.assigned = dict(self.constants)
            for node in walk(self.ctx.module):
                if isinstance(node, cst.Assign) and len(node.targets) == 1 and \
                        isinstance(node.targets[0].target, cst.Name):
                    self.assigned.setdefault(node.targets[0].target.value, node.value)
        return is_any(expr, self.assigned)

    @staticmethod
    def true(expr: cst.BaseExpression | None) -> bool:
        """True for ``True`` or the string ``"true"`` (any case)."""
        return _true(expr)

    def weak(self, expr: cst.BaseExpression, fullmatch: bool, regex_only: bool) -> list[tuple[cst.CSTNode, str]]:
        """Origin regexes in ``expr`` (a string or a list of strings) that let foreign origins through, with why
        (``regex_only``: skip strings without regex characters, as flask-cors does)."""
        items = expr.elements if isinstance(expr, (cst.List, cst.Tuple, cst.Set)) else [cst.Element(expr)]
        out: list[tuple[cst.CSTNode, str]] = []
        for item in items:
            value = string_value(item.value)
            if value is None or universal(value) or (regex_only and not set(value) & _REGEX_CHARS):
                continue
            why = weak_regex(value, fullmatch)
            if why is not None:
                out.append((item.value, why))
        return out

    def hit(self, code: str, node: cst.CSTNode, detail: str, scope: _Scope | None = None) -> None:
        """Record a finding candidate in the current function (or ``scope``)."""
        self.hits.append(CorsHit(code, node, detail, (scope or self.scopes[-1]).name))

    # ---- library calls: each framework module reads its own, then Socket.IO and hand-set headers ----
    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.imports.qualify(node.func) or ""
        kwargs = _kwargs(node)
        if not any(fw.cors_call(self, node, name) for fw in FRAMEWORKS.values()) and \
                "cors_allowed_origins" in kwargs:
            self._socketio(kwargs)
        self._header_call(node, name)

    def _socketio(self, kwargs: dict[str, cst.Arg]) -> None:
        arg = kwargs["cors_allowed_origins"]
        if self.allows_any(arg.value):
            creds = "cors_credentials" not in kwargs or _true(kwargs["cors_credentials"].value)
            self.hit("CORS503" if creds else "CORS501", arg, "Socket.IO allows any origin")

    # ---- settings modules (django-cors-headers) ----
    def visit_Assign(self, node: cst.Assign) -> None:
        target = dotted(node.targets[0].target) if len(node.targets) == 1 else None
        if target is not None:
            any(fw.cors_assign(self, target, node) for fw in FRAMEWORKS.values())
        self._header_assign(node)

    # ---- hand-set headers ----
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(_Scope(f"function {node.name.value}"))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._finish(self.scopes.pop())

    def leave_Module(self, original_node: cst.Module) -> None:
        self._finish(self.scopes[0])
        code = "CORS503" if self.settings_credentials else "CORS501"
        for node, detail in self.settings:
            self.hit(code, node, detail)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.scopes[-1].checked |= _names_in(node)
        self.scopes[-1].checked.add(self.ctx.code_of(node.left))

    def _header_assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target
        if isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            self._header(node, key, node.value)
        elif isinstance(target, cst.Name) and _origin_read(node.value):
            self.scopes[-1].origin_vars.add(target.value)

    def _header_call(self, node: cst.Call, name: str) -> None:
        last = name.rsplit(".", 1)[-1]
        if last in ("add", "set", "setdefault", "set_header", "add_header", "__setitem__", "append") and \
                len(node.args) >= 2:
            self._header(node, string_value(node.args[0].value), node.args[1].value)
        elif _CHECK_CALL.search(last):
            for arg in node.args:
                self.scopes[-1].checked |= _names_in(arg.value) | {self.ctx.code_of(arg.value)}

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                self._header(element, string_value(element.key), element.value)

    def _header(self, node: cst.CSTNode, key: str | None, value: cst.BaseExpression) -> None:
        if key is None:
            return
        if key.lower() == ACAC and _true(value):
            self.scopes[-1].credentials = True
        elif key.lower() == ACAO:
            self.scopes[-1].headers.append((node, value))

    def _finish(self, scope: _Scope) -> None:
        for node, value in scope.headers:
            text = string_value(value)
            if text is not None and text.strip() == "*":
                code = "CORS504" if scope.credentials else "CORS501"
                self.hit(code, node, "Access-Control-Allow-Origin: *", scope)
            elif self._reflected(scope, value):
                code = "CORS503" if scope.credentials else "CORS502"
                detail = "Access-Control-Allow-Origin echoes the request's Origin"
                self.hit(code, node, detail, scope)

    def _reflected(self, scope: _Scope, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Name) and value.value in scope.origin_vars:
            return value.value not in scope.checked
        return _origin_read(value) and self.ctx.code_of(value) not in scope.checked


def _origin_read(expr: cst.BaseExpression) -> bool:
    """True for ``request.headers["Origin"]``, ``request.headers.get("origin")``, ``META["HTTP_ORIGIN"]``."""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        return key is not None and key.lower() in _ORIGIN_KEYS
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "get":
        return bool(expr.args) and (string_value(expr.args[0].value) or "").lower() in _ORIGIN_KEYS
    return False


def _names_in(node: cst.CSTNode) -> set[str]:
    return {n.value for n in walk(node) if isinstance(n, cst.Name)}
