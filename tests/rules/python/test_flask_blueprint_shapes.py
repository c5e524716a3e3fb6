"""Flask shapes from set 16 (orakel): a blueprint no ``register_blueprint`` names serves nothing; login steps (a
code check that writes the session token, a magic link carrying its token) are public by intent; a model API URL
held as a class constant (``GroqChat.API_URL``) is a model call; a helper that returns what it reads off the
request carries request text to the prompt."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config

from tests.rules.python.helpers import lines_of, run

APP = ("app.py", inspect.cleandoc("""
    from flask import Flask
    from blueprints.orakel import orakel_bp
    from blueprints.auth import auth_bp

    app = Flask(__name__)
    app.register_blueprint(orakel_bp)
    app.register_blueprint(auth_bp)
""") + "\n")
AI = ("utils/ai.py", inspect.cleandoc("""
    import os
    import requests


    class GroqChat:
        API_URL = "https://api.groq.com/openai/v1/chat/completions"

        @staticmethod
        def response_text(prompt: str) -> str:
            payload = {"model": "llama-3.3-70b-versatile", "messages": [{"role": "user", "content": prompt}]}
            response = requests.post(GroqChat.API_URL, json=payload,
                                     headers={"Authorization": f"Bearer {os.environ['GROQ_API_KEY']}"})
            return response.json()["choices"][0]["message"]["content"]
""") + "\n")
ORAKEL = inspect.cleandoc("""
    from flask import Blueprint, jsonify, request, session
    from utils.ai import GroqChat

    orakel_bp = Blueprint("orakel", __name__)


    def extract_user_input():
        data = request.get_json()
        return data.get("message", "")


    @orakel_bp.route("/orakel", methods=["POST"])
    def orakel():
        if not session.get("session_token"):
            return jsonify({"error": "Not authenticated"}), 401
        user_input = extract_user_input()
        return jsonify({"response": GroqChat.response_text(f"Question: {user_input}")})
""") + "\n"
AUTH = ("blueprints/auth.py", inspect.cleandoc("""
    from flask import Blueprint, jsonify, redirect, request, session
    from utils.database import find_code, find_link, users

    auth_bp = Blueprint("auth", __name__)


    @auth_bp.route("/verify-code", methods=["POST"])
    def verify_code():
        data = request.get_json()
        record = find_code(data.get("email", ""), data.get("code", ""))
        if not record:
            return jsonify({"status": "not_logged_in"})
        session["session_token"] = users.insert_one({"email": record["email"]}).inserted_id
        return jsonify({"status": "logged_in"})


    @auth_bp.route("/magic-login/<token>")
    def magic_login(token):
        record = find_link(token)
        session["session_token"] = users.insert_one({"email": record["email"]}).inserted_id
        return redirect("/")


    @auth_bp.route("/profile/<user_id>")
    def profile(user_id):
        return jsonify(users.find_one({"_id": user_id}))
""") + "\n")
PROMPTS = ("blueprints/prompts.py", inspect.cleandoc("""
    from flask import Blueprint, jsonify
    from utils.database import prompts

    prompts_bp = Blueprint("prompts", __name__)


    @prompts_bp.route("/list_texts")
    def list_texts():
        return jsonify(list(prompts.find({})))
""") + "\n")


def test_the_model_route_behind_a_request_reading_helper() -> None:
    result = run(ORAKEL, "blueprints/orakel.py", (APP, AI, AUTH, PROMPTS))
    assert lines_of(result, "LR601") == [12]
    assert [f.message for f in result.findings if f.rule_id == "LR602"] == [
        "POST /orakel sends request field `message` to the model (`GroqChat.response_text`) with no server-side "
        "size limit: no max_length, length check or truncation"]


@pytest.mark.parametrize(("path", "code", "lines"), [
    # the two login steps are public; a member's profile by id is not
    (AUTH[0], AUTH[1], [24]),
    # never registered: it serves nothing
    (PROMPTS[0], PROMPTS[1], []),
])
def test_login_steps_and_unregistered_blueprints(path: str, code: str, lines: list[int]) -> None:
    result = run(code, path, (APP, AI, ("blueprints/orakel.py", ORAKEL), AUTH, PROMPTS))
    assert sorted(f.location.line for f in result.findings if f.rule_id.startswith("AUTH30")) == lines


def test_a_registered_blueprint_is_judged() -> None:
    app = (APP[0], APP[1] + "from blueprints.prompts import prompts_bp\napp.register_blueprint(prompts_bp)\n")
    result = run(PROMPTS[1], PROMPTS[0], (app, AI, ("blueprints/orakel.py", ORAKEL), AUTH))
    assert lines_of(result, "AUTH302") == [7]


def test_routes_of_an_app_copy_the_run_files_leave_out_are_not_reported(tmp_path: Path) -> None:
    """``backend/temp.py`` is an old copy of the app: the Dockerfile runs ``backend.app:app`` and nothing imports
    the copy, so its open routes answer nothing (set 16 QanoonAI); the live app's are reported."""
    route = ("from fastapi import FastAPI\nfrom backend.db import threads\napp = FastAPI()\n\n\n"
             "@app.get('/threads')\ndef all_threads():\n    return threads.find({})\n")
    (tmp_path / "backend").mkdir()
    (tmp_path / "backend" / "app.py").write_text(route)
    (tmp_path / "backend" / "temp.py").write_text(route)
    (tmp_path / "backend" / "db.py").write_text("threads = None\n")
    (tmp_path / "Dockerfile").write_text('FROM python:3.12\nCMD ["uvicorn", "backend.app:app"]\n')
    result = scan(tmp_path, Config(), ScanOptions(engines=("python",)))
    assert sorted((f.rule_id, f.location.path) for f in result.findings if f.rule_id.startswith("AUTH")) == [
        ("AUTH302", "backend/app.py")]


@pytest.mark.parametrize(("guard", "lines"), [
    ("    if not request.current_user:\n        return jsonify([])\n", []),
    ("    if not request.current_user:\n        return jsonify(rows('SELECT * FROM conversations'))\n", [4]),
    ("", [4]),
])
def test_an_empty_answer_to_a_signed_out_caller_refuses_them(guard: str, lines: list[int]) -> None:
    """``@optional_auth`` then ``if not request.current_user: return jsonify([])``: the anonymous caller gets
    nothing (set 16 local-gpt); any other answer, or none, leaves the route open."""
    code = ("from flask import Flask, jsonify, request\nfrom app.db import rows\napp = Flask(__name__)\n"
            "@app.get('/api/conversations')\ndef conversations():\n" + guard +
            "    return jsonify(rows('SELECT * FROM conversations WHERE user_id = %s', request.current_user['id']))\n")
    assert lines_of(run(code, "app.py"), "AUTH302") == lines


@pytest.mark.parametrize(("write", "lines"), [
    ('    session["user_id"] = new_token()\n', []),
    # what the client sent, or a cleared key, signs nobody in (attacks from the README)
    ('    session["user_id"] = data["user_id"]\n', [5]),
    ('    session["session_token"] = None\n', [5]),
])
def test_only_a_server_made_session_key_makes_a_sign_in(write: str, lines: list[int]) -> None:
    code = ("from flask import Flask, jsonify, request, session\nfrom app.db import users, new_token\n"
            "app = Flask(__name__)\n\n@app.post('/api/profile')\ndef update_profile():\n"
            "    data = request.get_json()\n    users.update_one({'_id': data['user_id']}, {'$set': data})\n"
            + write + "    return jsonify({'ok': True})\n")
    assert lines_of(run(code, "app.py"), "AUTH302") == lines


@pytest.mark.parametrize("registration", [
    # a helper module that never names Flask (attacks from the README)
    ("blueprints/__init__.py", "from .prompts_module import prompts_bp\n\n\ndef register_all(app):\n"
                               "    app.register_blueprint(prompts_bp)\n"),
    ("blueprints/__init__.py", "from .prompts_module import prompts_bp\n\n\ndef register_all(app):\n"
                               "    list(map(app.register_blueprint, [prompts_bp]))\n"),
])
def test_a_blueprint_registered_out_of_sight_of_flask_is_judged(registration: tuple[str, str]) -> None:
    prompts = ("blueprints/prompts_module.py", PROMPTS[1])
    app = (APP[0], APP[1] + "from blueprints import register_all\nregister_all(app)\n")
    result = run(prompts[1], prompts[0], (app, AI, ("blueprints/orakel.py", ORAKEL), AUTH, registration))
    assert lines_of(result, "AUTH302") == [7]


_ADMIN_VIEWS = ("app/admin/views.py", inspect.cleandoc("""
    from flask_admin import AdminIndexView, BaseView, expose
    from flask_admin.contrib.sqla import ModelView
    from flask_login import current_user


    class MyAdminIndexView(AdminIndexView):
        def is_accessible(self):
            return current_user.is_authenticated and current_user.is_admin


    class SecureModelView(ModelView):
        def is_accessible(self):
            return current_user.is_authenticated and current_user.is_admin


    class UserView(SecureModelView):
        column_exclude_list = ["password"]


    class FineTuneView(BaseView):
        @expose("/")
        def index(self):
            return self.render("finetune.html")
""") + "\n")


def test_flask_admin_views_without_is_accessible() -> None:
    """A guarded index view protects only the index page: stock ``ModelView`` pages and a ``BaseView`` with no
    ``is_accessible`` are open; a view whose project base guards it is not (set 17 IQSheets)."""
    code = inspect.cleandoc("""
        from flask_admin import Admin
        from flask_admin.contrib.sqla import ModelView
        from app.admin.views import FineTuneView, MyAdminIndexView, UserView
        from app.models import OAuth, User, db


        def create_admin():
            admin = Admin(name="Admin", index_view=MyAdminIndexView())
            admin.add_view(UserView(User, db.session))
            admin.add_view(ModelView(OAuth, db.session))
            admin.add_view(FineTuneView(name="FineTune"))
            return admin
    """) + "\n"
    result = run(code, "app/admin/admin.py", (_ADMIN_VIEWS,))
    assert [(f.location.line, f.message) for f in result.findings if f.rule_id == "AUTH302"] == [
        (10, "Flask-Admin view ModelView(OAuth) has no is_accessible(): anyone can list, create, edit and delete "
             "its rows (a guarded index_view protects only the index page)"),
        (11, "Flask-Admin view FineTuneView has no is_accessible(): anyone can open its pages (a guarded index_view "
             "protects only the index page)"),
    ]


def test_a_landing_page_that_takes_a_forms_post_is_a_static_page() -> None:
    """``/`` and ``/home`` with GET and POST that only render a template (set 17 IQSheets); a route that reads
    the database is judged as before."""
    body = ("    form = NewsletterForm()\n    key = current_app.config['STRIPE_KEY']\n"
            "    return render_template('landing.html', form=form, key=key)\n")
    code = ("from flask import Flask, current_app, render_template\nfrom app.forms import NewsletterForm\n"
            "app = Flask(__name__)\n\n@app.route('/home', methods=['GET', 'POST'])\ndef index():\n" + body +
            "\n@app.route('/pricing-admin', methods=['GET', 'POST'])\ndef pricing_admin():\n" + body)
    assert sorted(f.location.line for f in run(code, "app.py").findings if f.rule_id == "AUTH303") == [11]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the app's store of chats, hung on the app by its factory (set 27 ai-chatbot-flask)
        ("    return jsonify(current_app.store.get_messages(session_id))\n", ["AUTH302"]),
        ("    return jsonify(g.storage.list_sessions())\n", ["AUTH302"]),
        # the app's config, or a store on another object: no rows read
        ("    return jsonify(current_app.config.get('MODEL'))\n", []),
        ("    return jsonify(cache.store.get(session_id))\n", []),
    ],
)
def test_the_apps_own_store_reads_rows(body: str, expected: list[str]) -> None:
    code = ("from flask import Blueprint, jsonify, current_app, g\nfrom .cache import cache\n"
            "bp = Blueprint('sessions', __name__)\n\n\n@bp.get('/sessions/<session_id>')\n"
            "def get_session(session_id):\n" + body)
    assert [f.rule_id for f in run(code, "app/routes/sessions.py").findings if f.rule_id.startswith("AUTH")] == \
        expected
