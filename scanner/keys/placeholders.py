"""Placeholder and low-entropy checks (key library): values that have a key's shape but are examples, not keys."""

from __future__ import annotations

import math
import re
from collections import Counter

_MARKERS = re.compile(
    r"(?i)testkey|fakekey|fake|example|dummy|placeholder|your|xxxx|\*\*\*|\.\.\.|…|<[^<>]{0,60}>|^<|\$\{|\{\{|"
    r"%\(\w+\)[sdr]|change[-_]?me|\[[A-Z][A-Z0-9 _-]{1,40}\]|"
    r"replace|insert|redacted|sample|todo|secret_here|key_here|token_here|not_a_real|notreal|0000000000|"
    r"not[-_]?(?:used|needed|required|set)|no[-_]key|unused|lm-studio|invalid|expired[-_]token|wrong[-_]token"
)
_WHOLE = frozenset({
    "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "key", "value", "changeme",
    "test", "testing", "admin", "root", "user", "username", "none", "null", "undefined", "string", "example",
    "placeholder", "your_password", "mypassword", "postgres", "mysql", "mariadb", "mongo", "redis", "guest",
    "letmein", "qwerty", "password1", "password123", "admin123", "secret123", "scott", "tiger", "hunter2",
})
#: A shell or template reference where a value would be (``$API_KEY``, ``"$api_key"``, ``${API_KEY}``,
#: ``$(cat /run/secrets/key)``): the value is read when the script runs, none is written here. The name after a
#: bare ``$`` is one-case (``$API_KEY``, ``$password``), so a literal that starts with ``$`` (``$ecretP4ss``)
#: is still judged as a value.
_SHELL_REF = re.compile(r"\$(?:[A-Z_][A-Z0-9_]{0,63}|[a-z_][a-z0-9_]{0,63}|\{[^{}\s]{1,80}\}|\([^()]{1,200}\))")
#: A masked body: a run of four or more ``x`` in one case (``…9fxxxxxx3c…``, ``XXXX``) or ``*`` anywhere in a
#: key, as people mask by hand. A random 36-character letter-and-digit body holds one by chance about once in
#: 200,000 keys (a mixed-case ``xXxx`` run, eight times likelier and never typed as a mask, is not one); hex and
#: digit bodies never do.
_MASK = re.compile(r"x{4,}|X{4,}|\*{4,}")
#: A build-time substitution token (``__CRYPTO_SECRET__``), replaced by the real value at build or deploy time.
_BUILD_TOKEN = re.compile(r"__[A-Z][A-Z0-9_]*__")
#: A Python format field or f-string placeholder standing for the whole value (``{password}``, ``{cfg.db_pass}``).
_FORMAT_FIELD = re.compile(r"\{[A-Za-z_][\w.]{0,80}(?:\[[\w'\"]{1,40}\])?(?:![rsa])?\}")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
#: One unit of up to 8 characters repeated (``qwerqwer``, ``deadbeefdeadbeef``).
_REPEATED = re.compile(r"(.{1,8}?)\1+", re.DOTALL)
_HEX = re.compile(r"[0-9a-f]+|[0-9A-F]+")
_SEQUENCES = ("0123456789", "123456789", "abcdefghij", "ABCDEFGHIJ", "qwertyuiop")
_DOTTED = r"(?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*"
#: A reference in code where a secret would be: a dotted name (``settings.API_TOKEN``) or an environment-variable
#: name (``API_TOKEN_2``).
CODE_REF = re.compile(rf"^{_DOTTED}$|^{_ENV_NAME.pattern}$")
#: A value that names something instead of being a secret: a dotted reference (``settings.KEY``), an env-var or
#: constant name (``OPENAI_API_KEY``), snake_case or camelCase (``openai_api_key``, ``apiKey``), an i18n key
#: (``api.api-keys.list``), an event namespace (``.data-api``).
IDENTIFIER = re.compile(rf"^{_DOTTED}$|^[A-Z][A-Z0-9_]{{2,}}$|^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$"
                        r"|^[a-z]+(?:[A-Z][a-z]+)+$|^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)+$|^\.[a-z][a-z-]*$")
#: One short word (``production``, ``Admin``): a setting or a label, not a generated secret.
WORD = re.compile(r"^[A-Za-z][a-z]{0,19}$")
#: kebab-case letters (``app-secret``, ``db-password``): a resource name in configuration.
KEBAB = re.compile(r"^[a-z]+(?:-[a-z]+)+$")


def is_placeholder(value: str, prefix_len: int = 0) -> bool:
    """True when ``value`` looks like an example rather than a key: it contains a marker (FAKE, EXAMPLE,
    DUMMY, PLACEHOLDER, your…, xxxx, a ``…TESTKEY`` / ``…FAKEKEY`` tail as AWS-shaped test fixtures use,
    ``...``, ``change-me``, ``[YOUR-PASSWORD]`` (Supabase's connection strings), ``<…>`` (a bracketed name, or a
    leading ``<``; a lone ``<`` or ``>`` inside a generated password is
    not one), ``${VAR}``, a whole shell reference (``$API_KEY``, ``$(cat key)``), a masked run (``xxxx`` or
    ``****`` anywhere in the body, also between random characters: ``whsec_9f3axxxxxx…``),
    ``{{…}}``, ``%(name)s``, the dummy keys local model servers take: ``not-needed``,
    ``sk-no-key-required``, ``lm-studio``), is a placeholder word (``scott`` / ``tiger`` / ``hunter2`` too) or a
    build-time token (``__API_SECRET__``) (``scott`` / ``tiger`` too), a shell reference (``$API_KEY``), a
    Python format field (``{password}``), an
    environment-variable name, a keyboard or counting sequence, or its body (after ``prefix_len`` characters)
    has too little entropy (``sk_live_`` followed by 24 ``x``)."""
    if any(_standalone(value, m) for m in _MARKERS.finditer(value)) or value.lower() in _WHOLE or \
            _ENV_NAME.fullmatch(value) or _BUILD_TOKEN.fullmatch(value) or _SHELL_REF.fullmatch(value) or \
            _FORMAT_FIELD.fullmatch(value) or _MASK.search(value[prefix_len:]):
        return True
    if any(seq in value for seq in _SEQUENCES):
        return True
    return low_entropy(value[prefix_len:])


def _standalone(value: str, match: re.Match[str]) -> bool:
    """A marker counts when it is punctuation (``...``, ``<``, ``${``) or touches a word edge (``sk-your-key``,
    ``FAKE_KEY``) or is a long capitalised word (AWS's ``…7EXAMPLE``); a short word buried in a random body
    (``…aB7Todo9x…``) is chance, not a placeholder."""
    start, end = match.span()
    word = match.group()
    if not word[0].isalnum() or (len(word) >= 5 and word.isupper()):  # `...`, `<`, `${`; EXAMPLE, DUMMY
        return True
    return start == 0 or not value[start - 1].isalnum() or end == len(value) or not value[end].isalnum()


def low_entropy(body: str) -> bool:
    """True when a body of 8 or more characters repeats one short unit (``abababab``, ``secretsecret``), uses
    at most ``min(4, len/4)`` distinct characters, or has a Shannon entropy under what a random string of its
    length and alphabet reaches: 2.5 bits per character for long letter-and-digit bodies (random keys have
    4-6), less for short bodies and for digit-only or hex bodies, whose random values have less (a random
    12-digit number has about 2.9; a fixed 2.5 dropped a fifth of them)."""
    if len(body) < 8:
        return False
    if _REPEATED.fullmatch(body):
        return True
    counts = Counter(body)
    if len(counts) <= min(4, len(body) // 4):
        return True
    total = len(body)
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values())
    alphabet = 10 if body.isdigit() else 16 if _HEX.fullmatch(body) else 36
    return entropy < min(2.5, math.log2(total) - 1.0, math.log2(alphabet) - 1.1)
