"""Django Ninja (set 18 chatgpt-clone): operations on a ``ninja.Router``/``NinjaAPI`` are routes, protected by
their own ``auth=`` (``auth=None`` makes one public), the router's or the API's; not Django views."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check

HEAD = ("from ninja import Router\nfrom openai import OpenAI\nfrom .auth import bearer\nfrom .models import Chat\n"
        "client = OpenAI()\n")  # 5 lines
ASK = "def ask(request, q: str):\n    return client.chat.completions.create(model='m', messages=[q])\n"
LIST = "def chats(request):\n    return list(Chat.objects.all())\n"

INVALID = [
    # no auth anywhere: a model route and a data route
    Case({"chat/api.py": HEAD + "router = Router()\n\n@router.post('/ask')\n" + ASK + "\n@router.get('/chats')\n"
          + LIST}, [("AUTH301", "chat/api.py", 8), ("AUTH302", "chat/api.py", 12)], ("Django Ninja POST /ask",)),
    # the router's auth, switched off on one operation
    Case({"chat/api.py": HEAD + "router = Router(auth=bearer)\n\n@router.post('/ask', auth=None)\n" + ASK},
         [("AUTH301", "chat/api.py", 8)]),
    # the API's auth, switched off on one operation of a router imported from another module
    Case({"chat/routers.py": "from ninja import Router\nrouter = Router(tags=['chat'])\n",
          "chat/api.py": "from ninja import Schema\nfrom openai import OpenAI\nfrom .routers import router\n"
                         "client = OpenAI()\n\n@router.post('/ask', auth=None)\n" + ASK,
          "project/urls.py": "from ninja import NinjaAPI\nfrom .auth import bearer\napi = NinjaAPI(auth=bearer)\n"},
         [("AUTH301", "chat/api.py", 6)]),
    # NinjaAPI operations directly, no auth
    Case({"chat/api.py": "from ninja import NinjaAPI\nfrom .models import Chat\napi = NinjaAPI()\n\n"
                         "@api.delete('/chats/{chat_id}')\ndef drop(request, chat_id: int):\n"
                         "    Chat.objects.filter(id=chat_id).delete()\n"},
         [("AUTH302", "chat/api.py", 5)]),
    # an auth= on another operation does not cover this one
    Case({"chat/api.py": HEAD + "router = Router()\n\n@router.get('/me', auth=bearer)\n"
          "def me(request):\n    return {'id': request.auth.id}\n\n@router.post('/ask')\n" + ASK},
         [("AUTH301", "chat/api.py", 12)]),
]

VALID = [
    # the operation's auth
    Case({"chat/api.py": HEAD + "router = Router()\n\n@router.post('/ask', auth=bearer)\n" + ASK}),
    # the router's auth
    Case({"chat/api.py": HEAD + "router = Router(auth=bearer)\n\n@router.post('/ask')\n" + ASK
          + "\n@router.get('/chats')\n" + LIST}),
    # the API's auth, on a router imported from another module
    Case({"chat/routers.py": "from ninja import Router\nrouter = Router()\n",
          "chat/api.py": "from ninja import Schema\nfrom openai import OpenAI\nfrom .routers import router\n"
                         "client = OpenAI()\n\n@router.post('/ask')\n" + ASK,
          "project/urls.py": "from ninja import NinjaAPI\nfrom .auth import bearer\napi = NinjaAPI(auth=bearer)\n"}),
    # a list of auth callables on a multi-line decorator, with another decorator below it
    Case({"chat/api.py": HEAD + "router = Router()\n\n@router.put(\n    '/chats/{chat_id}',\n"
          "    auth=[bearer],\n)\n@limit(10)\n" + ASK}),
    # a public operation that reads nothing and calls nothing
    Case({"chat/api.py": "from ninja import Router\nrouter = Router()\n\n@router.get('/health')\n"
                         "def health(request):\n    return {'ok': True}\n"}),
]


@pytest.mark.parametrize("case", INVALID, ids=[f"invalid-{i}" for i in range(len(INVALID))])
def test_invalid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", VALID, ids=[f"valid-{i}" for i in range(len(VALID))])
def test_valid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)
