"""Whether a handler's own rate-limit check runs only after its first model call (LR601: such a check spends
the model budget before it refuses anyone)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.invocations import model_vendor
from scanner.engines.python.local_models import local_models
from scanner.engines.python.ratelimits import limits_in


def check_after_model(ctx: FileContext, handler: cst.FunctionDef | cst.ClassDef) -> bool:
    """True when, in the order a function handler runs, its first model call comes before every limit check
    of its body (a check inside an ``except`` branch handles a failure and limits nothing). Class views (the
    order across methods is not one order) are never judged here."""
    if not isinstance(handler, cst.FunctionDef):
        return False
    first_model = None
    local = local_models(ctx, handler)
    for index, part in enumerate(_parts(handler.body)):
        if first_model is None and model_vendor(ctx, part, local=local) is not None:
            first_model = index
        if limits_in(ctx, part, handler):
            return first_model is not None and first_model < index
    return False


def _parts(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The simple statements and tests of a suite in source order (``if`` and ``while`` tests before their
    bodies; ``except`` branches and nested ``def``/``class`` left out)."""
    if isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        for stmt in node.body:
            yield from _parts(stmt)
    elif isinstance(node, (cst.SimpleStatementLine, cst.BaseSmallStatement)):
        yield node
    elif isinstance(node, (cst.If, cst.While)):
        yield node.test
        yield from _parts(node.body)
        if node.orelse is not None:
            yield from _parts(node.orelse.body if not isinstance(node.orelse, cst.If) else node.orelse)
    elif isinstance(node, (cst.With, cst.For)):
        yield from (item.item for item in node.items) if isinstance(node, cst.With) else iter([node.iter])
        yield from _parts(node.body)
    elif isinstance(node, cst.Try):
        yield from _parts(node.body)
        if node.orelse is not None:
            yield from _parts(node.orelse.body)
        if node.finalbody is not None:
            yield from _parts(node.finalbody.body)
