"""Hook benchmark: `launch-ready scan --staged --secrets-only` (the `launch-ready-secrets` hook) vs
`gitleaks git --pre-commit --staged` and `detect-secrets-hook`, 5 staged files.

Usage:
    python bench/peers.py              # once (gitleaks into bench/tools/bin, detect-secrets into bench/tools/venv)
    python bench/bench_hook.py [--runs 20] [--importtime]

Builds a scratch repository with five Python modules (about 150 lines each), commits them, edits and stages
all five, then times the hooks hyperfine-style: two warm-up rounds (they also warm the key catalogue's rule
cache), then alternating runs, medians. Targets: issue 3, at most 0.35 s wall and no slower than
detect-secrets-hook; issue 11 (with the key catalogue), at most 0.45 s and no slower than gitleaks.
``--with-key`` also stages one catalogue-only key, so the catalogue's rule database is loaded in every run.
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

FILES = 5
_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@example.com",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@example.com",
}


def module(i: int, edited: bool) -> str:
    """A plausible Flask-ish module of about 150 lines."""
    body = [f'"""Module {i}."""', "import logging", "import os", "", "log = logging.getLogger(__name__)", ""]
    for j in range(24):
        body += [
            f"def handler_{i}_{j}(request):",
            f'    """Handle request {j}."""',
            f"    value = request.args.get('q{j}', '')",
            "    if not value:",
            "        return {'ok': False}",
            f"    return {{'ok': True, 'n': {j}, 'key': os.environ.get('API_KEY_{j}')}}",
            "",
        ]
    if edited:
        body += ["", f"SETTING_{i} = os.environ.get('SETTING_{i}', 'default')"]
    return "\n".join(body) + "\n"


def scratch_repo(root: Path, with_key: bool = False) -> list[str]:
    """The repository with a staged 5-file change; returns the file names."""
    env = {**os.environ, **_ENV}
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    names = [f"app/mod{i}.py" for i in range(FILES)]
    (root / "app").mkdir()
    for i, name in enumerate(names):
        (root / name).write_text(module(i, edited=False))
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-qm", "base"], cwd=root, check=True, env=env
    )
    for i, name in enumerate(names):
        (root / name).write_text(module(i, edited=True))
    if with_key:  # a fake DigitalOcean token (dop_v1_ + 64 hex), built here, never stored
        with (root / names[0]).open("a") as handle:
            handle.write('DO_TOKEN = "dop_v1_' + "".join(f"{(i * 7919) % 16:x}" for i in range(64)) + '"\n')
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    return names


def tool(name: str) -> str:
    """A console script from bench/tools/venv, else next to this Python, else on PATH."""
    for folder in (Path(__file__).resolve().parent / "tools" / "venv" / "bin", Path(sys.executable).parent):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found; run python bench/peers.py")
    return found


def main() -> None:
    """Build the repository, run both hooks alternately, print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--importtime", action="store_true", help="also print our 15 slowest imports")
    parser.add_argument("--with-key", action="store_true", help="stage a catalogue-only key too")
    args = parser.parse_args()
    # A user's installed package has its bytecode cached; with PYTHONDONTWRITEBYTECODE set (as on some CI and
    # sandbox machines) every run recompiles ~50 modules (~0.1 s), which measures the machine, not the hook.
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None):
        print("note: PYTHONDONTWRITEBYTECODE unset for the children, so both tools run from cached bytecode")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        names = scratch_repo(repo, args.with_key)
        ours = str(Path(sys.executable).parent / "launch-ready")
        series = [
            Series("launch-ready scan --staged --secrets-only", [ours, "scan", "--staged", "--secrets-only"]),
            Series("gitleaks git --pre-commit --staged", [str(gitleaks()), "git", "--pre-commit", "--staged",
                                                          "--no-banner", "--exit-code", "0", "."]),
            Series("detect-secrets-hook (5 files)", [tool("detect-secrets-hook"), *names]),
        ]
        cwd = os.getcwd()
        os.chdir(repo)
        try:
            alternate(series, 2, warmup=False)
            for s in series:
                s.runs.clear()
            alternate(series, args.runs, warmup=False)
        finally:
            os.chdir(cwd)
        print(
            f"{FILES} staged Python files, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
            f"{args.runs} runs each (median)\n"
        )
        print(table(series, series[0].name))
        if args.importtime:
            out = subprocess.run(
                [sys.executable, "-X", "importtime", "-m", "scanner", "scan", "--staged", "--secrets-only"],
                cwd=repo,
                capture_output=True,
                text=True,
            ).stderr
            rows = [
                r
                for r in out.splitlines()
                if r.startswith("import time:") and r.split("|")[1].strip().isdigit()
            ]
            rows.sort(key=lambda r: int(r.split("|")[1]), reverse=True)
            print("\nslowest imports (cumulative µs):\n" + "\n".join(rows[:15]))


if __name__ == "__main__":
    main()
