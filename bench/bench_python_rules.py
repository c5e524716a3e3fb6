"""Benchmark: launch-ready's Python rules vs semgrep running comparable rules, on the same tree.

Usage (the tree is a clone made with the ``fetch`` tool, never inside this repository):

    /work/venv/bin/python bench/bench_python_rules.py /work/corpus/sqlalchemy [--jobs 1] [--runs 1]

Reports wall times in seconds: our engine (files read by the work-tree source, then ``PythonEngine.scan``)
and ``semgrep --config bench/semgrep_python_rules.yaml`` (offline: ``--metrics=off
--disable-version-check``, ``SEMGREP_ENABLE_VERSION_CHECK=0``), each the best of ``--runs``. Not run by CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from scanner.config import Config
from scanner.engines.base import ScanContext
from scanner.engines.python import PythonEngine
from scanner.sources.worktree import load_files

RULES = Path(__file__).resolve().parent / "semgrep_python_rules.yaml"


def time_ours(root: Path, jobs: int) -> tuple[float, int]:
    """Seconds to read the tree and run every Python rule; the number of findings."""
    started = time.perf_counter()
    files, _ = load_files(root)
    out = PythonEngine().scan(ScanContext(root, tuple(files), Config(), jobs=jobs))
    return time.perf_counter() - started, len(out.findings)


def time_semgrep(root: Path, jobs: int) -> tuple[float, int]:
    """Seconds for one offline semgrep run of the comparable rules; the number of results."""
    semgrep = shutil.which("semgrep") or str(Path(sys.executable).with_name("semgrep"))
    cmd = [semgrep, "scan", "--config", str(RULES), "--metrics=off", "--disable-version-check", "--json",
           "--quiet", "--jobs", str(jobs), "--include", "*.py", str(root)]
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    results = len(json.loads(proc.stdout).get("results", [])) if proc.stdout.strip() else -1
    return elapsed, results


def main() -> None:
    """Parse arguments, run both tools ``--runs`` times, print a Markdown table row per tool."""
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    ours = min(time_ours(args.root, args.jobs) for _ in range(args.runs))
    theirs = min(time_semgrep(args.root, args.jobs) for _ in range(args.runs))
    print("| tool | wall time (s) | findings |\n|---|---|---|")
    print(f"| launch-ready Python rules (jobs={args.jobs}) | {ours[0]:.1f} | {ours[1]} |")
    print(f"| semgrep, comparable rules (jobs={args.jobs}) | {theirs[0]:.1f} | {theirs[1]} |")
    print(f"\nratio semgrep / ours: {theirs[0] / ours[0]:.1f}x")


if __name__ == "__main__":
    main()
