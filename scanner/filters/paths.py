"""Path excludes: the config's gitignore-style ``exclude`` globs, matched in bounded time (RE2)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from scanner.config import compile_re2
from scanner.errors import ConfigError

T = TypeVar("T")


_PLAIN_NAME = re.compile(r"[\w.-]+")


class _NameMatch:
    """A glob that is a plain name (no ``/`` or wildcard): in git's semantics it matches a file or folder of
    that name at any depth. Matched without RE2, so the default baseline-name excludes cost no import."""

    def __init__(self, name: str) -> None:
        self.name = name

    def search(self, path: str) -> bool | None:
        return True if self.name in path.split("/") else None


class PathExcluder:
    """Decides whether a scan-relative path (``/`` separators) is excluded by gitignore-style globs.

    The globs are translated by :mod:`scanner.sources.ignore` (git's wildmatch semantics: ``*``, ``**``, a
    leading ``/`` anchors, a trailing ``/`` names a folder, ``!`` re-includes; the last matching glob wins) and
    run by RE2, so that a repository's config cannot make matching slow. A glob matches a path or one of its
    folders.

    Raises:
        ConfigError: a glob is invalid.
    """

    def __init__(self, globs: Iterable[str]) -> None:
        self._rules: list[tuple[Any, bool]] = []
        for glob in globs:
            if _PLAIN_NAME.fullmatch(glob):
                self._rules.append((_NameMatch(glob), True))
                continue
            from scanner.sources.ignore import parse_line  # lazy: hook start-up

            pattern = parse_line(glob)
            if pattern is None:
                continue
            tail = "/.*$" if pattern.dir_only else "(?:/.*)?$"
            try:
                self._rules.append((compile_re2(pattern.regex[:-1] + tail), not pattern.negated))
            except ValueError as exc:
                raise ConfigError(f"exclude: invalid glob {glob!r}: {exc}") from None

    def __bool__(self) -> bool:
        return bool(self._rules)

    def excluded(self, path: str) -> bool:
        """True when the last glob that matches ``path`` (or one of its folders) excludes it."""
        verdict = False
        # a non-UTF-8 file name arrives with lone surrogates (surrogateescape); RE2 needs valid UTF-8
        path = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        for regex, include in self._rules:
            if regex.search(path) is not None:
                verdict = include
        return verdict

    def keep(self, items: Iterable[T], path_of: Callable[[T], str]) -> list[T]:
        """The items whose path is not excluded."""
        return [item for item in items if not self.excluded(path_of(item))]
