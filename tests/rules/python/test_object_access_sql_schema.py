"""AUTH307 on raw SQL apps (asyncpg, sqlite3): the schema is a ``CREATE TABLE`` in a string of the code, so a
table holds per-user data when its columns name an owner (``quizzes (..., user_id INTEGER REFERENCES
users(id))``), matched to a lookup's model by its plural (``get_quiz_by_id`` -> ``quizzes``). Seen in set 15
(ai-quiz-generator): export and submit routes loaded any member's quiz by its id."""

from __future__ import annotations

import inspect

import pytest

from tests.rules.python.helpers import lines_of, run

INIT = ("app/db/init.py", inspect.cleandoc('''
    async def create_tables(conn):
        await conn.execute("""
            CREATE TABLE IF NOT EXISTS quizzes (
                id SERIAL PRIMARY KEY,
                url VARCHAR(2048) NOT NULL,
                user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
                full_quiz_data TEXT
            );
        """)
        await conn.execute("""
            CREATE TABLE IF NOT EXISTS topics (
                id SERIAL PRIMARY KEY,
                name VARCHAR(200) NOT NULL
            );
        """)
''') + "\n")
QUERIES = ("app/db/queries.py", inspect.cleandoc('''
    from app.db.pool import execute_query_one


    async def get_quiz_by_id(quiz_id: int):
        return await execute_query_one("SELECT * FROM quizzes WHERE id = $1", quiz_id)


    async def get_topic_by_id(topic_id: int):
        return await execute_query_one("SELECT * FROM topics WHERE id = $1", topic_id)
''') + "\n")
ROUTER = inspect.cleandoc("""
    from fastapi import APIRouter, Depends
    from app.auth import get_current_user
    from app.db.queries import get_quiz_by_id, get_topic_by_id

    router = APIRouter(prefix="/api/quiz")


    @router.get("/{{item_id}}")
    async def export_item(item_id: int, user=Depends(get_current_user)):
        row = await {helper}(item_id)
        return dict(row)
""") + "\n"


@pytest.mark.parametrize(("helper", "lines"), [("get_quiz_by_id", [10]), ("get_topic_by_id", [])])
def test_a_table_whose_schema_names_an_owner_is_member_data(helper: str, lines: list[int]) -> None:
    result = run(ROUTER.format(helper=helper), "app/routers/quiz.py", (INIT, QUERIES))
    assert lines_of(result, "AUTH307") == lines


def test_without_the_schema_a_quiz_is_not_known_to_be_member_data() -> None:
    result = run(ROUTER.format(helper="get_quiz_by_id"), "app/routers/quiz.py", (QUERIES,))
    assert lines_of(result, "AUTH307") == []


_PSYCOPG = inspect.cleandoc('''
    from flask import Flask, jsonify
    from flask import request as flask_request
    from app.auth import require_auth
    from app.db import get_db_connection
    APP = Flask(__name__)


    @APP.route("/api/messages/<int:conversation_id>")
    @require_auth
    def get_messages(conversation_id: int):
        cur = get_db_connection().cursor()
        {check}
        cur.execute(
            """
            SELECT id, message_text FROM messages
            WHERE conversation_id = %s
            ORDER BY sent_at ASC
            """,
            (conversation_id,),
        )
        return jsonify(cur.fetchall())


    @APP.route("/stream")
    @require_auth
    def stream():
        conversation_id = int(flask_request.args.get("conversationId"))
        cur = get_db_connection().cursor()
        cur.execute("SELECT 1 FROM messages WHERE conversation_id = %s OR public = true", (conversation_id,))
        cur.execute("DELETE FROM messages WHERE conversation_id = ? AND user_id = ?",
                    (conversation_id, flask_request.current_user["user_id"]))
        return jsonify([])
''') + "\n"


@pytest.mark.parametrize(("check", "lines"), [
    # the conversation's owner checked first: its messages by the same id are the caller's
    ('cur.execute("SELECT 1 FROM conversations WHERE id = %s AND user_id = %s", '
     '(conversation_id, flask_request.current_user["user_id"]))', []),
    ("pass", [13]),
])
def test_raw_sql_by_a_request_id(check: str, lines: list[int]) -> None:
    """DB-API SQL (psycopg2, sqlite3) selecting rows by a request id with no owner condition (set 16 local-gpt);
    an ``OR`` makes no lookup, an ``AND user_id = ?`` bound to the session user scopes it."""
    result = run(_PSYCOPG.format(check=check), "backend/app.py")
    assert lines_of(result, "AUTH307") == lines


_BLOG = inspect.cleandoc('''
    from flask import Blueprint, abort, g, redirect
    from flaskr.auth import login_required
    from flaskr.db import get_db

    bp = Blueprint("blog", __name__)


    def get_post(id, check_author=True):
        post = get_db().execute("SELECT p.id, author_id FROM post p WHERE p.id = ?", (id,)).fetchone()
        if post is None:
            abort(404)
        {check}
        return post


    @bp.route("/<int:id>/delete", methods=("POST",))
    @login_required
    def delete(id):
        get_post(id)
        get_db().execute("DELETE FROM post WHERE id = ?", (id,))
        return redirect("/")
''') + "\n"


@pytest.mark.parametrize(("check", "lines"), [
    ('if check_author and post["author_id"] != g.user["id"]:\n            abort(403)', []),
    ("pass", [20]),
])
def test_a_helper_that_refuses_another_members_row_verifies_the_id(check: str, lines: list[int]) -> None:
    """Flask's tutorial: ``get_post(id)`` aborts 403 when the post is not the signed-in user's, so the delete by
    the same id that follows is the author's (a regression caught on pallets/flask's examples)."""
    result = run(_BLOG.format(check=check), "flaskr/blog.py")
    assert lines_of(result, "AUTH307") == lines
