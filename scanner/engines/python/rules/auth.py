"""AUTH3xx for Python: Flask, FastAPI, Django and DRF route handlers without authentication."""

from __future__ import annotations

import re
from collections import Counter
from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, FileContext, IndexCollector, PythonRule
from scanner.engines.python.facts import project_facts
from scanner.engines.python.flask_admin import open_admin_views
from scanner.engines.python.names import dotted, walk
from scanner.engines.python.frameworks import FRAMEWORKS
from scanner.engines.python.object_access import public_lookups
from scanner.engines.python.object_sources import Access
from scanner.engines.python.memory_store import reads_conversation_store
from scanner.engines.python.routes import Route, handler_functions, handler_node, routes_of
from scanner.knowledge import DEBUG_ROUTE



class _AuthRule(PythonRule):
    """Shared logic: the route analysis runs once per file; each rule picks the routes it reports."""

    WHAT: ClassVar[str] = ""
    COLLECTOR = IndexCollector

    def leave_Module(self, original_node: cst.Module) -> None:
        for route in routes_of(self.ctx):
            if self.applies(route):
                label = FRAMEWORKS[route.framework].label
                prefix = f"{label} " if label and not route.label.startswith(label) else ""
                note = f" ({route.note})" if route.note else ""
                message = f"{prefix}{route.context}: {self.what(route)}{note}"
                anchor = route.open_permission or route.anchor
                self.report(anchor, route.context, message, f"{route.label} {route.name}")

    def applies(self, route: Route) -> bool:
        """True when this rule reports ``route``."""
        raise NotImplementedError

    def what(self, route: Route) -> str:
        """What the message says about ``route`` after its name."""
        return self.WHAT

    @staticmethod
    def unprotected(route: Route) -> bool:
        """No authentication, not public by design and no explicit ``AllowAny`` (that is AUTH304)."""
        return not route.authed and not route.public and route.open_permission is None


class UnauthenticatedModelRoute(_AuthRule):
    """
    ## What it finds
    A Flask, FastAPI, Django or DRF route handler that calls a model (OpenAI, Anthropic, Google AI,
    LiteLLM, LangChain, LlamaIndex, a model API over httpx/requests, or a project helper that wraps one) and
    has no authentication: no `@login_required`/`@jwt_required`, no `Depends(get_current_user)`, no auth
    `before_request` hook, no `LoginRequiredMixin` or DRF permission class, no check in its body.

    ## Why it matters
    Anyone who finds the URL can spend your model budget, use the app as a free proxy to the model, or
    pull other members' data through the prompt.

    ## Example
    ```python
    @app.post("/api/chat")
    def chat():
        return client.chat.completions.create(model="gpt-4o", messages=request.json["messages"])
    ```

    ## Fix
    Require a user before calling the model (`@login_required`, `user=Depends(get_current_user)`,
    `permission_classes = [IsAuthenticated]`) and add a per-user rate limit. If the route is public on
    purpose, list its path in `public_routes` in the launch-ready config.
    """

    CODE = "AUTH301"
    WHAT = "no authentication, and the handler calls a model"
    VALID: ClassVar[list[Example]] = [
        # the refusal is in a helper the hook or the decorator calls (attack)
        Example("from flask import Flask, session, abort\nfrom openai import OpenAI\napp = Flask(__name__)\n\n"
                "def _deny():\n    abort(403)\n\n@app.before_request\ndef guard():\n    if 'uid' not in session:\n"
                "        _deny()\n\n@app.post('/chat')\ndef chat():\n"
                "    return OpenAI().chat.completions.create(model='m', messages=[])\n"),
        Example("from functools import wraps\nfrom django.core.exceptions import PermissionDenied\n"
                "from django.http import JsonResponse\nfrom openai import OpenAI\n\ndef check(request):\n"
                "    if not request.user.is_authenticated:\n        raise PermissionDenied\n\ndef guarded(view):\n"
                "    @wraps(view)\n    def w(request, *a, **k):\n        check(request)\n"
                "        return view(request, *a, **k)\n    return w\n\n@guarded\ndef ask(request):\n"
                "    return JsonResponse(OpenAI().chat.completions.create(model='m', messages=[]))\n",
                path="chat/views.py",
                files=(("chat/urls.py", "from django.urls import path\nfrom chat import views\n"
                        "urlpatterns = [path('ask/', views.ask)]\n"),)),
        Example("from flask import Flask\nfrom flask_login import login_required\nimport openai\n"
                "app = Flask(__name__)\n\n@app.route('/ask', methods=['POST'])\n@login_required\n"
                "def ask():\n    return openai.chat.completions.create(model='m', messages=[])\n"),
        Example("from fastapi import FastAPI, Depends\nfrom openai import OpenAI\nfrom .auth import "
                "get_current_user\napp = FastAPI()\nclient = OpenAI()\n\n@app.post('/chat')\n"
                "def chat(user=Depends(get_current_user)):\n    return client.chat.completions.create()\n"),
        Example("from fastapi import APIRouter, Depends\nimport anthropic\nfrom app.deps import verify_api_key\n"
                "router = APIRouter(dependencies=[Depends(verify_api_key)])\n\n@router.post('/complete')\n"
                "def complete():\n    return anthropic.Anthropic().messages.create()\n"),
        Example("from flask import Flask, request, abort\nimport openai\napp = Flask(__name__)\n\n"
                "@app.before_request\ndef check():\n    if not request.headers.get('Authorization'):\n"
                "        abort(401)\n\n@app.post('/ask')\ndef ask():\n    return openai.chat.completions.create()\n"),
        # a project decorator whose wrapper answers 401 without a bearer token (set 22 djangp-chatgpt)
        Example("from rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n"
                "from openai import OpenAI\nfrom .decorators import jwt_authentication_required\n\n"
                "@api_view(['POST'])\n@jwt_authentication_required\ndef chat(request):\n"
                "    return Response(OpenAI().chat.completions.create(model='m', messages=[]))\n",
                path="chat/views.py",
                files=(("chat/decorators.py", "from functools import wraps\nfrom rest_framework import status\n"
                        "from rest_framework.response import Response\n\ndef jwt_authentication_required(view):\n"
                        "    @wraps(view)\n    def _wrapped(request, *args, **kwargs):\n"
                        "        header = request.headers.get('Authorization')\n"
                        "        if not header or not header.startswith('Bearer '):\n"
                        "            return Response({'error': 'token required'}, "
                        "status=status.HTTP_401_UNAUTHORIZED)\n"
                        "        return view(request, *args, **kwargs)\n    return _wrapped\n"),)),
        Example("from flask import Flask, request, jsonify\nimport openai\nfrom guards import needs_key\n"
                "app = Flask(__name__)\n\n@app.post('/ask')\n@needs_key('chat')\ndef ask():\n"
                "    return openai.chat.completions.create()\n",
                files=(("guards.py", "import functools\nfrom flask import request, abort\n\ndef needs_key(scope):\n"
                        "    def deco(f):\n        @functools.wraps(f)\n        def inner(*a, **k):\n"
                        "            if request.headers.get('X-API-Key') is None:\n                abort(401)\n"
                        "            return f(*a, **k)\n        return inner\n    return deco\n"),)),
        # the handler's own test of a credential header against a shared secret answers 401 (set 24 Cerebral)
        Example("import os\nfrom typing import Annotated\nfrom fastapi import FastAPI, Header, Response, status\n"
                "from anthropic import Anthropic\napp = FastAPI()\n\n@app.post('/generate')\n"
                "def generate(response: Response, authorization: Annotated[str | None, Header()] = None):\n"
                "    if authorization != os.environ.get('AUTHORIZATION_PASSWORD'):\n"
                "        response.status_code = status.HTTP_401_UNAUTHORIZED\n        return 'Unauthorized Request'\n"
                "    return Anthropic().messages.create(model='m', max_tokens=9, messages=[])\n"),
        Example("import os\nfrom flask import Flask, request, jsonify\nimport openai\napp = Flask(__name__)\n\n"
                "@app.post('/ask')\ndef ask():\n    key = request.headers.get('X-API-Key')\n"
                "    if key != os.environ['SERVICE_KEY']:\n        return jsonify(error='forbidden'), 403\n"
                "    return openai.chat.completions.create(model='m', messages=[])\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        # the caller's header is forwarded to another service, never tested: no check
        Example("from fastapi import FastAPI, Header\nimport openai\napp = FastAPI()\n\n@app.post('/chat')\n"
                "def chat(authorization: str | None = Header(None)):\n    if authorization:\n"
                "        log_caller(authorization)\n    return openai.chat.completions.create(model='m', messages=[])\n",
                line=5),
        Example("from flask import Flask, request\nimport openai\napp = Flask(__name__)\n\n"
                "@app.route('/relay', methods=['POST'])\ndef relay():\n"
                "    return openai.ChatCompletion.create(messages=[request.form['q']])\n", line=5),
        Example("from fastapi import FastAPI, Depends\nfrom openai import OpenAI as O\nfrom .db import get_db\n"
                "app = FastAPI()\n\n@app.post('/chat')\nasync def chat(db=Depends(get_db)):\n"
                "    return O().chat.completions.create()\n", line=6),
        Example("from django.http import JsonResponse\nfrom langchain_openai import ChatOpenAI\n\n"
                "def ask(request):\n    return JsonResponse({'a': ChatOpenAI().invoke(request.GET['q'])})\n",
                path="chat/views.py", line=4),
        Example("import httpx\nfrom fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post('/proxy')\n"
                "async def proxy(body: dict):\n    return httpx.post('https://api.openai.com/v1/chat/completions',"
                " json=body).json()\n", line=5),
        Example("from flask import Flask, request\nimport openai\napp = Flask(__name__)\n\ndef reply(text):\n"
                "    return openai.ChatCompletion.create(messages=[text])\n\n@app.route('/get')\n"
                "def get_bot_response():\n    return str(reply(request.args.get('msg')))\n", line=8),
        Example("from fastapi import FastAPI, Depends\nimport openai\nfrom .auth import get_current_user_optional\n"
                "app = FastAPI()\n\n@app.post('/chat')\ndef chat(user=Depends(get_current_user_optional)):\n"
                "    return openai.chat.completions.create()\n", line=6),
        Example("from fastapi import FastAPI, Security\nfrom fastapi.security import APIKeyHeader\nimport openai\n"
                "app = FastAPI()\nkey_header = APIKeyHeader(name='X-API-Key', auto_error=False)\n\n"
                "@app.post('/v1/chat')\ndef chat(key: str | None = Security(key_header)):\n"
                "    return openai.chat.completions.create()\n", line=7),
        Example("from fastapi import FastAPI\nimport openai\napp = FastAPI()\n\n@app.post('/index/refresh')\n"
                "def refresh():\n    return openai.embeddings.create(model='m', input=[])\n", line=5,
                files=(("tests/conftest.py", "from fastapi import FastAPI, Depends\nfrom app.auth import "
                        "require_user\ntest_app = FastAPI(dependencies=[Depends(require_user)])\n"),)),
        # a project decorator that only times the view refuses nobody
        Example("from rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n"
                "from openai import OpenAI\nfrom .decorators import timed_view\n\n"
                "@api_view(['POST'])\n@timed_view\ndef chat(request):\n"
                "    return Response(OpenAI().chat.completions.create(model='m', messages=[]))\n",
                path="chat/views.py", line=8,
                files=(("chat/decorators.py", "import time\nfrom functools import wraps\n\ndef timed_view(view):\n"
                        "    @wraps(view)\n    def _wrapped(request, *args, **kwargs):\n"
                        "        if request.user:\n            print(time.time())\n"
                        "        return view(request, *args, **kwargs)\n    return _wrapped\n"),)),
    ]

    def applies(self, route: Route) -> bool:
        return self.unprotected(route) and route.facts.calls_model

    def what(self, route: Route) -> str:
        """The model call, and the first row the handler loads or changes by an id from the request (one
        finding per route: the same missing check exposes both)."""
        lookups = _public_lookups(self.ctx, route)
        if not lookups:
            return self.WHAT
        first = lookups[0]
        return f"{self.WHAT}, and it {first.verb} {first.model} by {first.id_name} from the {first.source}"


class UnauthenticatedDataRoute(_AuthRule):
    """
    ## What it finds
    A route handler with no authentication that reads or writes the database: SQLAlchemy sessions and
    queries, the Django ORM (`Model.objects`), DRF viewsets with a `queryset`, raw SQL `execute`, MongoDB
    collections, Supabase tables. A route that also calls a model is AUTH301, whose message names the row of member
    data it loads or changes by an id from the request (`guestChats.objects.get(id=serializer.validated_data
    ["id"])`): one finding per route. A public landing page that saves a contact form and reads a site-wide
    counters row is left alone. Also a Flask-Admin view added with `admin.add_view(ModelView(User, db.session))`
    whose class (or a project base) defines no `is_accessible()`: Flask-Admin serves its pages to anyone, and a
    guarded `index_view` protects only the index page.

    ## Why it matters
    Without a user there is nobody to scope the query to: anyone can list or change other members' chats,
    documents and account data. A guest mode whose every query is filtered by a per-visitor key from the
    server-signed session (`session["guest_id"]`) reads only the visitor's own rows and is not reported; a key
    the client sends itself (an `X-Guest-ID` header) scopes nothing and is.

    ## Example
    ```python
    @app.get("/api/chats/<int:chat_id>")
    def get_chat(chat_id):
        return db.session.get(Chat, chat_id).to_dict()
    ```

    ## Fix
    Require an authenticated user before the query and filter by that user's id.
    """

    CODE = "AUTH302"
    WHAT = "no authentication, and the handler reads or writes the database"
    VALID: ClassVar[list[Example]] = [
        # member data read only when a project helper says the session holds a user; a sign-in that stores the
        # user row's id under "id" (set 25 AMA_HackTues11)
        Example("from flask import Flask, session, redirect, render_template\nfrom helpers import loggedIn, userId\n"
                "from models import Activity, User\napp = Flask(__name__)\n\n@app.route('/')\ndef home():\n"
                "    if loggedIn():\n        acts = Activity.query.filter_by(user_uuid=userId()).all()\n"
                "        return render_template('stats.html', acts=acts)\n    return render_template('home.html')\n\n"
                "@app.route('/log-in/', methods=['POST'])\ndef log_in():\n"
                "    user = User.query.filter_by(username=request.form['username']).first()\n"
                "    if user is not None and user.password == toHash(request.form['password']):\n"
                "        session['id'] = user.uuid\n        return redirect('/')\n    return render_template('login.html')\n",
                files=(("helpers.py", "from flask import session\nfrom models import User\n\ndef userId():\n"
                        "    return session.get('id')\n\ndef loggedIn():\n"
                        "    return 'id' in session and User.query.filter_by(uuid=str(userId())).first() is not None\n"),)),
        Example("import logging\nfrom functools import wraps\nfrom flask import Flask, jsonify, session, abort\n"
                "from models import Secret\napp = Flask(__name__)\n\ndef require_auth(func):\n    @wraps(func)\n"
                "    def wrapper(*args, **kwargs):\n        logging.info('checking')\n"
                "        if 'user_id' not in session:\n            abort(401)\n        return func(*args, **kwargs)\n"
                "    return wrapper\n\n@app.route('/secrets')\n@require_auth\n"
                "def secrets():\n    return jsonify([s.key for s in Secret.query.all()])\n"),
        Example("from flask import Flask\nfrom flask_jwt_extended import jwt_required\napp = Flask(__name__)\n\n"
                "@app.get('/chats')\n@jwt_required()\ndef chats():\n    return db.session.query(Chat).all()\n"),
        Example("from django.contrib.auth.decorators import login_required\n\n@login_required\n"
                "def chats(request):\n    return Chat.objects.filter(owner=request.user)\n", path="chat/views.py"),
        Example("from rest_framework.viewsets import ModelViewSet\nfrom rest_framework.permissions import "
                "IsAuthenticated\n\nclass ChatViewSet(ModelViewSet):\n    permission_classes = [IsAuthenticated]\n"
                "    queryset = Chat.objects.all()\n", path="chat/views.py"),
        # a session flag read into a local, then any redirect away when it is absent
        Example("from django.shortcuts import redirect\n\ndef logs(request, tid):\n"
                "    logged_in = request.session.get('logged_in', False)\n    rol = request.session.get('rol')\n"
                "    if not logged_in or rol != 'Tutor':\n        return redirect('inicio')\n"
                "    return list(Log.objects.filter(tutor=tid).values())\n", path="crud/views.py",
                files=(("crud/urls.py", "from django.urls import path\nfrom . import views\n"
                        "urlpatterns = [path('logs/<int:tid>/', views.logs)]\n"),)),
        # a Flask-Admin view whose class guards it
        Example("from flask_admin import Admin\nfrom flask_admin.contrib.sqla import ModelView\n"
                "from flask_login import current_user\n\nclass AdminOnly(ModelView):\n"
                "    def is_accessible(self):\n        return current_user.is_authenticated and current_user.is_admin\n"
                "\nadmin = Admin(name='Admin')\nadmin.add_view(AdminOnly(User, db.session))\n", path="app/admin.py"),
        # a guest mode keyed by what a session helper of the module answers (set 22 Assignment)
        Example("import time\nfrom flask import Flask, request, session, jsonify\napp = Flask(__name__)\n\n"
                "def get_user_id():\n    if 'user_id' in session:\n        return session['user_id']\n"
                "    uid = f'anon_{time.time()}'\n    db.get_or_create_user(uid)\n    return uid\n\n"
                "@app.get('/api/conversations')\ndef conversations():\n    user_id = get_user_id()\n"
                "    return jsonify(db.get_user_conversations(user_id))\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        # an app-wide middleware that reads the Authorization header only to log whether it is there
        Example("import logging\nfrom fastapi import FastAPI, Request, Depends\nfrom app.db import get_db\n"
                "app = FastAPI()\n\n@app.middleware('http')\nasync def log_requests(request: Request, call_next):\n"
                "    auth = request.headers.get('Authorization', '(none)')\n"
                "    logging.info('%s auth=%s', request.url.path, auth.startswith('Bearer '))\n"
                "    return await call_next(request)\n\n@app.post('/users/{email}/make-admin')\n"
                "def make_admin(email: str, db=Depends(get_db)):\n"
                "    return db.query(User).filter(User.email == email).update({'role': 'admin'})\n", line=12),
        # a project decorator named like auth whose wrapper only calls the view: a stub that checks nothing
        Example("from functools import wraps\nfrom flask import Flask, jsonify\nfrom models import Secret\n"
                "app = Flask(__name__)\n\ndef require_auth(func):\n    @wraps(func)\n"
                "    def wrapper(*args, **kwargs):\n        # Implement authentication and authorization here\n"
                "        return func(*args, **kwargs)\n    return wrapper\n\n@app.route('/secrets')\n@require_auth\n"
                "def secrets():\n    return jsonify([s.key for s in Secret.query.all()])\n", line=13),
        # the helper's key beside a conversation id the client picks
        Example("import time\nfrom flask import Flask, request, session, jsonify\napp = Flask(__name__)\n\n"
                "def get_user_id():\n    if 'user_id' in session:\n        return session['user_id']\n"
                "    uid = f'anon_{time.time()}'\n    db.get_or_create_user(uid)\n    return uid\n\n"
                "@app.get('/')\ndef index():\n    user_id = get_user_id()\n"
                "    conversation_id = request.args.get('conversation_id', 'default')\n"
                "    if conversation_id == 'default':\n"
                "        conversation_id = db.get_user_conversations(user_id)[0]['conversation_id']\n"
                "    return jsonify(db.get_conversation_messages(conversation_id))\n", line=12),
        # the query runs in a method of a service built in the handler; the SDK call beside it only looks up a
        # stored completion (set 23 study-pilot)
        Example("import openai\nfrom flask import Flask, request, jsonify\napp = Flask(__name__)\n\n"
                "class ChatService:\n    def latest(self, user_id):\n"
                "        conversation = Conversation.query.filter_by(user_id=user_id).first()\n"
                "        return openai.Completion.retrieve(conversation.thread_id)['choices'][0]['text']\n\n"
                "@app.get('/chat/latest')\ndef latest():\n    service = ChatService()\n"
                "    return jsonify(response=service.latest(request.args.get('user_id')))\n", line=10),
        # a stock Flask-Admin model view: its pages are open to anyone (set 17 IQSheets)
        Example("from flask_admin import Admin\nfrom flask_admin.contrib.sqla import ModelView\n\n"
                "admin = Admin(name='Admin')\nadmin.add_view(ModelView(User, db.session))\n", path="app/admin.py",
                line=5),
        # the session flag is read but never tested; and a redirect when it is *present* refuses nobody
        Example("from django.shortcuts import redirect\n\ndef logs(request, tid):\n"
                "    logged_in = request.session.get('logged_in', False)\n"
                "    return list(Log.objects.filter(tutor=tid).values())\n", path="crud/views.py", line=3,
                files=(("crud/urls.py", "from django.urls import path\nfrom . import views\n"
                        "urlpatterns = [path('logs/<int:tid>/', views.logs)]\n"),)),
        Example("from django.shortcuts import redirect\n\ndef logs(request, tid):\n"
                "    logged_in = request.session.get('logged_in', False)\n    if logged_in:\n"
                "        return redirect('home')\n    return list(Log.objects.filter(tutor=tid).values())\n",
                path="crud/views.py", line=3,
                files=(("crud/urls.py", "from django.urls import path\nfrom . import views\n"
                        "urlpatterns = [path('logs/<int:tid>/', views.logs)]\n"),)),
        Example("from flask import Flask\napp = Flask(__name__)\n\n@app.get('/chats/<int:cid>')\n"
                "def chat(cid):\n    return db.session.get(Chat, cid).to_dict()\n", line=4),
        Example("def chats(request):\n    return list(Chat.objects.values())\n", path="chat/views.py", line=1,
                files=(("chat/urls.py", "from django.urls import path\nfrom . import views\n"
                        "urlpatterns = [path('chats/', views.chats)]\n"),)),
        Example("from rest_framework.viewsets import ModelViewSet\n\nclass ChatViewSet(ModelViewSet):\n"
                "    queryset = Chat.objects.all()\n", path="chat/views.py", line=3),
        Example("from fastapi import APIRouter, Depends\nfrom app.db import get_db\nrouter = APIRouter()\n\n"
                "@router.delete('/notes/{nid}')\ndef delete(nid: int, db=Depends(get_db)):\n"
                "    db.execute('DELETE FROM notes WHERE id = :i', {'i': nid})\n", line=5),
        Example("from fastapi import APIRouter, Depends\nfrom app.db import get_db\n"
                "users = APIRouter(prefix='/users')\n\n@users.patch('/{uid}/status')\n"
                "def set_status(uid: int, db=Depends(get_db)):\n    db.query(User).get(uid).active = False\n",
                line=5),
        Example("from fastapi import APIRouter, Depends\nfrom app.db import get_db\n"
                "notes = APIRouter(prefix='/notes')\n\n@notes.get('/')\n"
                "def list_notes(db=Depends(get_db)):\n    return db.query(Note).all()\n", line=5),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        if project_facts(self.ctx.project, self.ctx.knowledge).flask_global_auth:
            return  # an auth ``before_request`` hook guards the admin pages too
        for view in open_admin_views(self.ctx):
            what = "can list, create, edit and delete its rows" if view.model else "can open its pages"
            self.report(view.call, "Flask-Admin", f"Flask-Admin view {view.label} has no is_accessible(): anyone "
                        f"{what} (a guarded index_view protects only the index page)", f"add_view {view.label}")

    def applies(self, route: Route) -> bool:
        if not self.unprotected(route) or not route.facts.touches_db or route.facts.visitor_scoped:
            return False
        if route.facts.calls_model:  # AUTH301 reports the route, naming the row it loads by a request id
            return False
        return not (route.facts.public_listing and (route.framework == "django" or not route.mutating))


def _public_lookups(ctx: FileContext, route: Route) -> list[Access]:
    """Rows the route's handler loads or changes by an id from the request (``public_lookups``)."""
    return [a for f in handler_functions(ctx, route) for a in public_lookups(ctx, f, route.url, route.framework)]


class UnauthenticatedRoute(_AuthRule):
    """
    ## What it finds
    A route handler that does real work (reads request data, calls other code) with no authentication and
    that is not public by design (health checks, login/signup/password reset, signed webhooks and pages that
    only render a template are left alone). Read-only routes are reported when they return a shared in-memory
    store of conversations that other code writes to (`chats = []` with `chats.append(new_chat)`, then
    `GET /chats` returning it): that list is the app's database.

    ## Why it matters
    Routes are public by default. An endpoint written for the app's own front end is callable by anyone.

    ## Example
    ```python
    @router.post("/api/upload")
    async def upload(file: UploadFile):
        return await store(file)
    ```

    ## Fix
    Add the project's auth decorator or dependency; if the route is public on purpose, list its path in
    `public_routes` in the launch-ready config.
    """

    CODE = "AUTH303"
    WHAT = "no authentication"
    VALID: ClassVar[list[Example]] = [
        Example("from flask import Flask, render_template\napp = Flask(__name__)\n\n@app.route('/')\n"
                "def home():\n    return render_template('index.html')\n"),
        Example("from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/healthz')\ndef health():\n"
                "    return check_services()\n"),
        Example("from flask import Flask, request\nimport hmac\napp = Flask(__name__)\n\n@app.post('/webhook')\n"
                "def hook():\n    if not hmac.compare_digest(sign(request.data), request.headers['X-Sig']):\n"
                "        return '', 400\n    return process(request.json)\n"),
        Example("from flask import Blueprint, request, abort, g\nbp = Blueprint('api', __name__)\n\n"
                "@bp.before_request\ndef need_user():\n    if g.get('user') is None:\n        abort(401)\n\n"
                "@bp.post('/upload')\ndef upload():\n    return store(request.files['f'])\n"),
        Example("from flask import Flask, session, redirect\napp = Flask(__name__)\n\n@app.post('/clear')\n"
                "def clear():\n    session.pop('chat', None)\n    return redirect('/')\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("from fastapi import APIRouter, UploadFile\nrouter = APIRouter()\n\n@router.post('/upload')\n"
                "async def upload(file: UploadFile):\n    return await store(file)\n", line=4),
        Example("from flask import Blueprint, request\nbp = Blueprint('api', __name__)\n\n"
                "@bp.route('/translate', methods=['POST'])\ndef translate():\n"
                "    return convert(request.json['text'])\n", line=4),
        Example("from flask import request\nfrom flask.views import MethodView\n\nclass Upload(MethodView):\n"
                "    def post(self):\n        return store(request.files['f'])\n\n"
                "app.add_url_rule('/upload', view_func=Upload.as_view('upload'))\n", line=4),
        Example("import os\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/debug/env')\ndef env():\n"
                "    return {'env': os.getenv('APP_ENV'), 'db': bool(os.getenv('DATABASE_URL'))}\n", line=5),
    ]

    def applies(self, route: Route) -> bool:
        if not self.unprotected(route) or route.sensitive:
            return False
        if DEBUG_ROUTE.search(route.url):
            return True  # an open debugging route, whatever it answers (``knowledge.DEBUG_ROUTE``)
        node = handler_node(self.ctx, route) if not route.mutating else None
        return route.mutating or (node is not None and reads_conversation_store(self.ctx, node))


class PermissiveViewPermission(_AuthRule):
    """
    ## What it finds
    A DRF view, viewset or `@api_view` function that opts out of authentication explicitly with
    `permission_classes = [AllowAny]` (or an empty list) although it calls a model or touches the database.
    Account flows are public by intent and left alone, judged by what they do: registration (creates the
    account, in the view or its `serializer_class`), login and token views (check a password, issue a token),
    password-reset requests (issue a reset token).

    ## Why it matters
    An explicit `AllowAny` overrides `DEFAULT_PERMISSION_CLASSES`, so the view stays open even after the rest
    of the API requires login.

    ## Example
    ```python
    class ChatViewSet(ModelViewSet):
        permission_classes = [AllowAny]
        queryset = Chat.objects.all()
    ```

    ## Fix
    Use `IsAuthenticated` (or the project's permission class) and scope the queryset to `request.user`.
    """

    CODE = "AUTH304"
    WHAT = "permission_classes allows any caller on a view that calls a model or touches the database"
    VALID: ClassVar[list[Example]] = [
        Example("from rest_framework.views import APIView\nfrom rest_framework.permissions import AllowAny\n\n"
                "class Signup(APIView):\n    permission_classes = [AllowAny]\n    def post(self, request):\n"
                "        return send_welcome(request.data)\n", path="acc/views.py"),
        Example("from rest_framework.viewsets import ModelViewSet\nfrom rest_framework.permissions import "
                "IsAuthenticated\n\nclass ChatViewSet(ModelViewSet):\n    permission_classes = [IsAuthenticated]\n"
                "    queryset = Chat.objects.all()\n", path="chat/views.py"),
        Example("from rest_framework.decorators import api_view, permission_classes\n"
                "from rest_framework.permissions import IsAdminUser\n\n@api_view(['POST'])\n"
                "@permission_classes([IsAdminUser])\ndef reindex(request):\n    return Doc.objects.all().delete()\n",
                path="docs/views.py"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("from rest_framework.viewsets import ModelViewSet\nfrom rest_framework.permissions import AllowAny\n"
                "\nclass ChatViewSet(ModelViewSet):\n    permission_classes = [AllowAny]\n"
                "    queryset = Chat.objects.all()\n", path="chat/views.py", line=5),
        Example("from rest_framework.decorators import api_view, permission_classes\n"
                "from rest_framework.permissions import AllowAny\nimport openai\n\n@api_view(['POST'])\n"
                "@permission_classes([AllowAny])\ndef ask(request):\n"
                "    return openai.chat.completions.create(messages=request.data['m'])\n",
                path="chat/views.py", line=6),
        Example("from rest_framework.views import APIView\n\nclass Export(APIView):\n    permission_classes = []\n"
                "    def get(self, request):\n        return list(Member.objects.values('email'))\n",
                path="acc/views.py", line=4),
    ]

    def applies(self, route: Route) -> bool:
        account_flow = route.facts.account_flow and not route.facts.calls_model
        return route.open_permission is not None and not route.authed and not route.public and route.sensitive \
            and not account_flow


class AuthMiddlewareNotApplied(PythonRule):
    """
    ## What it finds
    A module with route handlers that imports an authentication decorator or dependency
    (`login_required`, `jwt_required`, `get_current_user`, `verify_token`, ...) and never uses it: not as a
    decorator, not in `Depends(...)`, not in a call.

    ## Why it matters
    The import makes the file look protected to a reviewer, while every route in it is open. It is the
    usual trace of a decorator removed while debugging and never put back.

    ## Example
    ```python
    from flask_login import login_required

    @app.post("/api/chat")
    def chat(): ...
    ```

    ## Fix
    Apply it to the routes that need it (`@login_required`, `user=Depends(get_current_user)`), or delete the
    import if the routes are public on purpose.
    """

    CODE = "AUTH305"
    MESSAGE = "An auth decorator or dependency is imported but applied to no route in this module"
    COLLECTOR = IndexCollector
    VALID: ClassVar[list[Example]] = [
        Example("from flask import Flask\nfrom flask_login import login_required\napp = Flask(__name__)\n\n"
                "@app.post('/a')\n@login_required\ndef a():\n    return store()\n"),
        Example("from fastapi import APIRouter, Depends\nfrom app.auth import get_current_user\nrouter = APIRouter()\n"
                "\n@router.post('/a')\ndef a(user=Depends(get_current_user)):\n    return store()\n"),
        Example("from flask_login import login_required\n\ndef helper():\n    return login_required\n"),
        Example("from fastapi import APIRouter\nfrom app.security import verify_password, get_password_hash\n"
                "router = APIRouter()\n\n@router.post('/login')\ndef login(form: dict):\n"
                "    return check(form)\n"),
        Example("from flask import Flask\nfrom flask_login import current_user, login_required\n"
                "app = Flask(__name__)\n\n@app.post('/a')\n@login_required\ndef a():\n"
                "    return store(current_user.id)\n"),
        # a spare staff_member_required beside views all behind @login_required: nothing is left open
        Example("from django.contrib.auth.decorators import login_required\n"
                "from django.contrib.admin.views.decorators import staff_member_required\n"
                "from django.http import JsonResponse\n\n@login_required\ndef stats(request):\n"
                "    return JsonResponse(list(Event.objects.filter(user=request.user).values()), safe=False)\n",
                path="chat/analytics_views.py"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("from flask import Flask\nfrom flask_login import login_required\napp = Flask(__name__)\n\n"
                "@app.post('/a')\ndef a():\n    return store()\n", line=2),
        Example("from fastapi import APIRouter\nfrom app.auth import get_current_user as current\n"
                "router = APIRouter()\n\n@router.post('/a')\ndef a():\n    return store()\n", line=2),
        Example("from flask import Blueprint\nfrom flask_jwt_extended import (\n    jwt_required,\n)\n"
                "bp = Blueprint('b', __name__)\n\n@bp.post('/a')\ndef a():\n    return store()\n", line=3),
        Example("from fastapi import APIRouter\nfrom app.deps import require_admin, verify_password\n"
                "router = APIRouter()\n\n@router.delete('/users/{uid}')\ndef drop(uid: int):\n"
                "    return remove(uid)\n", line=2),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        imported = self._auth_imports(original_node)
        # every route of the module authenticated another way (``@login_required`` beside an unused
        # ``staff_member_required``): the spare import leaves nothing open
        if not imported or not any(not r.authed and not r.public for r in routes_of(self.ctx)):
            return
        used = Counter(n.value for n in walk(original_node) if isinstance(n, cst.Name) and n.value in imported)
        for local, node in imported.items():
            if used[local] <= 1:
                self.report(node, "module", f"{self.MESSAGE}: {local}", f"import {local}")

    def _auth_imports(self, module: cst.Module) -> dict[str, cst.CSTNode]:
        found: dict[str, cst.CSTNode] = {}
        for stmt in module.body:
            small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            source = dotted(small.module) if small.module is not None else ""
            for alias in small.names:
                name = dotted(alias.name) or ""
                if _is_guard(self.ctx.knowledge.is_auth_decorator(name), name, source or ""):
                    found[alias.evaluated_alias or name] = alias
        return found


#: Imported names that look like auth but guard nothing by themselves: password hashing helpers, the
#: Flask-Login ``current_user`` proxy (read inside handlers, never applied to one), signature helpers.
_HELPERS = re.compile(r"(?i)(verify|check|hash|get)_?password\w*|compare_digest|construct_event|authenticate|"
                      r"login_user|logout_user|jwt\.decode|decode\w*|encode\w*|create_\w*token\w*")


def _is_guard(decorator: bool, name: str, source: str) -> bool:
    """True when an imported name is a guard to apply to routes (a decorator or a user dependency)."""
    if _HELPERS.fullmatch(name) or (name == "current_user" and source.split(".")[0] == "flask_login"):
        return False
    return decorator or bool(re.fullmatch(r"(?i)(get_)?current_(active_)?user|verify_token|verify_api_key|"
                                          r"require_\w+|\w*_required", name))


RULES: tuple[type[PythonRule], ...] = (UnauthenticatedModelRoute, UnauthenticatedDataRoute, UnauthenticatedRoute,
                                       PermissiveViewPermission, AuthMiddlewareNotApplied)
