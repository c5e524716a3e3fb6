"""Async ORMs whose queries are methods of the model class (Tortoise ORM, Beanie, ODMantic): database access for
AUTH302 and AUTH307 when the class subclasses the ORM's model base, never by the method name alone."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import run

TORTOISE_MODELS = ("app/models/chat.py", inspect.cleandoc("""
    from tortoise import fields
    from tortoise.models import Model


    class ChatHistory(Model):
        id = fields.IntField(pk=True)
        user = fields.ForeignKeyField("models.User", related_name="chats")
        message = fields.TextField()
        response = fields.TextField()
""") + "\n")
BEANIE_MODELS = ("app/models.py", inspect.cleandoc("""
    from beanie import Document


    class TimestampedDoc(Document):
        created_at: datetime


    class Conversation(TimestampedDoc):
        user_id: str
        title: str
""") + "\n")
CACHE = ("app/cache.py", "class Cache:\n    store = {}\n\n    @classmethod\n    def get(cls, key):\n"
                         "        return cls.store.get(key)\n")


def _found(rule: str, code: str, path: str, files: tuple[tuple[str, str], ...]) -> list[int]:
    result = run(inspect.cleandoc(code) + "\n", path, files)
    assert not result.notes
    return sorted(f.location.line for f in result.findings if f.rule_id == rule)


def test_tortoise_filter_by_query_user_id_without_auth_is_auth302() -> None:
    assert _found("AUTH302", """
        from fastapi import APIRouter
        from app.models.chat import ChatHistory
        router = APIRouter()


        @router.get("/history")
        async def chat_history(user_id: int):
            chats = await ChatHistory.filter(user_id=user_id).values("message", "response")
            return {"history": chats}
    """, "app/routes/chat.py", (TORTOISE_MODELS,)) == [6]


def test_tortoise_instance_delete_without_auth_is_auth302() -> None:
    assert _found("AUTH302", """
        from fastapi import APIRouter
        from app.models import chat as models
        router = APIRouter()


        @router.delete("/chats/{chat_id}")
        async def delete_chat(chat_id: int):
            chat = await models.ChatHistory.get(id=chat_id)
            await chat.delete()
            return {"ok": True}
    """, "app/routes/chat.py", (TORTOISE_MODELS,)) == [6]


def test_beanie_document_through_a_project_base_is_auth302() -> None:
    assert _found("AUTH302", """
        from fastapi import APIRouter
        from app.models import Conversation
        router = APIRouter()


        @router.get("/conversations")
        async def conversations(user_id: str):
            return await Conversation.find(Conversation.user_id == user_id).to_list()
    """, "app/routes.py", (BEANIE_MODELS,)) == [6]


def test_authenticated_tortoise_route_is_not_auth302() -> None:
    assert _found("AUTH302", """
        from fastapi import APIRouter, Depends
        from app.models.chat import ChatHistory
        from app.auth import get_current_user
        router = APIRouter()


        @router.get("/history")
        async def chat_history(user=Depends(get_current_user)):
            return await ChatHistory.filter(user_id=user.id).values("message")
    """, "app/routes/chat.py", (TORTOISE_MODELS,)) == []


def test_get_on_a_plain_project_class_is_not_database_access() -> None:
    assert _found("AUTH302", """
        from fastapi import APIRouter
        from app.cache import Cache
        router = APIRouter()


        @router.get("/cached")
        async def cached(key: str):
            return {"value": Cache.get(key)}
    """, "app/routes.py", (CACHE,)) == []


def test_pydantic_model_create_is_not_database_access() -> None:
    schemas = ("app/schemas.py", "from pydantic import BaseModel\n\n\nclass Reply(BaseModel):\n    text: str\n")
    assert _found("AUTH302", """
        from fastapi import APIRouter
        from app.schemas import Reply
        router = APIRouter()


        @router.get("/echo")
        async def echo(text: str):
            reply = Reply(text=text)
            reply.update(text=text)
            return reply
    """, "app/routes.py", (schemas,)) == []


def test_tortoise_get_by_path_id_with_auth_but_no_owner_check_is_auth307() -> None:
    assert _found("AUTH307", """
        from fastapi import APIRouter, Depends
        from app.models.chat import ChatHistory
        from app.auth import get_current_user
        router = APIRouter()


        @router.get("/chats/{chat_id}")
        async def get_chat(chat_id: int, user=Depends(get_current_user)):
            return await ChatHistory.get(id=chat_id)
    """, "app/routes/chat.py", (TORTOISE_MODELS,)) == [9]


def test_tortoise_get_scoped_by_owner_is_not_auth307() -> None:
    assert _found("AUTH307", """
        from fastapi import APIRouter, Depends
        from app.models.chat import ChatHistory
        from app.auth import get_current_user
        router = APIRouter()


        @router.get("/chats/{chat_id}")
        async def get_chat(chat_id: int, user=Depends(get_current_user)):
            return await ChatHistory.get(id=chat_id, user_id=user.id)
    """, "app/routes/chat.py", (TORTOISE_MODELS,)) == []


ODMANTIC_MODELS = ("models/conversation.py", "from odmantic import Model, ObjectId\n\n\nclass Conversation(Model):\n"
                                             "    user_id: ObjectId\n    title: str\n")


def test_odmantic_engine_find_by_query_user_id_without_auth_is_auth302() -> None:
    assert _found("AUTH302", """
        from fastapi import APIRouter, Query
        from models.conversation import Conversation
        from odmantic import ObjectId
        from services.mongo_service import MongoService, mongo_service
        router = APIRouter(prefix="/conversations")


        @router.get("")
        async def get_conversations(user_id: str = Query(...), mongo_service: MongoService = mongo_service):
            return await mongo_service.engine.find(Conversation, Conversation.user_id == ObjectId(user_id))
    """, "routers/conversation.py", (ODMANTIC_MODELS,)) == [8]


def test_find_on_a_search_engine_with_a_plain_class_is_not_database_access() -> None:
    schemas = ("app/schemas.py", "from pydantic import BaseModel\n\n\nclass Query(BaseModel):\n    text: str\n")
    assert _found("AUTH302", """
        from fastapi import APIRouter
        from app.schemas import Query
        from app.search import engine
        router = APIRouter()


        @router.get("/search")
        async def search(q: str):
            return engine.find(Query, q)
    """, "app/routes.py", (schemas,)) == []
