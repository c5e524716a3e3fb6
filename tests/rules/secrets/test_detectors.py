"""Each secret detector: a generated key in the vendor's format is found once, at the right columns, under the
right rule; look-alikes that break the format (too short, wrong alphabet, inside a longer token) are not."""

from __future__ import annotations

import pytest

from scanner.config import Config
from scanner.engines.secrets import scan_fragments
from scanner.model import Finding
from scanner.redact import secret_hash
from scanner.model import Fragment
from tests.rules.secrets.keys import ALNUM, DB_SCHEMES, HEX, KEYS, URLSAFE, jwt, pem_body, rand


def scan(text: str, path: str = "app/config.py") -> list[Finding]:
    """Findings of the secrets engine on ``text`` as the lines of ``path``."""
    lines = tuple(enumerate(text.split("\n"), 1))
    findings, notes = scan_fragments([Fragment(path, lines)], Config())
    assert notes == []
    return findings


@pytest.mark.parametrize("name", sorted(KEYS))
def test_key_is_found_once_at_its_columns(name: str) -> None:
    make, rule_id, template = KEYS[name]
    key = make()
    line = template.format(key)
    findings = scan(line)
    assert [(f.rule_id, f.location.line) for f in findings] == [(rule_id, 1)]
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == key
    assert key not in findings[0].snippet and key not in findings[0].message
    assert findings[0].match_key == secret_hash(rule_id, key)


#: Rules anchored on a keyword or a URL: their values have no prefix of their own to test in isolation.
_ANCHORED = ("SEC123", "SEC125", "SEC130", "SEC131", "SEC190", "SEC129")


@pytest.mark.parametrize("name", sorted(n for n, (_, rule, _) in KEYS.items() if rule not in _ANCHORED))
def test_key_inside_a_longer_token_is_not_found(name: str) -> None:
    make, _, _ = KEYS[name]
    key = make()
    # Letters and digits either side: a '-' or '_' next to the key is a token boundary, where a key is rightly found.
    assert scan(f"integrity = 'sha512-{rand(ALNUM, 8)}{key}{rand(ALNUM, 8)}'") == []


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("OPENAI_API_KEY=sk-proj-" + rand(URLSAFE, 20), "project key too short"),
        ("k = 'sk-" + rand(HEX, 8) + "T3BlbkFJ" + rand(HEX, 8) + "'", "marker key too short"),
        ("ANTHROPIC_API_KEY=sk-ant-api03-" + rand(URLSAFE, 40), "anthropic key too short"),
        ("GEMINI_API_KEY=AIza" + rand(URLSAFE, 30), "google key too short"),
        ("HF_TOKEN=hf_" + rand(HEX, 34), "hf_ body must be letters only"),
        ("GROQ=gsk_" + rand(URLSAFE.replace("_", "").replace("-", ""), 40), "groq key too short"),
        ("R=r8_" + rand(URLSAFE.replace("_", "").replace("-", ""), 20), "replicate token too short"),
        ("OR=sk-or-v1-" + rand("ghijklmnop", 64), "openrouter body must be hex"),
        ("ST=sk_live_" + rand(HEX, 12), "stripe key too short"),
        ("WH=whsec_" + rand(HEX, 10), "webhook secret too short"),
        ("AWS=AKIA" + rand(HEX, 10), "access key id too short"),
        ("GH=ghp_" + rand(HEX, 20), "github token too short"),
        ("SG=SG." + rand(URLSAFE, 22) + "_" + rand(URLSAFE, 43), "sendgrid needs the second dot"),
        ("x = re_compile_pattern_something_long_enough", "an identifier starting re_"),
        ("TWILIO_ACCOUNT_SID=AC" + rand(HEX, 32), "an account SID alone is an identifier"),
        ("NPM=npm_" + rand(HEX, 20), "npm token too short"),
        ("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "npmrc with a variable"),
    ],
)
def test_malformed_look_alike_is_not_found(line: str, why: str) -> None:
    assert scan(line) == [], why


@pytest.mark.parametrize("scheme", DB_SCHEMES)
def test_database_url_password_any_scheme(scheme: str) -> None:
    password = rand(URLSAFE, 20)
    line = f'DATABASE_URL="{scheme}://app_user:{password}@db.acme-prod.net:5432/app"'
    findings = scan(line)
    assert [f.rule_id for f in findings] == ["SEC191"]
    loc = findings[0].location
    assert line[loc.column - 1:loc.end_column - 1] == password


@pytest.mark.parametrize(
    "line",
    [
        "DATABASE_URL=postgresql://USER:PASSWORD@HOST:5432/DBNAME",
        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app",
        "REDIS_URL=redis://localhost:6379/0",
        "DATABASE_URL=postgresql://app:${DB_PASSWORD}@db:5432/app",
        "MONGO_URL=mongodb+srv://<user>:<password>@cluster0.example.mongodb.net",
        "AMQP_URL=amqp://guest:guest@localhost:5672/",
        "see https://example.com/docs and http://user@host/",
    ],
)
def test_database_url_without_a_real_password(line: str) -> None:
    assert scan(line) == []


def test_url_credentials_twilio_pair_is_one_finding() -> None:
    make, _, template = KEYS["twilio-pair"]
    findings = scan(template.format(make()))
    assert [f.rule_id for f in findings] == ["SEC123"]


def test_private_key_pem_file_reports_the_header_line() -> None:
    text = "\n".join(["-----BEGIN RSA PRIVATE KEY-----", *pem_body(), "-----END RSA PRIVATE KEY-----"])
    findings = scan(text, "deploy/id_rsa")
    assert [(f.rule_id, f.location.line, f.location.column) for f in findings] == [("SEC192", 1, 1)]


def test_private_key_escaped_in_json_reports_the_body() -> None:
    body = "\\n".join(pem_body())
    header = "-----BEGIN OPENSSH PRIVATE KEY-----\\n"
    line = f'  "ssh_key": "{header}{body}\\n-----END OPENSSH PRIVATE KEY-----\\n",'
    findings = scan(line, "config/keys.json")
    assert [f.rule_id for f in findings] == ["SEC192"]
    assert findings[0].location.column == line.index(header) + len(header) + 1


def test_private_key_without_body_is_documentation() -> None:
    assert scan("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----", "README.md") == []
    assert scan('key = "-----BEGIN PRIVATE KEY-----\\n<your key>\\n-----END PRIVATE KEY-----"') == []


def test_gcp_service_account_json_is_its_own_rule() -> None:
    body = "\\n".join(pem_body(6))
    text = "\n".join([
        "{",
        '  "type": "service_account",',
        '  "project_id": "chatbot-prod",',
        f'  "private_key_id": "{rand(HEX, 40)}",',
        f'  "private_key": "-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n",',
        '  "client_email": "bot@chatbot-prod.iam.gserviceaccount.com"',
        "}",
    ])
    findings = scan(text, "gcp-key.json")
    assert [(f.rule_id, f.location.line) for f in findings] == [("SEC126", 5)]


def test_supabase_anon_jwt_is_public() -> None:
    assert scan(f"NEXT_PUBLIC_SUPABASE_ANON_KEY={jwt('anon')}", ".env.local") == []
    assert scan(f"SUPABASE_ANON_KEY = '{jwt('anon')}'") == []


def test_other_jwt_is_not_a_supabase_service_role() -> None:
    assert [f.rule_id for f in scan(f"X={jwt('authenticated')}", ".env")] == []


def test_firebase_web_api_key_is_info() -> None:
    key = KEYS["google"][0]()
    text = f'import {{ initializeApp }} from "firebase/app";\nconst config = {{\n  apiKey: "{key}",\n}};'
    findings = scan(text, "src/firebase.ts")
    assert [(f.rule_id, f.severity.value, f.location.line) for f in findings] == [("SEC105", "info", 3)]
    assert findings[0].message.startswith("Hard-coded Firebase web API key (public by design): no rotation needed; restrict")
    assert "revoke" not in findings[0].message


def test_clerk_or_stripe_is_decided_by_context() -> None:
    key = "sk_live_" + rand(HEX + "ABCDEF", 42)
    assert [f.rule_id for f in scan(f"CLERK_SECRET_KEY={key}", ".env")] == ["SEC120"]
    assert [f.rule_id for f in scan(f"STRIPE_SECRET_KEY={key}", ".env")] == ["SEC114"]
    assert [f.rule_id for f in scan(f'import {{ clerkClient }} from "@clerk/nextjs";\nconst k = "{key}";')] \
        == ["SEC120"]


def test_stripe_publishable_keys_are_no_finding() -> None:
    assert scan("NEXT_PUBLIC_STRIPE_KEY=pk_live_" + rand(HEX + "ABCDEF", 24), ".env") == []
    assert scan("const pk = 'pk_test_" + rand(HEX + "ABCDEF", 99) + "';", "web/pay.ts") == []


def test_test_mode_key_is_low() -> None:
    key = KEYS["test-mode-stripe"][0]()
    (finding,) = scan(f"STRIPE_SECRET_KEY={key}", ".env")
    assert (finding.rule_id, finding.severity.value) == ("SEC199", "low")


def test_gitlab_detect_secrets_plugin_runs_through_the_adapter() -> None:
    token = "glpat-" + rand(URLSAFE, 20)
    findings = scan(f'GITLAB_TOKEN = "{token}"')
    assert [f.rule_id for f in findings] == ["SEC152"]


def test_a_signing_secret_in_a_deployed_env_file_is_found_however_weak() -> None:
    text = ("JWT_SECRET=nan2025\nSESSION_SECRET='mysecret'\nNEXTAUTH_SECRET=changeme\nJWT_SECRET_KEY=${JWT}\n"
            "AUTH_SECRET=your-secret-here\nSECRET_KEY=true\nexport COOKIE_SECRET=k3yw0rd  # local\n")
    found = [(f.rule_id, f.location.line, f.location.column) for f in scan(text, "server/.env")]
    assert found == [("SEC190", 1, 12), ("SEC190", 2, 17), ("SEC190", 7, 22)]
    assert all("nan2025" not in f.snippet and "mysecret" not in f.snippet for f in scan(text, ".env"))
    # a template holds placeholders; a short value there is not a leak
    assert scan(text, ".env.example") == []
    assert scan(text, "config/example.env") == []


def test_a_google_app_password_in_a_deployed_env_file_is_found() -> None:
    # set 23 FastAPI-Backend: SMTP_PASSWORD=<16 lower-case letters> beside the Gmail address it unlocks
    text = ("SMTP_USERNAME=someone@gmail.com\nSMTP_PASSWORD=qwhtzkdmrplsvnxa\nMAIL_PASS='tvnq hzrb kcwe lopd'\n"
            "EMAIL_PASSWORD=aaaabbbbccccdddd\nSMTP_PASSWORD=password\nSMTP_HOST=smtpgmailcomxyzw\n")
    found = [(f.rule_id, f.location.line, f.location.column) for f in scan(text, "backend/.env.local")]
    assert found == [("SEC190", 2, 15), ("SEC190", 3, 12)]
    assert scan(text, ".env.example") == []


def test_env_secret_rules_skip_references_dev_files_and_chosen_words() -> None:
    # attack 8: secret-manager references, test/development env files, BYPASS=, dictionary passwords
    refs = ("JWT_SECRET=op://prod/api/jwt-secret\nSESSION_SECRET=%SESSION_SECRET%\n"
            "SECRET_KEY=@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/k)\n"
            "BYPASS=qwhtzkdmrplsvnxa\nSMTP_PASSWORD=mysecretpassword\n")
    assert scan(refs, ".env") == []
    weak = "JWT_SECRET=nan2025\n"
    assert scan(weak, ".env.test") == [] and scan(weak, "api/.env.development") == []
    # a deployed variant two suffixes deep, Django's and Flask's names
    deployed = "DJANGO_SECRET_KEY=k3yw0rd9\nFLASK_SECRET_KEY=another1\n"
    assert [(f.rule_id, f.location.line) for f in scan(deployed, ".env.production.local")] == \
        [("SEC190", 1), ("SEC190", 2)]


def test_a_django_test_module_holds_fake_passwords() -> None:
    # set 24 jua-legal: a password in users/tests.py is a test fixture; the same line in views.py is reported
    line = 'user = User.objects.create_user(username="amina", password="Xk9#vLq2pW7t")\n'
    assert scan(line, "backend/users/tests.py") == [] and scan(line, "app/conftest.py") == []
    assert [f.rule_id for f in scan(line, "backend/users/views.py")] == ["SEC190"]
