"""A FastAPI route that calls the model through an object ``Depends`` injects (``uc: ChatUseCase =
Depends(get_chat_uc)`` then ``uc.handle_message(payload.message)``): the parameter's annotation names the project
class, whose method calls ``self.llm.respond`` on an attribute its ``__init__`` types as ``OpenAIClient``, whose
method calls ``client.responses.create``. The route calls a model (AUTH301, LR601) and sends the unbounded message
to it (LR602); a use case that only stores the message calls none."""

from __future__ import annotations

import inspect

import pytest

from tests.rules.python.helpers import lines_of, run

CLIENT = ("app/adapters/openai_client.py", inspect.cleandoc("""
    from openai import OpenAI


    class OpenAIClient:
        def __init__(self, api_key: str | None = None):
            self.client = OpenAI(api_key=api_key)

        def respond(self, context: list[dict]) -> tuple[str, str]:
            resp = self.client.responses.create(model="gpt-4o-mini", input=context)
            return resp.output_text, resp.id
""") + "\n")
STORE = ("app/adapters/thread_store.py", inspect.cleandoc("""
    class InMemoryContextStore:
        def __init__(self):
            self._data: dict[str, list[dict]] = {}

        def get_context(self, resp_id: str) -> list[dict]:
            return self._data.setdefault(resp_id, [])
""") + "\n")
USE_CASE = ("app/use_case/chat_use_case.py", inspect.cleandoc("""
    from app.adapters.openai_client import OpenAIClient
    from app.adapters.thread_store import InMemoryContextStore


    class ChatUseCase:
        def __init__(self, llm: OpenAIClient, store: InMemoryContextStore):
            self.llm = llm
            self.store = store

        def handle_message(self, resp_id: str, user_message: str):
            ctx = self.store.get_context(resp_id)
            ctx.append({"role": "user", "content": user_message})
            return self.llm.respond(ctx)

        def remember(self, resp_id: str, user_message: str):
            self.store.get_context(resp_id).append({"role": "user", "content": user_message})
            return resp_id
""") + "\n")
DEPS = ("app/api/deps.py", inspect.cleandoc("""
    from app.adapters.openai_client import OpenAIClient
    from app.adapters.thread_store import InMemoryContextStore
    from app.use_case.chat_use_case import ChatUseCase


    def get_chat_uc() -> ChatUseCase:
        return ChatUseCase(llm=OpenAIClient(), store=InMemoryContextStore())
""") + "\n")
ROUTER = inspect.cleandoc("""
    from typing import Annotated
    from fastapi import APIRouter, Depends
    from pydantic import BaseModel
    from app.use_case.chat_use_case import ChatUseCase
    from app.api.deps import get_chat_uc

    router = APIRouter(prefix="/chat")


    class ChatRequest(BaseModel):
        resp_id: str = ""
        message: str


    @router.post("")
    def chat(payload: ChatRequest, {param}):
        reply, resp_id = uc.{method}(payload.resp_id, payload.message)
        return {{"reply": reply, "id": resp_id}}
""") + "\n"
FILES = (CLIENT, STORE, USE_CASE, DEPS)


@pytest.mark.parametrize("param", [
    "uc: ChatUseCase = Depends(get_chat_uc)",
    "uc: Annotated[ChatUseCase, Depends(get_chat_uc)]",
])
def test_route_calling_the_model_through_an_injected_use_case(param: str) -> None:
    result = run(ROUTER.format(param=param, method="handle_message"), "app/api/routers/chat.py", FILES)
    assert lines_of(result, "AUTH301") == [15]
    assert lines_of(result, "LR601") == [15]
    assert lines_of(result, "LR602") == [17]


def test_the_rate_limit_message_names_the_vendor() -> None:
    result = run(ROUTER.format(param="uc: ChatUseCase = Depends(get_chat_uc)", method="handle_message"),
                 "app/api/routers/chat.py", FILES)
    assert [f.message for f in result.findings if f.rule_id == "LR601"] == [
        "POST /chat calls OpenAI through handle_message() with no rate limit"]


def test_injected_use_case_method_that_only_stores_calls_no_model() -> None:
    result = run(ROUTER.format(param="uc: ChatUseCase = Depends(get_chat_uc)", method="remember"),
                 "app/api/routers/chat.py", FILES)
    assert lines_of(result, "AUTH301") == []
    assert lines_of(result, "LR601") == []
    assert lines_of(result, "LR602") == []
