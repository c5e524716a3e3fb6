"""Timing helpers for the benchmarks: run a command, wall time, and peak memory of its whole process tree.

Peak memory is sampled every 50 ms from ``/proc`` as the **sum** of the proportional set size (PSS: shared
pages divided among the processes sharing them) of the command and all of its descendants (our worker
processes and the git processes they read count too), alongside the largest single process (``ru_maxrss``
from ``wait4``, what ``/usr/bin/time -v`` prints). Linux only.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One run: wall seconds, CPU seconds (user + system, the whole process tree), peak summed PSS of the
    process tree (MiB), largest process (MiB), exit code."""

    wall: float
    cpu: float
    tree_mib: float
    single_mib: float
    code: int


@dataclass
class Series:
    """Repeated runs of one command."""

    name: str
    argv: Sequence[str]
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        """The median of one field over the runs."""
        return statistics.median(getattr(r, attr) for r in self.runs)


def _tree_rss_kib(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += next(
                (int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def run_once(argv: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` with output discarded; measure wall time and memory.

    Python's bytecode cache is on for the command (``PYTHONDONTWRITEBYTECODE`` is dropped from the default
    environment): a package installed by pip runs from compiled ``.pyc`` files, and the warm-up round writes
    them for an editable install. With the variable set, as on some build machines, every run recompiled our
    modules from source (about 0.1 s of CPU on each scan), which no user pays."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, peak[0] / 1024, usage.ru_maxrss / 1024, proc.returncode)


def alternate(series: list[Series], runs: int, cwd: Path | None = None, warmup: bool = True) -> None:
    """Run every command ``runs`` times, alternating between them (so drift in machine load hits all alike);
    one unrecorded warm-up round first (page cache)."""
    if warmup:
        for s in series:
            run_once(s.argv, cwd)
    for _ in range(runs):
        for s in series:
            s.runs.append(run_once(s.argv, cwd))


def table(series: list[Series], ours: str) -> str:
    """A Markdown table of medians, with each tool's ratio ours/theirs (wall time and CPU time)."""
    base = next(s for s in series if s.name == ours)
    rows = [
        "| tool | median wall (s) | min–max (s) | ours/theirs (wall) | CPU (s) | ours/theirs (CPU) | "
        "peak tree PSS (MiB) | largest process (MiB) | exit codes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in series:
        ratio = "—" if s is base else f"{base.median('wall') / s.median('wall'):.2f}x"
        cpu_ratio = "—" if s is base else f"{base.median('cpu') / s.median('cpu'):.2f}x"
        walls = [r.wall for r in s.runs]
        codes = ",".join(sorted({str(r.code) for r in s.runs}))
        rows.append(
            f"| {s.name} | {s.median('wall'):.2f} | {min(walls):.2f}–{max(walls):.2f} | {ratio} | "
            f"{s.median('cpu'):.2f} | {cpu_ratio} | {s.median('tree_mib'):.0f} | "
            f"{s.median('single_mib'):.0f} | {codes} |"
        )
    return "\n".join(rows)
