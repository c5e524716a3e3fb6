"""FastAPI patterns (issue 12): dependencies judged by what they do, across modules; router prefixes in
messages; public-by-intent routes; logging by data flow; CORSMiddleware origins from the environment and
origin regexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check, scan

DB = ("app/db.py", "def get_db():\n    yield Session()\n")
USER_EXISTS = ("app/deps.py", "from fastapi import Depends, HTTPException\nfrom app.db import get_db\n\n"
                              "def user_exists(user_id: int, db=Depends(get_db)):\n"
                              "    user = db.query(User).filter(User.id == user_id).first()\n    if not user:\n"
                              "        raise HTTPException(status_code=404, detail='User not found')\n    return user\n")
CURRENT_USER = ("app/auth.py", "from fastapi import Depends, HTTPException, status\n"
                               "from fastapi.security import OAuth2PasswordBearer\n"
                               "oauth2 = OAuth2PasswordBearer(tokenUrl='token')\n\n"
                               "def current_member(token: str = Depends(oauth2)):\n    user = decode(token)\n"
                               "    if user is None:\n        raise HTTPException(status.HTTP_401_UNAUTHORIZED)\n"
                               "    return user\n")
CHATS = ("from fastapi import APIRouter, Depends\nfrom app.db import get_db\nfrom app.deps import user_exists\n"
         "router = APIRouter(prefix='/users')\n\n@router.get('/{user_id}/chats')\n"
         "def chats(user=Depends(user_exists), db=Depends(get_db)):\n"
         "    return db.query(Chat).filter(Chat.user_id == user.id).all()\n")
MAIN = "from fastapi import FastAPI\nfrom app.routers import chats\napp = FastAPI()\n"

INVALID = [
    # user_exists loads the user named in the URL and raises 404: not auth, whatever its name; prefixes joined
    Case({"app/routers/chats.py": CHATS, "app/main.py": MAIN + "app.include_router(chats.router, prefix='/api/v1')\n",
          "app/db.py": DB[1], "app/deps.py": USER_EXISTS[1]},
         [("AUTH302", "app/routers/chats.py", 6)], ("GET /api/v1/users/{user_id}/chats handler chats",)),
    # APIRouter prefix + include_router prefix in the message of a model route
    Case({"app/api/chat.py": "from fastapi import APIRouter\nimport openai\nrouter = APIRouter(prefix='/chat')\n\n"
                             "@router.post('/start')\nasync def start(body: dict):\n"
                             "    return openai.chat.completions.create(messages=body['messages'])\n",
          "app/main.py": "from fastapi import FastAPI\nfrom app.api.chat import router as chat_router\n"
                         "app = FastAPI()\napp.include_router(chat_router, prefix='/api/v1')\n"},
         [("AUTH301", "app/api/chat.py", 5)], ("FastAPI POST /api/v1/chat/start handler start",)),
    # a dependency named like auth whose code does not refuse anyone
    Case({"app/routes.py": "from fastapi import APIRouter, Depends\nimport openai\nrouter = APIRouter()\n\n"
                           "def verify_user(name: str = ''):\n    return {'name': name or 'guest'}\n\n"
                           "@router.post('/ask')\ndef ask(user=Depends(verify_user)):\n"
                           "    return openai.chat.completions.create()\n"},
         [("AUTH301", "app/routes.py", 8)]),
    # logging: a `q` parameter, a messages list built from the request, the model's answer
    Case({"app/routes.py": "import logging\nfrom fastapi import APIRouter, Depends\nfrom openai import OpenAI\n"
                           "from app.auth import current_member\nlog = logging.getLogger(__name__)\n"
                           "router = APIRouter()\n\n@router.get('/search')\n"
                           "def search(q: str, user=Depends(current_member)):\n    log.info('search %s', q)\n"
                           "    messages = [{'role': 'user', 'content': q}]\n    log.debug(messages)\n"
                           "    out = OpenAI().chat.completions.create(messages=messages)\n"
                           "    log.info(f'answer={out}')\n    return out\n",
          "app/auth.py": CURRENT_USER[1]},
         [("LOG401", "app/routes.py", 10), ("LOG401", "app/routes.py", 12), ("LOG402", "app/routes.py", 14)],
         ("`messages` (from `[{'role': 'user', 'content': q}]`)",)),
    # the model is called by a method of a module-level service instance in another module
    Case({"app/routes.py": "from fastapi import APIRouter\nfrom app.services import chat_service\nrouter = APIRouter()\n\n"
                           "@router.post('/reply')\nasync def reply(body: dict):\n"
                           "    return await chat_service.generate_response(body['history'])\n",
          "app/services.py": "from openai import AsyncOpenAI\n\nclass ChatService:\n"
                             "    async def generate_response(self, history):\n"
                             "        return await AsyncOpenAI().chat.completions.create(messages=history)\n\n"
                             "chat_service = ChatService()\n"},
         [("AUTH301", "app/routes.py", 5)]),
    # an optional user dependency never refuses
    Case({"app/routes.py": "from fastapi import APIRouter, Depends\nimport openai\n"
                           "from app.auth import get_optional_user\nrouter = APIRouter()\n\n"
                           "@router.post('/chat')\ndef chat(user=Depends(get_optional_user)):\n"
                           "    return openai.chat.completions.create()\n"},
         [("AUTH301", "app/routes.py", 6)]),
    # CORS: env with "*" fallback; an origin regex ending in a wildcard, with credentials
    Case({"app/main.py": "import os\nfrom fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n"
                         "app = FastAPI()\norigins = [o.strip() for o in os.environ.get('ORIGINS', '*').split(',')]\n"
                         "app.add_middleware(CORSMiddleware, allow_origins=origins)\n"
                         "app.add_middleware(CORSMiddleware, allow_origin_regex=r'https://app\\.example\\.com.*',\n"
                         "                   allow_credentials=True)\n"},
         [("CORS501", "app/main.py", 6), ("CORS503", "app/main.py", 7)], ("ends in a wildcard",)),
    # an unused guard import, next to a password helper that is not one
    Case({"app/routes.py": "from fastapi import APIRouter\nfrom app.deps import require_admin, verify_password\n"
                           "router = APIRouter()\n\n@router.delete('/users/{uid}')\ndef drop(uid: int):\n"
                           "    return remove(uid)\n"},
         [("AUTH303", "app/routes.py", 5), ("AUTH305", "app/routes.py", 2)]),
    # a bearer scheme's token taken and never read: the scheme only checks that the header is there (set 17)
    Case({"app/api/qa.py": "from fastapi import APIRouter, Depends\nfrom fastapi.security import OAuth2PasswordBearer\n"
                           "from app.services import answer\nrouter = APIRouter(prefix='/qa')\n"
                           "oauth2_scheme = OAuth2PasswordBearer(tokenUrl='auth/login')\n\n@router.post('/ask')\n"
                           "async def ask(body: dict, token: str = Depends(oauth2_scheme)):\n"
                           "    return openai.chat.completions.create(messages=[body['q']])\n",
          "app/main.py": "from fastapi import FastAPI\nfrom app.api import qa\napp = FastAPI()\n"
                         "app.include_router(qa.router)\n"},
         [("AUTH301", "app/api/qa.py", 7)], ("never verifies it",)),
    # the same with the scheme imported from the project and HTTPBearer under Security()
    Case({"app/api/docs.py": "from fastapi import APIRouter, Security\nfrom app.core.security import bearer\n"
                             "router = APIRouter()\n\n@router.delete('/docs/{doc_id}')\n"
                             "def drop(doc_id: int, creds=Security(bearer), db=Depends(get_db)):\n"
                             "    db.query(Doc).filter(Doc.id == doc_id).delete()\n",
          "app/core/security.py": "from fastapi.security import HTTPBearer\nbearer = HTTPBearer()\n",
          "app/main.py": "from fastapi import FastAPI\nfrom app.api import docs\napp = FastAPI()\n"
                         "app.include_router(docs.router)\n"},
         [("AUTH302", "app/api/docs.py", 5)], ("`creds` comes from a security scheme",)),
    # the scheme reached through an Annotated alias (attack)
    Case({"app/api/qa.py": "from typing import Annotated\nfrom fastapi import APIRouter, Depends\n"
                           "from fastapi.security import OAuth2PasswordBearer\nrouter = APIRouter()\n"
                           "oauth2_scheme = OAuth2PasswordBearer(tokenUrl='login')\n"
                           "TokenDep = Annotated[str, Depends(oauth2_scheme)]\n\n@router.post('/ask')\n"
                           "def ask(body: dict, token: TokenDep):\n"
                           "    return openai.chat.completions.create(messages=[body['q']])\n",
          "app/main.py": "from fastapi import FastAPI\nfrom app.api import qa\napp = FastAPI()\n"
                         "app.include_router(qa.router)\n"},
         [("AUTH301", "app/api/qa.py", 8)], ("`token` comes from a security scheme",)),
]

VALID = [
    # a dependency in another module that raises 401 when the token does not decode
    Case({"app/routes.py": "from fastapi import APIRouter, Depends\nimport openai\nfrom app.auth import current_member\n"
                           "router = APIRouter()\n\n@router.post('/chat')\ndef chat(me=Depends(current_member)):\n"
                           "    return openai.chat.completions.create()\n", "app/auth.py": CURRENT_USER[1]}),
    # the scheme's token handed to a verifier in the handler
    Case({"app/api/qa.py": "from fastapi import APIRouter, Depends\nfrom fastapi.security import OAuth2PasswordBearer\n"
                           "router = APIRouter()\noauth2_scheme = OAuth2PasswordBearer(tokenUrl='login')\n\n"
                           "@router.post('/ask')\nasync def ask(body: dict, token: str = Depends(oauth2_scheme)):\n"
                           "    user = verify_token(token)\n"
                           "    return openai.chat.completions.create(messages=[body['q']], user=user.id)\n"}),
    # API-key lookup auth
    Case({"app/routes.py": "from fastapi import APIRouter, Depends, Header, HTTPException\nimport openai\n"
                           "router = APIRouter()\n\n"
                           "def api_client(x_api_key: str = Header(...), db=Depends(get_db)):\n"
                           "    client = db.query(ApiKey).filter_by(key=x_api_key).first()\n    if client is None:\n"
                           "        raise HTTPException(status_code=403)\n    return client\n\n"
                           "@router.post('/v1/complete')\ndef complete(client=Depends(api_client)):\n"
                           "    return openai.chat.completions.create()\n"}),
    # signup and a public widget script are public by intent
    Case({"app/routes.py": "from fastapi import APIRouter\nfrom fastapi.responses import FileResponse\n"
                           "router = APIRouter()\n\n@router.post('/auth/register')\ndef register(body: dict):\n"
                           "    return db.add(User(**body))\n\n@router.get('/widget.js')\ndef widget():\n"
                           "    return FileResponse('static/widget.js')\n"}),
    # the router carries the auth dependency
    Case({"app/routes.py": "from fastapi import APIRouter, Depends\nimport openai\nfrom app.auth import current_member\n"
                           "router = APIRouter(dependencies=[Depends(current_member)])\n\n@router.post('/chat')\n"
                           "def chat():\n    return openai.chat.completions.create()\n", "app/auth.py": CURRENT_USER[1]}),
    # an error message and token counts are not prompts
    Case({"app/svc.py": "import logging\nlog = logging.getLogger(__name__)\n\ndef ask(prompt):\n    try:\n"
                        "        out = call(prompt)\n        log.info('tokens used: %d', out.usage.total_tokens)\n"
                        "    except Exception as e:\n        log.error(f'OpenAI error: {e}')\n"}),
    # a console script's print is its UI
    Case({"app/cli.py": "from app.rag import answer\n\ndef ask(q):\n    reply = answer(q)\n    print(reply)\n\n"
                        "while True:\n    ask(input('> '))\n"}),
    Case({"app/main.py": "import os\nfrom fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n"
                         "app = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=os.getenv('ORIGINS', "
                         "'https://app.example.com').split(','), allow_origin_regex=r'https://[a-z]+\\.example\\.com')\n"}),
]


@pytest.mark.parametrize("case", INVALID, ids=[f"invalid-{i}" for i in range(len(INVALID))])
def test_invalid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", VALID, ids=[f"valid-{i}" for i in range(len(VALID))])
def test_valid(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


def test_route_inventory(tmp_path: Path) -> None:
    out = scan(tmp_path, INVALID[0].files)
    assert [(r.method, r.path, r.location.path, r.location.line, r.framework, r.needs_auth, r.authenticated,
             r.touches_db) for r in out.routes] == [
        ("GET", "/api/v1/users/{user_id}/chats", "app/routers/chats.py", 6, "fastapi", True, False, True)]
