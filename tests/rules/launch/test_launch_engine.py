"""The launch engine: LR605 (no error monitoring per app) and LR604 for committed Flask debug configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.config import Config
from scanner.engines.base import ScanContext
from scanner.engines.launch import LaunchEngine
from scanner.model import ScanFile

NEXT = '{"dependencies": {"next": "14.2.0", "react": "18.3.1"}}'
EXPRESS = '{"main": "src/server.js", "dependencies": {"express": "4.21.0"}}'
FASTAPI = "from fastapi import FastAPI\n\napp = FastAPI(title='chat')\n"
FLASK = "from flask import Flask\napp = Flask(__name__)\n"


def _hits(files: dict[str, str], mode: str = "tree") -> set[tuple[str, str, int]]:
    ctx = ScanContext(root=Path("/nonexistent"), files=tuple(ScanFile(p, t) for p, t in files.items()),
                      config=Config(), mode=mode)
    return {(f.rule_id, f.location.path, f.location.line) for f in LaunchEngine().scan(ctx).findings}


INVALID = [
    pytest.param({"package.json": NEXT, "app/layout.tsx": "export default function L() {}\n"},
                 {("LR605", "app/layout.tsx", 1)}, id="next-app-router"),
    pytest.param({"api/package.json": EXPRESS, "api/src/server.js": "const app = require('express')();\n"},
                 {("LR605", "api/src/server.js", 1)}, id="express-main"),
    pytest.param({"backend/requirements.txt": "fastapi\n", "backend/app/main.py": FASTAPI},
                 {("LR605", "backend/app/main.py", 1)}, id="fastapi"),
    pytest.param({"app.py": FLASK, "README.md": "Add Sentry with sentry_sdk.init() later."},
                 {("LR605", "app.py", 1)}, id="flask-docs-only-mention"),
    pytest.param({"mysite/mysite/wsgi.py": "from django.core.wsgi import get_wsgi_application\n"
                                           "application = get_wsgi_application()\n",
                  "mysite/manage.py": "import django\n"},
                 {("LR605", "mysite/mysite/wsgi.py", 1)}, id="django"),
    pytest.param({"web/package.json": NEXT, "web/pages/_app.tsx": "export default function A() {}\n",
                  "api/package.json": EXPRESS.replace("src/server.js", "index.js"),
                  "api/index.js": "require('@sentry/node').init({})\n"},
                 {("LR605", "web/pages/_app.tsx", 1)}, id="monitoring-in-another-app-does-not-count"),
    pytest.param({"package.json": NEXT, "package-lock.json": '{"@opentelemetry/api": "1.9.0"}'},
                 {("LR605", "package.json", 1)}, id="lockfile-does-not-count"),
    pytest.param({"package.json": NEXT.replace('"react"', '"@sentry/nextjs": "8.0.0", "react"'),
                  "app/layout.tsx": "x\n"}, {("LR605", "app/layout.tsx", 1)}, id="sentry-dependency-never-set-up"),
    pytest.param({"backend/requirements.txt": "fastapi\nsentry-sdk[fastapi]\n", "backend/main.py": FASTAPI},
                 {("LR605", "backend/main.py", 1)}, id="sentry-requirement-never-initialised"),
    pytest.param({"package.json": NEXT.replace('"react"', '"@opentelemetry/api": "latest", "react"'),
                  "app/layout.tsx": "x\n"}, {("LR605", "app/layout.tsx", 1)}, id="otel-api-dependency-only"),
    pytest.param({"package.json": NEXT, "app/layout.tsx": "x\n",
                  "lib/trace.ts": "import { trace } from '@opentelemetry/api';\nconst t = trace.getTracer('x');\n"},
                 {("LR605", "app/layout.tsx", 1)}, id="otel-api-without-sdk"),
    pytest.param({"pyproject.toml": "[project]\ndependencies = ['fastapi', 'ddtrace']\n", "main.py": FASTAPI},
                 {("LR605", "main.py", 1)}, id="ddtrace-in-pyproject-only"),
    # a seeded chat tool whose command names Sentry's MCP server is data, not monitoring (set 15)
    pytest.param({"package.json": NEXT, "app/layout.tsx": "x\n",
                  "prisma/seed.ts": "const tools = [{ name: 'Sentry', mcpConnectionUrl: 'npx @sentry/mcp-server' }];\n"},
                 {("LR605", "app/layout.tsx", 1)}, id="sentry-named-in-seed-data"),
    pytest.param({".flaskenv": "FLASK_APP=app.py\nFLASK_DEBUG=1\n"}, {("LR604", ".flaskenv", 2)},
                 id="flaskenv-debug"),
    pytest.param({"Dockerfile": "FROM python:3.12\nENV FLASK_DEBUG=1\nCMD flask run\n"}, {("LR604", "Dockerfile", 2)},
                 id="dockerfile-debug"),
    pytest.param({"docker-compose.yml": "services:\n  web:\n    environment:\n      - FLASK_ENV=development\n",
                  "requirements.txt": "Flask==2.0.1\nflask-cors==3.0.10\n"},
                 {("LR604", "docker-compose.yml", 4)}, id="compose-flask-env-on-flask-2.0"),
    pytest.param({".flaskenv": "FLASK_ENV=development\n", "pyproject.toml": '[project]\ndependencies = ["flask<2.3"]\n'},
                 {("LR604", ".flaskenv", 1)}, id="flaskenv-flask-env-below-2.3"),
]
VALID = [
    pytest.param({"docker-compose.yml": "services:\n  web:\n    environment:\n      - FLASK_ENV=development\n",
                  "requirements.txt": "Flask==3.0.3\nflask-cors==3.0.10\n"}, id="flask-env-ignored-by-flask-3"),
    pytest.param({".flaskenv": "FLASK_ENV=development\n", "requirements.txt": "flask\n"},
                 id="flask-env-with-unpinned-flask"),
    pytest.param({"package.json": NEXT.replace('"react"', '"@sentry/nextjs": "8.0.0", "react"'),
                  "app/layout.tsx": "x\n", "sentry.server.config.ts": "import * as Sentry from '@sentry/nextjs';\n"
                  "Sentry.init({ dsn: process.env.SENTRY_DSN });\n"}, id="next-with-sentry-config"),
    pytest.param({"backend/requirements.txt": "fastapi\nsentry-sdk[fastapi]\n",
                  "backend/main.py": "import sentry_sdk\nsentry_sdk.init()\n" + FASTAPI},
                 id="fastapi-with-sentry-init"),
    pytest.param({"package.json": EXPRESS.replace('"dependencies"', '"scripts": {"start": "node -r dd-trace/init '
                                                  'src/server.js"}, "dependencies"'),
                  "src/server.js": "x\n"}, id="express-dd-trace-in-start-script"),
    pytest.param({"package.json": NEXT, "instrumentation.ts": "import { NodeSDK } from '@opentelemetry/sdk-node';\n"},
                 id="next-otel-sdk"),
    pytest.param({"requirements.txt": "flask\n", "app.py": FLASK, "Procfile": "web: ddtrace-run gunicorn app:app\n"},
                 id="flask-ddtrace-run-procfile"),
    pytest.param({"app.py": FLASK + "import rollbar\nrollbar.init(os.environ['ROLLBAR_TOKEN'])\n"},
                 id="flask-with-rollbar"),
    pytest.param({"package.json": EXPRESS, "src/server.js": "require('dd-trace').init();\n"}, id="express-dd-trace"),
    pytest.param({"package.json": NEXT, "instrumentation.ts": "import {\n  init,\n} from '@sentry/nextjs';\n"
                  "init({ dsn: process.env.SENTRY_DSN });\n"}, id="next-sentry-multi-line-import"),
    pytest.param({"package.json": '{"dependencies": {"react": "18", "vite": "5"}}', "src/main.tsx": "x\n"},
                 id="vite-spa-is-not-a-server-app"),
    pytest.param({"package.json": NEXT, "instrumentation.ts": "import { registerOTel } from '@vercel/otel';\n"},
                 id="next-vercel-otel"),
    pytest.param({"tests/test_app.py": FASTAPI}, id="test-code-is-not-an-app"),
    pytest.param({".flaskenv": "FLASK_APP=app.py\nFLASK_DEBUG=0\n", "app.py": "import sentry_sdk\n"},
                 id="flaskenv-debug-off"),
    pytest.param({"docker-compose.dev.yml": "services:\n  web:\n    environment:\n      FLASK_DEBUG: 1\n"},
                 id="dev-compose-file"),
    pytest.param({".env.example": "FLASK_DEBUG=1\n"}, id="env-example"),
]


@pytest.mark.parametrize(("files", "expected"), INVALID)
def test_invalid(files: dict[str, str], expected: set[tuple[str, str, int]]) -> None:
    assert _hits(files) == expected


@pytest.mark.parametrize("files", VALID)
def test_valid(files: dict[str, str]) -> None:
    assert _hits(files) == set()


def test_monitoring_is_not_judged_on_a_partial_view() -> None:
    assert _hits({"package.json": NEXT, "app/layout.tsx": "x\n"}, mode="staged") == set()


def test_words_that_contain_a_vendor_name_and_pinned_transitive_otel_do_not_count() -> None:
    files = {"app.py": FLASK, "templates/ui.html": "<style>.x { scrollbar-width: none; }</style>\n",
             "requirements.txt": "flask\nchromadb\nopentelemetry-api==1.27.0\n"}
    assert _hits(files) == {("LR605", "app.py", 1)}
    assert _hits({**files, "otel.py": "from opentelemetry import trace\n"}) == {("LR605", "app.py", 1)}
    assert _hits({**files, "otel.py": "from opentelemetry.sdk.trace import TracerProvider\n"}) == set()


def test_installed_packages_are_not_apps() -> None:
    assert _hits({"venv/Lib/site-packages/flask/app.py": FLASK, "app.py": FLASK}) == {("LR605", "app.py", 1)}


def test_logs_and_large_data_files_do_not_set_up_monitoring() -> None:
    mention = "2024-01-01 INFO sentry_sdk initialised\n"
    assert _hits({"app.py": FLASK, "logs/app.log": mention}) == {("LR605", "app.py", 1)}
    assert _hits({"app.py": FLASK, "data/dump.jsonl": '{"m": "import sentry_sdk"}\n'}) == {("LR605", "app.py", 1)}
    big = "x = 1\n" * 200_000 + "import sentry_sdk\n"  # over 1 MB: generated, not a set-up file
    assert _hits({"app.py": FLASK, "gen/big.py": big}) == {("LR605", "app.py", 1)}
    assert _hits({"app.py": FLASK, "monitoring.py": "import sentry_sdk\nsentry_sdk.init()\n"}) == set()


def test_one_finding_per_django_project() -> None:
    wsgi = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
    asgi = "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n"
    django = {"manage.py": "import django\n", "site/asgi.py": asgi, "site/wsgi.py": wsgi, "passenger_wsgi.py": wsgi}
    assert _hits(django) == {("LR605", "passenger_wsgi.py", 1)}
    # two modules that each build an app are two apps, in one folder or two
    both = {"requirements.txt": "flask\n", "app.py": FLASK, "appdirect.py": FLASK}
    assert _hits(both) == {("LR605", "app.py", 1), ("LR605", "appdirect.py", 1)}
    two = {"a/manage.py": "x\n", "a/site/wsgi.py": wsgi, "b/manage.py": "x\n", "b/site/wsgi.py": wsgi}
    assert _hits(two) == {("LR605", "a/site/wsgi.py", 1), ("LR605", "b/site/wsgi.py", 1)}


def test_an_old_copy_of_the_app_the_run_files_leave_out_is_no_app() -> None:
    """``CMD ["uvicorn", "backend.app:app"]`` runs ``backend/app.py``; ``backend/temp.py`` builds another app that
    nothing imports or runs: one LR605, on the app that runs (set 16 QanoonAI)."""
    files = {"backend/Dockerfile.fastapi": 'FROM python:3.12\nCMD ["uvicorn", "backend.app:app", "--port", "8000"]\n',
             "backend/app.py": FASTAPI, "backend/temp.py": FASTAPI, "pyproject.toml": "[project]\nname = 'x'\n"}
    assert _hits(files) == {("LR605", "backend/app.py", 1)}
    imported = {**files, "backend/tasks.py": "from backend.temp import app as worker_app\n"}
    assert _hits(imported) == {("LR605", "backend/app.py", 1), ("LR605", "backend/temp.py", 1)}
    stale = {**files, "backend/Dockerfile.fastapi": 'CMD ["uvicorn", "server:app"]\n'}
    assert _hits(stale) == {("LR605", "backend/app.py", 1), ("LR605", "backend/temp.py", 1)}


@pytest.mark.parametrize("extra", [
    # the live app under an ordinary name, started by a command the run files do not parse (attacks from the
    # README): it is never taken for a dead copy
    {"Dockerfile": 'CMD ["fastapi", "run", "app/main.py"]\nRUN uvicorn mock_openai:app &\n',
     "app/main.py": "FASTAPI", "mock_openai.py": "FASTAPI"},
    # a copy named like one but started as a module, or imported in a parenthesised import
    {"Dockerfile": 'CMD ["uvicorn", "backend.app:app"]\n', "backend/app.py": "FASTAPI", "backend/temp.py": "FASTAPI",
     "Procfile": "worker: python -m backend.temp\n"},
    {"Dockerfile": 'CMD ["uvicorn", "backend.app:app"]\n', "backend/app.py": "FASTAPI", "backend/temp.py": "FASTAPI",
     "backend/jobs.py": "from backend import (\n    temp,\n)\n"},
])
def test_a_module_something_starts_or_imports_stays_an_app(extra: dict[str, str]) -> None:
    files = {p: (FASTAPI if t == "FASTAPI" else t) for p, t in extra.items()}
    apps = {path for _rule, path, _line in _hits(files)}
    assert apps == {p for p, t in extra.items() if t == "FASTAPI"}


def test_a_sub_application_mounted_into_another_is_part_of_it() -> None:
    """Set 18 document-assistant: ``app.mount("/document", document)`` serves the sub-app; one app, one finding.
    A sub-app built but mounted nowhere (or a same-named app in another module) is still its own."""
    sub = "from fastapi import FastAPI\ndocument = FastAPI(title='docs')\n"
    main = ("from fastapi import FastAPI\nfrom app.document import document\napp = FastAPI()\n"
            "app.mount('/document/v1', document)\n")
    assert _hits({"requirements.txt": "fastapi\n", "app/__init__.py": main, "app/document/__init__.py": sub}) == \
        {("LR605", "app/__init__.py", 1)}
    relative = main.replace("from app.document import document", "from .document import document")
    assert _hits({"requirements.txt": "fastapi\n", "app/__init__.py": relative, "app/document/__init__.py": sub}) \
        == {("LR605", "app/__init__.py", 1)}
    unmounted = main.replace("app.mount('/document/v1', document)\n", "")
    assert _hits({"requirements.txt": "fastapi\n", "app/__init__.py": unmounted, "app/document/__init__.py": sub}) \
        == {("LR605", "app/__init__.py", 1), ("LR605", "app/document/__init__.py", 1)}


@pytest.mark.parametrize("mount", [
    "from app import document as docmod\napp.mount('/docs2', docmod.document)\n",
    "from app import document\napp.mount('/docs2', document.document)\n",
    "import app.document as docmod\napp.mount('/docs2', app=docmod.document)\n",
])
def test_a_sub_application_mounted_through_its_module_is_part_of_the_app(mount: str) -> None:
    """Attack 6 (R8): the mounted app named through its module (``docmod.document``)."""
    sub = "from fastapi import FastAPI\ndocument = FastAPI(title='docs')\n"
    main = "from fastapi import FastAPI\napp = FastAPI()\n" + mount
    assert _hits({"requirements.txt": "fastapi\n", "app/__init__.py": main, "app/document.py": sub}) == \
        {("LR605", "app/__init__.py", 1)}
    other = main.replace(".document)", ".other)")
    assert _hits({"requirements.txt": "fastapi\n", "app/__init__.py": other, "app/document.py": sub}) == \
        {("LR605", "app/__init__.py", 1), ("LR605", "app/document.py", 1)}


def test_a_server_library_listed_but_imported_by_no_code_is_no_app() -> None:
    """Set 19 chattopia-wizard: a Vite front end whose package.json lists express that nothing imports."""
    manifest = '{"dependencies": {"express": "4.19.0", "react": "18.0.0"}}\n'
    spa = {"package.json": manifest, "src/main.tsx": "import React from 'react';\n"}
    assert _hits(spa) == set()
    server = {**spa, "server/index.ts": "import express from 'express';\nconst app = express();\n"}
    assert _hits(server) == {("LR605", "src/main.tsx", 1)}  # the first entry file the folder has
