"""A route that calls the model through a service class it builds inline (``ChatService().chat(...)``), whose
``__init__`` builds the SDK client itself (``self.client = cohere.Client(key)``) and whose method calls
``self.client.chat(model=...)``: the route calls a model (AUTH301 when open, LR601) and sends the unbounded
message to it (LR602). A method of the same service that only reads history calls none. Seen in a held-out
FastAPI app (set 14) whose two model routes were reported by nothing."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import lines_of, run

SERVICE = ("app/services/chat_service.py", inspect.cleandoc("""
    import cohere
    from app.repositories.chat_repo import ChatRepository


    class ChatService:
        def __init__(self):
            self.repo = ChatRepository()
            self.client = cohere.Client("unused")

        def chat(self, user_id: str, message: str) -> str:
            self.repo.add(user_id, message)
            response = self.client.chat(model="command-a-03-2025", message=message)
            return response.text

        def history(self, user_id: str) -> list[str]:
            return self.repo.history(user_id)
""") + "\n")
REPO = ("app/repositories/chat_repo.py", inspect.cleandoc("""
    class ChatRepository:
        def __init__(self):
            self.rows: dict[str, list[str]] = {}

        def add(self, user_id: str, message: str) -> None:
            self.rows.setdefault(user_id, []).append(message)

        def history(self, user_id: str) -> list[str]:
            return self.rows.get(user_id, [])
""") + "\n")
ROUTER = inspect.cleandoc("""
    from fastapi import APIRouter, Depends
    from pydantic import BaseModel
    from app.core.security import get_current_user_id
    from app.services.chat_service import ChatService

    router = APIRouter(prefix="/chat")


    class ChatRequest(BaseModel):
        message: str


    @router.post("")
    def chat(data: ChatRequest, user_id: str = Depends(get_current_user_id)):
        return ChatService().{method}(user_id{args})
""") + "\n"
SECURITY = ("app/core/security.py", inspect.cleandoc("""
    from fastapi import Depends, HTTPException
    from fastapi.security import HTTPBearer

    bearer = HTTPBearer()


    def get_current_user_id(token=Depends(bearer)) -> str:
        if not token:
            raise HTTPException(status_code=401)
        return token.credentials
""") + "\n")
FILES = (SERVICE, REPO, SECURITY)


def test_service_whose_init_builds_the_sdk_client_calls_the_model() -> None:
    result = run(ROUTER.format(method="chat", args=", data.message"), "app/api/routes/chat.py", FILES)
    assert lines_of(result, "LR601") == [13]
    assert lines_of(result, "LR602") == [15]
    assert lines_of(result, "AUTH301") == []


def test_method_of_the_same_service_that_reads_history_calls_no_model() -> None:
    result = run(ROUTER.format(method="history", args=""), "app/api/routes/chat.py", FILES)
    assert lines_of(result, "LR601") == []
    assert lines_of(result, "LR602") == []


HANDLER = ("app/llm/handler.py", inspect.cleandoc("""
    import requests


    class LLMHandler:
        def __init__(self, base_url: str, api_key: str):
            self.base_url = base_url
            self.api_key = api_key

        def generate_response(self, model_name: str, messages: list[dict]) -> str:
            return self._call_api(model_name, messages)

        def list_models(self) -> list[str]:
            return ["a", "b"]

        def _call_api(self, model_name: str, messages: list[dict]) -> str:
            response = requests.post(f"{self.base_url}/chat/completions",
                                     json={"model": model_name, "messages": messages})
            return response.json()["choices"][0]["message"]["content"]
""") + "\n")
FACTORY = ("app/llm/factory.py", inspect.cleandoc("""
    import os

    from app.llm.handler import LLMHandler

    _handlers = {}


    def get_llm_handler(provider: str) -> LLMHandler:
        if provider not in _handlers:
            _handlers[provider] = LLMHandler("https://example.invalid/v1", os.environ["KEY"])
        return _handlers[provider]
""") + "\n")
FLASK_ROUTES = inspect.cleandoc("""
    from flask import Blueprint, jsonify, request
    from flask_login import login_required

    from app.llm.factory import get_llm_handler

    blueprint = Blueprint("chats", __name__)


    @blueprint.route("/chats/<int:chat_id>/messages", methods=["POST"])
    @login_required
    def send_message(chat_id: int):
        message = request.json.get("message")
        handler = get_llm_handler("openai")
        return jsonify({{"reply": handler.{call}}})
""") + "\n"


def test_handler_from_an_annotated_factory_calling_its_own_http_method_is_a_model_call() -> None:
    """``get_llm_handler(...) -> LLMHandler`` names the class; ``generate_response`` calls ``self._call_api``,
    which posts to ``/chat/completions``: the route calls a model (set 14 own-chat)."""
    result = run(FLASK_ROUTES.format(call='generate_response("m", [{"role": "user", "content": message}])'),
                 "app/chats/routes.py", (HANDLER, FACTORY))
    assert lines_of(result, "LR601") == [9]
    assert [f.message for f in result.findings if f.rule_id == "LR601"] == [
        "POST /chats/<int:chat_id>/messages calls a model through generate_response() with no rate limit"]
    assert lines_of(result, "LR602") == [14]


def test_handler_method_that_only_lists_models_calls_none() -> None:
    result = run(FLASK_ROUTES.format(call="list_models()"), "app/chats/routes.py", (HANDLER, FACTORY))
    assert lines_of(result, "LR601") == []
    assert lines_of(result, "LR602") == []


QUIZ_SERVICE = ("app/services/llm_quiz_generator.py", inspect.cleandoc("""
    import asyncio

    from langchain_core.prompts import ChatPromptTemplate

    _llm = None
    quiz_prompt = ChatPromptTemplate.from_template("Write {{count}} questions about {{url}}")


    def get_llm():
        global _llm
        if _llm is None:
            from langchain_google_genai import ChatGoogleGenerativeAI
            _llm = ChatGoogleGenerativeAI(model="gemini-2.5-flash")
        return _llm


    async def generate_with_retry(chain, inputs):
        for _ in range(3):
            try:
                return await asyncio.to_thread(chain.invoke, inputs)
            except Exception:
                await asyncio.sleep(1)


    async def describe(chain, inputs):
        return {{"inputs": inputs}}


    async def generate_quiz_payload(url: str, count: int):
        llm = get_llm()
        chain = quiz_prompt | llm
        return await {helper}(chain, {{"url": url, "count": count}})
""") + "\n")
QUIZ_PACKAGE = ("app/services/__init__.py", "from .llm_quiz_generator import generate_quiz_payload\n")
QUIZ_ROUTER = inspect.cleandoc("""
    from fastapi import APIRouter, Depends
    from pydantic import BaseModel
    from app.core.security import get_current_user_id
    from app.services import generate_quiz_payload

    router = APIRouter(prefix="/api/quiz")


    class QuizRequest(BaseModel):
        url: str


    @router.post("/generate_quiz")
    async def generate_quiz(request: QuizRequest, user_id: str = Depends(get_current_user_id)):
        return await generate_quiz_payload(url=request.url, count=10)
""") + "\n"


def test_a_lazily_built_langchain_partner_model_handed_to_a_retry_helper_is_a_model_call() -> None:
    """``get_llm()`` builds ``ChatGoogleGenerativeAI`` (``langchain_google_genai``, imported inside the function,
    no return annotation); the pipeline built from it is handed to ``generate_with_retry``, which runs it: the
    route calls Gemini, re-exported through the services package (set 15 ai-quiz-generator)."""
    service = (QUIZ_SERVICE[0], QUIZ_SERVICE[1].format(helper="generate_with_retry"))
    result = run(QUIZ_ROUTER, "app/routers/quiz.py", (service, QUIZ_PACKAGE, SECURITY))
    assert [f.message for f in result.findings if f.rule_id == "LR601"] == [
        "POST /api/quiz/generate_quiz calls Google Gemini (LangChain) through generate_quiz_payload() with no "
        "rate limit"]
    assert lines_of(result, "LR602") == [15]


def test_a_model_handed_to_a_helper_that_never_uses_it_is_no_model_call() -> None:
    service = (QUIZ_SERVICE[0], QUIZ_SERVICE[1].format(helper="describe"))
    result = run(QUIZ_ROUTER, "app/routers/quiz.py", (service, QUIZ_PACKAGE, SECURITY))
    assert lines_of(result, "LR601") == []


COUNSELOR = ("app/chat/dependencies.py", inspect.cleandoc("""
    import openai


    class Counselor:
        def consult(self, messages):
            pass


    class ChatgptCounselor(Counselor):
        def consult(self, messages):
            return openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=messages)


    def get_counselor() -> Counselor:
        return ChatgptCounselor()
""") + "\n")
COUNSEL_ROUTER = inspect.cleandoc("""
    from fastapi import APIRouter, Depends
    from app.core.security import get_current_user_id
    from app.chat.dependencies import get_counselor

    router = APIRouter()


    @router.post("/interaction/message")
    def new_message(user_id: str = Depends(get_current_user_id)):
        ai = get_counselor()
        return ai.consult([{"role": "user", "content": "hello"}])
""") + "\n"


def test_a_factory_annotated_with_an_interface_gives_the_class_it_builds() -> None:
    """``def get_counselor() -> Counselor: return ChatgptCounselor()``: the interface's method does nothing, the
    class built calls OpenAI (set 16 ai-chat-fastapi)."""
    result = run(COUNSEL_ROUTER, "app/chat/router.py", (COUNSELOR, SECURITY))
    assert lines_of(result, "LR601") == [8]


def test_a_capitalised_project_function_is_a_call_not_a_constructor() -> None:
    """``completion = Request(messages)`` where ``def Request(messages)`` calls OpenAI: a model call (set 16
    isorry); a project class built the same way runs nothing."""
    helper = ("app/completions/request.py", "from openai import OpenAI\nclient = OpenAI()\n\n\n"
              "def Request(messages):\n"
              "    return client.chat.completions.create(model='m', messages=messages)\n\n\n"
              "class Messages:\n    def __init__(self, reason):\n        self.reason = reason\n")
    code = inspect.cleandoc("""
        from rest_framework.views import APIView
        from rest_framework.response import Response
        from app.completions.request import Messages, Request


        class ApologyView(APIView):
            def post(self, request):
                messages = Messages(request.data.get("reason"))
                return Response({{"done": bool({call})}})
    """) + "\n"
    found = run(code.format(call="Request([{'role': 'user', 'content': 'sorry'}])"), "app/apology/views.py", (helper,))
    assert lines_of(found, "LR601") == [6]
    assert lines_of(run(code.format(call="messages"), "app/apology/views.py", (helper,)), "LR601") == []
