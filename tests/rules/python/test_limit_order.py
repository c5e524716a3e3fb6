"""LR601 when the handler's own limit check runs only after the model call: the request over the limit has
been paid for by then."""

from __future__ import annotations

import pytest

from tests.rules.python.helpers import run

FA = ("from fastapi import FastAPI, Request, HTTPException\nfrom openai import OpenAI\nfrom .limits import "
      "check_rate_limit, usage\napp = FastAPI()\nclient = OpenAI()\n\n")  # 6 lines
ASK = "    reply = client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': body['q'][:4000]}])\n"
LATE = [  # the handler's only limit check runs after the model call
    FA + "@app.post('/chat')\nasync def chat(request: Request, body: dict):\n" + ASK +
    "    await check_rate_limit(request.client.host)\n    return {'reply': reply.choices[0].message.content}\n",
    FA + "@app.post('/chat')\nasync def chat(request: Request, body: dict):\n" + ASK +
    "    if usage(request.client.host) > 50:\n        raise HTTPException(status_code=429, detail='Daily limit')\n"
    "    return {'reply': reply.choices[0].message.content}\n",
]
EARLY = [  # the check runs first: limited
    FA + "@app.post('/chat')\nasync def chat(request: Request, body: dict):\n"
    "    await check_rate_limit(request.client.host)\n" + ASK + "    return {'reply': reply.choices[0].message.content}\n",
    FA + "@app.post('/chat')\nasync def chat(request: Request, body: dict):\n"
    "    if usage(request.client.host) > 50:\n        raise HTTPException(status_code=429, detail='Daily limit')\n"
    "    try:\n" + "    " + ASK + "    except Exception:\n        raise HTTPException(status_code=502)\n"
    "    return {'reply': reply.choices[0].message.content}\n",
]


@pytest.mark.parametrize("code", LATE)
def test_limit_checked_after_the_model_call(code: str) -> None:
    found = [f for f in run(code, "app/main.py").findings if f.rule_id == "LR601"]
    assert [f.location.line for f in found] == [7]
    assert "the check comes after the model call" in found[0].message


@pytest.mark.parametrize("code", EARLY)
def test_limit_checked_before_the_model_call(code: str) -> None:
    assert not [f for f in run(code, "app/main.py").findings if f.rule_id == "LR601"]
