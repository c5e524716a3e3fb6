"""CORS5xx for Python: flask-cors, Starlette/FastAPI CORSMiddleware, django-cors-headers, Socket.IO, headers."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, PythonRule
from scanner.engines.python.cors_analysis import CorsCollector, CorsHit


class _CorsRule(PythonRule):
    """Reports the ``CorsHit``s of its code that the module's ``CorsCollector`` found."""

    COLLECTOR = CorsCollector

    def leave_Module(self, original_node: cst.Module) -> None:
        hits = self.ctx.memo.get("cors", [])
        assert isinstance(hits, list)
        for hit in hits:
            if isinstance(hit, CorsHit) and hit.code == self.CODE:
                self.report(hit.node, hit.context, f"{self.MESSAGE}: {hit.detail}")


class AnyOrigin(_CorsRule):
    """
    ## What it finds
    A CORS policy that allows every origin without credentials: flask-cors `CORS(app)` with its default
    origins `*` (also when a misspelled keyword such as `resource=` leaves the default in place) or
    `origins="*"`, `@cross_origin()`, Starlette/FastAPI `CORSMiddleware(allow_origins=["*"])` or an
    `allow_origin_regex` that matches everything, django-cors-headers `CORS_ALLOW_ALL_ORIGINS = True`,
    Socket.IO `cors_allowed_origins="*"` with `cors_credentials=False`, or a hand-set
    `Access-Control-Allow-Origin: *` header. Origins read from the environment with a `"*"` fallback
    (`os.getenv("CORS_ORIGINS", "*").split(",")`, `getenv(...) or "*"`) count as `*`, and so do origin regexes
    that let foreign origins through: no `$` anchor where the library uses `re.match` (flask-cors,
    django-cors-headers), a trailing wildcard, or a wildcard followed by an unescaped `.`.

    ## Why it matters
    Any website can call the API from its visitors' browsers and read the answers: your model budget and
    every endpoint that trusts the network rather than a login become everybody's.

    ## Example
    ```python
    CORS(app)
    ```

    ## Fix
    List your own front-end origins: `CORS(app, origins=["https://app.example.com"])`,
    `allow_origins=["https://app.example.com"]`, `CORS_ALLOWED_ORIGINS = [...]`.
    """

    CODE = "CORS501"
    MESSAGE = "CORS allows any origin"
    VALID: ClassVar[list[Example]] = [
        Example("from flask_cors import CORS\nCORS(app, origins=['https://app.example.com'])\n"),
        Example("from fastapi.middleware.cors import CORSMiddleware\n"
                "app.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'])\n"),
        Example("CORS_ALLOWED_ORIGINS = ['https://app.example.com']\nCORS_ALLOW_ALL_ORIGINS = False\n",
                path="settings.py"),
        Example("from flask_cors import CORS\nCORS(app, resources={r'/api/*': {'origins': 'https://a.example'}})\n"),
        Example("import os\nfrom fastapi.middleware.cors import CORSMiddleware\n"
                "origins = os.getenv('CORS_ORIGINS', 'https://app.example.com').split(',')\n"
                "app.add_middleware(CORSMiddleware, allow_origins=origins)\n"),
        Example("from fastapi.middleware.cors import CORSMiddleware\n"
                "app.add_middleware(CORSMiddleware, allow_origin_regex=r'https://(app|www)\\.example\\.com')\n"),
        Example("CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\\w+\\.example\\.com$']\n", path="settings.py"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("from flask_cors import CORS as C\nC(app, resource=r'/*')\n", line=2),
        Example("from fastapi.middleware.cors import CORSMiddleware\napp.add_middleware(\n    CORSMiddleware,\n"
                "    allow_origins=['*'],\n)\n", line=4),
        Example("CORS_ORIGIN_ALLOW_ALL = True\n", path="settings.py", line=1),
        Example("from flask import Flask\napp = Flask(__name__)\n@app.after_request\ndef cors(resp):\n"
                "    resp.headers['Access-Control-Allow-Origin'] = '*'\n    return resp\n", line=5),
        Example("import os\nfrom fastapi.middleware.cors import CORSMiddleware\n"
                "origins = os.getenv('CORS_ORIGINS', '*').split(',')\n"
                "app.add_middleware(CORSMiddleware, allow_origins=origins)\n", line=4),
        Example("import os\nfrom flask_cors import CORS\n"
                "CORS(app, origins=os.environ.get('ALLOWED_ORIGINS') or '*')\n", line=3),
        Example("from fastapi.middleware.cors import CORSMiddleware\n"
                "app.add_middleware(CORSMiddleware, allow_origin_regex=r'https://.*.example.com')\n", line=2),
        Example("CORS_ALLOWED_ORIGIN_REGEXES = [\n    r'^https://\\w+\\.example\\.com',\n]\n",
                path="settings.py", line=2),
        Example("from flask_cors import CORS\nCORS(app, origins=[r'https://app\\.example\\.com.*'])\n", line=2),
    ]


class ReflectedOrigin(_CorsRule):
    """
    ## What it finds
    A response header `Access-Control-Allow-Origin` set to the request's own `Origin` header with no
    allow-list check in the function (no `origin in ALLOWED`, `==` or `is_allowed(origin)`), without
    credentials.

    ## Why it matters
    Echoing the origin allows every website, and unlike `*` it is also accepted together with credentials:
    one more header makes it critical.

    ## Example
    ```python
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    ```

    ## Fix
    Compare the origin against an explicit allow-list and only then echo it, or use the framework's CORS
    support with a list of origins.
    """

    CODE = "CORS502"
    MESSAGE = "CORS echoes the request's origin"
    VALID: ClassVar[list[Example]] = [
        Example("def cors(resp):\n    origin = request.headers.get('Origin')\n    if origin in ALLOWED:\n"
                "        resp.headers['Access-Control-Allow-Origin'] = origin\n    return resp\n"),
        Example("def cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = 'https://app.example.com'\n"),
        Example("def cors(resp):\n    origin = request.headers.get('Origin')\n    if is_allowed(origin):\n"
                "        resp.headers.set('Access-Control-Allow-Origin', origin)\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("def cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')\n"
                "    return resp\n", line=2),
        Example("def cors(request, resp):\n    origin = request.META['HTTP_ORIGIN']\n"
                "    resp['Access-Control-Allow-Origin'] = origin\n", line=3),
        Example("def options(request):\n    return Response(headers={'Access-Control-Allow-Origin': "
                "request.headers['origin']})\n", line=2),
    ]


class CredentialedReflectedOrigin(_CorsRule):
    """
    ## What it finds
    CORS that lets every origin make credentialed requests: a hand-echoed `Origin` with
    `Access-Control-Allow-Credentials: true`, and the framework settings that reflect the origin when any
    origin is combined with credentials: flask-cors `supports_credentials=True` with default or `*` origins,
    Starlette `CORSMiddleware(allow_origins=["*"], allow_credentials=True)`, django-cors-headers
    `CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True`, Socket.IO
    `cors_allowed_origins="*"` (credentials are on by default).

    ## Why it matters
    Any website a logged-in member visits can call your API as that member and read the answers: chats,
    settings, API keys.

    ## Example
    ```python
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    ```

    ## Fix
    With credentials, list your own origins explicitly; never allow all.
    """

    CODE = "CORS503"
    MESSAGE = "CORS reflects any origin and allows credentials"
    VALID: ClassVar[list[Example]] = [
        Example("from fastapi.middleware.cors import CORSMiddleware\napp.add_middleware(CORSMiddleware, "
                "allow_origins=['https://app.example.com'], allow_credentials=True)\n"),
        Example("CORS_ALLOWED_ORIGINS = ['https://a.example']\nCORS_ALLOW_CREDENTIALS = True\n", path="settings.py"),
        Example("from flask_socketio import SocketIO\nsio = SocketIO(app, cors_allowed_origins=['https://a.example'])\n"),
        Example("from fastapi.middleware.cors import CORSMiddleware\nORIGINS = ['https://a.example']\n"
                "app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("from fastapi.middleware.cors import CORSMiddleware\napp.add_middleware(\n    CORSMiddleware,\n"
                "    allow_origins=['*'],\n    allow_credentials=True,\n)\n", line=4),
        Example("CORS_ALLOWED_ORIGINS = ['https://a.example']\nCORS_ALLOW_ALL_ORIGINS = True\n"
                "CORS_ALLOW_CREDENTIALS = True\n", path="settings.py", line=2),
        Example("from flask_cors import CORS\nCORS(app, supports_credentials=True)\n", line=2),
        Example("import socketio\nsio = socketio.AsyncServer(cors_allowed_origins='*')\n", line=2),
        Example("from fastapi.middleware.cors import CORSMiddleware\nORIGINS = ['*']\n"
                "app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)\n", line=3),
        Example("def cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = request.headers['Origin']\n"
                "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n", line=2),
    ]


class CredentialsWithAnyOrigin(_CorsRule):
    """
    ## What it finds
    A hand-set `Access-Control-Allow-Origin: *` together with `Access-Control-Allow-Credentials: true` in
    the same function or header dict (framework settings with `*` and credentials reflect instead: CORS503).

    ## Why it matters
    Browsers refuse this combination, so it does not work as written; it shows the intent to share
    credentials with every origin, and the usual next step (echoing the origin) is critical.

    ## Example
    ```python
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    ```

    ## Fix
    Decide which origins need credentialed access and list them explicitly.
    """

    CODE = "CORS504"
    MESSAGE = "CORS sends a literal * origin together with credentials"
    VALID: ClassVar[list[Example]] = [
        Example("def cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = 'https://a.example'\n"
                "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n"),
        Example("def cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = '*'\n"
                "    resp.headers['Access-Control-Allow-Credentials'] = 'false'\n"),
        Example("HEADERS = {'Access-Control-Allow-Origin': 'https://a.example', "
                "'Access-Control-Allow-Credentials': 'true'}\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("def cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = '*'\n"
                "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n", line=2),
        Example("HEADERS = {\n    'Access-Control-Allow-Origin': '*',\n"
                "    'Access-Control-Allow-Credentials': 'true',\n}\n", line=2),
        Example("def cors(resp):\n    resp.headers.add('Access-Control-Allow-Credentials', 'true')\n"
                "    resp.headers.add('Access-Control-Allow-Origin', '*')\n", line=3),
    ]


RULES: tuple[type[PythonRule], ...] = (AnyOrigin, ReflectedOrigin, CredentialedReflectedOrigin,
                                       CredentialsWithAnyOrigin)
