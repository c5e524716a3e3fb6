"""Configuration: ``[tool.launch-ready]`` in pyproject.toml, ``.launch-ready.toml``, ``--config``."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scanner import gitquery
from scanner.errors import ConfigError as ConfigError
from scanner.model import Severity
from scanner.sources.reading import read_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Config files, lowest precedence first; each layer overrides the keys it sets (DESIGN.md section 4).
PRECEDENCE = (
    "[tool.launch-ready] in pyproject.toml", ".launch-ready.toml", "--config FILE", "command-line flags",
)
OWN_FILE = ".launch-ready.toml"
PYPROJECT = "pyproject.toml"
MAX_CONFIG_BYTES = 1024 * 1024



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
    ``source`` names the files the values came from; ``warnings`` are one-line messages (unknown keys).
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
    #: Baseline file (relative to the scan root) applied when ``--baseline`` is not given.
    baseline: str | None = None
    source: str = "defaults"
    warnings: tuple[str, ...] = field(default=())
    #: ``select``, ``ignore`` and ``exclude`` as the config files set them, before the command line's flags are
    #: applied: a finding these drop is counted as suppressed by ``config``; one a flag drops is the user's own
    #: choice and is not.
    config_select: tuple[str, ...] = ()
    config_ignore: tuple[str, ...] = ()
    config_exclude: tuple[str, ...] = ()


#: TOML key (kebab-case) -> (Config field, kind). Kinds: ``strings``, ``string``, ``severity``,
#: ``severity-table``, ``patterns``.
KEYS: dict[str, tuple[str, str]] = {
    "exclude": ("exclude", "strings"),
    "select": ("select", "strings"),
    "ignore": ("ignore", "strings"),
    "severity": ("severity", "severity-table"),
    "fail-on": ("fail_on", "severity"),
    "auth-decorators": ("auth_decorators", "strings"),
    "auth-middleware": ("auth_middleware", "strings"),
    "auth-helpers": ("auth_helpers", "strings"),
    "public-routes": ("public_routes", "strings"),
    "sensitive-names": ("sensitive_names", "strings"),
    "patterns": ("patterns", "patterns"),
    "baseline": ("baseline", "string"),
}
PATTERN_KEYS = ("name", "regex", "severity")


def load_config(root: Path, config_file: Path | None = None, no_config: bool = False) -> Config:
    """The effective config for a scan of ``root`` (before command-line flags are applied).

    Layers, lowest first: defaults, the nearest ``[tool.launch-ready]`` in a pyproject.toml, the nearest
    ``.launch-ready.toml`` (both looked up from ``root`` to the git top level, or only in ``root`` outside
    git), then ``config_file``. With ``no_config`` (auditor mode) the repository's files are not read;
    an explicit ``config_file`` (the auditor's own) still is.

    Raises:
        ConfigError: a file cannot be read, is not TOML, or has a value of the wrong type.
    """
    layers: list[tuple[str, dict[str, Any]]] = []
    warnings: list[str] = []
    if not no_config:
        layers += discover(root, warnings)
    if config_file is not None:
        layers.append((str(config_file), _explicit_table(config_file)))
    config = Config(no_config=no_config, warnings=tuple(warnings))
    for name, table in layers:
        config = apply_table(config, table, name)
    sources = ", ".join(name for name, _ in layers) or "defaults"
    return replace(config, source=sources + (" (--no-config)" if no_config else ""),
                   config_select=config.select, config_ignore=config.ignore, config_exclude=config.exclude)


def discover(root: Path, warnings: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The repository's config tables as ``(file name for messages, table)``, lowest precedence first.
    A pyproject.toml that is not valid TOML and does not mention launch-ready adds a warning, not an error
    (it is someone else's file)."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for folder in search_folders(root):
        if OWN_FILE not in found and (folder / OWN_FILE).is_file():
            shown = _display(root, folder / OWN_FILE)
            found[OWN_FILE] = (shown, _read_toml(folder, OWN_FILE, shown))
        if PYPROJECT not in found and (folder / PYPROJECT).is_file():
            table = _pyproject_table(folder, _display(root, folder / PYPROJECT), warnings)
            if table is not None:
                found[PYPROJECT] = (_display(root, folder / PYPROJECT), table)
    return [found[name] for name in (PYPROJECT, OWN_FILE) if name in found]


def _pyproject_table(folder: Path, shown: str, warnings: list[str]) -> dict[str, Any] | None:
    try:
        return _tool_table(_read_toml(folder, PYPROJECT, shown))
    except ConfigError:
        text = read_file(folder, PYPROJECT, max_bytes=MAX_CONFIG_BYTES).text or ""
        if "launch-ready" in text:
            raise
        warnings.append(f"{shown}: not valid TOML; skipped (it has no launch-ready settings)")
        return None


def search_folders(root: Path) -> list[Path]:
    """``root`` and its parents up to the git top level (only ``root`` outside a git work tree)."""
    start = root.resolve()
    top = gitquery.repo_toplevel(start)
    if top is None:
        return [start]
    top = top.resolve()
    folders = [start]
    while folders[-1] != top and top in folders[-1].parents:
        folders.append(folders[-1].parent)
    return folders


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read_toml(folder: Path, name: str, shown: str) -> dict[str, Any]:
    """Parse ``folder/name`` read safely (no symlink, no FIFO, size cap); errors name it as ``shown`` (the
    name every other message about that file uses)."""
    result = read_file(folder, name, max_bytes=MAX_CONFIG_BYTES)
    if result.text is None or result.truncated:
        raise ConfigError(f"{shown}: cannot read config: {result.note}")
    try:
        return tomllib.loads(result.text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nesting level: a hostile file must not crash the scan
        raise ConfigError(f"{shown}: invalid TOML: nested too deeply") from None


def _tool_table(doc: dict[str, Any]) -> dict[str, Any] | None:
    tool = doc.get("tool")
    table = tool.get("launch-ready") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _explicit_table(path: Path) -> dict[str, Any]:
    """A ``--config FILE``: its ``[tool.launch-ready]`` table when it has one, else the whole file."""
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    real = path.resolve()  # the user's own file: a symlink (dotfiles) is fine here
    doc = _read_toml(real.parent, real.name, str(path))
    table = _tool_table(doc)
    return table if table is not None else doc


def apply_table(config: Config, table: dict[str, Any], source: str) -> Config:
    """``config`` with the keys of one TOML table applied (snake_case keys are accepted too).

    Unknown keys add a warning to ``config.warnings``.

    Raises:
        ConfigError: a value has the wrong type, names an unknown severity or is an invalid regex.
    """
    changes: dict[str, Any] = {}
    warnings = list(config.warnings)
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            warnings.append(f"{source}: unknown config key {raw_key!r} ignored")
            continue
        field_name, kind = KEYS[key]
        changes[field_name] = _convert(kind, value, f"{source}: {raw_key}", warnings)
    return replace(config, warnings=tuple(warnings), **changes)


def _convert(kind: str, value: Any, where: str, warnings: list[str]) -> Any:
    if kind == "strings":
        return _strings(value, where)
    if kind == "string":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: expected a non-empty string, got {_type(value)}")
        return value
    if kind == "severity":
        return _severity(value, where)
    if kind == "severity-table":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table of rule = severity, got {_type(value)}")
        return tuple(sorted((str(k), _severity(v, f"{where}.{k}")) for k, v in value.items()))
    return _patterns(value, where, warnings)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected an array of strings, got {_type(value)}")
    return tuple(value)


def _severity(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a severity name, got {_type(value)}")
    try:
        return Severity.parse(value).value
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _patterns(value: Any, where: str, warnings: list[str]) -> tuple[SecretPattern, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where}: expected an array of tables ([[patterns]]), got {_type(value)}")
    out = []
    for index, item in enumerate(value):
        here = f"{where}[{index}]"
        warnings += [f"{here}: unknown pattern key {k!r} ignored" for k in item if k not in PATTERN_KEYS]
        name, regex = item.get("name"), item.get("regex")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{here}: 'name' must be a non-empty string")
        if not isinstance(regex, str) or not regex:
            raise ConfigError(f"{here}: 'regex' must be a non-empty string")
        check_regex(regex, here)
        severity = _severity(item.get("severity", "high"), f"{here}.severity")
        out.append(SecretPattern(name.strip(), regex, severity))
    return tuple(out)


def check_regex(regex: str, where: str) -> None:
    """Compile ``regex`` with RE2 (linear time, no backreferences or lookaround).

    Raises:
        ConfigError: RE2 rejects it.
    """
    try:
        compile_re2(regex)
    except ValueError as exc:
        raise ConfigError(f"{where}: regex not supported by RE2 (linear-time engine): {exc}") from None


def compile_re2(regex: str) -> Any:
    """Compile ``regex`` with google-re2 (linear time in the input, so safe on a 10 MB line); positions of its
    matches are code-point offsets, like Python's ``re``.

    Raises:
        ValueError: RE2 rejects the pattern (the message is RE2's, decoded).
    """
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(regex, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        raise ValueError(text) from None


def _type(value: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a number", list: "an array",
            dict: "a table"}.get(type(value), type(value).__name__)
