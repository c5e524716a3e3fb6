"""AUTH307 on Python beyond the rule's examples: exact messages, ids verified once, models whose class has no
owner field, request-id sources, and the ownership knowledge it rests on."""

from __future__ import annotations

import inspect

import pytest

from scanner.knowledge import ownership
from tests.rules.python.helpers import run


def _found(code: str, path: str = "app.py", files: tuple[tuple[str, str], ...] = ()) -> list[tuple[int, str]]:
    result = run(inspect.cleandoc(code) + "\n", path, files)
    assert not result.notes
    return sorted((f.location.line, f.message) for f in result.findings if f.rule_id == "AUTH307")


FASTAPI = """
    from fastapi import APIRouter, Depends
    router = APIRouter(prefix="/api")

    @router.get("/chats/{chat_id}")
    def get_chat(chat_id: int, user=Depends(get_current_user), db=Depends(get_db)):
        return db.get(Chat, chat_id)
"""


def test_message_names_route_model_id_and_source() -> None:
    assert _found(FASTAPI) == [(6, "FastAPI GET /api/chats/{chat_id} loads Chat by chat_id from the path with no "
                                   "check that it belongs to the signed-in user (handler get_chat)")]


def test_an_id_checked_once_scopes_later_queries_by_the_same_id() -> None:
    assert _found("""
        from fastapi import APIRouter, Depends, HTTPException
        router = APIRouter()

        @router.delete("/chats/{chat_id}")
        def delete_chat(chat_id: int, user=Depends(get_current_user), db=Depends(get_db)):
            chat = db.get(Chat, chat_id)
            if chat.owner_id != user.id:
                raise HTTPException(403)
            db.query(Message).filter(Message.chat_id == chat_id).delete()
            db.delete(chat)
    """) == []


MONGO_CHAT = """
    from bson import ObjectId
    from fastapi import FastAPI, Depends, HTTPException
    app = FastAPI()

    @app.put("/chats/{chat_id}")
    async def update_chat(chat_id: str, current_user=Depends(get_current_user)):
        user_id = str(current_user["_id"])
        FIRST
        return await chats.find_one({"_id": ObjectId(chat_id)})
"""


def test_an_id_matched_with_the_owner_first_scopes_later_lookups_by_it() -> None:
    scoped = ('result = await chats.update_one({"_id": ObjectId(chat_id), "user_id": user_id}, {"$set": {}})\n'
              '        if result.matched_count == 0:\n            raise HTTPException(404)')
    assert _found(MONGO_CHAT.replace("FIRST", scoped)) == []
    # the owner-matched lookup comes after, or matches the id alone: the first unscoped read is reported
    unscoped = 'await chats.update_one({"_id": ObjectId(chat_id)}, {"$set": {}})'
    assert [line for line, _ in _found(MONGO_CHAT.replace("FIRST", unscoped))] == [8]
    after = MONGO_CHAT.replace("FIRST", "pass").replace(
        "        return await", '        row = await chats.find_one({"_id": ObjectId(chat_id)})\n'
        '        return await chats.find_one({"_id": ObjectId(chat_id), "user_id": user_id}) or row\n        #')
    assert [line for line, _ in _found(after)] == [9]


def test_a_name_assigned_from_an_owner_matched_id_is_scoped() -> None:
    assert _found("""
        from bson import ObjectId
        from fastapi import FastAPI, Depends, HTTPException
        app = FastAPI()

        @app.post("/messages")
        async def post_message(msg: Message, current_user=Depends(get_current_user)):
            user_id = str(current_user["_id"])
            if msg.chat_id:
                chat = await chats.find_one({"_id": ObjectId(msg.chat_id), "user_id": user_id})
                if not chat:
                    raise HTTPException(404)
                chat_id = msg.chat_id
            else:
                chat_id = str((await chats.insert_one({"user_id": user_id})).inserted_id)
            await chats.update_one({"_id": ObjectId(chat_id)}, {"$set": {"title": "t"}})
    """) == []


def test_a_model_whose_class_has_no_owner_field_is_not_per_user_data() -> None:
    models = ("models.py", "class Chat(Base):\n    __tablename__ = 'chats'\n    id = Column(Integer)\n"
                           "    title = Column(String)\n")
    assert _found(FASTAPI, files=(models,)) == []


def test_a_model_with_a_foreign_key_to_a_per_user_parent_is_per_user_data() -> None:
    models = ("models.py", "class Chat(Base):\n    id = Column(Integer)\n"
                           "    conversation_id = Column(ForeignKey('conversations.id'))\n")
    assert [line for line, _ in _found(FASTAPI, files=(models,))] == [6]


def test_query_string_id_and_session_user_filter() -> None:
    code = """
        from flask import Flask, request
        from flask_login import login_required, current_user
        app = Flask(__name__)

        @app.get("/export")
        @login_required
        def export():
            doc_id = int(request.args["document_id"])
            doc = Document.query.filter_by(id=doc_id).first()
            mine = Document.query.filter_by(id=doc_id, owner=current_user).first()
            return {"doc": doc.text, "mine": mine.text}
    """
    assert _found(code) == [(9, "Flask GET /export loads Document by document_id from the query string with no "
                                "check that it belongs to the signed-in user (handler export)")]


def test_class_view_kwargs_pk_and_role_gate() -> None:
    code = """
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.views import View

        class ChatExport(LoginRequiredMixin, View):
            def get(self, request, *args, **kwargs):
                return JsonResponse(model_to_dict(Chat.objects.get(pk=self.kwargs["pk"])))

        class ChatAdmin(LoginRequiredMixin, View):
            def get(self, request, pk):
                if not request.user.is_staff:
                    raise PermissionDenied
                return JsonResponse(model_to_dict(Chat.objects.get(pk=pk)))
    """
    assert [line for line, _ in _found(code, "chat/views.py")] == [6]


@pytest.mark.parametrize(
    ("name", "owner"),
    [("user", True), ("user_id", True), ("userId", True), ("owner__id", True), ("created_by", True),
     ("organization_id", True), ("members__in", True), ("id", False), ("chat_id", False), ("title", False)],
)
def test_owner_fields(name: str, owner: bool) -> None:
    assert ownership.is_owner_field(name) is owner


@pytest.mark.parametrize(
    ("name", "per_user"),
    [("Chat", True), ("ChatMessage", True), ("conversations", True), ("User", False), ("Plan", False),
     ("Category", False), ("LLMProvider", False)],
)
def test_per_user_models(name: str, per_user: bool) -> None:
    assert ownership.per_user_model(name) is per_user


SUPABASE = """
    from fastapi import APIRouter, Depends
    router = APIRouter()

    @router.get("/threads/{thread_id}")
    def get_thread(thread_id: str, user=Depends(get_current_user)):
        {client}
        return supabase.table("threads").select("*").eq("id", thread_id).single().execute().data
"""


def test_supabase_service_client_is_reported_and_a_user_token_client_is_not() -> None:
    service = SUPABASE.replace("{client}", "supabase = create_client(URL, SERVICE_ROLE_KEY)")
    assert [line for line, _ in _found(service)] == [7]
    own_token = SUPABASE.replace("{client}", "supabase = create_client(URL, ANON_KEY)\n"
                                             "        supabase.postgrest.auth(user.token)")
    assert _found(own_token) == []


_ATTACH = """
    from flask import Blueprint, request
    from flask_jwt_extended import get_jwt_identity, jwt_required
    from app.models import Conversation, Document, db
    api = Blueprint("api", __name__)

    @api.route("/conversations", methods=["POST"])
    @jwt_required()
    def add_conversation():
        data = request.get_json()
        conversation = Conversation(user_id=get_jwt_identity())
        for doc_id in {ids}:
            document = Document.query.{lookup}
            if document:
                conversation.documents.append(document)
        db.session.add(conversation)
        db.session.commit()
        return {{"id": conversation.id}}
"""
_MODELS = ("app/models.py", "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n\n\n"
           "class Document(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
           "    user_id = db.Column(db.Integer, db.ForeignKey('user.id'))\n\n\n"
           "class Conversation(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
           "    user_id = db.Column(db.Integer, db.ForeignKey('user.id'))\n")


@pytest.mark.parametrize(("ids", "lookup", "lines"), [
    ("data.get('document_ids', [])", "get(doc_id)", [12]),
    ("data['document_ids']", "get(doc_id)", [12]),
    # the owner in the query, or ids the server chose, are fine
    ("data.get('document_ids', [])", "filter_by(id=doc_id, user_id=get_jwt_identity()).first()", []),
    ("[1, 2, 3]", "get(doc_id)", []),
])
def test_each_id_of_a_list_the_client_sent_is_a_request_id(ids: str, lookup: str, lines: list[int]) -> None:
    """``for doc_id in data.get("document_ids", [])`` then ``Document.query.get(doc_id)``: any member's document
    is attached to the caller's conversation (set 15 bluepeak)."""
    found = _found(_ATTACH.format(ids=ids, lookup=lookup), "app/routes/api.py", (_MODELS,))
    assert [line for line, _ in found] == lines


def test_a_model_named_through_its_module_in_a_helper_query() -> None:
    """``db.query(models.Intraction).filter_by(id=id)`` in a service function: the model is ``Intraction`` (set 16
    ai-chat-fastapi read any member's chat by id)."""
    services = ("src/chat/services.py", "from . import models\n\n\ndef get_interaction(id: int, db):\n"
                "    return db.query(models.Interaction).filter_by(id=id).first()\n")
    models = ("src/chat/models.py", "from sqlalchemy import Column, ForeignKey, Integer\nfrom .base import Base\n\n\n"
              "class Interaction(Base):\n    __tablename__ = 'interactions'\n"
              "    id = Column(Integer, primary_key=True)\n    user_id = Column(ForeignKey('users.id'))\n")
    code = """
        from fastapi import APIRouter, Depends
        from . import services as chat_services
        router = APIRouter()

        @router.get("/interaction/{interaction_id}/messages")
        async def messages(interaction_id, user=Depends(get_auth_user), db=Depends(get_db)):
            row = chat_services.get_interaction(interaction_id, db)
            return row.messages
    """
    assert [line for line, _ in _found(code, "src/chat/router.py", (services, models))] == [7]


_THREADS = """
    from fastapi import APIRouter, Depends, Form, HTTPException
    from app.db import supabase
    from app.threads import load_thread
    router = APIRouter()

    @router.post("/follow_up")
    async def follow_up(thread_id: str = Form(...), question: str = Form(...), user=Depends(get_current_user)):
        {load}
        supabase.table("threads").update({{"question": question}}).eq("thread_id", thread_id).execute()
        return {{"ok": True}}
"""
_LOAD = ("app/threads.py", "from app.db import supabase\n\n\ndef load_thread(thread_id, user_id):\n"
         "    rows = supabase.table('threads').select('*').eq('thread_id', thread_id).eq('user_id', user_id)"
         ".execute()\n    if not rows.data:\n        raise LookupError(thread_id)\n    return rows.data[0]\n")


@pytest.mark.parametrize(("load", "lines"), [
    ("thread = load_thread(thread_id, user.id)", []),
    ("thread = load_thread(thread_id, 'anyone')", [9]),
    ("pass", [9]),
])
def test_an_id_handed_with_the_user_to_a_project_function_first_is_scoped(load: str, lines: list[int]) -> None:
    """``load_thread(thread_id, user.id)`` before the update by ``thread_id`` alone: the function can scope by the
    user, so the update touches the caller's thread (set 16 QanoonAI)."""
    found = _found(_THREADS.format(load=load), "app/routes/chat.py", (_LOAD,))
    assert [line for line, _ in found] == lines


_RESOLVER = ("app/resolvers.py", "from app.db import conversations\n\n\n"
             "async def process_answer(request):\n"
             "    conversation = await conversations.find_one({'_id': request.conversation_id})\n"
             "    return conversation['analysis']\n")


@pytest.mark.parametrize(("param", "lines"), [
    ("request: AnalyzeRequest", [7]),
    # Starlette's request object carries no parsed body model
    ("request: Request", []),
])
def test_a_body_model_handed_whole_to_a_resolver(param: str, lines: list[int]) -> None:
    """``process_answer(request)`` with ``request: AnalyzeRequest``: the resolver loads the conversation by the
    body's ``conversation_id`` alone (set 16 self-analyzation)."""
    code = f"""
        from fastapi import Depends, FastAPI, Request
        from app.resolvers import process_answer
        app = FastAPI()

        @app.post("/answer")
        async def answer({param}, current_user: dict = Depends(get_current_user)):
            return await process_answer(request)
    """
    assert [line for line, _ in _found(code, "app/main.py", (_RESOLVER,))] == lines
