"""scan(root, config, options) -> ScanResult: the library entry point; dispatches to the pipeline's modes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from scanner import gitquery
from scanner.config import Config
from scanner.errors import ScanError as ScanError
from scanner.model import ScanResult
from scanner.notes import group_notes
from scanner.pipeline import ScanOptions as ScanOptions
from scanner.pipeline import as_progress, scan_tree
from scanner.pipeline import assign_fingerprints as assign_fingerprints
from scanner.pipeline import run_engines as run_engines
from scanner.pipeline import selected_engines as selected_engines
from scanner.progress import Progress


def scan(root: Path, config: Config, options: ScanOptions | None = None,
         progress: Progress | Callable[[int, int], None] | None = None) -> ScanResult:
    """Scan one root and return the unfiltered, fingerprinted, sorted result with grouped notes.

    ``options.staged``, ``options.since``, ``options.commit_range`` and ``options.history`` go through
    :mod:`scanner.diffscan`. ``progress`` receives the phases ``listing``, ``engine:<name>``, ``history`` and
    ``filters`` (an older ``progress(done, total)`` callable still gets the history's commit counts).

    Raises:
        ScanError: ``root`` is not a folder; history, staged, since or range outside a git repository or
            without git; an unknown ref.
        git.GitError: git failed while listing the work tree.
    """
    from scanner.scrub import scrub_result

    result = scrub_result(_scan(root, config, options or ScanOptions(), as_progress(progress)))
    return dataclasses.replace(result, notifications=tuple(group_notes(result.notifications)))


def _scan(root: Path, config: Config, options: ScanOptions, progress: Progress) -> ScanResult:
    if not root.is_dir():
        raise ScanError(f"{root}: not a folder")
    if options.staged:  # the hook: no extra git call before it
        from scanner import diffscan

        return diffscan.scan_staged(root, config, options, progress)
    if gitquery.is_bare(root):
        from scanner import diffscan

        return diffscan.scan_bare(root, config, options, progress)
    if options.since or options.history or options.commit_range:
        from scanner import diffscan

        if options.since or options.commit_range:
            return diffscan.scan_since(root, config, options, progress)
        return diffscan.scan_with_history(root, config, options, progress)
    return scan_tree(root, config, options, progress)

