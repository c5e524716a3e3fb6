"""AUTH301 rests on a model *invocation* (``frameworks.base.invoked_facts``): an SDK method that runs a model,
a model API over HTTP, or a project helper whose code does (followed across modules). Building a client or a
message, or calling a project helper only named like model code, runs no model: such a route is judged by
what else it does (AUTH302 for the database, AUTH303 otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.python.frameworks.cases import Case, check

FLASK = "from flask import Flask, request\napp = Flask(__name__)\n"
FASTAPI = "from fastapi import FastAPI\napp = FastAPI()\n"

INVALID = [  # the route runs a model: AUTH301
    Case({"app.py": FLASK + "from services.llm import answer\n\n@app.post('/ask')\ndef ask():\n"
                            "    return {'a': answer(request.json['q'])}\n",
          "services/llm.py": "from openai import OpenAI\nclient = OpenAI()\n\ndef answer(q):\n"
                             "    r = client.chat.completions.create(model='m', messages=[{'role': 'user', "
                             "'content': q}])\n    return r.choices[0].message.content\n"},
         [("AUTH301", "app.py", 5)]),
    Case({"main.py": FASTAPI + "from langchain_openai import ChatOpenAI\n\n@app.post('/chat')\n"
                               "def chat(body: dict):\n    llm = ChatOpenAI(model='gpt-4o')\n"
                               "    return {'a': llm.invoke(body['q']).content}\n"},
         [("AUTH301", "main.py", 5)]),
    Case({"main.py": FASTAPI + "from openai import OpenAI\nclient = OpenAI()\n\n@app.post('/image')\n"
                               "def image(body: dict):\n    return client.images.generate(model='dall-e-3', "
                               "prompt=body['p']).data[0].url\n"},
         [("AUTH301", "main.py", 6)]),
    Case({"main.py": FASTAPI + "from fastapi import UploadFile\nfrom openai import OpenAI\nclient = OpenAI()\n\n"
                               "@app.post('/transcribe')\nasync def transcribe(f: UploadFile):\n"
                               "    return client.audio.transcriptions.create(model='whisper-1', file=f.file).text\n"},
         [("AUTH301", "main.py", 7)]),
    Case({"app.py": FLASK + "import anthropic\nclaude = anthropic.Anthropic()\n\ndef reply(q):\n"
                            "    return claude.messages.create(model='m', max_tokens=9, messages=[])\n\n"
                            "@app.route('/bot')\ndef bot():\n    return str(reply(request.args['q']))\n"},
         [("AUTH301", "app.py", 9)]),
    # the helper's code is not in the repository: its name is the evidence left
    Case({"app.py": FLASK + "from assistant.llm import get_ai_response\n\n@app.post('/ask')\ndef ask():\n"
                            "    return get_ai_response(request.json['q'])\n"},
         [("AUTH301", "app.py", 5)]),
]

VALID = [  # no model runs in the route: not AUTH301
    Case({"main.py": FASTAPI + "from openai import OpenAI\n\n@app.post('/settings')\ndef settings(body: dict):\n"
                               "    client = OpenAI(api_key=body['key'])\n    return {'ok': client is not None}\n"},
         [("AUTH303", "main.py", 5)]),
    Case({"app.py": FLASK + "from utils.llm_utils import clean_text\n\n@app.post('/clean')\ndef clean():\n"
                            "    return {'t': clean_text(request.json['t'])}\n",
          "utils/llm_utils.py": "import re\n\ndef clean_text(t):\n    return re.sub(r'\\s+', ' ', t).strip()\n"},
         [("AUTH303", "app.py", 5)]),
    Case({"main.py": FASTAPI + "from langchain_core.messages import HumanMessage\nfrom db import save\n\n"
                               "@app.post('/messages')\ndef add(body: dict):\n"
                               "    return save(HumanMessage(content=body['q']))\n",
          "db.py": "from sqlalchemy.orm import Session\nsession = Session()\n\ndef save(m):\n"
                   "    session.add(m)\n    session.commit()\n"},
         [("AUTH302", "main.py", 6)]),
    Case({"app.py": FLASK + "from gpt_service import count_tokens\n\n@app.post('/tokens')\ndef tokens():\n"
                            "    return {'n': count_tokens(request.json['t'])}\n",
          "gpt_service.py": "import tiktoken\nenc = tiktoken.get_encoding('cl100k_base')\n\n"
                            "def count_tokens(t):\n    return len(enc.encode(t))\n"},
         [("AUTH303", "app.py", 5)]),
    Case({"app.py": FLASK + "from flask_sqlalchemy import SQLAlchemy\nfrom openai import OpenAI\n"
                            "db = SQLAlchemy(app)\n\n@app.post('/chats')\ndef new_chat():\n"
                            "    OpenAI()\n    db.session.add(Chat(title=request.json['t']))\n"
                            "    db.session.commit()\n    return {'ok': True}\n"},
         [("AUTH302", "app.py", 7)]),
    # the helper's module uses an SDK, but the helper itself only builds the prompt
    Case({"app.py": FLASK + "from llm import build_prompt\n\n@app.post('/preview')\ndef preview():\n"
                            "    return {'p': build_prompt(request.json['q'])}\n",
          "llm.py": "from openai import OpenAI\nclient = OpenAI()\n\ndef build_prompt(q):\n"
                    "    return [{'role': 'user', 'content': q}]\n\ndef ask(q):\n"
                    "    return client.chat.completions.create(model='m', messages=build_prompt(q))\n"},
         [("AUTH303", "app.py", 5)]),
]


@pytest.mark.parametrize("case", INVALID)
def test_model_invocation_is_auth301(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)


@pytest.mark.parametrize("case", VALID)
def test_no_invocation_is_not_auth301(tmp_path: Path, case: Case) -> None:
    check(tmp_path, case)
