"""Benchmark: listing a 30-deep tree under a hostile ``.gitignore`` (nested ``**/``, ``a*a*...b`` chains).

Usage: ``python bench/bench_gitignore.py DIR [--quick]``. Builds the tree in DIR (which must not exist), then
times launch-ready's listing outside git and inside git. Without ``--quick`` it also times the backtracking
matchers this replaces (pathspec / Python ``re``, and git's own ``ls-files --exclude-standard``), each under a
timeout. Results go in docs/benchmarks.md; no timing is asserted anywhere.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

DEPTH = 30
NAME = "a" * 40


def hostile_patterns() -> list[str]:
    chains = ["*".join("a" * n) + "*b" for n in (8, 12, 16)]
    nested = ["/".join(["**"] * n) + "/b" for n in (5, 10, 20)]
    mixed = ["**/" + "a*" * 15 + "b/**/" + "a*" * 15 + "c"]
    return chains + nested + mixed + ["!" + chains[-1]]


def build(top: Path) -> None:
    folder = top
    for depth in range(DEPTH + 1):
        folder.mkdir(parents=True)
        (folder / (NAME + "z")).write_text(f"level {depth}\n")
        if depth < DEPTH:
            folder = folder / NAME
    (top / ".gitignore").write_text("\n".join(hostile_patterns()) + "\n")


def timed(label: str, func: object, *args: object) -> object:
    started = time.perf_counter()
    out = func(*args)  # type: ignore[operator]
    print(f"{label}: {time.perf_counter() - started:.3f} s")
    return out


def external(label: str, argv: list[str], cwd: Path, limit: float) -> None:
    started = time.perf_counter()
    try:
        subprocess.run(argv, cwd=cwd, capture_output=True, timeout=limit, check=False)
        print(f"{label}: {time.perf_counter() - started:.3f} s")
    except subprocess.TimeoutExpired:
        print(f"{label}: did not finish in {limit:.0f} s (killed)")


def main() -> int:
    from scanner.sources.worktree import list_paths

    top = Path(sys.argv[1])
    build(top)
    paths, _ = timed("launch-ready listing, no git", list_paths, top)
    print(f"files listed: {len(paths)}")  # type: ignore[arg-type]
    if "--quick" in sys.argv:
        return 0
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    timed("launch-ready listing, in git (untracked)", list_paths, top)
    code = ("import pathspec, os, sys; spec = pathspec.GitIgnoreSpec.from_lines(open(sys.argv[1] + '/.gitignore'));"
            "print(sum(1 for d, _, fs in os.walk(sys.argv[1]) for f in fs if not spec.match_file("
            "os.path.relpath(os.path.join(d, f), sys.argv[1]))))")
    external("pathspec (Python re, backtracking)", [sys.executable, "-c", code, str(top)], top, 60)
    external("git ls-files --others --exclude-standard", ["git", "ls-files", "--others", "--exclude-standard"],
             top, 60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
