"""Routes that reach the database or a module through project helpers: a ``services`` package whose
``__init__.py`` re-exports the helper (``from .get_users import get_users``), followed one hop."""

from __future__ import annotations

import pytest

from tests.rules.python.helpers import lines_of, run

ROUTER = ("from typing import Annotated\nfrom fastapi import APIRouter, Depends\nfrom sqlalchemy.orm import Session\n"
          "from . import services\nfrom ..database import get_db\n\nrouter = APIRouter(prefix='/users')\n\n\n"
          "@router.get('/')\ndef get_users_api(db: Annotated[Session, Depends(get_db)]):\n"
          "    return services.get_users(db)\n")
REEXPORT = ("app/users/services/__init__.py", "from .get_users import get_users\n")
READS_USERS = ("app/users/services/get_users.py",
               "from sqlalchemy.orm import Session, load_only\nfrom ..models import User\n\n\n"
               "def get_users(db: Session):\n    return db.query(User).options(load_only(User.email)).all()\n")
NO_DB = ("app/users/services/get_users.py", "def get_users(db):\n    return ['static']\n")


def test_helper_behind_a_package_reexport_reads_the_users_table() -> None:
    result = run(ROUTER, "app/users/router.py", (REEXPORT, READS_USERS))
    assert lines_of(result, "AUTH302") == [10]
    assert "reads or writes the database" in next(f.message for f in result.findings if f.rule_id == "AUTH302")


def test_helper_that_touches_no_database_is_not_a_data_route() -> None:
    result = run(ROUTER, "app/users/router.py", (REEXPORT, NO_DB))
    assert [f.rule_id for f in result.findings if f.rule_id.startswith("AUTH")] == []


def test_same_module_helper_reading_the_database() -> None:
    code = ("from flask import Flask, jsonify\nfrom models import db, User\napp = Flask(__name__)\n\n\n"
            "def all_users():\n    return User.query.all()\n\n\n@app.get('/users')\ndef users():\n"
            "    return jsonify([u.email for u in all_users()])\n")
    assert lines_of(run(code), "AUTH302") == [10]


def test_function_of_a_project_class_called_on_the_class_calls_the_model() -> None:
    route = ("from flask import Flask, request, Response\nfrom app.service import Gpt\napp = Flask(__name__)\n\n\n"
             "@app.post('/chat')\ndef chat():\n    return Response(Gpt.ask(request.json.get('content')))\n")
    package = ("app/service/__init__.py", "from app.service.gpt import Gpt\n")
    gpt = ("app/service/gpt.py", "import openai\n\n\nclass Gpt:\n    def ask(content):\n"
           "        return openai.ChatCompletion.create(model='gpt-3.5-turbo', messages=[content])\n")
    result = run(route, "app/api/chat.py", (package, gpt))
    assert lines_of(result, "AUTH301") == [6]
    assert lines_of(result, "LR601") == [6]


def test_a_page_listing_the_vendors_models_runs_no_model() -> None:
    code = ("import google.generativeai as genai\nfrom django.conf import settings\nfrom django.http import HttpResponse\n"
            "\n\ndef list_available_models(request):\n    genai.configure(api_key=settings.GEMINI_API_KEY)\n"
            "    output = ''\n    for m in genai.list_models():\n        output += m.name\n    return HttpResponse(output)\n")
    assert [f.rule_id for f in run(code, "chatbot/views.py").findings if f.rule_id[:3] in ("AUT", "LR6")] == []
    generating = code.replace("    return HttpResponse(output)\n",
                              "    return HttpResponse(genai.GenerativeModel('gemini-pro').generate_content(output).text)\n")
    assert lines_of(run(generating, "chatbot/views.py"), "AUTH301") == [6]


CHAT_ROUTE = ("from fastapi import APIRouter, Depends\nfrom app.services.conversations import send_chat_message\n"
              "router = APIRouter()\n\n\n@router.post('/chat')\ndef chat(payload: ChatRequest, "
              "user=Depends(get_current_user)):\n    return send_chat_message(user, payload.message)\n")
CONVERSATIONS = ("app/services/conversations.py",
                 "from app.services.chat import get_assistant_response\n\n\ndef send_chat_message(user, message):\n"
                 "    return get_assistant_response(message)\n")
SDK_CALL = ("app/services/chat.py",
            "from openai import OpenAI\n\n\ndef get_assistant_response(message):\n"
            "    return OpenAI().chat.completions.create(model='gpt-4o-mini', "
            "messages=[{'role': 'user', 'content': message}])\n")


def test_a_model_call_two_modules_away_from_the_route() -> None:
    # route -> a service function -> the module that calls the SDK
    result = run(CHAT_ROUTE, "app/api/routes/chat.py", (CONVERSATIONS, SDK_CALL))
    assert lines_of(result, "LR601") == [6]
    # a third module is not followed
    middle = ("app/services/middle.py", "from app.services.chat import get_assistant_response\n\n\n"
              "def relay(message):\n    return get_assistant_response(message)\n")
    far = ("app/services/conversations.py", "from app.services.middle import relay\n\n\n"
           "def send_chat_message(user, message):\n    return relay(message)\n")
    assert lines_of(run(CHAT_ROUTE, "app/api/routes/chat.py", (far, middle, SDK_CALL)), "LR601") == []


def test_minting_a_session_id_is_no_work_of_its_own() -> None:
    code = ("import uuid\nfrom fastapi import APIRouter, Depends\nrouter = APIRouter()\n\n\n"
            "@router.post('/session')\nasync def create_session():\n    session_id = uuid.uuid4()\n"
            "    return SessionResponse.model_validate({'session_id': session_id})\n\n\n"
            "@router.get('/me')\nasync def me(user=Depends(get_current_user)):\n    return user\n")
    assert [f.rule_id for f in run(code, "app/api/session.py").findings if f.rule_id.startswith("AUTH")] == []


def test_an_outgoing_authorization_header_is_not_the_callers_credential() -> None:
    code = ("import os\nimport requests\nfrom flask import Flask, request, jsonify\napp = Flask(__name__)\n\n\n"
            "@app.route('/draw', methods=['POST'])\ndef draw():\n"
            "    headers = {'Authorization': f\"Bearer {os.getenv('IMAGE_KEY')}\"}\n"
            "    r = requests.post('https://api.openai.com/v1/images/generations', headers=headers,\n"
            "                      json={'prompt': request.json['prompt'][:500]})\n    return jsonify(r.json())\n")
    assert lines_of(run(code), "AUTH301") == [7]
    # reading the caller's Authorization header is still a credential check
    checked = code.replace("    headers =", "    if request.headers.get('Authorization') != os.getenv('APP_TOKEN'):\n"
                                             "        return jsonify({}), 401\n    headers =")
    assert lines_of(run(checked), "AUTH301") == []


def test_a_celery_task_result_read_by_id_is_stored_data() -> None:
    code = ("from fastapi import APIRouter\nfrom app.tasks import celery_app\nrouter = APIRouter()\n\n\n"
            "@router.get('/task/{task_id}')\nasync def task_status(task_id: str):\n"
            "    task = celery_app.AsyncResult(task_id)\n    return {'status': task.status, 'result': task.result}\n")
    assert lines_of(run(code, "app/api/tasks.py"), "AUTH302") == [6]


def test_a_twilio_message_is_no_model_call() -> None:
    code = ("from fastapi import APIRouter\nfrom twilio.rest import Client\nrouter = APIRouter()\n"
            "client = Client('sid', 'token')\n\n\n@router.post('/sms')\ndef sms(to: str, text: str):\n"
            "    return client.messages.create(to=to, from_='+15550100', body=text).sid\n")
    result = run(code, "app/sms.py")
    assert [f.rule_id for f in result.findings if f.rule_id in ("AUTH301", "LR601", "LR602")] == []
    assert lines_of(result, "AUTH303") == [7]
    claude = ("from fastapi import APIRouter\nfrom anthropic import Anthropic\nrouter = APIRouter()\n"
              "client = Anthropic()\n\n\n@router.post('/ask')\ndef ask(text: str):\n"
              "    return client.messages.create(model='claude-3-5-haiku-latest', max_tokens=200,\n"
              "                                  messages=[{'role': 'user', 'content': text}])\n")
    assert lines_of(run(claude, "app/ask.py"), "AUTH301") == [7]


MAIN = ("from fastapi import FastAPI\nfrom app.routers import chat\napp = FastAPI()\n"
        "app.include_router(chat.router, prefix='/chat')\n")
CHAT_ROUTER = ("app/routers/chat.py", "from fastapi import APIRouter\nfrom app.db import db\nrouter = APIRouter()\n\n\n"
               "@router.get('/all')\ndef all_chats():\n    return db.query(Chat).all()\n")
FILE_ROUTER = ("from fastapi import APIRouter\nfrom app.db import db\nrouter = APIRouter()\n\n\n"
               "@router.get('/files')\ndef files():\n    return db.query(File).all()\n")


def test_a_router_included_nowhere_answers_nothing() -> None:
    assert lines_of(run(FILE_ROUTER, "app/routers/file.py", (("main.py", MAIN), CHAT_ROUTER)), "AUTH302") == []
    assert lines_of(run(CHAT_ROUTER[1], "app/routers/chat.py", (("main.py", MAIN),)), "AUTH302") == [6]
    # a router list mounted in a loop may hold it: judged as mounted
    looped = MAIN.replace("app.include_router(chat.router, prefix='/chat')\n",
                          "for r in (chat.router,):\n    app.include_router(r)\n")
    assert lines_of(run(FILE_ROUTER, "app/routers/file.py", (("main.py", looped), CHAT_ROUTER)), "AUTH302") == [6]


@pytest.mark.parametrize(
    ("imports", "build"),
    [
        # phidata's Agent built by a project factory, then run on the prompt (set 27 Chatbot_with_Session)
        ("from phi.agent import Agent\nfrom phi.model.google import Gemini\n",
         "    agent = Agent(name='PDF Assistant', model=Gemini(id='gemini-2.0-flash'))\n    return agent\n"),
        ("from agno.agent import Agent\n", "    return Agent(instructions=['Be brief.'])\n"),
    ],
)
def test_an_agent_framework_factory_makes_a_model_route(imports: str, build: str) -> None:
    factory = imports + "\n\ndef create_agent(knowledge=None):\n" + build
    code = ("from fastapi import FastAPI\nfrom app.agent import create_agent\napp = FastAPI()\n\n\n"
            "@app.post('/session/chat')\nasync def chat(prompt: str):\n    agent = create_agent()\n"
            "    return agent.run(prompt)\n")
    found = sorted((f.rule_id, f.location.line) for f in run(code, "main.py", files=(("app/agent.py", factory),)).findings
                   if f.rule_id in ("AUTH301", "LR601", "LR602"))
    assert found == [("AUTH301", 6), ("LR601", 6), ("LR602", 9)]


def test_an_agent_frameworks_tools_are_no_model() -> None:
    code = ("from fastapi import FastAPI\nfrom phi.tools.duckduckgo import DuckDuckGo\napp = FastAPI()\n\n\n"
            "@app.post('/search')\nasync def search(q: str):\n    return DuckDuckGo().duckduckgo_search(q)\n")
    assert [f.rule_id for f in run(code, "main.py").findings if f.rule_id in ("AUTH301", "LR601", "LR602")] == []


def test_a_chain_one_view_stores_in_a_global_is_run_by_another() -> None:
    """``issue_type`` builds the chain (``from_llm``: construction, no model run) into ``global qa_chain``;
    ``chatbot`` runs it on the member's message (set 27 RAG_Chatbot_Django)."""
    views = ("from django.contrib.auth.decorators import login_required\nfrom django.http import JsonResponse\n"
             "from langchain_google_vertexai import ChatVertexAI\nfrom .utils import get_qa_chain\n\n\n"
             "@login_required\ndef chatbot(request):\n    message = request.POST.get('message')\n"
             "    response = qa_chain({'question': message})\n    return JsonResponse({'a': response['answer']})\n\n\n"
             "@login_required\ndef issue_type(request):\n    model = ChatVertexAI(model='gemini-pro')\n"
             "    global qa_chain\n    qa_chain = get_qa_chain(model)\n    return JsonResponse({})\n")
    utils = ("from langchain.chains import ConversationalRetrievalChain\n\n\ndef get_qa_chain(llm):\n"
             "    return ConversationalRetrievalChain.from_llm(llm=llm)\n")
    urls = ("from django.urls import path\nfrom . import views\n"
            "urlpatterns = [path('', views.chatbot), path('issue_type', views.issue_type)]\n")
    result = run(views, "chatbot/views.py", files=(("chatbot/utils.py", utils), ("chatbot/urls.py", urls)))
    assert sorted((f.rule_id, f.location.line) for f in result.findings if f.rule_id in ("LR601", "LR602")) == \
        [("LR601", 8), ("LR602", 10)]


def test_a_chain_built_by_an_alternate_constructor_then_run_is_a_model_call() -> None:
    """``RetrievalQA.from_chain_type(...)`` builds the chain (no model run of its own); ``qa.run(q)`` runs it."""
    helper = ("from langchain.chains import RetrievalQA\nfrom langchain_openai import OpenAI\n\n\n"
              "def ask_question(question):\n    qa = RetrievalQA.from_chain_type(llm=OpenAI(), retriever=None)\n"
              "    return qa.run(question)\n\n\ndef build_chain():\n"
              "    return RetrievalQA.from_chain_type(llm=OpenAI(), retriever=None)\n")
    code = ("from fastapi import FastAPI\nfrom app.qa import ask_question, build_chain\napp = FastAPI()\n\n\n"
            "@app.post('/ask')\ndef ask(q: str):\n    return ask_question(q)\n\n\n"
            "@app.post('/reload')\ndef reload():\n    build_chain()\n    return {'ok': True}\n")
    found = sorted((f.rule_id, f.location.line) for f in run(code, "main.py", files=(("app/qa.py", helper),)).findings
                   if f.rule_id in ("LR601", "AUTH301"))
    assert found == [("AUTH301", 6), ("LR601", 6)]
