"""The one detect-secrets adapter: lazy import, its global settings, its plugins and heuristic filters."""

from __future__ import annotations

import contextlib
import functools
import re
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scanner.keys.detectors.base import Detector, Hit
from scanner.keys.placeholders import IDENTIFIER, KEBAB, WORD

#: detect-secrets plugin class name -> our rule code. Plugins that overlap our vendor detectors (AWS, GitHub,
#: Slack, Stripe, Twilio, SendGrid, npm, OpenAI, private keys, basic auth) are not run: ours are more precise.
#: JWT and the high-entropy plugins are not run: they report public tokens, hashes and ids.
PLUGINS: dict[str, str] = {
    "AzureStorageKeyDetector": "SEC150",
    "DiscordBotTokenDetector": "SEC151",
    "GitLabTokenDetector": "SEC152",
    "MailchimpDetector": "SEC153",
    "PypiTokenDetector": "SEC154",
    "SquareOAuthDetector": "SEC155",
    "TelegramBotTokenDetector": "SEC156",
    "ArtifactoryDetector": "SEC157",
    "IbmCloudIamDetector": "SEC158",
    "IbmCosHmacDetector": "SEC159",
    "CloudantDetector": "SEC160",
    "SoftlayerDetector": "SEC161",
    "KeywordDetector": "SEC190",
}
#: detect-secrets' heuristic filters we apply to generic (keyword) values, by their settings path.
FILTERS = (
    "detect_secrets.filters.heuristic.is_sequential_string",
    "detect_secrets.filters.heuristic.is_potential_uuid",
    "detect_secrets.filters.heuristic.is_likely_id_string",
    "detect_secrets.filters.heuristic.is_templated_secret",
    "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
    "detect_secrets.filters.heuristic.is_indirect_reference",
    "detect_secrets.filters.heuristic.is_lock_file",
    "detect_secrets.filters.heuristic.is_not_alphanumeric_string",
    "detect_secrets.filters.heuristic.is_swagger_file",
)
_GENERIC_PRIORITY = 90
#: detect-secrets' vendor plugins (SEC150-SEC161) rank above the key catalogue (85), the keyword plugin below.
_PLUGIN_PRIORITY = 80
#: Lines longer than this are given to detect-secrets' plugins in spans around prefilter matches only:
#: ``_SPAN_BEFORE`` characters before a match and ``_SPAN_AFTER`` after it.
LONG_LINE = 1_000
_SPAN_BEFORE, _SPAN_AFTER = 120, 400

#: Lower-case literals, one of which is on every line a detect-secrets plugin can fire on (a secret-ish name,
#: or a plugin's prefix); with ``TRIGGERS`` they pick the lines that get the full ``PREFILTER`` test.
LITERALS = ("pass", "pwd", "secret", "token", "key", "credential", "pypi-", "sq0csp-", "-us", ":aa", "akc",
            "ibm", "cloudant", "softlayer", "hmac", "discord")
#: Plugin formats better found by a regex with a literal head (a fast scan): GitLab tokens and Artifactory
#: ``AP…`` tokens.
TRIGGERS = re.compile(r"gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|agent|oas)-|GR1348941|AP(?<![A-Za-z0-9]AP)[\dA-F]")
#: Discord bot tokens (``<user id, base64>.<6>.<27+>``) marked from their first dot: the ``.`` head is a literal,
#: so ``re`` scans for it quickly (about 15 ms on 9 MB of source; a regex with the token's class head costs
#: seconds). A bare token with no ``token`` or ``discord`` word on its line is found too.
DISCORD_MARK = re.compile(r"\.[\w-]{6}\.[\w-]{27}")
#: detect-secrets' Discord pattern stops at 27 characters of HMAC; tokens issued since 2022 carry 38
#: (https://discord.com/developers/docs/reference#authentication): the match is extended over the rest.
_DISCORD_TAIL = re.compile(r"[\w-]{1,11}(?![\w-])")
#: The test, without importing detect-secrets, of whether any of its plugins could fire on a lower-cased
#: line: a secret-ish name assigned a literal, or a plugin's prefix. Only matching lines pay for the import.
_ASSIGN = (
    r"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|apikey|private_?key|credential)[\w.-]{0,40}"
    r"[\"'\]]?\s{0,5}(?::=|=>|[:=])\s{0,5}[@\"'`]?(?!(?:os\.|process\.|env|getenv|settings\.|config|self\.|"
    r"this\.|none\b|null\b|undefined\b|true\b|false\b|import\.|\$|\{|<|\(|\[))[^\s\"'`,;)]{4}"
)
#: The keyword plugin runs only where this matches (a lower-cased secret-ish name assigned a literal).
ASSIGN = re.compile(_ASSIGN)
PREFILTER = re.compile(
    _ASSIGN + r"|accountkey=|gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|agent|oas)-|gr1348941|pypi-ag|sq0csp-|-us\d"
    r"|\d{8,10}:[\w-]{35}|ibm|cloudant|softlayer|hmac"
)
#: Per plugin, a cheap test a line must pass before the plugin runs on it (its literal, or its shape's head).
_GATES: dict[str, re.Pattern[str]] = {
    rule: re.compile(pattern) for rule, pattern in {
        "SEC150": r"(?i)accountkey", "SEC151": r"\.[\w-]{6}\.[\w-]{27}", "SEC152": r"gl[a-z]{1,6}-|GR1348941",
        "SEC153": r"-us\d", "SEC154": r"pypi-", "SEC155": r"sq0csp-", "SEC156": r"\d:AA",
        "SEC157": r"AKC|AP[\dA-F]", "SEC158": r"(?i)ibm", "SEC159": r"(?i)secret[-_]?(?:access)?[-_]?key",
        "SEC160": r"(?i)cloudant", "SEC161": r"(?i)softlayer",
    }.items()
}
#: The case-sensitive plugin formats: Artifactory ``AKC…`` / ``AP…`` and Discord bot tokens.
#: (Discord is matched from its first dot: a leading ``[MNO][\w-]{23,25}`` costs seconds on base64 blobs.)
_CASED = re.compile(r"AKC[a-zA-Z0-9]{10}|AP[\dA-F][a-zA-Z0-9]{8}|\.[\w-]{6}\.[\w-]{27}")
_EXAMPLE_FILE = re.compile(r"(?i)(?:\.|^|/)(?:example|sample|template|dist|defaults?)(?:\.|$)|\.tsbuildinfo$")
#: In configuration (not code), a kebab-case value of letters under a secret-ish key names a resource, not a
#: secret: Kubernetes ``secretName: db-password``, Helm ``existingSecret: app-secret``, Docker secrets. In code
#: (``secret: 'shared-secret'`` passed to a JWT library) the literal is the secret and stays reported.
#: A validation rule under a password key (Laravel / Joi-style ``password: "required|min:8"``), not a secret.
_VALIDATION_RULE = re.compile(r"(?i)(?:^|\|)(?:required|nullable|sometimes|confirmed|string|min:\d+|max:\d+)(?:\||$)")
_CODE_FILE = re.compile(r"(?i)\.(?:py|pyi|ipynb|[cm]?[jt]sx?|vue|svelte|go|java|kt|kts|scala|rb|php|cs|rs|swift|"
                        r"dart|c|cc|cpp|h|hpp|ex|exs|lua|pl|r|sh|bash|zsh|ps1)$")
#: Values public by design that sit under a token name: Datadog browser (RUM) client tokens, ``pub`` + 32 hex
#: (https://docs.datadoghq.com/account_management/api-app-keys/#client-tokens: "client tokens are safe to
#: expose in the browser").
PUBLIC_VALUE = re.compile(r"^pub[0-9a-f]{32}$")
#: Artifactory encrypted passwords (``AP`` + a hex digit + 8 or more letters or digits) share their shape with
#: CamelCase words (``APDosLogConf``) and base64 runs (``SHA256:AP1Ay…``): reported only where the line names
#: Artifactory or JFrog or a credential. (``AKC…`` API keys are distinctive and need no context.)
_ARTIFACTORY_CONTEXT = re.compile(r"(?i)arti|jfrog|passw|pwd|secret|token|api|key|auth|cred")
#: Password-hashing and authentication scheme names under a password setting (PostgreSQL
#: ``password_encryption = scram-sha-256``, ``pg_hba`` methods, Django's ``PASSWORD_HASHERS`` names): a choice of
#: algorithm, not a credential.
_HASH_SCHEME = re.compile(r"(?i)^(?:scram-sha-(?:1|256)|sha-?(?:1|224|256|384|512)(?:-crypt)?|md5|bcrypt(?:_sha256)?|"
                          r"argon2(?:id|i|d)?|pbkdf2(?:[_-]sha(?:1|256|512))?|scrypt|plain|trust|peer|ident)$")
#: Generic (keyword) values shorter than this are examples and test fixtures far more often than secrets.
_MIN_GENERIC = 8
#: Documentation files: generic values there are examples (vendor keys are still reported everywhere). A
#: Docusaurus site config holds the DocSearch (Algolia) search-only key, public by design.
#: (``.txt`` is not among them: ``credentials.txt`` and ``keys.txt`` are where keys get pasted.)
_DOCS = re.compile(r"(?i)\.(?:md|mdx|markdown|rst|adoc|asciidoc)$|(?:^|/)docusaurus\.config\.[cm]?[jt]s$")
#: Tests, fixtures and translations: generic values there are fakes or words (vendor keys are still reported).
_TESTS_I18N = re.compile(
    r"(?i)(?:^|/)(?:tests?|__tests__|spec|e2e|fixtures?|translations?|locales?|i18n|lang)/"
    r"|(?:^|/)test_[^/]*$|_test\.[a-z]+$|\.(?:test|spec)\.[a-z]+$"
    # a Django app's test module and pytest's shared fixtures (set 24 jua-legal: users/tests.py)
    r"|(?:^|/)(?:tests|conftest)\.py$"
)
#: Words that mark a generic value as a test value.
_TEST_WORDS = re.compile(r"(?i)test|mock|sample|demo|123456")
_HEX_ID = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")
_REVISION_WORDS = re.compile(r"(?i)commit|sha|rev|hash|digest|checksum|integrity")


@dataclass(frozen=True)
class _Runtime:
    """detect-secrets' plugin instances (with our rule codes) and its configured filter functions."""

    plugins: tuple[tuple[Any, str], ...]
    filters: tuple[Any, ...]
    call: Any


def wants(line: str) -> bool:
    """True when a detect-secrets plugin might fire on ``line`` (cheap; no import). Always true for a line
    longer than ``LONG_LINE``: :func:`generic_hits` picks its spans itself."""
    if len(line) > LONG_LINE:
        return True
    from scanner.engines.secrets.supersets import may_want

    low = line.lower()
    return may_want(line, low) and (PREFILTER.search(low) is not None or _CASED.search(line) is not None)


def generic_hits(path: str, line: str) -> Iterator[Hit]:
    """Hits of detect-secrets' own plugins on ``line`` of ``path``, after its heuristic filters. The keyword
    plugin does not run on example files (``.env.example``, ``*.sample``) nor ``tsconfig.tsbuildinfo``.
    A line longer than ``LONG_LINE`` is not given to the plugins whole: only short spans around the places
    the prefilter marks are (bounded time on minified code)."""
    if len(line) <= LONG_LINE:
        yield from _line_hits(path, line)
        return
    for start, end in _spans(line):
        for hit in _line_hits(path, line[start:end]):
            yield Hit(hit.rule_id, hit.start + start, hit.end + start, hit.value, hit.priority)


def _spans(line: str) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` spans around every literal or trigger of a plugin in a long line (found with
    ``str.find`` and literal-headed regexes: linear and fast on megabytes of minified code)."""
    low = line.lower()
    marks = [m.start() for m in TRIGGERS.finditer(line)] + [m.start() for m in _CASED.finditer(line)]
    for literal in LITERALS:
        pos = low.find(literal)
        while pos >= 0:
            marks.append(pos)
            pos = low.find(literal, pos + _SPAN_AFTER // 2)
    spans: list[tuple[int, int]] = []
    for pos in sorted(marks):
        start, end = max(0, pos - _SPAN_BEFORE), pos + _SPAN_AFTER
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _line_hits(path: str, line: str) -> Iterator[Hit]:
    runtime = _runtime()
    low = line.lower()
    keyword = _EXAMPLE_FILE.search(path) is None and ASSIGN.search(low) is not None
    for plugin, rule_id in runtime.plugins:
        if not (keyword if rule_id == "SEC190" else _GATES[rule_id].search(line)):
            continue
        for start, value in _plugin_values(plugin, path, line):
            if not _filtered(runtime, plugin, rule_id, value, path, line):
                priority = _GENERIC_PRIORITY if rule_id == "SEC190" else _PLUGIN_PRIORITY
                yield Hit(rule_id, start, start + len(value), value, priority)


def _plugin_values(plugin: Any, path: str, line: str) -> Iterator[tuple[int, str]]:
    """``(start, value)`` of each secret a plugin sees. Regex plugins run their ``denylist`` directly, taking
    the whole match unless a group of 8 or more characters holds the value (``analyze_string`` yields a
    short prefix group for some, e.g. GitLab's ``(glpat|…)-…``); the keyword plugin runs as detect-secrets
    runs it."""
    denylist = getattr(plugin, "denylist", None)
    if denylist is None:
        for secret in plugin.analyze_line(filename=path, line=line, line_number=0):
            value = secret.secret_value or ""
            start = line.find(value) if value else -1
            if start >= 0:
                yield start, value
        return
    for regex in denylist:
        for match in regex.finditer(line):
            groups = [i for i in range(1, (match.re.groups or 0) + 1) if len(match.group(i) or "") >= 8]
            index = groups[-1] if groups else 0
            start, value = match.start(index), match.group(index)
            stripped = value.lstrip(" \t=:\"'")
            start += len(value) - len(stripped)
            if type(plugin).__name__ == "DiscordBotTokenDetector":
                tail = _DISCORD_TAIL.match(line, start + len(stripped))
                stripped += tail.group() if tail else ""
            if _bounded(line, start, start + len(stripped)):
                yield start, stripped


def _bounded(line: str, start: int, end: int) -> bool:
    """True when the value is a whole token: no base64 character touches it (not a run inside a hash)."""
    before = line[start - 1] if start > 0 else " "
    after = line[end] if end < len(line) else " "
    return not (before.isalnum() or before in "+/") and not (after.isalnum() or after in "+/=")


def is_code(path: str) -> bool:
    """True when ``path`` is a source-code file (by extension), where a quoted literal is a value."""
    return _CODE_FILE.search(path) is not None


def generic_allowed(path: str) -> bool:
    """True when free-form (keyword) secrets are reported in ``path``: not in documentation, tests, fixtures,
    translations or example files (``.env.example``), where such values are examples or fakes."""
    return not (_DOCS.search(path) or _TESTS_I18N.search(path) or _EXAMPLE_FILE.search(path))


def _filtered(runtime: _Runtime, plugin: Any, rule_id: str, value: str, path: str, line: str) -> bool:
    for func in runtime.filters:
        try:
            if runtime.call(func, secret=value, line=line, plugin=plugin, filename=path):
                return True
        except TypeError:  # a filter that needs an argument we do not have (as detect-secrets does)
            continue
    if rule_id == "SEC157" and value.startswith("AP"):
        return _ARTIFACTORY_CONTEXT.search(line) is None
    if rule_id != "SEC190":
        return False
    if PUBLIC_VALUE.match(value) or _VALIDATION_RULE.search(value) or _HASH_SCHEME.match(value):
        return True
    if len(value) < _MIN_GENERIC or _DOCS.search(path) or _TESTS_I18N.search(path):
        return True
    if not value.isascii() or any(c.isspace() for c in value) or _TEST_WORDS.search(value):
        return True
    name = value.removesuffix("!")  # a TS non-null assertion: ``process.env.X!``
    if IDENTIFIER.match(name) or WORD.match(name) or (KEBAB.match(value) and not _CODE_FILE.search(path)):
        return True
    return bool(_HEX_ID.match(value) and _REVISION_WORDS.search(line))


@functools.lru_cache(maxsize=1)
def _runtime() -> _Runtime:
    """Import detect-secrets once per process and configure its global settings: our plugins, our filters, and
    verification off (it would call vendor APIs; the scanner never touches the network)."""
    with _requests_stubbed():
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.settings import get_filters, get_settings
        from detect_secrets.util.inject import call_function_with_arguments

        settings = get_settings()
        settings.clear()
        settings.configure_plugins([{"name": name} for name in PLUGINS])
        settings.configure_filters([{"path": path} for path in FILTERS])
        known: list[Any] = list(get_mapping_from_secret_type_to_class().values())
        classes: dict[str, Any] = {c.__name__: c for c in known}
        filters = tuple(f for f in get_filters() if f"{f.__module__}.{f.__name__}" in FILTERS)
    plugins = tuple((classes[name](), rule_id) for name, rule_id in PLUGINS.items())
    return _Runtime(plugins, filters, call_function_with_arguments)


class _RequestsStub(types.ModuleType):
    """Stands in for ``requests`` while detect-secrets imports: every public name is an inert exception class
    (detect-secrets names ``requests.Response`` and ``requests.exceptions.RequestException``)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "exceptions":
            return self
        return type(name, (Exception,), {})


@contextlib.contextmanager
def _requests_stubbed() -> Iterator[None]:
    """Run the block with a stub for ``requests`` when it is not loaded yet. detect-secrets imports
    ``requests`` (~200 ms) only for network verification, which we never run; the stub is removed after, so
    a later ``import requests`` elsewhere gets the real module."""
    stub = "requests" not in sys.modules
    if stub:
        sys.modules["requests"] = sys.modules["requests.exceptions"] = _RequestsStub("requests")
    try:
        yield
    finally:
        if stub:
            del sys.modules["requests"], sys.modules["requests.exceptions"]


def as_plugin(detector: Detector) -> type:
    """Our detector as a real detect-secrets plugin class (a ``RegexBasedDetector`` subclass), for use with
    detect-secrets' own tools (``detect-secrets scan --plugin``-style registration or a baseline)."""
    with _requests_stubbed():
        from detect_secrets.plugins.base import RegexBasedDetector

    return type(type(detector).__name__, (RegexBasedDetector,), {
        "__doc__": type(detector).__doc__,
        "secret_type": detector.secret_type,
        "denylist": detector.denylist,
        "analyze_string": lambda self, string: detector.analyze_string(string),
    })
