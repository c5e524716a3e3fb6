"""The base of every Python rule: a batchable libcst visitor that carries its code, docs and examples.

Modelled on Fixit's ``LintRule``: the class docstring is the rule's documentation (headings What it finds /
Why it matters / Example / Fix), ``VALID`` and ``INVALID`` hold example snippets from which the tests are
generated, and all rules of a file run in one ``visit_batched`` traversal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from scanner import rulebook
from scanner.engines.python.names import ImportMap, walk
from scanner.knowledge import Knowledge
from scanner.model import Rule

if TYPE_CHECKING:
    from scanner.engines.python.project import Project

DOC_HEADINGS = ("What it finds", "Why it matters", "Example", "Fix")


@dataclass(frozen=True)
class Example:
    """A VALID or INVALID snippet. ``code`` is the file at ``path``; ``files`` are other project files
    (path, text) the rule may read; ``line`` is the expected line of an INVALID example's finding."""

    code: str
    path: str = "app.py"
    line: int | None = None
    files: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """What a rule reports before positions are known: the rule code, the node to locate, the message,
    the enclosing function or route (``context``) and the normalised matched code (``match_key``)."""

    code: str
    node: cst.CSTNode
    message: str
    context: str
    match_key: str


@dataclass
class FileContext:
    """One file under analysis: its path (relative, ``/``), module, imports, the project, the knowledge,
    the reports collected so far and a memo for analyses several rules share (computed once per file)."""

    path: str
    module: cst.Module
    imports: ImportMap
    project: Project
    knowledge: Knowledge
    reports: list[Report] = field(default_factory=list)
    memo: dict[str, object] = field(default_factory=dict)

    def code_of(self, node: cst.CSTNode) -> str:
        """The source text of ``node`` with whitespace runs collapsed (the finding's ``match_key``)."""
        return " ".join(self.module.code_for_node(node).split())[:300]


@functools.cache
def _visitor_names(kind: type) -> tuple[str, ...]:
    return tuple(n for n in dir(kind) if n.startswith(("visit_", "leave_")) and callable(getattr(kind, n))
                 and not getattr(getattr(kind, n), "_is_no_op", False))


class _CachedVisitors(cst.BatchableCSTVisitor):
    """libcst finds a batchable visitor's methods with ``inspect.getmembers`` on every instance, which costs
    more than the traversal of a small file; the names are the same for every instance of a class."""

    def get_visitors(self) -> dict[str, Callable[[cst.CSTNode], object]]:  # type: ignore[override]
        return {name: getattr(self, name) for name in _visitor_names(type(self))}


class Collector(_CachedVisitors):
    """A visitor that gathers facts several rules share (CORS policies, logging calls) into ``ctx.memo``;
    it runs once per file, ahead of the rules, in the same batched traversal."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx


@dataclass
class NodeIndex:
    """The functions, classes and calls of one module, in source order."""

    functions: list[cst.FunctionDef] = field(default_factory=list)
    classes: list[cst.ClassDef] = field(default_factory=list)
    calls: list[cst.Call] = field(default_factory=list)


def index_of(ctx: FileContext) -> NodeIndex:
    """The module's ``NodeIndex``: filled during the batched traversal by ``IndexCollector``, or built by
    a fast walk for a file read only for cross-file facts."""
    index = ctx.memo.get("index")
    if isinstance(index, NodeIndex):
        return index
    index = NodeIndex()
    for node in walk(ctx.module):
        if isinstance(node, cst.FunctionDef):
            index.functions.append(node)
        elif isinstance(node, cst.ClassDef):
            index.classes.append(node)
        elif isinstance(node, cst.Call):
            index.calls.append(node)
    ctx.memo["index"] = index
    return index


class IndexCollector(Collector):
    """Fills ``ctx.memo["index"]`` during the batched traversal (no second walk for the route rules)."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.index = NodeIndex()
        ctx.memo["index"] = self.index

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.index.functions.append(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.index.classes.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.index.calls.append(node)


class PythonRule(_CachedVisitors):
    """A rule: subclasses set ``CODE`` (a code from ``scanner.rulebook``), ``MESSAGE``, ``VALID`` and
    ``INVALID``, write their docs in the class docstring and report through ``self.report``."""

    CODE: ClassVar[str] = ""
    MESSAGE: ClassVar[str] = ""
    #: A visitor whose findings several rules share (run once per file, before the rules).
    COLLECTOR: ClassVar[type[Collector] | None] = None
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    @classmethod
    def rule(cls) -> Rule:
        """The shared ``Rule`` for this code (id, slug, severity, CWE) from ``scanner.rulebook``."""
        return rulebook.rule(cls.CODE)

    @classmethod
    def doc(cls) -> str:
        """The Python-specific documentation: the class docstring, dedented."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    def report(self, node: cst.CSTNode, context: str = "", message: str = "", key: str = "") -> None:
        """Report a finding of this rule at ``node`` (``message`` defaults to ``MESSAGE``)."""
        self.ctx.reports.append(Report(self.CODE, node, message or self.MESSAGE, context,
                                       key or self.ctx.code_of(node)))
