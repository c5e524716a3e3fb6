"""LR601 for Python beyond the rule's examples: limits that reach a route from elsewhere in the project
(blueprints, routers, ``include_router``, hooks, middleware, settings) and the message of each finding."""

from __future__ import annotations

import pytest

from tests.rules.python.helpers import lines_of, run

FLASK_BP = ("from flask import Blueprint, request\nimport openai\nbp = Blueprint('chat', __name__)\n\n"
            "@bp.post('/ask')\ndef ask():\n    return openai.chat.completions.create(messages=request.json)\n")
FASTAPI_ROUTER = ("from fastapi import APIRouter\nimport anthropic\nrouter = APIRouter()\n\n@router.post('/chat')\n"
                  "async def chat(body: dict):\n    return anthropic.Anthropic().messages.create(**body)\n")


@pytest.mark.parametrize(
    ("files", "lines"),
    [
        # Flask-Limiter applied to the blueprint as a whole (``limiter.limit(...)(bp)``)
        ((("app/__init__.py", "from flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n"
           "from app.chat import bp\nlimiter = Limiter(get_remote_address)\nlimiter.limit('20/minute')(bp)\n"),), []),
        # ... and to another blueprint only
        ((("app/__init__.py", "from flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n"
           "from app.auth import auth_bp\nlimiter = Limiter(get_remote_address)\nlimiter.limit('5/minute')(auth_bp)\n"),),
         [5]),
        # Flask-Limiter defaults from the app config
        ((("app/__init__.py", "from flask import Flask\nfrom flask_limiter import Limiter\napp = Flask(__name__)\n"
           "app.config['RATELIMIT_DEFAULT'] = '100/hour'\nLimiter(app=app, key_func=lambda: 'x')\n"),), []),
        # a before_request hook on the blueprint that answers 429
        ((("app/hooks.py", "from flask import abort\nfrom app.chat import bp\n\n@bp.before_request\ndef throttle():\n"
           "    if over_quota():\n        abort(429)\n"),), []),
        # a Django-style middleware that limits nothing (django-ratelimit's exception handler) and no decorator
        ((("proj/settings.py", "MIDDLEWARE = ['django_ratelimit.middleware.RatelimitMiddleware']\n"),), [5]),
    ],
)
def test_flask_blueprint_limits(files: tuple[tuple[str, str], ...], lines: list[int]) -> None:
    assert lines_of(run(FLASK_BP, "app/chat.py", files), "LR601") == lines


@pytest.mark.parametrize(
    ("files", "lines"),
    [
        ((("app/main.py", "from fastapi import FastAPI, Depends\nfrom fastapi_limiter.depends import RateLimiter\n"
           "from app.chat import router\napp = FastAPI()\napp.include_router(router, dependencies=[Depends("
           "RateLimiter(times=10, seconds=60))])\n"),), []),
        ((("app/main.py", "from fastapi import FastAPI, Depends\nfrom app.auth import current_user\n"
           "from app.chat import router\napp = FastAPI()\napp.include_router(router, dependencies=[Depends("
           "current_user)])\n"),), [5]),
        ((("app/main.py", "from fastapi import FastAPI\nfrom app.limits import RateLimitMiddleware\napp = FastAPI()\n"
           "app.add_middleware(RateLimitMiddleware, calls=60, period=60)\n"),), []),
        ((("app/main.py", "from fastapi import FastAPI, Request\nfrom fastapi.responses import JSONResponse\n"
           "app = FastAPI()\n\n@app.middleware('http')\nasync def limit(request: Request, call_next):\n"
           "    if await too_many(request.client.host):\n        return JSONResponse({}, status_code=429)\n"
           "    return await call_next(request)\n"),), []),
        # slowapi's middleware without default_limits applies nothing
        ((("app/main.py", "from fastapi import FastAPI\nfrom slowapi import Limiter\nfrom slowapi.middleware import "
           "SlowAPIMiddleware\nfrom slowapi.util import get_remote_address\napp = FastAPI()\n"
           "app.state.limiter = Limiter(key_func=get_remote_address)\napp.add_middleware(SlowAPIMiddleware)\n"),), [5]),
    ],
)
def test_fastapi_router_limits(files: tuple[tuple[str, str], ...], lines: list[int]) -> None:
    assert lines_of(run(FASTAPI_ROUTER, "app/chat.py", files), "LR601") == lines


def test_router_built_with_a_limiter_dependency() -> None:
    code = FASTAPI_ROUTER.replace("router = APIRouter()", "from fastapi import Depends\nfrom app.limits import "
                                  "rate_limit\nrouter = APIRouter(dependencies=[Depends(rate_limit)])")
    assert lines_of(run(code, "app/chat.py"), "LR601") == []


def test_flask_class_view_with_limiter_decorators() -> None:
    code = ("from flask import request\nfrom flask.views import MethodView\nimport openai\nfrom app.ext import limiter\n"
            "\nclass Ask(MethodView):\n    decorators = [limiter.limit('10/minute')]\n    def post(self):\n"
            "        return openai.chat.completions.create(messages=request.json)\n\n"
            "app.add_url_rule('/ask', view_func=Ask.as_view('ask'))\n")
    assert lines_of(run(code), "LR601") == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (FLASK_BP, "POST /ask calls OpenAI with no rate limit"),
        (FASTAPI_ROUTER, "POST /chat calls Anthropic with no rate limit"),
        ("from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post('/c')\nasync def c(self_client, b: dict):\n"
         "    return await self_client.chat.completions.create(**b)\n",
         "POST /c calls a model API (chat.completions.create) with no rate limit"),
        ("from fastapi import APIRouter\nfrom openai import OpenAI\nrouter = APIRouter()\n\n@router.post('/img')\n"
         "async def img(b: dict):\n    client = OpenAI()\n    return client.images.generate(prompt=b['p'])\n",
         "POST /img calls OpenAI with no rate limit"),  # the client built in the handler names its vendor
        ("from fastapi import APIRouter\nimport litellm\nrouter = APIRouter()\n\ndef ask(q):\n"
         "    return litellm.completion(model='m', messages=[q])\n\n@router.post('/q')\ndef q(b: dict):\n"
         "    return ask(b['q'])\n", "POST /q calls LiteLLM through ask() with no rate limit"),
    ],
)
def test_messages_name_the_vendor(code: str, message: str) -> None:
    assert [f.message for f in run(code, "app/chat.py").findings if f.rule_id == "LR601"] == [message]


def test_message_building_calls_are_not_model_calls() -> None:
    code = ("from fastapi import APIRouter\nfrom langchain_core.messages import message_to_dict\nrouter = APIRouter()\n"
            "\n@router.get('/threads/{tid}/messages')\ndef messages(tid: int):\n"
            "    return [message_to_dict(m) for m in load(tid)]\n")
    assert lines_of(run(code, "app/chat.py"), "LR601") == []


def test_a_helper_that_answers_429_limits_the_route() -> None:
    code = FASTAPI_ROUTER.replace("async def chat(body: dict):\n", "async def chat(body: dict):\n"
                                  "    await enforce_usage(body['user'])\n").replace(
        "import anthropic\n", "import anthropic\nfrom app.usage import enforce_usage\n")
    usage = ("from fastapi import HTTPException\n\nasync def enforce_usage(user):\n"
             "    if await count_today(user) > 50:\n        raise HTTPException(status_code=429)\n")
    assert lines_of(run(code, "app/chat.py", (("app/usage.py", usage),)), "LR601") == []
    assert lines_of(run(code, "app/chat.py", (("app/usage.py", usage.replace("429", "400")),)), "LR601") == [6]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("    return self_llm.invoke(q)\n", [4]),
        ("    return await AgentAdapters.aget_agent_chat_model(q)\n", []),
        ("    return await qa_chain.ainvoke({'question': q})\n", [4]),
    ],
)
def test_helpers_need_evidence_beyond_their_names(body: str, lines: list[int]) -> None:
    code = "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post('/ask')\nasync def ask(q: str):\n" + body
    assert lines_of(run(code, "app/chat.py"), "LR601") == lines


MIDDLEWARE = ("app/middleware.py", "import time\nfrom collections import defaultdict\nfrom functools import wraps\n"
              "from flask import jsonify, request\n\nbuckets = defaultdict(lambda: {'tokens': 10.0, 'last': 0.0})\n\n\n"
              "def token_bucket_limit(fn):\n    @wraps(fn)\n    def wrapper(*args, **kwargs):\n"
              "        b = buckets[request.endpoint]\n        if b['tokens'] < 1.0:\n"
              "            return jsonify({'error': 'Too Many Requests'}), 429\n        b['tokens'] -= 1.0\n"
              "        return fn(*args, **kwargs)\n    return wrapper\n\n\n"
              "def timed(fn):\n    @wraps(fn)\n    def wrapper(*args, **kwargs):\n        start = time.time()\n"
              "        try:\n            return fn(*args, **kwargs)\n        finally:\n"
              "            print(time.time() - start)\n    return wrapper\n")


@pytest.mark.parametrize(("decorator", "lines"), [("token_bucket_limit", []), ("timed", [5])])
def test_a_project_decorator_is_judged_by_its_code(decorator: str, lines: list[int]) -> None:
    """``@token_bucket_limit`` whose wrapper answers 429 limits the route whatever its name says (set 15); a
    timing decorator does not."""
    code = (f"from flask import Flask, request\nimport anthropic\nfrom app.middleware import {decorator}\n"
            f"app = Flask(__name__)\n@app.post('/generate')\n@{decorator}\ndef generate():\n"
            "    return anthropic.Anthropic().messages.create(model='m', messages=[request.json])\n")
    assert lines_of(run(code, "app/routes.py", (MIDDLEWARE,)), "LR601") == lines
