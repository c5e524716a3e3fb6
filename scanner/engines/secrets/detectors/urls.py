"""Passwords inside URLs: database connection URLs (any scheme, any driver) and other ``user:pass@`` URLs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.engines.secrets.detectors.base import Detector, Hit

#: Database schemes (with optional ``+driver``, e.g. ``postgresql+asyncpg``), per SQLAlchemy, libpq, the
#: MongoDB, Redis and AMQP URI specifications.
DB_SCHEMES = (
    "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp",
    "amqps", "mssql", "sqlserver", "oracle", "cockroachdb", "clickhouse", "neo4j", "neo4j+s", "bolt",
    "couchbase",
)
_URL = re.compile(
    r"(?i)(?<![A-Za-z0-9+.-])(?P<scheme>[a-z][a-z0-9]{1,15}(?:\+[a-z0-9]{1,15})?)://"
    r"(?P<user>[^\s:@/?#\"'`<>(){}\[\]]{0,128}):(?P<secret>[^\s@/?#\"'`<>]{1,256})@"
    r"(?P<host>[A-Za-z0-9._\[\]-]{1,253})"
)
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "host.docker.internal"})
_DEV_PASSWORDS = frozenset({"postgres", "password", "pass", "root", "mysql", "mongo", "redis", "guest",
                            "admin", "example", "secret", "test", "dev", "changeme"})


def is_database(scheme: str) -> bool:
    """True for a database scheme, with or without a ``+driver`` suffix (``mysql+pymysql``)."""
    scheme = scheme.lower()
    return scheme in DB_SCHEMES or scheme.split("+", 1)[0] in DB_SCHEMES


class UrlPasswordDetector(Detector):
    """Database URL with a password (SEC191) or another URL with ``user:password@`` (SEC131).

    Format (RFC 3986 userinfo; libpq, SQLAlchemy, MongoDB, Redis and AMQP connection URIs):
    ``scheme[+driver]://user:password@host``. The password is the secret. A local development default (a
    well-known password such as ``postgres`` or ``guest`` on ``localhost``) and a password equal to the user
    name are not reported; placeholders (``PASSWORD``, ``${DB_PASSWORD}``) are filtered like every value.
    """

    rule_id = "SEC191"
    secret_type = "Basic Auth Credentials"
    keywords = ("://",)
    denylist = (_URL,)
    priority = 20

    def hits_verdict(self, match: re.Match[str]) -> str | None:
        """The rule for one URL match, or None for a local default."""
        password, user = match.group("secret"), match.group("user")
        host = match.group("host").lower().rstrip(".")
        if password == user or (host in _LOCAL_HOSTS and password.lower() in _DEV_PASSWORDS):
            return None
        return self.rule_id if is_database(match.group("scheme")) else "SEC131"

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """Decided per match in :meth:`hits`; a bare value is not classified."""
        return None

    def hits(self, line: str, hints: frozenset[str] = frozenset()) -> Iterator[Hit]:
        """Every password in a URL on ``line``."""
        for match in _URL.finditer(line):
            rule_id = self.hits_verdict(match)
            if rule_id:
                yield Hit(rule_id, match.start("secret"), match.end("secret"), match.group("secret"),
                          self.priority)
