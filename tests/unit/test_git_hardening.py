"""A hostile repository cannot make a tree, history or staged scan run a program (DESIGN.md section 6).

Each vector configures the repository to run ``evil.sh``, which writes a canary file. A sanity check first
shows that plain git does run it (so the test proves something), then the three scans must leave no canary.
"""

from __future__ import annotations

import os
import pty
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner import git as hardened
from tests.conftest import run_cli
from tests.e2e.gitrepo import IDENTITY, commit_files, fake_openai_key, git, init_repo, use_standin_engines

Setter = Callable[[str, str], None]
Setup = Callable[[Path, Path, Setter], list[str]]


@pytest.fixture(autouse=True)
def engines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Engines never run git; the secrets engine and a stand-in code engine keep these tests about git."""
    use_standin_engines(monkeypatch)


def _evil(tmp: Path) -> Path:
    script = tmp / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch '{tmp / 'CANARY'}'\ncat \"$@\" 2>/dev/null\nexit 0\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def _repo_with_history(tmp: Path) -> Path:
    repo = init_repo(tmp / "repo")
    commit_files(repo, {"app.py": "print('hello')\n", "notes.txt": "x\n"}, "one")
    commit_files(repo, {"app.py": "print('hello again')\n"}, "two")
    (repo / "app.py").write_text("print('staged change')\n")
    git(repo, "add", "app.py")
    (repo / "app.py").write_text("print('work tree change')\n")
    return repo


def fsmonitor(repo: Path, evil: Path, config: Setter) -> list[str]:
    git(repo, "config", "core.fsmonitor", str(evil))
    return ["status"]


def pager(repo: Path, evil: Path, config: Setter) -> list[str]:
    git(repo, "config", "core.pager", str(evil))
    return ["-p", "log", "-1"]


def external_diff(repo: Path, evil: Path, config: Setter) -> list[str]:
    git(repo, "config", "diff.external", str(evil))
    return ["diff", "HEAD~1", "HEAD"]


def textconv(repo: Path, evil: Path, config: Setter) -> list[str]:
    (repo / ".gitattributes").write_text("*.py diff=evil\n")
    git(repo, "config", "diff.evil.textconv", str(evil))
    commit_files(repo, {"app.py": "print('textconv')\n"}, "attributes")
    return ["log", "-p", "-2"]


def filter_driver(repo: Path, evil: Path, config: Setter) -> list[str]:
    (repo / ".gitattributes").write_text("*.py filter=evil\n")
    for key in ("clean", "smudge"):
        git(repo, "config", f"filter.evil.{key}", str(evil))
    git(repo, "config", "filter.evil.process", str(evil))
    config("filter.evil.required", "false")
    (repo / "app.py").write_text("print('filtered')\n")
    return ["diff", "--stat"]


def signature(repo: Path, evil: Path, config: Setter) -> list[str]:
    config("log.showSignature", "true")
    git(repo, "config", "gpg.program", str(evil))
    _signed_commit(repo)
    return ["log", "-1"]


def hooks(repo: Path, evil: Path, config: Setter) -> list[str]:
    for name in ("pre-commit", "post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc"):
        target = repo / ".git" / "hooks" / name
        target.write_text(evil.read_text())
        target.chmod(0o755)
    return ["commit", "-q", "--allow-empty", "-m", "hooked"]


def hooks_path(repo: Path, evil: Path, config: Setter) -> list[str]:
    folder = evil.parent / "hooks"
    folder.mkdir()
    for name in ("pre-commit", "post-index-change"):
        (folder / name).write_text(evil.read_text())
        (folder / name).chmod(0o755)
    git(repo, "config", "core.hooksPath", str(folder))
    return ["commit", "-q", "--allow-empty", "-m", "hooked"]


def _signed_commit(repo: Path) -> None:
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    parent = git(repo, "rev-parse", "HEAD").strip()
    body = (
        f"tree {tree}\nparent {parent}\nauthor T <t@example.com> 1700000000 +0000\n"
        "committer T <t@example.com> 1700000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n"
    )
    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo,
            input=body.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    git(repo, "update-ref", "HEAD", sha)


VECTORS: list[Setup] = [
    fsmonitor,
    pager,
    external_diff,
    textconv,
    filter_driver,
    signature,
    hooks,
    hooks_path,
]


def _setter(repo: Path, tmp: Path, via_include: bool) -> Setter:
    """Write config to the repository's ``.git/config``, or to a file it pulls in with ``include.path``."""
    target = tmp / "included.gitconfig"
    if via_include:
        git(repo, "config", "include.path", str(target))

    def setter(key: str, value: str) -> None:
        git(repo, "config", *(["--file", str(target)] if via_include else []), key, value)

    return setter


def _plain_git(repo: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, **IDENTITY})
    if args[:1] == ["-p"]:  # git pages only to a terminal
        main, side = pty.openpty()
        subprocess.run(["git", *args], cwd=repo, env=env, stdout=side, stderr=side, check=False, timeout=60)
        os.close(main)
        os.close(side)
        return
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=False, timeout=60)


@pytest.mark.parametrize("via_include", [False, True], ids=["config", "include.path"])
@pytest.mark.parametrize("setup", VECTORS, ids=lambda v: v.__name__)
def test_no_scan_runs_a_program_the_repository_names(setup: Setup, via_include: bool, tmp_path: Path) -> None:
    repo = _repo_with_history(tmp_path)
    evil = _evil(tmp_path)
    canary = tmp_path / "CANARY"
    trigger = setup(repo, evil, _setter(repo, tmp_path, via_include))
    _plain_git(repo, trigger)
    assert canary.exists(), "sanity: plain git runs the repository's program"
    canary.unlink()
    for flags in (["--history"], ["--staged"], [], ["--since", "HEAD~1"]):
        code, out = run_cli("scan", str(repo), "--format", "json", "--exit-zero", "--jobs", "1", *flags)
        assert code in (0, 1), out
        assert not canary.exists(), f"scan {flags} ran the repository's program"


def test_a_committed_key_is_found_despite_every_vector(tmp_path: Path) -> None:
    repo = _repo_with_history(tmp_path)
    evil = _evil(tmp_path)
    for setup in (fsmonitor, pager, external_diff, textconv, filter_driver, signature, hooks):
        setup(repo, evil, _setter(repo, tmp_path, False))
    (tmp_path / "CANARY").unlink(missing_ok=True)
    key = fake_openai_key(21)
    (repo / "k.py").write_text(f"K = '{key}'\n")
    _plain_git(repo, ["add", "k.py"])
    _plain_git(
        repo, ["-c", "core.hooksPath=/dev/null", "-c", "filter.evil.process=", "commit", "-q", "-m", "k"]
    )
    (tmp_path / "CANARY").unlink(missing_ok=True)
    _plain_git(repo, ["-c", "core.hooksPath=/dev/null", "rm", "-q", "k.py"])
    _plain_git(repo, ["-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "rm"])
    (tmp_path / "CANARY").unlink(missing_ok=True)
    code, out = run_cli("scan", str(repo), "--history", "--secrets-only", "--format", "json", "--jobs", "1")
    assert code == 1, out
    assert '"path": "k.py"' in out
    assert not (tmp_path / "CANARY").exists()


def test_every_git_call_gets_the_overrides_and_a_clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", "evil")
    env = hardened.hardened_env()
    assert "GIT_DIR" not in env and "GIT_EXTERNAL_DIFF" not in env
    assert env["GIT_NO_REPLACE_OBJECTS"] == "1" and env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert env["GIT_GRAFT_FILE"] == os.devnull
    argv = hardened.git_argv("log")
    for key in (
        "core.fsmonitor=false",
        "core.pager=cat",
        "diff.external=",
        "log.showSignature=false",
        "gpg.program=false",
        f"core.hooksPath={os.devnull}",
        "protocol.allow=never",
    ):
        assert key in argv
    assert argv[-1] == "log" and "--no-replace-objects" in argv
