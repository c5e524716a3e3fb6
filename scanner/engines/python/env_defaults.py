"""A flag read from the environment whose fallback switches it on: ``config("DEBUG", default=True, cast=bool)``,
``os.getenv("DEBUG", "True") == "True"``, ``os.environ.get("FLASK_DEBUG", "1").lower() in ("1", "true")``.

When the variable is unset (the usual state of a fresh deploy) the flag is on. A fallback that turns it off
(``default=False``, ``"False"``, ``"0"``) is the safe shape and is not one. A lookup without a fallback is
``None`` when unset, so ``os.getenv("DEBUG") != "False"`` is on and ``os.getenv("DEBUG") == "True"`` is off.
"""

from __future__ import annotations

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.literals import assigned_value, env_fallback, is_env_lookup
from scanner.engines.python.names import string_value

#: The value of a lookup without a fallback when the variable is unset (``None``: equal to no literal).
_UNSET = "\x00unset"
#: Strings that read as "on" (compared lower-case).
_ON = frozenset({"true", "1", "yes", "on", "t", "y"})
#: Calls that turn the text into a flag without changing whether it is on.
_CASTS = frozenset({"bool", "int", "strtobool", "str2bool", "eval", "literal_eval", "loads", "str", "to_bool",
                    "parse_bool", "is_true"})
#: String methods that keep the text (``lower`` and ``casefold`` make the comparison case-blind).
_TEXT_METHODS = frozenset({"lower", "casefold", "strip", "upper"})


def env_default_on(ctx: FileContext, expr: cst.BaseExpression | None) -> bool:
    """True when ``expr`` reads a flag from the environment and its fallback (the value when the variable is
    unset) is on (see the module docstring). A name is followed to its value in this file."""
    if isinstance(expr, cst.Name) and expr.value not in ("True", "False", "None"):
        expr = assigned_value(ctx, expr.value)
    if isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1:
        fallback = _fallback_text(ctx, expr.left)
        if fallback is None:
            return False
        text, folded = fallback
        target = expr.comparisons[0]
        values = _literals(target.comparator)
        if values is None:
            return False
        if folded:
            text, values = text.lower(), {v.lower() for v in values}
        hit = text in values
        op = target.operator
        return hit if isinstance(op, (cst.Equal, cst.In)) else not hit if isinstance(op, (cst.NotEqual, cst.NotIn)) \
            else False
    fallback = _fallback_text(ctx, expr)
    return fallback is not None and fallback[0].lower() in _ON


def env_text_with_fallback(ctx: FileContext, expr: cst.BaseExpression | None) -> str | None:
    """The fallback when ``expr`` is the bare text of an environment variable with a non-empty string fallback
    (``os.getenv("DEBUG", "False")``, ``os.environ.get("DEBUG", "0")``): no cast, no comparison, so the value is
    a string, and any non-empty string is true (``"False"`` included). None for anything else (a lookup with
    ``cast=``, django-environ's typed readers, a comparison, a cast)."""
    if not isinstance(expr, cst.Call) or not is_env_lookup(ctx, expr):
        return None
    name = ctx.imports.qualify(expr.func) or ""
    if not (name.endswith(("environ.get", ".getenv")) or name == "getenv") or \
            any(a.keyword is not None and a.keyword.value == "cast" for a in expr.args):
        return None
    fallback = env_fallback(expr)
    text = string_value(fallback) if fallback is not None else None
    return text if text else None


def _fallback_text(ctx: FileContext, expr: cst.BaseExpression | None, folded: bool = False,
                   depth: int = 0) -> tuple[str, bool] | None:
    """The fallback of the env lookup ``expr`` (through casts and string methods) as text, and whether a
    ``.lower()``/``.casefold()`` applies to it; None when ``expr`` is no env lookup with a literal fallback."""
    if not isinstance(expr, cst.Call) or depth > 4:
        return None
    name = ctx.imports.qualify(expr.func) or ""
    if is_env_lookup(ctx, expr) or name.endswith(("Env().bool", "env.bool")):
        fallback = env_fallback(expr)
        if isinstance(fallback, cst.Name) and fallback.value in ("True", "False"):
            return fallback.value, folded
        if isinstance(fallback, cst.Integer):
            return fallback.value, folded
        if fallback is None and depth == 0:  # ``os.getenv("DEBUG") != "False"``: unset reads as None
            return _UNSET, folded
        text = string_value(fallback) if fallback is not None else None
        return (text, folded) if text is not None else None
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value in _TEXT_METHODS:
        return _fallback_text(ctx, func.value, folded or func.attr.value in ("lower", "casefold"), depth + 1)
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    if name in _CASTS and expr.args:
        arg = expr.args[0].value
        if name == "bool" and isinstance(arg, cst.Call) and is_env_lookup(ctx, arg) and \
                isinstance(fallback := env_fallback(arg), cst.SimpleString) and string_value(fallback):
            return "True", folded  # ``bool(os.getenv("DEBUG", "False"))``: a non-empty string is true
        return _fallback_text(ctx, arg, folded, depth + 1)
    return None


def _literals(expr: cst.BaseExpression) -> set[str] | None:
    """``"True"`` -> {"True"}; ``("1", "true")`` -> both; None for anything else."""
    single = string_value(expr)
    if single is not None:
        return {single}
    if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        values = {string_value(e.value) for e in expr.elements}
        return None if None in values else {v for v in values if v is not None}
    return None
