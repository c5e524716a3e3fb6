"""Logging recall on real chatbot shapes (Python): a credential read from the environment logged (LOG404), and
personal data handed to a helper in another module that logs the parameter receiving it (LOG403)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner import api
from scanner.config import Config

from tests.rules.python.helpers import lines_of, run

LOG = "import logging\nimport os\nlogger = logging.getLogger(__name__)\n"


# --- LOG404: environment reads named as credentials ----------------------------------------------------------

@pytest.mark.parametrize(
    "line",
    [
        "print(os.getenv('SMTP_PASSWORD'))",
        "print('🔑 DEBUG - Loaded API Key:', os.getenv('OPENAI_API_KEY'))",
        "logger.info('email pass %s', os.environ['EMAIL_PASS'])",
        "logger.debug(f\"token={os.environ.get('HF_TOKEN')}\")",
        "print(f'secret: {getenv(\"JWT_SECRET\")}')",
        "print('key', config('STRIPE_SECRET_KEY'))",
        "logger.debug('env: %s', dict(os.environ))",
        "logger.info('smtp %s', settings.EMAIL_PASS)",
    ],
)
def test_env_credential_logged(line: str) -> None:
    code = LOG + "from os import getenv\nfrom decouple import config\n" + line + "\n"
    assert lines_of(run(code), "LOG404") == [6]


def test_env_credential_bound_to_a_name_then_logged() -> None:
    code = LOG + "def setup():\n    key = os.getenv('OPENAI_API_KEY')\n    print(key)\n"
    assert lines_of(run(code), "LOG404") == [6]


@pytest.mark.parametrize(
    "line",
    [
        "print('OPENAI_API_KEY loaded?', bool(os.getenv('OPENAI_API_KEY')))",
        "print(f\"key loaded: {'YES' if os.getenv('OPENAI_API_KEY') else 'NO'}\")",
        "logger.info('port %s env %s', os.getenv('PORT'), os.environ.get('ENV'))",
        "logger.info('model %s', os.getenv('MODEL_NAME', 'gpt-4o'))",
        "logger.info('admin %s', os.getenv('ADMIN_EMAIL'))",
        "print('expires in', os.getenv('JWT_EXPIRES_IN'), os.getenv('TOKEN_LIMIT'))",
        "print('key length', len(os.getenv('OPENAI_API_KEY', '')))",
        "print('env keys', list(os.environ.keys()))",
        "logger.info('smtp %s:%s', settings.EMAIL_HOST, settings.EMAIL_PORT)",
    ],
)
def test_env_check_not_flagged(line: str) -> None:
    code = LOG + line + "\n"
    assert [f.rule_id for f in run(code).findings] == []


# --- LOG403: personal data handed to a helper in another module -----------------------------------------------

ROUTES = ("from flask import Flask\nfrom flask_login import current_user\n{imports}\napp = Flask(__name__)\n\n"
          "@app.post('/signup')\ndef signup():\n    {call}\n    return 'ok'\n")
MAILER = "import logging\nlogger = logging.getLogger(__name__)\n\n{body}"


@pytest.mark.parametrize(
    ("imports", "call", "body"),
    [
        ("from app.mailer import send_welcome", "send_welcome(current_user.email)",
         "def send_welcome(to):\n    logger.info(f'sending welcome to {to}')  # LOG\n"),
        ("from . import mailer", "mailer.send_welcome(current_user.email, 'Welcome')",
         "def send_welcome(dest, subject):\n    print('mail', subject, 'to', dest)  # LOG\n"),
        ("from app.mailer import log_activity", "log_activity(current_user, 'signup')",
         "def log_activity(u, action):\n    logger.info('activity %s by %s', action, u)  # LOG\n"),
        ("from app.mailer import send_code", "send_code(to=form['phone_number'], code=code)",
         "def send_code(to, code):\n    logger.info('sms to %s', to)  # LOG\n"),
    ],
)
def test_pii_handed_to_helper_logged(imports: str, call: str, body: str) -> None:
    mailer = MAILER.format(body=body)
    routes = ROUTES.format(imports=imports, call=call)
    result = run(mailer, "app/mailer.py", files=(("app/routes.py", routes),))
    assert lines_of(result, "LOG403") == [mailer[:mailer.index("# LOG")].count("\n") + 1]
    assert "receives `" in result.findings[0].message and "in app/routes.py line 8" in result.findings[0].message


@pytest.mark.parametrize(
    ("imports", "call", "body"),
    [
        ("from app.mailer import send_welcome", "send_welcome(current_user.id)",
         "def send_welcome(to):\n    logger.info(f'sending welcome to {to}')\n"),
        ("from app.mailer import send_welcome", "send_welcome(current_user.email)",
         "def send_welcome(to):\n    logger.info('sending welcome mail')\n"),
        ("from app.other import send_welcome", "send_welcome(current_user.email)",
         "def send_welcome(to):\n    logger.info(f'sending welcome to {to}')\n"),
        ("from app.mailer import log_activity", "log_activity(current_user, 'signup')",
         "def log_activity(u, action):\n    logger.info('activity %s by %s', action, u.id)\n"),
    ],
)
def test_pii_handed_to_helper_not_logged(imports: str, call: str, body: str) -> None:
    mailer = MAILER.format(body=body)
    routes = ROUTES.format(imports=imports, call=call)
    result = run(mailer, "app/mailer.py", files=(("app/routes.py", routes),))
    assert lines_of(result, "LOG403") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("def send_welcome(to):\n    print('sending to', to)\n", [("LOG403", "app/mailer.py", 2)]),
        ("def send_welcome(to):\n    logger.info('to %s', to)\n", [("LOG403", "app/mailer.py", 2)]),
        ("def send_welcome(to):\n    print('welcome mail queued')\n", []),
    ],
)
def test_a_helper_with_no_sensitive_word_is_parsed_when_a_route_hands_it_pii(
        tmp_path: Path, body: str, expected: list[tuple[str, str, int]]) -> None:
    """Through the whole engine, prefilter included: mailer.py has no sensitive word near its log call, so only
    the call site in routes.py makes it worth parsing."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "mailer.py").write_text(body)
    (tmp_path / "app" / "routes.py").write_text(ROUTES.format(imports="from app.mailer import send_welcome",
                                                              call="send_welcome(current_user.email)"))
    result = api.scan(tmp_path, Config(), api.ScanOptions(engines=("python",), families=("logging",), jobs=1))
    assert [(f.rule_id, f.location.path, f.location.line) for f in result.findings] == expected


# --- set 17: a signed URL is a bearer credential; a regex match of model output is that output ---------------

def test_signed_url_logged() -> None:
    code = LOG + ("def fetch(path):\n    response = storage.from_('documents').download_link(path)\n"
                  "    signed_url = response['signedURL']\n    print(f'Created signed URL: {signed_url}')\n"
                  "    logger.info('url %s', presigned_url)\n")
    assert lines_of(run(code), "LOG404") == [7, 8]


def test_file_url_and_url_count_not_flagged() -> None:
    code = LOG + ("def fetch(path):\n    url = bucket.public_url(path)\n    print(f'file url: {url}')\n"
                  "    logger.info('signed urls made: %d', len(signed_urls))\n")
    assert [f.rule_id for f in run(code).findings] == []


def test_regex_piece_of_model_output_logged() -> None:
    code = LOG + ("import re\nfrom openai import OpenAI\nclient = OpenAI()\n\ndef formula(prompt):\n"
                  "    answer = client.chat.completions.create(model='m', messages=[prompt])"
                  ".choices[0].message.content\n"
                  "    found = re.search(r'=(.*\\))', answer)\n"
                  "    formula = found.group(0) if found else 'none'\n    print('formula:', formula)\n")
    assert lines_of(run(code), "LOG402") == [12]


def test_oauth_profile_logged() -> None:
    code = LOG + ("def facebook_logged_in(blueprint, token):\n    resp = facebook.get('/me')\n"
                  "    info = resp.json()\n    print(info)\n    print(info['id'])\n"
                  "    logger.info('%s', google.get('/oauth2/v2/userinfo').json())\n")
    assert lines_of(run(code), "LOG403") == [7, 9]


def test_other_api_answers_not_flagged() -> None:
    code = LOG + ("def sync():\n    resp = api.get('/users/count')\n    print(resp.json())\n"
                  "    print(client.get('/health').json())\n")
    assert [f.rule_id for f in run(code).findings] == []


# --- set 18: a logger.debug call writes nothing when the project sets every logging level to INFO or above ----

DEBUG_CALL = ("import logging\nlogger = logging.getLogger(__name__)\n\ndef ask(user_query):\n"
              "    logger.debug(f'query: {user_query}')\n    logger.info(f'query: {user_query}')\n")


@pytest.mark.parametrize(
    ("config", "lines"),
    [
        ("import logging\nlogging.basicConfig(level=logging.INFO)\n", [6]),
        ("LOGGING = {'version': 1, 'root': {'handlers': ['console'], 'level': 'INFO'}}\n", [6]),
        ("import logging\nlogging.basicConfig(level=logging.DEBUG)\n", [5, 6]),
        ("import logging, os\nlogging.basicConfig(level=os.getenv('LOG_LEVEL', 'INFO'))\n", [5, 6]),
        ("LOGGING = {'root': {'level': 'INFO'}, 'loggers': {'app': {'level': 'DEBUG'}}}\n", [5, 6]),
        ("", [5, 6]),
    ],
)
def test_debug_calls_follow_the_configured_level(config: str, lines: list[int]) -> None:
    files = (("core/settings.py", config),) if config else ()
    assert lines_of(run(DEBUG_CALL, "chat/service.py", files), "LOG401") == lines


def test_loguru_debug_is_written_by_default() -> None:
    code = ("from loguru import logger\n\ndef ask(user_query):\n    logger.debug(f'query: {user_query}')\n")
    files = (("core/settings.py", "import logging\nlogging.basicConfig(level=logging.INFO)\n"),)
    assert lines_of(run(code, "chat/service.py", files), "LOG401") == [4]


# --- set 18 gemini_chat_api: a decoded token's claims are no credential; a Stripe event is the payer's data ------

def test_decoded_claims_are_not_the_token() -> None:
    code = LOG + ("import jwt\n\ndef current(token):\n    print(f'token: {token}')\n"
                  "    payload = jwt.decode(token, KEY, algorithms=['HS256'])\n    print(f'claims: {payload}')\n")
    assert [(f.rule_id, f.location.line) for f in run(code).findings] == [("LOG404", 7)]


def test_stripe_checkout_session_logged() -> None:
    code = LOG + ("import stripe\n\ndef hook(payload, sig):\n"
                  "    event = stripe.Webhook.construct_event(payload, sig, SECRET)\n    print('type', event['type'])\n"
                  "    session = event['data']['object']\n    print('session', session)\n"
                  "    print('metadata', session.get('metadata', {}))\n"
                  "    print('email', session['customer_details']['email'])\n")
    assert lines_of(run(code), "LOG403") == [10, 12]


def test_a_document_loader_runs_no_model() -> None:
    """Set 18 AI_chatbot: a RAG module printing its static knowledge file at import."""
    code = ("from langchain_community.document_loaders import TextLoader\n"
            "from langchain.text_splitter import RecursiveCharacterTextSplitter\n\n"
            "docs = TextLoader('app/data.txt').load()\nprint(docs[0].page_content[:300])\n"
            "chunks = RecursiveCharacterTextSplitter(chunk_size=500).split_documents(docs)\n"
            "print(chunks[0].page_content[:300])\n")
    assert [f.rule_id for f in run(code, "app/rag_engine.py").findings] == []


def test_a_stripe_subscription_holds_no_personal_data() -> None:
    """Set 17 IQSheets: ``stripe.Subscription.list(customer=...)`` answers ids, plan and dates."""
    code = LOG + ("import stripe\n\ndef plan(customer_id):\n"
                  "    subscription = stripe.Subscription.list(customer=customer_id)['data'][0]\n"
                  "    print(subscription)\n")
    assert [f.rule_id for f in run(code).findings] == []


def test_a_presigned_url_named_url_is_still_the_credential() -> None:
    """Attack: ``url = s3.generate_presigned_url(...)`` (``url`` alone names nothing secret)."""
    code = LOG + ("def link(key):\n    url = s3.generate_presigned_url('get_object', Params={'Key': key})\n"
                  "    logger.info('link %s', url)\n    download_url = s3.generate_presigned_url('get_object')\n"
                  "    print(download_url)\n    page_url = build_page(key)\n    print(page_url)\n")
    assert lines_of(run(code), "LOG404") == [6, 8]


@pytest.mark.parametrize(
    "config",
    [
        "import logging\nlogging.basicConfig(level=logging.INFO)\nlogging.getLogger().setLevel(10)\n",
        "import logging.config\nlogging.basicConfig(level=logging.INFO)\nlogging.config.fileConfig('logging.ini')\n",
        "import logging.config, yaml\nlogging.config.dictConfig(yaml.safe_load(open('log.yaml')))\n",
    ],
)
def test_debug_turned_on_where_the_reading_cannot_see_is_written(config: str) -> None:
    """Attack: a numeric DEBUG level, or a logging configuration read from a file."""
    assert lines_of(run(DEBUG_CALL, "chat/service.py", (("core/logs.py", config),)), "LOG401") == [5, 6]


def test_a_rotated_key_logged_from_its_list() -> None:
    """Set 19 ai_study_assitant: ``for key in GEMINI_KEYS`` over ``os.getenv("GOOGLE_API_KEY_1")``... then
    ``logger.warning(f"Rate limit hit for key {key}")``; a dict's keys are no credential."""
    code = LOG + ("KEYS = [os.getenv('GOOGLE_API_KEY_1'), os.getenv('GOOGLE_API_KEY_2')]\n\n\ndef ask():\n"
                  "    for key in KEYS:\n        logger.warning(f'Rate limit hit for key {key}')\n"
                  "    for key in {'a': 1}:\n        logger.info('key %s', key)\n")
    assert lines_of(run(code), "LOG404") == [9]


def test_an_entry_of_a_set_of_keys_logged() -> None:
    """Set 20 Study_Helper: ``print(config["Api_keys"]["Gemini"])`` at import; a count of them is no key."""
    code = ("import tomllib\n\nwith open('config.toml', 'rb') as f:\n    config = tomllib.load(f)\n\n"
            "print(config['Api_keys']['Gemini'])\nprint(len(config['Api_keys']))\nprint(config['App']['name'])\n")
    assert lines_of(run(code, "app.py"), "LOG404") == [6]
