"""The one place git runs: hardened options that neutralise repository-controlled execution, timeouts, errors.

A scanned repository's ``.git/config``, ``.gitattributes``, hooks and refs are attacker-controlled
(DESIGN.md section 6). Every git command goes through :func:`run_git` or :func:`popen_git`, which:

* strip the caller's ``GIT_*`` environment and set a clean one (no system or global config, no pager,
  no terminal prompt, no replace objects, no external diff, no askpass);
* pass ``-c`` overrides, which win over anything the repository's config or its ``include.path`` files set,
  for every key that makes git execute a program: ``core.fsmonitor``, ``core.hooksPath``, ``core.pager``,
  ``core.sshCommand``, ``core.gitProxy``, ``core.askPass``, ``diff.external``, ``gpg.program`` (and the
  ssh/x509 variants), ``log.showSignature``, ``protocol.allow``, ``submodule.recurse``, ``gc.auto``;
* never call a porcelain that runs filters or textconv on work-tree files (``status``, ``diff`` against
  the work tree); diff commands get ``--no-ext-diff --no-textconv``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

DEFAULT_TIMEOUT = 120.0

#: ``-c`` overrides applied to every git invocation (command-line config has the highest precedence).
HARDENING_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("core.sshCommand", "false"),
    ("core.gitProxy", "false"),
    ("core.askPass", "false"),
    ("core.editor", "false"),
    ("core.untrackedCache", "false"),
    ("core.quotePath", "false"),
    ("core.useReplaceRefs", "false"),
    ("diff.external", ""),
    ("diff.noprefix", "false"),
    ("diff.mnemonicPrefix", "false"),
    ("diff.relative", "false"),
    ("diff.renames", "false"),
    ("log.showSignature", "false"),
    ("gpg.program", "false"),
    ("gpg.ssh.program", "false"),
    ("gpg.x509.program", "false"),
    ("gpg.openpgp.program", "false"),
    ("protocol.allow", "never"),
    ("submodule.recurse", "false"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    ("safe.directory", "*"),
    ("color.ui", "false"),
    ("i18n.logOutputEncoding", "UTF-8"),
)


class GitError(Exception):
    """A git command failed, timed out, or git is not installed. The message is one line for the user."""


def git_executable() -> str | None:
    """The path of the ``git`` program on PATH, or None when git is not installed."""
    return shutil.which("git")


def hardened_env() -> dict[str, str]:
    """The environment for a git child process: the caller's, without any ``GIT_*`` variable, plus ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_ASKPASS": "false",
            "SSH_ASKPASS": "false",
            "GIT_SSH_COMMAND": "false",
            "GIT_PROTOCOL_FROM_USER": "0",
            "GIT_ALLOW_PROTOCOL": "",
            "LC_ALL": "C",
        }
    )
    env.pop("GIT_EXTERNAL_DIFF", None)
    return env


def git_argv(*args: str) -> list[str]:
    """The full argv for ``git ARGS`` with the hardening overrides in front.

    Raises:
        GitError: git is not on PATH.
    """
    exe = git_executable()
    if exe is None:
        raise GitError("git is not installed or not on PATH")
    argv = [exe, "--no-pager", "--no-replace-objects"]
    for key, value in HARDENING_CONFIG:
        argv += ["-c", f"{key}={value}"]
    return [*argv, *args]


def run_git(
    cwd: Path | str,
    *args: str,
    timeout: float = DEFAULT_TIMEOUT,
    input: bytes | None = None,
    check: bool = True,
) -> bytes:
    """Run ``git ARGS`` in ``cwd`` with no terminal and return its stdout (bytes).

    Raises:
        GitError: git is missing, the command exceeded ``timeout`` seconds, or (with ``check``) exited
            non-zero; the message carries git's first stderr line.
    """
    argv = git_argv(*args)
    try:
        proc = subprocess.run(
            argv,
            cwd=str(cwd),
            env=hardened_env(),
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0] if args else ''} timed out after {timeout:.0f}s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0] if args else ''} failed: {_first_line(proc.stderr)}")
    return proc.stdout


def popen_git(cwd: Path | str, *args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    """Start ``git ARGS`` in ``cwd`` for streaming: stdout is a pipe, stderr is captured to a pipe.

    The caller must read stdout to the end, then ``wait()`` and check the return code (see
    :func:`finish`).

    Raises:
        GitError: git is missing or cannot be started.
    """
    try:
        return subprocess.Popen(
            git_argv(*args),
            cwd=str(cwd),
            env=hardened_env(),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None


def finish(proc: subprocess.Popen[bytes], what: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait for a streaming git process and raise if it failed.

    Raises:
        GitError: it exited non-zero or did not end within ``timeout`` seconds (it is then killed).
    """
    try:
        stderr = proc.stderr.read() if proc.stderr else b""
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise GitError(f"git {what} timed out after {timeout:.0f}s") from None
    if code != 0:
        raise GitError(f"git {what} failed: {_first_line(stderr)}")


def repo_toplevel(path: Path) -> Path | None:
    """The top-level folder of the git work tree containing ``path``, or None when it is not in one
    (or git is not installed)."""
    if git_executable() is None:
        return None
    try:
        out = run_git(path, "rev-parse", "--show-toplevel", timeout=30)
    except GitError:
        return None
    text = out.decode("utf-8", "surrogateescape").strip()
    return Path(text) if text else None


def ls_files(root: Path) -> list[str]:
    """Files under ``root`` that git tracks plus untracked files that are not ignored, relative to
    ``root`` with ``/`` separators (``git ls-files --cached --others --exclude-standard``; reads the index
    only, runs no filter). Submodule entries are included as paths (callers skip them).

    Raises:
        GitError: git failed.
    """
    out = run_git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate")
    return _split_z(out)


def ls_ignored(root: Path) -> list[str]:
    """Ignored, untracked paths under ``root``; a wholly ignored folder is one entry ending in ``/``.

    Raises:
        GitError: git failed.
    """
    out = run_git(root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")
    return _split_z(out)


def _split_z(out: bytes) -> list[str]:
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "no error message"
