"""Logging data flow met on real AI-chatbot repositories (issue 12, Python half): an answer streamed into a
string with ``+=``, a chat message popped off a history list, a member's own name, a FastAPI body model whose
parameter is named ``request``. Each shape: five that must be found, five that must not."""

from __future__ import annotations

import pytest

from tests.rules.python.helpers import lines_of, run

LOG = "import logging\nlogger = logging.getLogger(__name__)\n"


# --- an answer accumulated with += from a model stream -------------------------------------------------------

@pytest.mark.parametrize(
    "body",
    [
        "def view(messages):\n    gen = langchain_doc_chat(messages)\n    text = ''\n    for event in gen:\n"
        "        text += event['content']\n    logger.debug('return: %s', text)\n",
        "def view(client, messages):\n    stream = client.chat.completions.create(model='m', messages=messages, "
        "stream=True)\n    full = ''\n    for chunk in stream:\n        full += chunk.choices[0].delta.content\n"
        "    logger.info(full)\n",
        "def view(messages):\n    reply = ''\n    for part in generate_reply(messages):\n        reply += str(part)\n"
        "    print(f'reply: {reply}')\n",
        "def view(client, prompt):\n    acc = ''\n    for ev in client.chat.completions.create(model='m', "
        "messages=[prompt], stream=True):\n        acc += ev.choices[0].delta.content or ''\n"
        "    logger.warning('got %s', acc)\n",
        "def view(user_message):\n    out = ''\n    for token in ask_llm(user_message):\n        out += token\n"
        "    logger.debug(out)\n",
    ],
)
def test_streamed_answer_accumulated_is_model_output(body: str) -> None:
    code = LOG + body
    assert lines_of(run(code), "LOG402") == [code.count("\n")]


@pytest.mark.parametrize(
    "body",
    [
        "def view(messages):\n    total = 0\n    for event in langchain_doc_chat(messages):\n        total += 1\n"
        "    logger.debug('events: %s', total)\n",
        "def view(messages):\n    gen = langchain_doc_chat(messages)\n    text = ''\n    for event in gen:\n"
        "        text += event['content']\n    logger.debug('chars: %s', len(text))\n",
        "def view(rows):\n    out = ''\n    for row in rows:\n        out += row.title\n    logger.info(out)\n",
        "def view(client, messages):\n    n = 0\n    for chunk in client.chat.completions.create(model='m', "
        "messages=messages, stream=True):\n        n += len(chunk.choices)\n    logger.info('chunks %d', n)\n",
        "def view(names):\n    line = ''\n    for n in names:\n        line += n + ','\n    logger.info(line)\n",
    ],
)
def test_accumulated_without_model_output_is_not(body: str) -> None:
    assert lines_of(run(LOG + body), "LOG402") == []


# --- a chat message taken off a history list ----------------------------------------------------------------

@pytest.mark.parametrize(
    "body",
    [
        "def build(ordered_messages):\n    message = ordered_messages.pop()\n    content = message['message']\n"
        "    logger.debug('doc %s', content)\n",
        "def build(chat_history):\n    last = chat_history.pop()\n    logger.info('last: %s', last)\n",
        "def build(messages):\n    m = model_to_dict(messages.pop())\n    logger.debug(m)\n",
        "def build(history_messages):\n    for m in sorted(history_messages):\n        logger.debug('m %s', m)\n",
        "def build(messages):\n    newest = reversed(messages)\n    logger.debug('%s', newest)\n",
    ],
)
def test_message_taken_off_a_history_is_a_prompt(body: str) -> None:
    code = LOG + body
    assert lines_of(run(code), "LOG401") == [code.count("\n")]


@pytest.mark.parametrize(
    "body",
    [
        "def build(ordered_messages):\n    message = ordered_messages.pop()\n"
        "    logger.debug('id %s', message['id'])\n",
        "def build(chat_history):\n    last = chat_history.pop()\n    logger.info('n=%d', len(chat_history))\n",
        "def build(jobs):\n    job = jobs.pop()\n    logger.debug(job)\n",
        "def build(messages):\n    m = model_to_dict(messages.pop())\n    logger.debug('role %s', m['role'])\n",
        "def build(tasks):\n    for t in sorted(tasks):\n        logger.debug('t %s', t)\n",
    ],
)
def test_list_element_that_is_no_message_is_not(body: str) -> None:
    assert lines_of(run(LOG + body), "LOG401") == []


# --- the member's own name; a FastAPI body model named `request` ---------------------------------------------

API = ("from fastapi import APIRouter, Depends, Request\nfrom pydantic import BaseModel\nrouter = APIRouter()\n"
       "class Body(BaseModel):\n    message: str\n")


@pytest.mark.parametrize(
    ("sig", "log"),
    [
        ("current_user: User = Depends(get_user)", "Logger.debug(router, f'from {current_user.name}')"),
        ("user: User = Depends(get_user)", "logger.info('hello %s', user.full_name)"),
        ("current_user: User = Depends(get_user)", "logger.info(current_user.display_name)"),
        ("member: User = Depends(get_user)", "print(f'{member.name} asked')"),
        ("current_user: User = Depends(get_user)", "logger.debug('u=%s', current_user.fullname)"),
    ],
)
def test_member_name_is_pii(sig: str, log: str) -> None:
    code = f"{LOG}{API}@router.post('/x')\nasync def x({sig}):\n    {log}\n"
    assert lines_of(run(code), "LOG403") == [code.count("\n")]


@pytest.mark.parametrize(
    ("sig", "log"),
    [
        ("current_user: User = Depends(get_user)", "logger.info('id %s', current_user.id)"),
        ("model: Model = Depends(get_model)", "logger.info('model %s', model.name)"),
        ("tool: Tool = Depends(get_tool)", "logger.info(tool.display_name)"),
        ("file: UploadFile", "logger.info('file %s', file.name)"),
        ("current_user: User = Depends(get_user)", "logger.info('len %d', len(current_user.name))"),
    ],
)
def test_name_of_a_non_member_is_not_pii(sig: str, log: str) -> None:
    assert lines_of(run(f"{LOG}{API}@router.post('/x')\nasync def x({sig}):\n    {log}\n"), "LOG403") == []


@pytest.mark.parametrize(
    ("sig", "log", "code"),
    [
        ("request: Body", "logger.debug(f'request: {request}')", "LOG405"),
        ("request: Body", "print(request)", "LOG405"),
        ("request: Body", "logger.info('msg %s', request.message)", "LOG401"),
        ("request: Body, db: Session = Depends(get_db)", "logger.info(request.model_dump())", "LOG405"),
        ("request: schemas.Body", "logger.debug('%s', request)", "LOG405"),
    ],
)
def test_body_model_named_request_is_the_body(sig: str, log: str, code: str) -> None:
    source = f"{LOG}{API}@router.post('/x')\nasync def x({sig}):\n    {log}\n"
    assert lines_of(run(source), code) == [source.count("\n")]


@pytest.mark.parametrize(
    "sig",
    ["request: Request", "request", "request: str", "request: Request, body: Body", "request: Any"],
)
def test_request_object_itself_is_not_the_body(sig: str) -> None:
    source = f"{LOG}{API}@router.post('/x')\nasync def x({sig}):\n    logger.debug('req %s', request)\n"
    result = run(source)
    assert lines_of(result, "LOG405") == [] and lines_of(result, "LOG401") == []


# --- a branch may not run: an assignment inside if/for/while/try adds to what a name held ----------------------

FLASK = "from flask import request\n" + LOG


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("    text = request.json['text']\n    if len(text) > 10:\n        text = 'long'\n    logger.info(text)\n",
         "LOG401"),
        ("    msg = request.json['message']\n    try:\n        msg = clean(msg_id)\n    except Exception:\n"
         "        pass\n    logger.info(msg)\n", "LOG401"),
        ("    out = generate_reply(request.json['prompt'])\n    if out is None:\n        out = ''\n"
         "    logger.info(out)\n", "LOG402"),
        ("    q = request.args.get('q')\n    for _ in range(2):\n        q = 'x'\n    print(q)\n", "LOG401"),
        ("    data = request.get_json()['question']\n    while retry():\n        data = 'x'\n"
         "    logger.debug(data)\n", "LOG401"),
    ],
)
def test_assignment_in_a_branch_keeps_the_taint(body: str, code: str) -> None:
    source = FLASK + "def view():\n" + body
    assert lines_of(run(source), code) == [source.count("\n")]


@pytest.mark.parametrize(
    "body",
    [
        "    text = request.json['text']\n    text = 'fixed'\n    logger.info(text)\n",
        "    msg = 'hello'\n    if request.json:\n        msg = 'bye'\n    logger.info(msg)\n",
        "    if request.json:\n        n = len(request.json['text'])\n        logger.info(n)\n",
        "    out = generate_reply(request.json['prompt'])\n    out = len(out)\n    logger.info(out)\n",
        "    text = request.json['text']\n    if text:\n        state = 'ok'\n    logger.info(state)\n",
    ],
)
def test_overwritten_or_other_names_are_not(body: str) -> None:
    result = run(FLASK + "def view():\n" + body)
    assert lines_of(result, "LOG401") == [] and lines_of(result, "LOG402") == []


# --- a FastAPI body model is judged by its fields when the module defines it ------------------------------------

@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ("    question: str\n", "request"),
        ("    messages: list[str]\n    model: str\n", "body"),
        ("    email: str\n    password: str\n", "payload"),
        ("    phone: str\n", "data"),
        ("    q: str\n    page: int\n", "req"),
    ],
)
def test_body_model_with_sensitive_fields_is_logged(fields: str, param: str) -> None:
    source = f"{LOG}{API}class M(BaseModel):\n{fields}@router.post('/x')\nasync def x({param}: M):\n" \
             f"    logger.info('body %s', {param})\n"
    assert lines_of(run(source), "LOG405") == [source.count("\n")]


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ("    name: str\n    model: str\n", "request"),
        ("    title: str\n", "body"),
        ("    temperature: float\n    max_tokens: int\n", "settings"),
        ("    page: int\n    limit: int\n", "req"),
        ("    assistant_id: int\n    model: str\n", "payload"),
    ],
)
def test_body_model_of_names_and_settings_is_not(fields: str, param: str) -> None:
    source = f"{LOG}{API}class M(BaseModel):\n{fields}@router.post('/x')\nasync def x({param}: M):\n" \
             f"    logger.info('body %s', {param})\n"
    assert lines_of(run(source), "LOG405") == []


@pytest.mark.parametrize(
    ("log", "code"),
    [
        ("print(f'Response headers: {response.headers}')", None),
        ("logger.info('got %s', resp.headers)", None),
        ("print(f'Headers: {self.headers}')", "LOG404"),
        ("print(f'Request headers: {request.headers}')", "LOG404"),
    ],
)
def test_response_headers_are_not_credentials(log: str, code: str | None) -> None:
    body = ("import requests\nfrom flask import request\n\nclass Client:\n    def __init__(self, key):\n"
            "        self.headers = {'x-api-key': key}\n\n    def send(self, payload):\n"
            "        response = requests.post('https://api.example.com', headers=self.headers, json=payload)\n"
            "        resp = response\n        " + log + "\n        return response.json()\n")
    found = [(f.rule_id, f.location.line) for f in run(body, "client.py").findings if f.rule_id.startswith("LOG")]
    assert found == ([(code, 11)] if code else [])


@pytest.mark.parametrize(
    ("lines", "reported"),
    [
        # the answer rewritten by re.sub, bound with an annotation; then by a project helper given it back
        (["s: str = re.sub(r'\\s+', ' ', r.choices[0].message.content)", "print(s)"], True),
        (["s = r.choices[0].message.content", "s = tidy(s)", "print(s)"], True),
        # a sanitizer given it back, or another value bound to the name: nothing sensitive left
        (["s = r.choices[0].message.content", "s = redact(s)", "print(s)"], False),
        (["s = r.choices[0].message.content", "s = tidy(q_len)", "print(s)"], False),
    ],
)
def test_model_output_rewritten_keeps_its_kind(lines: list[str], reported: bool) -> None:
    head = ("import re\nfrom openai import OpenAI\nfrom fastapi import APIRouter\nrouter = APIRouter()\n"
            "client = OpenAI()\n\n\ndef tidy(text):\n    return text.strip()\n\n\n@router.get('/x')\n"
            "def x(q: str, q_len: int):\n"
            "    r = client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': q}])\n")
    code = head + "".join(f"    {ln}\n" for ln in lines)
    assert lines_of(run(code), "LOG402") == ([code.count("\n")] if reported else [])


@pytest.mark.parametrize(
    ("log", "reported"),
    [
        ("print(f'Processing message: {message}')", True),
        ("print(f'Processing {len(message)} characters')", False),
        ("print(f'conversation {conversation_id}')", False),
    ],
)
def test_the_text_a_helper_sends_to_the_model_is_a_prompt(log: str, reported: bool) -> None:
    code = ("from langchain_groq import ChatGroq\nllm = ChatGroq(model='llama3-8b-8192')\n\n\n"
            "async def process(message: str, conversation_id: str) -> str:\n    " + log + "\n"
            "    return llm.invoke(message).content\n")
    assert lines_of(run(code, "app/llm.py"), "LOG401") == ([6] if reported else [])


def test_stored_messages_listed_and_logged_are_chat_content() -> None:
    code = ("from flask import Blueprint, jsonify\nfrom models import Message\nbp = Blueprint('gpt', __name__)\n\n\n"
            "@bp.get('/api/msg')\ndef get_messages():\n    msgs = Message.query.all()\n"
            "    msgs_data = [{'id': m.id, 'role': m.role, 'content': m.content} for m in msgs]\n"
            "    print(msgs_data)\n    print(len(msgs))\n    return jsonify(msgs_data)\n")
    assert lines_of(run(code, "routes/gpt.py"), "LOG401") == [10]


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        ("    logger.info('sending to %s', recipient)\n", [3]),
        ("    print(f'mail for {recipients}')\n", [3]),
        ("    logger.info('sending to %d people', len(recipients))\n", []),
    ],
)
def test_mail_recipient_is_pii(log: str, expected: list[int]) -> None:
    code = "import logging\ndef notify(recipient, recipients):\n" + log + "\nlogger = logging.getLogger(__name__)\n"
    assert lines_of(run(code), "LOG403") == expected


def test_an_operator_script_talks_to_its_terminal() -> None:
    script = ("import logging\nimport os\nlogging.basicConfig(level=logging.INFO)\nlogger = logging.getLogger(__name__)\n"
              "\n\ndef main():\n    key = os.getenv('ENCRYPTION_KEY')\n    logger.info(f'key: {key}')\n"
              "    print('admin email', admin.email)\n\n\nif __name__ == '__main__':\n    main()\n")
    assert [f.rule_id for f in run(script, "scripts/migrate_orgs.py").findings if f.rule_id.startswith("LOG")] == []
    # the same module in the app imported by the app's code, or a script with no __main__ block, is reported
    routes = (("app/routes.py", "from app.migrate_orgs import main\n"),)
    assert lines_of(run(script, "app/migrate_orgs.py", routes), "LOG404") == [9]
    imported = script.replace("\n\nif __name__ == '__main__':\n    main()\n", "\n")
    assert lines_of(run(imported, "scripts/migrate_orgs.py"), "LOG404") == [9]


_CHECK_SCRIPT = ("import asyncio\nfrom sqlalchemy.ext.asyncio import create_async_engine\n\n"
                 "async def check(user):\n    engine = create_async_engine('sqlite://', echo=True)\n"
                 "    print('profile email', user.email)\n\n{tail}")


@pytest.mark.parametrize(("tail", "files", "expected"), [
    # a stand-alone maintenance script beside the app (set 21 Pump-Fiction: check_profile.py, init_db.py)
    ("if __name__ == '__main__':\n    asyncio.run(check(None))\n", (), []),
    ("asyncio.run(check(None))\n", (), []),
    # another script importing it is no server
    ("if __name__ == '__main__':\n    asyncio.run(check(None))\n",
     (("backend/setup.py", "import check_profile\nif __name__ == '__main__':\n    check_profile.main()\n"),), []),
    # imported by the app: its logs are the server's
    ("if __name__ == '__main__':\n    asyncio.run(check(None))\n",
     (("backend/app/chat.py", "from fastapi import APIRouter, Depends\nfrom sqlalchemy import select\n"
                              "from check_profile import check\n"),), [5, 6]),
    ("if __name__ == '__main__':\n    asyncio.run(check(None))\n",
     (("backend/app/chat.py", "from app.models import (\n    User,\n    Chat,\n)\nfrom check_profile import check\n"),),
     [5, 6]),
    # a module that serves (a bot loop, a web app) writes the server's log
    ("while True:\n    asyncio.run(check(None))\n", (), [5, 6]),
    ("from fastapi import FastAPI\napp = FastAPI()\nif __name__ == '__main__':\n    asyncio.run(check(None))\n", (),
     [5, 6]),
    # no __main__ block and nothing run at import: a library module
    ("", (), [5, 6]),
    # no server in the project: nothing to judge the import graph by
    ("if __name__ == '__main__':\n    asyncio.run(check(None))\n", None, [5, 6]),
])
def test_a_stand_alone_script_talks_to_its_terminal(tail: str, files: tuple[tuple[str, str], ...] | None,
                                                     expected: list[int]) -> None:
    server = ("backend/app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n")
    others = () if files is None else (server, *files)
    result = run(_CHECK_SCRIPT.replace("{tail}", tail), "backend/check_profile.py", others)
    assert sorted(f.location.line for f in result.findings if f.rule_id.startswith("LOG")) == expected


def test_a_message_sid_is_an_identifier() -> None:
    code = ("import logging\nfrom fastapi import FastAPI, Request\napp = FastAPI()\nlogger = logging.getLogger(__name__)\n"
            "\n\n@app.post('/status')\nasync def status(request: Request):\n    data = await request.form()\n"
            "    message_sid = data.get('MessageSid')\n    logger.info(f'status for {message_sid}')\n"
            "    logger.info(f'from {data.get(\"Body\")}')\n    return {}\n")
    assert [(f.rule_id, f.location.line) for f in run(code).findings if f.rule_id.startswith("LOG")] == [
        ("LOG405", 12)]


@pytest.mark.parametrize(
    ("build", "log", "reported"),
    [
        # the member's text reaches the model inside a messages list built from it (set 26 chatbotAPI)
        ("    messages = [{'role': 'system', 'content': 'Be brief.'}]\n"
         "    messages.append({'role': 'user', 'content': content})\n", "content[:50]", True),
        ("    prompt = f'Answer this: {content}'\n    messages = [{'role': 'user', 'content': prompt}]\n",
         "content", True),
        ("    history = list(past)\n    history += [{'role': 'user', 'content': content.strip()}]\n"
         "    messages = history\n", "content", True),
        # what the app puts beside it (retrieved research), a file path, a count: not a member's text
        ("    messages = [{'role': 'user', 'content': content + research_info}]\n", "research_info", False),
        ("    path = os.path.join('/srv', content)\n    messages = [{'role': 'user', 'content': path}]\n",
         "content", False),
        ("    n_chars = len(content)\n    messages = [{'role': 'user', 'content': 'hi', 'n': n_chars}]\n",
         "content", False),
    ],
)
def test_a_parameter_built_into_the_model_messages_is_a_prompt(build: str, log: str, reported: bool) -> None:
    code = ("import logging\nimport os\nfrom openai import OpenAI\nlogger = logging.getLogger(__name__)\n\n\n"
            "class ChatService:\n    def __init__(self):\n        self.client = OpenAI()\n\n"
            "    def process(self, content: str, research_info: str = '', past=()):\n"
            + "\n".join("    " + ln for ln in build.splitlines()) + "\n"
            f"        logger.info(f'query: {{{log}}}')\n"
            "        return self.client.chat.completions.create(model='m', messages=messages)\n")
    line = code.splitlines().index(f"        logger.info(f'query: {{{log}}}')") + 1
    assert lines_of(run(code, "services/chat.py"), "LOG401") == ([line] if reported else [])


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # a project helper given the member's text that calls a model: its result is the answer
        ("res = tools.ask_model(message)", ["LOG402"]),
        # one that embeds the text and searches stored documents returns the app's own documents (set 26 yann_fan)
        ("res = VectorDBTool(user_id=uid).search(message)", []),
        ("res = tools.retrieve_similar(message)", []),
    ],
)
def test_documents_found_for_the_text_are_not_the_model_answer(call: str, expected: list[str]) -> None:
    tools = ("from openai import OpenAI\nclient = OpenAI()\n\n\ndef ask_model(text):\n"
             "    return client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': text}])\n\n\n"
             "def retrieve_similar(text):\n    v = client.embeddings.create(model='e', input=text)\n"
             "    return index.query(vector=v.data[0].embedding)\n")
    code = ("from fastapi import APIRouter\nfrom app import tools\nfrom app.vdb import VectorDBTool\n"
            "router = APIRouter()\n\n\n@router.post('/chat')\ndef chat(message: str, uid: int):\n"
            f"    {call}\n    print(res)\n    return res\n")
    found = [f.rule_id for f in run(code, "app/routes.py", files=(("app/tools.py", tools),)).findings
             if f.rule_id in ("LOG402", "LOG401")]
    assert found == expected
