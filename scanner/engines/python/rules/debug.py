"""LR604 for Python: debug mode on in production (Django ``DEBUG = True``, Flask ``debug=True``,
``FastAPI(debug=True)``)."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, FileContext, PythonRule
from scanner.engines.python.calls import context_of
from scanner.engines.python.env_defaults import env_default_on, env_text_with_fallback
from scanner.engines.python.literals import is_dev_class, is_dev_module, is_true, keyword
from scanner.engines.python.names import dotted, module_constants, string_value, walk
from scanner.engines.python.project import Project, absolute, module_of, same_module

_APP_CLASSES = {"fastapi.FastAPI": "FastAPI(debug=True)", "starlette.applications.Starlette": "Starlette(debug=True)",
                "starlette.Starlette": "Starlette(debug=True)"}
_DEV_SERVERS = ("flask", "quart", "flask_socketio", "dash", "sanic")
_DJANGO_MARKERS = ("INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE")


class DebugInProduction(PythonRule):
    """
    ## What it finds
    Django `DEBUG = True` as the final module-level value in a settings module (`settings.py`, `settings/*.py`
    or a module with `INSTALLED_APPS`) that is not for tests, local use or development and not gated on the
    environment, or set to the bare text of an environment variable with a fallback (`os.getenv("DEBUG",
    "False")`: a non-empty string is true); Flask (also Quart, Flask-SocketIO, Dash, Sanic) `app.run(debug=True)`, `app.debug = True`,
    `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`; `FastAPI(debug=True)` and
    `Starlette(debug=True)`; a Flask config class (not for development or tests) with `DEBUG = True` that an
    app module loads unconditionally with `app.config.from_object(Config)`. A `True` reached through a
    constant of the file counts. A route handler or an exception handler (`@app.exception_handler(Exception)`,
    `@app.errorhandler(500)`) that answers with a stack trace (`traceback.format_exc()`, a Celery result's
    `.traceback`) in its response. Not `app.run(debug=True)` under `if __name__ == "__main__":` (or in a
    function) in a module that the deployment files (Dockerfile, Containerfile, Procfile, compose, fly.toml,
    render.yaml, app.yaml) serve with gunicorn, uvicorn, uwsgi or waitress and never start with `python`: there
    it is the local development command (at module level it runs when the server imports the module).

    ## Why it matters
    Django's and Starlette's debug pages show settings, source and stack traces to every visitor; the
    Werkzeug debugger behind Flask's `debug=True` runs arbitrary Python for anyone who reaches it.

    ## Example
    ```python
    if __name__ == "__main__":
        app.run(host="0.0.0.0", debug=True)
    ```

    ## Fix
    Read the flag from the environment with a safe default (`DEBUG = os.environ.get("DEBUG") == "1"`), keep
    `DEBUG = True` in a `settings/local.py`, and serve production with gunicorn or uvicorn.
    """

    CODE = "LR604"
    MESSAGE = "debug mode is on"
    VALID: ClassVar[list[Example]] = [
        Example("import os\nINSTALLED_APPS = []\nDEBUG = os.getenv('DEBUG', 'False') == 'True'\n",
                path="config/settings.py"),
        Example("from decouple import config\nINSTALLED_APPS = []\nDEBUG = config('DEBUG', default='False', cast=bool)\n",
                path="config/settings.py"),
        Example("import os\nINSTALLED_APPS = []\nDEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n",
                path="mysite/settings.py"),
        Example("DEBUG = True\nINSTALLED_APPS = []\n", path="mysite/settings/local.py"),
        Example("import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                "app.run(debug=os.getenv('FLASK_DEBUG') == '1')\n"),
        Example("from fastapi import FastAPI\napp = FastAPI(title='chat', debug=False)\n"),
        Example("from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(port=5000)\n"),
        Example("import os\nINSTALLED_APPS = []\nDEBUG = True\nDEBUG = os.environ.get('DEBUG') == 'true'\n",
                path="project/settings.py"),
        Example("import os\n\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY')\n\n"
                "class DevelopmentConfig(Config):\n    DEBUG = True\n\nclass ProductionConfig(Config):\n"
                "    DEBUG = False\n\nconfig = {'development': DevelopmentConfig, 'production': ProductionConfig,"
                " 'default': ProductionConfig}\n", path="config.py",
                files=(("app/__init__.py", "import os\nfrom flask import Flask\nfrom config import config\n\n"
                        "def create_app():\n    app = Flask(__name__)\n"
                        "    app.config.from_object(config[os.getenv('FLASK_CONFIG', 'default')])\n"
                        "    return app\n"),)),
        Example("import os\n\nclass Config(object):\n    DEBUG = os.getenv('FLASK_DEBUG') == '1'\n"
                "    SECRET_KEY = os.environ['SECRET_KEY']\n", path="config.py",
                files=(("app.py", "from flask import Flask\nfrom config import Config\napp = Flask(__name__)\n"
                        "app.config.from_object(Config)\n"),)),
        Example("class Config:\n    DEBUG = True\n    SQLALCHEMY_TRACK_MODIFICATIONS = False\n", path="config.py",
                files=(("app.py", "from flask import Flask\napp = Flask(__name__)\n"
                        "app.config.from_pyfile('instance.cfg')\n"),)),
        Example("import os\n\nclass Config:\n    DEBUG = True\n\nclass ProdConfig(Config):\n    DEBUG = False\n",
                path="settings.py",
                files=(("app.py", "import os\nfrom flask import Flask\nfrom settings import Config, ProdConfig\n"
                        "app = Flask(__name__)\n"
                        "app.config.from_object(Config if os.getenv('ENV') == 'dev' else ProdConfig)\n"),)),
        Example("class Config:\n    DEBUG = True\n", path="config.py",
                files=(("tests/conftest.py", "from flask import Flask\nfrom config import Config\n\n"
                        "def make_app():\n    app = Flask(__name__)\n    app.config.from_object(Config)\n"
                        "    return app\n"),)),
        Example("import config\nfrom flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n"
                "    app.run(host='0.0.0.0', debug=config.DEBUG)\n",
                files=(("config.py", "import os\nDEBUG = os.environ.get('FLASK_DEBUG') == '1'\n"),)),
        # production serves the app with gunicorn (directly, or through a WSGI module importing it): app.run is
        # the local development command
        Example("from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n"
                "    app.run(debug=True)\n", path="src/chat/app.py",
                files=(("Containerfile", "FROM python:3.12\nCMD [\"gunicorn\", \"src.chat.app:app\"]\n"),)),
        Example("from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n"
                "    app.run(debug=True)\n",
                files=(("wsgi.py", "from app import app\n"), ("Procfile", "web: gunicorn -w 2 wsgi:app\n"))),
        # a stack trace written to the log, or returned by a helper that is no route
        Example("import logging\nimport traceback\nfrom flask import Flask, jsonify\napp = Flask(__name__)\n\n"
                "@app.post('/ask')\ndef ask():\n    try:\n        return jsonify(answer())\n    except Exception:\n"
                "        logging.error(traceback.format_exc())\n        return jsonify({'error': 'failed'}), 500\n"),
        Example("import traceback\n\ndef run_job(job):\n    try:\n        return {'ok': job()}\n"
                "    except Exception:\n        return {'error': traceback.format_exc()}\n", path="worker.py"),
        # the root settings serve runserver; the WSGI entry names the production module, which sets DEBUG itself
        Example("INSTALLED_APPS = []\nROOT_URLCONF = 'urls'\nDEBUG = True\n", path="mysite/settings.py",
                files=(("mysite/settings_prod.py", "from .settings import *\nDEBUG = False\n"),
                       ("mysite/wsgi.py", "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings_prod')\n"
                        "application = get_wsgi_application()\n"))),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("INSTALLED_APPS = []\nDEBUG = 'False'\n", path="config/settings.py", line=2),
        Example("import os\nINSTALLED_APPS = []\nDEBUG = bool(os.getenv('DEBUG', 'False'))\n", path="config/settings.py",
                line=3),
        # at module level the debug server starts when gunicorn imports the module
        Example("from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', debug=True)\n", line=3,
                files=(("Procfile", "web: gunicorn app:app\n"),)),
        # the text of the variable: "False" is a non-empty string, and true (set 25 ChatBackend)
        Example("import os\nINSTALLED_APPS = []\nDEBUG = os.getenv('DEBUG', 'False')\n", path="config/settings.py",
                line=3),
        # the Procfile starts the module with Python itself, next to a gunicorn process for another app
        Example("from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n"
                "    app.run(host='0.0.0.0', debug=True)\n", line=5,
                files=(("Procfile", "web: python app.py\napi: gunicorn api:app\n"),)),
        Example("SECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = True\nINSTALLED_APPS = []\n",
                path="mysite/settings.py", line=2),
        Example("from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n"
                "    app.run(host='0.0.0.0', port=8080, debug=True)\n", line=4),
        Example("from fastapi import FastAPI\napp = FastAPI(debug=True)\n", line=2),
        Example("from flask import Flask\napp = Flask(__name__)\napp.config['DEBUG'] = True\n", line=3),
        Example("from flask_socketio import SocketIO\nsocketio = SocketIO(app)\nDEBUG = True\n"
                "socketio.run(app, debug=DEBUG)\n", line=4),
        Example("from flask import Flask\napp = Flask(__name__)\napp.debug = True\n", line=3),
        Example("import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\n\nclass Config(object):\n"
                "    DEBUG = True\n    SQLALCHEMY_TRACK_MODIFICATIONS = True\n", path="config.py", line=5,
                files=(("app/__init__.py", "from flask import Flask\nfrom config import Config\n"
                        "app = Flask(__name__)\napp.config.from_object(Config)\n"),)),
        Example("import os\n\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY')\n\n"
                "class ProductionConfig(Config):\n    DEBUG = True\n", path="config.py", line=7,
                files=(("app.py", "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n"
                        "    app.config.from_object('config.ProductionConfig')\n    return app\n"),)),
        Example("import os\n\nclass Config(object):\n    SECRET_KEY = os.environ.get('SECRET_KEY')\n"
                "    DEBUG = True\n", path="config.py", line=5,
                files=(("app/__init__.py", "from flask import Flask\nfrom config import Config\n\n"
                        "def create_app(config_class=Config):\n    app = Flask(__name__)\n"
                        "    app.config.from_object(config_class)\n    return app\n"),)),
        Example("from flask import Flask\n\nclass Config:\n    DEBUG = True\n    JSON_SORT_KEYS = False\n\n"
                "app = Flask(__name__)\napp.config.from_object(Config)\n", line=4),
        # a route answering with a stack trace
        Example("import traceback\nfrom fastapi import FastAPI, Request\nfrom fastapi.responses import JSONResponse\n"
                "app = FastAPI()\n\n@app.exception_handler(Exception)\nasync def crash(request: Request, exc: Exception):\n"
                "    tb = traceback.format_exc()\n    return JSONResponse(status_code=500, content={'trace': tb})\n",
                line=9),
        Example("import traceback\nfrom flask import Flask, jsonify\napp = Flask(__name__)\n\n"
                "@app.post('/ask')\ndef ask():\n    try:\n        return jsonify(answer())\n    except Exception:\n"
                "        return jsonify({'error': 'failed', 'trace': traceback.format_exc()}), 500\n", line=10),
        Example("from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get('/task/{task_id}')\n"
                "async def status(task_id: str):\n    task = celery_app.AsyncResult(task_id)\n"
                "    return {'status': task.status, 'error': str(task.traceback) if task.failed() else None}\n",
                line=7),
        # debug read from another module, on unless the environment says production
        Example("import config\nfrom flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n"
                "    app.run(host='0.0.0.0', debug=config.DEBUG)\n", line=6,
                files=(("config.py", "import os\nDEBUG = os.environ.get('FLASK_ENV', 'development') != 'production'\n"),)),
        # the app imported from the module that builds it (``python -m own_chat``)
        Example("from flask import *\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(debug=True)\n",
                line=5),
        Example("from own_chat.app import app\n\nif __name__ == '__main__':\n    app.run(debug=True)\n",
                path="own_chat/__main__.py", line=4,
                files=(("own_chat/app.py", "from flask import Flask\napp = Flask(__name__)\n"),)),
        # the production module inherits DEBUG from these settings
        Example("INSTALLED_APPS = []\nROOT_URLCONF = 'urls'\nDEBUG = True\n", path="mysite/settings.py", line=3,
                files=(("mysite/settings_prod.py", "from .settings import *\nALLOWED_HOSTS = ['*']\n"),
                       ("mysite/wsgi.py", "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings_prod')\n"
                        "application = get_wsgi_application()\n"))),
        # the WSGI entry serves these settings
        Example("INSTALLED_APPS = []\nROOT_URLCONF = 'urls'\nDEBUG = True\n", path="mysite/settings.py", line=3,
                files=(("mysite/settings_prod.py", "from .settings import *\nDEBUG = False\n"),
                       ("mysite/wsgi.py", "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                        "application = get_wsgi_application()\n"))),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        if is_dev_module(self.ctx.path):
            return
        self._loaded_config_classes(original_node)
        if not self._is_django_settings():
            return
        value = module_constants(original_node).get("DEBUG")
        if value is not None and _overridden_in_production(self.ctx.project, self.ctx.path):
            return
        if value is not None and isinstance(value, cst.Name) and value.value == "True":
            self.report(value, "DEBUG", "Django DEBUG = True in a production settings module: the debug page "
                        "shows settings, source and stack traces to every visitor")
        elif isinstance(value, cst.BaseExpression) and env_default_on(self.ctx, value):
            self.report(value, "DEBUG", "Django DEBUG is read from the environment with a default that turns it "
                        "on: a deploy that does not set the variable shows settings, source and stack traces to "
                        "every visitor")
        elif isinstance(value, cst.SimpleString) and (string_value(value) or "").strip():
            self.report(value, "DEBUG", f"Django DEBUG is the string {self.ctx.code_of(value)[:20]}: any non-empty "
                        "text is true, so the debug page shows settings, source and stack traces to every visitor")
        elif isinstance(value, cst.BaseExpression) and (text := env_text_with_fallback(self.ctx, value)):
            self.report(value, "DEBUG", f"Django DEBUG is the text of an environment variable (fallback "
                        f"\"{text[:20]}\"): any non-empty text, \"False\" included, is true, so the debug page shows "
                        "settings, source and stack traces to every visitor")

    def _loaded_config_classes(self, module: cst.Module) -> None:
        """Flask ``class Config: DEBUG = True`` (not a development/testing class) that an app module loads
        unconditionally with ``app.config.from_object(Config)`` or ``from_object("config.Config")``."""
        for stmt in module.body:
            if not isinstance(stmt, cst.ClassDef) or is_dev_class(stmt.name.value):
                continue
            debug = _class_debug(stmt)
            if debug is None or not _on(self.ctx, debug.value):
                continue
            qualified = f"{module_of(self.ctx.path)}.{stmt.name.value}"
            if any(same_module(t, qualified) for t in _from_object_targets(self.ctx.project)):
                self.report(debug, "DEBUG", f"Flask config class {stmt.name.value} sets DEBUG = True and the app "
                            "loads it with config.from_object: the Werkzeug debugger lets anyone who reaches it "
                            "run code on the server")

    def _is_django_settings(self) -> bool:
        path = self.ctx.path
        if path.endswith("/settings.py") or path == "settings.py" or "/settings/" in f"/{path}":
            return True
        return any(marker in module_constants(self.ctx.module) for marker in _DJANGO_MARKERS[:2])

    def visit_Call(self, node: cst.Call) -> None:
        if is_dev_module(self.ctx.path):
            return
        name = self.ctx.imports.qualify(node.func) or ""
        debug = keyword(node, "debug")
        if name in _APP_CLASSES and _on(self.ctx, debug):
            self.report(node, name, f"{_APP_CLASSES[name]}: the debug page shows source and stack traces "
                        "to every visitor")
        elif name.rsplit(".", 1)[-1] in ("run", "run_server") and \
                (self._dev_server() or self._imported_dev_app(name)) and _on(self.ctx, debug) and \
                not (self._guarded_run(node) and _served_in_production(self.ctx.project, self.ctx.path)):
            how = "debug=True" if is_true(self.ctx, debug) else \
                f"debug={self.ctx.code_of(debug) if debug is not None else ''}, on unless the environment says otherwise"
            self.report(node, name, f"{dotted(node.func) or 'run'}({how}): the Werkzeug debugger lets "
                        "anyone who reaches it run code on the server")
        elif name.rsplit(".", 1)[-1] in ("update", "from_mapping") and _on(self.ctx, keyword(node, "DEBUG")):
            self.report(node, name, "Flask config DEBUG=True: the Werkzeug debugger lets anyone who reaches "
                        "it run code on the server")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """A route handler (a decorator ending in ``get``/``post``/``route``/``api_view``...) or an exception
        handler (``@app.exception_handler(Exception)``, ``@app.errorhandler(500)``) that answers with a stack trace
        (also held in a local first): ``return {"error": traceback.format_exc()}``, ``jsonify(trace=...)``, ``HTTPException(
        detail=task.traceback)``."""
        if is_dev_module(self.ctx.path) or not any(_ROUTE_DECORATOR.search(self.ctx.code_of(d.decorator))
                                                   for d in node.decorators):
            return
        # names a stack trace is held in first (``tb = traceback.format_exc()`` ... ``content={"trace": tb}``)
        held = {t.target.value for a in walk(node.body) if isinstance(a, cst.Assign) and _is_trace(a.value)
                for t in a.targets if isinstance(t.target, cst.Name)}
        for inner in walk(node.body):
            sent = inner.value if isinstance(inner, cst.Return) else \
                inner if isinstance(inner, cst.Call) and _RESPONSE.search(dotted(inner.func) or "") else None
            trace = next((n for n in walk(sent) if _is_trace(n) or (isinstance(n, cst.Name) and n.value in held)),
                         None) if sent is not None else None
            if trace is not None:
                handler = any(re.search(r"(?:exception_handler|errorhandler)\s*\(", self.ctx.code_of(d.decorator))
                              for d in node.decorators)
                what = "an exception handler answers every error" if handler else "a route answers"
                self.report(trace, "traceback", f"{what} with a Python stack trace: visitors see source "
                            "paths, code and internals (the debug page's leak without debug mode)")
                return

    def visit_Assign(self, node: cst.Assign) -> None:
        if is_dev_module(self.ctx.path) or not self._dev_server() or not _on(self.ctx, node.value):
            return
        for target in node.targets:
            t = target.target
            attr = isinstance(t, cst.Attribute) and t.attr.value == "debug"
            index = t.slice[0].slice if isinstance(t, cst.Subscript) and len(t.slice) == 1 else None
            item = isinstance(index, cst.Index) and string_value(index.value) == "DEBUG"
            if attr or item:
                self.report(node, "DEBUG", "Flask debug mode is switched on in code: the Werkzeug debugger "
                            "lets anyone who reaches it run code on the server")

    def _guarded_run(self, node: cst.Call) -> bool:
        """True when the call runs only when the module is started, not when a server imports it: under ``if
        __name__ == "__main__":`` or inside a function. (A module-level ``app.run(debug=True)`` runs under
        gunicorn too, when it imports the module.)"""
        stmt = next((s for s in self.ctx.module.body if any(n is node for n in walk(s))), None)
        return stmt is None or not isinstance(stmt, cst.SimpleStatementLine)

    def _dev_server(self) -> bool:
        return any(v.split(".", 1)[0] in _DEV_SERVERS for v in self.ctx.imports.aliases.values())

    def _imported_dev_app(self, name: str) -> bool:
        """``from own_chat.app import app`` then ``app.run(debug=True)`` in ``__main__.py``: the app object comes
        from a project module that builds it with Flask (or another development server)."""
        module = name.rsplit(".", 2)[0] if name.count(".") >= 2 else ""
        path = self.ctx.project.find_module(module) if module else None
        return path is not None and path != self.ctx.path and \
            any(v.split(".", 1)[0] in _DEV_SERVERS for v in self.ctx.project.imports(path).aliases.values())


def _served_in_production(project: Project, path: str) -> bool:
    """True when the deployment files serve this module's app with an ASGI/WSGI server (``CMD ["gunicorn",
    "src.pkg.app:app"]``, ``web: gunicorn wsgi:app`` where ``wsgi.py`` imports this module) and never start it
    with ``python``: its ``app.run(debug=True)`` is the local development command (set 23: AssistOnto)."""
    module = module_of(path)
    for target in project.served:
        if same_module(target, module):
            return True
        entry = project.find_module(target)
        if entry is not None and entry != path and \
                any(same_module(v.rsplit(".", 1)[0], module) or same_module(v, module)
                    for v in project.imports(entry).aliases.values()):
            return True
    return False


#: ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings_prod")`` in a WSGI/ASGI entry module.
_SETTINGS_DEFAULT = re.compile(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]")
_ENTRY_NAMES = ("wsgi.py", "asgi.py", "passenger_wsgi.py")


def _overridden_in_production(project: Project, path: str) -> bool:
    """True when the project's WSGI/ASGI entry modules name settings modules and every one of them is another
    module that sets ``DEBUG`` itself (``settings_prod.py``: ``from .settings import *`` then ``DEBUG =
    False``): the settings at ``path`` serve ``manage.py runserver`` only, and the production value is judged in
    its own module. False when no entry names a settings module, or one names ``path`` or a module that
    inherits ``DEBUG``."""
    named: set[str] = set()
    for entry in project.files_containing("DJANGO_SETTINGS_MODULE"):
        if entry.rsplit("/", 1)[-1] in _ENTRY_NAMES:
            named.update(m.group(1) for m in _SETTINGS_DEFAULT.finditer(project.texts.get(entry, "")))
    if not named:
        return False
    for dotted_module in named:
        found = project.find_module(dotted_module)
        module = project.module(found) if found is not None else None
        if found is None or found == path or module is None or "DEBUG" not in module_constants(module):
            return False
    return True


#: Route decorators (Flask/FastAPI/Quart/Sanic/DRF): ``@app.get("/x")``, ``@router.post(...)``, ``@bp.route``.
_ROUTE_DECORATOR = re.compile(r"(?:^|\.)(?:get|post|put|patch|delete|route|api_route|websocket|api_view|"
                              r"exception_handler|errorhandler|app_errorhandler)\s*\(")
#: What sends a value to the client.
_RESPONSE = re.compile(r"(?:^|\.)(?:jsonify|JSONResponse|JsonResponse|Response|HTTPException|HttpResponse|"
                       r"make_response|PlainTextResponse|ORJSONResponse)$")


def _is_trace(node: cst.CSTNode) -> bool:
    """``traceback.format_exc()`` / ``format_exception(...)`` / ``format_tb(...)``, or a ``.traceback`` attribute
    (a Celery ``AsyncResult.traceback``)."""
    if isinstance(node, cst.Call):
        name = dotted(node.func) or ""
        return name.rsplit(".", 1)[-1] in ("format_exc", "format_exception", "format_tb", "format_stack")
    return isinstance(node, cst.Attribute) and node.attr.value == "traceback"


def _on(ctx: FileContext, expr: cst.BaseExpression | None) -> bool:
    """``True`` (also through a constant of the file), or an env read whose default turns debug on, also
    through a constant of another project module (``debug=config.DEBUG`` with ``DEBUG =
    os.environ.get("FLASK_ENV", "development") != "production"`` in ``config.py``)."""
    if is_true(ctx, expr) or env_default_on(ctx, expr):
        return True
    if not isinstance(expr, (cst.Name, cst.Attribute)):
        return False
    qualified = ctx.imports.qualify(expr) or ""
    found = ctx.project.assignment(qualified, ctx.path) if "." in qualified else None
    if found is None or found[0] == ctx.path:
        return False
    module = ctx.project.module(found[0])
    if module is None:
        return False
    other = context_of(ctx, found[0], module)
    return is_true(other, found[1]) or env_default_on(other, found[1])


def _class_debug(node: cst.ClassDef) -> cst.Assign | None:
    """The last ``DEBUG = ...`` of a class body, or None."""
    found: cst.Assign | None = None
    for stmt in node.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == "DEBUG"
                                                         for t in small.targets):
                    found = small
    return found


def _from_object_targets(project: Project) -> frozenset[str]:
    """Qualified names an app (a module importing Flask or Quart, not a test or development module) loads with
    ``config.from_object(X)`` outside any ``if``: a config chosen by a condition or by a lookup is not one.
    Computed once per project."""
    cached = project.facts_cache.get("lr604:from_object")
    if isinstance(cached, frozenset):
        return cached
    targets: set[str] = set()
    for path in project.files_containing("from_object"):
        module = project.module(path)
        if module is None or is_dev_module(path) or any(p.startswith("test") or p.endswith(("_test.py", "tests"))
                                                         for p in path.lower().split("/")):
            continue
        imports = project.imports(path)
        if not any(v.split(".", 1)[0] in ("flask", "quart") for v in imports.aliases.values()):
            continue
        defaults = _parameter_defaults(module)
        for call in _unconditional_calls(module):
            name = dotted(call.func) or ""
            if not name.endswith("config.from_object") or not call.args:
                continue
            arg = call.args[0].value
            if isinstance(arg, cst.Name) and arg.value in defaults:  # def create_app(config_class=Config)
                arg = defaults[arg.value]
            text = string_value(arg)
            if text is not None:
                targets.add(absolute(text, path))
                continue
            expr = arg.func if isinstance(arg, cst.Call) else arg
            head = dotted(expr)
            if head is None:
                continue
            bound = imports.qualify(expr)
            if bound is not None and head.split(".", 1)[0] in imports.aliases:
                targets.add(absolute(bound, path))
            elif "." not in head:
                targets.add(f"{module_of(path)}.{head}")
    result = frozenset(t for t in targets if "." in t)
    project.facts_cache["lr604:from_object"] = result
    return result


def _parameter_defaults(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Parameter name -> default of the module's top-level functions (``def create_app(config_class=Config)``)."""
    found: dict[str, cst.BaseExpression] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            for param in (*stmt.params.params, *stmt.params.kwonly_params):
                if param.default is not None:
                    found[param.name.value] = param.default
    return found


def _unconditional_calls(node: cst.CSTNode) -> list[cst.Call]:
    """The calls under ``node`` that no ``if`` (statement or expression) and no loop encloses."""
    found: list[cst.Call] = []
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.If, cst.IfExp, cst.For, cst.While, cst.Match)):
            continue
        if isinstance(current, cst.Call):
            found.append(current)
        stack.extend(current.children)
    return found


RULES: tuple[type[PythonRule], ...] = (DebugInProduction,)
