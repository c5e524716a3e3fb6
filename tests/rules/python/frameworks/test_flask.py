"""Flask patterns (issue 12): mounted views, class views and Resources judged by their URL, blueprint prefixes,
hooks, public-by-intent routes, logging by data flow and flask-cors origins."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check, scan

APP = "from flask import Flask\napp = Flask(__name__)\n"
OPENAI = "from flask import request\nimport openai\n\n"

INVALID = [
    # add_url_rule(view_func=views.chat): the handler lives in another module, under a blueprint prefix
    Case({"app.py": "from flask import Flask, Blueprint\nfrom chat import views\napp = Flask(__name__)\n"
                    "bp = Blueprint('api', __name__, url_prefix='/api')\n"
                    "bp.add_url_rule('/chat', view_func=views.chat, methods=['POST'])\n"
                    "app.register_blueprint(bp)\n",
          "chat/views.py": OPENAI + "def chat():\n    return openai.chat.completions.create(messages=request.json)\n"},
         [("AUTH301", "chat/views.py", 4)], ("POST /api/chat handler chat",)),
    # MethodView mounted with add_url_rule: judged by its URL
    Case({"app.py": APP + "from flask.views import MethodView\nfrom flask import request\n\n"
                          "class Upload(MethodView):\n    def post(self):\n        return store(request.files)\n\n"
                          "app.add_url_rule('/upload', view_func=Upload.as_view('upload'))\n"},
         [("AUTH303", "app.py", 6)], ("POST /upload handler Upload",)),
    # Flask-RESTful Resource + add_resource
    Case({"api.py": "from flask_restful import Resource, Api\nfrom app.db import db\napi = Api()\n\n"
                    "class Chats(Resource):\n    def get(self, uid):\n        return db.session.query(Chat).all()\n\n"
                    "api.add_resource(Chats, '/users/<uid>/chats')\n"},
         [("AUTH302", "api.py", 5)], ("GET /users/<uid>/chats handler Chats",)),
    # blueprint url_prefix replaced by register_blueprint(url_prefix=...)
    Case({"routes/chat.py": "from flask import Blueprint, request\nimport openai\n"
                            "chat_bp = Blueprint('chat', __name__, url_prefix='/chat')\n\n"
                            "@chat_bp.post('/start')\ndef start():\n"
                            "    return openai.chat.completions.create(messages=request.json)\n",
          "app.py": APP + "from routes.chat import chat_bp\napp.register_blueprint(chat_bp, url_prefix='/api/v1/chat')\n"},
         [("AUTH301", "routes/chat.py", 5)], ("POST /api/v1/chat/start",)),
    # the prompt held in `content`, logged through an f-string; a helper in another module returns model output
    Case({"app.py": APP + "import logging\nfrom flask import request\nfrom services.helpers import reply\n"
                          "log = logging.getLogger(__name__)\n\n@app.post('/ask')\n@login_required\ndef ask():\n"
                          "    content = request.json['content']\n    log.info(f'asked: {content}')\n"
                          "    answer = reply(content)\n    log.debug('answer %s', answer)\n    return answer\n",
          "services/helpers.py": "import openai\n\ndef reply(text):\n"
                                 "    return openai.chat.completions.create(messages=[text])\n"},
         [("LOG401", "app.py", 12), ("LOG402", "app.py", 14)],
         ("`content` (from `request.json['content']`)", "`answer` (from `reply(content)`)")),
    # a whole user record and a one-time code in one call: one finding, the gravest, naming the other
    Case({"app.py": "from flask_login import current_user\nimport logging\n\ndef send_code(otp_code):\n"
                    "    logging.info('user %s code %s', current_user, otp_code)\n"},
         [("LOG404", "app.py", 5)], ("the call also writes personal data",)),
    # CORS: environment read with a "*" fallback; an origin regex without $ (flask-cors uses re.match)
    Case({"app.py": APP + "import os\nfrom flask_cors import CORS\n"
                          "CORS(app, origins=os.getenv('CORS_ORIGINS', '*').split(','))\n"
                          "CORS(app, origins=[r'https://.*\\.example\\.com'], supports_credentials=True)\n"},
         [("CORS501", "app.py", 5), ("CORS503", "app.py", 6)], ("no $ anchor",)),
    # ``from flask import *`` (set 21 ad-maker): the blueprint, its route and the request are Flask's
    Case({"view/bot.py": "from flask import *\nimport openai\nbot = Blueprint('bot', __name__)\n\n"
                         "@bot.route('/api/chat', methods=['POST'])\ndef chat():\n"
                         "    return openai.ChatCompletion.create(messages=[request.json['message']])\n",
          "app.py": "from flask import *\nfrom view.bot import bot\napp = Flask(__name__)\napp.register_blueprint(bot)\n"},
         [("AUTH301", "view/bot.py", 5)], ("POST /api/chat handler chat",)),
]

VALID = [
    Case({"app.py": "from flask import Flask\nfrom flask_login import login_required\nfrom chat import views\n"
                    "app = Flask(__name__)\n"
                    "app.add_url_rule('/chat', view_func=login_required(views.chat), methods=['POST'])\n",
          "chat/views.py": OPENAI + "def chat():\n    return openai.chat.completions.create(messages=request.json)\n"}),
    Case({"app.py": APP + "from flask.views import MethodView\nfrom flask_login import login_required\n\n"
                          "class Upload(MethodView):\n    decorators = [login_required]\n\n    def post(self):\n"
                          "        return store()\n\napp.add_url_rule('/upload', view_func=Upload.as_view('u'))\n"}),
    Case({"api.py": "from flask_restful import Resource\nfrom flask_jwt_extended import jwt_required\n\n"
                    "class Chats(Resource):\n    method_decorators = [jwt_required()]\n\n    def get(self):\n"
                    "        return db.session.query(Chat).all()\n"}),
    # public by intent: signup, a Stripe webhook, an svix-signed webhook
    Case({"app.py": APP + "import stripe\nfrom svix.webhooks import Webhook\nfrom flask import request\n\n"
                          "@app.post('/signup')\ndef signup():\n    return db.session.add(User(**request.json))\n\n"
                          "@app.post('/billing/events')\ndef stripe_events():\n"
                          "    event = stripe.Webhook.construct_event(request.data, request.headers['S'], KEY)\n"
                          "    return db.session.add(Event(event))\n\n"
                          "@app.post('/clerk/events')\ndef clerk_events():\n"
                          "    Webhook(SECRET).verify(request.data, dict(request.headers))\n"
                          "    return db.session.add(Event(request.json))\n"}),
    # verify_password and current_user are helpers, not guards to apply
    Case({"auth.py": APP + "from flask_login import current_user, login_user\n"
                           "from app.security import verify_password\n\n"
                           "@app.post('/login')\ndef login():\n    return login_user(check(verify_password))\n"}),
    # an error message and a count are not a prompt
    Case({"app.py": "import logging\nlog = logging.getLogger()\n\ndef ask(messages):\n    try:\n"
                    "        return run(messages)\n    except Exception as exc:\n"
                    "        log.error('chat failed: %s', str(exc))\n        log.info('%d messages', len(messages))\n"}),
    # a blueprint before_request hook that refuses anonymous callers
    Case({"bp.py": "from flask import Blueprint, abort, g\nimport openai\nbp = Blueprint('b', __name__)\n\n"
                   "@bp.before_request\ndef need_user():\n    if g.get('user') is None:\n        abort(401)\n\n"
                   "@bp.post('/ask')\ndef ask():\n    return openai.chat.completions.create()\n"}),
    # a session check that redirects to login (or answers "please log in") is the route's auth
    Case({"app.py": APP + "import openai\nfrom flask import session, redirect, request, jsonify\n\n"
                          "@app.route('/chat', methods=['GET', 'POST'])\ndef chat():\n"
                          "    if 'user_id' not in session:\n        return redirect('/login')\n"
                          "    return db.execute('SELECT * FROM chats WHERE user_id=?', (session['user_id'],))\n\n"
                          "@app.post('/ask')\ndef ask():\n    if 'user' not in session:\n"
                          "        return jsonify({'reply': 'Please log in first.'})\n"
                          "    return openai.chat.completions.create(messages=[request.form['message']])\n"}),
    # a command-line chat loop prints the answer to its own user: that is its UI, not a log
    Case({"chat.py": "import openai\n\ndef ask(msg):\n    return openai.chat.completions.create(messages=[msg])\n\n"
                     "if __name__ == '__main__':\n    while True:\n        answer = ask(input('You: '))\n"
                     "        print(answer)\n"}),
    # a username and a conversation id are not personal data or a prompt
    Case({"app.py": "import logging\nlog = logging.getLogger()\n\ndef login(form):\n"
                    "    log.info('login attempt for %s', form.username)\n"
                    "    conversation_id = create_conversation(form.user_id)\n"
                    "    log.info(f'created conversation {conversation_id}')\n"}),
    Case({"app.py": APP + "import os\nfrom flask_cors import CORS\n"
                          "CORS(app, origins=os.getenv('CORS_ORIGINS', 'https://app.example.com').split(','))\n"
                          "CORS(app, origins=[r'^https://\\w+\\.example\\.com$'], supports_credentials=True)\n"}),
]


@pytest.mark.parametrize("case", INVALID, ids=[f"invalid-{i}" for i in range(len(INVALID))])
def test_invalid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", VALID, ids=[f"valid-{i}" for i in range(len(VALID))])
def test_valid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


def test_route_inventory(tmp_path: Path) -> None:
    files = {**INVALID[0].files, "hooks.py": VALID[3].files["app.py"]}
    out = scan(tmp_path, files)
    got = sorted((r.method, r.path, r.location.path, r.location.line, r.needs_auth, r.authenticated,
                  r.calls_model, r.touches_db) for r in out.routes)
    assert got == [
        ("POST", "/api/chat", "chat/views.py", 4, True, False, True, False),
        ("POST", "/billing/events", "hooks.py", 11, True, True, False, True),
        ("POST", "/clerk/events", "hooks.py", 16, True, True, False, True),
        ("POST", "/signup", "hooks.py", 7, False, False, False, True),
    ]
