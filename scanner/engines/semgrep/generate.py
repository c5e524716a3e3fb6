"""Lists inside ``rules/semgrep/*.yaml`` generated from the knowledge package, so the semgrep rules and the
Python analyses read one list.

A generated value is the ``regex:`` line right below a marker comment ``# generated: NAME`` (same
indentation); NAME is a key of :data:`GENERATORS`. ``python -m scanner.engines.semgrep.generate`` rewrites the
rule files in place; ``tests/rules/semgrep/test_generate.py`` fails when a file is stale."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from scanner.knowledge import js


def _model_hosts() -> str:
    return ".*(" + "|".join([*(re.escape(h) for h in js.MODEL_HOSTS_JS), js.MODEL_API_PATH_REGEX]) + ").*"


def _model_urls() -> str:
    names = (re.escape(h) for h in (*js.MODEL_HOSTS_JS, *js.MODEL_URL_CONSTANTS))
    return ".*(" + "|".join(names) + ")"


def _log_objects() -> str:
    return "(?i)^(" + "|".join(js.LOG_OBJECTS) + ")$"


def _log_levels() -> str:
    return "^(" + "|".join(js.LOG_LEVELS) + ")$"


#: Marker name -> the regex it stands for (from :mod:`scanner.knowledge.js`).
GENERATORS: dict[str, Callable[[], str]] = {
    "model-hosts": _model_hosts,
    "model-urls": _model_urls,
    "log-objects": _log_objects,
    "log-levels": _log_levels,
}
_MARKER = re.compile(r"^(?P<indent>[ \t]*)# generated: (?P<name>[\w-]+)[^\n]*\n(?P<line>(?P=indent)[^\n]*)$", re.M)
#: In a ``pattern:`` line, the constant-string regex semgrep matches after constant propagation:
#: ``fetch("=~/.*(HOSTS).*/", ...)``; the generated regex goes between ``=~/`` and ``/``.
_STRING_REGEX = re.compile(r'(?<="=~/)[^"]*(?=/")')


def render(yaml_text: str) -> str:
    """``yaml_text`` with every generated value recomputed: the whole value of a ``regex:`` line, or the
    ``"=~/.../"`` string regex inside a ``pattern:`` line; raises KeyError for an unknown marker and
    ValueError for a marker above a line of neither kind."""
    def fill(found: re.Match[str]) -> str:
        value = GENERATORS[found.group("name")]()
        head = found.group(0).split("\n", 1)[0]
        line = found.group("line")
        if line.lstrip().startswith("regex:"):
            return f"{head}\n{found.group('indent')}regex: {value}"
        if _STRING_REGEX.search(line) is None:
            raise ValueError(f"generated marker above a line with no regex: {line.strip()}")
        return f"{head}\n" + _STRING_REGEX.sub(lambda _m: value, line, count=1)

    return _MARKER.sub(fill, yaml_text)


def markers(yaml_text: str) -> list[str]:
    """Names of the generated values in ``yaml_text``, in order."""
    return [m.group("name") for m in _MARKER.finditer(yaml_text)]


def main(argv: list[str] | None = None) -> int:
    """Rewrite the rule files under ``argv[0]`` (default ``rules/semgrep``); prints the files changed."""
    folder = Path((argv or sys.argv[1:] or ["rules/semgrep"])[0])
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        new = render(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
