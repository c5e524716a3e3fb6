"""One exception hierarchy for the package; ``cli.py`` is the one boundary that turns these into exit codes.

Every error here carries a one-line message meant for the user (no traceback unless ``--debug``) and maps
to exit code 2. Messages must never contain a secret (the CLI scrubs them again before printing).
"""

from __future__ import annotations


class LaunchReadyError(Exception):
    """Base of every error the scanner raises on purpose; the message is one line for the user."""


class UsageError(LaunchReadyError):
    """The command line asks for something impossible (bad path, conflicting modes, unwritable output)."""


class ConfigError(LaunchReadyError):
    """A config file cannot be read or has a value of the wrong type."""


class BaselineError(ConfigError):
    """A baseline file cannot be read or is in no known format."""


class ScanError(LaunchReadyError):
    """The scan cannot start (bad path, not a git repository for --history, ...)."""


class GitError(LaunchReadyError):
    """A git command failed, timed out, or git is not installed."""


class SemgrepError(LaunchReadyError):
    """semgrep is missing, crashed or printed no JSON."""


class ReportTooLarge(LaunchReadyError):
    """The SARIF log exceeds a GitHub upload limit (results per run, gzip size, locations, tags)."""
