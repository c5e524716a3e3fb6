"""The launch engine: project-level launch checks that no single code file shows: LR605 (no error monitoring
for an app) and LR604 in committed configuration (``FLASK_DEBUG=1`` in ``.flaskenv``, ``.env``, Dockerfiles
and compose files)."""

from __future__ import annotations

import re

from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.launch.apps import App, find_apps, is_monitored, monitored_folders
from scanner.model import Finding, Location, Rule, ScanFile
from scanner.redact import snippet_of
from scanner.rulebook import rule

_FLASK_DEBUG = re.compile(
    r"^\s*(?:-\s*)?(?:ENV\s+|export\s+)?[\"']?(FLASK_DEBUG|FLASK_ENV)[\"']?\s*[=:\s]\s*[\"']?"
    r"(1|true|on|yes|development)[\"']?\s*(?:#.*)?$",
    re.IGNORECASE | re.MULTILINE)
_CONFIG_NAME = re.compile(r"^(?:\.flaskenv|\.env|\.env\.production|\.env\.prod|Dockerfile(?:\.[\w-]+)?|"
                          r"[\w.-]*\.Dockerfile|(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml|Procfile|app\.ya?ml|fly\.toml|"
                          r"render\.ya?ml)$")
_DEV_CONFIG = re.compile(r"(?:^|[._-])(?:dev|development|local|test|testing|example|sample|override)(?:[._-]|$)",
                         re.IGNORECASE)
_ORIGINS = ("source", "staged")
#: Flask read ``FLASK_ENV=development`` as "debug on" until 2.2 deprecated it and 2.3 removed it (Flask
#: changelog, 2.3.0: "remove the FLASK_ENV environment variable"): it counts only where a manifest pins an
#: older Flask (``flask==2.0.1``, ``Flask<2.3``, ``flask = "^1.1"``).
_FLASK_PIN = re.compile(r"""(?im)(?:^|[\s"'\[,])flask\s*(?:\[[^\]]*\])?\s*(?:=\s*["']?\s*)?"""
                        r"(==|~=|<=|<|\^|~|===)?\s*(\d+)\.(\d+)")
_MANIFEST = re.compile(r"(?:^|/)(?:requirements[\w.-]*\.(?:txt|in)|pyproject\.toml|Pipfile|setup\.(?:py|cfg))$")


class LaunchEngine:
    """LR605 per app (work-tree scans only: a staged or partial view cannot show that monitoring is missing)
    and LR604 for committed Flask debug configuration."""

    name = "launch"

    def rules(self) -> tuple[Rule, ...]:
        """LR604 and LR605 (shared with the code engines through ``scanner.rulebook``)."""
        return (rule("LR604"), rule("LR605"))

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Findings for the files of ``ctx`` (origin ``source`` or ``staged``)."""
        if "launch" not in ctx.families:
            return EngineOutput()
        files = [f for f in ctx.files if f.origin in _ORIGINS]
        old_flask = any(flask_before_2_3(f.text) for f in files if _MANIFEST.search(f.path))
        findings = [hit for f in files for hit in flask_debug_config(f, old_flask)]
        if ctx.mode == "tree":
            findings += no_monitoring({f.path: f.text for f in files})
        return EngineOutput(tuple(findings))


def flask_before_2_3(text: str) -> bool:
    """True when a requirements / pyproject / Pipfile / setup text pins Flask below 2.3 (``flask==2.0.1``,
    ``Flask<2.3``, ``flask~=1.1``, Poetry ``flask = "^2.0"``); an unpinned or newer Flask is False."""
    for op, major, minor in _FLASK_PIN.findall(text):
        version = (int(major), int(minor))
        if op in ("<", "<=") and version <= (2, 3) and not (op == "<=" and version == (2, 3)):
            return True
        if op not in ("<", "<=") and op and version < (2, 3):
            return True
    return False


def flask_debug_config(file: ScanFile, old_flask: bool = False) -> list[Finding]:
    """LR604 for ``FLASK_DEBUG=1`` in a committed config file that is not for development, tests or examples;
    ``FLASK_ENV=development`` only when ``old_flask`` (a manifest pins Flask below 2.3, which still read it)."""
    name = file.path.rsplit("/", 1)[-1]
    if not _CONFIG_NAME.match(name) or _DEV_CONFIG.search(name.removeprefix(".env")):
        return []
    out = []
    for match in _FLASK_DEBUG.finditer(file.text):
        if match.group(1).upper() == "FLASK_ENV" and not old_flask:
            continue
        line = file.text.count("\n", 0, match.start(1)) + 1
        text = file.text.splitlines()[line - 1]
        message = (f"{match.group(1)}={match.group(2)} in committed configuration turns on Flask's debug mode: "
                   "the Werkzeug debugger lets anyone who reaches it run code on the server")
        out.append(Finding(rule("LR604"), Location(file.path, line, 1), message, snippet_of(text),
                           context=name, match_key=match.group(1)))
    return out


def no_monitoring(texts: dict[str, str]) -> list[Finding]:
    """LR605 at line 1 of the entry file of every app with no error monitoring under its folder; one finding per
    Django project folder (``wsgi.py``, ``asgi.py`` and a root ``passenger_wsgi.py`` serve one project; two
    modules that each build a ``Flask()`` app are two apps, each run on its own)."""
    folders = monitored_folders(texts)
    out = []
    django: set[str] = set()
    for app in find_apps(texts):
        if app.framework == "Django":
            if app.folder in django:
                continue
            django.add(app.folder)
        if not is_monitored(app, folders):
            first = texts.get(app.entry, "").split("\n", 1)[0]
            out.append(Finding(rule("LR605"), Location(app.entry, 1, 1), _message(app), snippet_of(first),
                               context=app.folder, match_key=f"{app.framework}:{app.entry}"))
    return out


def _message(app: App) -> str:
    where = f"in {app.folder}/" if app.folder else "at the repository root"
    return (f"no error monitoring is set up for the {app.framework} app {where}: no Sentry, Rollbar, Bugsnag, "
            "Honeybadger, Datadog, OpenTelemetry, Better Stack or Highlight under it")
