"""LR602/LR603 for Python beyond the rule examples: exact messages, pydantic models in another module,
Socket.IO events, form ``cleaned_data``, tokenizer checks, one LR602 per handler, test code."""

from __future__ import annotations

import textwrap

from tests.rules.python.helpers import run


def _py(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


def _found(result: object, codes: tuple[str, ...] = ("LR602", "LR603")) -> list[tuple[str, int, str]]:
    return sorted((f.rule_id, f.location.line, f.message) for f in result.findings  # type: ignore[attr-defined]
                  if f.rule_id in codes)


_CHAT = _py("""
    from fastapi import FastAPI
    from openai import OpenAI
    from .schemas import ChatIn
    app = FastAPI()
    client = OpenAI()
    @app.post("/api/chat")
    def chat(body: ChatIn):
        first = client.chat.completions.create(model="gpt-4o-mini", messages=[
            {"role": "system", "content": f"You are {body.persona}."},
            {"role": "user", "content": body.message}])
        second = client.chat.completions.create(model="gpt-4o-mini", messages=[
            {"role": "user", "content": body.message}])
        return {"a": first.choices[0].message.content, "b": second.choices[0].message.content}
    """)


def test_model_in_another_module_and_exact_messages() -> None:
    schemas = _py("""
        from pydantic import BaseModel, Field
        class ChatIn(BaseModel):
            message: str
            persona: str = Field(default="a tutor", max_length=40)
        """)
    result = run(_CHAT, "app/main.py", (("app/schemas.py", schemas),))
    assert _found(result) == [
        ("LR602", 8, "POST /api/chat sends request field `message` to the model (`client.chat.completions.create`) "
                     "with no server-side size limit: no max_length, length check or truncation"),
        ("LR603", 9, "POST /api/chat places request field `persona` into a `system`-role message: the caller can "
                     "rewrite the app's instructions; keep user text in the user role"),
    ]


def test_a_bounded_model_in_another_module_is_no_lr602() -> None:
    schemas = _py("""
        from pydantic import BaseModel, ConfigDict
        class ChatIn(BaseModel):
            model_config = ConfigDict(str_max_length=4000)
            message: str
            persona: str
        """)
    result = run(_CHAT, "app/main.py", (("app/schemas.py", schemas),))
    assert [(c, line) for c, line, _ in _found(result)] == [("LR603", 9)]


def test_socketio_event_data() -> None:
    code = _py("""
        from flask_socketio import SocketIO, emit
        from openai import OpenAI
        socketio = SocketIO()
        client = OpenAI()
        @socketio.on("message")
        def on_message(data):
            reply = client.chat.completions.create(model="gpt-4o-mini",
                                                   messages=[{"role": "user", "content": data["text"]}])
            emit("reply", reply.choices[0].message.content)
        """)
    assert [(c, line) for c, line, _ in _found(run(code))] == [("LR602", 7)]


def test_form_cleaned_data_is_bounded_but_still_request_text() -> None:
    code = _py("""
        from django.http import JsonResponse
        from anthropic import Anthropic
        from .forms import AskForm
        client = Anthropic()
        def ask(request):
            form = AskForm(request.POST)
            form.is_valid()
            m = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=256,
                                       system="Persona: " + form.cleaned_data["persona"],
                                       messages=[{"role": "user", "content": form.cleaned_data["question"]}])
            return JsonResponse({"answer": m.content[0].text})
        """)
    urls = "from django.urls import path\nfrom . import views\nurlpatterns = [path('ask/', views.ask)]\n"
    result = run(code, "chat/views.py", (("chat/urls.py", urls),))
    assert [(c, line) for c, line, _ in _found(result)] == [("LR603", 9)]


def test_token_count_check_bounds_the_history() -> None:
    code = _py("""
        import tiktoken
        from flask import Flask, request, abort
        from openai import OpenAI
        app = Flask(__name__)
        client = OpenAI()
        enc = tiktoken.encoding_for_model("gpt-4o")
        @app.post("/chat")
        def chat():
            messages = request.json["messages"]
            if sum(len(enc.encode(m["content"])) for m in messages) > 8000:
                abort(413)
            if len(messages) > 50:
                abort(413)
            r = client.chat.completions.create(model="gpt-4o", messages=messages)
            return r.choices[0].message.content
        """)
    assert _found(run(code)) == []


def test_test_code_is_not_reported() -> None:
    code = _py("""
        from flask import Flask, request
        from openai import OpenAI
        app = Flask(__name__)
        client = OpenAI()
        @app.post("/chat")
        def chat():
            return client.responses.create(model="gpt-4.1-mini", input=request.json["q"]).output_text
        """)
    assert [(c, line) for c, line, _ in _found(run(code))] == [("LR602", 7)]
    assert _found(run(code, "tests/test_chat.py")) == []


def test_flask_controller_that_a_route_delegates_to() -> None:
    controller = _py("""
        from flask import request, jsonify
        from .services import get_completion
        def openai_completion():
            data = request.get_json()
            prompt = data.get("prompt")
            if not prompt:
                return jsonify({"error": "Prompt is required"}), 400
            return jsonify({"answer": get_completion([{"role": "user", "content": prompt}])})
        """)
    services = _py("""
        from openai import OpenAI
        client = OpenAI()
        def get_completion(messages):
            return client.chat.completions.create(model="gpt-4o-mini", messages=messages).choices[0].message.content
        """)
    result = run(controller, "app/controllers.py", (("app/services.py", services),))
    assert _found(result) == [
        ("LR602", 8, "handler openai_completion sends request field `prompt` to the model (`get_completion`) with no "
                     "server-side size limit: no max_length, length check or truncation"),
    ]


def test_an_image_address_is_not_prompt_text_but_the_question_is() -> None:
    code = ("from fastapi import APIRouter\nfrom openai import OpenAI\nrouter = APIRouter()\nclient = OpenAI()\n\n\n"
            "@router.get('/vision')\nasync def vision(query: str, imageurl: str):\n"
            "    content = [{'type': 'text', 'text': query}, {'type': 'image_url', 'image_url': {'url': imageurl}}]\n"
            "    r = client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': content}])\n"
            "    return r.choices[0].message.content\n")
    result = run(code, "app/router/vision.py")
    found = [(f.location.path, f.location.line, f.message) for f in result.findings if f.rule_id == "LR602"]
    assert [(path, line) for path, line, _ in found] == [("app/router/vision.py", 10)]
    assert "request field `query`" in found[0][2] and "imageurl" not in found[0][2]


_VIEWS = _py("""
    import openai
    from django.contrib.auth.decorators import login_required
    from django.http import JsonResponse


    def ask_openai(message, context):
        return openai.chat.completions.create(model="gpt-4o", messages=context + [{"role": "user", "content": message}])


    def get_openai_response(user_message, context):
        try:
            return ask_openai(user_message, context[-10:]), None
        except openai.PermissionDeniedError:
            return None, "denied"


    def handle_post_request(request, room):
        user_message = request.POST.get("message")
        response, error = get_openai_response(user_message, [])
        return JsonResponse({"response": str(response)})


    @login_required
    def chatbot(request, room_id):
        if request.method == "POST":
            return handle_post_request(request, room_id)
        return JsonResponse({})
    """)
_URLS = ("chat/urls.py", "from django.urls import path\nfrom . import views\n"
                         "urlpatterns = [path('chat/<int:room_id>/', views.chatbot)]\n")


def test_a_views_helper_given_the_request_and_a_wrapper_around_the_model_helper() -> None:
    assert _found(run(_VIEWS, "chat/views.py", (_URLS,))) == [
        ("LR602", 19, "handler handle_post_request sends request field `message` to the model (`get_openai_response`) "
                      "with no server-side size limit: no max_length, length check or truncation")]
    bounded = _VIEWS.replace('request.POST.get("message")', 'request.POST.get("message", "")[:2000]')
    assert _found(run(bounded, "chat/views.py", (_URLS,))) == []


def test_a_function_taking_a_request_that_nothing_routes_or_calls_is_no_handler() -> None:
    unrouted = _VIEWS + _py("""

        def chat_stream_public(request):
            message = request.POST.get("message")
            return JsonResponse({"r": str(ask_openai(message, []))})
        """)
    assert [line for _, line, _ in _found(run(unrouted, "chat/views.py", (_URLS,)))] == [19]


_PROVIDER = ("app/ai/providers.py", _py("""
    from openai import OpenAI
    client = OpenAI()
    def generate_with_provider(raw_model, *, system, user, temperature=0.7):
        resp = client.chat.completions.create(model=raw_model, temperature=temperature, messages=[
            {"role": "system", "content": system}, {"role": "user", "content": user}])
        return resp.choices[0].message.content
    """))


def test_a_helper_keyword_named_user_carries_the_message() -> None:
    """A project helper's ``user=`` is the user's message (set 15 Narrative-Space), unlike the SDKs' ``user=``
    (an end-user id): the route sends its unbounded prompt through it, also from a closure it retries."""
    code = _py("""
        from flask import Flask, request
        from flask_login import current_user, login_required
        from app.ai.providers import generate_with_provider
        from openai import OpenAI
        app = Flask(__name__)
        client = OpenAI()
        @app.post("/generate")
        @login_required
        def generate():
            prompt = request.get_json().get("prompt", "").strip()
            def _do():
                return generate_with_provider("m", system="Be brief.", user=f"Write: {prompt}")
            return {"output": _do()}
        @app.post("/tagged")
        @login_required
        def tagged():
            text = request.get_json()["text"][:2000]
            answer = client.chat.completions.create(model="m", user=str(current_user.id),
                                                    messages=[{"role": "user", "content": text}])
            return {"output": answer.choices[0].message.content}
        """)
    assert [(rule, line) for rule, line, _ in _found(run(code, "app/routes.py", (_PROVIDER,)))] == [("LR602", 12)]


def test_a_drf_viewset_action_is_a_handler() -> None:
    """Set 17: ``@action(detail=True, methods=["post"])`` on a ModelViewSet is served at its own URL; its
    ``request.data`` reaches the model unbounded (LR602), while a bounded serializer field clears it."""
    code = textwrap.dedent("""\
        from rest_framework import serializers, viewsets
        from rest_framework.decorators import action
        from rest_framework.response import Response
        from langchain_openai import ChatOpenAI


        class AskSerializer(serializers.Serializer):
            message = serializers.CharField(max_length=2000)


        class ConversationViewSet(viewsets.ModelViewSet):
            @action(detail=True, methods=["post"])
            def send_message(self, request, pk=None):
                user_message = request.data.get("message")
                result = ChatOpenAI(model="gpt-4o").invoke([{"role": "user", "content": user_message}])
                return Response({"response": result.content})

            @action(detail=True, methods=["post"])
            def ask(self, request, pk=None):
                data = AskSerializer(data=request.data)
                data.is_valid(raise_exception=True)
                result = ChatOpenAI(model="gpt-4o").invoke(data.validated_data["message"])
                return Response({"response": result.content})

            def summary(self):
                return ChatOpenAI().invoke(self.note)
        """)
    found = [(f.rule_id, f.location.line) for f in run(code, "chat/views.py").findings if f.rule_id == "LR602"]
    assert found == [("LR602", 15)]


def test_a_viewset_method_named_in_as_view_is_a_handler() -> None:
    """Set 16 pawel: ``TopicViewSet.as_view({"post": "create_topic"})`` serves ``create_topic``; a method no
    urls module names is not a handler."""
    code = textwrap.dedent("""\
        from rest_framework import viewsets
        from rest_framework.response import Response
        from openai import OpenAI

        client = OpenAI()


        class TopicViewSet(viewsets.ViewSet):
            def create_topic(self, request):
                text = request.data["text"]
                out = client.chat.completions.create(model="m", messages=[{"role": "user", "content": text}])
                return Response({"answer": out.choices[0].message.content})

            def summarise(self, request):
                return client.chat.completions.create(model="m", messages=[request.data["text"]])
        """)
    urls = ("topics/urls.py", "from django.urls import path\nfrom .views import TopicViewSet\n\n"
                              "urlpatterns = [path('topics/', TopicViewSet.as_view({'post': 'create_topic'}))]\n")
    found = [(f.rule_id, f.location.line) for f in run(code, "topics/views.py", files=(urls,)).findings
             if f.rule_id == "LR602"]
    assert found == [("LR602", 11)]


def test_a_system_prompt_keyword_to_a_project_function_that_only_stores_it() -> None:
    """Set 18 chatgpt-clone: ``chat_pipeline.create_chat(system_prompt=body["system_prompt"])`` on an instance of a
    project class stores the text on the chat; a project function that sends it as ``system=`` is LR603."""
    code = textwrap.dedent("""\
        from fastapi import FastAPI
        from app.pipeline import chat_pipeline
        from app.llm import ask_with_system

        app = FastAPI()


        @app.post("/chats")
        def create(body: dict):
            return chat_pipeline.create_chat(title=body["title"], system_prompt=body["system_prompt"])


        @app.post("/ask")
        def ask(body: dict):
            return ask_with_system(question="hi", system_prompt=body["persona"])
        """)
    pipeline = ("app/pipeline.py", "class ChatPipeline:\n    def create_chat(self, title, system_prompt):\n"
                "        return Chat.objects.create(title=title, system_prompt=system_prompt)\n\n"
                "chat_pipeline = ChatPipeline()\n")
    llm = ("app/llm.py", "import anthropic\n\ndef ask_with_system(question, system_prompt):\n"
           "    return anthropic.Anthropic().messages.create(model='m', system=system_prompt, "
           "messages=[{'role': 'user', 'content': question}])\n")
    found = [(f.rule_id, f.location.line) for f in run(code, "app/main.py", files=(pipeline, llm)).findings
             if f.rule_id == "LR603"]
    assert found == [("LR603", 15)]


def test_a_websocket_message_to_a_llamaindex_chat_engine() -> None:
    """Set 19 FastApi (mohammedarbaz119): ``data = await socket.receive_text()`` handed to
    ``connections.chat_engines[sid].stream_chat(data)`` in a WebSocket route."""
    code = textwrap.dedent("""\
        from fastapi import APIRouter, WebSocket
        router = APIRouter()
        connections = Manager()


        @router.websocket("/ws/{name}")
        async def chat(socket: WebSocket, name: str):
            await socket.accept()
            while True:
                data = await socket.receive_text()
                res = connections.chat_engines[name].stream_chat(data).response_gen
                for chunk in res:
                    await socket.send_text(chunk)


        @router.websocket("/ws/echo")
        async def echo(socket: WebSocket):
            data = await socket.receive_text()
            connections.chat_engines["x"].reset()
            await socket.send_text(data)
        """)
    found = [(f.rule_id, f.location.line) for f in run(code, "app/routers/chat.py").findings
             if f.rule_id in ("LR602", "AUTH301")]
    assert found == [("AUTH301", 6), ("LR602", 11)]


def test_a_django_form_is_as_bounded_as_its_fields() -> None:
    """Set 19 ai_study_assitant: a ModelForm over a ``CharField`` with no ``max_length`` (and a plain form's
    ``forms.CharField()``) leaves ``cleaned_data`` unbounded; ``max_length`` or a measuring ``clean_<field>`` bounds
    it; a form the scan cannot find stays bounded."""
    forms = ("notes/forms.py", textwrap.dedent("""\
        from django import forms
        from .models import Note


        class NoteForm(forms.ModelForm):
            class Meta:
                model = Note
                fields = ["title", "preference"]


        class AskForm(forms.Form):
            question = forms.CharField(widget=forms.Textarea)
            topic = forms.CharField(max_length=80)
            persona = forms.CharField()

            def clean_persona(self):
                return self.cleaned_data["persona"][:200]
        """))
    models = ("notes/models.py", "from django.db import models\n\n\nclass Note(models.Model):\n"
                                 "    title = models.CharField(max_length=100)\n    preference = models.TextField()\n")
    code = textwrap.dedent("""\
        from django.http import JsonResponse
        from openai import OpenAI
        from .forms import NoteForm, AskForm
        client = OpenAI()


        def notes(request):
            form = NoteForm(request.POST)
            form.is_valid()
            out = client.responses.create(model="m", input=form.cleaned_data["preference"])
            return JsonResponse({"a": out.output_text})


        def titled(request):
            form = NoteForm(request.POST)
            form.is_valid()
            out = client.responses.create(model="m", input=form.cleaned_data["title"])
            return JsonResponse({"a": out.output_text})


        def ask(request):
            form = AskForm(request.POST)
            form.is_valid()
            out = client.responses.create(model="m", input=form.cleaned_data["question"])
            return JsonResponse({"a": out.output_text})


        def persona(request):
            form = AskForm(request.POST)
            form.is_valid()
            out = client.responses.create(model="m", input=[form.cleaned_data["topic"], form.cleaned_data["persona"]])
            return JsonResponse({"a": out.output_text})
        """)
    urls = ("notes/urls.py", "from django.urls import path\nfrom . import views\n"
                             "urlpatterns = [path('n/', views.notes), path('t/', views.titled), path('a/', views.ask), "
                             "path('p/', views.persona)]\n")
    result = run(code, "notes/views.py", (forms, models, urls))
    assert [(c, line) for c, line, _ in _found(result, ("LR602",))] == [("LR602", 10), ("LR602", 24)]


def test_async_drf_views_from_adrf() -> None:
    """Set 20 rag-chatbot: ``adrf.views.APIView`` (async DRF) is a DRF view; its model call through a class
    method chain (``Generator.generate`` -> ``LLMService.complete``) is found."""
    view = textwrap.dedent("""\
        from rest_framework.permissions import IsAuthenticated
        from adrf.views import APIView
        from rest_framework.response import Response
        from rag.pipeline.generator import Generator


        class ChatView(APIView):
            permission_classes = [IsAuthenticated]

            async def post(self, request):
                message = request.data["message"]
                return Response({"a": await Generator.generate(question=message)})
        """)
    gen = ("rag/pipeline/generator.py", "from rag.services.llm import LLMService\n\n\nclass Generator:\n"
                                        "    @classmethod\n    async def generate(cls, question):\n"
                                        "        return await LLMService.complete(question)\n")
    llm = ("rag/services/llm.py", "from openai import AsyncOpenAI\n\n\nclass LLMService:\n    @classmethod\n"
                                  "    async def complete(cls, prompt):\n"
                                  "        r = await AsyncOpenAI().chat.completions.create(model='m', messages=[prompt])\n"
                                  "        return r.choices[0].message.content\n")
    urls = ("rag/urls.py", "from django.urls import path\nfrom .views import ChatView\n"
                           "urlpatterns = [path('api/chat', ChatView.as_view())]\n")
    result = run(view, "rag/views.py", (gen, llm, urls))
    assert sorted((f.rule_id, f.location.line) for f in result.findings) == [("LR601", 7), ("LR602", 12)]


def test_a_helper_named_check_that_asks_the_model_bounds_nothing() -> None:
    """``checkSolution(exercise, answer)`` has GPT-4 grade the answer (set 26 next_step_v1): its name says
    "check", but it measures nothing; ``check_length(answer)`` that only compares does bound it."""
    code = _py("""
        from flask import Flask, request
        from openai import OpenAI
        app = Flask(__name__)

        def grade(answer):
            r = OpenAI().chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": answer}])
            return r.choices[0].message.content

        def checkSolution(answer):
            return grade(answer)

        def check_length(answer):
            return len(answer) < 2000

        @app.post("/resolve")
        def resolve():
            answer = request.form.get("solution")
            return checkSolution(answer)

        @app.post("/resolve-checked")
        def resolve_checked():
            answer = request.form.get("solution")
            if not check_length(answer):
                return "too long", 400
            return grade(answer)
        """)
    assert [(f[0], f[1]) for f in _found(run(code), ("LR602",))] == [("LR602", 18)]
