"""Configuration: ``[tool.launch-ready]`` in pyproject.toml, ``.launch-ready.toml`` or ``--config``; CLI wins."""

from __future__ import annotations

from dataclasses import dataclass, field


class ConfigError(Exception):
    """A config file cannot be read or has a value of the wrong type; the message is one line."""


@dataclass(frozen=True)
class SecretPattern:
    """A user-supplied secret pattern: ``name``, ``regex`` (run on a bounded-time engine), ``severity``."""

    name: str
    regex: str
    severity: str = "high"


@dataclass(frozen=True)
class Config:
    """The effective configuration. Every field has a safe default; see the README for each key.

    ``exclude`` are gitignore-style globs; ``select`` / ``ignore`` hold rule codes or slugs; ``severity``
    maps a rule code or slug to a severity name; the ``auth-*`` lists name decorators, middleware and
    helpers that count as authentication; ``public_routes`` are URL path globs that need none.
    """

    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str = "low"
    auth_decorators: tuple[str, ...] = ()
    auth_middleware: tuple[str, ...] = ()
    auth_helpers: tuple[str, ...] = ()
    public_routes: tuple[str, ...] = ()
    sensitive_names: tuple[str, ...] = ()
    patterns: tuple[SecretPattern, ...] = ()
    no_config: bool = False
    source: str = "defaults"
    warnings: tuple[str, ...] = field(default=())
