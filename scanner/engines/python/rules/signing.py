"""AUTH306 for Python: a literal JWT, session, cookie or HMAC signing key (PyJWT, python-jose, Authlib, Flask,
Django, Starlette, itsdangerous, fastapi-users, ``hmac``)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, FileContext, PythonRule
from scanner.engines.python.literals import (
    Literal,
    argument,
    is_dev_class,
    is_dev_module,
    keyword,
    resolve,
)
from scanner.engines.python.names import dotted, string_value
from scanner.redact import secret_hash

#: Qualified call -> (positional index of the key, keyword names of the key, what the call is).
KEY_ARGUMENT: dict[str, tuple[int, tuple[str, ...], str]] = {
    "jwt.encode": (1, ("key",), "jwt.encode"),
    "jwt.decode": (1, ("key",), "jwt.decode"),
    "jose.jwt.encode": (1, ("key",), "python-jose jwt.encode"),
    "jose.jwt.decode": (1, ("key",), "python-jose jwt.decode"),
    "jose.jws.sign": (1, ("key",), "python-jose jws.sign"),
    "jose.jws.verify": (1, ("key",), "python-jose jws.verify"),
    "authlib.jose.jwt.encode": (2, ("key",), "Authlib jwt.encode"),
    "authlib.jose.jwt.decode": (1, ("key",), "Authlib jwt.decode"),
    "hmac.new": (0, ("key",), "hmac.new"),
    "hmac.HMAC": (0, ("key",), "hmac.HMAC"),
    "hmac.digest": (0, ("key",), "hmac.digest"),
}
_SERIALIZERS = frozenset({"URLSafeTimedSerializer", "URLSafeSerializer", "TimedSerializer", "Serializer",
                          "TimestampSigner", "Signer", "JSONWebSignatureSerializer",
                          "TimedJSONWebSignatureSerializer"})
#: Names (compared lower-case) whose value is a signing key wherever they are set.
SECRET_NAMES = frozenset({
    "secret_key", "jwt_secret", "jwt_secret_key", "jwt_key", "jwt_signing_key", "session_secret",
    "session_secret_key", "cookie_secret", "auth_secret", "nextauth_secret", "token_secret", "signing_key",
    "signing_secret", "hmac_secret", "hmac_key", "access_token_secret", "access_token_secret_key",
    "refresh_token_secret", "refresh_secret_key", "flask_secret_key", "django_secret_key",
    "authjwt_secret_key", "app_secret_key", "wtf_csrf_secret_key", "csrf_secret",
})


class HardcodedSigningSecret(PythonRule):
    """
    ## What it finds
    A string literal used as a key that signs or verifies tokens and sessions: the key argument of PyJWT,
    python-jose and Authlib `encode`/`decode`, `hmac.new`, itsdangerous serializers, fastapi-users
    `JWTStrategy(secret=...)`, Starlette `SessionMiddleware(secret_key=...)`; Flask `app.secret_key`,
    `app.config["SECRET_KEY"]` / `["JWT_SECRET_KEY"]`, `config.update(SECRET_KEY=...)`; a settings dict's
    signing key (djangorestframework-simplejwt `SIMPLE_JWT = {"SIGNING_KEY": "..."}`); a module constant or
    config-class attribute named like a signing key (`SECRET_KEY`, `JWT_SECRET`, `SESSION_SECRET`, ...),
    which covers Django settings. The literal is followed through constants, `.encode()` and keyword
    arguments in the file; `os.getenv("JWT_SECRET", "dev")` and `os.environ.get("X") or "dev"` count (the
    fallback becomes the key when the variable is missing). Not reported: values read from the
    environment with no fallback, test code, settings modules and config classes for development, local use
    or tests (`settings/local.py`, `DevelopmentConfig`).

    ## Why it matters
    Whoever knows the key can sign a session cookie or token for any member, or an admin: the key is known
    to everyone who reads the repository, its forks or its history.

    ## Example
    ```python
    SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7"
    token = jwt.encode({"sub": user.id}, SECRET_KEY, algorithm="HS256")
    ```

    ## Fix
    Read the key from the environment with no fallback (`os.environ["SECRET_KEY"]`), generate it with
    `secrets.token_urlsafe(48)`, and rotate the committed one.
    """

    CODE = "AUTH306"
    MESSAGE = "a literal is used as a signing key"
    VALID: ClassVar[list[Example]] = [
        Example("import os, jwt\nSECRET_KEY = os.environ['SECRET_KEY']\n"
                "def token(p):\n    return jwt.encode(p, SECRET_KEY, algorithm='HS256')\n"),
        Example("import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.getenv('SECRET_KEY')\n"),
        Example("import environ\nenv = environ.Env()\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n",
                path="config/settings/production.py"),
        Example("SECRET_KEY = 'django-insecure-local-only'\nDEBUG = True\n", path="config/settings/local.py"),
        Example("class DevelopmentConfig(Config):\n    SECRET_KEY = 'dev'\n", path="config.py"),
        Example("import jwt\ndef claims(token, key):\n    return jwt.decode(token, key, algorithms=['HS256'])\n"),
        Example("import os, hmac, hashlib\nSECRET = os.environ['WEBHOOK_SECRET'].encode()\n"
                "def sign(body):\n    return hmac.new(SECRET, body, hashlib.sha256).hexdigest()\n"),
        Example("import os\nSECRET_KEY = os.getenv('SECRET_KEY', '')\n"),
        Example("import os\nSIMPLE_JWT = {'ALGORITHM': 'HS256', 'SIGNING_KEY': os.environ['JWT_SIGNING_KEY']}\n",
                path="backend/settings.py"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("from datetime import timedelta\nSIMPLE_JWT = {\n    'ACCESS_TOKEN_LIFETIME': timedelta(days=1),\n"
                "    'SIGNING_KEY': 'my-signing-key',\n}\n", path="backend/settings.py", line=4),
        Example("import jwt\nSECRET_KEY = '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7'\n"
                "ALGORITHM = 'HS256'\ndef create_access_token(data):\n"
                "    return jwt.encode(data, SECRET_KEY, algorithm=ALGORITHM)\n", line=2),
        Example("from jose import jwt\ndef verify(token):\n"
                "    return jwt.decode(token, 'my-secret', algorithms=['HS256'])\n", line=3),
        Example("import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                "app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'change-me')\n", line=4),
        Example("SECRET_KEY = 'django-insecure-8x^k2z@b5$w!q0m1(r7t3-y6u9i4o0p'\nDEBUG = False\n",
                path="mysite/settings.py", line=1),
        Example("import os\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'\n",
                path="config.py", line=3),
        Example("import hmac, hashlib\ndef sign(body: bytes) -> str:\n"
                "    return hmac.new(b'webhook-key', body, hashlib.sha256).hexdigest()\n", line=3),
        Example("from starlette.middleware.sessions import SessionMiddleware\n"
                "app.add_middleware(SessionMiddleware, secret_key='some-random-string')\n", line=2),
        Example("from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n"
                "    jwt_secret: str = 'supersecret'\n", line=3),
        Example("from itsdangerous import URLSafeTimedSerializer\n"
                "serializer = URLSafeTimedSerializer('reset-password-key')\n", line=2),
    ]

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._classes: list[str] = []
        self._functions = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions -= 1

    def visit_Call(self, node: cst.Call) -> None:
        found = self._sink(node)
        if found is not None:
            key, label = found
            self._report(resolve(self.ctx, key), f"the key of {label}")
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value.lower() in SECRET_NAMES and arg.keyword.value.isupper():
                self._report(resolve(self.ctx, arg.value), arg.keyword.value)

    def _sink(self, call: cst.Call) -> tuple[cst.BaseExpression | None, str] | None:
        name = self.ctx.imports.qualify(call.func) or ""
        if name in KEY_ARGUMENT:
            index, names, label = KEY_ARGUMENT[name]
            return argument(call, index, *names), label
        last = name.rsplit(".", 1)[-1]
        if name.startswith("itsdangerous.") and last in _SERIALIZERS:
            return argument(call, 0, "secret_key"), f"itsdangerous {last}"
        if last == "JWTStrategy":
            return argument(call, 0, "secret"), "fastapi-users JWTStrategy"
        first = call.args[0].value if call.args else None
        session_mw = last == "SessionMiddleware" or (
            last in ("add_middleware", "Middleware") and first is not None
            and (dotted(first) or "").endswith("SessionMiddleware"))
        if session_mw:
            return keyword(call, "secret_key"), "SessionMiddleware"
        return None

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assignment(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment(node.target, node.value)

    def _assignment(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Attribute) and target.attr.value == "secret_key":
            self._report(resolve(self.ctx, value), dotted(target) or "secret_key")
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            name = string_value(index.value) if isinstance(index, cst.Index) else None
            if name is not None and name.lower() in SECRET_NAMES:
                self._report(resolve(self.ctx, value), f"config[{name!r}]")
        elif isinstance(target, cst.Name) and target.value.lower() in SECRET_NAMES and self._functions == 0:
            if is_dev_module(self.ctx.path) or any(is_dev_class(c) for c in self._classes):
                return
            self._report(resolve(self.ctx, value), target.value)
        elif isinstance(target, cst.Name) and isinstance(value, cst.Dict) and self._functions == 0 and \
                not any(is_dev_class(c) for c in self._classes):
            # a settings dict (djangorestframework-simplejwt ``SIMPLE_JWT = {"SIGNING_KEY": "..."}``)
            for element in value.elements:
                key = string_value(element.key) if isinstance(element, cst.DictElement) else None
                if isinstance(element, cst.DictElement) and key is not None and key.lower() in SECRET_NAMES:
                    self._report(resolve(self.ctx, element.value), f"{target.value}[{key!r}]")

    def _report(self, found: Literal | None, label: str) -> None:
        if found is None or is_dev_module(self.ctx.path):
            return
        how = " (the fallback of an environment lookup)" if found.fallback else ""
        message = (f"{label} is a literal signing key{how}: anyone who reads the repository can sign "
                   "sessions or tokens for any member")
        # keyed by the value alone, as the secrets engine keys its findings: the secrets-only hook's SEC190 on the
        # same literal matches a baseline entry made by a full scan (``filters.baseline``)
        self.report(found.node, "", message, key=secret_hash(self.CODE, found.value))


RULES: tuple[type[PythonRule], ...] = (HardcodedSigningSecret,)
