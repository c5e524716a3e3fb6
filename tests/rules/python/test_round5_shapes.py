"""Shapes found on held-out set 7 after it was measured: a model helper defined twice under a module-level
``if``/``else`` (a stub when the key is missing, the real call otherwise), and a URL constant that two functions
of the helper module each assign."""

from __future__ import annotations

import inspect

import pytest

from tests.rules.python.helpers import lines_of, run

ROUTES = inspect.cleandoc("""
    from fastapi import APIRouter, Depends
    from auth import get_current_user
    from openai_client import ask_model

    router = APIRouter()


    @router.post("/chats/{chat_id}/messages")
    async def post_message(chat_id: int, payload: dict, user=Depends(get_current_user)):
        return {"assistant": await ask_model(payload.get("content", ""))}
""") + "\n"
AUTH = ("auth.py", "from fastapi import Header, HTTPException\n\n"
                   "def get_current_user(authorization: str = Header(None)):\n"
                   "    if not authorization:\n        raise HTTPException(401)\n    return {'id': 1}\n")
HELPER = inspect.cleandoc("""
    import os
    import httpx

    KEY = os.getenv("GEMINI_API_KEY")


    async def ask_model_stream(prompt: str):
        BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"
        async with httpx.AsyncClient() as client:
            async with client.stream("POST", BASE_URL, json={{"messages": [prompt]}}) as response:
                async for chunk in response.aiter_text():
                    yield chunk


    {guard}
        async def ask_model(prompt: str):
            return "not configured"
    else:
        async def ask_model(prompt: str):
            BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"
            headers = {{"Authorization": f"Bearer {{KEY}}"}}
            async with httpx.AsyncClient(timeout=60.0) as client:
                r = await client.post(BASE_URL, headers=headers, json={{"messages": [prompt]}})
                return r.json()["choices"][0]["message"]["content"]
""") + "\n"


@pytest.mark.parametrize("guard", ["if not KEY:", "if os.getenv('OFFLINE'):"])
def test_a_helper_defined_under_a_module_level_if_is_followed(guard: str) -> None:
    result = run(ROUTES, "chat_api.py", (AUTH, ("openai_client.py", HELPER.format(guard=guard))))
    assert (lines_of(result, "LR601"), lines_of(result, "LR602")) == ([8], [10])


def test_a_helper_with_only_a_stub_calls_no_model() -> None:
    stub = "import os\n\nif os.getenv('X'):\n    async def ask_model(prompt):\n        return 'off'\n"
    result = run(ROUTES, "chat_api.py", (AUTH, ("openai_client.py", stub)))
    assert (lines_of(result, "LR601"), lines_of(result, "LR602")) == ([], [])


# --- AUTH307: a member id taken from the URL, with no read of who is signed in ------------------------------------

MEMBER_ROUTES = inspect.cleandoc("""
    from fastapi import APIRouter, Depends
    from sqlalchemy.orm import Session
    from app.auth import get_current_user
    from app.db import get_db
    from app import crud

    router = APIRouter()


    @router.get("/users/{user_id}/chats")
    def list_chats(user_id: int, user=Depends(get_current_user), db: Session = Depends(get_db)):
        return crud.chats_of(db, user_id)


    @router.get("/me/{user_id}/chats")
    def my_chats(user_id: int, user=Depends(get_current_user), db: Session = Depends(get_db)):
        if user.id != user_id:
            raise PermissionError()
        return crud.chats_of(db, user_id)


    @router.get("/admin/users/{user_id}/chats")
    def admin_chats(user_id: int, user=Depends(get_current_user), db: Session = Depends(get_db)):
        return crud.chats_of(db, user_id)


    @router.get("/users/{user_id}/avatar")
    def avatar(user_id: int, user=Depends(get_current_user)):
        return {"url": f"/static/{user_id}.png"}
""") + "\n"
AUTH_DEP = ("app/auth.py", "from fastapi import Header, HTTPException\n\n"
                           "def get_current_user(authorization: str = Header(None)):\n"
                           "    if not authorization:\n        raise HTTPException(401)\n    return {'id': 1}\n")


def test_a_member_id_from_the_url_without_the_signed_in_user() -> None:
    result = run(MEMBER_ROUTES, "app/routes.py", (AUTH_DEP,))
    assert lines_of(result, "AUTH307") == [12]
    [message] = [f.message for f in result.findings if f.rule_id == "AUTH307"]
    assert "takes the member id user_id from the path and passes it on without reading who is signed in" in message
