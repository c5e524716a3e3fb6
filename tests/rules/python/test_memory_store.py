"""AUTH303 on read-only routes that return a shared in-memory store of conversations (``chats = [...]`` that a
create route appends to): ``GET /chats`` and ``GET /chat/<int:chat_id>`` show every visitor's chats. A module list
of other things, a sample list nobody writes, and a signed-in route are clean."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import lines_of, run

STORAGE = ("endpoints/chats/chat_storage.py", "# In-memory database to store chats\n"
           "{name} = [\n    {{\"id\": 4, \"title\": \"Redis persistence\", \"messages\": []}},\n]\n")
CREATE = ("endpoints/chats/create_chat.py", inspect.cleandoc("""
    from flask import Blueprint, jsonify, request
    from .chat_storage import {name}

    create_chat_bp = Blueprint('create_chat', __name__)


    @create_chat_bp.route('/chat', methods=['POST'])
    def create_chat():
        new_chat = {{'id': len({name}) + 1, 'messages': request.json['messages']}}
        {name}.append(new_chat)
        return jsonify({{'id': new_chat['id']}}), 201
""") + "\n")
GET_CHAT = inspect.cleandoc("""
    from flask import Blueprint, jsonify
    {login}from .chat_storage import {name}

    get_chat_bp = Blueprint('get_chat', __name__)


    @get_chat_bp.route('/chat/<int:chat_id>', methods=['GET'])
    {decorator}def get_chat(chat_id):
        chat = next((chat for chat in {name} if chat['id'] == chat_id), None)
        if chat:
            return jsonify(chat['messages'])
        return jsonify({{'error': 'Chat not found'}}), 404
""") + "\n"
GET_CHATS = inspect.cleandoc("""
    from flask import Blueprint, jsonify
    from .chat_storage import chats

    get_chats_bp = Blueprint('get_chats', __name__)


    @get_chats_bp.route('/chats', methods=['GET'])
    def get_chats():
        return jsonify([{'id': chat['id'], 'title': chat['title']} for chat in chats])
""") + "\n"


def _files(name: str = "chats", written: bool = True) -> tuple[tuple[str, str], ...]:
    storage = (STORAGE[0], STORAGE[1].format(name=name))
    return (storage, (CREATE[0], CREATE[1].format(name=name))) if written else (storage,)


def test_read_route_returning_one_chat_of_the_shared_store_is_reported() -> None:
    code = GET_CHAT.format(name="chats", login="", decorator="")
    assert lines_of(run(code, "endpoints/chats/get_chat.py", _files()), "AUTH303") == [7]


def test_read_route_listing_the_shared_store_is_reported() -> None:
    assert lines_of(run(GET_CHATS, "endpoints/chats/get_chats.py", _files()), "AUTH303") == [7]


def test_a_store_nobody_writes_is_sample_data() -> None:
    assert lines_of(run(GET_CHATS, "endpoints/chats/get_chats.py", _files(written=False)), "AUTH303") == []


def test_a_shared_list_of_other_things_is_not_a_conversation_store() -> None:
    code = GET_CHAT.format(name="recipes", login="", decorator="")
    assert lines_of(run(code, "endpoints/chats/get_chat.py", _files("recipes")), "AUTH303") == []


def test_a_signed_in_read_route_is_clean() -> None:
    code = GET_CHAT.format(name="chats", login="from flask_login import login_required\n",
                           decorator="@login_required\n")
    assert lines_of(run(code, "endpoints/chats/get_chat.py", _files()), "AUTH303") == []
