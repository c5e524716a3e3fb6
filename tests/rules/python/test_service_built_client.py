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
