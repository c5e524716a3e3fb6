"""The progress protocol: how the pipeline tells the CLI which phase runs and how far it is (no output here)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives phase events from the pipeline; the CLI renders them (a rich progress bar on a terminal, per-phase
    wall times on stderr with ``--debug``). Phases are short names: ``listing``, ``engine:secrets``,
    ``engine:python``, ``engine:semgrep``, ``engine:config``, ``history``, ``filters``. ``total`` is the unit count
    (files, commits) when known, else None; ``advance`` adds done units. Implementations must be cheap and never
    raise. Events come from the main process only."""

    def start(self, phase: str, total: int | None = None) -> None:
        """A phase begins."""
        ...

    def advance(self, phase: str, done: int = 1) -> None:
        """``done`` more units of ``phase`` are finished."""
        ...

    def finish(self, phase: str, count: int | None = None) -> None:
        """A phase ended; ``count`` is how many units it handled (files, commits), when known."""
        ...


class NoProgress:
    """The silent Progress (tests, library callers, output that is not a terminal)."""

    def start(self, phase: str, total: int | None = None) -> None:
        """Ignore."""

    def advance(self, phase: str, done: int = 1) -> None:
        """Ignore."""

    def finish(self, phase: str, count: int | None = None) -> None:
        """Ignore."""
