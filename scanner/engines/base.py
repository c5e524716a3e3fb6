"""The engine protocol: what every engine receives (a ScanContext) and returns (an EngineOutput)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from scanner.config import Config
from scanner.model import Finding, Fragment, Notification, RouteInfo, Rule, ScanFile


@dataclass(frozen=True)
class ScanContext:
    """What an engine scans: the root, the files read once by the source, secret fragments (history,
    staged additions) and the effective config. ``mode`` is ``tree``, ``staged``, ``history`` or ``since``.
    ``families`` limits which rule families run (the secrets-only hook passes ``("secrets",)``)."""

    root: Path
    files: tuple[ScanFile, ...]
    config: Config
    mode: str = "tree"
    fragments: tuple[Fragment, ...] = ()
    families: tuple[str, ...] = ("secrets", "client-exposure", "auth", "logging", "cors", "launch")
    jobs: int = 1
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class EngineOutput:
    """An engine's findings (fingerprint not yet set), notifications, and the routes it found (the inventory)."""

    findings: tuple[Finding, ...] = ()
    notifications: tuple[Notification, ...] = ()
    routes: tuple[RouteInfo, ...] = ()


class Engine(Protocol):
    """An engine turns files or fragments into findings; it never prints and never exits."""

    name: str

    def rules(self) -> tuple[Rule, ...]:
        """Every rule this engine can report (for ``launch-ready rules`` and SARIF ``tool.driver.rules``)."""
        ...

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Scan ``ctx`` and return findings and notifications. Must not raise for bad input files."""
        ...
