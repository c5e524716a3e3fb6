"""Model calls that LR601/LR602 (and AUTH301) must see however the route reaches the model: through a wrapper
object of the project, a chat session built in the handler, a raw HTTP call to a model API whose URL is a
module constant; request text stored with the conversation and sent back with its history."""

from __future__ import annotations

import pytest

from tests.rules.python.helpers import run

GEMINI_BOT = ("import google.generativeai as genai\n\nclass Chatbot:\n    def __init__(self, api_key):\n"
              "        genai.configure(api_key=api_key)\n        self.model = genai.GenerativeModel('gemini-1.5-flash')\n\n"
              "    def generate(self, query):\n        response = self.model.generate_content(query)\n"
              "        return response.text\n")
ASSISTANT = ("from openai import OpenAI\n\nclass Assistant:\n    def __init__(self):\n        self.client = OpenAI()\n\n"
             "    def reply(self, text):\n        r = self.client.chat.completions.create(model='gpt-4o', messages=["
             "{'role': 'user', 'content': text}])\n        return r.choices[0].message.content\n\n"
             "    def health(self):\n        return {'ok': True}\n")
FLASK = "from flask import Flask, request, jsonify\nimport os\napp = Flask(__name__)\n"  # 3 lines

REACHES = [  # (files, line of the route, vendor words in the LR601 message)
    # a project wrapper class, instance built in the route module
    ({"app.py": FLASK + "from chatbot import Chatbot\nbot = Chatbot(os.environ['GEMINI_API_KEY'])\n\n"
      "@app.route('/ask', methods=['POST'])\ndef ask():\n    return jsonify(answer=bot.generate(request.json['q']))\n",
      "chatbot.py": GEMINI_BOT}, 7, "Google Gemini through generate()"),
    # a thread pool runs the wrapper's method prepared with functools.partial (set 18 medchatbot)
    ({"app.py": FLASK + "from concurrent.futures import ThreadPoolExecutor\nfrom functools import partial\n"
      "from chatbot import Chatbot\nbot = Chatbot(os.environ['GEMINI_API_KEY'])\nexecutor = ThreadPoolExecutor()\n\n"
      "@app.route('/ask', methods=['POST'])\ndef ask():\n"
      "    answer = executor.submit(partial(bot.generate, request.json['q'])).result()\n"
      "    return jsonify(answer=answer)\n", "chatbot.py": GEMINI_BOT}, 10, "Google Gemini through generate()"),
    # the method handed to submit() with its argument, and to a thread
    ({"app.py": FLASK + "import threading\nfrom chatbot import Chatbot\nbot = Chatbot(os.environ['GEMINI_API_KEY'])\n\n"
      "@app.post('/ask')\ndef ask():\n    threading.Thread(target=bot.generate, args=(request.json['q'],)).start()\n"
      "    return jsonify(ok=True)\n", "chatbot.py": GEMINI_BOT}, 8, "Google Gemini through generate()"),
    # a thread given keyword arguments, and an executor's map (attack)
    ({"app.py": FLASK + "import threading\nfrom chatbot import Chatbot\nbot = Chatbot(os.environ['GEMINI_API_KEY'])\n\n"
      "@app.post('/ask')\ndef ask():\n    threading.Thread(target=bot.generate, kwargs={'query': request.json['q']})"
      ".start()\n    return jsonify(ok=True)\n", "chatbot.py": GEMINI_BOT}, 8, "Google Gemini through generate()"),
    ({"app.py": FLASK + "from concurrent.futures import ThreadPoolExecutor\nfrom chatbot import Chatbot\n"
      "bot = Chatbot(os.environ['GEMINI_API_KEY'])\npool = ThreadPoolExecutor()\n\n@app.post('/ask')\ndef ask():\n"
      "    return jsonify(answers=list(pool.map(bot.generate, [request.json['q']])))\n", "chatbot.py": GEMINI_BOT},
     9, "Google Gemini through generate()"),
    # the wrapper built inside the handler
    ({"app.py": FLASK + "from chatbot import Chatbot\n\n@app.post('/ask')\ndef ask():\n"
      "    bot = Chatbot(os.environ['GEMINI_API_KEY'])\n    return jsonify(answer=bot.generate(request.json['q']))\n",
      "chatbot.py": GEMINI_BOT}, 6, "Google Gemini through generate()"),
    # a module-level instance imported from a services package
    ({"app.py": FLASK + "from services.assistant import assistant\n\n@app.post('/chat')\ndef chat():\n"
      "    return jsonify(reply=assistant.reply(request.json['message']))\n",
      "services/assistant.py": ASSISTANT + "\nassistant = Assistant()\n"}, 6, "OpenAI through reply()"),
    # a chat session built in the handler from a model object
    ({"app.py": FLASK + "import google.generativeai as genai\n\n@app.post('/chat')\ndef chat():\n"
      "    model = genai.GenerativeModel('gemini-1.5-flash')\n    chat_session = model.start_chat(history=[])\n"
      "    return jsonify(message=chat_session.send_message(request.json['message']).text)\n"}, 6, "Google Gemini"),
    # raw HTTP to the Gemini REST API, the URL a module constant
    ({"app.py": FLASK + "import requests\nURL = f\"https://generativelanguage.googleapis.com/v1beta/models/"
      "gemini-pro:generateContent?key={os.environ['GEMINI_API_KEY']}\"\n\n@app.route('/chat', methods=['POST'])\n"
      "def chat():\n    body = {'contents': [{'parts': [{'text': request.json['message']}]}]}\n"
      "    return jsonify(requests.post(URL, json=body).json())\n"}, 7, "Google Gemini"),
    # aiohttp session to Anthropic, the URL a module constant
    ({"app/main.py": "from fastapi import FastAPI\nimport aiohttp\napp = FastAPI()\n"
      "API_URL = 'https://api.anthropic.com/v1/messages'\n\n@app.post('/chat')\nasync def chat(body: dict):\n"
      "    async with aiohttp.ClientSession() as session:\n"
      "        async with session.post(API_URL, json={'messages': body['messages']}) as resp:\n"
      "            return await resp.json()\n"}, 6, "Anthropic"),
    # a helper in another module posting to OpenRouter
    ({"app.py": FLASK + "from llm_client import call_openrouter\n\n@app.post('/chat')\ndef chat():\n"
      "    return jsonify(reply=call_openrouter(request.json['message']))\n",
      "llm_client.py": "import requests\nOPENROUTER_URL = 'https://openrouter.ai/api/v1/chat/completions'\n\n"
      "def call_openrouter(text):\n    return requests.post(OPENROUTER_URL, json={'messages': [{'role': 'user', "
      "'content': text}]}).json()\n"}, 6, "OpenRouter through call_openrouter()"),
]
NO_MODEL = [  # the wrapper's other method, a non-model URL constant, a project class with no model: no model call
    {"app.py": FLASK + "from services.assistant import Assistant\n\n@app.post('/status')\ndef status():\n"
     "    helper = Assistant()\n    return jsonify(helper.health())\n", "services/assistant.py": ASSISTANT},
    {"app.py": FLASK + "from store import ChatStore\n\n@app.post('/save')\ndef save():\n"
     "    store = ChatStore()\n    return jsonify(id=store.save(request.json['text']))\n",
     "store.py": "import json\n\nclass ChatStore:\n    def save(self, text):\n"
     "        with open('chats.jsonl', 'a') as f:\n            f.write(json.dumps({'text': text}))\n        return 1\n"},
    {"app.py": FLASK + "from services.assistant import assistant\n\n@app.post('/status')\ndef status():\n"
     "    return jsonify(assistant.health())\n", "services/assistant.py": ASSISTANT + "\nassistant = Assistant()\n"},
    {"app.py": FLASK + "from concurrent.futures import ThreadPoolExecutor\nfrom services.assistant import assistant\n"
     "pool = ThreadPoolExecutor()\n\n@app.post('/status')\ndef status():\n"
     "    return jsonify(pool.submit(assistant.health).result())\n",
     "services/assistant.py": ASSISTANT + "\nassistant = Assistant()\n"},
    {"app.py": FLASK + "import requests\nWEBHOOK = 'https://hooks.example.com/notify'\n\n@app.post('/notify')\n"
     "def notify():\n    return jsonify(requests.post(WEBHOOK, json=request.json).json())\n"},
]


def _path(files: dict[str, str]) -> str:
    return next(iter(files))


@pytest.mark.parametrize(("files", "line", "vendor"), REACHES)
def test_model_reached_through_wrappers_and_http(files: dict[str, str], line: int, vendor: str) -> None:
    path = _path(files)
    result = run(files[path], path, tuple((p, t) for p, t in files.items() if p != path))
    lr601 = [f for f in result.findings if f.rule_id == "LR601"]
    assert [f.location.line for f in lr601] == [line]
    assert vendor in lr601[0].message
    assert [f.location.line for f in result.findings if f.rule_id == "AUTH301"] == [line]
    assert [f.rule_id for f in result.findings if f.rule_id == "LR602"] == ["LR602"]


@pytest.mark.parametrize("files", NO_MODEL)
def test_no_model_behind_the_call(files: dict[str, str]) -> None:
    path = _path(files)
    result = run(files[path], path, tuple((p, t) for p, t in files.items() if p != path))
    assert not [f for f in result.findings if f.rule_id in ("LR601", "LR602", "AUTH301")]


FL_DB = ("from flask import Flask, request, jsonify\nfrom flask_login import login_required, current_user\n"
         "from openai import OpenAI\nfrom .models import db, Conversation, Message\napp = Flask(__name__)\n"
         "client = OpenAI()\n\n")  # 7 lines
DJ = ("from django.http import JsonResponse\nfrom django.contrib.auth.decorators import login_required\n"
      "import json\nimport openai\nfrom .models import Conversation, ChatMessage\n\n")  # 6 lines
FL_SEND = ("    history = [{'role': m.role, 'content': m.content} for m in "
           "Message.query.filter_by(conversation_id=conv.id).order_by(Message.id)]\n"
           "    reply = client.chat.completions.create(model='gpt-4o', messages=history)\n"
           "    return jsonify(reply=reply.choices[0].message.content)\n")
STORED = [  # (code, path, line of the model call)
    (FL_DB + "@app.post('/chat/<int:cid>')\n@login_required\ndef chat(cid):\n"
     "    conv = Conversation.query.filter_by(id=cid, user_id=current_user.id).first_or_404()\n"
     "    db.session.add(Message(conversation_id=conv.id, role='user', content=request.json['message']))\n"
     "    db.session.commit()\n" + FL_SEND, "app/routes.py", 15),
    (DJ + "@login_required\ndef send(request, cid):\n    conv = Conversation.objects.get(id=cid, user=request.user)\n"
     "    text = json.loads(request.body)['message']\n"
     "    ChatMessage.objects.create(conversation=conv, role='user', content=text)\n"
     "    msgs = [{'role': m.role, 'content': m.content} for m in "
     "ChatMessage.objects.filter(conversation=conv).order_by('created')]\n"
     "    out = openai.chat.completions.create(model='gpt-4o', messages=msgs)\n"
     "    return JsonResponse({'reply': out.choices[0].message.content})\n", "chat/views.py", 13),
]
STORED_BOUNDED = [  # the new message is cut before it is stored, or the history read is another table
    FL_DB + "@app.post('/chat/<int:cid>')\n@login_required\ndef chat(cid):\n"
    "    conv = Conversation.query.filter_by(id=cid, user_id=current_user.id).first_or_404()\n"
    "    db.session.add(Message(conversation_id=conv.id, role='user', content=request.json['message'][:4000]))\n"
    "    db.session.commit()\n" + FL_SEND,
    FL_DB + "@app.post('/chat/<int:cid>')\n@login_required\ndef chat(cid):\n"
    "    db.session.add(Feedback(user_id=current_user.id, text=request.json['message']))\n"
    "    db.session.commit()\n    conv = Conversation.query.filter_by(id=cid, user_id=current_user.id).first_or_404()\n"
    + FL_SEND,
]


@pytest.mark.parametrize(("code", "path", "line"), STORED)
def test_request_text_stored_then_sent_with_the_history(code: str, path: str, line: int) -> None:
    found = [f for f in run(code, path).findings if f.rule_id == "LR602"]
    assert [f.location.line for f in found] == [line]
    assert "`message`" in found[0].message


@pytest.mark.parametrize("code", STORED_BOUNDED)
def test_bounded_or_unrelated_stored_text_is_not_lr602(code: str) -> None:
    assert not [f for f in run(code, "app/routes.py").findings if f.rule_id == "LR602"]
