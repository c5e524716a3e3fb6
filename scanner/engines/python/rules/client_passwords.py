"""SEC193 for Python: a literal password passed to a database or service client, or a password parameter's
literal default."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, PythonRule
from scanner.engines.python.literals import keyword, resolve
from scanner.engines.secrets.placeholders import is_placeholder
from scanner.redact import secret_hash

#: Top-level modules of database and service clients whose calls take a ``password``.
CLIENT_MODULES = frozenset({
    "psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql", "asyncpg", "aiomysql", "aiopg", "redis", "pymongo",
    "motor", "sqlalchemy", "elasticsearch", "opensearchpy", "pika", "aio_pika", "neo4j", "cassandra",
    "pymssql", "pyodbc", "cx_Oracle", "oracledb", "clickhouse_driver", "clickhouse_connect", "ldap3",
    "paramiko", "smtplib", "ftplib", "weaviate", "pinecone", "qdrant_client", "kombu", "celery", "peewee",
    "tortoise", "databases", "influxdb_client", "nats", "aioredis", "valkey", "mongoengine", "couchbase",
})
#: A call named like a client constructor or connect function (when the module is unknown).
_CLIENT_CALL = re.compile(r"(?:connect|client|engine|redis|mongo|pool|driver|database|connection|"
                          r"credentials|url\.create)$", re.IGNORECASE)
_PASSWORD_PARAM = re.compile(r"^(?:\w+_)?(?:password|passwd|pwd)$", re.IGNORECASE)


class HardcodedClientPassword(PythonRule):
    """
    ## What it finds
    A string literal given as the `password` / `passwd` of a database or service client (`psycopg2.connect`,
    `pymysql.connect`, `mysql.connector.connect`, `asyncpg.connect`, `redis.Redis`, `MongoClient`,
    SQLAlchemy `URL.create`, Elasticsearch, pika, neo4j `auth=(user, "...")`, ...), followed through
    constants of the file, and a literal default of a parameter named like a password
    (`def connect(password="hunter2")`). Placeholders (`"your-password"`, `"<password>"`, `"xxxx"`) and
    empty strings are not reported.

    ## Why it matters
    The password opens the database or service to anyone who reads the repository; a default parameter
    becomes the production password whenever a caller forgets to pass one.

    ## Example
    ```python
    conn = psycopg2.connect(host="db", user="app", password="hunter2")
    ```

    ## Fix
    Change the password at the database first, then read it from the environment with no literal default.
    """

    CODE = "SEC193"
    MESSAGE = "a literal password is passed to a client"
    VALID: ClassVar[list[Example]] = [
        Example("import os, psycopg2\nconn = psycopg2.connect(password=os.environ['DB_PASSWORD'])\n"),
        Example("import redis\nr = redis.Redis(host='cache', password=settings.REDIS_PASSWORD)\n"),
        Example("def connect(host: str, password: str | None = None):\n    ...\n"),
        Example("import pymysql\nconn = pymysql.connect(user='app', password='<your-password>')\n"),
        Example("from pymongo import MongoClient\nclient = MongoClient(os.environ['MONGO_URL'])\n"),
        Example("def login(request):\n    form = LoginForm(password=request.POST['password'])\n"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example("import psycopg2\nconn = psycopg2.connect(host='db', user='app', password='hunter2!')\n", line=2),
        Example("import redis\nREDIS_PASSWORD = 'r3d1s-pa55'\nr = redis.Redis(host='cache', password=REDIS_PASSWORD)\n",
                line=2),
        Example("import mysql.connector\ndb = mysql.connector.connect(\n    host='localhost',\n    user='root',\n"
                "    passwd='Tr0ub4dor&3',\n)\n", line=5),
        Example("from neo4j import GraphDatabase\ndriver = GraphDatabase.driver(uri, auth=('neo4j', 'letmein42'))\n",
                line=2),
        Example("def get_connection(host='localhost', user='admin', password='s3cr3t-pw'):\n    ...\n", line=1),
        Example("from sqlalchemy import URL\nurl = URL.create('postgresql', username='app', password='pg-pass-9',"
                " host='db')\n", line=2),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.imports.qualify(node.func) or ""
        root = name.split(".", 1)[0]
        if root not in CLIENT_MODULES and not _CLIENT_CALL.search(name.replace("()", "")):
            return
        value = keyword(node, "password", "passwd", "db_password")
        auth = keyword(node, "auth")
        if value is None and isinstance(auth, cst.Tuple) and len(auth.elements) == 2:
            value = auth.elements[1].value
        self._check(value, name)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None and _PASSWORD_PARAM.match(node.name.value):
            self._check(node.default, f"parameter {node.name.value}")

    def _check(self, value: cst.BaseExpression | None, where: str) -> None:
        found = resolve(self.ctx, value)
        if found is None or found.fallback or is_placeholder(found.value):
            return
        message = f"{where} gets a literal password: anyone who reads the repository can use it"
        # keyed by the value alone, as the secrets engine keys its findings: a baseline entry of the same key
        # under another secrets rule (SEC100 before the line passed it to a client) matches it
        self.report(found.node, "", message, key=secret_hash(self.CODE, found.value))


RULES: tuple[type[PythonRule], ...] = (HardcodedClientPassword,)
