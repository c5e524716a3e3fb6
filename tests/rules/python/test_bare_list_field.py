"""LR602 and a pydantic field typed as a bare ``list`` (``messages: list``): any number of items of any size,
forwarded to a model helper (``ask_groq`` posting to api.groq.com with httpx) is unbounded; ``Field(max_length=...)``
or a length check bounds it."""

from __future__ import annotations

import inspect

import pytest

from tests.rules.python.helpers import lines_of, run

HELPER = ("groq_chat.py", inspect.cleandoc("""
    import os
    import httpx

    API_URL = "https://api.groq.com/openai/v1/chat/completions"


    async def ask_groq(messages: list):
        data = {"model": "llama3-8b-8192",
                "messages": [{"role": "system", "content": "You are a helpful assistant."}] + messages}
        async with httpx.AsyncClient() as client:
            res = await client.post(API_URL, headers={"Authorization": f"Bearer {os.getenv('GROQ_API_KEY')}"},
                                    json=data)
            return res.json()["choices"][0]["message"]["content"]
""") + "\n")
MAIN = inspect.cleandoc("""
    from fastapi import FastAPI, HTTPException
    from pydantic import BaseModel, Field
    from groq_chat import ask_groq

    app = FastAPI()

    class ChatRequest(BaseModel):
        messages: {field}

    @app.post("/chat")
    async def chat(req: ChatRequest):
        {check}reply = await ask_groq(req.messages)
        return {{"response": reply}}
""") + "\n"


def test_bare_list_of_messages_sent_to_a_model_helper_is_unbounded() -> None:
    assert lines_of(run(MAIN.format(field="list", check=""), "main.py", (HELPER,)), "LR602") == [12]


@pytest.mark.parametrize(("field", "check"), [
    ("list = Field(max_length=20)", ""),
    ("list", "if len(req.messages) > 20:\n        raise HTTPException(413)\n    "),
])
def test_bounded_list_is_clean(field: str, check: str) -> None:
    assert lines_of(run(MAIN.format(field=field, check=check), "main.py", (HELPER,)), "LR602") == []
