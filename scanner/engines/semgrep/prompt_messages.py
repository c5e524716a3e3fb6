"""Finding messages of the JS/TS prompt-input rules (LR602 unbounded-prompt-input, LR603
user-text-in-system-prompt): the route the match sits in and the value that reaches the model."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import strip_js
from scanner.engines.semgrep.routes import next_url
from scanner.model import Finding

#: Semgrep rule ids of the prompt-input rules.
PROMPT_RULES = frozenset({"js-unbounded-prompt-input", "js-user-text-in-system-prompt"})
_APP_ROUTE = re.compile(r"(?:^|/)app/(.*?)/?route\.[cm]?[jt]sx?$")
_PAGES_ROUTE = re.compile(r"(?:^|/)pages/(api/.*?)\.[cm]?[jt]sx?$")
#: A serverless function file (Vercel ``api/chat.js``, Cloudflare Pages ``functions/api/chat.js``).
_FUNCTION_FILE = re.compile(r"(?:^|/)(?:functions/)?(api/.+?)(?:/index)?\.[cm]?[jt]sx?$")
_EXPORTED_VERB = re.compile(r"export\s+(?:async\s+)?(?:function\s+|const\s+)(GET|POST|PUT|PATCH|DELETE)\b")
_FUNCTION = re.compile(r"(?:function\s+([A-Za-z_$][\w$]*)\s*\(|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*"
                       r"(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>)")
#: ``router.post("/chat", ...)``: the path starts with ``/`` (``headers.get("Authorization")`` is no route).
_ROUTER_CALL = re.compile(r"\.(get|post|put|patch|delete|all)\(\s*[\"'`](/[^\"'`]*)[\"'`]")
_SHORT = re.compile(r"[\w$.?\[\]'\"()]{1,60}")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
#: A template literal (semgrep's match of one can end before the closing backtick).
_TEMPLATE = re.compile(r"`((?:[^`\\]|\\.)*)(?:`|$)", re.S)
#: A TypeScript cast or satisfies clause (``messages as ChatCompletionMessageParam[]``).
_CAST = re.compile(r"\s+(?:as|satisfies)\s+[^\s,)}]+")
_PLACEHOLDER = re.compile(r"\$\{([^}]*)(?:\}|$)")
_NAME = re.compile(r"[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*")
_KEYWORDS = frozenset({"await", "new", "JSON", "stringify", "String", "const", "let", "true", "false", "null",
                       "undefined", "role", "content", "user", "system", "type", "text", "parts",
                       "systemInstruction", "instructions"})


def route_label(doc: Doc, offset: int) -> str:
    """``POST /api/chat`` for the handler around byte ``offset`` (Next.js app and pages routers from the path
    and the exported verb, Express-style routers from the nearest ``.post("/path"`` above), else the nearest
    function above (``handler generateChatCompletion``: a controller wired elsewhere; a serverless function file
    is its URL, ``/api/chat``), else ``this handler``."""
    before = doc.data[:offset].decode("utf-8", "replace")
    app = _APP_ROUTE.search(doc.path)
    pages = _PAGES_ROUTE.search(doc.path)
    calls = list(_ROUTER_CALL.finditer(before))
    verbs = list(_EXPORTED_VERB.finditer(before))
    if calls and (not verbs or calls[-1].start() > verbs[-1].start()):
        verb, path = calls[-1].groups()
        return f"{verb.upper() if verb != 'all' else '*'} {path}"
    if app or pages:
        verb = verbs[-1].group(1) if verbs else ("POST" if app else "")
        url = next_url(app.group(1)) if app else next_url(pages.group(1)) if pages else "/"
        return f"{verb} {url}".strip()
    serverless = _FUNCTION_FILE.search(doc.path)
    if serverless:
        return "/" + serverless.group(1)
    functions = list(_FUNCTION.finditer(before))
    if functions:
        return f"handler {functions[-1].group(1) or functions[-1].group(2)}"
    return "this handler"


def carriers(value: str) -> list[str]:
    """The names in a matched value that can carry request text: the value itself when it is a short
    expression, else the names left once string literals and template text are removed (``${persona}``)."""
    value = " ".join(_CAST.sub("", strip_js(value)).split())
    if _SHORT.fullmatch(value):
        return [value]
    code = _TEMPLATE.sub(lambda m: " ".join(_PLACEHOLDER.findall(m.group(1))), value)
    code = _QUOTED.sub(" ", code)
    names = [m.group(0) for m in _NAME.finditer(code) if m.group(0).split(".")[0] not in _KEYWORDS
             and code[m.end():m.end() + 1] != "("]
    return list(dict.fromkeys(names))[:3]


def one_per_route(findings: Sequence[Finding]) -> list[Finding]:
    """LR602 once per route (its first match that no LR603 shares a line with: the engine keeps one
    launch finding per line); every other finding as is."""
    lr603 = {(f.location.path, f.location.line) for f in findings if f.rule_id == "LR603"}
    chosen: dict[tuple[str, str], Finding] = {}
    for f in sorted((f for f in findings if f.rule_id == "LR602"), key=lambda f: f.location.line):
        key = (f.location.path, f.message.split(" passes ")[0])
        old = chosen.get(key)
        if key[1] == "this handler":
            key = (f.location.path, str(f.location.line))
        if old is None or ((old.location.path, old.location.line) in lr603 and
                           (f.location.path, f.location.line) not in lr603):
            chosen[key] = f
    return [f for f in findings if f.rule_id != "LR602"] + list(chosen.values())


def prompt_message(rule_id: str, text: str, doc: Doc, offset: int) -> str:
    """The message of one match: ``text`` is the matched value (the tainted option or message content)."""
    names = carriers(text)
    shown = ", ".join(f"`{n}`" for n in names) + " (request text)" if names else "request text"
    where = route_label(doc, offset)
    if rule_id == "js-unbounded-prompt-input":
        return (f"{where} passes {shown} to the model with no server-side size limit: no zod .max(), length "
                "check or truncation")
    return (f"{where} places {shown} into the system prompt: the caller can rewrite the app's instructions; "
            "keep user text in the user role")
