"""Django and DRF patterns (issue 12): function and class views wired in urls.py, DRF permissions, public
signup views, logging of request data and user records, django-cors-headers settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check, scan

URLS = ("chat/urls.py", "from django.urls import path\nfrom . import views\n"
                        "urlpatterns = [path('ask/', views.ask), path('chats/', views.ChatList.as_view())]\n")

INVALID = [
    # a function view wired in urls.py that calls a model
    Case({"chat/views.py": "from django.http import JsonResponse\nimport openai\n\ndef ask(request):\n"
                           "    return JsonResponse(openai.chat.completions.create(messages=request.POST['q']))\n",
          URLS[0]: URLS[1]},
         [("AUTH301", "chat/views.py", 4)], ("Django view /ask/ handler ask",)),
    # include() prefixes reach the message
    Case({"chat/views.py": "import openai\n\ndef ask(request):\n    return openai.chat.completions.create()\n",
          URLS[0]: URLS[1], "proj/urls.py": "from django.urls import include, path\n"
                                             "urlpatterns = [path('api/v1/', include('chat.urls'))]\n"},
         [("AUTH301", "chat/views.py", 3)], ("Django view /api/v1/ask/ handler ask",)),
    # DRF: an explicit AllowAny on a view that calls a model
    Case({"chat/views.py": "from rest_framework.views import APIView\nfrom rest_framework.permissions import AllowAny\n"
                           "from assistant.llm import get_ai_response\n\nclass ChatView(APIView):\n"
                           "    permission_classes = [AllowAny]\n\n    def post(self, request):\n"
                           "        return get_ai_response(request.data['message'])\n"},
         [("AUTH304", "chat/views.py", 6)]),
    # a viewset with a queryset and no permission classes (DRF's default is AllowAny)
    Case({"chat/views.py": "from rest_framework import viewsets\n\nclass ChatViewSet(viewsets.ModelViewSet):\n"
                           "    queryset = Chat.objects.all()\n"},
         [("AUTH302", "chat/views.py", 3)]),
    # logging the signed-in user record, the raw POST data and a verification code
    Case({"acc/service.py": "import logging\nlogger = logging.getLogger(__name__)\n\ndef verify(request):\n"
                          "    logger.info('user %s', request.user)\n    print(request.POST)\n"
                          "    verification_code = make_code()\n    logger.debug(f'code={verification_code}')\n"},
         [("LOG403", "acc/service.py", 5), ("LOG405", "acc/service.py", 6), ("LOG404", "acc/service.py", 8)]),
    # a prompt in a variable named `text`, logged
    Case({"chat/views.py": "import logging\nfrom django.contrib.auth.decorators import login_required\n"
                           "log = logging.getLogger()\n\n@login_required\ndef ask(request):\n"
                           "    text = request.POST.get('text')\n    log.warning('asked %s', text)\n"
                           "    return reply(text)\n"},
         [("LOG401", "chat/views.py", 8)], ("`text` (from `request.POST.get('text')`)",)),
    # django-cors-headers: an unanchored origin regex; allow-all with credentials
    Case({"proj/settings.py": "CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\\w+\\.example\\.com']\n"},
         [("CORS501", "proj/settings.py", 1)], ("no $ anchor",)),
    Case({"proj/settings.py": "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n"},
         [("CORS503", "proj/settings.py", 1)]),
]

VALID = [
    Case({"chat/views.py": "from django.contrib.auth.decorators import login_required\nimport openai\n\n"
                           "@login_required\ndef ask(request):\n    return openai.chat.completions.create()\n",
          URLS[0]: URLS[1]}),
    Case({"chat/views.py": "from django.contrib.auth.mixins import LoginRequiredMixin\nfrom django.views import View\n\n"
                           "class ChatList(LoginRequiredMixin, View):\n    def get(self, request):\n"
                           "        return list(Chat.objects.filter(user=request.user))\n", URLS[0]: URLS[1]}),
    Case({"chat/views.py": "from rest_framework import viewsets, permissions\n\n"
                           "class ChatViewSet(viewsets.ModelViewSet):\n    permission_classes = [permissions.IsAuthenticated]\n"
                           "    def get_queryset(self):\n        return Chat.objects.filter(user=self.request.user)\n"}),
    # a public signup view: AllowAny on purpose, no model call
    Case({"acc/views.py": "from rest_framework.views import APIView\nfrom rest_framework.permissions import AllowAny\n\n"
                          "class SignupView(APIView):\n    permission_classes = [AllowAny]\n\n"
                          "    def post(self, request):\n        return send_welcome(request.data)\n"}),
    # the project-wide DRF default requires a user
    Case({"chat/views.py": "from rest_framework.decorators import api_view\nimport openai\n\n@api_view(['POST'])\n"
                           "def ask(request):\n    return openai.chat.completions.create(messages=request.data)\n",
          "proj/settings.py": "REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': "
                              "['rest_framework.permissions.IsAuthenticated']}\n"}),
    Case({"acc/service.py": "import logging\nlogger = logging.getLogger(__name__)\n\ndef verify(request):\n"
                          "    logger.info('user %s verified', request.user.id)\n"
                          "    logger.info('%d codes sent', len(codes))\n"}),
    Case({"proj/settings.py": "CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\\w+\\.example\\.com$']\n"
                              "CORS_ALLOWED_ORIGINS = ['https://app.example.com']\nCORS_ALLOW_CREDENTIALS = True\n"}),
]


@pytest.mark.parametrize("case", INVALID, ids=[f"invalid-{i}" for i in range(len(INVALID))])
def test_invalid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", VALID, ids=[f"valid-{i}" for i in range(len(VALID))])
def test_valid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


def test_route_inventory_methods(tmp_path: Path) -> None:
    views = ("from rest_framework.decorators import api_view\n\n@api_view(['POST'])\ndef create(request):\n"
             "    return Chat.objects.create()\n\n@api_view(['GET', 'DELETE'])\ndef one(request, cid):\n"
             "    return Chat.objects.get(id=cid)\n")
    urls = ("from django.urls import path\nfrom . import views\n"
            "urlpatterns = [path('c/', views.create), path('c/<int:cid>/', views.one)]\n")
    out = scan(tmp_path, {"chat/views.py": views, "chat/urls.py": urls})
    assert [(r.method, r.path) for r in out.routes] == [("POST", "/c/"), ("GET,DELETE", "/c/<int:cid>/")]


def test_route_inventory(tmp_path: Path) -> None:
    out = scan(tmp_path, VALID[0].files | {"chat/views.py": VALID[0].files["chat/views.py"]})
    assert [(r.method, r.path, r.location.line, r.framework, r.authenticated, r.calls_model)
            for r in out.routes] == [("*", "/ask/", 5, "django", True, True)]


_SESSION_MODEL = ("core/models.py", "from django.db import models\nfrom django.conf import settings\n\n"
                  "class Session(models.Model):\n"
                  "    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n"
                  "    title = models.CharField(max_length=80)\n")
_SESSION_VIEW = ("from rest_framework import generics\nfrom rest_framework.permissions import IsAuthenticated\n"
                 "from core.models import Session\n{imports}\n\n"
                 "class SessionRetrieveAPIView({bases}generics.RetrieveAPIView):\n"
                 "    permission_classes = (IsAuthenticated,)\n    serializer_class = SessionSerializer\n"
                 "    queryset = Session.objects.all()\n")
_MIXIN = ("core/mixins.py", "from core.models import Session\n\nclass SessionQuerySetMixin:\n"
                            "    def get_object(self):\n"
                            "        return Session.objects.get(user=self.request.user, id=self.kwargs['id'])\n")


@pytest.mark.parametrize(("imports", "bases", "expected"), [
    ("", "", [("AUTH307", "core/views.py", 9)]),
    # set 21 medigenie: the lookup is the mixin's get_object, scoped to the user
    ("from core.mixins import SessionQuerySetMixin", "SessionQuerySetMixin, ", []),
    # a project base class that defines no lookup changes nothing
    ("from core.mixins import Audited", "Audited, ", [("AUTH307", "core/views.py", 9)]),
])
def test_generic_view_lookup_in_a_project_mixin(tmp_path: Path, imports: str, bases: str,
                                                expected: list[tuple[str, str, int]]) -> None:
    mixins = _MIXIN[1] + "\nclass Audited:\n    audit = True\n"
    files = {_SESSION_MODEL[0]: _SESSION_MODEL[1], _MIXIN[0]: mixins,
             "core/views.py": _SESSION_VIEW.replace("{imports}", imports).replace("{bases}", bases),
             "core/urls.py": "from django.urls import path\nfrom core import views\n"
                             "urlpatterns = [path('sessions/<int:pk>/', views.SessionRetrieveAPIView.as_view())]\n"}
    found = [(f.rule_id, f.location.path, f.location.line) for f in scan(tmp_path, files).findings
             if f.rule_id == "AUTH307"]
    assert found == expected
