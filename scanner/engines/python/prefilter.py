"""The cheap text prefilter: which Python files are worth a libcst parse at all.

A file is parsed when it imports a web framework or CORS package, sets a CORS option or header, or has a
logging/print call with a sensitive word within a few hundred characters after it. Everything else (most of
a library's tree) is never parsed. Regexes here are linear (no nested quantifiers) and bounded.
"""

from __future__ import annotations

import re

from scanner.engines.python.launch_signals import has_launch_signal

_FRAMEWORK = re.compile(
    r"^\s*(?:from|import)\s+(?:flask_(?:restful|restx|smorest|cors|login|socketio)|flask|fastapi|starlette|django|rest_framework|adrf|quart|socketio|flask_socketio|"
    r"flask_cors|corsheaders|sanic|litestar|ninja|ninja_extra|aiohttp\.web|engineio)\b"
    r"|CORS_(?:ALLOW|ORIGIN)|Access-Control-Allow-Origin|cors_allowed_origins|\burlpatterns\b",
    re.MULTILINE | re.IGNORECASE,
)
_LOG_CALL = re.compile(
    r"\b(?:print|pprint|warn|debug|info|warning|error|exception|critical|fatal|log|trace|success|msg)\s*\(",
    re.IGNORECASE,
)
_SENSITIVE = re.compile(
    r"prompt|message|passw|pwd|secret|token|api_?key|authori[sz]ation|bearer|cookie|e_?mail|phone|"
    r"request\.|\bbody\b|payload|completion|answer|reply|question|credential|\bmsg\b|ssn|llm|chat|"
    r"headers|first_?name|last_?name|full_?name|user_(?:input|text)|otp|_code\b|current_user|\buser\b\s*[),}]",
    re.IGNORECASE,
)
#: Library settings that log every statement or prompt (``LOG401``/``LOG403`` settings rules).
_LOGGING_SETTING = re.compile(r"\b(?:echo|verbose)\s*=\s*True\b|SQLALCHEMY_ECHO[\"']?\]?\s*=\s*True\b|"
                              r"\becho\s*=\s*(?!False\b|None\b)[A-Za-z_]")
#: How far after a logging call's opening parenthesis a sensitive word may appear.
WINDOW = 300


_FRAMEWORK_WORDS = ("flask", "fastapi", "starlette", "django", "rest_framework", "quart", "socketio",
                    "corsheaders", "sanic", "litestar", "ninja", "aiohttp", "engineio", "cors_",
                    "access-control-allow",
                    "urlpatterns")


def worth_parsing(text: str, path: str = "") -> bool:
    """True when ``text`` (a Python file at ``path``) may hold something a Python rule reports."""
    name = path.rsplit("/", 1)[-1]
    if name in ("views.py", "urls.py", "settings.py") or "/views/" in f"/{path}":
        return True
    lower = text.lower()
    if any(word in lower for word in _FRAMEWORK_WORDS) and _FRAMEWORK.search(text):
        return True
    if has_launch_signal(text):  # issue 13: signing keys, client passwords, debug switches
        return True
    if _LOGGING_SETTING.search(text):  # create_engine(..., echo=True), LangChain verbose=True
        return True
    return any(_SENSITIVE.search(lower, match.end(), match.end() + WINDOW) for match in _LOG_CALL.finditer(lower))


_TOP_DEF = re.compile(r"^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(", re.MULTILINE)
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
#: What a call site hands on that the logging rules follow into a helper (personal data, credentials).
_HANDED_ON = re.compile(r"e_?mail|phone|passw|pwd|secret|token|api_?key|credential|current_user|\buser\b|"
                        r"first_?name|last_?name|full_?name|otp|_code\b", re.IGNORECASE)
#: How far after a call's opening parenthesis an argument is looked for.
ARGS_WINDOW = 200


def helper_modules(texts: dict[str, str], parsed: set[str]) -> set[str]:
    """Paths of modules not in ``parsed`` that define a top-level function which a ``parsed`` module calls with
    personal data or a credential among the arguments (``send_welcome(user.email)``) and that log something:
    the one-hop logging analysis reads their parameters, so they must be parsed although no sensitive word
    stands next to their log calls (``print("sending to", to)``). A name match is enough here; the analysis
    itself checks the import."""
    defined: dict[str, list[str]] = {}
    for path, text in texts.items():
        if path not in parsed and _LOG_CALL.search(text):
            for name in _TOP_DEF.findall(text):
                defined.setdefault(name, []).append(path)
    if not defined:
        return set()
    found: set[str] = set()
    for path in parsed:
        text = texts.get(path, "")
        for call in _CALL.finditer(text):
            paths = defined.get(call.group(1))
            if paths and _HANDED_ON.search(text, call.end(), call.end() + ARGS_WINDOW):
                found.update(paths)
    return found
