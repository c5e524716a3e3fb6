"""Where sensitive values enter a function and what cleans them, for the logging analysis: request-bound
handler parameters (FastAPI, Socket.IO events), environment reads, sanitiser calls, literals,
``if __name__ == "__main__"``."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from scanner.engines.python.depends import depends_calls
from scanner.engines.python.names import dotted, string_value
from scanner.engines.python.sensitive import NONE, Kinds, is_safe, name_kinds
from scanner.knowledge import PROMPT_KEYS, words

#: Calls whose result is safe to log whatever went in (lengths, hashes, masks).
SANITIZERS = frozenset({"len", "hash", "id", "type", "bool", "isinstance", "count", "mask", "redact",
                        "sanitize", "anonymize", "hexdigest", "sha256", "md5", "int", "float", "round", "sum",
                        "mask_email", "redact_email", "scrub", "truncate_hash", "keys"})
#: Calls that read one environment variable by name (python-decouple's ``config`` included).
_ENV_GETTERS = frozenset({"os.getenv", "os.environ.get", "decouple.config"})
_NON_REQUEST_TYPES = frozenset({"Request", "Response", "BackgroundTasks", "UploadFile", "WebSocket",
                                "Session", "AsyncSession", "int", "float", "bool", "HTTPConnection"})


def is_main_guard(node: cst.If) -> bool:
    """True for ``if __name__ == "__main__":``."""
    test = node.test
    return isinstance(test, cst.Comparison) and dotted(test.left) == "__name__" and len(test.comparisons) == 1 \
        and string_value(test.comparisons[0].comparator) == "__main__"


def sanitized(expr: cst.BaseExpression) -> bool:
    """True for a call of a sanitizer (``mask(key)``, ``len(messages)``): its result is safe to log."""
    inner = expr.expression if isinstance(expr, cst.Await) else expr
    if not isinstance(inner, cst.Call):
        return False
    name = (dotted(inner.func) or "").replace("()", "").rsplit(".", 1)[-1]
    return name in SANITIZERS or any(w in ("mask", "masked", "redact", "redacted", "hash", "hashed")
                                      for w in words(name))


def literal(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)) or (
        isinstance(expr, cst.Name) and expr.value in ("None", "True", "False"))


def union(items: object) -> Kinds:
    out: set[str] = set()
    for item in items:  # type: ignore[attr-defined]
        out |= item
    return frozenset(out)


def is_route(func: cst.FunctionDef) -> bool:
    for dec in func.decorators:
        call = dec.decorator
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and \
                call.func.attr.value in ("get", "post", "put", "patch", "delete", "api_route", "websocket"):
            return True
    return False


def is_socket_handler(func: cst.FunctionDef) -> bool:
    """True for a Socket.IO event handler (``@socketio.on("message")``, ``@sio.event``): its data argument
    is what the client sent."""
    for dec in func.decorators:
        expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
        name = dotted(expr) or ""
        receiver, _, attr = name.rpartition(".")
        if (attr in ("on", "event", "on_event") and "sio" in receiver.lower()) or \
                (attr in ("on", "event") and "socket" in receiver.lower()):
            return True
    return False


def param_kinds(param: cst.Param, extra: frozenset[str]) -> Kinds:
    """Kinds a FastAPI route parameter carries (request data), unless it is injected by a dependency."""
    annotation = param.annotation.annotation if param.annotation else None
    if next(depends_calls(param.default), None) or next(depends_calls(annotation), None):
        return NONE
    type_name = (dotted(annotation) or "") if annotation is not None else ""
    name = param.name.value
    if type_name.rsplit(".", 1)[-1] in _NON_REQUEST_TYPES or is_safe(name) or name == "self":
        return NONE
    if name == "request":
        # `request: ChatRequest`: a body model named like the framework's request object
        return frozenset({"body"}) if type_name and type_name not in ("str", "Any") else NONE
    own = name_kinds(name, extra)
    if own:
        return own
    if name.lower() in PROMPT_KEYS:
        return frozenset({"prompt"})
    return NONE if type_name in ("str", "") else frozenset({"body"})


def env_name(expr: cst.BaseExpression, qualify: Callable[[cst.BaseExpression], str | None]) -> str | None:
    """The variable an environment read names (``os.getenv("SMTP_PASSWORD")``, ``os.environ["KEY"]``,
    ``environ.get(...)``, decouple's ``config(...)``), or None for anything else (a name that is not a literal)."""
    if isinstance(expr, cst.Call) and expr.args and qualify(expr.func) in _ENV_GETTERS:
        return string_value(expr.args[0].value)
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index) \
            and qualify(expr.value) == "os.environ":
        return string_value(expr.slice[0].slice.value)
    return None
