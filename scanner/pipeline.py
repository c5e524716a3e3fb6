"""The pipeline: run sources and engines, fingerprint, filter; shared by ``api.scan`` and the diff-aware modes.

Sources only yield files and fragments with provenance; this module runs the engines on them (the history
source gets :func:`secrets_scanner`, a picklable callable, so its worker processes scan their own batches
without the source importing an engine). Phases are reported through :class:`scanner.progress.Progress`.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from scanner import git
from scanner.config import Config
from scanner.dedup import fold_compiled_copies, merge_literal_findings, one_per_public_env, one_per_secret
from scanner.engines import available_engines, load_engine
from scanner.engines.base import Engine, EngineOutput, ScanContext
from scanner.filters import apply_repo_filters, excluded_notes
from scanner.filters.baseline import Baseline
from scanner.filters.lines import LineLookup
from scanner.filters.paths import PathExcluder
from scanner.model import FAMILIES, Finding, Fragment, Notification, RouteInfo, Rule, ScanResult
from scanner.progress import NoProgress, Progress
from scanner.redact import fingerprint


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
    #: Scan vendored and generated trees (``node_modules/``, virtualenvs, ...) too (``--include-vendored``).
    include_vendored: bool = False

    @property
    def workers(self) -> int:
        """``jobs`` as given, or every core when 0 (the ``--jobs`` default)."""
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)


def scan_tree(root: Path, config: Config, options: ScanOptions, progress: Progress) -> ScanResult:
    """The work tree under ``root``: list and read files (phase ``listing``), run the engines, filter.

    Raises:
        git.GitError: git failed while listing the work tree.
    """
    from scanner.sources.worktree import load_files

    progress.start("listing")
    files, notes = load_files(root, options.include_vendored, options.paths, attributes=not config.no_config)
    excluder = PathExcluder(config.exclude)
    dropped = [f.path for f in files if excluder.excluded(f.path)]
    files = excluder.keep(files, lambda f: f.path)
    notes = [n for n in notes if n.path is None or not excluder.excluded(n.path)]
    notes += excluded_notes(dropped, config)
    progress.finish("listing", len(files))
    ctx = ScanContext(root=root, files=tuple(files), config=config, mode="tree", families=options.families,
                      jobs=options.workers)
    return run_engines(ctx, notes, options, progress)


def run_engines(ctx: ScanContext, notes: list[Notification], options: ScanOptions,
                progress: Progress | None = None) -> ScanResult:
    """Run every selected engine on ``ctx`` (one phase ``engine:<name>`` each); collect findings, notes, rules
    and routes into a fingerprinted, sorted ScanResult; apply the repository filters (phase ``filters``)."""
    progress = progress or NoProgress()
    findings: list[Finding] = []
    rules: list[Rule] = []
    routes: list[RouteInfo] = []
    for engine in selected_engines(options):
        progress.start(f"engine:{engine.name}", len(ctx.files))
        out = _run_one(engine, ctx)
        progress.finish(f"engine:{engine.name}", len(ctx.files))
        findings += [f for f in out.findings if f.family in ctx.families]
        notes = [*notes, *out.notifications]
        routes += out.routes
        rules += [r for r in engine.rules() if r.family in ctx.families]
    findings, folded = fold_compiled_copies(findings)  # a key in a module and in its .pyc: one finding, the source's
    findings, absorbed = merge_literal_findings(findings)  # one finding per hard-coded literal (AUTH306/SEC193 win)
    absorbed += folded
    result = ScanResult(
        root=ctx.root.as_posix(),
        findings=tuple(sorted(assign_fingerprints(findings), key=Finding.sort_key)),
        notifications=tuple(sorted(set(notes), key=Notification.sort_key)),
        rules=tuple(sorted({r.id: r for r in rules}.values(), key=lambda r: r.id)),
        category=options.category,
        stats={"files": len(ctx.files)},
        routes=tuple(sorted(set(routes), key=RouteInfo.sort_key)),
        absorbed=tuple(absorbed),
    )
    progress.start("filters")
    result = apply_repo_filters(result, ctx.config, LineLookup(ctx.files, ctx.fragments), options.baseline)
    # one EXP201 per public-prefixed name, where it leaks, among the findings no baseline or ignore suppressed
    kept, exposed = one_per_public_env(result.findings)
    # one finding per secret value in the tree, at the copy the code uses, naming the others
    kept, copies = one_per_secret(kept)
    if exposed or copies:
        result = dataclasses.replace(result, findings=tuple(kept), absorbed=(*result.absorbed, *exposed, *copies))
    progress.finish("filters")
    return result


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


#: Scans a batch of fragments for secrets: ``(findings, notes)``. Picklable (history worker processes).
FragmentScanner = Callable[[list[Fragment]], tuple[list[Finding], list[Notification]]]


def secrets_scanner(config: Config) -> FragmentScanner:
    """The secrets engine as a :data:`FragmentScanner` bound to ``config`` (what history hands its batches to)."""
    return functools.partial(_scan_fragments, config)


def _scan_fragments(config: Config, fragments: list[Fragment]) -> tuple[list[Finding], list[Notification]]:
    from scanner.engines.secrets import scan_fragments
    from scanner.sources.reading import mask_baseline_hashes

    # a committed .secrets.baseline's hashes are not keys (the work tree and the index mask them as they read)
    fragments = [dataclasses.replace(f, lines=tuple((n, mask_baseline_hashes(t)) for n, t in f.lines))
                 if any('"hashed_secret"' in t for _, t in f.lines) else f for f in fragments]
    findings, notes = scan_fragments(fragments, config)
    return list(findings), list(notes)


class CallbackProgress(NoProgress):
    """Adapts the older ``progress(done, total)`` callable (commits of the history phase) to :class:`Progress`."""

    def __init__(self, callback: Callable[[int, int], None]) -> None:
        self.callback = callback
        self.total = 0
        self.done = 0

    def start(self, phase: str, total: int | None = None) -> None:
        """Remember the history's commit total."""
        if phase == "history":
            self.total, self.done = total or 0, 0

    def advance(self, phase: str, done: int = 1) -> None:
        """Pass commit progress on as ``(done, total)``."""
        if phase == "history":
            self.done += done
            self.callback(self.done, self.total)


def as_progress(progress: Progress | Callable[[int, int], None] | None) -> Progress:
    """A :class:`Progress` for any accepted form (None: silent)."""
    if progress is None:
        return NoProgress()
    if isinstance(progress, Progress):
        return progress
    return CallbackProgress(progress)

