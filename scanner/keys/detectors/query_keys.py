"""API keys in URL query strings (``?key=…``, ``&api_key=…``, ``?access_token=…``): a key in a URL ends up in
server logs, browser history, proxies and ``Referer`` headers."""

from __future__ import annotations

import random
import re
import string
from typing import ClassVar

from scanner.keys.detectors.base import Detector
from scanner.keys.spec import KeySpec
from scanner.model import Severity

#: Format: RFC 3986 query component ``name=value``; the parameter names vendors document for keys: Google Maps
#: and Gemini ``key`` (https://developers.google.com/maps/documentation/javascript/get-api-key), Facebook Graph
#: ``access_token`` (https://developers.facebook.com/docs/graph-api/overview#access-tokens), OAuth 2.0
#: ``access_token`` / ``client_secret`` (RFC 6749 2.3.1, RFC 6750 2.3), and the common ``api_key`` / ``apikey`` /
#: ``token`` / ``auth_token``. The value must look generated: 16-512 URL characters with a letter and a digit.
_PARAM = r"(?:key|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|client[_-]?secret|secret|app[_-]?key)"
_VALUE = r"(?=[A-Za-z0-9._~%-]{0,512}?\d)(?=[A-Za-z0-9._~%-]{0,512}?[A-Za-z])[A-Za-z0-9._~%-]{16,512}"
_QUERY = re.compile(rf"(?i)[?&]{_PARAM}=(?P<secret>{_VALUE})(?![A-Za-z0-9._~%-])")


class QueryStringKeyDetector(Detector):
    """A key-shaped value of a key parameter in a URL query string (SEC132). Not looked for in documentation,
    tests, fixtures or example files (badge and sample URLs).

    Look-alike negatives (not reported): a template or variable (``?key=${API_KEY}``, ``?key={key}``,
    ``?key=" + key``), a short or word-only value (``?token=abc``, ``?key=production``), a parameter whose
    name only ends in a key word (``?monkey=…``), a placeholder value (``?key=YOUR_API_KEY``).
    """

    rule_id = "SEC132"
    secret_type = "URL query-string key"
    keywords = ("key=", "token=", "secret=")
    denylist = (_QUERY,)
    priority = 40
    #: Judged like SEC190: not in documentation, tests or examples (badge and sample URLs carry tokens there).
    generic = True
    NEGATIVES: ClassVar[tuple[str, ...]] = (
        "fetch(`https://maps.googleapis.com/maps/api/js?key=${API_KEY}`)",
        'url = f"https://api.example.com/v1?api_key={settings.API_KEY}"',
        'url = "https://api.example.com/v1?key=" + key',
        "GET /search?token=abc&page=2",
        "https://example.com/?key=production",
        "https://example.com/?monkey=a1b2c3d4e5f6a7b8c9d0",
        "https://maps.googleapis.com/maps/api/js?key=YOUR_API_KEY_HERE_12345",
    )

    @staticmethod
    def sample(rng: random.Random) -> tuple[str, str]:
        """A true positive built from the format: ``(line, secret)``."""
        secret = "".join(rng.choice(string.ascii_letters + string.digits + "_-") for _ in range(39)) + "7Q"
        return f'URL = "https://generativelanguage.googleapis.com/v1beta/models?key={secret}"', secret


#: The rules this file reports: code, slug, severity, key name, vendor and key page, a redacted example and the
#: format (the rule help in ``docs/rules.md`` is built from these).
SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "SEC132", "url-query-key", Severity.HIGH, "API key in a URL query string",
        vendor="the service named in the URL",
        page="the service's API-key settings",
        example='fetch("https://…/v1/models?key=AIza…")',
        shape="`?key=`, `api_key=`, `access_token=`, `token=`, `client_secret=` + a 16-512 character value",
    ),
)
