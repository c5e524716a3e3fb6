"""LOG401/LOG402/LOG404 by data flow in one JS/TS module, and LOG403 for whole member records.

Values are followed from their sources through assignments (one statement may span lines: an object literal, a
call), destructuring, containers, template strings, ``JSON.parse``/``toString`` and ``for ... of`` loops to a log
sink's arguments, within the block that declares them (a name declared in one handler is not the same name in
another). Sources: what the client sent (``await req.json()``, ``req.body``, ``searchParams.get('q')``, Hono's
``c.req.json()``) and parameters named like a prompt (``prompt``, ``messages``, ``question``) in a module that
sends requests to a model (LOG401); the result of an awaited model call (``await openai.createCompletion(...)``,
``await openai.chat.completions.create(...)``, ``await generateText(...)``, ``await axios.post(<model URL>)``) and
what a model's WebSocket sends (``new WebSocket("wss://api.openai.com/...")`` then ``ws.on("message", (data) =>``)
and, one hop, what a project function returns when it returns a model's answer (``const data = await
callChatGpt(messages)`` with ``lib/callChatGpt.ts`` returning ``completion.data.choices[0].message?.content``)
(LOG402). Identifiers, counts and settings (``chatId``, ``model``, ``temperature``, ``.length``, ``.type``) are
not content.

LOG404: an HTTP client error logged whole (``console.error(err)``, ``console.log(err.response)``) in the ``catch``
of a call that sent an Authorization header or API key through axios (the openai v3 SDK's ``OpenAIApi`` is axios):
an AxiosError carries the request ``config`` with its headers. Errors of other calls are not findings."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import exported_name, imports_of, resolve
from scanner.engines.semgrep.jstext import balanced_end, definition_span, split_args
from scanner.engines.semgrep.runner import Match
from scanner.knowledge import js
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

#: An expression that reads what the client sent.
_SOURCE = re.compile(
    r"\b(?:req|request|c\.req|ctx\.request|ctx\.req|event)\s*\.\s*(?:json\s*\(|text\s*\(|formData\s*\(|body\b|"
    r"query\b|params\b)|\bsearchParams\s*\.\s*get\s*\(|\bformData\s*\.\s*get\s*\(|\bJSON\.parse\(\s*event\.body"
)
#: ``const x = ...`` / ``let { a, b: c } = ...`` / ``x = ...``; the value runs to the end of the statement.
_ASSIGN = re.compile(r"(?:\b(const|let|var)\s+)?(?:\{([^{}=;]*)\}|\[([^\[\]=;]*)\]|(?<![\w$.])([A-Za-z_$][\w$]*))\s*"
                     r"(?::\s*[^=;\n]{1,80})?(?<![=!<>+\-*/%&|^?])=(?![=>])\s*")
#: Names that are not content: identifiers, model settings, paging, kinds.
_NOT_PROMPT = re.compile(
    r"(?i)^(?:\w*ids?|model|models|temperature|top_?p|max_?tokens|stream|page|limit|offset|cursor|sort|order|"
    r"lang|locale|language|type|kind|mode|format|status|size|count|n|seed|provider|tools?|visibility|name|role|"
    r"event|object|created|usage|selectedChatModel|\w*(?:Id|ID|Ids|Count|Type|Mode|Model|Status|Option|Index|Idx)|"
    r"\w*(?:url|uri|host|endpoint|path)|\w*(?:Url|URL|Uri|Host|Endpoint|Path)|err|error|\w*(?:Error|Err))$"
)
#: Properties that are not content when read off a carrier (``msg.type``, ``messages.length``, ``err.message``).
_SAFE_PROPERTY = frozenset({
    "length", "type", "status", "statusCode", "statusText", "id", "usage", "role", "model", "code", "name",
    "event", "created", "index", "finish_reason", "error", "errors", "headers", "ok", "size",
    "total_tokens", "prompt_tokens", "completion_tokens", "inputTokens", "outputTokens", "totalTokens", "keys",
    "finishReason", "totalUsage", "warnings", "providerMetadata", "experimental_providerMetadata", "modelId",
    "timestamp", "isContinued", "stepType", "promptTokens", "completionTokens", "modelName",
})
#: A model's verdict read off its parsed answer (``analysis.risk_level``, ``result.sentiment``, ``out.score``): a
#: label or a number from a fixed set, not the text the model wrote.
_VERDICT = re.compile(r"(?i)^\w*(?:level|score|sentiment|label|category|confidence|rating|priority|severity)$")
#: ``await db.insert(...)``, also a chain broken over lines (``await supabase\n  .from("chats")\n  .insert(...)``).
#: An identifier read off a carrier (``msg.userId``, ``data.room_id``, ``payload.chatIds``).
_ID_PROPERTY = re.compile(r"^(?:\w*(?:Id|ID|Ids|IDs)|\w*_ids?|_id)$")
_AWAITED_CALL = re.compile(r"\bawait\s+[\w$]+(?:\s*\??\.\s*[\w$]+)*\s*\(")
LOG_CALL = re.compile(
    r"\b(?:console|\w*[lL]ogger|log|pino|winston|bunyan|fastify\.log)\.(?:log|info|warn|error|debug|trace)\s*\("
)
_QUOTED = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")
_HOSTS = "|".join([*(re.escape(h) for h in js.MODEL_HOSTS_JS), js.MODEL_API_PATH_REGEX])
#: A module that sends text to a model (the request's text there is the prompt).
_MODEL_TEXT = re.compile(
    r"\b(?:streamText|generateText|streamObject|generateObject|streamUI)\s*\(|\.chat\.completions\.create\(|"
    r"\.messages\.create\(|\.responses\.create\(|\bgenerateContent(?:Stream)?\(|\.invoke\(|\bsendMessage(?:Stream)?\(|"
    r"\bcreate(?:Chat)?Completion\(|" + _HOSTS
)
#: An awaited call whose result is the model's answer.
_MODEL_CALL = re.compile(
    r"\bawait\s+[\w$.]*?(?:\bcreate(?:Chat)?Completion|\.chat\.completions\.create|\.messages\.create|"
    r"\.responses\.create|\bgenerateText|\bgenerateObject|\.generateContent|\.invoke|\.sendMessage)\s*\("
)
#: A model call, awaited or not (a module that may return one).
_MODEL_CALL_ANY = re.compile(_MODEL_CALL.pattern.replace(r"\bawait\s+", "", 1))
#: The AI SDK's streaming calls, not awaited: their result streams the answer (``await result.text``,
#: ``result.textStream``).
_STREAM_CALL = re.compile(r"\s*(?:await\s+)?(?:streamText|streamObject|streamUI)\s*(?:<[^<>()]*>)?\s*\(")
#: Parameters named like the member's text, in a module that calls a model.
_PROMPT_PARAM = re.compile(
    r"(?i)^(?:prompt|prompts|userprompt|messages|chatmessages|chathistory|messagehistory|question|userinput|"
    r"usermessage|usermessages|conversation|conversationhistory|transcript|userquery|userquestion)$"
)
_FUNCTION_PARAMS = re.compile(
    r"\bfunction\b\s*\*?\s*[\w$]*\s*\(|(?:^|[=(,:]\s*|\breturn\s+)(?:async\s*)?\((?=[^()]*\)\s*(?::[^=;{]{1,80})?=>)|"
    r"(?m:^\s*(?:(?:public|private|protected|static|async)\s+)*(?!if\b|for\b|while\b|switch\b|catch\b|function\b)"
    r"[A-Za-z_$][\w$]*\s*\((?=[^()]*\)\s*(?::[^{;]{1,80})?\{))"
)
#: A row read from the database: ``await prisma.chat.findUnique(...)``, ``await Chat.findById(...)``,
#: ``await db.query.chats.findFirst(...)``.
_DB_ROW = re.compile(r"\s*await\s+(?:prisma|db|this\.\w+|[A-Z][\w$]*|[\w$]+Model|[\w$]+Repository)\.[\w$.]*?"
                     r"(?:find\w*|get\w*|select\w*|query\w*)\s*\(")
#: The chat history a stored row holds: ``originalChat.messages``, ``(chat.history as Message[])``.
_STORED_CHAT = re.compile(r"\s*\(?\s*([A-Za-z_$][\w$]*)\??\.(messages|history|chatHistory|conversation|transcript)\b"
                          r"(?!\s*\??\.\s*length\b)")
#: A callback over the elements of a value (``messages.map((m) => ...)``, ``.forEach(async (item) =>``): groups
#: receiver, the method, the element's name.
_ITERATE = re.compile(r"([A-Za-z_$][\w$.?]*)\s*\.\s*(map|forEach|flatMap|filter|find|some|every)\(\s*(?:async\s*)?"
                      r"\(?\s*([A-Za-z_$][\w$]*)\s*(?::\s*[\w$.<>\[\]]+)?\s*\)?\s*=>")
_FOR_OF = re.compile(r"\bfor\s*(?:await\s*)?\(\s*(?:const|let|var)\s+(\{[^}]*\}|\[[^\]]*\]|[A-Za-z_$][\w$]*)\s+of\s+")
_LINK = re.compile(r"\s*\??\.\s*([A-Za-z_$][\w$]*)|\s*(?:\?\.)?\[[^\]]*\]")
_CHAIN = re.compile(rf"(?:{_LINK.pattern})*")
#: Methods whose result says something about a value without carrying it.
_TEST_METHODS = frozenset({"includes", "startsWith", "endsWith", "indexOf", "lastIndexOf", "some", "every", "has",
                           "test", "findIndex", "localeCompare", "match"})
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
#: Longer texts are bundles or generated code: only the cheap record check runs there.
MAX_FLOW_TEXT = 300_000
_KIND_RULE = {"prompt": "LOG401", "output": "LOG402"}


@dataclass(frozen=True)
class _Taint:
    """A name holding a prompt or model output from ``start`` on, visible inside ``scope`` (a block span)."""

    name: str
    kind: str
    start: int
    scope: tuple[int, int]
    why: str


def request_value_logging(docs: Iterable[Doc], matches: Sequence[Match]) -> list[Finding]:
    """LOG401/LOG402 for log calls carrying a prompt or model output in server modules that call a model,
    LOG404 for HTTP-client errors that carry an Authorization header, and LOG403 for whole member records (a
    user/profile row, an object filled with email/phone fields) logged in server modules."""
    from scanner.engines.semgrep.credflow import credential_flows, signs_personal_tokens  # (it imports us)
    from scanner.engines.semgrep.logreach import (  # (it imports us)
        env_credential_logging,
        env_logged,
        handed_pii_logging,
    )

    model_lines: dict[str, set[int]] = {}  # module -> the lines where the model-call rule matched
    for m in matches:
        if m.role == "model":
            model_lines.setdefault(m.path, set()).add(m.line)
    model_files = set(model_lines)
    out = []
    by_path = {doc.path: doc for doc in docs}
    servers: dict[str, bool] = {}
    # openai-edge (fetch) has OpenAIApi too: its errors carry no request config
    edge_only = any(_EDGE_IMPORT.search(d.text) for d in by_path.values()) and \
        not any(_V3_IMPORT.search(d.text) for d in by_path.values())
    personal_tokens: bool | None = None  # the project signs JWTs with personal fields
    answering: dict[str, set[str]] | None = None  # module -> its functions that return the model's answer
    for doc in by_path.values():
        if not LOG_CALL.search(doc.text):
            continue
        server = servers[doc.path] = js.server_module(doc.path, doc.text)
        logs_env = env_logged(doc)
        code = blank_js(doc.text) if len(doc.text) <= MAX_FLOW_TEXT and (server or logs_env) else ""
        if code and logs_env:
            out += env_credential_logging(doc, code)
        if not server:
            continue
        out += _records(doc, code or blank_js(doc.text[:MAX_FLOW_TEXT]))
        if not code:
            continue
        out += _error_leaks(doc, code, edge_only)
        if personal_tokens is None:
            personal_tokens = signs_personal_tokens(by_path.values())
        out += credential_flows(doc, code, personal_tokens)
        if answering is None:
            answering = _answering_functions(by_path, model_files)
        # imported functions that return a model's answer, and this module's own (``const summary = await
        # generateConversationSummary(messages)`` defined above the route)
        helpers = _answering_imports(doc, by_path, answering) | frozenset(answering.get(doc.path, ()))
        if doc.path in model_files or _MODEL_TEXT.search(doc.text):
            out += _flows(doc, code, helpers, model_at=frozenset(model_lines.get(doc.path, ())))
        elif helpers:  # the module only hands text to a project helper: what that answers is model output
            out += _flows(doc, code, helpers, handed_only=True)
    return out + handed_pii_logging(by_path, servers)


def blank_js(text: str) -> str:
    """``text`` with comments and the contents of string literals (and of template literals outside their
    ``${...}`` parts) replaced by spaces, newlines kept: every index still points at the same code."""
    out = list(text)
    i, end = 0, len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, end)):
            if out[k] != "\n":
                out[k] = " "

    while i < end:
        ch = text[i]
        if ch in "\"'":
            j = i + 1
            while j < end and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, j)
            i = j + 1
        elif ch == "`":
            j = i + 1
            while j < end and text[j] != "`":
                if text[j] == "\\":
                    blank(j, j + 2)
                    j += 2
                elif text.startswith("${", j):
                    close = balanced_end(text, j + 1)
                    j = close if close > 0 else end
                else:
                    blank(j, j + 1)
                    j += 1
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = end if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = end if j < 0 else j + 2
            blank(i, j)
            i = j
        else:
            i += 1
    return "".join(out)


class Blocks:
    """The ``{...}`` blocks of blanked code (object literals included: a harmless over-approximation), indexed
    so that the innermost block around a position is found in about constant time, and the declarations
    (``let``/``const``/``var``) of each name."""

    def __init__(self, code: str) -> None:
        spans: list[tuple[int, int]] = []
        stack: list[int] = []
        for found in re.finditer(r"[{}]", code):
            if found.group(0) == "{":
                stack.append(found.start())
            elif stack:
                spans.append((stack.pop(), found.start() + 1))
        spans.sort()
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.parent: list[int] = []
        open_: list[int] = []
        for i, (a, _b) in enumerate(spans):
            while open_ and self.ends[open_[-1]] <= a:
                open_.pop()
            self.parent.append(open_[-1] if open_ else -1)
            open_.append(i)
        self.end = len(code)
        self.declared: dict[str, list[int]] = {}
        for found in re.finditer(r"\b(?:let|var|const)\s+(?:([A-Za-z_$][\w$]*)|[{\[]([^=;]*?)[}\]]\s*=)", code):
            for name in [found.group(1)] if found.group(1) else destructured(found.group(2)):
                self.declared.setdefault(name, []).append(found.start())

    def at(self, pos: int) -> tuple[int, int]:
        """The innermost block around ``pos``, or the module."""
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0 and self.ends[i] <= pos:
            i = self.parent[i]
        return (self.starts[i], self.ends[i]) if i >= 0 else (0, self.end)

    def declaration(self, name: str, pos: int) -> tuple[int, int]:
        """Scope of a bare assignment to ``name`` at ``pos``: that of the nearest earlier declaration."""
        found = self.declared.get(name, [])
        i = bisect.bisect_left(found, pos) - 1
        return self.at(found[i]) if i >= 0 else (0, self.end)


def statement_end(code: str, start: int) -> int:
    """End of the expression starting at ``start``: the first ``;`` or ``,``/closing bracket at depth 0, or a
    newline at depth 0 that does not continue the expression (bounded)."""
    depth, i, end = 0, start, min(len(code), start + 4000)
    while i < end:
        ch = code[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (ch in ";," or (ch == "\n" and not re.match(r"\s*[.?:&|+\-*/]", code[i + 1:i + 40])
                                             and not re.search(r"[=+\-*/&|?:(,]\s*$", code[start:i]))):
            return i
        i += 1
    return end


def destructured(group: str) -> list[str]:
    """Names bound by a destructuring pattern's inner text (``a, b: c, ...rest`` -> a, c, rest)."""
    out = []
    for part in split_args(group):
        part = part.strip().lstrip(".")
        part = re.split(r"\s*=\s*", part)[0]
        name = re.split(r"\s*:\s*", part)[-1].strip()
        if re.fullmatch(r"[A-Za-z_$][\w$]*", name):
            out.append(name)
    return out


def _param_names(params: str) -> list[str]:
    """Names bound by a parameter list: ``a: string, { b, c: d }, ...rest`` -> a, b, d, rest (a type after a
    plain parameter is no name; inside a destructuring pattern ``c: d`` renames)."""
    out = []
    for part in split_args(params):
        part = part.strip().lstrip(".")
        if part[:1] in "{[":
            close = balanced_end(part, 0)
            out += destructured(part[1:close - 1] if close > 0 else part[1:])
        else:
            found = re.match(r"[A-Za-z_$][\w$]*", part)
            if found:
                out.append(found.group(0))
    return out


def carried(name: str, text: str) -> bool:
    """True when ``text`` uses ``name`` for its content: not its length, type, id or another safe property, and
    not as a function called by that name."""
    for found in re.finditer(rf"(?<![\w$.]){re.escape(name)}\b", text):
        rest = text[found.end():]
        if re.match(r"\s*(?:\(|=(?!=))", rest) or (re.match(r"\s*:(?!:)", rest) and \
                re.search(r"[{,]\s*$", text[:found.start()])):
            continue  # a call, an assignment target or an object key
        chain = _CHAIN.match(rest)
        props = [p.group(1) for p in _LINK.finditer(chain.group(0)) if p.group(1)] if chain else []
        if any(p in _SAFE_PROPERTY or _VERDICT.match(p) or _ID_PROPERTY.match(p) for p in props):
            continue
        if props and props[-1] in _TEST_METHODS and re.match(r"\s*\(", rest[len(chain.group(0)) if chain else 0:]):
            continue  # `text.includes("x")` is a yes or no
        return True
    return False


def function_params(code: str) -> Iterable[tuple[list[str], tuple[int, int]]]:
    """(parameter names, body span) of each function with a ``{...}`` body."""
    for found in _FUNCTION_PARAMS.finditer(code):
        open_paren = found.end() - 1
        close = balanced_end(code, open_paren)
        if close < 0:
            continue
        body = re.match(r"\s*(?::[^{;=]{1,80})?\s*(?:=>\s*)?\{", code[close:close + 120])
        if body is None:
            continue
        brace = close + body.end() - 1
        stop = balanced_end(code, brace)
        if stop > 0:
            yield _param_names(code[open_paren + 1:close - 1]), (brace, stop)


def _model_sockets(doc: Doc, code: str) -> set[str]:
    """Names of WebSockets opened to a model API (``new WebSocket("wss://api.openai.com/...")``, or to a constant
    holding such a URL)."""
    consts = {m.group(1) for m in re.finditer(rf"\b(?:const|let|var)\s+([\w$]+)\s*=\s*[\"'`][^\"'`\n]*(?:{_HOSTS})",
                                              doc.text)}
    out = set()
    for found in re.finditer(r"\b([\w$]+)\s*=\s*new\s+WebSocket\s*\(", code):
        close = balanced_end(code, found.end() - 1)
        args = doc.text[found.end():close if close > 0 else found.end() + 300]
        first = split_args(args[:-1] if close > 0 else args)[:1]
        if first and (re.search(_HOSTS, first[0]) or first[0].strip() in consts):
            out.add(found.group(1))
    return out


#: Callbacks of a model call that receive what the model wrote: the AI SDK's ``streamText({ onFinish, onChunk,
#: onStepFinish })``, ``toUIMessageStreamResponse({ onFinish })``, the older ``OpenAIStream(res, { onCompletion,
#: onToken, onFinal })``, LangChain's ``handleLLMNewToken``/``handleLLMEnd``.
_CALLBACK = re.compile(r"(?<![\w$.])(?:async\s+)?(onFinish|onChunk|onStepFinish|onCompletion|onToken|onFinal|onText|"
                       r"handleLLMNewToken|handleLLMEnd)\s*(?::\s*(?:async\s*)?(?:function\b\s*[\w$]*\s*)?)?"
                       r"(?=[(A-Za-z_$])")
#: Properties of a model callback's event that are no text (counts, reasons, metadata, the request sent).
_CALLBACK_SAFE = frozenset({"usage", "totalUsage", "finishReason", "warnings", "providerMetadata",
                            "experimental_providerMetadata", "request", "isContinued", "stepType", "logprobs",
                            "rawResponse", "id", "model", "modelId", "timestamp", "headers"})
#: Calls whose options object holds such callbacks.
_CALLBACK_OWNER = re.compile(r"(?:streamText|streamObject|generateText|generateObject|streamUI|\w*Stream|"
                             r"toUIMessageStreamResponse|toDataStreamResponse|toTextStreamResponse|"
                             r"createUIMessageStream\w*|createDataStream\w*|pipe\w*ToResponse|\w*Chain\w*|"
                             r"\w*[Cc]allbacks?|\w*Handler|invoke|stream)$")


def _model_callbacks(code: str) -> list[_Taint]:
    """Taints for the parameters of model callbacks (``onFinish: async ({ text }) => {...}``,
    ``onFinish({ text }) {...}``, ``onFinish: (event) => console.log(event.text)``): the model's answer."""
    out: list[_Taint] = []
    for found in _CALLBACK.finditer(code):
        if not _CALLBACK_OWNER.search(_owner_call(code, found.start())):
            continue
        pos = found.end()
        if code[pos] == "(":
            close = balanced_end(code, pos)
            if close < 0:
                continue
            names = _param_names(code[pos + 1:close - 1])
        else:
            ident = _IDENT.match(code, pos)
            if ident is None:
                continue
            close, names = ident.end(), [ident.group(0)]
        body = re.match(r"\s*(?::[^{;=]{1,80})?\s*(=>)?\s*(\{)?", code[close:close + 120])
        if body is None or not (body.group(1) or body.group(2)):
            continue
        start = close + body.end() - (1 if body.group(2) else 0)
        stop = balanced_end(code, start) if body.group(2) else statement_end(code, start)
        if stop <= start:
            continue
        why = f"an argument of the model's {found.group(1)} callback"
        out += [_Taint(n, "output", close, (close, stop), why) for n in names if n not in _CALLBACK_SAFE]
    return out


def _owner_call(code: str, pos: int) -> str:
    """The name of the call whose argument list holds ``pos`` (out through object literals), or ``""``."""
    return enclosing_call(code, pos)[0]


def enclosing_call(code: str, pos: int) -> tuple[str, int]:
    """(callee name, index of its ``(``) of the innermost parenthesis around ``pos``, out through object and
    array literals (looking back at most 6,000 characters): ``("", i)`` for a grouping parenthesis,
    ``("", -1)`` when ``pos`` is in none."""
    depth, i, stop = 0, pos - 1, max(0, pos - 6000)
    while i >= stop:
        ch = code[i]
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            if depth:
                depth -= 1
            elif ch == "(":
                head = re.search(r"([\w$]+)\s*(?:<[^<>()]*>)?\s*$", code[max(0, i - 80):i])
                return (head.group(1) if head else ""), i
        i -= 1
    return "", -1


#: A socket.io / ws handler for a chat event from the client: ``socket.on("send-message", async (data) => {``.
_CHAT_EVENT = re.compile(
    r"\b([\w$]+)\s*\.\s*on\s*\(\s*[\"'`]([\w:.-]*(?:message|chat|prompt|question|ask|query)[\w:.-]*)[\"'`]\s*,\s*"
    r"(?:async\s*)?(?:function\s*[\w$]*\s*)?\(?\s*([A-Za-z_$][\w$]*)", re.I)
#: A socket this module opens to a server (``new WebSocket(url)``, socket.io's client ``io(url)``).
_OUTBOUND_SOCKET = re.compile(r"\b([\w$]+)\s*=\s*(?:new\s+WebSocket|io|socketIOClient|ioClient|connect)\s*\(")
_SOCKET_WHY = "{} is what the client sent in a chat event"


def _sources(doc: Doc, code: str) -> list[_Taint]:
    """Taints that start without an assignment: prompt-named parameters, a model socket's messages, the
    arguments of a model call's callbacks."""
    out: list[_Taint] = _model_callbacks(code)
    for names, span in function_params(code):
        for name in names:
            if _PROMPT_PARAM.match(name):
                out.append(_Taint(name, "prompt", span[0], span, f"{name} is a parameter named for the member's text"))
    model_sockets = _model_sockets(doc, code)
    outbound = set(_OUTBOUND_SOCKET.findall(code))  # what a server sends down a socket we opened is no member's
    for found in _CHAT_EVENT.finditer(doc.text):  # the event name is a string: match the text, not the code
        if found.group(1) in outbound:
            continue
        body = code.find("{", found.end())
        stop = balanced_end(code, body) if body >= 0 and not code[found.end():body].strip(" )=>:\n\t") else -1
        if stop > 0:
            name = found.group(3)
            out.append(_Taint(name, "prompt", body, (body, stop), _SOCKET_WHY.format(name)))
    for socket in model_sockets:
        pattern = re.compile(rf"\b{re.escape(socket)}\s*\.\s*(?:on|addEventListener)\s*\(\s*[\"']message[\"']\s*,\s*"
                             r"(?:async\s*)?(?:function\s*[\w$]*\s*)?\(?\s*([A-Za-z_$][\w$]*)|"
                             rf"\b{re.escape(socket)}\s*\.\s*onmessage\s*=\s*(?:async\s*)?(?:function\s*[\w$]*\s*)?"
                             r"\(?\s*([A-Za-z_$][\w$]*)")
        for found in pattern.finditer(doc.text):  # the event name is a string: match the text, not the code
            body = code.find("{", found.end())
            stop = balanced_end(code, body) if body >= 0 else -1
            if stop > 0:
                name = found.group(1) or found.group(2)
                out.append(_Taint(name, "output", body, (body, stop), f"{name} is what the model's WebSocket sent"))
    return out


#: ``return <expr>`` in a function body.
_RETURN = re.compile(r"\breturn\b[ \t]*")
#: ``export default async function ask(`` / ``export default ask``: the name a default import stands for.
_DEFAULT_EXPORT = re.compile(r"\bexport\s+default\s+(?:async\s+)?(?:function\s*\*?\s*)?([A-Za-z_$][\w$]*)")


def _answering_functions(by_path: dict[str, Doc], model_files: set[str]) -> dict[str, set[str]]:
    """Module path -> names of its functions that return a model's answer: ``return <model call>`` or the
    return of a value taken from one (``return completion.choices[0].message.content``)."""
    out: dict[str, set[str]] = {}
    for doc in by_path.values():
        if len(doc.text) > MAX_FLOW_TEXT or not (doc.path in model_files or _MODEL_CALL_ANY.search(doc.text)):
            continue
        code = blank_js(doc.text)
        outputs = [t for t in _taints(doc, code, Blocks(code)) if t.kind == "output"]
        names = set()
        for name in set(re.findall(r"\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(", code)) | set(re.findall(
                r"\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\b|\([^()]*\)\s*(?::[^=]{0,80})?=>)",
                code)):
            span = definition_span(code, name)
            if span is None:
                continue
            for ret in _RETURN.finditer(code, span[0], span[1]):
                value = code[ret.end():statement_end(code, ret.end())]
                awaited = value if value.lstrip().startswith("await") else "await " + value.lstrip()
                if _MODEL_CALL.search(awaited) or any(
                        t.start < ret.start() and t.scope[0] <= ret.start() < t.scope[1] and carried(t.name, value)
                        for t in outputs):
                    names.add(name)
                    break
        if names:
            out[doc.path] = names
    return out


def _answering_imports(doc: Doc, by_path: dict[str, Doc], answering: dict[str, set[str]]) -> frozenset[str]:
    """Local names under which ``doc`` imports a project function that returns a model's answer."""
    out = set()
    for local, spec, _line in imports_of(doc.text):
        for target in resolve(doc.path, spec, by_path):
            default = _DEFAULT_EXPORT.search(by_path[target].text) \
                if re.search(rf"\bimport\s+{re.escape(local)}\s*(?:,|from\b)", doc.text) else None
            exported = default.group(1) if default else exported_name(doc.text, local)
            if target != doc.path and exported in answering.get(target, set()):
                out.add(local)
    return frozenset(out)


#: One assignment of blanked code: (position, end of the value, value text, scope of the names, names bound).
Assignment = tuple[int, int, str, tuple[int, int], list[str]]


def assignments(code: str, blocks: Blocks) -> list[Assignment]:
    """The assignments and declarations of ``code`` (``const x = ...``, ``let { a, b: c } = ...``, ``x = ...``)
    in text order; a declaration's names are visible in its block, a bare assignment's in the block of the
    name's nearest earlier declaration."""
    out = []
    for found in _ASSIGN.finditer(code):
        stop = statement_end(code, found.end())
        names = [found.group(4)] if found.group(4) else destructured(found.group(2) or found.group(3) or "")
        scope = blocks.at(found.start()) if found.group(1) else blocks.declaration(names[0] if names else "",
                                                                                    found.start())
        out.append((found.start(), stop, code[found.end():stop], scope, names))
    return out


def _taints(doc: Doc, code: str, blocks: Blocks, helpers: frozenset[str] = frozenset(),
            model_at: frozenset[int] = frozenset()) -> list[_Taint]:
    """The names of ``doc`` holding a prompt or model output. ``model_at``: the 1-based lines where the model-call
    rule matched a call (wrapper clients the patterns below do not name: ``await gemini.ask(text)``)."""
    taints = _sources(doc, code)
    helper_call = re.compile(rf"\bawait\s+(?:{'|'.join(map(re.escape, sorted(helpers)))})\s*\(") if helpers else None
    end = len(code)
    events = assignments(code, blocks)
    for found in _FOR_OF.finditer(code):
        close = balanced_end(code, found.start() + found.group(0).index("("))
        if close < 0:
            continue
        value = code[found.end():close - 1]
        body = code.find("{", close)
        scope = (close, balanced_end(code, body)) if body >= 0 and not code[close:body].strip() else (close, end)
        names = destructured(found.group(1)[1:-1]) if found.group(1)[0] in "{[" else [found.group(1)]
        events.append((found.start(), close, value, scope, names))
    for found in _ITERATE.finditer(code):  # ``response.messages.map((m) => ...)``: each element, in the callback
        close = balanced_end(code, code.index("(", found.end(2)))  # the end of the ``.map(...)`` call
        if close < 0:
            continue
        events.append((found.start(), found.start(2), found.group(1), (found.end(), close), [found.group(3)]))
    events.sort(key=lambda e: e[0])
    hosts = _host_consts(doc)
    local = set(re.findall(r"\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(", code)) | set(
        re.findall(r"\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\b|\([^()]*\)\s*=>)", code))
    rows = {n for _pos, _s, value, _sc, names in events if _DB_ROW.match(value) for n in names}
    for pos, _stop, value, scope, names in events:
        kinds: dict[str, str] = {}
        raw = doc.text[pos:_stop]
        stored = _STORED_CHAT.match(value)
        if stored is not None and stored.group(1) in rows:
            kinds["prompt"] = f"the chat's stored messages ({stored.group(1)}.{stored.group(2)})"
        elif _MODEL_CALL.search(value) or _STREAM_CALL.match(value) or _awaits_model_at(doc, value, pos, model_at) or \
                re.search(rf"\bawait\s+(?:axios(?:\.\w+)?|fetch|got(?:\.\w+)?)\s*\("
                          rf"\s*(?:[\"'`][^\"'`]*(?:{_HOSTS})|{hosts})", raw):
            kinds["output"] = "the result of a model call"
        elif helper_call is not None and (called := helper_call.search(value)):
            kinds["output"] = f"what {called.group(0)[5:].strip(' (')}() returns: the model's answer"
        elif _SOURCE.search(value):
            kinds["prompt"] = "read from the request"
        elif not _AWAITED_CALL.search(value) or _local_await(value, local) or _body_read(value, code, pos):
            read = _body_read(value, code, pos)
            # an awaited call answers with its own data, unless it is a function of this module (a tool runner
            # called with the model's arguments answers with what it was given) or reads the body of a model's
            # answer (``const data = await response.json()`` after a fetch to the model's host)
            used = set(_IDENT.findall(value))
            for t in taints:
                if t.name in used and t.start < pos and t.scope[0] <= pos < t.scope[1] and carried(t.name, value) \
                        and (t.kind == "output" or not read):
                    kinds.setdefault(t.kind, f"from {t.name}")
        for kind, why in kinds.items():
            for name in names:
                # (``stream`` is a request option, but a name holding a model call's result streams the answer)
                if re.fullmatch(r"[A-Za-z_$][\w$]*", name) and \
                        (not _NOT_PROMPT.match(name) or (kind == "output" and name.lower() == "stream")):
                    taints.append(_Taint(name, kind, pos, scope, why))
    return taints


def _awaits_model_at(doc: Doc, value: str, pos: int, model_at: frozenset[int]) -> bool:
    """True when ``value`` (assigned at offset ``pos``) is an awaited call on a line where a model call matched."""
    if not model_at or not re.match(r"\s*await\s+[\w$.]+\s*\(", value):
        return False
    first = doc.text.count("\n", 0, pos) + 1
    return any(first <= line <= first + value.count("\n") for line in model_at)


#: ``await response.json()``: the awaited call reads the body of a response already held.
_BODY_READ = re.compile(r"\s*await\s+([A-Za-z_$][\w$]*)\s*\.\s*json\s*\(\s*\)\s*;?\s*")


def _body_read(value: str, code: str, pos: int) -> str:
    """The response's name when ``value`` is only ``await <name>.json()`` outside an ``if (!<name>.ok) {`` branch:
    what it answers is what the fetch response carried (a model's answer stays model output), while the body of a
    failed response is the provider's error. Empty otherwise."""
    found = _BODY_READ.fullmatch(value)
    if found is None:
        return ""
    name = re.escape(found.group(1))
    failed = re.search(rf"\bif\s*\(\s*!\s*{name}\s*\.\s*ok\s*\)\s*\{{[^{{}}]*$", code[max(0, pos - 400):pos])
    return "" if failed else found.group(1)


def _local_await(value: str, local: set[str]) -> bool:
    """True when every awaited call in ``value`` is of a function defined in this module."""
    called = re.findall(r"\bawait\s+([\w$.]+)\s*\(", value)
    return bool(called) and all(name in local for name in called)


def _host_consts(doc: Doc) -> str:
    names = [m.group(1) for m in re.finditer(rf"\b(?:const|let|var)\s+([\w$]+)\s*=\s*[\"'`][^\"'`\n]*(?:{_HOSTS})",
                                             doc.text)]
    return "|".join(re.escape(n) + r"\b" for n in names) or r"(?!x)x"


#: Calls of the openai v3 SDK (``new OpenAIApi(configuration)``): axios requests with the key in their headers.
_OPENAI_V3_CALL = re.compile(
    r"\.(?:createChatCompletion|createCompletion|createImage|createImageEdit|createImageVariation|createEmbedding|"
    r"createTranscription|createTranslation|createModeration|createEdit|listModels|retrieveModel)\s*\(")
_AXIOS_CALL = re.compile(r"\baxios\s*(?:\.\s*(?:get|post|put|patch|delete|request|head)\s*)?\(")
#: A credential in a request URL's query (``?key=${apiKey}``, ``&api_key=${KEY}``): the request config keeps it.
_KEY_QUERY = re.compile(r"[?&](?:key|api_?key|apikey|access_token|token|auth)=\$\{")
#: ``const response = await axios.post(`` (or an axios instance's call): the response keeps the request config.
_AWAITED_REQUEST = re.compile(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*await\s+(?=[\w$]+\s*[.(])")
#: A request header that authenticates the caller.
_AUTH_HEADER = re.compile(r"(?i)authorization|\bbearer\b|x-api-key|api-key|xi-api-key|\bapikey\b|x-goog-api-key")
_TRY = re.compile(r"\btry\s*\{")
_CATCH = re.compile(r"\s*catch\s*\(\s*([A-Za-z_$][\w$]*)\s*(?::\s*[\w$]+\s*)?\)\s*\{")
_PROMISE_CATCH = re.compile(r"\.\s*catch\s*\(\s*(?:async\s*)?(?:function\s*[\w$]*\s*)?\(?\s*([A-Za-z_$][\w$]*)\s*\)?"
                            r"\s*(?:=>)?\s*")


#: ``import { Configuration, OpenAIApi } from "openai"`` / ``= require("openai")``: the axios-based v3 SDK.
_V3_IMPORT = re.compile(r"\bOpenAIApi\b[^;]{0,200}?(?:\bfrom|\brequire\s*\()\s*[\"']openai[\"']")
#: The fetch-based ``openai-edge`` package (same ``OpenAIApi`` names, no axios).
_EDGE_IMPORT = re.compile(r"(?:\bfrom|\brequire\s*\()\s*[\"']openai-edge[\"']")


def _openai_v3(doc: Doc, span: str, edge_only: bool = False) -> bool:
    """True when ``span`` calls the openai v3 SDK: a v3 method in a module that imports ``OpenAIApi`` from
    ``openai``, or ``createChatCompletion``/``createCompletion`` on a receiver named for openai (passed in from
    the module that builds it: ``routes(app, openai)``) unless the module imports ``openai-edge`` or the
    project imports ``OpenAIApi`` only from ``openai-edge`` (``edge_only``): that client is fetch-based and its
    errors carry no Authorization header."""
    if _V3_IMPORT.search(doc.text) and _OPENAI_V3_CALL.search(span):
        return True
    if edge_only or _EDGE_IMPORT.search(doc.text):
        return False
    return bool(re.search(r"(?i)\b\w*openai\w*\s*\.\s*create(?:Chat)?Completion\s*\(", span))


def _authed_call(doc: Doc, code: str, blocks: Blocks, start: int, end: int, instances: set[str],
                 edge_only: bool = False) -> bool:
    """True when ``code[start:end]`` sends an HTTP request through axios with an auth header: an openai v3 SDK
    call, an axios call whose headers (in the same function: the text before it in its block) authenticate, or
    a call on an axios instance created with such headers."""
    span = code[start:end]
    if _openai_v3(doc, span, edge_only):
        return True
    if any(re.search(rf"\b{re.escape(i)}\s*\.\s*(?:get|post|put|patch|delete|request)\s*\(", span) for i in instances):
        return True
    call = _AXIOS_CALL.search(span)
    if call is None:
        return False
    close = balanced_end(code, start + call.end() - 1)
    if close > 0 and _KEY_QUERY.search(doc.text[start + call.start():close]):
        return True
    defaults = code.find("axios.defaults.headers")
    if defaults >= 0 and _AUTH_HEADER.search(doc.text[defaults:defaults + 300]):
        return True
    scope = blocks.at(start)  # the function around the try: headers are often built before it
    return bool(_AUTH_HEADER.search(doc.text[scope[0]:end]))


def _axios_instances(doc: Doc, code: str) -> set[str]:
    out = set()
    for found in re.finditer(r"\b([\w$]+)\s*=\s*axios\.create\s*\(", code):
        close = balanced_end(code, found.end() - 1)
        if close > 0 and _AUTH_HEADER.search(doc.text[found.end():close]):
            out.add(found.group(1))
    return out


def _whole_error(name: str, args: str) -> bool:
    """True when a log call's arguments carry the error object itself (or its ``config``/``request``/``response``
    objects, which hold the request headers), not its message, status or response data."""
    n = re.escape(name)
    for arg in split_args(args):
        arg = arg.strip()
        if re.fullmatch(rf"{n}(?:\s*\??\.\s*(?:response|config|request))?|{n}\s*\??\.\s*toJSON\s*\(\s*\)|"
                        rf"JSON\.stringify\(\s*{n}\b(?:\s*\??\.\s*(?:response|config|request))?\s*[,)].*", arg, re.S):
            return True
        if arg.startswith("{") and re.search(rf"(?:[{{,]\s*{n}\s*[,}}]|:\s*{n}\s*[,}}])", arg):
            return True
    return False


def _statement_start(code: str, pos: int) -> int:
    """Start of the statement holding ``pos``: back over balanced brackets to a ``;`` or an unmatched opening
    bracket (bounded)."""
    depth, i, stop = 0, pos - 1, max(0, pos - 4000)
    while i > stop:
        ch = code[i]
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            if depth == 0:
                return i + 1
            depth -= 1
        elif ch == ";" and depth == 0:
            return i + 1
        i -= 1
    return stop


def _error_leaks(doc: Doc, code: str, edge_only: bool = False) -> list[Finding]:
    """LOG404 for an axios error logged whole in the ``catch`` of a request that sent an auth header (or a key
    in its URL's query), and for the response of such a request logged whole (``const response = await
    axios.post(`${url}?key=${apiKey}`, body); console.log("res:", response)``: its ``config`` holds the URL
    and headers; set 22 fashion-advisisor)."""
    if not (_AXIOS_CALL.search(code) or "axios.create" in code or _openai_v3(doc, code, edge_only)):
        return []
    instances = _axios_instances(doc, code)
    blocks = Blocks(code)
    out = _response_leaks(doc, code, blocks, instances, edge_only)
    handlers: list[tuple[str, int, int, int]] = []  # (error name, try start, catch body start, catch body end)
    for found in _TRY.finditer(code):
        close = balanced_end(code, found.end() - 1)
        catch = _CATCH.match(code, close) if close > 0 else None
        if catch is None:
            continue
        stop = balanced_end(code, catch.end() - 1)
        if stop > 0 and _authed_call(doc, code, blocks, found.start(), close, instances, edge_only):
            handlers.append((catch.group(1), found.start(), catch.end(), stop))
    for found in _PROMISE_CATCH.finditer(code):
        # the promise chain the .catch hangs on: back to the statement's start
        head = _statement_start(code, found.start())
        body_end = balanced_end(code, code.index("(", found.start()))
        if body_end > 0 and _authed_call(doc, code, blocks, head, found.start(), instances, edge_only):
            handlers.append((found.group(1), head, found.end(), body_end))
    for name, _start, body, stop in handlers:
        for call in LOG_CALL.finditer(code, body, stop):
            close = balanced_end(code, call.end() - 1)
            if close < 0 or not _whole_error(name, code[call.end():close - 1]):
                continue
            line = doc.text.count("\n", 0, call.start()) + 1
            message = (f"Credential written to logs: {name} is the error of an axios request that sent an "
                       "Authorization header or API key, and it carries that request's config with its headers")
            out.append(Finding(rule("LOG404"), Location(doc.path, line, call.start() - doc.text.rfind(
                "\n", 0, call.start())), message, snippet_of(doc.line(line)), context="error-flow",
                match_key=doc.line(line).strip()[:200]))
    return out


def _response_leaks(doc: Doc, code: str, blocks: Blocks, instances: set[str], edge_only: bool) -> list[Finding]:
    """LOG404 for the awaited response of an authenticated axios request logged whole in its block."""
    out = []
    for found in _AWAITED_REQUEST.finditer(code):
        paren = code.find("(", found.end())
        close = balanced_end(code, paren) if paren > 0 else -1
        if close < 0 or not _authed_call(doc, code, blocks, found.end(), close, instances, edge_only):
            continue
        name = found.group(1)
        for call in LOG_CALL.finditer(code, close, blocks.at(found.start())[1]):
            end = balanced_end(code, call.end() - 1)
            if end < 0 or not _whole_error(name, code[call.end():end - 1]):
                continue
            line = doc.text.count("\n", 0, call.start()) + 1
            message = (f"Credential written to logs: {name} is the response of an axios request that sent an API "
                       "key or Authorization header, and it carries that request's config with its URL and headers")
            out.append(Finding(rule("LOG404"), Location(doc.path, line, call.start() - doc.text.rfind(
                "\n", 0, call.start())), message, snippet_of(doc.line(line)), context="error-flow",
                match_key=doc.line(line).strip()[:200]))
    return out


def _flows(doc: Doc, code: str, helpers: frozenset[str] = frozenset(), handed_only: bool = False,
           model_at: frozenset[int] = frozenset()) -> list[Finding]:
    """LOG401/LOG402 for the log calls of ``doc`` that carry a taint. ``handed_only``: the module calls no model
    itself but hands text to a project helper that does; then only what that helper answers (model output) and
    what a chat event sent (the text it hands on) count, not every request value."""
    taints = _taints(doc, code, Blocks(code), helpers, model_at)
    if handed_only:
        taints = [t for t in taints if t.kind == "output" or t.why == _SOCKET_WHY.format(t.name)]
    if not taints:
        return []
    out = []
    for call in LOG_CALL.finditer(code):
        close = balanced_end(code, call.end() - 1)
        args = code[call.end():close - 1 if close > 0 else code.find("\n", call.end())]
        used = set(_IDENT.findall(args))
        seen = [t for t in taints
                if t.name in used and t.start < call.start() and t.scope[0] <= call.start() < t.scope[1]]
        # the latest binding of a name is the one in force
        latest: dict[str, _Taint] = {}
        for t in sorted(seen, key=lambda t: t.start):
            latest[t.name] = t
        hit = next((t for t in sorted(latest.values(), key=lambda t: t.kind != "prompt") if carried(t.name, args)),
                   None)
        if hit is None:
            continue
        line = doc.text.count("\n", 0, call.start()) + 1
        if hit.kind == "prompt":
            message = (f"User prompt written to logs: {hit.name} is read from the request in a module that sends "
                       "it to a model" if hit.why == "read from the request" else
                       f"User prompt written to logs: {hit.name} ({hit.why}) in a module that sends it to a model")
        else:
            message = f"Model output written to logs: {hit.name} ({hit.why})"
        out.append(Finding(rule(_KIND_RULE[hit.kind]), Location(doc.path, line, call.start() - doc.text.rfind(
            "\n", 0, call.start())), message, snippet_of(doc.line(line)), context="request-flow",
            match_key=doc.line(line).strip()[:200]))
    return out


#: ``await Profile.findOne(...)``, ``await prisma.user.findUnique(...)``, ``await this.userModel.findById(...)``:
#: a member's whole row.
_RECORD_CALL = re.compile(
    r"\bawait\s+(?:this\.)?(?:[\w$]+\.)?(?:query\.)?(?:\w*(?:user|profile|account|member|customer|patient|contact)\w*)"
    r"(?:Model|Repository|Repo)?\.(?:findOne|findById|findUnique|findUniqueOrThrow|findFirst|findMany|findAll|find|"
    r"findOneAndUpdate|findByIdAndUpdate|create|update|upsert)\s*\("
    # Drizzle: ``await db.select().from(emergencyContacts)``
    r"|\bawait\s+[\w$.]+\.select\s*\([^()]*\)\s*\.from\s*\(\s*(?:[\w$]+\.)?"
    r"\w*(?:user|profile|account|member|customer|patient|contact)\w*\s*\)",
    re.I,
)
#: A parameter typed with personal fields: ``data: { userId: string; name: string; email: string }``.
_PII_TYPED_PARAM = re.compile(
    r"[(,]\s*([A-Za-z_$][\w$]*)\s*:\s*\{[^{}]*?\b(?:email|phone|phoneNumber|address|dateOfBirth|ssn)\??\s*:\s*"
    r"(?:string|String|number)\b[^{}]*\}\s*[,)]"
)
#: From a typed parameter to its function's body: the rest of the parameters, a return type, ``{`` or ``=> {``.
_FUNCTION_BODY = re.compile(r"[^;{}]*?\)\s*(?::[^{;=]{1,80})?(?:=>\s*)?\{")
#: Fields that make an object a member record when a module fills them (``data.email = req.body.email``).
_PII_FIELD = r"(?:email|phone|phoneNumber|password|passwordHash|address|firstName|lastName|dob|dateOfBirth|ssn)"


#: A read of stored chats, conversations or messages (``await Chat.find({ userId })``,
#: ``await prisma.message.findMany(...)``): the rows hold what members wrote to the model (set 25 safe-gpt-next).
_CHAT_ROWS_CALL = re.compile(r"^\s*await\s+(?:this\.)?(?:(?:prisma|db)\.)?[\w$]*?(?i:chat|conversation|message|"
                             r"transcript)s?(?:Model|Repository|Repo)?\.(?:find\w*|get\w*)\s*\(")


#: A stored chat, conversation or message written (``await prisma.chatHistory.create({ data: { message, response }
#: })``): the row returned holds what its fields were given.
_CHAT_WRITE_CALL = re.compile(r"\s*await\s+(?:this\.)?(?:(?:prisma|db)\.)?[\w$]*?(?i:chat|conversation|message|"
                              r"transcript)\w*?(?:Model|Repository|Repo)?\.(?:create|insert\w*|save)\s*\(")
#: The member's text among a written row's fields.
_TEXT_FIELD = re.compile(r"\b(?:message|content|prompt|question|response|answer|text|query|reply)\b\s*[:,}]")


def _chat_write_with_text(code: str, start: int) -> bool:
    """True when the expression at ``start`` writes a chat row whose fields hold the member's text or the model's
    answer (set 26 Ahimsha: ``console.log("saved chat: ", chat)``); a new chat named by the member and keyed to
    them (``{ name, userId }``) holds no conversation."""
    found = _CHAT_WRITE_CALL.match(code, start)
    if found is None:
        return False
    close = balanced_end(code, found.end() - 1)
    return close > 0 and _TEXT_FIELD.search(code, found.end(), close) is not None


def _records(doc: Doc, code: str) -> list[Finding]:
    """LOG403 for log calls whose argument is a whole member record held in a name, LOG401 for stored chats,
    conversations or messages held in a name; ``code`` is the module with comments and string contents blanked
    (``blank_js``): a commented-out ``console.log(user)`` logs nothing."""
    names: dict[str, str] = {}
    chats: set[str] = set()
    scopes: dict[str, tuple[int, int]] = {}  # where a name holds the record: a typed parameter's function, ...
    for found in re.finditer(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,80})?=\s*([^;\n]*)", code):
        if _RECORD_CALL.search(found.group(2)):
            names.setdefault(found.group(1), "a member's database record")
        elif (_CHAT_ROWS_CALL.match(found.group(2)) or _chat_write_with_text(code, found.start(2))) and \
                found.group(1) not in names:
            names[found.group(1)] = "stored chats read from the database, with what members wrote" if \
                _CHAT_ROWS_CALL.match(found.group(2)) else "a chat row just written with what the member wrote"
            chats.add(found.group(1))
            # the rows are in this name inside the function that read them, from the read on
            inner = [span for _params, span in function_params(code) if span[0] <= found.start() < span[1]]
            end = min(inner, key=lambda sp: sp[1] - sp[0])[1] if inner else len(code)
            scopes[found.group(1)] = (found.start(), end)
    for found in re.finditer(rf"\b([A-Za-z_$][\w$]*)\.{_PII_FIELD}\s*=(?!=)", code):
        names.setdefault(found.group(1), "an object filled with personal fields")
    for found in _PII_TYPED_PARAM.finditer(code):
        body = _FUNCTION_BODY.match(code, found.end() - 1)
        close = balanced_end(code, body.end() - 1) if body is not None else -1
        if body is not None and close > 0 and found.group(1) not in names:
            names[found.group(1)] = "a parameter typed with personal fields"
            scopes[found.group(1)] = (body.end(), close)
    out = []
    for call in LOG_CALL.finditer(code):
        line_end = code.find("\n", call.end())
        args = _QUOTED.sub("''", code[call.end():line_end if line_end >= 0 else len(code)])
        hit: tuple[str, str] | None = None  # (rule, message)
        if any(_CHAT_ROWS_CALL.match(args[m.start():]) for m in re.finditer(r"\bawait\b", args)):
            hit = ("LOG401", "User prompts written to logs: stored chats read from the database, with what members "
                   "wrote")  # ``console.log(await Chat.find({}))``
        for name, what in names.items():
            scope = scopes.get(name)
            if hit is not None or (scope is not None and not scope[0] <= call.start() < scope[1]):
                continue
            if re.search(rf"(?<![\w$.]){re.escape(name)}\s*(?:[,)}}]|$)", args):
                hit = ("LOG401", f"User prompts written to logs: {name} is {what}") if name in chats else \
                    ("LOG403", f"Personal data written to logs: {name} is {what} (email, phone, password hash)")
        if hit is not None:
            line = doc.text.count("\n", 0, call.start()) + 1
            out.append(Finding(rule(hit[0]), Location(doc.path, line, call.start() - doc.text.rfind(
                "\n", 0, call.start())), hit[1], snippet_of(doc.line(line)), context="record-flow",
                match_key=doc.line(line).strip()[:200]))
    return out
