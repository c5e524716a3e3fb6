"""LOG4xx for Python: logging, loguru, structlog, print and warnings calls that carry sensitive data."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, FileContext, PythonRule, index_of
from scanner.engines.python.log_analysis import LogCollector, LogHit
from scanner.engines.python.names import dotted, walk
from scanner.knowledge import is_test_path

class _LogRule(PythonRule):
    """Reports the ``LogHit``s of its code that the module's ``LogCollector`` found, and the library settings that
    log for the code (``SETTINGS``: a call whose qualified name starts with one of the prefixes and that passes the
    keyword ``True``)."""

    COLLECTOR = LogCollector
    #: (qualified-name prefix, keyword, message): ``create_engine(url, echo=True)``.
    SETTINGS: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    #: Configuration keys that log for the code when set to ``True`` -> message.
    CONFIG_KEYS: ClassVar[dict[str, str]] = {}

    def leave_Module(self, original_node: cst.Module) -> None:
        hits = self.ctx.memo.get("logging", [])
        assert isinstance(hits, list)
        for hit in hits:
            if isinstance(hit, LogHit) and hit.code == self.CODE:
                message = f"{self.MESSAGE}: {hit.detail}" if hit.detail else self.MESSAGE
                self.report(hit.node, hit.context, message)
        if (self.SETTINGS or self.CONFIG_KEYS) and not is_test_path(self.ctx.path) and \
                not self.ctx.memo.get("operator-tool"):
            self._settings(original_node)

    def _settings(self, module: cst.Module) -> None:
        for node in walk(module):
            if self.CONFIG_KEYS and isinstance(node, (cst.Assign, cst.Call)):
                self._config_key(node)
            if not isinstance(node, cst.Call):
                continue
            name = self.ctx.imports.qualify(node.func) or ""
            for prefix, keyword, message in self.SETTINGS:
                if not name.startswith(prefix):
                    continue
                value = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == keyword),
                             None)
                if isinstance(value, cst.Name) and value.value == "True":
                    self.report(node, "settings", f"{message} ({name.rsplit('.', 1)[-1]}({keyword}=True))")
                    break
                if isinstance(value, cst.Name) and (handed := handed_on(self.ctx, node, value.value)) is not None:
                    value = handed
                if isinstance(value, cst.Name) and value.value == "True":
                    self.report(node, "settings", f"{message} ({name.rsplit('.', 1)[-1]}({keyword}=True) through "
                                                  "its caller)")
                    break
                if isinstance(value, cst.Attribute) and (where := settings_default_on(self.ctx, value.attr.value)):
                    self.report(node, "settings", f"{message} ({name.rsplit('.', 1)[-1]}({keyword}="
                                                  f"{self.ctx.code_of(value)}), whose default is True in {where})")
                    break

    def _config_key(self, node: cst.Assign | cst.Call) -> None:
        """A configuration key of ``CONFIG_KEYS`` set to ``True``: ``SQLALCHEMY_ECHO = True`` (a config class or
        module), ``app.config["SQLALCHEMY_ECHO"] = True``, ``app.config.update(SQLALCHEMY_ECHO=True)``."""
        pairs: list[tuple[str, cst.BaseExpression]] = []
        if isinstance(node, cst.Assign):
            for target in node.targets:
                t = target.target
                if isinstance(t, cst.Name):
                    pairs.append((t.value, node.value))
                elif isinstance(t, cst.Subscript) and len(t.slice) == 1 and \
                        isinstance(t.slice[0].slice, cst.Index) and \
                        isinstance(t.slice[0].slice.value, cst.SimpleString):
                    pairs.append((t.slice[0].slice.value.value[1:-1], node.value))
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "update":
            pairs += [(a.keyword.value, a.value) for a in node.args if a.keyword is not None]
        for key, value in pairs:
            if key in self.CONFIG_KEYS and isinstance(value, cst.Name) and value.value == "True":
                self.report(node, "settings", f"{self.CONFIG_KEYS[key]} ({key} = True)")
                return


def handed_on(ctx: FileContext, call: cst.Call, param: str) -> cst.BaseExpression | None:
    """What the project's callers pass for ``param`` when ``call`` sits in a function (or a class's
    ``__init__``) that takes it: the keyword value of the first call site in the project that names it
    (``DatabaseHelper(url=..., echo=settings.db_echo)``), or None. One hop only."""
    index = index_of(ctx)
    owner = next((f for f in reversed(index.functions)
                  if any(p.name.value == param for p in [*f.params.params, *f.params.kwonly_params])
                  and any(n is call for n in walk(f))), None)
    if owner is None:
        return None
    callee = owner.name.value
    if callee == "__init__":
        cls = next((c for c in index.classes if any(n is owner for n in walk(c))), None)
        if cls is None:
            return None
        callee = cls.name.value
    for path in ctx.project.files_containing(f"{callee}("):
        if is_test_path(path):
            continue
        module = ctx.project.module(path)
        for node in walk(module) if module is not None else ():
            if isinstance(node, cst.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] == callee:
                value = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == param),
                             None)
                if value is not None:
                    return value
    return None


def settings_default_on(ctx: FileContext, field: str) -> str | None:
    """The path of the project's settings class that declares ``field`` on by default (``db_echo: bool = True``
    in a class deriving from ``BaseSettings`` or named ``*Settings``/``*Config``), or None. A value the
    environment may set is still on wherever nothing sets it: the default is what a fresh deploy runs."""
    for path in ctx.project.files_containing(field):
        if is_test_path(path):
            continue
        module = ctx.project.module(path)
        if module is None:
            continue
        for node in walk(module):
            if not isinstance(node, cst.ClassDef) or not _settings_class(node):
                continue
            for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
                for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                    target: cst.BaseExpression | None = None
                    value: cst.BaseExpression | None = None
                    if isinstance(small, cst.AnnAssign):
                        target, value = small.target, small.value
                    elif isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target, value = small.targets[0].target, small.value
                    if isinstance(target, cst.Name) and target.value == field and isinstance(value, cst.Name) \
                            and value.value == "True":
                        return path
    return None


def _settings_class(node: cst.ClassDef) -> bool:
    """A settings class: derives from pydantic's ``BaseSettings`` or is named ``...Settings``/``...Config``."""
    bases = {b.value.attr.value if isinstance(b.value, cst.Attribute) else
             b.value.value if isinstance(b.value, cst.Name) else "" for b in node.bases}
    return "BaseSettings" in bases or node.name.value.endswith(("Settings", "Config"))


class PromptOrChatLogged(_LogRule):
    """
    ## What it finds
    A logging call (`logging`, a logger, loguru, structlog, `print`, `warnings.warn`) whose arguments carry a
    user's prompt or chat messages: names such as `prompt`, `messages`, `user_message`, `chat_history`, and
    text read from the request (`request.args["msg"]`, a JSON `question` field) or a variable assigned from
    one, also inside f-strings, `%`/`.format` arguments and `extra=`.

    ## Why it matters
    Members type everything into a chatbot: health questions, contracts, other people's data. Logs are
    kept longer and read by more people (and vendors) than the database.

    ## Example
    ```python
    log.info(f"user said: {request.json['message']}")
    ```

    ## Fix
    Log ids, counts, status and latency instead (`request_id`, `len(messages)`, `usage.total_tokens`); if the
    content is needed for debugging, log it behind an opt-in flag to a store with short retention.
    """

    CODE = "LOG401"
    MESSAGE = "A user prompt or chat message is written to the log"
    SETTINGS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("langchain", "verbose", "LangChain prints every prompt and model answer to standard output, the server log"),
    )
    VALID: ClassVar[list[Example]] = [
        Example("import logging\nlog = logging.getLogger(__name__)\ndef chat(prompt):\n"
                "    log.info('prompt of %d chars', len(prompt))\n"),
        Example("import logging\nlogging.info('usage: %s', resp.usage.prompt_tokens)\n"),
        Example("from loguru import logger\ndef chat(request_id, messages):\n"
                "    logger.info('chat {} with {} messages', request_id, len(messages))\n"),
        Example("from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model='gpt-4o-mini', verbose=False)\n",
                path="app/llm.py"),
        Example("import logging, time\ndef chat(prompt):\n    prompt_start = time.time()\n    build(prompt)\n"
                "    prompt_end = time.time()\n    logging.warning(f'prompt built in {prompt_end - prompt_start:.3f}s')\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("import logging as log\ndef chat(prompt):\n    log.info('prompt: %s', prompt)\n", line=3),
        Example("from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model='gpt-4o-mini', verbose=True)\n",
                path="app/llm.py", line=2),
        Example("from flask import request\nimport logging\nlogger = logging.getLogger()\ndef reply():\n"
                "    text = request.args.get('msg', '')\n    logger.debug('guest said: ' + text)\n", line=6),
        Example("import structlog\nlog = structlog.get_logger()\ndef chat(body):\n"
                "    log.info('chat', messages=body.messages)\n", line=4),
        Example("def chat(user_message):\n    print(f'> {user_message}')\n", line=2),
    ]


class ModelOutputLogged(_LogRule):
    """
    ## What it finds
    A logging call whose arguments carry model output: the result of a model call in the same function
    (`client.chat.completions.create(...)`, a helper called with the user's text), or names such as
    `completion`, `answer`, `reply`, `llm_response`.

    ## Why it matters
    Answers repeat and summarise what the member wrote, and what retrieval pulled from other documents.

    ## Example
    ```python
    answer = client.chat.completions.create(...)
    logger.info("answer: %s", answer.choices[0].message.content)
    ```

    ## Fix
    Log ids, counts, status and latency instead (`request_id`, `len(messages)`, `usage.total_tokens`); if the
    content is needed for debugging, log it behind an opt-in flag to a store with short retention.
    """

    CODE = "LOG402"
    MESSAGE = "Model output is written to the log"
    VALID: ClassVar[list[Example]] = [
        # the provider's error body when the model API call failed (set 25 Chatbot-backend)
        Example("import requests\n\ndef ask(payload):\n    response = requests.post('https://api.openai.com/v1/chat/"
                "completions', json=payload)\n    if response.status_code == 200:\n"
                "        return response.json()['choices'][0]['message']['content']\n    else:\n"
                "        print('Error:', response.text)\n        return 'error'\n", path="app/chatbot.py"),
        Example("import logging\nimport requests\n\ndef ask(payload):\n    r = requests.post('https://api.openai.com/v1/"
                "chat/completions', json=payload)\n    if not r.ok:\n        logging.error('failed: %s', r.text)\n"
                "        return None\n    return r.json()['choices'][0]['message']['content']\n", path="app/chatbot.py"),
        Example("import logging\nfrom openai import OpenAI\ndef ask():\n    out = OpenAI().chat.completions.create()\n"
                "    logging.info('tokens: %s', out.usage.total_tokens)\n"),
        Example("import logging\ndef ask(completion_tokens):\n    logging.info('used %d', completion_tokens)\n"),
        Example("import logging\ndef ask(answer):\n    logging.info('answer length %d', len(answer))\n"),
        Example("from openai import OpenAI\nclient = OpenAI()\ndef clean(text):\n    print('length', len(text))\n"
                "    return text.strip()\ndef ask(q):\n    r = client.chat.completions.create(model='x', messages=[])\n"
                "    answer = r.choices[0].message.content\n    return clean(answer)\n"),
        Example("from openai import OpenAI\nclient = OpenAI()\ndef clean(text):\n    print('cleaning', text)\n"
                "    return text.strip()\ndef ask(q):\n    r = client.chat.completions.create(model='x', messages=[])\n"
                "    return clean(r.id)\n"),
        # the name re-bound to an exception's text in its own block holds that text only (set 23)
        Example("from openai import OpenAI\nclient = OpenAI()\ndef ask(q):\n    try:\n"
                "        r = client.chat.completions.create(model='x', messages=[])\n"
                "        if r.choices:\n            msg = r.choices[0].message.content\n            return msg\n"
                "    except Exception as e:\n        msg = f'model call failed: {e}'\n        print(msg)\n"
                "        return msg\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        # the success branch prints the answer
        Example("import requests\n\ndef ask(payload):\n    response = requests.post('https://api.openai.com/v1/chat/"
                "completions', json=payload)\n    if response.status_code == 200:\n"
                "        print(response.json()['choices'][0]['message']['content'])\n    else:\n"
                "        print('Error:', response.text)\n", path="app/chatbot.py", line=6),
        Example("import logging\nfrom openai import OpenAI\ndef ask():\n    out = OpenAI().chat.completions.create()\n"
                "    logging.info('got %s', out.choices[0].message.content)\n", line=5),
        Example("import logging\nlog = logging.getLogger()\ndef reply(guest_text):\n"
                "    answer = concierge.respond(guest_text)\n    log.info(f'bot answered: {answer}')\n", line=5),
        Example("def ask(llm_response):\n    print(llm_response)\n", line=2),
        Example("import openai, logging\ndef ask(q):\n    r = openai.ChatCompletion.create(messages=[q])\n"
                "    text = r['choices'][0]['message']['content'].strip()\n    logging.info(f'got {text}')\n",
                line=5),
        Example("import re\nfrom openai import OpenAI\nclient = OpenAI()\ndef extract_json(text):\n"
                "    match = re.search(r'```(.*?)```', text, re.S)\n    cleaned = match.group(1) if match else text\n"
                "    print('cleaned output:', cleaned)\n    return cleaned\ndef ask(q):\n"
                "    r = client.chat.completions.create(model='x', messages=[])\n"
                "    answer = r.choices[0].message.content\n    return extract_json(answer)\n", line=7),
        # "sanitized" of HTML, the answer is still the model's (attack 8)
        Example("from openai import OpenAI\nclient = OpenAI()\ndef ask(q):\n"
                "    r = client.chat.completions.create(model='x', messages=[])\n"
                "    sanitized_answer = r.choices[0].message.content.strip()\n"
                "    print('answer', sanitized_answer)\n", line=6),
        # a self-hosted model server's URL handed on through a local (set 23 FastAPI-Backend)
        Example("import requests\nfrom config import OLLAMA_REMOTE_URL\ndef ask(prompt):\n    url = OLLAMA_REMOTE_URL\n"
                "    response = requests.post(url, json={'model': 'llama3', 'prompt': prompt})\n"
                "    data = response.json()\n    print(f'Ollama API response: {data}')\n    return data['response']\n",
                line=7),
    ]


class PiiLogged(_LogRule):
    """
    ## What it finds
    A logging call whose arguments carry personal data: email addresses, phone numbers, full/first/last
    names, addresses, dates of birth, card numbers (by name, attribute, dictionary key or keyword), plus
    any names listed under `sensitive_names` in the launch-ready config; also a helper's parameter that a call
    site in another module passes such data (`send_welcome(user.email)` -> `def send_welcome(to)`).

    ## Why it matters
    Logs are shipped to third parties and kept for months; personal data in them is a breach waiting to
    be reported, and a GDPR deletion request cannot reach it.

    ## Example
    ```python
    logger.info("signup %s", user.email)
    ```

    ## Fix
    Log the user's id instead; if you need to correlate, log a keyed hash of the address.
    """

    CODE = "LOG403"
    MESSAGE = "Personal data (email, phone, name) is written to the log"
    SETTINGS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("sqlalchemy.create_engine", "echo", "SQLAlchemy logs every SQL statement with its parameters: emails, "
                                             "password hashes and chat messages reach the server log"),
        ("sqlalchemy.ext.asyncio.create_async_engine", "echo", "SQLAlchemy logs every SQL statement with its "
                                                               "parameters: emails, password hashes and chat "
                                                               "messages reach the server log"),
    )
    CONFIG_KEYS: ClassVar[dict[str, str]] = {
        "SQLALCHEMY_ECHO": "Flask-SQLAlchemy logs every SQL statement with its parameters: emails, password hashes "
                           "and chat messages reach the server log",
    }
    VALID: ClassVar[list[Example]] = [
        Example("import logging\ndef signup(user):\n    logging.info('signup %s', user.id)\n"),
        Example("import os\nclass Config:\n    SQLALCHEMY_ECHO = os.getenv('SQL_ECHO') == '1'\n", path="app/config.py"),
        Example("class DevConfig:\n    SQLALCHEMY_ECHO = True\n", path="tests/config.py"),
        Example("from sqlalchemy import create_engine\nengine = create_engine(DATABASE_URL, echo=settings.DEBUG)\n",
                path="app/db/session.py"),
        Example("from sqlalchemy import create_engine\nfrom app.settings import settings\n"
                "engine = create_engine(settings.db_url, echo=settings.db_echo)\n", path="app/db/session.py",
                files=(("app/settings.py", "from pydantic_settings import BaseSettings\n"
                        "class Settings(BaseSettings):\n    db_url: str = ''\n    db_echo: bool = False\n"),)),
        Example("from sqlalchemy import create_engine\nengine = create_engine(DATABASE_URL, echo=True)\n",
                path="tests/conftest.py"),
        Example("from sqlalchemy.ext.asyncio import create_async_engine\nclass DatabaseHelper:\n"
                "    def __init__(self, url, echo=False):\n        self.engine = create_async_engine(url=url, echo=echo)\n"
                "db_helper = DatabaseHelper(url='sqlite://', echo=False)\n", path="app/db.py"),
        Example("import logging\ndef signup(user):\n    logging.info('valid: %s', user.email_verified)\n"),
        Example("import discord\nbot = discord.Client(intents=discord.Intents.default())\n@bot.event\n"
                "async def on_ready():\n    print(f'{bot.user} has connected to Discord!')\n"),
        Example("import logging\ndef signup(email):\n    logging.info('signup %s', mask_email(email))\n"),
        Example("def report(owners, fn):\n    with open(fn, 'w') as fp:\n        for o in owners:\n"
                "            print(f'Owner: {o.email}', file=fp)\n"),
        Example("import logging\ndef send_welcome(to):\n    logging.info('welcome mail to %s', to)\n",
                path="app/mailer.py", files=(("app/routes.py", "from app.mailer import send_welcome\n"
                        "def signup(user):\n    send_welcome(user.id)\n"),)),
        # one field of a row unpacked: the login handle, not the member's name or email (set 22 Assignment)
        Example("def login_user(cursor, username):\n    user = cursor.fetchone()\n"
                "    user_id, username, password_hash = user\n    print(f'login attempt for {username}')\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("import logging\ndef signup(user):\n    logging.info('signup %s', user.email)\n", line=3),
        Example("import os\nclass Config:\n    SECRET_KEY = os.getenv('K')\n    SQLALCHEMY_ECHO = True\n",
                path="src/config.py", line=4),
        Example("from flask import Flask\napp = Flask(__name__)\napp.config['SQLALCHEMY_ECHO'] = True\n",
                path="app/__init__.py", line=3),
        Example("from flask import Flask\napp = Flask(__name__)\napp.config.update(SQLALCHEMY_ECHO=True)\n",
                path="app/__init__.py", line=3),
        Example("from sqlalchemy import create_engine\nengine = create_engine(DATABASE_URL, echo=True)\n",
                path="app/db/session.py", line=2),
        Example("from sqlalchemy.ext.asyncio import create_async_engine\nfrom app.settings import settings\n"
                "engine = create_async_engine(url=settings.db_url, echo=settings.db_echo)\n", path="app/db/session.py",
                line=3, files=(("app/settings.py", "from pydantic_settings import BaseSettings\n"
                                "class Settings(BaseSettings):\n    db_url: str = ''\n    db_echo: bool = True\n"),)),
        Example("from sqlalchemy.ext.asyncio import create_async_engine\nclass DatabaseHelper:\n"
                "    def __init__(self, url, echo=False):\n        self.engine = create_async_engine(url=url, echo=echo)\n"
                "db_helper = DatabaseHelper(url='sqlite://', echo=True)\n", path="app/db.py", line=4),
        Example("import sys\ndef signup(user):\n    print('signup', user.email, file=sys.stderr)\n", line=3),
        Example("def post(self, request):\n"
                "    username = request.user.profile.name if request.user.profile else request.user.email\n"
                "    print(f'Username: {username}')\n", path="psychai/views.py", line=3),
        Example("from loguru import logger\ndef signup(data):\n    logger.info('new member {}', data['phone_number'])\n",
                line=3),
        Example("import logging\nlog = logging.getLogger()\ndef signup(u):\n"
                "    log.info('signup', extra={'first_name': u.first_name})\n", line=4),
        Example("import logging\ndef send_welcome(to):\n    logging.info('welcome mail to %s', to)\n",
                path="app/mailer.py", line=3, files=(("app/routes.py", "from app.mailer import send_welcome\n"
                                "def signup(user):\n    send_welcome(user.email)\n"),)),
        Example("def login_user(cursor, username):\n    user = cursor.fetchone()\n"
                "    user_id, email, password_hash = user\n    print(f'login attempt for {email}')\n", line=4),
    ]


class CredentialLogged(_LogRule):
    """
    ## What it finds
    A logging call whose arguments carry a credential: a password, token, API key, secret, cookie or the
    `Authorization` header (`request.headers` as a whole included), or an environment variable named as one
    (`os.getenv("SMTP_PASSWORD")`, `settings.EMAIL_PASS`, `os.environ` whole). Counts, ids and whether a key
    is set are fine: `token_count`, `max_tokens`, `request_id`, `bool(os.getenv("OPENAI_API_KEY"))`.

    ## Why it matters
    Anyone who can read the logs (support staff, a log vendor, an attacker with read access) can log in as
    the user or spend the key.

    ## Example
    ```python
    log.debug("auth header %s", request.headers.get("Authorization"))
    ```

    ## Fix
    Never log credentials; log whether one was present, or the last 4 characters at most.
    """

    CODE = "LOG404"
    MESSAGE = "A password, token, API key or Authorization header is written to the log"
    VALID: ClassVar[list[Example]] = [
        Example("import logging\ndef call(max_tokens, token_count):\n"
                "    logging.info('%d of %d', token_count, max_tokens)\n"),
        Example("import logging\ndef login(user):\n    logging.info('login ok for %s', user.id)\n"),
        Example("import logging\ndef auth(api_key):\n    logging.info('key present: %s', bool(api_key))\n"),
        # a local whose name says the secret was taken out (set 23 FastAPI-Backend)
        Example("import logging, os\nDATABASE_URL = os.getenv('DATABASE_URL')\nmasked_url = DATABASE_URL\n"
                "if '@' in DATABASE_URL:\n    scheme, rest = DATABASE_URL.split('://', 1)\n"
                "    user = rest.split(':', 1)[0]\n    masked_url = f\"{scheme}://{user}:****@{rest.split('@', 1)[1]}\"\n"
                "logging.info(f'Database URL: {masked_url}')\n"),
        Example("import os\nprint('OPENAI_API_KEY loaded?', bool(os.getenv('OPENAI_API_KEY')), os.getenv('PORT'))\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        # a plain copy under a masking name is not masked (attack 8)
        Example("import logging\ndef call(token):\n    sanitized_token = token\n"
                "    logging.info('calling with %s', sanitized_token)\n", line=4),
        Example("import logging\ndef login(password):\n    logging.debug('pw=%s', password)\n", line=3),
        Example("from flask import request\nimport logging\ndef hook():\n"
                "    logging.info('auth %s', request.headers.get('Authorization'))\n", line=4),
        Example("import os\nprint('key', os.environ['OPENAI_API_KEY'])\n", line=2),
        Example("import logging\nlogger = logging.getLogger()\nlogger.info('cfg %s', settings.openai_api_key)\n",
                line=3),
        Example("import os\nprint('smtp', os.getenv('SMTP_PASSWORD'))\n", line=2),
    ]


class RequestBodyLogged(_LogRule):
    """
    ## What it finds
    A logging call that writes a whole request body or request fields: `request.json`, `request.get_json()`,
    `request.data`, `request.form`, `await request.body()`, `await request.json()`, a FastAPI body model
    parameter, or a variable assigned from one of them.

    ## Why it matters
    A body holds whatever the client sent: messages, emails, passwords on the login form, uploaded text.
    Logging it logs all of them at once.

    ## Example
    ```python
    data = request.get_json()
    app.logger.info("payload %s", data)
    ```

    ## Fix
    Log the fields you need by name (ids, sizes), never the body.
    """

    CODE = "LOG405"
    MESSAGE = "A whole request body or request data is written to the log"
    VALID: ClassVar[list[Example]] = [
        # uploaded files print as their names and content types (set 25 tool_juggler)
        Example("from flask import Flask, request\napp = Flask(__name__)\n\n@app.post('/upload')\ndef upload():\n"
                "    print(request.files)\n    return 'ok'\n"),
        Example("from flask import request\nimport logging\ndef h():\n"
                "    logging.info('body bytes %d', len(request.data))\n"),
        Example("from flask import request\nimport logging\ndef h():\n    data = request.get_json()\n"
                "    logging.info('chat %s', data['chat_id'])\n"),
        Example("import logging\ndef h(request):\n    logging.info('%s %s', request.method, request.path)\n"),
        Example("import logging\ndef post(self, request):\n    s = ChatSerializer(data=request.data)\n"
                "    if not s.is_valid():\n        logging.warning('invalid: %s', s.errors)\n"),
        Example("def get(self, request, pk):\n    s = ChatSerializer(Chat.objects.get(pk=pk))\n    print(s.data)\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("from flask import request, current_app\ndef h():\n    data = request.get_json()\n"
                "    current_app.logger.info('payload %s', data)\n", line=4),
        Example("import logging\nasync def h(request):\n    logging.debug(await request.body())\n", line=3),
        Example("from fastapi import FastAPI\nimport logging\napp = FastAPI()\n@app.post('/chat')\n"
                "def chat(payload: ChatIn):\n    logging.info('in: %s', payload)\n", line=6),
        Example("import logging\ndef h(request):\n    logging.info('form %s', request.POST)\n", line=3),
        Example("def post(self, request):\n    serializer = MessageSerializer(data=request.data)\n"
                "    serializer.is_valid(raise_exception=True)\n    print(serializer.data)\n", line=4),
        Example("import logging\ndef contact(request):\n    form = ContactForm(request.POST)\n"
                "    if form.is_valid():\n        logging.info('contact %s', form.cleaned_data)\n", line=5),
    ]


RULES: tuple[type[PythonRule], ...] = (PromptOrChatLogged, ModelOutputLogged, PiiLogged, CredentialLogged,
                                       RequestBodyLogged)
