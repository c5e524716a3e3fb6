"""Value judgments of the key library found on real repositories: a shell variable reference is not a literal,
a visibly masked key (``xxxx`` or ``****`` runs) is an example, a Google app password under a password name is a
leak."""

from __future__ import annotations

import pytest

from tests.rules.secrets.keys import ALNUM, HEX, rand
from tests.rules.secrets.test_detectors import scan


def _found(text: str, path: str) -> list[tuple[str, int]]:
    return [(f.rule_id, f.location.line) for f in scan(text, path)]


# ---- shell references ----

@pytest.mark.parametrize("line", [
    'export GEMINI_API_KEY="$API_KEY"',
    "export OPENAI_API_KEY=$api_key",
    'export SECRET_KEY="${DJANGO_SECRET}"',
    'DB_PASSWORD="$(cat /run/secrets/db_password)"',
    'api_key = "$OPENAI_API_KEY"',
])
def test_a_shell_reference_is_not_a_literal(line: str) -> None:
    assert _found(line, "scripts/setup_env.sh") == []


@pytest.mark.parametrize(("path", "line"), [
    ("scripts/setup_env.sh", 'export GEMINI_API_KEY="{}"'),
    ("app/config.py", 'DB_PASSWORD = "${}"'),
])
def test_a_literal_next_to_shell_syntax_is_still_a_secret(path: str, line: str) -> None:
    secret = "Zr" + rand(ALNUM, 14) + "9q"  # a `$` followed by mixed case is a value, not a variable
    assert _found(line.format(secret), path) == [("SEC190", 1)]


def test_shell_references_are_placeholders_and_dollar_passwords_are_not() -> None:
    from scanner.keys.placeholders import is_placeholder

    assert is_placeholder("$API_KEY")
    assert is_placeholder("${API_KEY}")
    assert is_placeholder("$(gcloud secrets versions access latest --secret=key)")
    assert not is_placeholder("$ecretP4ssw0rd")
    assert not is_placeholder("$Tr0ng!Pass")


# ---- masked keys ----

def _masked_whsec() -> str:
    body = rand(HEX, 20) + "xxxxxx" + rand(HEX, 12) + "xx" + rand(HEX, 14)
    return "whsec_" + body


@pytest.mark.parametrize("line", [
    "> Ready! Your webhook signing secret is {} (^C to quit)".format(_masked_whsec()),
    "STRIPE_WEBHOOK_SECRET=" + _masked_whsec(),
    "STRIPE_SECRET_KEY=sk_live_" + rand(ALNUM, 10) + "XXXX" + rand(ALNUM, 10),
    "OPENAI_API_KEY=sk-proj-" + rand(ALNUM, 20) + "****" + rand(ALNUM, 24),
])
def test_a_masked_key_is_an_example(line: str) -> None:
    assert _found(line, "README.md") == []
    assert _found(line, ".env.production") == []


@pytest.mark.parametrize("line", [
    "STRIPE_WEBHOOK_SECRET=whsec_" + rand(ALNUM, 32),
    "STRIPE_WEBHOOK_SECRET=whsec_" + rand(HEX, 64),
    "STRIPE_SECRET_KEY=sk_live_" + rand(ALNUM, 24) + "xxx" + rand(ALNUM, 8),  # three x: chance, not a mask
    "GITHUB_TOKEN=ghp_" + rand(ALNUM, 16) + "DxXxxO" + rand(ALNUM, 14),  # mixed case: chance, never a typed mask
])
def test_a_real_key_keeps_being_reported(line: str) -> None:
    assert len(_found(line, ".env.production")) == 1


def test_mask_odds_on_random_bodies() -> None:
    """A run of four ``x`` or four ``X`` is rare in random letter-and-digit bodies (about 1 in 100,000 for 64
    characters): the mask filter costs almost no real key."""
    import random
    import re
    import string

    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits
    mask = re.compile(r"x{4,}|X{4,}")
    hits = sum(bool(mask.search("".join(rng.choice(alphabet) for _ in range(64)))) for _ in range(20_000))
    assert hits <= 1


# ---- Google app passwords ----

@pytest.mark.parametrize(("path", "line"), [
    ("weather/settings.py", "EMAIL_HOST_PASSWORD = 'qwfp lurn zbkd mtho'"),
    ("app/config.py", 'MAIL_PASSWORD = os.getenv("MAIL_PASSWORD", "hjkr wmsd tqvb plne")'),
    (".env.production", "SMTP_PASSWORD=vbnt qzrw kmpd lhsy"),
    ("src/mailer.js", 'const transporter = nodemailer.createTransport({ auth: { user: u, pass: "gzxc vbnm qwrt plkj" } });'),
])
def test_a_google_app_password_is_reported(path: str, line: str) -> None:
    assert _found(line, path) == [("SEC190", 1)]


@pytest.mark.parametrize(("path", "line"), [
    ("app/settings.py", "GREETING = 'this that what them'"),
    ("app/settings.py", "EMAIL_HOST_PASSWORD = 'abcd efgh ijkl mnop'"),
    ("app/settings.py", "EMAIL_HOST_PASSWORD = 'xxxx xxxx xxxx xxxx'"),
    ("app/settings.py", "EMAIL_HOST_PASSWORD = 'your app pass word'"),
    ("app/settings.py", "password_hint = 'name your dogs here'"),
    ("README.md", "EMAIL_HOST_PASSWORD = 'qwfp lurn zbkd mtho'"),
    ("app/settings.py", "ERROR = 'Password must have four word'"),
])
def test_four_words_that_are_not_an_app_password(path: str, line: str) -> None:
    assert _found(line, path) == []


# ---- a vendor prefix built on in code, a format field ----

@pytest.mark.parametrize("line", [
    'secret = "sk-ant-api03-" + suffix',
    'secret = "k2sk_v1_" + pick(rng, ALNUM, 24)',
    "api_key = 'sk-proj-' + body",
    'url = f"DATABASE_URL=postgresql://app:{secret}@db.prod-cluster.net:5432/app"',
    'dsn = "mysql://root:{password}@db.acme-prod.net/app".format(password=pw)',
    'conn = f"postgres://{user}:{cfg.db_password}@{host}/app"',
])
def test_a_vendor_prefix_or_a_format_field_is_not_a_secret(line: str) -> None:
    assert _found(line, "app/config.py") == []


@pytest.mark.parametrize(("line", "rule"), [
    ('secret = "Zr{}9q"', "SEC190"),
    ('DATABASE_URL = "postgresql://app:Zr{}9q@db.prod-cluster.net/app"', "SEC191"),
])
def test_a_literal_value_beside_them_is_still_reported(line: str, rule: str) -> None:
    assert _found(line.format(rand(ALNUM, 14)), "app/config.py") == [(rule, 1)]


# ---- an algorithm name under a password setting ----

@pytest.mark.parametrize(("path", "line"), [
    ("db/postgresql.conf", "password_encryption = scram-sha-256"),
    ("docker/db.env", "POSTGRES_PASSWORD_ENCRYPTION=scram-sha-256"),
    ("app/settings.py", 'PASSWORD_HASHER = "pbkdf2_sha256"'),
    ("config/auth.yml", "password_scheme: argon2id"),
    ("config/auth.yml", "password_hash: bcrypt_sha256"),
])
def test_a_hashing_scheme_is_not_a_password(path: str, line: str) -> None:
    assert _found(line, path) == []


def test_a_password_beside_a_hashing_scheme_is_still_reported() -> None:
    line = "password = Zr{}9q  # stored with scram-sha-256".format(rand(ALNUM, 14))
    assert _found(line, "db/app.conf") == [("SEC190", 1)]


@pytest.mark.parametrize("line", [
    'curl -H "Authorization: Bearer invalid_token_123" http://localhost:3000/api/chats',
    'TOKEN="expired_token_abc123XYZ"',
])
def test_a_token_named_invalid_or_expired_in_a_negative_test_is_an_example(line: str) -> None:
    assert _found(line, "scripts/test-api.sh") == []


def test_a_random_key_with_invalid_inside_a_word_is_still_reported() -> None:
    line = 'OPENAI_API_KEY="sk-proj-' + rand(ALNUM, 20) + "zInvalidq" + rand(ALNUM, 20) + '"'
    assert len(_found(line, ".env.production")) == 1
