"""PythonEngine: picks the Python files worth parsing and runs every Python rule over each, in processes
when ``--jobs`` is above 1 and there are enough files to pay for the workers."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.launch.apps import dead_app_modules, served_modules
from scanner.engines.python.base import PythonRule
from scanner.engines.python.facts import project_facts
from scanner.engines.python.mounts import wired_paths
from scanner.engines.python.prefilter import helper_modules, worth_parsing
from scanner.engines.python.project import Project
from scanner.engines.python.rules import REGISTRY
from scanner.engines.python.runner import FileResult, scan_file
from scanner.knowledge import Knowledge, is_test_path
from scanner.model import Finding, Notification, Rule

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
        project = Project(ctx.root, {p: f.text for p, f in files.items()},
                          served_modules({f.path: f.text for f in ctx.files}))
        knowledge = Knowledge.with_config(ctx.config)
        too_big = {p for p, f in files.items() if f.truncated or len(f.text) > MAX_PARSE_CHARS}
        notes = [Notification("note", "not analysed by the Python rules: file larger than "
                              f"{MAX_PARSE_CHARS // (1024 * 1024)} MiB", p, "parse-error") for p in sorted(too_big)]
        wired = wired_paths(project, knowledge)
        # an app module the run files leave out and nothing imports (an old copy of the app) serves nothing
        dead = dead_app_modules({f.path: f.text for f in ctx.files})
        chosen = {p for p, f in files.items() if p not in too_big and p not in dead and not is_test_path(p)
                  and (p in wired or worth_parsing(f.text, p))}
        eligible = {p: project.texts[p] for p in files if p not in too_big and not is_test_path(p)}
        todo = sorted((chosen | helper_modules(eligible, chosen)) - dead)
        results = self._run(todo, project, knowledge, rules, ctx.jobs)
        findings: list[Finding] = [f for r in results for f in r.findings]
        notes += [n for r in results for n in r.notes]
        return EngineOutput(tuple(findings), tuple(notes), tuple(i for r in results for i in r.routes))

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
