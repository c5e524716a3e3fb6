"""Hard-coded passwords and secrets in code: a string literal assigned to, compared with, passed as or defaulted
to a password- or secret-named variable, key or argument (``password = "…"``, ``if password == "…"``,
``def f(password="…")``, ``connect(password="…")``, ``{"password": "…"}``, ``config('api_key', '…')``).
Reported as SEC190, the generic password/keyword rule, in code files only."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from typing import ClassVar

from scanner.keys.detectors.base import Detector, Hit
from scanner.keys.placeholders import IDENTIFIER, KEBAB, WORD, is_placeholder

#: Format (what bandit's B105/B106/B107 and OWASP's "Use of hard-coded password" (CWE-259) describe): a name,
#: an operator (``=``, ``==``, ``===``, ``!=``, ``:=``, ``=>``, ``:``, a Python annotation ``: str =``) and a
#: quoted literal with no whitespace. Names are judged on their last word(s): ``password``, ``passwd``,
#: ``passphrase``, ``pwd``, ``pass`` (4 or more characters), or ``secret``, ``api key``, ``secret key``,
#: ``access key``, ``private key`` (8 or more characters with a letter, and not a word or an identifier).
_ASSIGNED = re.compile(
    r"(?<![\w$])(?P<name>[A-Za-z_$][\w$]{0,60})(?P<close>[\"'`]?\]?)"
    r"(?:\s{0,3}:\s{0,3}[A-Za-z_][\w.\[\], |]{0,40}?(?=\s{0,3}=[^=]))?"
    r"\s{0,5}(?P<op>===|!==|==|!=|=>|:=|=|:)\s{0,5}"
    r"(?P<quote>[\"'`])(?P<secret>[^\"'`\\\s]{4,200})(?P=quote)"
)
#: The call form: a secret-named string as a call's first argument, then the literal (``cfg('api_key', '…')``,
#: ``os.getenv("DB_PASSWORD", "…")``) or assigned to the call (``obj('APIKEY') = '…'``).
_PAIR = re.compile(
    r"\(\s{0,3}(?P<q1>[\"'])(?P<name>[A-Za-z_][\w.-]{1,60})(?P=q1)\s{0,3}(?:,|\)\s{0,3}=(?!=))\s{0,3}"
    r"(?P<quote>[\"'`])(?P<secret>[^\"'`\\\s]{4,200})(?P=quote)"
)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_PASSWORD_WORDS = frozenset({"password", "passwd", "passphrase", "pwd", "pass"})
_SECRET_TAILS = (("secret",), ("apikey",), ("api", "key"), ("secret", "key"), ("secretkey",), ("access", "key"),
                 ("private", "key"))
_NOT_SECRET_NAME = re.compile(r"(?i)public|publishable|placeholder|example|sample|label|hint|prompt|message")
#: Values that are words of a form or a schema, not passwords (compared without case or punctuation).
_UI_WORDS = frozenset({
    "required", "optional", "hidden", "text", "str", "hash", "hashed", "plain", "plaintext", "new", "old",
    "confirm", "current", "invalid", "wrong", "incorrect", "empty", "missing", "masked", "protected",
    "sensitive", "encrypted", "bcrypt", "argon2", "sha256", "md5", "field", "input", "reset",
    "forgot", "change", "update", "login", "signin", "signup", "register", "user", "email", "username",
    "secrets", "keyring", "vault", "env", "environment", "file", "prompt", "ask", "auto", "random", "generated",
    "unset", "blank", "same", "match", "mismatch", "strong", "weak", "medium", "valid", "visible", "show", "hide",
    "fail", "failed", "success", "error", "none", "null", "disabled", "enabled",
    # the conventional password of an anonymous login (RFC 1635), set on a placeholder user row (set 22
    # enterprise-ai-backend: ``password="anonymous"``)
    "anonymous",
})
_TEST_WORDS = re.compile(r"(?i)test|mock|sample|demo|dummy|fake|example|123456")
#: A file path, URL, format string, template or regular expression, not a password.
_NOT_LITERAL = re.compile(r"^(?:/|\./|\.\./|~/|\^)|://|%[sdr(]|\{|\}|\[.*\]|\|")


def name_kind(name: str) -> str | None:
    """``"password"`` or ``"secret"`` for a name whose last word(s) say so (``EMAIL_PASSWORD``, ``dbPassword``,
    ``obj2.pass``, ``client_secret``, ``APIKEY``), else None (``bypass``, ``password_hint``, ``secret_id``)."""
    if _NOT_SECRET_NAME.search(name):
        return None
    words = [w.lower() for w in _WORDS.findall(name.rsplit(".", 1)[-1])]
    if not words:
        return None
    if words[-1] in _PASSWORD_WORDS:
        return "password"
    if any(tuple(words[-len(tail):]) == tail for tail in _SECRET_TAILS):
        return "secret"
    return None


def literal_verdict(name: str, value: str) -> bool:
    """True when ``value``, a literal given to ``name``, is a hard-coded password or secret (not a placeholder,
    test value, form or schema word, identifier, path, template or the name itself)."""
    kind = name_kind(name)
    if kind is None or not value.isascii():
        return False
    flat = re.sub(r"[^a-z0-9]", "", value.lower())
    if flat in _UI_WORDS or flat == re.sub(r"[^a-z0-9]", "", name.lower()) or "password" in flat:
        return False
    if is_placeholder(value) or _TEST_WORDS.search(value) or _NOT_LITERAL.search(value) or \
            IDENTIFIER.match(value) or KEBAB.match(value):
        return False
    if kind == "secret":  # all digits under an api_key name: an account number or a public key id (Cloudinary)
        return len(value) >= 8 and not WORD.match(value) and not value.isdigit()
    return True


class CodePasswordDetector(Detector):
    """A literal password or secret in code (SEC190). Runs in code files only (``.py``, ``.js``, ``.ts``,
    ``.go``, ...), and, as SEC190, not in documentation, tests, fixtures or example files.

    Look-alike negatives (not reported): an environment lookup or variable (``password = os.environ[…]``), a
    placeholder or default word (``"changeme"``, ``"password"``, ``"<your-password>"``, ``"root"``), an empty or
    short value, a form or schema word (``password: "required"``), an identifier or i18n key
    (``password: "auth.password"``), a test value, a name that only contains a password word
    (``password_hint``, ``bypass``), a value with spaces (a message).
    """

    rule_id = "SEC190"
    secret_type = "Secret Keyword"
    keywords = ("pass", "pwd", "secret", "apikey", "api_key", "api-key", "access_key", "accesskey", "private_key",
                "privatekey")
    denylist = (_ASSIGNED, _PAIR)
    priority = 92
    generic = True
    #: Only code files: in configuration files the keyword plugin and :class:`KeywordTokenDetector` judge.
    code_only = True
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'password = os.environ["DB_PASSWORD"]',
        'const password = process.env.DB_PASSWORD || "";',
        'DB_PASSWORD = "changeme"',
        'user = User(username="anonymous", password="anonymous")',
        "if password == 'root':",
        'user = User(email=email, password="<your-password>")',
        'rules = { password: "required|min:8" }',
        'label = { password: "auth.password" }',
        'const passwordMinLength = "12chars";',
        'bypass = "a1b2c3d4"',
        'error = { password: "Wrong password, try again" }',
        'api_key = "production"',
        "const secret = 'process_env';",
    )

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC190 when the name before ``value`` makes it a hard-coded password or secret, else None."""
        for regex in self.denylist:
            for match in regex.finditer(line):
                if match.group("secret") == value and literal_verdict(match.group("name"), value):
                    return self.rule_id
        return None

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "".join(rng.choice(string.ascii_letters + string.digits + "!#@") for _ in range(14)) + "9q"
        return f'const conn = mysql.createConnection({{ user: "app", password: "{secret}" }});', secret


#: Format: a password given on a command line, where it lands in shell history, CI logs and ``ps`` output:
#: ``sshpass -p PASSWORD`` (sshpass(1)), MySQL/MariaDB clients' glued ``-pPASSWORD`` (mysql(1): "there must be
#: no space between -p and the password"), and ``--password=VALUE`` / ``--password VALUE`` (docker login,
#: mysqladmin, many CLIs). Shell variables, substitutions, prompts and placeholders are not values.
_CLI = (
    re.compile(r"\bsshpass\s{1,5}-p\s{0,5}(?P<q>[\"']?)(?P<secret>[^\s\"'$`\\-][^\s\"'$`\\]{3,127})(?P=q)(?=\s|$|;)"),
    re.compile(r"\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^|;&\n]{0,80}?\s-p(?P<q>[\"']?)"
               r"(?P<secret>[^\s\"'$`\\-][^\s\"'$`\\]{3,127})(?P=q)(?=\s|$|;)"),
    re.compile(r"--password(?:=|\s{1,5})(?P<q>[\"']?)(?P<secret>[^\s\"'$`\\<{(-][^\s\"'$`\\]{3,127})(?P=q)"
               r"(?=\s|$|;)"),
)


class CliPasswordDetector(Detector):
    """A literal password on a command line (SEC190): ``sshpass -p …``, ``mysql -u root -p…``,
    ``--password=…``, in scripts, Dockerfiles, CI and compose files (and code). As SEC190: not in
    documentation, tests or example files.

    Look-alike negatives (not reported): a variable or substitution (``-p"$DB_PASSWORD"``, ``--password
    $(cat pw)``), a prompt (``mysql -u root -p``), ``--password-stdin``, a following flag
    (``psql --password -h db``), a placeholder (``--password=<password>``, ``sshpass -p yourpass``).
    """

    rule_id = "SEC190"
    secret_type = "Secret Keyword"
    keywords = ("sshpass", "mysql", "mariadb", "--password")
    denylist = _CLI
    priority = 92
    generic = True
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        'mysql -u root -p"$MYSQL_ROOT_PASSWORD" -e "select 1"',
        "mysql -u root -p",
        'echo "$TOKEN" | docker login ghcr.io -u bot --password-stdin',
        "psql --password -h db -U app",
        "sshpass -p yourpass ssh deploy@host",
        "docker login --password $(cat /run/secrets/registry) registry.example.com",
        "mysqladmin --password=<password> status",
    )

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC190 for a literal password that is not a placeholder, word or test value, else None."""
        return self.rule_id if literal_verdict("password", value) else None

    def hits(self, line: str, hints: frozenset[str] = frozenset()) -> Iterator[Hit]:
        """Every password of the patterns (MySQL's ``-pVALUE`` is glued to its flag: no left-boundary check)."""
        for regex in self.denylist:
            for match in regex.finditer(line):
                value = match.group("secret")
                if self.verdict(value, line, hints) is not None:
                    yield Hit(self.rule_id, match.start("secret"), match.end("secret"), value, self.priority)

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(14)) + "4x"
        return f"RUN mysql -h db -u app -p{secret} -e 'CREATE DATABASE app'", secret


#: Format: a Google account app password, which Google shows as four groups of four lowercase letters separated
#: by spaces (support.google.com/accounts/answer/185833: "the 16-character code"), assigned to a password-named
#: setting (``EMAIL_HOST_PASSWORD = 'abcd efgh ijkl mnop'`` in Django settings, ``MAIL_PASSWORD=…`` in a
#: ``.env``, ``os.getenv("MAIL_PASSWORD", "…")``): it signs in to the Gmail account over SMTP/IMAP. Quoted, or
#: unquoted on a ``NAME=value`` line.
_APP_PASSWORD = re.compile(
    r"(?<![\w$])(?P<name>[A-Za-z_][\w.]{0,60})[\"']?\]?\s{0,5}(?::\s{0,3}str\s{0,3})?(?P<op>=|:|(?<=[\"']),)"
    r"\s{0,5}(?P<quote>[\"'`])?(?P<secret>[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4})(?(quote)(?P=quote)|(?!\s{0,5}\w))"
)


class AppPasswordDetector(Detector):
    """A Google app password (four groups of four lowercase letters) given to a password-named setting (SEC190):
    ``EMAIL_HOST_PASSWORD = 'abcd efgh ijkl mnop'``. As SEC190: not in documentation, tests or example files.

    Look-alike negatives (not reported): four words under a name that is not a password's (a sentence), the
    alphabet sequence Google's help pages show, a masked or placeholder value (``xxxx xxxx xxxx xxxx``,
    ``your app pass word``), a value with more words.
    """

    rule_id = "SEC190"
    secret_type = "Secret Keyword"
    keywords = ("pass", "pwd")
    denylist = (_APP_PASSWORD,)
    priority = 91
    generic = True
    SAMPLE_PATH = "config/settings.py"
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "GREETING = 'this that what them'",
        "EMAIL_HOST_PASSWORD = 'abcd efgh ijkl mnop'",
        "EMAIL_HOST_PASSWORD = 'xxxx xxxx xxxx xxxx'",
        "EMAIL_HOST_PASSWORD = 'your app pass word'",
        "SMTP_PASSWORD = 'open the pod bay doors'",
        "password_hint = 'name your dogs here'",
    )

    def verdict(self, value: str, line: str, hints: frozenset[str]) -> str | None:
        """SEC190 when the name before ``value`` is a password's and the letters are not a placeholder."""
        match = next((m for m in _APP_PASSWORD.finditer(line) if m.group("secret") == value), None)
        if match is None or name_kind(match.group("name")) != "password":
            return None
        if not match.group("quote") and line[:match.start("name")].strip(" \t") not in ("", "export"):
            return None  # unquoted: only a ``NAME=value`` line (a .env file), not prose
        compact = value.replace(" ", "")
        return None if is_placeholder(compact) or _TEST_WORDS.search(compact) else self.rule_id

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = " ".join("".join(rng.choice("bcdfghjkmnpqrstvwz") for _ in range(4)) for _ in range(4))
        return f"EMAIL_HOST_PASSWORD = '{secret}'", secret
