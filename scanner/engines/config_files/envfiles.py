"""`.env*` files: public-prefixed secrets (EXP201), parsed by python-dotenv without interpolation."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from dotenv.parser import parse_stream

from scanner.engines.config_files.exposure import public_env_secret


@dataclass(frozen=True)
class EnvExposure:
    """One public-prefixed secret in an env file: variable ``name``, raw ``value`` (never printed whole),
    1-based ``line`` and the ``reason`` (``"secret-looking name"`` or ``"the value matches <code> <slug>"``)."""

    name: str
    value: str
    line: int
    reason: str


def env_exposures(text: str) -> Iterator[EnvExposure]:
    """Public-prefixed secrets in the text of a dotenv file, in file order.

    Uses python-dotenv's own parser (``dotenv.parser.parse_stream``), which never interpolates ``${VAR}``:
    values are data from the repository, and interpolation would pull the scanner's environment in.
    Malformed lines are skipped (python-dotenv reports them as bindings with ``error=True``).
    """
    for binding in parse_stream(io.StringIO(text)):
        if binding.error or binding.key is None:
            continue
        value = binding.value or ""
        reason = public_env_secret(binding.key, value)
        if reason is not None:
            line = _first_line(binding.original.string, binding.original.line)
            yield EnvExposure(binding.key, value, line, reason)


def _first_line(original: str, line: int) -> int:
    """The line of the binding itself: python-dotenv counts blank and comment lines before it into the
    binding's original text, so skip the leading lines that do not hold the assignment."""
    skipped = 0
    for raw in original.split("\n"):
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            break
        skipped += 1
    return line + skipped
