"""Passwords inside URLs: database connection URLs (any scheme, any driver) and other ``user:pass@`` URLs."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import unquote

from scanner.keys.detectors.base import ALNUM, Detector, Hit, pick
from scanner.keys.spec import KeySpec
from scanner.model import Severity

#: Database schemes (with optional ``+driver``, e.g. ``postgresql+asyncpg``), per SQLAlchemy, libpq, the
#: MongoDB, Redis and AMQP URI specifications.
DB_SCHEMES = (
    "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp",
    "amqps", "mssql", "sqlserver", "oracle", "cockroachdb", "clickhouse", "neo4j", "neo4j+s", "bolt",
    "couchbase",
)
_URL = re.compile(
    r"(?i)(?<![A-Za-z0-9+._-])(?P<scheme>[a-z][a-z0-9]{1,15}(?:\+[a-z0-9_]{1,20})?)://"
    r"(?P<user>[^\s:@/?#\"'`<>(){}\[\]]{0,128}):(?P<secret>[^\s@/?#\"'`<>]{1,256})@"
    r"(?P<host>[A-Za-z0-9._\[\]:-]{1,253})"
)
#: The scheme just before a ``://`` (searched in the 40 characters before it).
_SCHEME_TAIL = re.compile(r"(?i)(?<![A-Za-z0-9+._-])[a-z][a-z0-9]{1,15}(?:\+[a-z0-9_]{1,20})?$")
#: Template host words (``host``, ``hostname``): with a weak password the URL is a usage template. The
#: placeholder filters judge the password only: a real password on ``db.example.net`` still leaks.
_TEMPLATE_HOST = re.compile(r"^(?:host|hostname|hostspec|dsn|server|myhost|yourhost|your-host|domain|ip)$")
#: Hosts only reachable from the developer's own machine or its containers: loopback, single-label names (``db``,
#: ``postgres``: a compose service), Docker's default bridge network ``172.17.0.0/16`` (a container started with
#: ``docker run``), ``*.local``, ``*.localhost``, ``host.docker.internal``. Other RFC 1918 addresses
#: (``10.159.1.39``) are not among them: a database server on a company or cloud network, whose password opens it
#: to anyone on that network (set 25 Chatbot-backend).
_LOCAL_HOST = re.compile(
    r"^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\]|host\.docker\.internal|[a-z0-9_-]+"
    r"|172\.17(?:\.\d{1,3}){2}|[a-z0-9.-]+\.(?:local|localhost|internal))$"
)
_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))


def strong(password: str) -> bool:
    """True for a password that looks generated: 12 or more characters (after ``%XX`` decoding) from at
    least 3 character classes."""
    password = unquote(password)
    return len(password) >= 12 and sum(1 for c in _CLASSES if c.search(password)) >= 3


def host_of(authority_host: str) -> str:
    """The host name of the part after ``@``, lower-cased, without a port or a trailing dot."""
    host = authority_host.lower()
    if not host.startswith("["):
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_database(scheme: str) -> bool:
    """True for a database scheme, with or without a ``+driver`` suffix (``mysql+pymysql``)."""
    scheme = scheme.lower()
    return scheme in DB_SCHEMES or scheme.split("+", 1)[0] in DB_SCHEMES


#: A format example's password in a non-database URL: a word and a count (``dotenv://:key_1234@dotenvx.com``,
#: ``pass1234``, ``user-123``).
_WORD_AND_COUNT = re.compile(r"(?i)(?:key|pass|pwd|password|secret|token|user|test|demo|admin|example)[_-]?"
                             r"(?:1234|123|12345|123456|0000)")


class UrlPasswordDetector(Detector):
    """Database URL with a password (SEC191) or another URL with ``user:password@`` (SEC131).

    Format (RFC 3986 userinfo; libpq, SQLAlchemy, MongoDB, Redis and AMQP connection URIs):
    ``scheme[+driver]://user:password@host``. The password is the secret. Not reported: a template host word
    (``host``, ``hostspec``) with a weak password, a local host (loopback, a single-label compose service name,
    Docker's default bridge) unless the password looks generated (:func:`strong`), a password equal to the user
    name, a password of under 6 characters in a non-database URL; placeholders (``PASSWORD``, ``${DB_PASSWORD}``)
    are filtered like every value.
    """

    rule_id = "SEC191"
    secret_type = "Basic Auth Credentials"
    keywords = ("://",)
    denylist = (_URL,)
    priority = 20

    def hits_verdict(self, match: re.Match[str]) -> str | None:
        """The rule for one URL match, or None for an example, a local default or a trivial password."""
        password, user = match.group("secret"), match.group("user")
        host = host_of(match.group("host"))
        if password == user or (_TEMPLATE_HOST.match(host) and not strong(password)):
            return None
        if _LOCAL_HOST.match(host) and not strong(password):
            return None
        if is_database(match.group("scheme")):
            return self.rule_id
        return "SEC131" if len(password) >= 6 and not _WORD_AND_COUNT.fullmatch(password) else None

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """Decided per match in :meth:`hits`; a bare value is not classified."""
        return None

    def hits(self, line: str, hints: frozenset[str] = frozenset()) -> Iterator[Hit]:
        """Every password in a URL on ``line``. Each ``://`` is found with ``str.find`` and the regex is
        matched at one position only (the scheme's start), so a long minified line costs little. A line with no
        ``@`` holds no ``user:password@`` (most lines with a URL)."""
        if "@" not in line:
            return
        pos = line.find("://")
        while pos >= 0:
            head = _SCHEME_TAIL.search(line, max(0, pos - 40), pos)
            match = _URL.match(line, head.start(), min(len(line), pos + 700)) if head else None
            if match:
                rule_id = self.hits_verdict(match)
                if rule_id:
                    yield Hit(rule_id, match.start("secret"), match.end("secret"), match.group("secret"),
                              self.priority)
            pos = line.find("://", pos + 3)

    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'DATABASE_URL=postgresql://user:password@localhost:5432/app',
        'DATABASE_URL=postgres://postgres:postgres@db:5432/app',
        'DATABASE_URL=mysql://root:${DB_PASSWORD}@db.internal/app',
        'REDIS_URL=redis://:changeme@localhost:6379/0',
        "url = 'https://user:pass@host/path'",
        # a format example in a library's error text (Prisma's runtime quoting dotenvx)
        'throw new Error("expect a valid uri format like dotenv://:key_1234@dotenvx.com/vault/.env.vault")',
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = pick(rng, ALNUM, 14) + "!7"
        return f"DATABASE_URL=postgresql://app:{secret}@db.prod-cluster.net:5432/app", secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC131", "url-credentials", Severity.HIGH, "password inside a URL",
        vendor="the service named in the URL",
        page="the service's account or user settings",
        example="API_BASE=https://admin:hunt…@api.example.com",
        shape="`scheme://user:password@host` (not a database URL, not an example host)",
    ),
    KeySpec(
        "SEC191", "database-url-password", Severity.HIGH, "database URL with a password",
        vendor="the database provider",
        page="the database's user or role settings",
        example="DATABASE_URL=postgresql://app:S3cr…@db.example.com/app",
        shape=("`postgres(ql)://`, `mysql://`, `mongodb(+srv)://`, `redis(s)://`, `amqp(s)://` and `+driver` "
               "variants with `user:password@host`"),
    ),
)
