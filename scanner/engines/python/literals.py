"""Follow a Python expression to the string literal it stands for: constants, ``.encode()``, env fallbacks.

Used by the signing-secret (AUTH306), client-password (SEC193) and debug (LR604) rules. Resolution stays in
one file: a ``Name`` is looked up among the file's own assignments (module level first, then anywhere in the
file when the name is assigned once), never across files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.names import module_constants, walk

#: Calls that read the environment or a config store; a literal second argument or ``default=`` is a fallback.
ENV_LOOKUPS = frozenset({
    "os.getenv", "os.environ.get", "os.environ.setdefault", "environ.get", "getenv",
    "decouple.config", "config", "environ.Env()", "environ.Env().str", "env", "env.str",
})
_DEV_NAME = re.compile(r"(?:^|[_.\-])(?:dev|devel|develop|development|local|test|tests|testing|ci|debug)(?:$|[_.\-])",
                       re.IGNORECASE)
_MAX_DEPTH = 4


@dataclass(frozen=True)
class Literal:
    """A resolved literal: the string node (where the finding sits), its value (str or bytes decoded as
    latin-1) and whether it was reached as an environment fallback."""

    node: cst.BaseExpression
    value: str
    fallback: bool = False


def is_dev_module(path: str) -> bool:
    """True for a settings/config module meant for tests or local development (``settings/local.py``,
    ``dev_settings.py``, ``config/testing.py``): its values are not production keys."""
    parts = path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    folder = parts[-2] if len(parts) > 1 else ""
    return any(_DEV_NAME.search(f"_{part}_") for part in (stem, folder))


def is_dev_class(name: str) -> bool:
    """True for a config class for tests or development (``DevelopmentConfig``, ``TestingConfig``)."""
    return bool(re.search(r"Dev|Test|Local|Debug", name))


def literal_value(expr: cst.BaseExpression) -> str | None:
    """The value of a plain or concatenated (bytes) string literal, f-strings excluded; None otherwise."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = expr.evaluated_value
        except Exception:  # libcst raises on f-strings inside a concatenation
            return None
        if isinstance(value, bytes):
            return value.decode("latin-1")
        return value if isinstance(value, str) else None
    return None


def resolve(ctx: FileContext, expr: cst.BaseExpression | None, depth: int = 0) -> Literal | None:
    """The non-empty literal ``expr`` evaluates to in this file, or None (a variable, an env lookup with no
    literal fallback, a call). ``"x".encode()``, ``b"x"``, ``bytes("x", ...)``, constants, ``A or "x"``
    after an env lookup and ``os.getenv("X", "x")`` are followed."""
    if expr is None or depth > _MAX_DEPTH:
        return None
    value = literal_value(expr)
    if value is not None:
        return Literal(expr, value) if value.strip() else None
    if isinstance(expr, cst.Name):
        return resolve(ctx, assigned_value(ctx, expr.value), depth + 1)
    if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or) and is_env_lookup(ctx, expr.left):
        found = resolve(ctx, expr.right, depth + 1)
        return Literal(found.node, found.value, True) if found else None
    if isinstance(expr, cst.Call):
        return _resolve_call(ctx, expr, depth)
    return None


def _resolve_call(ctx: FileContext, call: cst.Call, depth: int) -> Literal | None:
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "encode" and not call.args:
        return resolve(ctx, func.value, depth + 1)
    if isinstance(func, cst.Name) and func.value in ("bytes", "str") and call.args:
        return resolve(ctx, call.args[0].value, depth + 1)
    if is_env_lookup(ctx, call):
        fallback = env_fallback(call)
        found = resolve(ctx, fallback, depth + 1) if fallback is not None else None
        return Literal(found.node, found.value, True) if found else None
    return None


def is_env_lookup(ctx: FileContext, expr: cst.BaseExpression) -> bool:
    """True for ``os.getenv(...)``, ``os.environ.get(...)``, ``os.environ["X"]``, decouple ``config(...)``,
    django-environ ``env(...)`` / ``env.str(...)``."""
    if isinstance(expr, cst.Subscript):
        return ctx.imports.qualify(expr.value) in ("os.environ", "environ")
    if not isinstance(expr, cst.Call):
        return False
    name = ctx.imports.qualify(expr.func) or ""
    return name in ENV_LOOKUPS or name.endswith(("environ.get", ".getenv"))


def env_fallback(call: cst.Call) -> cst.BaseExpression | None:
    """The literal-fallback argument of an env lookup: the second positional argument or ``default=``."""
    positional = [a for a in call.args if a.keyword is None and a.star == ""]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "default":
            return arg.value
    return positional[1].value if len(positional) > 1 else None


def assigned_value(ctx: FileContext, name: str) -> cst.BaseExpression | None:
    """What ``name`` is bound to in this file: the last module-level assignment, else the only assignment
    anywhere in the file (a function's local constant), or the one value all its assignments share (two
    functions that each set ``BASE_URL = "https://…/chat/completions"``); None when unknown or ambiguous."""
    constants = ctx.memo.get("module_constants")
    if not isinstance(constants, dict):
        constants = module_constants(ctx.module)
        ctx.memo["module_constants"] = constants
    if name in constants:
        value = constants[name]
        return value if isinstance(value, cst.BaseExpression) else None
    local = _all_assignments(ctx).get(name, [])
    if len(local) > 1 and len({ctx.module.code_for_node(v) for v in local}) == 1:
        return local[0]
    return local[0] if len(local) == 1 else None


def _all_assignments(ctx: FileContext) -> dict[str, list[cst.BaseExpression]]:
    cached = ctx.memo.get("all_assignments")
    if isinstance(cached, dict):
        return cached
    out: dict[str, list[cst.BaseExpression]] = {}
    for node in walk(ctx.module):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            out.setdefault(node.targets[0].target.value, []).append(node.value)
        elif isinstance(node, cst.AnnAssign) and node.value is not None and isinstance(node.target, cst.Name):
            out.setdefault(node.target.value, []).append(node.value)
    ctx.memo["all_assignments"] = out
    return out


def keyword(call: cst.Call, *names: str) -> cst.BaseExpression | None:
    """The value of the first keyword argument of ``call`` named one of ``names``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names:
            return arg.value
    return None


def argument(call: cst.Call, index: int, *names: str) -> cst.BaseExpression | None:
    """Keyword ``names`` of ``call``, else its positional argument ``index`` (0-based)."""
    found = keyword(call, *names)
    if found is not None:
        return found
    positional = [a for a in call.args if a.keyword is None and a.star == ""]
    return positional[index].value if len(positional) > index else None


def is_true(ctx: FileContext, expr: cst.BaseExpression | None, depth: int = 0) -> bool:
    """True for the literal ``True`` (or ``1``), also through a constant of this file."""
    if expr is None or depth > _MAX_DEPTH:
        return False
    if isinstance(expr, cst.Name):
        if expr.value == "True":
            return True
        return is_true(ctx, assigned_value(ctx, expr.value), depth + 1)
    return isinstance(expr, cst.Integer) and expr.value == "1"
