"""History benchmark: `launch-ready scan --history` against gitleaks and the git floor on one repository.

Usage:
    python bench/peers.py             # once: installs gitleaks (and the PyPI peers) into bench/tools/
    python bench/bench_history.py REPO [--runs 5] [--jobs 0]

Prints a Markdown table: median wall time, spread, ratio ours/theirs, peak memory (summed over the process
tree, and the largest single process), exit codes. Runs alternate between the tools; one warm-up round first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Series, alternate, table
from peers import gitleaks


def commands(repo: Path, jobs: int) -> list[Series]:
    """Our history scan (secrets only, as gitleaks), gitleaks' history scan, and git's own patch output."""
    ours = shutil.which("launch-ready") or str(Path(sys.executable).parent / "launch-ready")
    leaks = str(gitleaks())
    report = (
        tempfile.gettempdir() + "/gitleaks-bench-report.json"
    )  # never /dev/null: gitleaks deletes it first
    return [
        Series(
            "launch-ready --history --secrets-only",
            [
                ours,
                "scan",
                str(repo),
                "--history",
                "--secrets-only",
                "--format",
                "json",
                "-o",
                os.devnull,
                "--exit-zero",
                "--jobs",
                str(jobs),
            ],
        ),
        Series(
            "gitleaks 8.30.1 git",
            [
                leaks,
                "git",
                str(repo),
                "--no-banner",
                "--log-level",
                "error",
                "--report-format",
                "json",
                "--report-path",
                report,
                "--exit-code",
                "0",
            ],
        ),
        Series(
            "floor: git log -p -U0 --full-history --all",
            ["sh", "-c", f"git -C '{repo}' log -p -U0 --full-history --all > /dev/null"],
        ),
    ]


def main() -> None:
    """Parse arguments, run, print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    repo = args.repo.resolve()
    commits = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--all", "--count"], capture_output=True, text=True, check=True
    ).stdout.strip()
    series = commands(repo, args.jobs)
    load_before = os.getloadavg()[0]
    alternate(series, args.runs)
    print(
        f"{repo.name}: {commits} commits, {os.cpu_count()} cores, {args.runs} runs each (median), "
        f"load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after\n"
    )
    print(table(series, series[0].name))


if __name__ == "__main__":
    main()
