"""Routes that are open on purpose, judged by what they do: DRF account flows behind ``AllowAny`` (registration,
login, token, password-reset request), a guest mode whose rows are scoped by a session key, health checks that
only probe the database, an open list of models; and dead copies of a route that never answer a request."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check

DRF = ("from django.contrib.auth.models import User\nfrom django.contrib.auth import authenticate\n"
       "from django.contrib.auth.tokens import default_token_generator\nfrom django.core.mail import send_mail\n"
       "from rest_framework import generics, status\nfrom rest_framework.views import APIView\n"
       "from rest_framework.decorators import api_view, permission_classes\n"
       "from rest_framework.permissions import AllowAny\nfrom rest_framework.response import Response\n"
       "from rest_framework_simplejwt.tokens import RefreshToken\nfrom rest_framework.authtoken.models import Token\n"
       "from .models import Chat, Message\n\n")  # 13 lines
V = "accounts/views.py"
SERIALIZERS = ("from rest_framework import serializers\nfrom django.contrib.auth.models import User\n\n"
               "class RegisterSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = User\n"
               "        fields = ('username', 'email', 'password')\n\n    def create(self, validated_data):\n"
               "        user = User.objects.create(username=validated_data['username'],\n"
               "                                   email=validated_data['email'])\n"
               "        user.set_password(validated_data['password'])\n        user.save()\n        return user\n")

ACCOUNT_FLOWS = [  # AllowAny on an account flow: public by intent
    # the generic sign-up view: its serializer's create() makes the account
    Case({V: DRF.replace("from .models", "from .serializers import RegisterSerializer\nfrom .models")
          + "class RegisterView(generics.CreateAPIView):\n    queryset = User.objects.all()\n"
          "    permission_classes = (AllowAny,)\n    serializer_class = RegisterSerializer\n",
          "accounts/serializers.py": SERIALIZERS}),
    # a function view that creates the user and hands out a token
    Case({V: DRF + "@api_view(['POST'])\n@permission_classes([AllowAny])\ndef register(request):\n"
          "    if User.objects.filter(username=request.data['username']).exists():\n"
          "        return Response({'error': 'taken'}, status=400)\n"
          "    user = User.objects.create_user(request.data['username'], password=request.data['password'])\n"
          "    token, _ = Token.objects.get_or_create(user=user)\n"
          "    return Response({'token': token.key}, status=201)\n"}),
    # login: checks the password and issues a JWT pair
    Case({V: DRF + "class LoginAPIView(generics.GenericAPIView):\n    queryset = User.objects.all()\n"
          "    permission_classes = [AllowAny]\n\n    def post(self, request):\n"
          "        user = authenticate(username=request.data.get('username'), password=request.data.get('password'))\n"
          "        if user:\n            refresh = RefreshToken.for_user(user)\n"
          "            return Response({'refresh': str(refresh), 'access': str(refresh.access_token)})\n"
          "        return Response({'error': 'Invalid credentials'}, status=status.HTTP_400_BAD_REQUEST)\n"}),
    # password-reset request: looks the address up and mails a reset token
    Case({V: DRF + "@api_view(['POST'])\n@permission_classes([AllowAny])\ndef password_reset_request(request):\n"
          "    user = User.objects.filter(email=request.data.get('email')).first()\n    if user:\n"
          "        token = default_token_generator.make_token(user)\n"
          "        send_mail('Reset', f'/reset/{user.pk}/{token}', None, [user.email])\n"
          "    return Response({'detail': 'sent'})\n"}),
    # a hashed password kept in a local, then the row created with it
    Case({V: DRF.replace("from django.contrib.auth import", "from django.contrib.auth.hashers import make_password\n"
                         "from django.contrib.auth import")
          + "@api_view(['POST'])\n@permission_classes([AllowAny])\ndef signup(request):\n"
          "    hashed = make_password(request.data['password'])\n"
          "    User.objects.create(username=request.data['username'], password=hashed)\n"
          "    return Response(status=201)\n"}),
]
MEMBER_DATA = [  # AllowAny on a view that reads or changes member data: still AUTH304
    Case({V: DRF + "@api_view(['GET'])\n@permission_classes([AllowAny])\ndef chat_history(request, chat_id):\n"
          "    return Response(list(Message.objects.filter(chat_id=chat_id).values()))\n"},
         [("AUTH304", V, 15)]),
    Case({V: DRF + "class DeleteChat(APIView):\n    permission_classes = [AllowAny]\n\n"
          "    def delete(self, request, pk):\n        Chat.objects.get(pk=pk).delete()\n"
          "        return Response(status=204)\n"},
         [("AUTH304", V, 15)]),
    Case({V: DRF + "@api_view(['GET'])\n@permission_classes([AllowAny])\ndef profile(request, user_id):\n"
          "    u = User.objects.get(pk=user_id)\n    return Response({'email': u.email, 'name': u.first_name})\n"},
         [("AUTH304", V, 15)]),
    # a new password on a user loaded by a request id, no token check: an account takeover, not a sign-up
    Case({V: DRF + "@api_view(['POST'])\n@permission_classes([AllowAny])\ndef set_password(request):\n"
          "    user = User.objects.get(pk=request.data['id'])\n    user.set_password(request.data['password'])\n"
          "    user.save()\n    return Response({'ok': True})\n"},
         [("AUTH304", V, 15)]),
    # a hashed password written over a loaded user: a takeover too
    Case({V: DRF.replace("from django.contrib.auth import", "from django.contrib.auth.hashers import make_password\n"
                         "from django.contrib.auth import")
          + "@api_view(['POST'])\n@permission_classes([AllowAny])\ndef change_password(request):\n"
          "    user = User.objects.get(email=request.data['email'])\n"
          "    user.password = make_password(request.data['password'])\n    user.save()\n"
          "    return Response({'ok': True})\n"},
         [("AUTH304", V, 16)]),
    # a custom manager's for_user() issues no token
    Case({V: DRF + "@api_view(['GET'])\n@permission_classes([AllowAny])\ndef chats(request):\n"
          "    return Response(list(Chat.objects.for_user(request.GET['uid']).values()))\n"},
         [("AUTH304", V, 15)]),
]

FL = ("from flask import Flask, request, session, jsonify\nfrom flask_sqlalchemy import SQLAlchemy\nimport uuid\n"
      "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n")  # 6 lines
GUEST = [  # every query filtered by the visitor's session key: the rows are the visitor's own
    Case({"app.py": FL + "@app.post('/api/notes')\ndef add_note():\n    guest_id = session.get('guest_id')\n"
          "    if not guest_id:\n        guest_id = session['guest_id'] = str(uuid.uuid4())\n"
          "    note = Note(guest_id=guest_id, text=request.json['text'][:2000])\n    db.session.add(note)\n"
          "    db.session.commit()\n    return jsonify(id=note.id)\n"}),
    Case({"app.py": FL + "@app.get('/api/history')\ndef history():\n"
          "    rows = Message.query.filter_by(guest_id=session.setdefault('guest_id', uuid.uuid4().hex)).all()\n"
          "    return jsonify([r.to_dict() for r in rows])\n"}),
    # Django: the visitor key kept in request.session
    Case({"guest/views.py": "from django.http import JsonResponse\nimport uuid\nfrom .models import Message\n\n"
          "def history(request):\n    key = request.session.get('visitor')\n    if key is None:\n"
          "        key = request.session['visitor'] = uuid.uuid4().hex\n"
          "    return JsonResponse(list(Message.objects.filter(visitor=key).values('text')), safe=False)\n",
          "guest/urls.py": "from django.urls import path\nfrom . import views\n"
          "urlpatterns = [path('history/', views.history)]\n"}),
]
GUEST_OPEN = [  # a query not scoped by the key, or a key the client picks (a header): still reported
    # a scoped guest chat that calls a model: anyone can spend the model budget (AUTH301), no member data claim
    Case({"app.py": FL + "import openai\n\n@app.post('/api/chat')\ndef chat():\n"
          "    guest_id = session.setdefault('guest_id', str(uuid.uuid4()))\n"
          "    history = [{'role': m.role, 'content': m.text} for m in "
          "Message.query.filter_by(guest_id=guest_id)]\n"
          "    reply = openai.chat.completions.create(model='gpt-4o-mini', messages=history)\n"
          "    db.session.add(Message(guest_id=guest_id, role='assistant', text=reply.choices[0].message.content))\n"
          "    db.session.commit()\n    return jsonify(reply=reply.choices[0].message.content)\n"},
         [("AUTH301", "app.py", 9)], ("calls a model",)),
    Case({"app.py": FL + "@app.get('/api/history')\ndef history():\n    guest_id = session.get('guest_id')\n"
          "    mine = Message.query.filter_by(guest_id=guest_id).all()\n    everyone = Message.query.count()\n"
          "    return jsonify(mine=[m.text for m in mine], total=everyone)\n"},
         [("AUTH302", "app.py", 7)]),
    Case({"app.py": FL + "@app.get('/api/history')\ndef history():\n"
          "    guest = request.headers.get('X-Guest-ID')\n"
          "    rows = Message.query.filter_by(guest_id=guest).all()\n    return jsonify([r.text for r in rows])\n"},
         [("AUTH302", "app.py", 7)]),
    # a SQLAlchemy session named ``session`` is no visitor key: ``session.get(Chat, cid)`` is any member's chat
    Case({"app/main.py": "from fastapi import FastAPI, Depends\nfrom sqlmodel import Session, select\nfrom .db import "
          "get_session\nfrom .models import Chat, Message\napp = FastAPI()\n\n@app.get('/chats/{cid}')\n"
          "def read_chat(cid: int, session: Session = Depends(get_session)):\n    chat = session.get(Chat, cid)\n"
          "    return session.exec(select(Message).where(Message.chat_id == chat.id)).all()\n"},
         [("AUTH302", "app/main.py", 7)]),
]

FA = "from fastapi import FastAPI, Depends\nfrom sqlalchemy import text\nfrom openai import OpenAI\nfrom .db import get_db\n" \
     "app = FastAPI()\nclient = OpenAI()\n\n"  # 7 lines
NOT_MEMBER_DATA = [  # a connectivity probe, a list of models: no member data, no model run
    Case({"app/main.py": FA + "@app.get('/health/db')\ndef db_health(db=Depends(get_db)):\n"
          "    db.execute(text('SELECT 1'))\n    return {'status': 'ok'}\n"}),
    Case({"app/main.py": FA + "@app.get('/api/system/db')\nasync def database_status(db=Depends(get_db)):\n"
          "    try:\n        await db.execute(text(\"SELECT 1\"))\n        return {'database': 'up'}\n"
          "    except Exception:\n        return {'database': 'down'}\n"}),
    Case({"app/main.py": FA + "@app.get('/v1/models')\ndef models():\n"
          "    return {'data': [m.id for m in client.models.list().data]}\n"}),
    Case({"app/main.py": FA + "@app.get('/api/models')\ndef list_models():\n"
          "    return {'models': ['gpt-4o', 'gpt-4o-mini']}\n"}),
]
MEMBER_DATA_READS = [  # a real query, or a model asked to generate: still reported
    Case({"app/main.py": FA + "@app.get('/api/system/db')\ndef db_stats(db=Depends(get_db)):\n"
          "    return {'rows': db.execute(text('SELECT email FROM users')).fetchall()}\n"},
         [("AUTH302", "app/main.py", 8)]),
    Case({"app/main.py": FA + "@app.get('/v1/models/check')\ndef check():\n"
          "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': 'hi'}])\n"},
         [("AUTH301", "app/main.py", 8)]),
]

FLD = ("from flask import Flask, jsonify\nfrom flask_login import login_required, current_user\n"
       "app = Flask(__name__)\n\n")  # 4 lines
DEAD_COPIES = [  # the copy that answers is reported, the dead one is not
    # Django: urls.py reaches ``views.chats``, the last definition of the name
    Case({"chat/views.py": "from django.contrib.auth.decorators import login_required\nfrom django.http import "
          "JsonResponse\nfrom .models import Chat\n\ndef chats(request):\n"
          "    return JsonResponse(list(Chat.objects.values()), safe=False)\n\n@login_required\n"
          "def chats(request):\n    return JsonResponse(list(Chat.objects.filter(owner=request.user).values()), "
          "safe=False)\n",
          "chat/urls.py": "from django.urls import path\nfrom . import views\n"
          "urlpatterns = [path('chats/', views.chats)]\n"}),
    # Django: the live (last) copy is the open one
    Case({"chat/views.py": "from django.contrib.auth.decorators import login_required\nfrom django.http import "
          "JsonResponse\nfrom .models import Chat\n\n@login_required\ndef chats(request):\n"
          "    return JsonResponse(list(Chat.objects.filter(owner=request.user).values()), safe=False)\n\n"
          "def chats(request):\n    return JsonResponse(list(Chat.objects.values()), safe=False)\n",
          "chat/urls.py": "from django.urls import path\nfrom . import views\n"
          "urlpatterns = [path('chats/', views.chats)]\n"},
         [("AUTH302", "chat/views.py", 9)]),
    # Flask: the same URL and method registered twice; Werkzeug answers with the first rule
    Case({"app.py": FLD + "@app.get('/api/chats')\n@login_required\ndef chats():\n"
          "    return jsonify([c.title for c in Chat.query.filter_by(user_id=current_user.id)])\n\n"
          "@app.get('/api/chats')\ndef chats_v2():\n    return jsonify([c.title for c in Chat.query.all()])\n"}),
    # two blueprints of one module with the same path (mounted elsewhere): both answer, both are reported
    Case({"app/views.py": "from flask import Blueprint, jsonify\nadmin = Blueprint('admin', __name__)\n"
          "public = Blueprint('public', __name__)\n\n@admin.get('/list')\ndef admin_list():\n"
          "    return jsonify([u.email for u in User.query.all()])\n\n@public.get('/list')\ndef public_list():\n"
          "    return jsonify([p.title for p in Post.query.all()])\n"},
         [("AUTH302", "app/views.py", 5), ("AUTH302", "app/views.py", 9)]),
    # FastAPI: Starlette's router answers with the first route that matches; a later GET of the same path is dead
    Case({"app/main.py": "from fastapi import FastAPI, Depends\nfrom .db import get_db\nfrom .auth import "
          "get_current_user\napp = FastAPI()\n\n@app.get('/chats')\ndef chats(user=Depends(get_current_user), "
          "db=Depends(get_db)):\n    return db.query(Chat).filter(Chat.user_id == user.id).all()\n\n"
          "@app.get('/chats')\ndef chats(db=Depends(get_db)):\n    return db.query(Chat).all()\n\n"
          "@app.post('/chats')\ndef new_chat(db=Depends(get_db)):\n    db.add(Chat())\n"},
         [("AUTH302", "app/main.py", 14)]),
]


@pytest.mark.parametrize("case", ACCOUNT_FLOWS + GUEST + NOT_MEMBER_DATA)
def test_open_by_design_is_not_reported(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", MEMBER_DATA + GUEST_OPEN + MEMBER_DATA_READS)
def test_member_data_stays_reported(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", DEAD_COPIES)
def test_only_the_live_copy_of_a_route_is_reported(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize(("path", "handler", "expected"), [
    ("/logout_user", "logout_user", "public"),
    ("/accounts/user_login", "user_login", "public"),
    ("/register_account", "register_account", "public"),
    ("/api/login-history", "login_history", None),
    ("/chat", "logout_and_delete_chats", None),
    ("/auth/clear_token", "clear_token", "public"),  # set 9: logout by deleting the caller's refresh token
    ("/api/auth/signout", "sign_out", "public"),
    ("/api/login_inner", "login_inner", "public"),  # set 9: a password login for internal callers
    ("/api/tokens", "clear_tokens_of_member", None),
    ("/api/chat", "inner_chat", None),
    # steps of a sign-up or password reset (set 15): the flow's word beside step words only
    ("/auth/register-request-otp", "register_request_otp", "public"),
    ("/auth/forgot-password-verify", "forgot_password_verify", "public"),
    ("/auth/request-password-reset", "request_password_reset", "public"),
    ("/auth/verify-reset-token", "verify_reset_token_endpoint", "public"),
    # the OTP answer of a password reset named by "forgot" alone (set 27 Chatbot_with_Session)
    ("/forgot-response", "forgot_password_response", "public"),
    ("/forgot-request", "forgot_password_request", "public"),
    ("/api/forgotten-items", "forgotten_items", None),
    ("/api/response", "password_response", None),
    # ``new_password`` and ``generate_token`` name member actions as often as reset steps (an attack from the
    # README: a route setting any member's password, or minting a token for any member)
    ("/auth/new_password", "new_password_submit", None),
    ("/api/account/password", "new_password", None),
    ("/api/tokens", "generate_token", None),
    ("/api/register/<user_hash>/messages", "messages", None),
    ("/api/login/<country_code>/users", "users", None),
    ("/magic-login/<token>", "magic_login", "public"),
    # a site's public forms (set 17 IQSheets)
    ("/newsletter", "newsletter", "public"),
    ("/kontakt", "kontakt", "public"),
    ("/api/contact", "send_contact_form", "public"),
    ("/api/contacts/{contact_id}", "delete_contact", None),
    ("/contact", "send_contact_form", "public"),
    ("/api/chat/reset", "reset_chat", None),
    ("/api/users/me/password", "change_password", None),
    ("/api/register-device", "register_device", None),
    ("/api/tokens/usage", "token_usage", None),
])
def test_auth_flow_words_beside_user_words_are_public(path: str, handler: str, expected: str | None) -> None:
    from scanner.knowledge import Knowledge

    assert Knowledge().public_kind(path, handler) == expected
