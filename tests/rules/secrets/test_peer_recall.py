"""Issue 11's peer-suite work: hard-coded passwords in code, ``.npmrc`` credentials, Discord tokens, armored keys,
UUID secrets, the eight vendor formats SEC134-SEC141, and the filters that keep peer negatives and real-code
look-alikes out (TESTKEY/FAKEKEY tails, ``AP…`` Artifactory shapes, altered OpenAI markers, Datadog client
tokens, kebab-case resource names, GitLab and PyPI bounds). Keys are built at test time from each format."""

from __future__ import annotations

import base64
import string
import uuid

import pytest

from tests.rules.secrets.keys import ALNUM, B64, HEX, URLSAFE, pem_body, rand
from tests.rules.secrets.test_detectors import scan

LOWER_DIGITS = string.ascii_lowercase + string.digits


def _rules(text: str, path: str = "app/config.py") -> list[tuple[str, int]]:
    return [(f.rule_id, f.location.line) for f in scan(text, path)]


def _pw() -> str:
    """A password-shaped literal: letters and digits, no marker word."""
    return rand(ALNUM, 11) + "7k"


# ---- hard-coded passwords and secrets in code (SEC190, CodePasswordDetector) ----

CODE_PASSWORDS = [
    ("server/db.js", "const password = '{}';"),
    ("server/db.js", "obj['password'] = '{}';"),
    ("server/db.js", "config.db.pass = '{}';"),
    ("src/auth.ts", "if (password === '{}') {{ grantAdmin(); }}"),
    ("app/auth.py", 'if password == "{}":'),
    ("app/auth.py", 'doLogin(password="{}")'),
    ("app/settings.py", 'EMAIL_PASSWORD = "{}"'),
    ("app/settings.py", 'DATABASES = {{"default": {{"PASSWORD": "{}"}}}}'),
    ("app/models.py", '    admin_password: str = "{}"'),
    ("app/main.go", 'dbPassword := "{}"'),
    ("app/Login.php", "$config = ['password' => '{}'];"),
    ("app/db.py", 'DB_PASSWORD = os.getenv("DB_PASSWORD", "{}")'),
]


@pytest.mark.parametrize(("path", "template"), CODE_PASSWORDS)
def test_literal_password_in_code_is_sec190(path: str, template: str) -> None:
    secret = _pw()
    findings = scan(template.format(secret), path)
    assert [f.rule_id for f in findings] == ["SEC190"]
    assert secret not in findings[0].snippet


@pytest.mark.parametrize("value", ["1212", "12211", "blerg", "Tr0ub4dor&3"])
def test_short_literal_passwords_count(value: str) -> None:
    assert _rules(f"password = '{value}';", "server/db.js") == [("SEC190", 1)]


@pytest.mark.parametrize(
    "line",
    [
        "angular.module('app').constant('api_key', '{}')",
        "config('APIKEY', '{}')",
        "client_secret = '{}'",
        "const secretKey = '{}';",
        "settings.set('api_key', '{}');",
    ],
)
def test_literal_secret_in_code_is_sec190(line: str) -> None:
    assert _rules(line.format(rand(HEX, 32)), "src/app.js") == [("SEC190", 1)]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("app/db.py", 'password = os.environ["DB_PASSWORD"]'),
        ("server/db.js", "const password = process.env.DB_PASSWORD || '';"),
        ("app/settings.py", 'DB_PASSWORD = "changeme"'),
        ("app/auth.py", 'if password == "root":'),
        ("app/auth.py", 'def login(user, password="Admin"):'),
        ("app/auth.py", 'if password == "":'),
        ("src/form.ts", 'const rules = { password: "required|min:8" };'),
        ("src/form.ts", 'const labels = { password: "auth.password" };'),
        ("src/form.ts", 'const errors = { password: "Wrong password, try again" };'),
        ("src/form.tsx", '<input type="password" name="password" autoComplete="current-password" />'),
        ("src/form.ts", "password: string;"),
        ("app/views.py", 'PASSWORD_FIELD = "password1"'),
        ("src/auth.ts", 'const bypass = "a1b2c3d4";'),
        ("src/app.js", "api_key = 'production';"),
        ("src/app.js", "const secret = 'emails_secret';"),
        ("src/app.js", "const secret = `${process.env.SECRET}`;"),
        ("src/llm.ts", 'const llm = new ChatOpenAI({ apiKey: "not-needed" });'),
        ("app/llm.py", 'client = OpenAI(base_url=url, api_key="lm-studio")'),
        ("tests/test_auth.py", 'password = "Xk29dLq0aPz"'),
        ("docs/setup.md", 'password = "Xk29dLq0aPz"'),
        ("app/config.yaml", "password: Xk29dLq"),
        ("lib/dialects/pyodbc.py", '        password="tiger",'),
    ],
)
def test_password_look_alikes_are_not_reported(path: str, line: str) -> None:
    assert scan(line, path) == []


# ---- .npmrc credentials (SEC130, NpmrcAuthDetector) ----

@pytest.mark.parametrize(
    "template",
    [
        "_auth = {}",
        "_auth={}",
        "//registry.example.com/npm/:_auth={}",
        "//registry.example.com/npm/:_password={}",
        '//npm.pkg.github.com/:_password="{}"',
    ],
)
def test_npmrc_auth_and_password_are_sec130(template: str) -> None:
    value = base64.b64encode(f"ci:{_pw()}".encode()).decode()
    assert _rules(template.format(value), ".npmrc") == [("SEC130", 1)]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("src/client.py", "_auth = authenticate_user_now"),
        ("src/client.js", "this._password = passwordFromPrompt"),
        (".npmrc", "_auth=${NPM_AUTH}"),
        (".npmrc", "//registry.example.com/:_password=${NPM_PASSWORD}"),
        (".npmrc", "always-auth=true"),
    ],
)
def test_npmrc_look_alikes_are_not_reported(path: str, line: str) -> None:
    assert scan(line, path) == []


# ---- Discord bot tokens without a keyword, and the 38-character HMAC (SEC151) ----

def _discord(hmac_len: int) -> str:
    user = base64.b64encode(b"1029481359591" + bytes(rand(string.digits, 6), "ascii")).decode().rstrip("=")
    return f"{user}.{rand(URLSAFE, 6)}.{rand(URLSAFE, hmac_len)}"


@pytest.mark.parametrize("hmac_len", [27, 38])
@pytest.mark.parametrize("template", ["{}", "client.run('{}')", "bot: {}"])
def test_bare_discord_token_is_found_whole(hmac_len: int, template: str) -> None:
    token = _discord(hmac_len)
    line = template.format(token)
    findings = scan(line, "bot/main.cfg")
    assert [f.rule_id for f in findings] == ["SEC151"]
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == token


def test_dotted_identifiers_are_not_discord_tokens() -> None:
    line = "value = self.config.loaders.registered_document_loaders_by_name_and_kind"
    assert scan(line, "app/loaders.py") == []


# ---- armored private keys: PGP armor headers, encrypted PEM headers (SEC192) ----

@pytest.mark.parametrize(
    ("header", "armor"),
    [
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", ["Version: Keybase OpenPGP v1.0.0", "Comment: https://keybase.io", ""]),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", [""]),
        ("-----BEGIN RSA PRIVATE KEY-----", ["Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,0A1B2C3D4E5F6071", ""]),
        ("-----BEGIN RSA PRIVATE KEY-----", []),
        ("-----BEGIN EC PRIVATE KEY-----", ["Proc-Type: 4,ENCRYPTED", ""]),
    ],
)
def test_private_key_behind_armor_headers_is_found(header: str, armor: list[str]) -> None:
    text = "\n".join([header, *armor, *pem_body(), header.replace("BEGIN", "END")])
    assert _rules(text, "deploy/key.asc") == [("SEC192", 1)]


def test_private_key_header_with_armor_but_no_body_is_not_reported() -> None:
    text = "\n".join(["-----BEGIN PGP PRIVATE KEY BLOCK-----", "Version: 1", "", "-----END PGP PRIVATE KEY BLOCK-----"])
    assert scan(text, "docs/keys.txt") == []


# ---- generic keyword values (SEC190, KeywordTokenDetector) ----

@pytest.mark.parametrize(
    "line",
    [
        "SAUCE_ACCESS_KEY={}",
        "app.secret={}",
        'BILLING_API_KEY = "{}"',
        "client_secret: {}",
        'db_password = "{}"',
    ],
)
def test_uuid_under_a_secret_name_is_reported(line: str) -> None:
    assert _rules(line.format(uuid.UUID(int=int(rand(HEX, 32), 16), version=4)), "deploy/app.cfg") == [("SEC190", 1)]


@pytest.mark.parametrize(
    "line",
    ["session_token = {}", "request_id = {}", "trace_token: {}", 'page_token = "{}"', "DEFAULT_CLIENT_ID = '{}'"],
)
def test_uuid_under_a_token_or_id_name_is_not_reported(line: str) -> None:
    assert scan(line.format(uuid.uuid4()), "deploy/app.cfg") == []


@pytest.mark.parametrize(
    "line",
    [
        "jenkins.api.token={}",
        "JENKINS_API_TOKEN={}",
        'const apiToken = "{}";',
        "auth_token: {}",
        "private const string UserCreationPasswordSecretKey =@\"{}\";",
    ],
)
def test_mixed_case_token_with_one_digit_is_reported(line: str) -> None:
    value = rand(string.ascii_letters, 12) + "7" + rand(string.ascii_letters, 12)
    assert _rules(line.format(value), "deploy/app.cfg") == [("SEC190", 1)]


def test_random_digits_under_a_token_name_are_reported() -> None:
    assert _rules(f'discord_api_token = "{rand(string.digits, 32)}"', "bot/config.go") == [("SEC190", 1)]


# ---- vendor formats SEC134-SEC141 ----

VENDORS = {
    "SEC134": lambda: rand(ALNUM, 3) + "8Q~" + rand(ALNUM + "_~.-", 34),
    "SEC135": lambda: "LTAI" + rand(ALNUM, 20),
    "SEC136": lambda: "da2-" + rand(LOWER_DIGITS, 26),
    "SEC137": lambda: f"amzn.mws.{uuid.UUID(int=int(rand(HEX, 32), 16), version=4)}",
    "SEC138": lambda: f"access_token$production${rand(LOWER_DIGITS, 16)}${rand(HEX, 32)}",
    "SEC139": lambda: "key-" + rand(HEX, 32),
    "SEC140": lambda: "k2sk_v1_" + rand(ALNUM, 24),
    "SEC141": lambda: (f"https://contoso.webhook.office.com/webhookb2/{uuid.uuid4()}@{uuid.uuid4()}/IncomingWebhook/"
                       f"{rand(LOWER_DIGITS, 32)}/{uuid.uuid4()}"),
}
TEMPLATES = [
    ("deploy/.env.production", "VENDOR_SECRET={}"),
    ("src/client.ts", 'const key = "{}";'),
    ("app/config.py", "VENDOR = '{}'"),
    ("deploy/values.yaml", "  credential: {}"),
    ("notes.txt", "{}"),
]


@pytest.mark.parametrize("code", sorted(VENDORS))
@pytest.mark.parametrize(("path", "template"), TEMPLATES)
def test_vendor_key_is_found_once_at_its_columns(code: str, path: str, template: str) -> None:
    key = VENDORS[code]()
    line = template.format(key)
    findings = scan(line, path)
    assert [f.rule_id for f in findings] == [code]
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == key
    assert key not in findings[0].snippet


def test_slack_workflow_webhook_and_versioned_workspace_token() -> None:
    hook = f"http://hooks.slack.com/workflows/T{rand(ALNUM, 8)}/A{rand(ALNUM, 10)}/{rand(string.digits, 18)}/" \
           f"{rand(ALNUM, 24)}"
    token = f"xoxa-2-{rand(string.digits, 9)}-{rand(string.digits, 11)}-{rand(string.digits, 13)}-{rand(HEX, 18)}"
    assert _rules(f"{hook}\nSLACK_TOKEN={token}", "ops/notify.cfg") == [("SEC129", 1), ("SEC128", 2)]


# ---- filters for the peers' negatives ----

@pytest.mark.parametrize(
    ("path", "line"),
    [
        # AWS-shaped test fixtures
        ("deploy/aws.cfg", "aws_secret_access_key:" + rand(B64, 28) + "ESATESTKEY"),
        ("deploy/aws.cfg", "aws_secret_access_key:" + rand(B64, 28) + "ESAFAKEKEY"),
        # AP… Artifactory shapes without an Artifactory or credential word
        ("deploy/image.yaml", 'ImageID: "SHA256:AP1' + rand(ALNUM, 60) + '"'),
        ("k8s/dos.yaml", "kind: APDosLogConf"),
        ("keys/pub.asc", "AP6" + rand(ALNUM, 10)),
        # an altered OpenAI marker
        ("ops/openai.cfg", "sk-proj-" + rand(ALNUM, 20) + "T4BlbkFJ" + rand(ALNUM, 20)),
        # Datadog browser client token (public by design)
        ("src/rum.ts", 'datadogRum.init({ clientToken: "pub' + rand(HEX, 32) + '" });'),
        # kebab-case resource names in configuration
        ("ops/ibm.cfg", "ibm-cloud-pwd = shorter-version"),
        ("k8s/deploy.yaml", "      existingSecret: app-postgres-secret"),
        # GitLab bodies over 50 characters, PyPI macaroons cut short
        ("ops/gl.cfg", "glsoat-" + rand(ALNUM, 51)),
        ("ops/pypi.cfg", "pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 60)),
    ],
)
def test_peer_negatives_are_not_reported(path: str, line: str) -> None:
    assert scan(line, path) == []


@pytest.mark.parametrize(
    ("path", "line", "rule"),
    [
        ("ops/art.cfg", "artifactory_password=AP6" + rand(ALNUM, 10), "SEC157"),
        ("ops/art.cfg", "X-JFrog-Art-Api: AP6" + rand(ALNUM, 10), "SEC157"),
        ("ops/openai.cfg", "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20), "SEC100"),
        ("src/auth.js", "app.use(jwt({ secret: 'shared-jwt-signing-secret' }))", "SEC190"),
        ("ops/gl.cfg", "glpat-" + rand(URLSAFE, 20), "SEC152"),
        ("ops/pypi.cfg", "pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 120), "SEC154"),
    ],
)
def test_the_same_shapes_in_context_are_reported(path: str, line: str, rule: str) -> None:
    assert [f.rule_id for f in scan(line, path)] == [rule]


# ---- look-alikes met in public AI-chatbot repositories (precision checks for the changes above) ----

@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("frontend/app/src/app/api-keys/page.tsx", '        apiKey="api.api-keys.list"'),
        ("packages/db/drizzle.config.ts", "    token: process.env.CLOUDFLARE_D1_TOKEN!,"),
        ("public/assets/js/bootstrap.js", "  var DATA_API_KEY = '.data-api';"),
        ("src/utils/crypto/index.ts", "const CryptoSecret = '__CRYPTO_SECRET__'"),
        ("server/endpoints/api/admin/index.js", "              password: 'hunter2',"),
        ("server/utils/agents/providers/ai-provider.js", '          apiKey: "not-used",'),
        ("src/components/ChatwootWidget.tsx", "      websiteToken: '" + rand(ALNUM, 22) + "',"),
        ("documentation/docusaurus.config.js", '        apiKey: "' + rand(HEX, 32) + '",'),
        ("e2e/.env.backend", "SECRET_KEY=" + rand(URLSAFE, 40)),
        ("scripts/benchmark/report.ts", '<span class="${pass ? "pass" : "fail"}">${pass ? "PASS" : "FAIL"}</span>'),
        ("src/cloudinary/cloudinary.provider.ts", "      api_key: '" + rand(string.digits, 15) + "',"),
        ("k8s/manifest.yaml", "    secretName: letsencrypt-prod"),
    ],
)
def test_chatbot_repository_look_alikes_are_not_reported(path: str, line: str) -> None:
    assert scan(line, path) == []


def test_posthog_project_key_is_public() -> None:
    assert scan(f'  pubkey: "phc_{rand(ALNUM, 43)}",', "server/models/telemetry.js") == []


def test_hard_coded_default_user_password_is_reported() -> None:
    line = '                password="defaultpw",'
    assert _rules(f"user = create_user(\n    username='default',\n{line}\n)", "src/app/configure.py") == [
        ("SEC190", 3)]


@pytest.mark.parametrize(
    "line",
    ["--set imagePullSecret.password={}", "registry_password: {}", 'DB_PASSWORD="{}"', "smtp.pwd={}",
     "ADMIN_PASSWD={}"],
)
def test_long_lower_case_generated_password_is_reported(line: str) -> None:
    assert _rules(line.format(rand(LOWER_DIGITS, 40)), "deploy/helm.cfg") == [("SEC190", 1)]


def test_commented_out_ini_settings_are_sample_defaults() -> None:
    value = rand(ALNUM, 20)
    assert scan(f";secret_key = {value}\n;encryption_key = \"{rand(ALNUM, 32)}\"", "templates/grafana/grafana.ini") == []
    assert _rules(f"secret_key = {value}", "templates/grafana/grafana.ini") == [("SEC190", 1)]


def test_vendor_plugin_keys_in_commented_ini_settings_are_still_reported() -> None:
    line = f";connection = DefaultEndpointsProtocol=https;AccountName=app;AccountKey={rand(B64, 86)}=="
    assert _rules(line, "conf/storage.ini") == [("SEC150", 1)]


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("deploy/sync.sh", "sshpass -p '{}' rsync -a dist/ deploy@host:/srv"),
        ("deploy/sync.sh", "sshpass -p {} ssh deploy@host"),
        ("Dockerfile", "RUN mysql -h db -u root -p{} -e 'CREATE DATABASE app'"),
        (".github/workflows/ci.yml", "        run: mysqldump -u app -p'{}' app > dump.sql"),
        (".gitlab-ci.yml", "  - docker login -u deploy --password={} registry.example.com"),
        ("Makefile", "\tmysqladmin --password {} status"),
    ],
)
def test_password_on_a_command_line_is_sec190(path: str, template: str) -> None:
    secret = _pw()
    line = template.format(secret)
    findings = scan(line, path)
    assert [f.rule_id for f in findings] == ["SEC190"]
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == secret
