"""Qualified names without a scope analysis: import aliases and module-level constructor assignments.

``import logging as log`` makes ``log.info`` resolve to ``logging.info``; ``from flask_cors import CORS as C``
makes ``C(app)`` resolve to ``flask_cors.CORS``; ``app = Flask(__name__)`` makes ``app.route`` resolve to
``flask.Flask().route``. libcst's ``QualifiedNameProvider`` gives the same answers for imports but needs a
full scope analysis, about three times the cost of the parse itself; this module reads only the import and
assignment statements.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import libcst as cst


@functools.cache
def _child_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included), depth first, not in source order. Several times faster
    than a libcst visitor or ``.children``: it reads the node dataclasses' fields directly."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        yield current
        for name in _child_fields(type(current)):
            value = getattr(current, name)
            if isinstance(value, cst.CSTNode):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, cst.CSTNode))


def dotted(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, ``f().x`` when a call is on the chain; None otherwise."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted(expr.value)
        return None if base is None else f"{base}.{expr.attr.value}"
    if isinstance(expr, cst.Call):
        base = dotted(expr.func)
        return None if base is None else f"{base}()"
    return None


def module_name(node: cst.BaseExpression | cst.ImportFrom) -> str:
    """The dotted module of an ``import``/``from`` target (``Attribute`` chain), with leading dots kept."""
    if isinstance(node, cst.ImportFrom):
        dots = "." * len(node.relative)
        return dots + (module_name(node.module) if node.module is not None else "")
    return dotted(node) or ""


def module_constants(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Module-level ``NAME = value`` assignments (the last one wins), for resolving constants."""
    out: dict[str, cst.BaseExpression] = {}
    for stmt in module.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
        if isinstance(small, cst.Assign):
            for target in small.targets:
                if isinstance(target.target, cst.Name):
                    out[target.target.value] = small.value
    return out


def string_value(expr: cst.BaseExpression | None) -> str | None:
    """The value of a plain or concatenated string literal (no f-string), else None."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


#: What ``from MODULE import *`` binds for the web frameworks the rules read (their ``__all__`` or public names:
#: https://flask.palletsprojects.com/en/stable/api/, https://fastapi.tiangolo.com/reference/).
_STAR_EXPORTS: dict[str, tuple[str, ...]] = {
    "flask": ("Flask", "Blueprint", "request", "session", "g", "current_app", "jsonify", "redirect", "url_for",
              "render_template", "render_template_string", "abort", "make_response", "send_file",
              "send_from_directory", "flash", "stream_with_context", "Response"),
    "fastapi": ("FastAPI", "APIRouter", "Depends", "Security", "Request", "Response", "HTTPException", "Body",
                "Query", "Path", "Form", "File", "UploadFile", "Header", "Cookie", "WebSocket", "BackgroundTasks"),
}


@dataclass
class ImportMap:
    """Local name -> qualified name, from the module's imports and ``name = Constructor(...)`` statements."""

    aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, module: cst.Module) -> ImportMap:
        """Read the module's top-level statements (also inside ``if``/``try``/``with`` blocks)."""
        imports = cls()
        for stmt in _top_statements(module.body):
            imports.learn(stmt)
        return imports

    def learn(self, stmt: cst.BaseSmallStatement) -> None:
        """Record what one import or assignment statement binds."""
        if isinstance(stmt, cst.Import):
            for alias in stmt.names:
                full = module_name(alias.name)
                local = alias.evaluated_alias or full.split(".")[0]
                self.aliases[local] = full if alias.asname else local
        elif isinstance(stmt, cst.ImportFrom) and isinstance(stmt.names, cst.ImportStar):
            base = module_name(stmt)
            for name in _STAR_EXPORTS.get(base, ()):  # ``from flask import *``: Flask, request, jsonify, ...
                self.aliases.setdefault(name, f"{base}.{name}")
        elif isinstance(stmt, cst.ImportFrom) and not isinstance(stmt.names, cst.ImportStar):
            base = module_name(stmt)
            for alias in stmt.names:
                name = module_name(alias.name)
                sep = "" if base.endswith(".") else "."
                self.aliases[alias.evaluated_alias or name] = f"{base}{sep}{name}"
        elif isinstance(stmt, cst.Assign) and len(stmt.targets) == 1:
            self._learn_assign(stmt.targets[0].target, stmt.value)
        elif isinstance(stmt, cst.AnnAssign) and stmt.value is not None:
            self._learn_assign(stmt.target, stmt.value)

    def _learn_assign(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """``name = Constructor(...)`` / ``name = other.name`` binds ``name``; a fallback of ``None``, ``True`` or
        ``False`` (``except Exception: model = None`` after ``model = genai.GenerativeModel(...)`` in the
        ``try``) binds nothing, so the object the other branch builds keeps its name."""
        if isinstance(value, cst.Name) and value.value in ("None", "True", "False"):
            return
        if isinstance(target, cst.Name) and isinstance(value, (cst.Call, cst.Attribute, cst.Name)):
            resolved = self.qualify(value)
            if resolved is not None and resolved != target.value:
                self.aliases[target.value] = resolved

    def qualify(self, expr: cst.BaseExpression, local: Mapping[str, str] | None = None) -> str | None:
        """The qualified dotted name of ``expr``: its first segment replaced by what it is bound to."""
        name = dotted(expr)
        if name is None:
            return None
        head, sep, rest = name.partition(".")
        attr, dot, tail = rest.partition(".")
        if local and head == "self" and f"self.{attr}" in local:  # ``self.llm`` typed in ``__init__``
            return f"{local[f'self.{attr}']}{dot}{tail}"
        head_call = head.endswith("()")
        key = head[:-2] if head_call else head
        bound = (local or {}).get(key) or self.aliases.get(key)
        if bound is None:
            return name
        return f"{bound}{'()' if head_call else ''}{sep}{rest}"


def _top_statements(body: tuple[cst.BaseStatement, ...] | list[cst.BaseStatement] | object,
                    depth: int = 0) -> Iterator[cst.BaseSmallStatement]:
    if depth > 3 or not isinstance(body, (tuple, list)):
        return
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        elif isinstance(stmt, (cst.If, cst.Try, cst.With)):
            yield from _top_statements(stmt.body.body, depth + 1)
            for extra in _branches(stmt):
                yield from _top_statements(extra, depth + 1)


def _branches(stmt: cst.If | cst.Try | cst.With) -> Iterator[object]:
    if isinstance(stmt, cst.If) and stmt.orelse is not None:
        yield stmt.orelse.body.body if isinstance(stmt.orelse, cst.Else) else (stmt.orelse,)
    if isinstance(stmt, cst.Try):
        for handler in stmt.handlers:
            yield handler.body.body


def in_modules(qualified: str, modules: tuple[str, ...]) -> bool:
    """True when ``qualified`` is one of ``modules`` or inside one of them."""
    return any(qualified == m or qualified.startswith(m + ".") or qualified.startswith(m + "()")
               for m in modules)
