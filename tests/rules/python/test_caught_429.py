"""LR601 (Python): a 429 inside an ``except`` clause relays the model vendor's quota error (``except
openai.RateLimitError: return ..., 429``) and limits nobody; a 429 the handler answers on its own check does."""

from __future__ import annotations

import pytest

from tests.rules.python.helpers import lines_of, run

FLASK = ("from flask import Flask, jsonify, request\nimport openai\napp = Flask(__name__)\nclient = openai.OpenAI()\n"
         "hits = {}\n\n@app.route('/api/chat', methods=['POST'])\ndef chat():\n")
FASTAPI = ("from fastapi import FastAPI, HTTPException, Request\nfrom openai import AsyncOpenAI, RateLimitError\n"
           "app = FastAPI()\nclient = AsyncOpenAI()\nhits = {}\n\n@app.post('/chat')\nasync def chat(request: Request):\n")
CALL = "client.chat.completions.create(model='gpt-4o-mini', messages=request.json['messages'])"
ACALL = "await client.chat.completions.create(model='gpt-4o-mini', messages=(await request.json())['messages'])"


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        (FLASK + f"    try:\n        r = {CALL}\n        return jsonify(r.choices[0].message.content)\n"
         "    except openai.RateLimitError:\n        return jsonify({'error': 'quota exceeded'}), 429\n"
         "    except Exception as e:\n        return jsonify({'error': str(e)}), 500\n", [7]),
        (FLASK + f"    try:\n        return jsonify({CALL}.choices[0].message.content)\n"
         "    except Exception as e:\n        status = 429 if 'rate' in str(e) else 500\n"
         "        return jsonify({'error': str(e)}), status\n", [7]),
        (FASTAPI + f"    try:\n        r = {ACALL}\n    except RateLimitError:\n"
         "        raise HTTPException(status_code=429, detail='busy')\n    return r.choices[0].message\n", [7]),
        # the handler's own counter answers 429 before the call
        (FLASK + "    n = hits.get(request.remote_addr, 0) + 1\n    hits[request.remote_addr] = n\n"
         "    if n > 30:\n        return jsonify({'error': 'slow down'}), 429\n"
         f"    try:\n        return jsonify({CALL}.choices[0].message.content)\n"
         "    except Exception as e:\n        return jsonify({'error': str(e)}), 500\n", []),
        (FASTAPI + "    ip = request.client.host\n    hits[ip] = hits.get(ip, 0) + 1\n    if hits[ip] > 30:\n"
         "        raise HTTPException(status_code=429, detail='slow down')\n"
         f"    try:\n        r = {ACALL}\n    except RateLimitError:\n"
         "        raise HTTPException(status_code=503, detail='busy')\n    return r.choices[0].message\n", []),
    ],
)
def test_caught_429_is_no_limit(code: str, lines: list[int]) -> None:
    assert lines_of(run(code), "LR601") == lines
