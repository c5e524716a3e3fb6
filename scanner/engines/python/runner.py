"""Run every Python rule over one file: depth guard, one libcst parse, one batched traversal, positions.

A file that cannot be parsed (syntax error, Python 2, nesting deep enough to overflow the parser's stack)
becomes a ``parse-error`` note and the scan goes on. Positions are resolved only for files that have
reports, since ``PositionProvider`` re-renders the whole module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from scanner import rulebook
from scanner.engines.python.base import FileContext, PythonRule, Report
from scanner.engines.python.names import ImportMap
from scanner.engines.python.parsing import parse
from scanner.engines.python.project import Project
from scanner.engines.python.routes import Route
from scanner.knowledge import Knowledge
from scanner.model import Finding, Location, Notification, RouteInfo
from scanner.redact import snippet_of


@dataclass(frozen=True)
class FileResult:
    """The findings and notes of one file."""

    findings: tuple[Finding, ...] = ()
    notes: tuple[Notification, ...] = ()
    routes: tuple[RouteInfo, ...] = ()


def scan_file(path: str, text: str, project: Project, knowledge: Knowledge,
              rules: tuple[type[PythonRule], ...]) -> FileResult:
    """All ``rules`` over one file, in one batched traversal."""
    module = parse(path, text)
    if isinstance(module, Notification):
        return FileResult(notes=(module,))
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    ctx = FileContext(path, module, project.with_star_imports(path, module, ImportMap.of(module)), project, knowledge)
    try:
        wrapper.visit_batched(visitors_for(ctx, rules))
        found = ctx.memo.get("routes")
        routes = [r for r in found if isinstance(r, Route)] if isinstance(found, list) else []
        if not ctx.reports and not routes:
            return FileResult()
        positions = wrapper.resolve(PositionProvider)
        return FileResult(findings=_locate(positions, ctx.reports, path, text),
                          routes=tuple(_route_info(positions, r, path) for r in routes))
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


def _location(positions: Mapping[cst.CSTNode, CodeRange], node: cst.CSTNode, path: str) -> Location:
    pos = positions[node]
    return Location(path, pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)


def _route_info(positions: Mapping[cst.CSTNode, CodeRange], route: Route, path: str) -> RouteInfo:
    """The inventory entry of one judged route (``location`` is where its findings go)."""
    anchor = route.open_permission or route.anchor
    return RouteInfo(route.method, route.url, _location(positions, anchor, path), route.framework,
                     needs_auth=route.authed or not route.public, authenticated=route.authed,
                     calls_model=route.facts.calls_model, touches_db=route.facts.touches_db)


def _locate(positions: Mapping[cst.CSTNode, CodeRange], reports: list[Report], path: str,
            text: str) -> tuple[Finding, ...]:
    lines = text.splitlines()
    findings = []
    seen: set[tuple[str, int, int]] = set()
    for rep in reports:
        loc = _location(positions, rep.node, path)
        if (rep.code, loc.line, loc.column) in seen:
            continue
        seen.add((rep.code, loc.line, loc.column))
        line = lines[loc.line - 1] if loc.line <= len(lines) else ""
        findings.append(Finding(rulebook.rule(rep.code), loc, rep.message, snippet=snippet_of(line),
                                context=rep.context, match_key=rep.match_key))
    return tuple(findings)


