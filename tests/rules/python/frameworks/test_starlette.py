"""Starlette and Litestar: endpoints mounted in route tables, ``@requires``, Litestar guards judged by what
they do, CORSMiddleware and CORSConfig origins."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check, scan

TABLE = ("app.py", "from starlette.applications import Starlette\nfrom starlette.routing import Route, Mount\n"
                   "from handlers import chat, health\napp = Starlette(routes=[\n"
                   "    Mount('/api', routes=[Route('/chat', chat, methods=['POST'])]),\n"
                   "    Route('/health', health),\n])\n")
GUARD = ("guards.py", "from litestar.exceptions import NotAuthorizedException\n\n"
                      "def signed_in(connection, _):\n    if not connection.user:\n"
                      "        raise NotAuthorizedException()\n")

INVALID = [
    # an endpoint in a module that imports no framework, mounted under /api
    Case({TABLE[0]: TABLE[1], "handlers.py": "import openai\n\nasync def chat(request):\n"
                                             "    return openai.chat.completions.create(messages=await request.json())\n\n"
                                             "async def health(request):\n    return ok()\n"},
         [("AUTH301", "handlers.py", 3)], ("Starlette POST /api/chat handler chat",)),
    Case({"app.py": "from starlette.middleware import Middleware\n"
                    "from starlette.middleware.cors import CORSMiddleware\nimport os\n"
                    "middleware = [Middleware(CORSMiddleware, allow_origins=os.getenv('ORIGINS') or '*')]\n"},
         [("CORS501", "app.py", 4)]),
    Case({"app.py": "from litestar import post\nimport openai\n\n@post('/chat')\nasync def chat(data: dict) -> dict:\n"
                    "    return openai.chat.completions.create(messages=data['messages'])\n"},
         [("AUTH301", "app.py", 4)], ("Litestar POST /chat handler chat",)),
    # a guard that lets everyone through is no auth
    Case({"app.py": "from litestar import delete\n\ndef log_only(connection, _):\n    audit(connection)\n\n"
                    "@delete('/chats/{cid:int}', guards=[log_only])\nasync def drop(cid: int) -> None:\n"
                    "    await db.execute('DELETE FROM chats WHERE id = :i', {'i': cid})\n"},
         [("AUTH302", "app.py", 6)]),
    Case({"app.py": "from litestar import Litestar\nfrom litestar.config.cors import CORSConfig\n"
                    "app = Litestar(cors_config=CORSConfig(allow_origins=['*']))\n"},
         [("CORS501", "app.py", 3)]),
]

VALID = [
    Case({TABLE[0]: TABLE[1], "handlers.py": "import openai\nfrom starlette.authentication import requires\n\n"
                                             "@requires('authenticated')\nasync def chat(request):\n"
                                             "    return openai.chat.completions.create()\n\n"
                                             "async def health(request):\n    return ok()\n"}),
    Case({"app.py": "from litestar import post\nimport openai\nfrom guards import signed_in\n\n"
                    "@post('/chat', guards=[signed_in])\nasync def chat(data: dict) -> dict:\n"
                    "    return openai.chat.completions.create()\n", GUARD[0]: GUARD[1]}),
    Case({"app.py": "from starlette.middleware import Middleware\n"
                    "from starlette.middleware.cors import CORSMiddleware\n"
                    "middleware = [Middleware(CORSMiddleware, allow_origins=['https://app.example.com'])]\n"}),
    Case({"app.py": "from litestar import Litestar\nfrom litestar.config.cors import CORSConfig\n"
                    "app = Litestar(cors_config=CORSConfig(allow_origins=['https://app.example.com']))\n"}),
    Case({"app.py": "from litestar import get\n\n@get('/healthz')\nasync def health() -> dict:\n"
                    "    return {'ok': True}\n"}),
]


@pytest.mark.parametrize("case", INVALID, ids=[f"invalid-{i}" for i in range(len(INVALID))])
def test_invalid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", VALID, ids=[f"valid-{i}" for i in range(len(VALID))])
def test_valid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


def test_route_inventory(tmp_path: Path) -> None:
    out = scan(tmp_path, INVALID[0].files)
    assert sorted((r.method, r.path, r.location.line, r.framework, r.needs_auth) for r in out.routes) == [
        ("GET", "/health", 6, "starlette", False), ("POST", "/api/chat", 3, "starlette", True)]
