"""AUTH307 through project functions: a handler hands a request id to a service or model method whose own
query selects the row by that id alone (followed two calls deep: ``Opchat.update_name`` ->
``DbChat.update``); not when the handler also hands over the signed-in user or the function checks the owner."""

from __future__ import annotations

from tests.rules.python.helpers import run

ROUTE = ("from flask import Blueprint, request\nfrom flask_jwt_extended import jwt_required, get_jwt_identity\n"
         "from app.service.opchat import Opchat\n\nbp = Blueprint('gpt', __name__)\n\n\n"
         "@bp.post('/chat/rename')\n@jwt_required()\ndef rename():\n    data = request.get_json()\n"
         "    Opchat.update_name(CALL_ARGS)\n    return {'ok': True}\n")  # the call is on line 12
SERVICE = ("app/service/opchat.py", "from app.model.chat import DbChat\n\n\nclass Opchat:\n"
           "    def update_name(chat_id, chat_name):\n        DbChat.update(chat_id, chat_name)\n")
MODEL = ("app/model/chat.py", "from app import db\n\n\nclass DbChat(db.Model):\n"
         "    user_id = db.Column(db.String(20))\n    chat_id = db.Column(db.String(20))\n"
         "    chat_name = db.Column(db.String(30))\n\n    def update(chatId, chatName):\n"
         "        row = db.session.query(DbChat).filter_by(chat_id=chatId).first()\n"
         "        row.chat_name = chatName\n        db.session.commit()\n")
CHECKED = ("app/model/chat.py", MODEL[1].replace(
    "        row.chat_name = chatName\n",
    "        if row.user_id != get_jwt_identity():\n            raise PermissionError()\n"
    "        row.chat_name = chatName\n"))


def _auth307(files: tuple[tuple[str, str], ...], args: str) -> list[tuple[int, str]]:
    result = run(ROUTE.replace("CALL_ARGS", args), "app/routes/gpt.py", files)
    return [(f.location.line, f.message) for f in result.findings if f.rule_id == "AUTH307"]


def test_request_id_handed_two_calls_deep_to_an_unscoped_query() -> None:
    found = _auth307((SERVICE, MODEL), "data['chat_id'], data['name']")
    assert [line for line, _ in found] == [12]
    assert "through Opchat.update_name() -> DbChat.update()" in found[0][1]


def test_handing_over_the_signed_in_user_lets_the_helper_scope() -> None:
    assert _auth307((SERVICE, MODEL), "data['chat_id'], data['name'], user_id=get_jwt_identity()") == []


def test_an_owner_check_in_the_helper_scopes_the_row() -> None:
    assert _auth307((SERVICE, CHECKED), "data['chat_id'], data['name']") == []


def test_a_helper_given_no_request_id_is_not_followed() -> None:
    assert _auth307((SERVICE, MODEL), "'fixed', data['name']") == []


FLOW_CRUD = ("app/crud/flow.py", "from app.models import Flow\n\n\ndef get_flow(db, flow_id):\n"
             "    return db.query(Flow).filter(Flow.id == flow_id).first()\n\n\n"
             "def update_flow(db, flow_id, data):\n    row = db.query(Flow).filter(Flow.id == flow_id).first()\n"
             "    row.name = data.name\n    db.commit()\n    return row\n")
FLOW_MODEL = ("app/models.py", "from sqlalchemy import Column, String\nfrom app.db import Base\n\n\n"
              "class Flow(Base):\n    id = Column(String, primary_key=True)\n    organization_id = Column(String)\n"
              "    name = Column(String)\n")
FLOW_ROUTE = ("from fastapi import APIRouter, Depends, HTTPException\nfrom app.crud import flow as flow_crud\n"
              "router = APIRouter()\n\n\n@router.put('/flows/{flow_id}')\n"
              "def update(flow_id: str, data: FlowIn, db=Depends(get_db), current_user=Depends(DEPENDENCY)):\n"
              "    db_flow = flow_crud.get_flow(db, flow_id)\n    if not db_flow:\n        raise HTTPException(404)\n"
              "CHECK    return flow_crud.update_flow(db, flow_id, data)\n")
TENANT_CHECK = ("    if str(current_user.organization_id) != str(db_flow.organization_id):\n"
                "        raise HTTPException(403)\n")


def test_a_row_a_helper_loaded_is_checked_like_one_loaded_in_the_handler() -> None:
    def found(check: str, dependency: str = "get_current_user") -> list[int]:
        code = FLOW_ROUTE.replace("CHECK", check).replace("DEPENDENCY", dependency)
        result = run(code, "app/routers/flow.py", (FLOW_CRUD, FLOW_MODEL))
        return [f.location.line for f in result.findings if f.rule_id == "AUTH307"]

    assert found(TENANT_CHECK) == []
    assert found("") == [8]
    # a role dependency gates the route (``Depends(has_role(["super_admin"]))``)
    assert found("", 'has_role(["super_admin"])') == []


SAVE_ROUTE = ("from fastapi import APIRouter, Depends\nfrom app.auth import current_user\nfrom app.store import save\n"
              "router = APIRouter()\n\n\n@router.post('/chat')\n"
              "def chat(body: ChatIn, user=Depends(current_user)):\n"
              "    save(user_id=user.id, message=body.message, conversation_id=body.conversation_id)\n"
              "    return {'ok': True}\n")  # the call is on line 9
SCHEMA = ("app/migrations/create_conversations.sql", "CREATE TABLE IF NOT EXISTS conversations (\n  id SERIAL PRIMARY KEY,\n"
          "  user_id INT REFERENCES users(id),\n  messages JSONB\n);\n")


def _store(where: str, check: str = "") -> tuple[str, str]:
    return ("app/store.py", "def save(user_id, message, conversation_id):\n"
                            "    with conn.cursor() as cursor:\n" + check +
                            f"        cursor.execute({where})\n")


def test_a_helper_handed_the_user_that_ignores_it_in_its_lookup() -> None:
    """Set 18 chatapp: ``save(user_id=..., conversation_id=...)`` whose UPDATE matches the id alone."""
    store = _store('"UPDATE conversations SET messages = messages || %s WHERE id = %s", (message, conversation_id)')
    found = [(f.location.line, f.message) for f in run(SAVE_ROUTE, "app/routes.py", (store, SCHEMA)).findings
             if f.rule_id == "AUTH307"]
    assert [line for line, _ in found] == [9]
    assert "updates conversations by conversation_id from the request body through save()" in found[0][1]


def test_a_helper_handed_the_user_that_scopes_or_checks_by_it() -> None:
    scoped = _store('"UPDATE conversations SET messages = messages || %s WHERE id = %s AND user_id = %s", '
                    '(message, conversation_id, user_id)')
    checked = _store('"UPDATE conversations SET messages = messages || %s WHERE id = %s", (message, conversation_id)',
                     check="        if owner_of(conversation_id) != user_id:\n            raise PermissionError()\n")
    # an owner-scoped load first (set 7 llm-chat-starter-app: ``c = await get_chat(user_id, chat_id)``)
    loaded = _store('"UPDATE conversations SET messages = messages || %s WHERE id = %s", (message, conversation_id)',
                    check="        if not load_conversation(user_id, conversation_id):\n            return None\n")
    for store in (scoped, checked, loaded):
        found = run(SAVE_ROUTE, "app/routes.py", (store, SCHEMA)).findings
        assert [f for f in found if f.rule_id == "AUTH307"] == []
