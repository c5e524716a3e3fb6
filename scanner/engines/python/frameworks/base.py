"""The protocol every web framework module implements, the ``Route`` it returns and the helpers they share.

A framework says which imports mark a module as its own (``roots``), how a module declares routes (a
function or a class becomes a ``Route`` with its auth verdict) and how it configures CORS (a call or a
settings assignment becomes ``CorsHit``s through the ``CorsCollector`` it is given).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.calls import BodyFacts, body_facts, guarding_decorator
from scanner.engines.python.facts import ProjectFacts
from scanner.engines.python.invocations import model_vendor, unseen_model_helper
from scanner.engines.python.memory_store import reads_conversation_store
from scanner.engines.python.mounts import join, mounts_of, receiver_key
from scanner.engines.python.names import string_value

if TYPE_CHECKING:
    from scanner.engines.python.cors_analysis import CorsCollector

#: ``@<app|router|bp>.<verb>(path)`` decorators and the HTTP method each implies (``""``: from ``methods=``).
ROUTE_DECORATORS = {"route": "", "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH",
                    "delete": "DELETE", "api_route": "", "websocket": "WS", "head": "HEAD",
                    "options": "OPTIONS"}


@dataclass(frozen=True)
class Route:
    """One handler. ``anchor`` is where a finding goes (decorator line, ``def`` line or DRF
    ``permission_classes`` line); ``open_permission`` is the explicit ``AllowAny`` node, if any; ``method``
    and ``url`` (with router prefixes, ``""`` when unknown) feed the route inventory; ``note`` says what an
    unauthenticated verdict rests on when the handler looks protected (a credential it never reads)."""

    framework: str
    name: str
    label: str
    anchor: cst.CSTNode
    authed: bool
    public: bool
    facts: BodyFacts
    open_permission: cst.CSTNode | None = None
    method: str = "*"
    url: str = ""
    note: str = ""

    @property
    def context(self) -> str:
        """The finding context: ``POST /api/chat handler chat``."""
        return f"{self.label} handler {self.name}"

    @property
    def mutating(self) -> bool:
        """True unless the route only answers GET/HEAD/OPTIONS (read-only pages are AUTH303's noise)."""
        verbs = set(self.label.split(" ")[0].split(",")) if self.framework != "django" else {"?"}
        return not verbs <= {"GET", "HEAD", "OPTIONS"}

    @property
    def sensitive(self) -> bool:
        """True when the handler calls a model or touches the database."""
        return self.facts.calls_model or self.facts.touches_db


class Framework:
    """One web framework: subclasses set ``name``/``roots``/``label`` and override what they support."""

    name: ClassVar[str] = ""
    #: Top-level modules whose import marks a module as this framework's.
    roots: ClassVar[frozenset[str]] = frozenset()
    #: The name in finding messages (``FastAPI POST /chat handler chat``); empty when the label says it.
    label: ClassVar[str] = ""

    def active(self, ctx: FileContext, imported: set[str]) -> bool:
        """True when this framework may declare routes in the module (``imported``: the import roots)."""
        return bool(imported & self.roots)

    def function_route(self, ctx: FileContext, func: cst.FunctionDef, active: set[str],
                       facts: ProjectFacts) -> Route | None:
        """The route ``func`` declares, or None (``active``: names of the frameworks active here)."""
        return None

    def class_route(self, ctx: FileContext, cls: cst.ClassDef, active: set[str],
                    facts: ProjectFacts) -> Route | None:
        """The route a class view declares, or None."""
        return None

    def cors_call(self, collector: CorsCollector, call: cst.Call, name: str) -> bool:
        """Record the CORS policy a call configures (``name``: its qualified name); True when handled."""
        return False

    def cors_assign(self, collector: CorsCollector, target: str, node: cst.Assign) -> bool:
        """Record the CORS policy a settings assignment configures; True when handled."""
        return False


def make_route(ctx: FileContext, framework: str, node: cst.FunctionDef | cst.ClassDef, label: str,
               anchor: cst.CSTNode, authed: bool, path: str, open_permission: cst.CSTNode | None = None,
               db_hint: bool = False, method: str = "*", account_hint: bool = False) -> Route:
    """Build a Route: adds body facts, body-level auth and the public-route verdict (a health or auth-flow
    route that has the model generate, such as a ``/ping`` that asks it, is public only if configured so);
    ``account_hint``: the view's serializer runs an account flow (``BodyFacts.account_flow``)."""
    facts = invoked_facts(ctx, node)
    if db_hint and not facts.touches_db:
        facts = replace(facts, touches_db=True, trivial=False, visitor_scoped=False,
                        public_listing=False)  # a queryset the class declares is not scoped by any visitor
    kind = ctx.knowledge.public_kind(path, node.name.value)
    read_only = label.split(" ")[0] in ("GET", "HEAD")
    # a static page (``/``, ``/home``) that stores and calls nothing, also one that takes a form's POST (when its
    # URL is known: a view nothing routes has no path to judge by)
    page = kind == "static" and (facts.trivial or ((read_only or bool(path)) and not facts.calls_model and
                                                   not facts.touches_db))
    configured = any(fnmatch.fnmatchcase(path, glob) for glob in ctx.knowledge.public_routes)
    if facts.trivial and reads_conversation_store(ctx, node):  # ``return jsonify(chats)``: no static page
        facts = replace(facts, trivial=False)
    if account_hint and not facts.account_flow:
        facts = replace(facts, account_flow=True)
    # a sign-up that signs the visitor in, or any write that runs an account flow (``POST /users/`` that
    # hashes the new password into the row it creates, a login issuing a token): public by intent
    signup = not facts.calls_model and (facts.signs_up or (facts.account_flow and not read_only))
    public = configured or (kind == "public" and not facts.generates) or page or facts.trivial or signup
    return Route(framework, node.name.value, label, anchor, authed or facts.authenticates, public, facts,
                 open_permission, method, path)


def invoked_facts(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef) -> BodyFacts:
    """The body facts of a handler with ``calls_model`` resting on a model *invocation*
    (``invocations.model_vendor``: an SDK method that runs a model, a model API over HTTP, or a project helper
    whose code does, followed into helpers; listing the vendor's models, ``client.models.list()``, runs none).
    Building a client (``OpenAI()``, ``ChatOpenAI(...)``), building
    messages, or calling a helper only *named* like model code (``llm_utils.clean(text)``) runs no model. Where
    a model-named helper's code is not in the repository at all, its name is the evidence left."""
    facts = body_facts(ctx, node)
    if facts.calls_model and (not facts.generates or (
            model_vendor(ctx, node) is None and unseen_model_helper(ctx, node) is None)):
        return replace(facts, calls_model=False, generates=False)
    return facts


def decorator_name(ctx: FileContext, dec: cst.Decorator) -> str:
    """The qualified name of a decorator, call parentheses dropped (``flask_login.login_required``)."""
    expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
    return ctx.imports.qualify(expr) or ""


def auth_decorated(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef) -> bool:
    """True when one of ``node``'s decorators authenticates (``@login_required``, ``@jwt_required()``, a project
    decorator whose wrapper refuses a caller without a credential)."""
    return any(guarding_decorator(ctx, decorator_name(ctx, d)) for d in node.decorators)


def route_decorators(func: cst.FunctionDef) -> Iterator[tuple[cst.Decorator, cst.Call, str]]:
    """``(decorator, call, verb)`` for each ``@<receiver>.<verb>(...)`` decorator of ``func``."""
    for dec in func.decorators:
        call = dec.decorator
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and \
                call.func.attr.value in ROUTE_DECORATORS:
            yield dec, call, call.func.attr.value


def receiver_framework(ctx: FileContext, call: cst.Call, active: set[str]) -> str | None:
    """Which framework a ``@x.get(...)`` decorator belongs to: by the receiver's import root, else FastAPI
    when imported, else Flask when imported."""
    assert isinstance(call.func, cst.Attribute)
    root = (ctx.imports.qualify(call.func.value) or "").split(".")[0]
    if root in ("flask", "quart"):
        return "flask"
    if root in ("fastapi", "starlette"):
        return "fastapi"
    return "fastapi" if "fastapi" in active else ("flask" if "flask" in active else None)


def decorated_path(ctx: FileContext, call: cst.Call) -> str | None:
    """The full URL path of a route decorator: the receiver's mount prefixes plus the literal path."""
    path = string_value(call.args[0].value) if call.args and call.args[0].keyword is None else None
    if path is None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in ("path", "rule"):
                path = string_value(arg.value)
    if path is None or not isinstance(call.func, cst.Attribute):
        return path
    return join(mounts_of(ctx.project, ctx.knowledge).prefix(receiver_key(ctx, call.func.value)), path)


def methods_of(call: cst.Call, verb: str) -> str:
    """The HTTP methods of a route decorator: from the verb, else ``methods=[...]``, else GET."""
    if ROUTE_DECORATORS.get(verb):
        return ROUTE_DECORATORS[verb]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "methods" and \
                isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
            names = [string_value(e.value) or "?" for e in arg.value.elements]
            return ",".join(n.upper() for n in names)
    return "GET"
