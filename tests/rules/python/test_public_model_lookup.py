"""A public route that calls a model and picks a row of member data by an id from the request
(``guestChats.objects.get(id=serializer.validated_data.get("id"))``) lets anyone read or overwrite any
conversation: its one AUTH301 finding names that row (one finding per route, not AUTH301 and AUTH302 for the same
missing check). Creating a new row, or reading a catalogue row by id, is not named. The same serializer id is a
request id for AUTH307 in a signed-in view."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import lines_of, run

MODELS = ("api/models.py", inspect.cleandoc("""
    from django.conf import settings
    from django.db import models


    class guestChats(models.Model):
        chats = models.JSONField()


    class Persona(models.Model):
        title = models.CharField(max_length=80)
        instructions = models.TextField()


    class Conversation(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        messages = models.JSONField()
""") + "\n")
URLS = ("api/urls.py", "from django.urls import path\nfrom . import views\n\n"
                       "urlpatterns = [path('chat/', views.Chat.as_view())]\n")
VIEW = inspect.cleandoc("""
    import requests
    from rest_framework.views import APIView
    from rest_framework.response import Response
    from .models import guestChats, Persona, Conversation
    from .serializer import ChatSerializer


    class Chat(APIView):
        def post(self, request):
            serializer = ChatSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            messages = serializer.validated_data["messages"]
            answer = requests.post("http://localhost:11434/api/chat", json={{"model": "gemma3",
                                                                            "messages": messages}}).json()
            chat_id = serializer.validated_data.get("id")
            {body}
            return Response({{"message": answer["message"]}})
""") + "\n"


def _lines(body: str, rule: str) -> list[int]:
    return lines_of(run(VIEW.format(body=body), "api/views.py", (MODELS, URLS)), rule)


def test_guest_chat_overwritten_by_a_request_id_is_reported() -> None:
    body = "row = guestChats.objects.get(id=chat_id)\n        row.chats = messages\n        row.save()"
    assert _lines(body, "AUTH301") == [8]
    assert _lines(body, "AUTH302") == []


def test_a_new_guest_chat_row_is_not_a_lookup() -> None:
    assert _lines("guestChats.objects.create(chats=messages)", "AUTH302") == []


def test_a_catalogue_row_read_by_a_request_id_is_not_member_data() -> None:
    assert _lines("persona = Persona.objects.get(id=chat_id)", "AUTH302") == []


def test_flask_model_route_loading_a_chat_by_a_body_id_is_reported() -> None:
    code = inspect.cleandoc("""
        from flask import Flask, request
        from openai import OpenAI
        from app.models import db, Chat

        app = Flask(__name__)
        client = OpenAI()


        @app.post("/chat")
        def chat():
            chat = db.session.get(Chat, request.json["chat_id"])
            reply = client.chat.completions.create(model="gpt-4o-mini", messages=chat.messages)
            return {"reply": reply.choices[0].message.content}
    """) + "\n"
    result = run(code, "app/main.py")
    assert (lines_of(result, "AUTH301"), lines_of(result, "AUTH302")) == ([9], [])
    assert [f.message for f in result.findings if f.rule_id == "AUTH301"] == [
        "Flask POST /chat handler chat: no authentication, and the handler calls a model, and it loads Chat by "
        "chat_id from the request body"]


def test_serializer_id_is_a_request_id_in_a_signed_in_view() -> None:
    code = inspect.cleandoc("""
        from rest_framework.permissions import IsAuthenticated
        from rest_framework.views import APIView
        from rest_framework.response import Response
        from .models import Conversation
        from .serializer import ChatSerializer


        class Chat(APIView):
            permission_classes = [IsAuthenticated]

            def post(self, request):
                serializer = ChatSerializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                conversation = Conversation.objects.get(id=serializer.validated_data["conversation_id"])
                return Response({"messages": conversation.messages})
    """) + "\n"
    assert lines_of(run(code, "api/views.py", (MODELS, URLS)), "AUTH307") == [14]


def test_the_message_names_the_row_and_the_request_id() -> None:
    body = "row = guestChats.objects.get(id=chat_id)\n        row.chats = messages\n        row.save()"
    result = run(VIEW.format(body=body), "api/views.py", (MODELS, URLS))
    assert [f.message for f in result.findings if f.rule_id == "AUTH301"] == [
        "DRF view handler Chat: no authentication, and the handler calls a model, and it loads guestChats by id "
        "from the request body"]


def test_sign_up_and_one_time_code_views_are_public_by_intent() -> None:
    code = inspect.cleandoc("""
        from django.contrib.auth.models import User
        from rest_framework.views import APIView
        from rest_framework.response import Response


        class RegisterAPIView(APIView):
            def post(self, request):
                User.objects.create_user(request.data["username"], password=request.data["password"])
                return Response(status=201)


        class SendOtpView(APIView):
            def post(self, request):
                User.objects.filter(email=request.data["email"]).update(last_login=None)
                return Response(status=202)


        class ExportView(APIView):
            def post(self, request):
                return Response({"users": list(User.objects.values("email"))})
    """) + "\n"
    urls = ("api/urls.py", "from django.urls import path\nfrom . import views\n\nurlpatterns = [\n"
            "    path('register/', views.RegisterAPIView.as_view()),\n    path('otp/', views.SendOtpView.as_view()),\n"
            "    path('export/', views.ExportView.as_view()),\n]\n")
    result = run(code, "api/views.py", (urls,))
    assert [(f.rule_id, f.location.line) for f in result.findings if f.rule_id.startswith("AUTH30")] == [
        ("AUTH302", 18)]
