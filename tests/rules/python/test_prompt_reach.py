"""LR601/LR602 on model calls and request text that earlier versions missed: a self-hosted Ollama server called
over HTTP, a DRF serializer whose model field has no max_length, a size check that only shapes a chat title,
and a Gemini model built at import inside ``if``/``try`` with a ``None`` fallback."""

from __future__ import annotations

import textwrap

import pytest

from tests.rules.python.helpers import run


def _py(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


def _lines(code: str, path: str = "app.py", files: tuple[tuple[str, str], ...] = (),
           codes: tuple[str, ...] = ("LR601", "LR602")) -> list[tuple[str, int]]:
    result = run(_py(code), path, tuple((p, _py(c)) for p, c in files))
    return sorted((f.rule_id, f.location.line) for f in result.findings if f.rule_id in codes)


# ---- 1a: Ollama over HTTP (LR601 and LR602 agree on what calls a model) ----

_OLLAMA_HELPER = """
    import logging
    import requests
    logger = logging.getLogger(__name__)
    OLLAMA_URL = "http://localhost:11434"
    class Ollama:
        @staticmethod
        def generate(model: str, prompt: str) -> str:
            r = requests.post(f"{OLLAMA_URL}/api/generate", json={"model": model, "prompt": prompt, "stream": False})
            return r.json()["response"]
        @staticmethod
        def chat(model: str, messages: list) -> str:
            r = requests.post(f"{OLLAMA_URL}/api/chat", json={"model": model, "messages": messages, "stream": False})
            return r.json()["message"]["content"]
    """


def _ollama_routes(field: str) -> str:
    return f"""
        from fastapi import APIRouter
        from pydantic import BaseModel, Field
        from utils.ollama import Ollama
        router = APIRouter()
        class GenerateRequest(BaseModel):
            model: str
            message: {field}
        @router.post("/generate")
        def generate(request: GenerateRequest):
            response = Ollama.generate(request.model, request.message)
            return {{"response": response}}
        @router.post("/chat")
        def chat(request: GenerateRequest):
            messages = [{{"role": "user", "content": request.message}}]
            return {{"response": Ollama.chat(request.model, messages)}}
        """


def test_pydantic_text_to_an_ollama_helper_is_unbounded() -> None:
    files = (("backend/utils/ollama.py", _OLLAMA_HELPER),)
    assert _lines(_ollama_routes("str"), "backend/routes/base.py", files) == [
        ("LR601", 8), ("LR601", 12), ("LR602", 10), ("LR602", 15)]


def test_a_bounded_field_to_an_ollama_helper_is_only_lr601() -> None:
    files = (("backend/utils/ollama.py", _OLLAMA_HELPER),)
    assert _lines(_ollama_routes("str = Field(max_length=4000)"), "backend/routes/base.py", files) == [
        ("LR601", 8), ("LR601", 12)]


@pytest.mark.parametrize("call", [
    'requests.post("http://localhost:11434/api/generate", json={"model": "llama3", "prompt": body.message})',
    'requests.post(OLLAMA_URL, json={"model": "llama3", "messages": [{"role": "user", "content": body.message}]})',
    'requests.post(f"{OLLAMA_HOST}/api/chat", json={"model": "llama3", "messages": [body.message]})',
    'requests.post(settings.ollama_url + "/api/generate", json={"prompt": body.message})',
])
def test_an_http_call_to_ollama_calls_a_model(call: str) -> None:
    code = f"""
        import os
        import requests
        from fastapi import FastAPI
        from pydantic import BaseModel
        from .config import settings
        app = FastAPI()
        OLLAMA_URL = "http://127.0.0.1:11434/api/chat"
        OLLAMA_HOST = os.getenv("OLLAMA_HOST", "http://ollama:11434")
        class ChatIn(BaseModel):
            message: str
        @app.post("/chat")
        def chat(body: ChatIn):
            r = {call}
            return r.json()
        """
    result = run(_py(code), "main.py")
    assert sorted((f.rule_id, f.location.line) for f in result.findings if f.rule_id in ("LR601", "LR602")) == [
        ("LR601", 11), ("LR602", 13)]
    assert "calls Ollama with no rate limit" in next(f.message for f in result.findings if f.rule_id == "LR601")


@pytest.mark.parametrize("url", ['"http://localhost:8000/api/generate"', 'f"{BILLING_URL}/api/charge"',
                                 "os.environ['WEBHOOK_URL']"])
def test_an_http_call_to_another_service_is_not_a_model_call(url: str) -> None:
    code = f"""
        import os
        import requests
        from fastapi import FastAPI
        from pydantic import BaseModel
        app = FastAPI()
        BILLING_URL = "http://billing:8080"
        class ChatIn(BaseModel):
            message: str
        @app.post("/notify")
        def notify(body: ChatIn):
            return requests.post({url}, json={{"text": body.message}}).json()
        """
    assert _lines(code, "main.py", codes=("LR601", "LR602", "AUTH301")) == []


def test_lr602_follows_a_helper_lr601_counts_by_its_words() -> None:
    """``OllamaClient.generate`` posts to a URL read from settings: LR601 counts it by its words, so does LR602."""
    helper = """
        import requests
        from django.conf import settings
        class OllamaClient:
            @staticmethod
            def generate(prompt):
                return requests.post(settings.SERVICE_URL, json={"prompt": prompt}).json()["response"]
        """
    code = """
        from fastapi import FastAPI
        from pydantic import BaseModel
        from services.ollama_client import OllamaClient
        app = FastAPI()
        class Ask(BaseModel):
            question: str
        @app.post("/ask")
        def ask(body: Ask):
            return {"answer": OllamaClient.generate(body.question)}
        """
    assert _lines(code, "main.py", (("services/ollama_client.py", helper),)) == [("LR601", 7), ("LR602", 9)]


# ---- 1b: DRF serializers over unbounded text fields ----

_VIEW = """
    from rest_framework.decorators import api_view
    from rest_framework.response import Response
    from .serializers import MessageSerializer
    from .AI import chat
    @api_view(["POST"])
    def send_message(request):
        serializer = MessageSerializer(data=request.data)
        if serializer.is_valid():
            user_input = serializer.validated_data["text"]
            reply = chat(user_input, 0)
            serializer.save()
            return Response({"reply": reply})
        return Response(serializer.errors, status=400)
    """
_AI = """
    from openai import OpenAI
    client = OpenAI()
    def chat(user_input, temp):
        r = client.chat.completions.create(model="gpt-3.5-turbo", max_tokens=180, temperature=temp,
            messages=[{"role": "user", "content": user_input}])
        return r.choices[0].message.content
    """
_URLS = "from django.urls import path\nfrom . import views\nurlpatterns = [path('send/', views.send_message)]\n"


def _drf(serializers: str, models: str) -> tuple[tuple[str, str], ...]:
    return (("chat/serializers.py", serializers), ("chat/models.py", models), ("chat/AI.py", _AI),
            ("chat/urls.py", _URLS))


_TEXT_MODEL = """
    from django.db import models
    class Message(models.Model):
        text = models.TextField()
        title = models.CharField(max_length=100)
        created_at = models.DateTimeField(auto_now_add=True)
    """
_MODEL_SERIALIZER = """
    from rest_framework import serializers
    from .models import Message
    class MessageSerializer(serializers.ModelSerializer):
        class Meta:
            model = Message
            fields = ["id", "text", "created_at"]
    """


@pytest.mark.parametrize(("serializers", "models"), [
    (_MODEL_SERIALIZER, _TEXT_MODEL),
    (_MODEL_SERIALIZER.replace('["id", "text", "created_at"]', '"__all__"'), _TEXT_MODEL),
    ("""
     from rest_framework import serializers
     class MessageSerializer(serializers.Serializer):
         text = serializers.CharField()
         temperature = serializers.FloatField(default=0.2)
     """, _TEXT_MODEL),
    ("""
     from rest_framework import serializers
     from .models import Message
     class MessageSerializer(serializers.ModelSerializer[Message]):
         text = serializers.CharField(required=True, allow_blank=False)
         class Meta:
             model = Message
             fields = ["id", "text"]
         def validate_text(self, value):
             if not value.strip():
                 raise serializers.ValidationError("Message cannot be empty.")
             return value.strip()
     """, _TEXT_MODEL.replace("models.TextField()", "models.CharField(max_length=2000)")),
])
def test_validated_data_of_an_unbounded_text_field_reaches_the_model(serializers: str, models: str) -> None:
    assert _lines(_VIEW, "chat/views.py", _drf(serializers, models)) == [("LR601", 6), ("LR602", 10)]


@pytest.mark.parametrize(("serializers", "models"), [
    (_MODEL_SERIALIZER, _TEXT_MODEL.replace("models.TextField()", "models.CharField(max_length=2000)")),
    (_MODEL_SERIALIZER.replace('fields = ["id", "text", "created_at"]',
                               'fields = ["id", "text"]\n            extra_kwargs = {"text": {"max_length": 4000}}'),
     _TEXT_MODEL),
    (_MODEL_SERIALIZER + """
         def validate_text(self, value):
             if len(value) > 4000:
                 raise serializers.ValidationError("too long")
             return value
     """, _TEXT_MODEL),
    ("""
     from rest_framework import serializers
     class MessageSerializer(serializers.Serializer):
         text = serializers.CharField(max_length=4000)
     """, _TEXT_MODEL),
])
def test_validated_data_of_a_bounded_field_is_no_lr602(serializers: str, models: str) -> None:
    assert _lines(_VIEW, "chat/views.py", _drf(serializers, models)) == [("LR601", 6)]


# ---- 1c: a size check that only shapes another value ----

_DRF_GEMINI = """
    import google.generativeai as genai
    from rest_framework.decorators import api_view
    from rest_framework.response import Response
    from .models import Conversation
    @api_view(["POST"])
    def add_message(request, pk):
        content = request.data.get("content", "").strip()
        if not content:
            return Response({{"error": "empty"}}, status=400)
        conversation = Conversation.objects.get(pk=pk)
        {title}
        full_prompt = f"You are a helpful assistant.\\nUser: {{content}}"
        try:
            model = genai.GenerativeModel("gemini-1.5-flash")
            result = model.generate_content(full_prompt)
            reply = result.text
        except Exception:
            reply = "Sorry, something went wrong."
        return Response({{"reply": reply}})
    """
_API_URLS = (("api/urls.py", "from django.urls import path\nfrom . import views\n"
                             "urlpatterns = [path('c/<int:pk>/', views.add_message)]\n"),)


@pytest.mark.parametrize("title", [
    'conversation.title = content[:40] + ("..." if len(content) > 40 else "")',
    "conversation.title = content if len(content) <= 40 else content[:37] + '...'",
    "conversation.title = content[:40]",
])
def test_a_title_slice_is_not_a_bound_on_the_prompt(title: str) -> None:
    assert _lines(_DRF_GEMINI.format(title=title), "api/views.py", _API_URLS) == [("LR601", 6), ("LR602", 15)]


@pytest.mark.parametrize("title", [
    "content = content if len(content) <= 4000 else content[:4000]",
    "if len(content) > 4000:\n            return Response({'error': 'too long'}, status=413)",
])
def test_a_size_check_on_the_prompt_itself_bounds_it(title: str) -> None:
    assert _lines(_DRF_GEMINI.format(title=title), "api/views.py", _API_URLS) == [("LR601", 6)]


# ---- 2: a model built at import inside if/try, with a None fallback ----

_GEMINI_FLASK = """
    import os
    from flask import Flask, request, jsonify
    import google.generativeai as genai
    {limiter_import}
    app = Flask(__name__)
    {limiter}
    api_key = os.environ.get("GEMINI_API_KEY")
    if api_key:
        genai.configure(api_key=api_key)
        try:
            model = genai.GenerativeModel("gemini-2.5-flash")
        except Exception as e:
            print(f"could not load the model: {{e}}")
            model = None
    else:
        model = None
    @app.route("/api/chat", methods=["POST"])
    {decorator}
    def chat():
        data = request.get_json()
        user_message = data.get("message", ""){bound}
        history = data.get("history", [])
        if not user_message:
            return jsonify({{"error": "empty message"}}), 400
        {send}
        return jsonify({{"reply": response.text}})
    """
_SESSION = "chat_session = model.start_chat(history=history)\n        response = chat_session.send_message(user_message)"
_CHAINED = "response = model.start_chat(history=history[-20:]).send_message(user_message)"


@pytest.mark.parametrize(("send", "line"), [(_SESSION, 26), (_CHAINED, 25)])
def test_a_global_model_built_in_try_is_a_model(send: str, line: int) -> None:
    code = _GEMINI_FLASK.format(limiter_import="", limiter="", decorator="", bound="", send=send)
    assert _lines(code) == [("LR601", 17), ("LR602", line)]


@pytest.mark.parametrize("send", [_SESSION, _CHAINED])
def test_a_limited_route_with_bounded_text_is_clean(send: str) -> None:
    code = _GEMINI_FLASK.format(
        limiter_import="from flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address",
        limiter="limiter = Limiter(get_remote_address, app=app)", decorator="@limiter.limit('10 per minute')",
        bound="[:2000]", send=send)
    assert _lines(code) == []


def test_import_map_keeps_the_constructor_over_a_none_fallback() -> None:
    import libcst as cst

    from scanner.engines.python.names import ImportMap

    module = cst.parse_module("import google.generativeai as genai\ntry:\n    model = genai.GenerativeModel('g')\n"
                              "except Exception:\n    model = None\nflag = True\n")
    aliases = ImportMap.of(module).aliases
    assert aliases["model"] == "google.generativeai.GenerativeModel()"
    assert "flag" not in aliases


# ---- 1d: DRF generic views build their serializer from serializer_class ----

_GENERIC_VIEW = """
    from rest_framework import generics
    from rest_framework.response import Response
    from .serializers import MessageSerializer
    from .AI import chat
    class SendMessage(generics.CreateAPIView):
        serializer_class = MessageSerializer
        def create(self, request, *args, **kwargs):
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            reply = chat(serializer.validated_data["text"], 0)
            serializer.save()
            return Response({"reply": reply})
    """
_GENERIC_URLS = "from django.urls import path\nfrom . import views\nurlpatterns = [path('send/', views.SendMessage.as_view())]\n"


def _generic(serializers: str, models: str, view: str = _GENERIC_VIEW) -> list[tuple[str, int]]:
    files = (("chat/serializers.py", serializers), ("chat/models.py", models), ("chat/AI.py", _AI),
             ("chat/urls.py", _GENERIC_URLS))
    return [(rule, line) for rule, line in _lines(view, "chat/views.py", files) if rule == "LR602"]


@pytest.mark.parametrize("view", [
    _GENERIC_VIEW,
    _GENERIC_VIEW.replace("generics.CreateAPIView", "generics.GenericAPIView")
                 .replace("def create(self, request, *args, **kwargs)", "def post(self, request)")
                 .replace("self.get_serializer(", "self.serializer_class("),
])
def test_generic_view_get_serializer_of_an_unbounded_field_is_lr602(view: str) -> None:
    assert _generic(_MODEL_SERIALIZER, _TEXT_MODEL, view) == [("LR602", 10)]


@pytest.mark.parametrize(("serializers", "models"), [
    (_MODEL_SERIALIZER, _TEXT_MODEL.replace("models.TextField()", "models.CharField(max_length=2000)")),
    ("""
     from rest_framework import serializers
     class MessageSerializer(serializers.Serializer):
         text = serializers.CharField(max_length=4000)
     """, _TEXT_MODEL),
])
def test_generic_view_get_serializer_of_a_bounded_field_is_no_lr602(serializers: str, models: str) -> None:
    assert _generic(serializers, models) == []


_BASE_SERIALIZER = """
    from rest_framework import serializers
    from .models import Message
    class BaseMessageSerializer(serializers.ModelSerializer):
        class Meta:
            model = Message
            fields = ["id", "text", "created_at"]
    class MessageSerializer(BaseMessageSerializer):
        class Meta(BaseMessageSerializer.Meta):
            fields = BaseMessageSerializer.Meta.fields
            read_only_fields = ("id",)
    """


@pytest.mark.parametrize(("serializers", "models", "found"), [
    # set 21 medigenie: the model and fields come from a project base serializer's Meta
    (_BASE_SERIALIZER, _TEXT_MODEL, [("LR602", 10)]),
    (_BASE_SERIALIZER, _TEXT_MODEL.replace("models.TextField()", "models.CharField(max_length=2000)"), []),
    # a validator of the base that measures the text bounds it for the subclass too
    (_BASE_SERIALIZER.replace("            fields = [\"id\", \"text\", \"created_at\"]\n",
                              "            fields = [\"id\", \"text\", \"created_at\"]\n"
                              "        def validate_text(self, value):\n"
                              "            if len(value) > 4000:\n                raise ValueError('too long')\n"
                              "            return value\n"), _TEXT_MODEL, []),
])
def test_generic_view_serializer_inheriting_a_project_base(serializers: str, models: str,
                                                           found: list[tuple[str, int]]) -> None:
    assert _generic(serializers, models) == found
