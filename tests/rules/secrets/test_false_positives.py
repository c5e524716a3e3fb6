"""Look-alikes the secrets engine must stay silent on: placeholders, env-variable names, public-by-design
keys, lockfile and SRI hashes, revision hashes, UUIDs, build metadata."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.rules.secrets.keys import ALNUM, B64, HEX, URLSAFE, jwt, rand
from tests.rules.secrets.test_detectors import scan

PLACEHOLDERS = [
    "ANTHROPIC_API_KEY=sk-ant-...your-key-here",
    "OPENAI_API_KEY=sk-proj-...your-key-here",
    "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "STRIPE_SECRET_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
    "STRIPE_SECRET_KEY=sk_live_000000000000000000000000",
    "STRIPE_SECRET_KEY=sk_live_abababababababababababab",
    "OPENAI_API_KEY=<OPENAI_KEY>",
    'openai_key = "<OPENAI_API_KEY>"',
    "OPENAI_API_KEY=${OPENAI_API_KEY}",
    'api_key = "${OPENAI_API_KEY}"',
    "GROQ_API_KEY=gsk_FAKE" + rand(ALNUM, 48),
    "GROQ_API_KEY=gsk_" + rand(ALNUM, 20) + "EXAMPLE" + rand(ALNUM, 25),
    "HF_TOKEN=hf_DUMMY" + "abcdefghijklmnopqrstuvwxyzabcd",
    "REPLICATE_API_TOKEN=r8_PLACEHOLDER" + rand(ALNUM, 26),
    "GITHUB_TOKEN=ghp_" + "x" * 36,
    "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    'password = "changeme"',
    'DB_PASSWORD = "your-password-here"',
    'SECRET_KEY = "{{ secret_key }}"',
    "-----BEGIN PRIVATE KEY-----",
]


@pytest.mark.parametrize("line", PLACEHOLDERS)
def test_placeholder(line: str) -> None:
    assert scan(line, "app/settings.py") == []
    assert scan(line, ".env") == []


def test_env_example_with_empty_and_placeholder_values() -> None:
    text = "\n".join([
        "# Copy to .env.local and fill in your own values",
        "OPENAI_API_KEY=",
        "ANTHROPIC_API_KEY=sk-ant-...your-key-here",
        "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "DATABASE_URL=postgresql://USER:PASSWORD@HOST:5432/DBNAME",
        "NEXTAUTH_SECRET=changeme",
        "JWT_SECRET=replace-with-a-long-random-string",
        "SESSION_SECRET=generate_with_openssl_rand",
    ])
    assert scan(text, ".env.example") == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("server/providers.py", 'KEY = os.environ["OPENAI_API_KEY"]\nT = os.environ.get("HF_TOKEN")'),
        ("server/settings.py", 'api_key = os.getenv("OPENAI_API_KEY")\npassword = settings.DB_PASSWORD'),
        ("lib/provider-config.ts", 'export const providerKeyEnv = {\n  openai: "OPENAI_API_KEY",\n'
                                   '  anthropic: "ANTHROPIC_API_KEY",\n} as const;'),
        ("lib/ai.ts", "const apiKey = process.env.OPENAI_API_KEY!;\nconst token: string = req.body.t;"),
        ("lib/auth.ts", 'const password = formData.get("password");\nconst secret = getSecret();'),
        ("app/models.py", "password = models.CharField(max_length=128)\ntoken = request.headers['x-token']"),
        ("docker-compose.yml", "    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n"
                               "      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}"),
        (".github/workflows/ci.yml", "        env:\n          OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}"),
    ],
)
def test_code_that_only_names_an_env_variable(path: str, text: str) -> None:
    assert scan(text, path) == []


def _sri() -> str:
    """A sha512 integrity value with an ``AKIA`` + 16 run (and other vendor prefixes) inside the base64."""
    return "sha512-" + rand(B64, 20) + "AKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) + rand(B64, 10) \
        + "ghp_" + rand(ALNUM, 36) + "==".ljust(2, "=")


def test_package_lock_integrity() -> None:
    lock = {"name": "w", "lockfileVersion": 3, "packages": {
        f"node_modules/p{i}": {"version": "1.0.0", "resolved": f"https://registry.npmjs.org/p{i}/-/p{i}-1.0.0.tgz",
                               "integrity": _sri()} for i in range(20)}}
    assert scan(json.dumps(lock, indent=2), "package-lock.json") == []


def test_yarn_and_pnpm_lock_integrity() -> None:
    yarn = "\n".join(f'p{i}@^1.0.0:\n  version "1.0.0"\n  integrity {_sri()}\n' for i in range(10))
    pnpm = "\n".join(f"  /p{i}@1.0.0:\n    resolution: {{integrity: {_sri()}}}" for i in range(10))
    assert scan(yarn, "yarn.lock") == []
    assert scan(pnpm, "pnpm-lock.yaml") == []


def test_html_sri_integrity_in_any_file() -> None:
    html = f'<script src="https://cdn.example.net/x.js" integrity="{_sri().replace("sha512", "sha384")}" ' \
           'crossorigin="anonymous"></script>'
    assert scan(html, "index.html") == []
    assert scan(html, "templates/base.jinja") == []


def test_revision_hashes_and_uuids() -> None:
    text = "\n".join([
        f'commit_sha = "{rand(HEX, 40)}"',
        f"revision: {rand(HEX, 40)}",
        f'rev = "{rand(HEX, 40)}"',
        f'request_id = "{uuid.uuid4()}"',
        f'client_id = "{uuid.uuid4()}"',
        f'token_id = "{uuid.uuid4()}"',
        f"# fixed in {rand(HEX, 12)}",
    ])
    assert scan(text, "app/meta.py") == []
    assert scan(f"  rev: {rand(HEX, 40)}", ".pre-commit-config.yaml") == []


def test_tsbuildinfo() -> None:
    infos = [{"version": rand(HEX, 64), "signature": rand(HEX, 64)} for _ in range(5)]
    info = {"program": {"fileInfos": infos, "options": {"composite": True}}, "version": "5.4.5"}
    assert scan(json.dumps(info), "tsconfig.tsbuildinfo") == []


def test_public_keys_are_not_secrets() -> None:
    lines = [
        "-----BEGIN PUBLIC KEY-----",
        rand(B64, 64),
        "-----END PUBLIC KEY-----",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rand(B64, 43) + " dev@laptop",
    ]
    assert scan("\n".join(lines), "keys/deploy.pub") == []


def test_pragma_free_look_alikes_in_prose() -> None:
    text = "\n".join([
        "Keys look like sk-proj-… or sk-ant-api03-…; never commit them.",
        "Set OPENAI_API_KEY in .env.local (see .env.example).",
        "The publishable key (pk_live_...) is safe in the browser.",
        "Connection string: postgresql://user:password@host:5432/db",
    ])
    assert scan(text, "README.md") == []


def test_short_random_values_are_not_generic_secrets() -> None:
    assert scan(f'cache_key = "{rand(URLSAFE, 10)}"\ntoken_type = "bearer"', "app/cache.py") == []


def test_supabase_cli_local_demo_service_role_key() -> None:
    """The Supabase CLI's local stack uses the same published demo keys everywhere (seen in chatbot-ui's
    migrations): not a leak."""
    line = f"  service_role_key TEXT := '{jwt('service_role', 'supabase-demo')}'; -- local storage access"
    assert scan(line, "supabase/migrations/20240108234540_setup.sql") == []


def test_identifier_values_are_names_not_secrets() -> None:
    """chatbot-ui maps env names to column names: ``[VALID_ENV_KEYS.OPENAI_API_KEY]: "openai_api_key"``."""
    text = "\n".join([
        '    [VALID_ENV_KEYS.OPENAI_API_KEY]: "openai_api_key",',
        '    [VALID_ENV_KEYS.GROQ_API_KEY]: "groq_api_key",',
        '  const apiKeyField = { token: "accessToken", secret: "clientSecret" }',
    ])
    assert scan(text, "lib/server/server-chat-helpers.ts") == []


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("setup.cfg", "psycopg_async = postgresql+psycopg_async://scott:tiger@127.0.0.1:5432/test"),
        ("setup.cfg", "oracledb_async = oracle+oracledb_async://scott:tiger@oracle23c/freepdb1"),
        ("test/test_url.py", '"dbtype://username:apples%2Foranges@hostspec/database",'),
        ("lib/dialects/psycopg.py", '"postgresql+psycopg_async://scott:tiger@localhost/test"'),
        ("test/test_engine.py", 'create_engine("mockdialect+ocu://foo:bar@host/test")'),
        ("docker-compose.yml", "      - DATABASE_URL=postgresql://app:app_pw@db:5432/app"),
        ("database.py", 'DATABASE_URI = "postgresql://postgres:Pgdev2024@172.17.0.2:5432/rag_database"'),
    ],
)
def test_example_and_local_database_urls(path: str, line: str) -> None:
    """From scanning sqlalchemy: documentation hosts; loopback, compose and Docker-bridge hosts with weak
    passwords."""
    assert scan(line, path) == []


@pytest.mark.parametrize("host", ["db.example.net", "db.example.com", "example.org"])
def test_database_url_on_an_example_host_still_leaks_its_password(host: str) -> None:
    """Issue 11: placeholder filters judge the secret part only; the host does not make a password fake."""
    line = f"DATABASE_URL=postgres://app:Qm7vR2xkT9pL@{host}:5432/app"
    assert [f.rule_id for f in scan(line, "README.md")] == ["SEC191"]


@pytest.mark.parametrize("host", ["10.159.1.39", "192.168.20.5", "172.20.0.9"])
def test_database_url_on_a_private_network_leaks_its_password(host: str) -> None:
    """Set 25 (Chatbot-backend): a weak but real password to a database server on a company network."""
    line = f'DATABASE_URL = "postgresql+psycopg2://postgres:Wqsa%401234@{host}:5432/aiml_test"'
    assert [(f.rule_id, f.location.line) for f in scan(line, "app/database.py")] == [("SEC191", 1)]


def test_database_url_with_a_placeholder_password_is_not_reported() -> None:
    assert scan("DATABASE_URL=postgres://app:YOUR_PASSWORD@db.example.net:5432/app", "README.md") == []


def test_local_database_url_with_a_generated_password_is_reported() -> None:
    password = rand(ALNUM, 20) + "!"
    findings = scan(f"      - DATABASE_URL=postgresql://app:{password}@db:5432/app", "docker-compose.yml")
    assert [f.rule_id for f in findings] == ["SEC191"]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("docs/config.rst", f"    SECRET_KEY = '{rand(HEX, 64)}'"),
        ("README.md", f'export FLASK_SECRET_KEY="{rand(HEX, 32)}"'),
        ("src/flask/config.py", "        app.config.from_mapping(SECRET_KEY='development key')"),
        ("tests/conftest.py", '        SECRET_KEY="test key",'),
        ("lib/dialects/pyodbc.py", '        password="tiger",'),
        ("test/orm/test_basic.py", '        a.password = "sasdf"'),
    ],
)
def test_generic_values_in_docs_short_or_phrases(path: str, line: str) -> None:
    """From scanning flask and sqlalchemy: generic keyword values in documentation, short test passwords and
    phrases with spaces are examples, not secrets."""
    assert scan(line, path) == []


@pytest.mark.parametrize(
    "line",
    [
        '"mssql+pyodbc://scott:tiger@myhost:port/databasename?driver=ODBC+Driver+17+for+SQL+Server"',
        '"mysql+mysqldb://scott:tiger@192.168.0.134/test",',
        "postgresql+pg8000://dbuser:kx%40jj5%2Fg@pghost10/appdb",
        'engine = create_engine("oracle+oracledb://scott:tiger@hostname:port/sid")',
        '("postgresql+D://U:P@H:P/DB", True),',
    ],
)
def test_documented_connection_strings(line: str) -> None:
    """From scanning sqlalchemy's dialect docstrings: ``hostname:port`` placeholders, private addresses and
    escaped example passwords."""
    assert scan(line, "lib/sqlalchemy/dialects/doc.py") == []


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("backend/chainlit/translations/da-DK.json", '        "apiKeys": "API-nøgler",'),
        ("web/locales/de.json", '  "password": "Passwort eingeben",'),
        ("backend/tests/data/test_gcs.py", '            private_key="test-key",'),
        ("backend/app/settings_check.py", '    "API_KEY": "sk-123456",'),
        ("backend/app/oauth.py", '    "OAUTH_AUTH0_CLIENT_SECRET": "auth0_secret",'),
        ("src/auth.test.ts", 'const password = "Zq8hunterXYZ2a";'),
        (".github/workflows/tests.yaml", "          secrets_env: production"),
    ],
)
def test_generic_values_in_tests_translations_and_test_words(path: str, line: str) -> None:
    """From scanning chainlit: translations, test files and test-marked values are not generic secrets."""
    assert scan(line, path) == []


def test_a_marker_word_inside_a_random_key_body_does_not_hide_the_key() -> None:
    from scanner.keys.placeholders import is_placeholder

    body = "aB7Todo9xQ2Zp4LmN8vR1sT6wY3"
    assert not is_placeholder("ghp_" + body + "Hq0Jc5Fd")
    assert is_placeholder("sk-proj-your-key-here")
    assert is_placeholder("FAKE_KEY_1234567890abcdef")


def test_placeholder_filters_keep_generated_values() -> None:
    """A generated Django key, a symbol-rich password and short random numbers are not placeholders; bracketed
    names, %-format fields and repeated units still are."""
    from scanner.keys.placeholders import is_placeholder, low_entropy

    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
    body = "".join(alphabet[(7 * i + 3) % len(alphabet)] for i in range(48))
    django_key = body[:20] + "%(" + body[20:]  # get_random_secret_key()'s alphabet gives "%(" in 2% of keys
    assert not is_placeholder(django_key)
    assert not is_placeholder("Qm7>vT2#kL9wZ")  # a lone ">" in a generated password
    assert not is_placeholder("n4<Rt8pW1e")  # a lone "<"
    # random digit and hex values a fixed 2.5-bit threshold dropped (their alphabets give them less entropy)
    assert not low_entropy("38323640")
    assert not low_entropy("514547527720")
    assert not low_entropy("525481454212")
    assert not low_entropy("b2b19b8f89")
    assert not low_entropy("acdd7f9fcc")
    assert is_placeholder("<YOUR_API_KEY>")
    assert is_placeholder("sk-<insert key here>")
    assert is_placeholder("%(db_password)s")
    assert is_placeholder("qwerqwer")
    assert is_placeholder("deadbeefdeadbeef")
    assert is_placeholder("secretsecret")
    assert is_placeholder("11112222")


def test_an_example_env_file_that_commits_real_key_material() -> None:
    """``.env.production.example`` with the production JWT secret (128 hex) and a Cloudinary API secret (set 17):
    values shaped like generated key material are leaks even in an example file; placeholders stay silent."""
    jwt_secret = rand(HEX, 128)
    cloud = rand(ALNUM, 12) + "-" + rand(ALNUM, 14)
    text = "\n".join([
        "NODE_ENV=production",
        f"JWT_SECRET={jwt_secret}",
        "SESSION_SECRET=replace-with-a-long-random-string-of-64-characters",
        f"CLOUDINARY_API_SECRET={cloud}",
        "NEXTAUTH_SECRET=your-nextauth-secret-goes-here-please",
    ])
    found = scan(text, "backend/.env.production.example")
    assert sorted((f.rule_id, f.location.line) for f in found) == [("SEC190", 2), ("SEC190", 4)]
