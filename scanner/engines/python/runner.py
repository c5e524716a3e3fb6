"""Run every Python rule over one file: depth guard, one libcst parse, one batched traversal, positions.

A file that cannot be parsed (syntax error, Python 2, nesting deep enough to overflow the parser's stack)
becomes a ``parse-error`` note and the scan goes on. Positions are resolved only for files that have
reports, since ``PositionProvider`` re-renders the whole module.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from scanner import rulebook
from scanner.engines.python.base import FileContext, PythonRule, Report
from scanner.engines.python.names import ImportMap
from scanner.engines.python.parsing import parse
from scanner.engines.python.project import Project
from scanner.knowledge import Knowledge
from scanner.model import Finding, Location, Notification
from scanner.redact import snippet_of


@dataclass(frozen=True)
class FileResult:
    """The findings and notes of one file."""

    findings: tuple[Finding, ...] = ()
    notes: tuple[Notification, ...] = ()


def scan_file(path: str, text: str, project: Project, knowledge: Knowledge,
              rules: tuple[type[PythonRule], ...]) -> FileResult:
    """All ``rules`` over one file, in one batched traversal."""
    module = parse(path, text)
    if isinstance(module, Notification):
        return FileResult(notes=(module,))
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    ctx = FileContext(path, module, ImportMap.of(module), project, knowledge)
    try:
        wrapper.visit_batched(visitors_for(ctx, rules))
        return FileResult(findings=_locate(wrapper, ctx.reports, path, text))
    except RecursionError:
        note = Notification("note", "not analysed: nesting too deep", path, "parse-error")
        return FileResult(notes=(note,))
    except Exception as exc:  # a rule bug must not end the scan; the file is reported as not analysed
        note = Notification("warning", f"Python rules failed on this file ({type(exc).__name__})", path,
                            "engine-error")
        return FileResult(notes=(note,))


def visitors_for(ctx: FileContext, rules: tuple[type[PythonRule], ...]) -> list[cst.BatchableCSTVisitor]:
    """The shared collectors of ``rules`` (each once, first: they finish before the rules report), then
    the rules."""
    collectors = list(dict.fromkeys(r.COLLECTOR for r in rules if r.COLLECTOR is not None))
    return [*(c(ctx) for c in collectors), *(r(ctx) for r in rules)]


def _locate(wrapper: MetadataWrapper, reports: list[Report], path: str,
            text: str) -> tuple[Finding, ...]:
    if not reports:
        return ()
    positions = wrapper.resolve(PositionProvider)
    lines = text.splitlines()
    findings = []
    seen: set[tuple[str, int, int]] = set()
    for rep in reports:
        pos = positions[rep.node]
        loc = Location(path, pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)
        if (rep.code, loc.line, loc.column) in seen:
            continue
        seen.add((rep.code, loc.line, loc.column))
        line = lines[loc.line - 1] if loc.line <= len(lines) else ""
        findings.append(Finding(rulebook.rule(rep.code), loc, rep.message, snippet=snippet_of(line),
                                context=rep.context, match_key=rep.match_key))
    return tuple(findings)


