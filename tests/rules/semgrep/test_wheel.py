"""The built wheel ships the semgrep rules inside the package, and the engine finds them there."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def _can_build() -> bool:
    try:
        import build  # noqa: F401
        import setuptools
        import wheel  # noqa: F401
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 68


@pytest.mark.slow
@pytest.mark.skipif(not _can_build(), reason="offline wheel build needs build, wheel and setuptools>=68")
def test_wheel_contains_rules_and_engine_loads_them(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("scanner", "rules"):
        shutil.copytree(REPO / folder, src / folder, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path / "dist"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (whl,) = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(whl).namelist()
    yamls = sorted(n for n in names if n.startswith("scanner/rules_data/semgrep/") and n.endswith(".yaml"))
    assert len(yamls) == len(list((REPO / "rules" / "semgrep").glob("*.yaml")))
    assert not any(n.startswith("rules/") for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(whl).extractall(site)
    code = (
        "from scanner.engines.semgrep import SemgrepEngine, runner; print(runner.rules_dir()); "
        "print(len(SemgrepEngine().rules()))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    ).stdout.split()
    assert out[0] == str(site / "scanner" / "rules_data" / "semgrep")
    assert int(out[1]) >= 15
