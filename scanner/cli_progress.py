"""The CLI's Progress renderers: a rich progress display on a terminal, per-phase wall times with --debug."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from scanner.progress import NoProgress, Progress

#: Unit shown after the count of a phase (``history`` counts commits, every other phase files).
_UNITS = {"history": "commits"}


class RichProgress:
    """One rich task per phase on stderr (transient: the display disappears when the scan ends). ``bar`` is a
    started ``rich.progress.Progress``."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._tasks: dict[str, Any] = {}

    def start(self, phase: str, total: int | None = None) -> None:
        """Add (or restart) the phase's task; an unknown total shows a pulsing bar."""
        unit = _UNITS.get(phase, "files")
        if phase in self._tasks:
            self._bar.reset(self._tasks[phase], total=total, visible=True)
            return
        self._tasks[phase] = self._bar.add_task(phase, total=total, unit=unit)

    def advance(self, phase: str, done: int = 1) -> None:
        """Move the phase's bar by ``done`` units."""
        if phase in self._tasks:
            self._bar.advance(self._tasks[phase], done)

    def finish(self, phase: str, count: int | None = None) -> None:
        """Complete the phase's bar and hide it."""
        task = self._tasks.get(phase)
        if task is not None:
            total = count if count is not None else self._bar.tasks[task].total
            self._bar.update(task, total=total, completed=total or 0, visible=False)


class TimingProgress:
    """Per-phase wall times (seconds) and unit counts; ``emit(line)`` receives one line per finished phase:
    ``launch-ready: phase engine:secrets 0.412s 231 files``."""

    def __init__(self, emit: Callable[[str], None], clock: Callable[[], float] = time.perf_counter) -> None:
        self._emit = emit
        self._clock = clock
        self._started: dict[str, float] = {}
        self._done: dict[str, int] = {}
        self.times: dict[str, float] = {}

    def start(self, phase: str, total: int | None = None) -> None:
        """Start the phase's clock."""
        self._started[phase] = self._clock()
        self._done[phase] = 0

    def advance(self, phase: str, done: int = 1) -> None:
        """Count ``done`` more units."""
        self._done[phase] = self._done.get(phase, 0) + done

    def finish(self, phase: str, count: int | None = None) -> None:
        """Emit the phase's wall time and its count (``count``, else the units advanced)."""
        began = self._started.pop(phase, None)
        if began is None:
            return
        took = self._clock() - began
        self.times[phase] = self.times.get(phase, 0.0) + took
        units = count if count is not None else self._done.get(phase, 0)
        unit = _UNITS.get(phase, "files")
        shown = f" {units:,} {unit[:-1] if units == 1 else unit}" if units else ""
        self._emit(f"launch-ready: phase {phase} {took:.3f}s{shown}")


class Tee:
    """Every event to each of ``targets`` (the rich display and the debug timings at once)."""

    def __init__(self, *targets: Progress) -> None:
        self._targets = targets

    def start(self, phase: str, total: int | None = None) -> None:
        """Forward."""
        for target in self._targets:
            target.start(phase, total)

    def advance(self, phase: str, done: int = 1) -> None:
        """Forward."""
        for target in self._targets:
            target.advance(phase, done)

    def finish(self, phase: str, count: int | None = None) -> None:
        """Forward."""
        for target in self._targets:
            target.finish(phase, count)


@contextmanager
def progress_for(terminal: bool, debug: bool, emit: Callable[[str], None]) -> Iterator[Progress]:
    """The Progress a scan reports to: a rich display when stderr is a ``terminal``, timings with ``debug``,
    both, or the silent one."""
    timing: list[Progress] = [TimingProgress(emit)] if debug else []
    if not terminal:
        yield Tee(*timing) if timing else NoProgress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[unit]}"), TimeElapsedColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        yield Tee(RichProgress(bar), *timing)

