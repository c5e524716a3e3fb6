"""JS/TS benchmark: full `launch-ready scan` of vercel/ai-chatbot vs `gitleaks dir` + semgrep with the peer rules.

Usage:
    python bench/peers.py                                   # once: gitleaks and semgrep into bench/tools/
    git clone https://github.com/vercel/ai-chatbot bench/corpus/ai-chatbot
    python bench/bench_js.py [--repo bench/corpus/ai-chatbot] [--runs 5] [--peer-rules FILE]

A user who wants what one `launch-ready scan` gives on a Next.js chatbot would otherwise run gitleaks (keys)
and semgrep (code rules). The semgrep peer runs the shared comparator rules (``../shared/bench/peer-rules.yml``:
four small rules a user might write, offline) with ``-j 2`` over the whole repository, the way a user would run
it. Target (issue 12): our full scan no slower than the sum of the two peers (<= 1.0x). Commands alternate,
medians are reported.
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

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
TOOLS = BENCH / "tools"


def _tool(name: str) -> str:
    """A peer tool from bench/tools (peers.py), else the one next to this Python, else PATH."""
    for candidate in (
        TOOLS / "bin" / name,
        TOOLS / "venv" / "bin" / name,
        Path(sys.executable).parent / name,
    ):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: run python bench/peers.py first")
    return found


#: ``../shared/bench/peer-rules.yml`` next to the checkout (the shared comparator rules).
PEER_RULES = REPO_ROOT.parent / "shared" / "bench" / "peer-rules.yml"


def commands(repo: Path, peer_rules: Path) -> list[Series]:
    """Ours, gitleaks and semgrep; reports are thrown away (gitleaks' into a temp file)."""
    ours = [
        str(Path(sys.executable).parent / "launch-ready"),
        "scan",
        str(repo),
        "--format",
        "json",
        "--output",
        os.devnull,
        "--exit-zero",
    ]
    gitleaks = [
        _tool("gitleaks"),
        "dir",
        str(repo),
        "--no-banner",
        "--exit-code",
        "0",
        "--report-format",
        "json",
        "--report-path",
        tempfile.gettempdir() + "/gitleaks-bench-js-report.json",  # never /dev/null: gitleaks deletes it first
    ]
    semgrep = [
        _tool("semgrep"),
        "scan",
        "--metrics=off",
        "--disable-version-check",
        "--quiet",
        "--json",
        "--output",
        os.devnull,
        "-j",
        "2",
        "--config",
        str(peer_rules),
        str(repo),
    ]
    return [
        Series("launch-ready scan", ours),
        Series("gitleaks dir", gitleaks),
        Series("semgrep (peer rules)", semgrep),
    ]


def main() -> None:
    """Run the benchmark and print a Markdown table with the sum row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=BENCH / "corpus" / "ai-chatbot")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer-rules", type=Path, default=PEER_RULES)
    args = parser.parse_args()
    if not (args.repo / "package.json").exists():
        raise SystemExit(f"{args.repo}: not a checkout of vercel/ai-chatbot (see the usage in this file)")
    os.environ["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
    os.environ["SEMGREP_SEND_METRICS"] = "off"
    if not args.peer_rules.is_file():  # semgrep would exit 7 in seconds and look fast
        raise SystemExit(f"peer rules not found: {args.peer_rules} (pass --peer-rules FILE)")
    series = commands(args.repo.resolve(), args.peer_rules.resolve())
    alternate(series, args.runs)
    commit = subprocess.run(
        ["git", "-C", str(args.repo), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    ours, leaks, sg = (s.median("wall") for s in series)
    ours_cpu, leaks_cpu, sg_cpu = (s.median("cpu") for s in series)
    print(f"repository: vercel/ai-chatbot @ {commit or '?'}, {args.runs} runs, {os.cpu_count()} cores\n")
    print(table(series, "launch-ready scan"))
    print(f"| gitleaks + semgrep (sum) | {leaks + sg:.2f} | | {ours / (leaks + sg):.2f}x | "
          f"{leaks_cpu + sg_cpu:.2f} | {ours_cpu / (leaks_cpu + sg_cpu):.2f}x | | | |")


if __name__ == "__main__":
    main()
