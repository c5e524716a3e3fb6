"""The pre-commit hooks: the manifest validates; real pre-commit in a scratch repository blocks a staged key.

The end-to-end tests need no network: a ``repo: local`` hook (``language: system``) whose entry is the
``launch-ready`` installed next to this Python. ``try-repo`` installs the package itself and so needs a
package index; it skips with the reason when none answers within a short timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.gitrepo import IDENTITY, fake_openai_key, real_engine_ready

BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
LAUNCH_READY = shutil.which("launch-ready", path=str(BIN)) or shutil.which("launch-ready")

pytestmark = [
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install -e .[dev])"),
    pytest.mark.skipif(LAUNCH_READY is None, reason="the launch-ready console script is not installed"),
    pytest.mark.skipif(
        not real_engine_ready(), reason="the secrets engine (scanner.engines.secrets) is missing"
    ),
]

CONFIG = """\
repos:
- repo: local
  hooks:
  - id: launch-ready-secrets
    name: launch-ready secrets
    entry: {entry} scan --staged --secrets-only
    language: system
    pass_filenames: false
    always_run: true
    require_serial: true
    stages: [pre-commit, pre-push, manual]
"""


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "PRE_COMMIT_HOME": str(tmp / "cache"),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "NO_COLOR": "1",
            **IDENTITY,
        }
    )
    return env


def _run(repo: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv), cwd=repo, env=_env(repo.parent), capture_output=True, text=True, timeout=300, check=False
    )


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(repo, "git", "-c", "commit.gpgsign=false", *args)


@pytest.fixture
def hooked(tmp_path: Path) -> Path:
    """A repository with one clean commit and the secrets hook installed by ``pre-commit install``."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / ".pre-commit-config.yaml").write_text(CONFIG.format(entry=LAUNCH_READY))
    (repo / "app.py").write_text("import os\n\nKEY = os.environ['OPENAI_API_KEY']\n")
    _git(repo, "add", "-A")
    assert _git(repo, "commit", "-q", "--no-verify", "-m", "base").returncode == 0
    installed = _run(repo, str(PRE_COMMIT), "install")
    assert installed.returncode == 0, installed.stderr
    return repo


def test_manifest_validates() -> None:
    proc = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_commit_with_a_staged_key_is_refused_naming_file_line_and_type(hooked: Path) -> None:
    key = fake_openai_key(51)
    (hooked / "app.py").write_text(f"import os\n\nKEY = os.environ['OPENAI_API_KEY']\nBACKUP = '{key}'\n")
    _git(hooked, "add", "app.py")
    proc = _git(hooked, "commit", "-m", "add a key")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "app.py" in output and "line 4" in output and "OpenAI API key" in output
    assert key not in output and f"{key[:4]}…{key[-2:]}" in output
    assert _git(hooked, "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_a_clean_commit_passes(hooked: Path) -> None:
    (hooked / "app.py").write_text("import os\n\nKEY = os.environ.get('OPENAI_API_KEY', '')\n")
    _git(hooked, "add", "app.py")
    proc = _git(hooked, "commit", "-m", "clean")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _git(hooked, "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_a_key_staged_then_deleted_from_the_working_copy_still_blocks(hooked: Path) -> None:
    (hooked / "settings.py").write_text(f"OPENAI_API_KEY = '{fake_openai_key(52)}'\n")
    _git(hooked, "add", "settings.py")
    (hooked / "settings.py").unlink()
    proc = _git(hooked, "commit", "-m", "sneaky")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "settings.py" in output and "line 1" in output
    assert not (hooked / "settings.py").exists(), "pre-commit restores the working copy as it was"


@pytest.mark.parametrize("how", [("-a",), ("app.py",)], ids=["commit -a", "commit PATH"])
def test_commit_a_and_commit_path_are_scanned_through_the_temporary_index(hooked: Path,
                                                                           how: tuple[str, ...]) -> None:
    # git gives these hooks a temporary index (GIT_INDEX_FILE): the key is in it, not in .git/index
    (hooked / "app.py").write_text(f"import os\n\nKEY = '{fake_openai_key(53)}'\n")
    proc = _git(hooked, "commit", "-m", "add a key", *how)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "app.py" in output and "line 3" in output
    assert _git(hooked, "rev-list", "--count", "HEAD").stdout.strip() == "1"


@pytest.fixture
def pushing(hooked: Path) -> Path:
    """``hooked`` with the pre-push hook installed and a bare ``origin`` that has nothing yet."""
    remote = hooked.parent / "origin.git"
    _git(hooked.parent, "init", "-q", "--bare", str(remote))
    _git(hooked, "remote", "add", "origin", str(remote))
    assert _run(hooked, str(PRE_COMMIT), "install", "-t", "pre-push").returncode == 0
    return hooked


def test_a_first_push_with_the_root_commit_is_scanned(pushing: Path) -> None:
    (pushing / "settings.py").write_text(f"OPENAI_API_KEY = '{fake_openai_key(54)}'\n")
    _git(pushing, "add", "settings.py")
    assert _git(pushing, "commit", "-q", "--no-verify", "-m", "key").returncode == 0
    proc = _git(pushing, "push", "-q", "origin", "main")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "settings.py" in output and "SEC100" in output


def test_a_push_that_adds_and_removes_a_key_is_still_refused(pushing: Path) -> None:
    assert _git(pushing, "push", "-q", "--no-verify", "origin", "main").returncode == 0
    (pushing / "settings.py").write_text(f"OPENAI_API_KEY = '{fake_openai_key(55)}'\n")
    _git(pushing, "add", "settings.py")
    _git(pushing, "commit", "-q", "--no-verify", "-m", "key")
    _git(pushing, "rm", "-q", "settings.py")
    _git(pushing, "commit", "-q", "--no-verify", "-m", "oops")
    proc = _git(pushing, "push", "-q", "origin", "main")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output  # the net diff is empty: only always_run makes pre-commit call the hook
    assert "settings.py" in output and "SEC100" in output


def _index_reachable(tmp: Path) -> str | None:
    """None when pip can fetch a small package from its configured index within a short timeout, else why."""
    argv = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-cache-dir",
        "-q",
        "-d",
        str(tmp),
        "--timeout",
        "5",
        "--retries",
        "0",
        "click",
    ]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (subprocess.TimeoutExpired, OSError) as exc:
        return f"no package index reachable ({type(exc).__name__})"
    return None if proc.returncode == 0 else "no package index reachable: " + proc.stderr.strip()[:200]


@pytest.mark.network
@pytest.mark.slow
def test_try_repo_installs_and_runs_the_secrets_hook(tmp_path: Path) -> None:
    why = _index_reachable(tmp_path / "probe")
    if why:
        pytest.skip(why)
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "app.py").write_text(f"KEY = '{fake_openai_key(53)}'\n")
    _git(repo, "add", "app.py")
    proc = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(REPO), "launch-ready-secrets"],
        cwd=repo,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "app.py" in output and "OpenAI API key" in output
