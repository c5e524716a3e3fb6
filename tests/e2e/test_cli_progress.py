"""The CLI's Progress renderers: per-phase wall times and counts with --debug, the rich display on a terminal."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console
from rich.progress import Progress as Bar

from scanner.cli import main
from scanner.cli_progress import RichProgress, Tee, TimingProgress, progress_for
from scanner.progress import NoProgress


def test_timing_progress_emits_one_line_per_phase_with_time_and_count() -> None:
    lines: list[str] = []
    ticks = itertools.count(0.0, 0.25)
    timing = TimingProgress(lines.append, clock=lambda: next(ticks))
    timing.start("listing")
    timing.finish("listing", 1234)
    timing.start("history", 10)
    timing.advance("history", 4)
    timing.advance("history", 6)
    timing.finish("history")
    timing.finish("never-started")
    assert lines == ["launch-ready: phase listing 0.250s 1,234 files",
                     "launch-ready: phase history 0.250s 10 commits"]


def test_rich_progress_draws_phases_on_a_terminal_and_tolerates_unknown_ones() -> None:
    out = io.StringIO()
    with Bar(console=Console(file=out, force_terminal=True, width=80), transient=False) as bar:
        rich = RichProgress(bar)
        both = Tee(rich, NoProgress())
        both.start("engine:secrets", 2)
        both.advance("engine:secrets")
        both.advance("unknown-phase")
        both.finish("engine:secrets", 2)
        both.finish("unknown-phase")
        both.start("engine:secrets")
    assert "engine:secrets" in out.getvalue()


def test_no_terminal_and_no_debug_is_silent() -> None:
    with progress_for(False, False, print) as progress:
        assert isinstance(progress, NoProgress)


def test_debug_prints_phase_times_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--secrets-only", "--debug"])
    assert result.exit_code == 0
    assert any(line.startswith("launch-ready: phase scan ") and line.endswith(" 1 file")
               for line in result.stderr.splitlines())
