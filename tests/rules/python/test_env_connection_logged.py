"""LOG404 (Python): a database or broker connection URL read from the environment and logged carries its password
(``mongodb+srv://user:pass@...``); the names decide (``scanner.knowledge.env_credential``, shared with JS/TS)."""

from __future__ import annotations

import pytest

from scanner.knowledge import env_credential

from tests.rules.python.helpers import lines_of, run

LOG = "import logging\nimport os\nlogger = logging.getLogger(__name__)\n"


@pytest.mark.parametrize(
    "line",
    [
        "print('MongoDB URI:', os.getenv('MONGO_URI'))",
        "logger.info('connecting to %s', os.environ['DATABASE_URL'])",
        "print(f\"db: {os.environ.get('SQLALCHEMY_DATABASE_URI')}\")",
        "logger.debug('redis %s', os.getenv('REDIS_URL'))",
        "print(os.getenv('AZURE_STORAGE_CONNECTION_STRING'))",
        "logger.info('dsn=%s', os.getenv('POSTGRES_DSN'))",
    ],
)
def test_connection_url_logged(line: str) -> None:
    assert lines_of(run(LOG + line + "\n"), "LOG404") == [4]


@pytest.mark.parametrize(
    "line",
    [
        "print('port', os.getenv('PORT'), os.getenv('NODE_ENV'))",
        "logger.info('api %s', os.getenv('API_BASE_URL'))",
        "logger.info('backend %s site %s', os.getenv('BACKEND_URL'), os.getenv('NEXT_PUBLIC_SITE_URL'))",
        "logger.info('sentry %s', os.getenv('SENTRY_DSN'))",
        "print('db configured:', bool(os.getenv('DATABASE_URL')))",
        "logger.info('db host %s', os.getenv('DB_HOST'))",
    ],
)
def test_non_credential_urls_not_flagged(line: str) -> None:
    assert [f.rule_id for f in run(LOG + line + "\n").findings] == []


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("MONGO_URI", True), ("MONGODB_URI", True), ("DATABASE_URL", True), ("POSTGRES_URL", True),
        ("POSTGRES_PRISMA_URL", True), ("POSTGRES_URL_NON_POOLING", True), ("DATABASE_URL_UNPOOLED", True),
        ("REDIS_URL", True), ("KV_URL", True), ("CELERY_BROKER_URL", True), ("PG_DSN", True),
        ("MONGODB_CONNECTION_STRING", True), ("mongoUri", True),
        ("PORT", False), ("NODE_ENV", False), ("API_BASE_URL", False), ("NEXT_PUBLIC_SITE_URL", False),
        ("BACKEND_URL", False), ("SENTRY_DSN", False), ("NEXT_PUBLIC_SENTRY_DSN", False),
        ("UPSTASH_REDIS_REST_URL", False), ("KV_REST_API_URL", False), ("SUPABASE_URL", False),
        ("NEXT_PUBLIC_DATABASE_URL", False), ("DB_HOST", False), ("OLLAMA_BASE_URL", False),
    ],
)
def test_env_credential_connection_names(name: str, credential: bool) -> None:
    assert env_credential(name) is credential
