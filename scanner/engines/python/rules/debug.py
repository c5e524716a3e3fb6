"""LR604 for Python: debug mode on in production (Django ``DEBUG = True``, Flask ``debug=True``,
``FastAPI(debug=True)``)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, PythonRule
from scanner.engines.python.literals import is_dev_module, is_true, keyword
from scanner.engines.python.names import dotted, module_constants, string_value

_APP_CLASSES = {"fastapi.FastAPI": "FastAPI(debug=True)", "starlette.applications.Starlette": "Starlette(debug=True)",
                "starlette.Starlette": "Starlette(debug=True)"}
_DEV_SERVERS = ("flask", "quart", "flask_socketio", "dash", "sanic")
_DJANGO_MARKERS = ("INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE")


class DebugInProduction(PythonRule):
    """
    ## What it finds
    Django `DEBUG = True` as the final module-level value in a settings module (`settings.py`, `settings/*.py`
    or a module with `INSTALLED_APPS`) that is not for tests, local use or development and not gated on the
    environment; Flask (also Quart, Flask-SocketIO, Dash, Sanic) `app.run(debug=True)`, `app.debug = True`,
    `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`; `FastAPI(debug=True)` and
    `Starlette(debug=True)`. A `True` reached through a constant of the file counts.

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
        Example("import os\nINSTALLED_APPS = []\nDEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n",
                path="mysite/settings.py"),
        Example("DEBUG = True\nINSTALLED_APPS = []\n", path="mysite/settings/local.py"),
        Example("import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                "app.run(debug=os.getenv('FLASK_DEBUG') == '1')\n"),
        Example("from fastapi import FastAPI\napp = FastAPI(title='chat', debug=False)\n"),
        Example("from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(port=5000)\n"),
        Example("import os\nINSTALLED_APPS = []\nDEBUG = True\nDEBUG = os.environ.get('DEBUG') == 'true'\n",
                path="project/settings.py"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("SECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = True\nINSTALLED_APPS = []\n",
                path="mysite/settings.py", line=2),
        Example("from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n"
                "    app.run(host='0.0.0.0', port=8080, debug=True)\n", line=4),
        Example("from fastapi import FastAPI\napp = FastAPI(debug=True)\n", line=2),
        Example("from flask import Flask\napp = Flask(__name__)\napp.config['DEBUG'] = True\n", line=3),
        Example("from flask_socketio import SocketIO\nsocketio = SocketIO(app)\nDEBUG = True\n"
                "socketio.run(app, debug=DEBUG)\n", line=4),
        Example("from flask import Flask\napp = Flask(__name__)\napp.debug = True\n", line=3),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        if is_dev_module(self.ctx.path) or not self._is_django_settings():
            return
        value = module_constants(original_node).get("DEBUG")
        if value is not None and isinstance(value, cst.Name) and value.value == "True":
            self.report(value, "DEBUG", "Django DEBUG = True in a production settings module: the debug page "
                        "shows settings, source and stack traces to every visitor")

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
        if name in _APP_CLASSES and is_true(self.ctx, debug):
            self.report(node, name, f"{_APP_CLASSES[name]}: the debug page shows source and stack traces "
                        "to every visitor")
        elif name.rsplit(".", 1)[-1] in ("run", "run_server") and self._dev_server() and is_true(self.ctx, debug):
            self.report(node, name, f"{dotted(node.func) or 'run'}(debug=True): the Werkzeug debugger lets "
                        "anyone who reaches it run code on the server")
        elif name.rsplit(".", 1)[-1] in ("update", "from_mapping") and is_true(self.ctx, keyword(node, "DEBUG")):
            self.report(node, name, "Flask config DEBUG=True: the Werkzeug debugger lets anyone who reaches "
                        "it run code on the server")

    def visit_Assign(self, node: cst.Assign) -> None:
        if is_dev_module(self.ctx.path) or not self._dev_server() or not is_true(self.ctx, node.value):
            return
        for target in node.targets:
            t = target.target
            attr = isinstance(t, cst.Attribute) and t.attr.value == "debug"
            index = t.slice[0].slice if isinstance(t, cst.Subscript) and len(t.slice) == 1 else None
            item = isinstance(index, cst.Index) and string_value(index.value) == "DEBUG"
            if attr or item:
                self.report(node, "DEBUG", "Flask debug mode is switched on in code: the Werkzeug debugger "
                            "lets anyone who reaches it run code on the server")

    def _dev_server(self) -> bool:
        return any(v.split(".", 1)[0] in _DEV_SERVERS for v in self.ctx.imports.aliases.values())


RULES: tuple[type[PythonRule], ...] = (DebugInProduction,)
