"""Test helpers for history, staged and hook tests: throwaway git repositories, fake keys, a secrets stand-in.

Every commit sets its identity explicitly (CI has no global git config). Fake keys are built at test time:
random characters in OpenAI's project-key format (``sk-proj-`` + 74 + ``T3BlbkFJ`` + 74 of ``[A-Za-z0-9_-]``).
"""

from __future__ import annotations

import importlib
import os
import random
import re
import string
import subprocess
import sys
import types
from collections.abc import Iterable
from pathlib import Path

import pytest

from scanner.config import Config
from scanner.model import Finding, Fragment, Location, Notification, Rule, Severity
from scanner.redact import redact, secret_hash, snippet_of

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
}
_ALPHABET = string.ascii_letters + string.digits + "_-"


def fake_openai_key(seed: int) -> str:
    """A random string in OpenAI's project-key shape (never a real key)."""
    rng = random.Random(seed)
    part = "".join(rng.choice(_ALPHABET) for _ in range(74))
    tail = "".join(rng.choice(_ALPHABET) for _ in range(74))
    return f"sk-proj-{part}T3BlbkFJ{tail}"


def git(repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
    """Run plain git in ``repo`` (test setup only; the scanner itself goes through scanner.git)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    full_env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, **IDENTITY, **(env or {})})
    proc = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"git {args} failed: {proc.stderr}")
    return proc.stdout


def init_repo(path: Path) -> Path:
    """An empty repository on branch ``main``."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    return path


def commit_files(repo: Path, files: dict[str, str | None], message: str = "change") -> str:
    """Write (or, for None, delete) ``files``, stage everything and commit; returns the new commit SHA."""
    for rel, text in files.items():
        target = repo / rel
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


# --- a stand-in for the secrets engine until scanner.engines.secrets.scan_fragments lands -----------------
_RULE = Rule(
    "SEC100",
    "openai-api-key",
    "secrets",
    Severity.CRITICAL,
    "OpenAI API key",
    "doc",
    "rotate",
    (798,),
    engine="secrets",
)
_KEY = re.compile(r"sk-proj-[A-Za-z0-9_-]{20,}")


def _standin_findings(path: str, lines: Iterable[tuple[int, str]], commit: str | None) -> list[Finding]:
    out = []
    for number, text in lines:
        for match in _KEY.finditer(text):
            secret = match.group()
            out.append(
                Finding(
                    _RULE,
                    Location(path, number, match.start() + 1, number, match.end() + 1, commit),
                    f"OpenAI API key {redact(secret)}",
                    snippet_of(text, [secret]),
                    match_key=secret_hash(_RULE.id, secret),
                )
            )
    return out


def _scan_fragments(
    fragments: Iterable[Fragment], config: Config
) -> tuple[list[Finding], list[Notification]]:
    findings = []
    for fragment in fragments:
        findings += _standin_findings(fragment.path, fragment.lines, fragment.commit)
    return findings, []


class _StandinEngine:
    name = "secrets"

    def rules(self) -> tuple[Rule, ...]:
        return (_RULE,)

    def scan(self, ctx: object) -> object:
        from scanner.engines.base import EngineOutput

        findings = []
        for f in ctx.files:  # type: ignore[attr-defined]
            findings += _standin_findings(f.path, enumerate(f.text.splitlines(), 1), None)
        return EngineOutput(tuple(findings), ())


def real_engine_ready() -> bool:
    """True once the secrets engine offers ``scan_fragments`` and ``SecretsEngine``."""
    try:
        module = importlib.import_module("scanner.engines.secrets")
    except ImportError:
        return False
    return hasattr(module, "scan_fragments") and hasattr(module, "SecretsEngine")


def standin_module() -> types.ModuleType:
    """A module to put in ``sys.modules`` as ``scanner.engines.secrets`` while the real one is missing."""
    module = types.ModuleType("scanner.engines.secrets")
    module.scan_fragments = _scan_fragments  # type: ignore[attr-defined]
    module.SecretsEngine = _StandinEngine  # type: ignore[attr-defined]
    return module


def use_secrets_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real secrets engine when it is there, else the stand-in (same interface)."""
    if not real_engine_ready():
        monkeypatch.setitem(sys.modules, "scanner.engines.secrets", standin_module())


# --- a stand-in code engine: flags every ``def`` not preceded by ``@login_required`` (tests only) ---------
_AUTH = Rule(
    "AUTH303",
    "unauthenticated-route",
    "auth",
    Severity.MEDIUM,
    "Route without auth",
    "doc",
    "add auth",
    (306,),
    engine="standin",
)


class StandinCodeEngine:
    """Reports AUTH303 on each Python ``def`` without ``@login_required`` on the line above; fingerprinted by
    function name (like a real code rule: no line number)."""

    name = "standin"

    def rules(self) -> tuple[Rule, ...]:
        return (_AUTH,)

    def scan(self, ctx: object) -> object:
        from scanner.engines.base import EngineOutput

        findings = []
        for f in ctx.files:  # type: ignore[attr-defined]
            lines = f.text.splitlines()
            for number, line in enumerate(lines, 1):
                if line.startswith("def ") and (number < 2 or lines[number - 2] != "@login_required"):
                    name = line[4:].split("(")[0]
                    findings.append(
                        Finding(
                            _AUTH,
                            Location(f.path, number),
                            f"route {name} has no auth",
                            line,
                            context=name,
                            match_key=f"def {name}",
                        )
                    )
        return EngineOutput(tuple(findings), ())


def use_standin_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run only the secrets engine (real or stand-in) and the stand-in code engine."""
    from scanner import engines

    use_secrets_engine(monkeypatch)
    kept = {name: target for name, target in engines.ENGINES.items() if name in ("secrets", "patterns")}
    monkeypatch.setattr(engines, "ENGINES", {**kept, "standin": "tests.e2e.gitrepo:StandinCodeEngine"})
    if hasattr(engines, "ENGINE_FAMILIES"):
        monkeypatch.setitem(engines.ENGINE_FAMILIES, "standin", frozenset({"auth", "logging", "cors", "launch"}))
