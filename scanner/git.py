"""The one place git runs: hardened options that neutralise repository-controlled execution, timeouts, errors.

A scanned repository's ``.git/config``, ``.gitattributes``, hooks and refs are attacker-controlled
(DESIGN.md section 6). Every git command goes through :func:`run_git` or :func:`popen_git`, which:

* strip the caller's ``GIT_*`` environment and set a clean one (no system or global config, no pager,
  no terminal prompt, no replace objects, no grafts (``GIT_GRAFT_FILE``), no system attributes, no external
  diff, no askpass), so history is read as committed. The one variable kept is ``GIT_INDEX_FILE``: git sets
  it for the pre-commit hook of ``git commit -a`` and ``git commit PATH`` (a temporary index holds what the
  commit will contain), and it comes from the user's git, not from the scanned repository;
* pass ``-c`` overrides, which win over anything the repository's config or its ``include.path`` files set,
  for every key that makes git execute a program: ``core.fsmonitor``, ``core.hooksPath``, ``core.pager``,
  ``core.sshCommand``, ``core.gitProxy``, ``core.askPass``, ``diff.external``, ``gpg.program`` (and the
  ssh/x509 variants), ``log.showSignature``, ``protocol.allow``, ``submodule.recurse``, ``gc.auto``;
* never call a porcelain that runs filters or textconv on work-tree files (``status``, ``diff`` against
  the work tree): blobs are read with ``cat-file --batch`` and compared in Python; diff commands get
  ``--no-ext-diff --no-textconv``. ``tests/unit/test_git_hardening.py`` proves each vector with a canary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import weakref
from pathlib import Path
from typing import IO

from scanner.errors import GitError as GitError

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
    ("core.attributesFile", os.devnull),
    ("core.excludesFile", os.devnull),  # a repository's own setting; a named pipe there blocks diff-index
    ("core.alternateRefsCommand", "false"),
    ("diff.external", ""),
    ("diff.noprefix", "false"),
    ("diff.mnemonicPrefix", "false"),
    ("diff.relative", "false"),
    ("diff.renames", "false"),
    ("diff.ignoreSubmodules", "all"),
    ("diff.srcPrefix", "a/"),
    ("diff.dstPrefix", "b/"),
    ("log.showSignature", "false"),
    ("log.showRoot", "true"),
    ("uploadpack.packObjectsHook", "false"),
    ("credential.helper", ""),
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


_STDERR: weakref.WeakKeyDictionary[subprocess.Popen[bytes], IO[bytes]] = weakref.WeakKeyDictionary()



def git_executable() -> str | None:
    """The path of the ``git`` program on PATH, or None when git is not installed."""
    return shutil.which("git")


def hardened_env() -> dict[str, str]:
    """The environment for a git child process: the caller's, without any ``GIT_*`` variable but
    ``GIT_INDEX_FILE`` (made absolute against the current directory, as git resolves it), plus ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    index = os.environ.get("GIT_INDEX_FILE")
    if index:
        env["GIT_INDEX_FILE"] = os.path.abspath(index)
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_GRAFT_FILE": os.devnull,
            "GIT_ATTR_NOSYSTEM": "1",
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
    """Start ``git ARGS`` in ``cwd`` for streaming: stdout is a pipe; stderr goes to a temporary file (so a
    chatty git can never block on a full stderr pipe) that :func:`finish` reads.

    The caller must read stdout to the end, then call :func:`finish`.

    Raises:
        GitError: git is missing or cannot be started.
    """
    import tempfile  # only streaming calls need it (keeps the hook's start-up light)

    errfile = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish(), which owns its lifetime
    try:
        proc = subprocess.Popen(
            git_argv(*args),
            cwd=str(cwd),
            env=hardened_env(),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=errfile,
        )
    except OSError as exc:
        errfile.close()
        raise GitError(f"cannot run git: {exc.strerror}") from None
    _STDERR[proc] = errfile
    return proc


def finish(proc: subprocess.Popen[bytes], what: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait for a streaming git process and raise if it failed.

    Raises:
        GitError: it exited non-zero or did not end within ``timeout`` seconds (it is then killed).
    """
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    stderr = b""
    errfile = _STDERR.pop(proc, None)
    if errfile is not None:
        errfile.seek(0)
        stderr = errfile.read(65536)
        errfile.close()
    if code is None:
        raise GitError(f"git {what} timed out after {timeout:.0f}s")
    if code != 0:
        raise GitError(f"git {what} failed: {_first_line(stderr)}")


def for_each_ref(root: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """``(object, refname)`` of every ref git can read, and the names of the refs it ignores as broken (a ref file
    holding no object name: git skips them with a ``warning: ignoring broken ref`` on stderr, which ``rev-list
    --all`` turns into a fatal error).

    Raises:
        GitError: git is missing, timed out, or failed.
    """
    try:
        proc = subprocess.run(git_argv("for-each-ref", "--format=%(objectname) %(refname)"), cwd=str(root),
                              env=hardened_env(), stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=DEFAULT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise GitError(f"git for-each-ref timed out after {DEFAULT_TIMEOUT:.0f}s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if proc.returncode != 0:
        raise GitError(f"git for-each-ref failed: {_first_line(proc.stderr)}")
    refs = []
    for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
        sha, _, ref = line.partition(" ")
        refs.append((sha, ref))
    prefix = "warning: ignoring broken ref "
    broken = [line[len(prefix):].strip() for line in proc.stderr.decode("utf-8", "surrogateescape").splitlines()
              if line.startswith(prefix)]
    return refs, broken


def _first_line(stderr: bytes) -> str:
    """The most telling line of git's stderr: the first ``fatal:`` or ``error:`` line, else the first line."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else "no error message"
