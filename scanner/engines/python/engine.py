"""PythonEngine: picks the Python files worth parsing and runs every Python rule over each, in processes
when ``--jobs`` is above 1 and there are enough files to pay for the workers."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.python.base import PythonRule
from scanner.engines.python.facts import project_facts
from scanner.engines.python.prefilter import worth_parsing
from scanner.engines.python.project import Project
from scanner.engines.python.rules import REGISTRY
from scanner.engines.python.runner import FileResult, scan_file
from scanner.knowledge import Knowledge, is_test_path
from scanner.model import Finding, Location, Notification, RouteInfo, Rule, ScanFile

#: Fewer candidate files than this are scanned in-process (starting workers costs more than it saves).
MIN_FILES_PER_WORKER = 8
_ORIGINS = ("source", "staged")
_STATE: dict[str, object] = {}


#: Larger Python files are not parsed (libcst time grows fast); their secrets are still scanned.
MAX_PARSE_CHARS = 4 * 1024 * 1024


class PythonEngine:
    """Route auth (AUTH3xx), CORS (CORS5xx) and logging (LOG4xx) rules for Python, on libcst."""

    name = "python"

    def rules(self) -> tuple[Rule, ...]:
        """The shared ``Rule`` of every registered Python rule."""
        return tuple(r.rule() for r in REGISTRY)

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Scan the ``.py`` files of ``ctx``; unparsable files become ``parse-error`` notes."""
        rules = tuple(r for r in REGISTRY if r.rule().family in ctx.families)
        files = {f.path: f for f in ctx.files if f.origin in _ORIGINS and f.path.endswith(".py")}
        if not rules or not files:
            return EngineOutput()
        project = Project(ctx.root, {p: f.text for p, f in files.items()})
        knowledge = Knowledge.with_config(ctx.config)
        too_big = {p for p, f in files.items() if f.truncated or len(f.text) > MAX_PARSE_CHARS}
        notes = [Notification("note", "not analysed by the Python rules: file larger than "
                              f"{MAX_PARSE_CHARS // (1024 * 1024)} MiB", p, "parse-error") for p in sorted(too_big)]
        todo = sorted(p for p, f in files.items()
                      if p not in too_big and not is_test_path(p) and worth_parsing(f.text, p))
        results = self._run(todo, project, knowledge, rules, ctx.jobs)
        findings: list[Finding] = [f for r in results for f in r.findings]
        notes += [n for r in results for n in r.notes]
        return EngineOutput(tuple(findings), tuple(notes), _temporary_routes(files, todo, findings))

    def _run(self, paths: list[str], project: Project, knowledge: Knowledge,
             rules: tuple[type[PythonRule], ...], jobs: int) -> list[FileResult]:
        workers = min(jobs, len(paths) // MIN_FILES_PER_WORKER)
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [scan_file(p, project.texts[p], project, knowledge, rules) for p in paths]
        project_facts(project, knowledge)  # computed once, inherited by the forked workers
        _STATE.update(project=project, knowledge=knowledge, rules=rules)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(_scan_in_worker, paths, chunksize=max(1, len(paths) // (workers * 4))))
        finally:
            _STATE.clear()


def _scan_in_worker(path: str) -> FileResult:
    project = _STATE["project"]
    knowledge = _STATE["knowledge"]
    rules = _STATE["rules"]
    assert isinstance(project, Project) and isinstance(knowledge, Knowledge) and isinstance(rules, tuple)
    return scan_file(path, project.texts[path], project, knowledge, rules)


# ---- TEMPORARY (probe branch, issue 14): a minimal decorator-based route inventory so that `probe --routes`
# works on fixtures/demo-app before the routes-py helper's real one lands; the lead replaces it at merge. ----
_TEMP_ROUTE = __import__("re").compile(r"^[ \t]*@\w+\.(get|post|put|patch|delete)\(\s*[\"']([^\"']*)[\"']", 2 | 8)


def _temporary_routes(files: dict[str, ScanFile], todo: list[str], findings: list[Finding]) -> tuple[RouteInfo, ...]:
    """Decorator routes (``@app.post("/x")``) of the parsed files; auth and model facts from the AUTH findings."""
    flagged = {(f.location.path, f.location.line): f.rule_id for f in findings if f.rule_id.startswith("AUTH30")}
    routes = []
    for path in todo:
        text = files[path].text
        for match in _TEMP_ROUTE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            code = flagged.get((path, line))
            public = any(w in match.group(2) for w in ("health", "login", "signup"))
            routes.append(RouteInfo(match.group(1).upper(), match.group(2), Location(path, line), "python",
                                    needs_auth=not public, authenticated=code is None and not public,
                                    calls_model=code == "AUTH301", touches_db=code == "AUTH302"))
    return tuple(routes)
