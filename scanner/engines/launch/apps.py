"""Find the apps of a repository (JS/TS: a ``package.json`` that depends on a web framework; Python: the module
that constructs a Flask, FastAPI, Starlette, Quart, Sanic, Litestar or Django app) and the error-monitoring
set-up under each (LR605)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from scanner.knowledge import is_test_path

#: package.json dependencies that make its folder a server-side web app, with the framework's name.
JS_FRAMEWORKS: dict[str, str] = {
    "next": "Next.js", "express": "Express", "fastify": "Fastify", "koa": "Koa", "hono": "Hono",
    "@nestjs/core": "NestJS", "nuxt": "Nuxt", "@sveltejs/kit": "SvelteKit", "@remix-run/node": "Remix",
    "@hapi/hapi": "hapi",
}
_PY_APP = re.compile(
    r"^[ \t]*(\w+)[ \t]*(?::[^=\n]{1,80})?=[ \t]*(?:[\w.]+\.)?(Flask|FastAPI|Starlette|Quart|Sanic|Litestar)\(",
    re.MULTILINE)
#: A sub-application mounted into another app (``app.mount("/document", document)``): part of that app.
_MOUNTED = re.compile(r"\.mount\(\s*[^,()\n]+,\s*(?:app\s*=\s*)?([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*[,)]")
_PY_IMPORT = re.compile(r"^\s*(?:from|import)\s+(flask|fastapi|starlette|quart|sanic|litestar)\b", re.MULTILINE)
_DJANGO_ENTRY = re.compile(r"\bget_(?:wsgi|asgi)_application\(\)")
#: Error monitoring SDKs and agents, in code, dependency lists, Dockerfiles and Procfiles.
MONITORING = re.compile(
    r"\b(?:sentry[_-]sdk|sentry_sdk|raven|rollbar|bugsnag|honeybadger|ddtrace|logtail|betterstack|newrelic|"
    r"elastic[_-]?apm|appsignal|airbrake)\b|@sentry/|\bdd-trace\b|@vercel/otel|@highlight-run|highlight[_-]io",
    re.IGNORECASE)
#: OpenTelemetry counts only where code sets up an SDK or exporter (``@opentelemetry/sdk-node``,
#: ``opentelemetry.sdk``, an exporter, auto-instrumentation, ``registerOTel``); the API package alone
#: (``@opentelemetry/api``, ``opentelemetry.trace``) records nothing until an SDK is set up, and vector
#: stores and SDKs pull it in transitively.
OTEL = re.compile(r"@opentelemetry/(?:sdk|exporter|auto-instrumentations)|"
                  r"opentelemetry[._-](?:sdk|exporter|instrument)|registerOTel|configure_azure_monitor", re.IGNORECASE)
_CODE_FILE = re.compile(r"\.(?:py|[cm]?[jt]sx?)$")
#: Dependency manifests declare a package, they do not set it up: ``sentry-sdk`` in requirements.txt or
#: ``@sentry/nextjs`` in package.json reports nothing until ``sentry_sdk.init()`` / ``sentry.*.config.ts``
#: runs. Of a package.json only its ``scripts`` count (``node -r dd-trace/init server.js``).
_MANIFEST = re.compile(r"(?:^|/)(?:requirements[\w.-]*\.(?:txt|in)|constraints[\w.-]*\.txt|pyproject\.toml|Pipfile|"
                       r"setup\.(?:py|cfg)|environment\.ya?ml|package\.json)$")
_INSTALLED = re.compile(r"(?:^|/)(?:site-packages|node_modules|\.?venv|env)/")
_NOT_SET_UP = re.compile(r"(?:^|/)(?:[^/]+\.(?:md|mdx|rst|lock|lockb|html?|css|svg|log|csv|tsv|jsonl|ndjson|sql)|"
                         r"package-lock\.json|"
                         r"pnpm-lock\.yaml|yarn\.lock|(?!requirements)[^/]*\.txt)$|" + _INSTALLED.pattern)
#: A file that sets up monitoring is a small hand-written one (an init call, a config, a run command); a larger
#: text is data, a log or a generated bundle, and searching it costs seconds (a 112 MB log took 26 s).
MAX_SET_UP_CHARS = 1_000_000
_PY_PROJECT_FILES = ("requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "manage.py")
#: JS/TS module file names.
_JS_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_JS_ENTRIES = tuple(f"{d}{n}.{e}" for d, n in (("app/", "layout"), ("src/app/", "layout"), ("pages/", "_app"),
                                               ("src/pages/", "_app"), ("", "server"), ("src/", "server"),
                                               ("src/", "main"), ("", "index"), ("src/", "index"), ("", "app"),
                                               ("src/", "app"))
                    for e in ("tsx", "ts", "jsx", "js", "mjs", "cjs"))


@dataclass(frozen=True)
class App:
    """One app: its folder (relative, ``""`` for the root), the file a finding points at, the framework."""

    folder: str
    entry: str
    framework: str


def find_apps(texts: Mapping[str, str]) -> list[App]:
    """Every JS/TS and Python app among ``texts`` (path -> text), test code excluded, sorted by entry."""
    apps = _js_apps(texts) + _python_apps(texts)
    return sorted({a.entry: a for a in apps}.values(), key=lambda a: a.entry)


def monitored_folders(texts: Mapping[str, str]) -> set[str]:
    """The folders of files that set up error monitoring: code, run commands (Dockerfile, Procfile, compose,
    package.json ``scripts``). Docs, lockfiles and dependency lists do not count."""
    out = set()
    for path, text in texts.items():
        if _NOT_SET_UP.search(path) or len(text) > MAX_SET_UP_CHARS:
            continue
        if _MANIFEST.search(path):
            text = _scripts(text) if path.endswith("package.json") else ""
        code = _CODE_FILE.search(path) is not None
        if any(not code or _set_up_in_code(text, m) for m in MONITORING.finditer(text)) or (code and OTEL.search(text)):
            out.add(_folder(path))
    return out


#: An import or require of a package: where a quoted monitoring package name in code counts.
_IMPORTING = re.compile(r"\b(?:from|require|import)\b")


def _set_up_in_code(text: str, found: re.Match[str]) -> bool:
    """True when a monitoring name in code is code (``Sentry.init``, ``import sentry_sdk``) or a quoted package
    an import or require names (``from "@sentry/nextjs"``); a quoted name in data is not (a seeded chat tool's
    ``mcpConnectionUrl: 'npx @sentry/mcp-server'``, set 15)."""
    start = text.rfind("\n", 0, found.start()) + 1
    before = text[start:found.start()]
    quoted = (before.count("'") % 2 == 1) or (before.count('"') % 2 == 1) or (before.count("`") % 2 == 1)
    return not quoted or _IMPORTING.search(before) is not None


def _scripts(manifest: str) -> str:
    """The ``scripts`` commands of a package.json text, one per line ("" when it is not a JSON object)."""
    try:
        data = json.loads(manifest)
    except ValueError:
        return ""
    scripts = data.get("scripts") if isinstance(data, dict) else None
    return "\n".join(v for v in scripts.values() if isinstance(v, str)) if isinstance(scripts, dict) else ""


def is_monitored(app: App, folders: Iterable[str]) -> bool:
    """True when a file in ``app.folder`` or below sets up monitoring."""
    prefix = f"{app.folder}/" if app.folder else ""
    return any(f == app.folder or f.startswith(prefix) for f in folders)


def _js_apps(texts: Mapping[str, str]) -> list[App]:
    out = []
    for path, text in texts.items():
        if PurePosixPath(path).name != "package.json" or _skipped(path) or len(text) > 1_000_000:
            continue
        try:
            manifest = json.loads(text)
        except ValueError:
            continue
        framework = _framework_of(manifest)
        folder = _folder(path)
        if framework is not None and (framework not in _SERVER_LIBRARIES or _imported_under(folder, framework, texts)):
            out.append(App(folder, _js_entry(folder, manifest, texts) or path, framework))
    return out


#: Frameworks that are a library a server module imports (the others are the app itself: a Next.js or Nuxt
#: project is one whatever its files import), by their import names.
_SERVER_LIBRARIES = {"Express": ("express",), "Fastify": ("fastify",), "Koa": ("koa",), "Hono": ("hono",),
                     "hapi": ("@hapi/hapi",), "NestJS": ("@nestjs/core", "@nestjs/common")}


def _imported_under(folder: str, framework: str, texts: Mapping[str, str]) -> bool:
    """True when a JS/TS module under ``folder`` imports the framework: a package.json that lists express
    while no code imports it (a leftover of a template, set 19 chattopia-wizard) builds no server."""
    prefix = f"{folder}/" if folder else ""
    names = "|".join(re.escape(n) for n in _SERVER_LIBRARIES[framework])
    imports = re.compile(rf"""(?:from\s*|require\(\s*|import\s*\(\s*)["'](?:{names})(?:/[^"']*)?["']""")
    return any(p.startswith(prefix) and "node_modules/" not in p and p.endswith(_JS_SUFFIXES) and imports.search(t)
               for p, t in texts.items())


def _framework_of(manifest: object) -> str | None:
    if not isinstance(manifest, dict):
        return None
    deps: dict[str, object] = {}
    for key in ("dependencies", "devDependencies"):
        value = manifest.get(key)
        if isinstance(value, dict):
            deps.update(value)
    return next((name for dep, name in JS_FRAMEWORKS.items() if dep in deps), None)


def _js_entry(folder: str, manifest: dict[str, object], texts: Mapping[str, str]) -> str | None:
    prefix = f"{folder}/" if folder else ""
    main = manifest.get("main")
    candidates = ([main.removeprefix("./")] if isinstance(main, str) else []) + list(_JS_ENTRIES)
    return next((prefix + c for c in candidates if prefix + c in texts), None)


def _python_apps(texts: Mapping[str, str]) -> list[App]:
    out: list[App] = []
    django_folders: set[str] = set()
    dead = dead_app_modules(texts)
    mounted = _mounted_apps(texts)
    for path in sorted(texts):
        if not path.endswith(".py") or _skipped(path) or path in dead:
            continue
        text = texts[path]
        match = _PY_APP.search(text)
        if match and _PY_IMPORT.search(text) and (path, match.group(1)) not in mounted:
            out.append(App(_python_project(path, texts), path, match.group(2)))
        elif _DJANGO_ENTRY.search(text) and _folder(path) not in django_folders:
            django_folders.add(_folder(path))
            out.append(App(_python_project(path, texts), path, "Django"))
    return out


def _mounted_apps(texts: Mapping[str, str]) -> set[tuple[str, str]]:
    """``(module path, name)`` of the apps another module imports and mounts into its own app (Starlette/FastAPI
    ``app.mount(prefix, sub)``): a sub-application is served by the app it is mounted in, not on its own."""
    out: set[tuple[str, str]] = set()
    for path, text in texts.items():
        if not path.endswith(".py") or ".mount(" not in text:
            continue
        for found in _MOUNTED.finditer(text):
            name, attribute = found.group(1), found.group(2)
            if attribute is not None:  # ``app.mount("/docs", docmod.document)``: the app of an imported module
                module_path = _imported_module(path, text, name)
                if module_path is not None:
                    out |= {(candidate, attribute) for candidate in (f"{module_path}.py", f"{module_path}/__init__.py")
                            if candidate in texts}
                continue
            imported = re.search(rf"^\s*from\s+([.\w]+)\s+import\s+[^\n]*\b{re.escape(name)}\b", text, re.MULTILINE)
            if imported is None:
                continue
            module = _module_path(path, imported.group(1))
            out |= {(candidate, name) for candidate in (f"{module}.py", f"{module}/__init__.py") if candidate in texts}
    return out


def _imported_module(importer: str, text: str, alias: str) -> str | None:
    """The path (without ``.py``) of the module ``importer`` binds to ``alias``: ``from app import document as
    docmod``, ``from app import document``, ``import app.document as docmod``; None when it binds none."""
    name = re.escape(alias)
    found = re.search(rf"^\s*from\s+([.\w]+)\s+import\s+[^\n]*?\b(\w+)\s+as\s+{name}\b", text, re.MULTILINE)
    if found is not None:
        return f"{_module_path(importer, found.group(1))}/{found.group(2)}".replace("//", "/")
    found = re.search(rf"^\s*from\s+([.\w]+)\s+import\s+(?:\(?[^\n]*,\s*)?{name}\s*(?:,|\)|$)", text, re.MULTILINE)
    if found is not None:
        return f"{_module_path(importer, found.group(1))}/{alias}".replace("//", "/")
    found = re.search(rf"^\s*import\s+([\w.]+)\s+as\s+{name}\s*$", text, re.MULTILINE)
    if found is not None:
        return found.group(1).replace(".", "/")
    return None


def _module_path(importer: str, module: str) -> str:
    """The path (without ``.py``) a ``from <module> import`` names, relative imports resolved from ``importer``;
    an absolute one is taken from the root."""
    if not module.startswith("."):
        return module.replace(".", "/")
    dots = len(module) - len(module.lstrip("."))
    base = importer.split("/")[:-dots] if dots <= importer.count("/") else []
    rest = module.lstrip(".").replace(".", "/")
    return "/".join([*base, rest] if rest else base)


def _python_project(path: str, texts: Mapping[str, str]) -> str:
    """The nearest folder above ``path`` with a Python project file, else the scan root."""
    folder = _folder(path)
    while True:
        prefix = f"{folder}/" if folder else ""
        if any(prefix + name in texts for name in _PY_PROJECT_FILES):
            return folder
        if not folder:
            return ""
        folder = _folder(folder)


def _skipped(path: str) -> bool:
    """Test code and installed packages (a virtualenv the source did not recognise) are not apps."""
    return is_test_path(path) or _INSTALLED.search(path) is not None


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


#: Files that say how the app is deployed and started: container (Docker's and Podman's ``Containerfile``), process
#: and platform configs (not CI workflows or scripts, which also start mocks and tools).
_RUN_FILE = re.compile(r"(?:^|/)(?:(?:Docker|Container)file[\w.-]*|[\w.-]*\.[Dd]ockerfile|Procfile|"
                       r"(?:docker-)?compose[\w.-]*\.ya?ml|"
                       r"fly\.toml|render\.ya?ml|railway\.json|app\.ya?ml)$")
#: An ASGI/WSGI server started on ``module:attribute`` (shell or exec-form ``CMD ["uvicorn", "backend.app:app"]``).
_RUN_TARGET = re.compile(r"\b(?:uvicorn|gunicorn|hypercorn|daphne|granian|uwsgi|waitress-serve)\b"
                         r"[^\n]{0,200}?[\s\"'=,\[]([A-Za-z_][\w.]*):([A-Za-z_]\w*)\b")
#: A module name of an old or scratch copy (``temp.py``, ``app_old.py``, ``main_backup.py``, ``server copy.py``).
_SCRATCH_NAME = re.compile(r"(?i)^(?:temp|tmp|old|backup|bak|copy|scratch|draft|unused|deprecated)\d*$|"
                           r"^\w+?[_-](?:old|copy|backup|bak|orig|prev|previous|tmp|temp|unused|deprecated)\d*$")


#: A run command that starts a module with Python itself (``python app.py``, ``python -m app``): the module's own
#: ``app.run(...)`` is what serves.
_PYTHON_RUN = re.compile(r"\bpython[\d.]*\b[^\n]{0,80}?[\s\"'\[,](?:-m[\s\"',]+([\w.]+)|([\w./-]+)\.py\b)")


def served_modules(texts: Mapping[str, str]) -> frozenset[str]:
    """Dotted modules the deployment files (Dockerfile, Procfile, compose, fly.toml, render.yaml, railway.json,
    app.yaml) serve with an ASGI/WSGI server (``gunicorn app:app``, ``CMD ["gunicorn", "src.pkg.app:app"]``),
    less any module they also start with Python itself (``python app.py``, ``python -m app``): in production
    these modules' ``app.run(debug=True)`` never runs. Empty when no deployment file names a server target."""
    served: set[str] = set()
    run_by_python: set[str] = set()
    for path, text in texts.items():
        if not _RUN_FILE.search(path):
            continue
        served.update(m.group(1) for m in _RUN_TARGET.finditer(text))
        for m in _PYTHON_RUN.finditer(text):
            run_by_python.add(m.group(1) or m.group(2).lstrip("./").replace("/", "."))
    return frozenset(m for m in served
                     if not any(m == r or m.endswith("." + r) or r.endswith("." + m) for r in run_by_python))


def dead_app_modules(texts: Mapping[str, str]) -> set[str]:
    """Python modules that build an app (``app = FastAPI()``) the project never runs: an old or scratch copy
    (named ``temp.py``, ``app_old.py``...) while the deployment files start another app module (``CMD ["uvicorn",
    "backend.app:app"]``), and no other file names the copy (an import, a ``python -m``, a ``"pkg.mod:app"``
    string) nor does the copy start itself (``uvicorn.run``, ``app.run``, a ``__main__`` block). Set 16: an old
    ``backend/temp.py`` gave eight findings on routes that nothing serves. Empty when the deployment files name no
    app module of the project."""
    targets = {m.group(1) for path, text in texts.items() if _RUN_FILE.search(path) for m in _RUN_TARGET.finditer(text)}
    apps = [p for p in sorted(texts) if p.endswith(".py") and not _skipped(p) and _PY_APP.search(texts[p])]
    if not targets or not apps:
        return set()

    def dotted(path: str) -> str:
        return path[:-3].replace("/", ".").removesuffix(".__init__")

    def targeted(path: str) -> bool:
        module = dotted(path)
        return any(module == t or module.endswith("." + t) for t in targets)

    if not any(targeted(p) for p in apps):
        return set()
    dead = set()
    for path in apps:
        base = dotted(path).rsplit(".", 1)[-1]
        text = texts[path]
        if targeted(path) or not _SCRATCH_NAME.match(base) or "__main__" in text or \
                re.search(r"\b(?:uvicorn\.run|\.run)\s*\(", text):
            continue
        if not any(_names_module(other, base) for p, other in texts.items() if p != path):
            dead.add(path)
    return dead


def _names_module(text: str, base: str) -> bool:
    """True when ``text`` imports or starts module ``base``: an import (also a parenthesised multi-line one), a
    ``python -m``, a ``"pkg.base:app"`` / ``base.py`` reference, an ``import_module("...base")``."""
    name = re.escape(base)
    pattern = (rf"\bimport\s+[\w., ]*\b{name}\b|\bfrom\s+[\w.]*\b{name}\b\s+import\b|"
               rf"\bfrom\s+[\w.]+\s+import\s*\(?[^)]{{0,400}}?\b{name}\b|-m\s+[\w.]*\b{name}\b|"
               rf"[\w./]*\b{name}(?:\.py\b|:[A-Za-z_]\w*)|import_module\(\s*[\"'][\w.]*\b{name}\b")
    return re.search(pattern, text) is not None
