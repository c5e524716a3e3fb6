"""scan(targets, options) -> ScanResult: orchestration only (sources -> engines -> findings -> filters)."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from scanner import git
from scanner.config import Config
from scanner.dedup import merge_literal_findings
from scanner.engines import available_engines, load_engine
from scanner.engines.base import Engine, EngineOutput, ScanContext
from scanner.errors import ScanError as ScanError
from scanner.filters import apply_repo_filters
from scanner.filters.baseline import Baseline
from scanner.filters.lines import LineLookup
from scanner.filters.paths import PathExcluder
from scanner.model import FAMILIES, Finding, Notification, RouteInfo, Rule, ScanResult
from scanner.redact import fingerprint
from scanner.sources.worktree import load_files


@dataclass(frozen=True)
class ScanOptions:
    """What to scan and how. ``families`` limits rule families (the secrets-only hook: ``("secrets",)``)."""

    history: bool = False
    staged: bool = False
    since: str | None = None
    jobs: int = 0
    families: tuple[str, ...] = FAMILIES
    category: str | None = None
    engines: tuple[str, ...] | None = None
    baseline: Baseline | None = None
    #: ``A..B``: secrets from every commit in the range plus code rules on B's tree vs A (``--range``).
    commit_range: str | None = None
    #: Restrict the work-tree scan to these files or folders (relative to the root, ``/``); empty: everything.
    paths: tuple[str, ...] = ()

    @property
    def workers(self) -> int:
        """``jobs`` as given, or every core when 0 (the ``--jobs`` default)."""
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)


def scan(root: Path, config: Config, options: ScanOptions = ScanOptions(),
         progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Scan one root and return the unfiltered, fingerprinted, sorted result. ``options.staged``,
    ``options.since`` and ``options.history`` go through :mod:`scanner.diffscan`, which comes back here for
    the work tree and to :func:`run_engines` for changed files; ``progress(done, total)`` counts commits.

    Raises:
        ScanError: ``root`` is not a folder; history, staged or since outside a git repository or without git.
        git.GitError: git failed while listing the work tree.
    """
    from scanner.scrub import scrub_result

    return scrub_result(_scan(root, config, options, progress))


def _scan(root: Path, config: Config, options: ScanOptions,
          progress: Callable[[int, int], None] | None) -> ScanResult:
    if not root.is_dir():
        raise ScanError(f"{root}: not a folder")
    if options.staged or options.since or options.history:
        from scanner import diffscan

        if options.staged:
            return diffscan.scan_staged(root, config, options, progress)
        if options.since:
            return diffscan.scan_since(root, config, options, options.since)
        return diffscan.scan_with_history(root, config, options, progress)
    files, notes = load_files(root)
    excluder = PathExcluder(config.exclude)
    files = excluder.keep(files, lambda f: f.path)
    notes = [n for n in notes if n.path is None or not excluder.excluded(n.path)]
    ctx = ScanContext(root=root, files=tuple(files), config=config, mode="tree", families=options.families,
                      jobs=options.workers)
    return run_engines(ctx, notes, options)


def run_engines(ctx: ScanContext, notes: list[Notification], options: ScanOptions) -> ScanResult:
    """Run every engine on ``ctx``; collect findings, notifications and rules into a ScanResult."""
    findings: list[Finding] = []
    rules: list[Rule] = []
    routes: list[RouteInfo] = []
    for engine in selected_engines(options):
        out = _run_one(engine, ctx)
        findings += [f for f in out.findings if f.family in ctx.families]
        notes += out.notifications
        routes += out.routes
        rules += [r for r in engine.rules() if r.family in ctx.families]
    findings = merge_literal_findings(findings)  # issue 13: one finding per hard-coded literal (AUTH306/SEC193)
    result = ScanResult(
        root=ctx.root.as_posix(),
        findings=tuple(sorted(assign_fingerprints(findings), key=Finding.sort_key)),
        notifications=tuple(sorted(set(notes), key=Notification.sort_key)),
        rules=tuple(sorted({r.id: r for r in rules}.values(), key=lambda r: r.id)),
        category=options.category,
        stats={"files": len(ctx.files)},
        routes=tuple(sorted(set(routes), key=RouteInfo.sort_key)),
    )
    return apply_repo_filters(result, ctx.config, LineLookup(ctx.files, ctx.fragments), options.baseline)


def selected_engines(options: ScanOptions) -> list[Engine]:
    """The engines to run: those named in ``options.engines``, else every engine that reports one of
    ``options.families``."""
    names = options.engines if options.engines is not None else tuple(available_engines(options.families))
    return [load_engine(n) for n in names]


def _run_one(engine: Engine, ctx: ScanContext) -> EngineOutput:
    try:
        return engine.scan(ctx)
    except git.GitError as exc:
        return EngineOutput((), (Notification("error", f"{engine.name} engine: {exc}", None, "engine-error"),))


def assign_fingerprints(findings: Iterable[Finding]) -> list[Finding]:
    """Fill in each finding's fingerprint; identical (rule, path, context, match) get occurrence 0, 1, ..."""
    ordered = sorted(findings, key=Finding.sort_key)
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out = []
    for f in ordered:
        key = (f.rule_id, f.location.path, f.context, f.match_key)
        fp = fingerprint(f.rule_id, f.location.path, f.context, f.match_key, seen[key])
        seen[key] += 1
        out.append(dataclasses.replace(f, fingerprint=fp))
    return out
