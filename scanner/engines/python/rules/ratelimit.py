"""LR601 for Python: a Flask, FastAPI, Django or DRF route that calls a model with no rate limit on its path."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, FileContext, IndexCollector, PythonRule
from scanner.engines.python.invocations import model_vendor
from scanner.engines.python.limit_order import check_after_model
from scanner.engines.python.ratelimits import handler_of, limit_facts, route_limit
from scanner.engines.python.routes import Route, routes_of
from scanner.knowledge.ratelimit import set_up

_FA = "from fastapi import FastAPI, Request\nimport openai\n"
_SLOWAPI = ("from slowapi import Limiter\nfrom slowapi.util import get_remote_address\n"
            "limiter = Limiter(key_func=get_remote_address)\napp = FastAPI()\napp.state.limiter = limiter\n\n")
_FLASK = ("from flask import Flask, request\nfrom flask_limiter import Limiter\n"
          "from flask_limiter.util import get_remote_address\nimport anthropic\napp = Flask(__name__)\n")
_DRF = ("from rest_framework.views import APIView\nfrom rest_framework.permissions import IsAuthenticated\n"
        "from openai import OpenAI\nclient = OpenAI()\n\n")
_DRF_CHAT = ("class ChatView(APIView):\n    permission_classes = [IsAuthenticated]\n{extra}"
             "    def post(self, request):\n"
             "        return client.chat.completions.create(model='m', messages=request.data['m'])\n")


class ModelRouteWithoutRateLimit(PythonRule):
    """
    ## What it finds
    A Flask, FastAPI, Django or DRF route that calls a model (OpenAI, Anthropic, Google, Groq, Mistral,
    LangChain, LlamaIndex, LiteLLM, a model API over httpx/requests, or a project helper that wraps one) with
    no rate limit on its own path: no slowapi or Flask-Limiter `@limiter.limit`, no `default_limits` that
    apply (slowapi needs `SlowAPIMiddleware`), no django-ratelimit `@ratelimit`, no DRF `throttle_classes` or
    `DEFAULT_THROTTLE_CLASSES`, no fastapi-limiter `Depends(RateLimiter(...))` on the route, its router or
    its app, no limiting middleware or hook, no limit or quota check (or 429 answer) in the handler. A limiter
    that is set up but applied to other routes does not count; `@limiter.exempt` and `throttle_classes = []`
    opt a route out. A limit check in the handler that runs only after the model call is reported too: the
    request over the limit has been paid for by then.

    ## Why it matters
    Each call costs money and quota. One script looping over the route (signed in or not) can spend the
    month's model budget in an hour, hit the vendor's rate limits for every other member, or get the key
    suspended.

    ## Example
    ```python
    limiter = Limiter(key_func=get_remote_address)

    @app.post("/api/chat")
    async def chat(request: Request, body: ChatIn):
        return await client.chat.completions.create(model="gpt-4o", messages=body.messages)
    ```

    ## Fix
    Apply a per-user (or per-IP) limit to the route: `@limiter.limit("10/minute")` (slowapi, Flask-Limiter),
    `@ratelimit(key="user", rate="20/m")` (django-ratelimit), `throttle_classes = [UserRateThrottle]` (DRF),
    `dependencies=[Depends(RateLimiter(times=10, seconds=60))]` (fastapi-limiter), and cap the tokens per
    request.
    """

    CODE = "LR601"
    COLLECTOR = IndexCollector
    VALID: ClassVar[list[Example]] = [
        # bulk_create sends no save signal; a viewset limited to reads saves nothing
        Example("from django.http import JsonResponse\nfrom tutor.models import Question\n\ndef load(request):\n"
                "    Question.objects.bulk_create([Question(text=t) for t in request.POST.getlist('q')])\n"
                "    return JsonResponse({})\n", path="tutor/views.py",
                files=(("tutor/signals.py", "from django.db.models.signals import post_save, post_delete\n"
                        "from django.dispatch import receiver\nfrom openai import OpenAI\n\n"
                        "@receiver([post_save, post_delete], sender='tutor.Question')\n"
                        "def answer(sender, instance, **kwargs):\n"
                        "    instance.answer = OpenAI().chat.completions.create(model='m', messages=[])\n"),)),
        Example("from rest_framework.viewsets import ModelViewSet\nfrom tutor.models import Question\n\n"
                "class QuestionViewSet(ModelViewSet):\n    queryset = Question.objects.all()\n"
                "    http_method_names = ['get', 'head']\n", path="tutor/views.py",
                files=(("tutor/signals.py", "from django.db.models.signals import post_save, post_delete\n"
                        "from django.dispatch import receiver\nfrom openai import OpenAI\n\n"
                        "@receiver([post_save, post_delete], sender='tutor.Question')\n"
                        "def answer(sender, instance, **kwargs):\n"
                        "    instance.answer = OpenAI().chat.completions.create(model='m', messages=[])\n"),)),
        # a read-only viewset saves nothing, whatever the model's save signal does
        Example("from rest_framework.viewsets import ReadOnlyModelViewSet\nfrom tutor.models import Question\n\n"
                "class QuestionViewSet(ReadOnlyModelViewSet):\n    queryset = Question.objects.all()\n",
                path="tutor/views.py",
                files=(("tutor/signals.py", "from django.db.models.signals import post_save\n"
                        "from django.dispatch import receiver\nfrom openai import OpenAI\n"
                        "from tutor.models import Question\n\n@receiver(post_save, sender=Question)\n"
                        "def answer(sender, instance, created, **kwargs):\n"
                        "    instance.answer = OpenAI().chat.completions.create(model='m', messages=[])\n"),)),
        Example("from flask import Flask, request\nfrom langchain_core.prompts import PromptTemplate\n"
                "from langchain_core.output_parsers import StrOutputParser\napp = Flask(__name__)\n\n"
                "@app.route('/format', methods=['POST'])\ndef fmt():\n"
                "    prompt = PromptTemplate.from_template('Answer: {q}')\n"
                "    return (prompt | StrOutputParser()).invoke({'q': request.json['q']})\n"),
        Example(_FA + _SLOWAPI + "@app.post('/api/chat')\n@limiter.limit('10/minute')\n"
                "async def chat(request: Request):\n    return openai.chat.completions.create(model='m')\n"),
        Example(_FLASK + "limiter = Limiter(get_remote_address, app=app, default_limits=['200 per day'])\n\n"
                "@app.route('/ask', methods=['POST'])\ndef ask():\n"
                "    return anthropic.Anthropic().messages.create(messages=[request.json])\n"),
        Example(_FLASK + "limiter = Limiter(get_remote_address, app=app)\n\n@app.post('/ask')\n"
                "@limiter.limit('5 per minute')\ndef ask():\n    return anthropic.Anthropic().messages.create()\n"),
        Example(_DRF + _DRF_CHAT.format(extra="    throttle_classes = [UserRateThrottle]\n"),
                path="chat/views.py"),
        Example(_DRF + _DRF_CHAT.format(extra=""), path="chat/views.py",
                files=(("proj/settings.py", "REST_FRAMEWORK = {\n    'DEFAULT_THROTTLE_CLASSES': [\n"
                        "        'rest_framework.throttling.UserRateThrottle'],\n}\n"),)),
        Example("from django.http import JsonResponse\nfrom django_ratelimit.decorators import ratelimit\n"
                "from langchain_openai import ChatOpenAI\n\n@ratelimit(key='ip', rate='10/m', block=True)\n"
                "def ask(request):\n    return JsonResponse({'a': ChatOpenAI().invoke(request.GET['q'])})\n",
                path="chat/views.py"),
        Example("from fastapi import APIRouter, Depends\nfrom fastapi_limiter.depends import RateLimiter\n"
                "import litellm\nrouter = APIRouter()\n\n@router.post('/complete', dependencies=[Depends("
                "RateLimiter(times=5, seconds=60))])\nasync def complete(body: dict):\n"
                "    return await litellm.acompletion(model='m', messages=body['m'])\n"),
        Example(_FA + "from slowapi import Limiter\nfrom slowapi.middleware import SlowAPIMiddleware\n"
                "from slowapi.util import get_remote_address\nlimiter = Limiter(key_func=get_remote_address, "
                "default_limits=['60/minute'])\napp = FastAPI()\napp.state.limiter = limiter\n"
                "app.add_middleware(SlowAPIMiddleware)\n\n@app.post('/chat')\ndef chat(body: dict):\n"
                "    return openai.chat.completions.create(model='m')\n"),
        Example(_FA + "from fastapi import HTTPException\nfrom .limits import check_rate_limit\napp = FastAPI()\n\n"
                "@app.post('/chat')\nasync def chat(request: Request):\n"
                "    await check_rate_limit(request.client.host)\n"
                "    return openai.chat.completions.create(model='m')\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        # a viewset saving rows whose post_save receiver asks the model (set 25 ChatBackend)
        Example("from rest_framework.viewsets import ModelViewSet\nfrom tutor.models import Question\n"
                "from tutor.serializers import QuestionSerializer\n\nclass QuestionViewSet(ModelViewSet):\n"
                "    queryset = Question.objects.all()\n    serializer_class = QuestionSerializer\n",
                path="tutor/views.py", line=5,
                files=(("tutor/signals.py", "from django.db.models.signals import post_save\n"
                        "from django.dispatch import receiver\nfrom openai import OpenAI\n"
                        "from tutor.models import Question\n\n@receiver(post_save, sender=Question)\n"
                        "def answer(sender, instance, created, **kwargs):\n    if created:\n"
                        "        instance.answer = OpenAI().chat.completions.create(model='m', messages=[])\n"
                        "        instance.save()\n"),
                       ("tutor/urls.py", "from rest_framework.routers import DefaultRouter\n"
                        "from tutor.views import QuestionViewSet\nrouter = DefaultRouter()\n"
                        "router.register('questions', QuestionViewSet)\nurlpatterns = router.urls\n"))),
        # a list of signals and a lazy "app.Model" sender
        Example("from django.http import JsonResponse\nfrom tutor.models import Question\n\ndef ask(request):\n"
                "    q = Question.objects.create(text=request.POST['q'])\n    return JsonResponse({'id': q.id})\n",
                path="tutor/views.py", line=4,
                files=(("tutor/signals.py", "from django.db.models.signals import post_save, post_delete\n"
                        "from django.dispatch import receiver\nfrom openai import OpenAI\n\n"
                        "@receiver([post_save, post_delete], sender='tutor.Question')\n"
                        "def answer(sender, instance, **kwargs):\n"
                        "    instance.answer = OpenAI().chat.completions.create(model='m', messages=[])\n"),
                       ("tutor/urls.py", "from django.urls import path\nfrom tutor import views\n"
                        "urlpatterns = [path('ask/', views.ask)]\n"))),
        # the model helper imported inside the handler (set 25 AMA_HackTues11)
        Example("from flask import Flask, request\napp = Flask(__name__)\n\n@app.post('/api/plan')\ndef plan():\n"
                "    from ai_client import send_to_model\n    return send_to_model(request.json['goals'])\n", line=4,
                files=(("ai_client.py", "from ollama import Client\n\ndef send_to_model(prompt):\n"
                        "    return Client().chat(model='m', messages=[{'role': 'user', 'content': prompt}])\n"),)),
        # the model helper brought in by a project star import (set 25 Django-Google-Gemini-Chatbot)
        Example("from django.http import JsonResponse\nfrom .utils import *\n\ndef submit(request):\n"
                "    return JsonResponse({'a': generate_reply(request.POST['message'])})\n", path="bot/views.py",
                line=4,
                files=(("bot/utils.py", "import google.generativeai as genai\n\ndef generate_reply(msg):\n"
                        "    return genai.GenerativeModel('gemini-pro').generate_content(msg).text\n"),
                       ("bot/urls.py", "from django.urls import path\nfrom . import views\n"
                        "urlpatterns = [path('submit/', views.submit)]\n"))),
        Example("from flask import Flask, request\nfrom langchain_openai import ChatOpenAI\n"
                "from langchain_core.prompts import PromptTemplate\napp = Flask(__name__)\n\n"
                "@app.route('/openai', methods=['POST'])\ndef answer():\n"
                "    prompt = PromptTemplate.from_template('Answer: {q}')\n"
                "    chat_model = ChatOpenAI(model='gpt-4o')\n"
                "    return (prompt | chat_model).invoke({'q': request.json['q']}).content\n", line=6),
        Example(_FA + _SLOWAPI + "@app.post('/api/chat')\nasync def chat(request: Request):\n"
                "    return openai.chat.completions.create(model='m')\n\n@app.get('/api/usage')\n"
                "@limiter.limit('10/minute')\nasync def usage(request: Request):\n    return {}\n", line=9),
        Example(_FLASK + "limiter = Limiter(get_remote_address, app=app)\n\n@app.post('/ask')\ndef ask():\n"
                "    return anthropic.Anthropic().messages.create(messages=[request.json])\n", line=8),
        Example(_FLASK + "limiter = Limiter(get_remote_address, app=app, default_limits=['200 per day'])\n\n"
                "@app.post('/ask')\n@limiter.exempt\ndef ask():\n    return anthropic.Anthropic().messages.create()\n",
                line=8),
        Example(_DRF + _DRF_CHAT.format(extra="    throttle_classes = []\n"), path="chat/views.py", line=6,
                files=(("proj/settings.py", "REST_FRAMEWORK = {'DEFAULT_THROTTLE_CLASSES': "
                        "['rest_framework.throttling.UserRateThrottle']}\n"),)),
        Example(_DRF + _DRF_CHAT.format(extra=""), path="chat/views.py", line=6),
        Example("from django.http import JsonResponse\nfrom langchain_openai import ChatOpenAI\n\n"
                "def ask(request):\n    return JsonResponse({'a': ChatOpenAI().invoke(request.GET['q'])})\n",
                path="chat/views.py", line=4),
        Example(_FA + "from slowapi import Limiter\nfrom slowapi.middleware import SlowAPIMiddleware\n"
                "from slowapi.util import get_remote_address\nlimiter = Limiter(key_func=get_remote_address)\n"
                "app = FastAPI()\napp.add_middleware(SlowAPIMiddleware)\n\n@app.post('/chat')\n"
                "def chat(body: dict):\n    try:\n        return openai.chat.completions.create(model='m')\n"
                "    except openai.RateLimitError:\n        return {'error': 'busy'}\n", line=10),
        Example("from fastapi import APIRouter\nfrom app.agents import agent\nrouter = APIRouter()\n\n"
                "@router.post('/chat')\nasync def chat(body: dict):\n"
                "    return list(agent.stream({'messages': [('user', body['q'])]}))\n", path="app/routes.py", line=5,
                files=(("app/agents.py", "from langgraph.prebuilt import create_react_agent\n"
                        "from langchain_openai import ChatOpenAI\n"
                        "agent = create_react_agent(ChatOpenAI(model='gpt-4o-mini'), tools=[])\n"),)),
        Example("from django.http import StreamingHttpResponse\nfrom rest_framework.generics import GenericAPIView\n"
                "from rest_framework.permissions import IsAuthenticated\nfrom derm.services import GroqService\n\n"
                "class DermChat(GenericAPIView):\n    permission_classes = [IsAuthenticated]\n\n"
                "    def post(self, request):\n        service = GroqService()\n\n        def events():\n"
                "            yield from service.chat(request.data['content'])\n\n"
                "        return StreamingHttpResponse(events())\n", path="derm/views.py", line=6,
                files=(("derm/services.py", "from groq import Groq\n\nclass GroqService:\n    def __init__(self):\n"
                        "        self.client = Groq()\n\n    def chat(self, q):\n"
                        "        return self.client.chat.completions.create(model='m', messages=[q], stream=True)\n"),)),
        Example("from agents import Agent, Runner\nfrom fastapi import APIRouter\nrouter = APIRouter()\n"
                "agent = Agent(name='rag', instructions='Answer from the documents.')\n\n@router.post('/chat')\n"
                "async def chat(body: dict):\n    result = await Runner.run(agent, body['question'])\n"
                "    return {'answer': result.final_output}\n", line=6),
        Example("import httpx\nfrom fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post('/proxy')\n"
                "async def proxy(body: dict):\n    return httpx.post('https://api.groq.com/openai/v1/chat/completions',"
                " json=body).json()\n", line=5),
        # a client built in another module and imported (set 22 django_react: ``ML_MODEL = replicate.Client(...)``)
        Example("from rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n"
                "from .ml_model import ML_MODEL\n\ndef reply(message):\n"
                "    return ML_MODEL.run('meta/llama-2-7b-chat', input={'prompt': message})\n\n"
                "@api_view(['POST'])\ndef chat(request):\n    return Response(reply(request.data['message']))\n",
                path="chatbot/views.py", line=9,
                files=(("chatbot/ml_model.py", "import os\nimport replicate\n"
                        "ML_MODEL = replicate.Client(api_token=os.environ['REPLICATE_API_TOKEN'])\n"),)),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        for route in routes_of(self.ctx):
            if not route.facts.calls_model:
                continue
            node = handler_of(self.ctx, route)
            vendor = model_vendor(self.ctx, node) if node is not None else None
            if node is None or vendor is None:
                continue
            verdict = route_limit(self.ctx, route, node)
            late = verdict.limited and verdict.in_body and check_after_model(self.ctx, node)
            if not verdict.limited or late:
                self.report(route.open_permission or route.anchor, route.context,
                            self._message(route, vendor, verdict.exempt, late), f"{route.label} {route.name}")

    def _message(self, route: Route, vendor: str, exempt: bool, late: bool = False) -> str:
        where = route.label if route.url else f"{route.label.removesuffix(' ?')} handler {route.name}"
        if late:
            return (f"{where} calls {vendor} before its rate-limit check: the check comes after the model call, "
                    "so a request over the limit has already been paid for")
        message = f"{where} calls {vendor} with no rate limit"
        if exempt:
            return f"{message}; the route is exempt from the project's default limits"
        libraries = limit_facts(self.ctx).libraries
        return f"{message}; {set_up(libraries)}" if libraries else message


RULES: tuple[type[PythonRule], ...] = (ModelRouteWithoutRateLimit,)
