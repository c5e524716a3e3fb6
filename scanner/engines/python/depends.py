"""FastAPI dependencies: does ``Depends(x)`` / ``Security(x)`` authenticate the caller?

``x`` is resolved to its definition in the same file or another project file (``Project.definition``) and
judged by what it does: it authenticates only when its body refuses the caller (raises 401/403, redirects to
login, decodes a JWT, compares an API key or reads the credential header) or it depends on a security scheme
or on another authenticating dependency. ``user_exists`` that loads the user named in the URL and raises 404
is not authentication, whatever its name. A dependency that only injects a DB session, a service or the
settings is not authentication. Where ``x`` cannot be found, its name and the parameter's name decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.calls import body_facts
from scanner.engines.python.names import dotted, in_modules, module_constants, walk
from scanner.knowledge import AUTH_DEPENDENCY_RE, SECURITY_SCHEMES, words

_NOT_AUTH = re.compile(r"(?i)(^|_)(db|database|session|sessionmaker|service|settings|config|repo|"
                       r"repository|cache|redis|engine|logger|limiter|pagination|params)($|_)")
_USER_PARAMS = frozenset({"user", "principal", "identity", "account", "claims", "auth", "token", "api_key",
                          "apikey", "caller", "member", "me"})
MAX_DEPTH = 3
_DEPENDS = ("Depends", "Security")
_BUILTIN_TYPES = frozenset({"typing", "str", "int", "float", "bool", "dict", "list", "fastapi", "pydantic"})


def depends_calls(expr: cst.BaseExpression | None) -> Iterator[cst.Call]:
    """Every ``Depends(...)``/``Security(...)`` call inside ``expr`` (a default, an annotation, a list)."""
    if expr is None:
        return
    for node in walk(expr):
        if isinstance(node, cst.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] in _DEPENDS:
            yield node


def param_authenticates(ctx: FileContext, param: cst.Param, depth: int = 0) -> bool:
    """True when a handler parameter injects an authenticated identity through a dependency."""
    annotation = param.annotation.annotation if param.annotation else None
    for call in [*depends_calls(param.default), *depends_calls(annotation)]:
        if call_authenticates(ctx, call, param.name.value, depth):
            return True
    alias = _alias(ctx, annotation) if param.default is None else None
    if alias is not None:
        other, value = alias
        return any(call_authenticates(other, call, param.name.value, depth) for call in depends_calls(value))
    return False


def unread_credential(ctx: FileContext, param: cst.Param, func: cst.FunctionDef) -> bool:
    """True when a handler parameter takes a security scheme's credential directly (``token: str =
    Depends(oauth2_scheme)`` with ``oauth2_scheme = OAuth2PasswordBearer(...)``, ``Security(HTTPBearer())``)
    and the handler never reads it. A ``fastapi.security`` scheme only checks that the header is present
    (FastAPI docs, "Security - First Steps"): any string passes until something decodes or looks it up."""
    annotation = param.annotation.annotation if param.annotation else None
    calls = [*depends_calls(param.default), *depends_calls(annotation)]
    where = ctx
    if not calls and param.default is None:  # ``token: TokenDep`` with ``TokenDep = Annotated[str, Depends(...)]``
        alias = _alias(ctx, annotation)
        if alias is not None:
            where, value = alias
            calls = list(depends_calls(value))
    if not calls or not all(call.args and _is_scheme(where, call.args[0].value) for call in calls):
        return False
    name = param.name.value
    return not any(isinstance(node, cst.Name) and node.value == name for node in walk(func.body))


def _is_scheme(ctx: FileContext, target: cst.BaseExpression) -> bool:
    """True when ``target`` is a security scheme instance: built inline, or a module-level name (in this
    file or imported from a project file) assigned one."""
    value: cst.BaseExpression | None = target
    if isinstance(target, (cst.Name, cst.Attribute)):
        qualified = ctx.imports.qualify(target) or ""
        found = ctx.project.assignment(qualified, ctx.path) if qualified else None
        value = found[1] if found is not None else _local_value(ctx, target)
    if not isinstance(value, cst.Call):
        return False
    return (dotted(value.func) or "").rsplit(".", 1)[-1] in SECURITY_SCHEMES[1:]


def _alias(ctx: FileContext,
           annotation: cst.BaseExpression | None) -> tuple[FileContext, cst.BaseExpression] | None:
    """Resolve a type alias annotation (``CurrentUser``) to its ``Annotated[..., Depends(...)]`` value."""
    if not isinstance(annotation, (cst.Name, cst.Attribute)):
        return None
    qualified = ctx.imports.qualify(annotation) or ""
    if not qualified or qualified.split(".")[0] in _BUILTIN_TYPES:
        return None
    found = ctx.project.assignment(qualified, ctx.path)
    other = _context_of(ctx, found[0]) if found is not None else None
    return (other, found[1]) if other is not None and found is not None else None


def _context_of(ctx: FileContext, path: str) -> FileContext | None:
    """A FileContext for another project file, or None when it does not parse."""
    module = ctx.project.module(path)
    if module is None:
        return None
    return FileContext(path, module, ctx.project.imports(path), ctx.project, ctx.knowledge)


def call_authenticates(ctx: FileContext, call: cst.Call, param_name: str = "", depth: int = 0) -> bool:
    """True when one ``Depends(...)``/``Security(...)`` call authenticates. An optional dependency
    (``get_current_user_optional``, ``current_user(optional=True)``, a security scheme with
    ``auto_error=False``) never rejects a request, so it is not authentication."""
    if _OPTIONAL.search(ctx.module.code_for_node(call)):
        return False
    scheme = _local_value(ctx, call.args[0].value) if call.args else None  # Security(api_key_header)
    if scheme is not None and _OPTIONAL.search(ctx.module.code_for_node(scheme)):
        return False
    if (dotted(call.func) or "").endswith("Security"):
        return True
    if not call.args:
        return bool(param_name) and bool(set(words(param_name)) & _USER_PARAMS)
    target = call.args[0].value
    qualified = ctx.imports.qualify(target) or ""
    if in_modules(qualified, ("fastapi.security",)) or qualified.split("(")[0].rsplit(".", 1)[-1] in \
            SECURITY_SCHEMES:
        return True
    verdict = _judge_definition(ctx, qualified, depth)
    if verdict is not None:
        return verdict
    return _judge_name(qualified) or bool(param_name and set(words(param_name)) & _USER_PARAMS)


_OPTIONAL = re.compile(r"(?i)optional|maybe_user|auto_error\s*=\s*False")


def _local_value(ctx: FileContext, target: cst.BaseExpression) -> cst.BaseExpression | None:
    """The value of a module-level ``NAME = value`` in this file that ``target`` names, or None."""
    return module_constants(ctx.module).get(target.value) if isinstance(target, cst.Name) else None


def _judge_name(qualified: str) -> bool:
    last = qualified.split("(")[0].rsplit(".", 1)[-1]
    return bool(AUTH_DEPENDENCY_RE.search(last)) and not _NOT_AUTH.search(last)


def _judge_definition(ctx: FileContext, qualified: str, depth: int) -> bool | None:
    """Judge a resolvable dependency by name and body; None when it cannot be found."""
    if not qualified or depth > MAX_DEPTH or "(" in qualified:
        return None
    found = _find(ctx, qualified)
    if found is None:
        return None
    other, node = found
    if body_facts(other, node).authenticates:
        return True
    if isinstance(node, cst.FunctionDef):
        params = [*node.params.params, *node.params.kwonly_params]
        return any(param_authenticates(other, p, depth + 1) for p in params)
    return False


def _find(ctx: FileContext, qualified: str) -> tuple[FileContext, cst.FunctionDef | cst.ClassDef] | None:
    if "." not in qualified:
        local = ctx.project.local_definition(ctx.module, qualified)
        return (ctx, local) if local is not None else None
    found = ctx.project.definition(qualified, ctx.path)
    other = _context_of(ctx, found[0]) if found is not None else None
    return (other, found[1]) if other is not None and found is not None else None


def dependencies_authenticate(ctx: FileContext, call: cst.Call) -> bool:
    """True when a call's ``dependencies=[...]`` keyword (route, ``APIRouter``, ``include_router``,
    ``FastAPI``) holds an authenticating dependency."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "dependencies" and \
                any(call_authenticates(ctx, dep) for dep in depends_calls(arg.value)):
            return True
    return False
