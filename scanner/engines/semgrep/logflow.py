"""LOG401 by data flow in one JS/TS module: a value read from the request (``await req.json()``, ``req.body``,
``searchParams.get('q')``, ``formData.get('text')``, Hono's ``c.req.json()``) followed through assignments,
destructuring, containers and template strings to a log sink, in a module that sends requests to a model.

The name-based semgrep rules catch ``prompt``/``messages``/``question``; this pass catches the same prompt held in
``content``, ``text``, ``q`` or ``input``. Identifiers, counts and settings read from the same body (``chatId``,
``model``, ``temperature``, ``.length``) are not prompts. The analysis is per module, in source order, without
scopes: a name assigned from the request anywhere before the log call counts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from scanner.engines.semgrep.doc import Doc
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
#: ``const x = ...`` / ``let { a, b: c } = ...`` / ``x = ...`` up to the end of the statement's first line.
_ASSIGN = re.compile(r"(?:\b(?:const|let|var)\s+)?(?:\{([^{}=;]*)\}|\[([^\[\]=;]*)\]|([A-Za-z_$][\w$]*))\s*"
                     r"(?::\s*[^=;\n]{1,80})?=(?![=>])\s*([^;\n]*)")
#: Names read from a request that are not a prompt: identifiers, model settings, paging.
_NOT_PROMPT = re.compile(
    r"(?i)^(?:\w*ids?|model|models|temperature|top_?p|max_?tokens|stream|page|limit|offset|cursor|sort|order|"
    r"lang|locale|language|type|kind|mode|format|status|size|count|n|seed|provider|tools?|visibility|"
    r"selectedChatModel|\w*(?:Id|ID|Ids|Count|Type|Mode|Model)|\w*(?:url|uri|host|endpoint|path)|"
    r"\w*(?:Url|URL|Uri|Host|Endpoint|Path))$"
)
_AWAITED_CALL = re.compile(r"\bawait\s+[\w$.]+\s*\(")
_LOG_CALL = re.compile(
    r"\b(?:console|\w*[lL]ogger|log|pino|winston|bunyan|fastify\.log)\.(?:log|info|warn|error|debug|trace)\s*\("
)
_QUOTED = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")
#: A module that sends text to a model (the request's text there is the prompt).
_MODEL_TEXT = re.compile(
    r"\b(?:streamText|generateText|streamObject|generateObject|streamUI)\s*\(|\.chat\.completions\.create\(|"
    r"\.messages\.create\(|\.responses\.create\(|\bgenerateContent(?:Stream)?\(|\.invoke\(|\bsendMessage(?:Stream)?\(|"
    + "|".join(re.escape(h) for h in js.MODEL_HOSTS_JS)
)


def request_value_logging(docs: Iterable[Doc], matches: Sequence[Match]) -> list[Finding]:
    """LOG401 findings for log calls carrying a request value in server modules that call a model, and LOG403
    for whole member records (a user/profile row, an object filled with email/phone fields) logged in server
    modules."""
    model_files = {m.path for m in matches if m.role == "model"}
    out = []
    for doc in docs:
        if _LOG_CALL.search(doc.text) and js.server_module(doc.path, doc.text):
            out += _records(doc)
        if not _SOURCE.search(doc.text) or not _LOG_CALL.search(doc.text):
            continue
        if doc.path not in model_files and not _MODEL_TEXT.search(doc.text):
            continue
        if not js.server_module(doc.path, doc.text):
            continue
        out += _flows(doc)
    return out


def tainted_names(text: str) -> dict[str, int]:
    """Names holding request values in ``text`` -> character index where each became tainted."""
    tainted: dict[str, int] = {}
    for found in _ASSIGN.finditer(text):
        value = found.group(4)
        if _AWAITED_CALL.search(value) and not _SOURCE.search(value):
            continue  # an awaited call (the model, the database) answers with its own data, not the request's
        carries = _SOURCE.search(value) or any(
            re.search(rf"(?<![\w$.]){re.escape(n)}\b(?!\s*(?:\?\.|\.)\s*length)", value) for n in tainted)
        if not carries:
            continue
        if found.group(3):
            names = [found.group(3)]
        else:
            names = [re.split(r"\s*[:=]\s*", p.strip().lstrip("."))[-1].strip()
                     for p in (found.group(1) or found.group(2) or "").split(",")]
        for name in names:
            if re.fullmatch(r"[A-Za-z_$][\w$]*", name) and not _NOT_PROMPT.match(name) and name not in tainted:
                tainted[name] = found.start()
    return tainted


def _flows(doc: Doc) -> list[Finding]:
    tainted = tainted_names(doc.text)
    if not tainted:
        return []
    out = []
    for call in _LOG_CALL.finditer(doc.text):
        line_end = doc.text.find("\n", call.end())
        args = _QUOTED.sub("''", doc.text[call.end():line_end if line_end >= 0 else len(doc.text)])
        for name, where in tainted.items():
            if where < call.start() and re.search(
                    rf"(?<![\w$.]){re.escape(name)}\b(?!\s*(?:\?\.|\.)\s*length)(?!\s*\()", args):
                line = doc.text.count("\n", 0, call.start()) + 1
                message = (f"User prompt written to logs: {name} is read from the request in a module that sends "
                           "it to a model")
                out.append(Finding(rule("LOG401"), Location(doc.path, line, call.start() - doc.text.rfind(
                    "\n", 0, call.start())), message, snippet_of(doc.line(line)), context="request-flow",
                    match_key=doc.line(line).strip()[:200]))
                break
    return out


#: ``await Profile.findOne(...)``, ``await prisma.user.findUnique(...)``, ``await this.userModel.findById(...)``:
#: a member's whole row.
_RECORD_CALL = re.compile(
    r"\bawait\s+(?:this\.)?(?:[\w$]+\.)?(?:\w*(?:user|profile|account|member|customer|patient)\w*)(?:Model|Repository|Repo)?"
    r"\.(?:findOne|findById|findUnique|findUniqueOrThrow|findFirst|findOneAndUpdate|findByIdAndUpdate|create|"
    r"update|upsert)\s*\(",
    re.I,
)
#: Fields that make an object a member record when a module fills them (``data.email = req.body.email``).
_PII_FIELD = r"(?:email|phone|phoneNumber|password|passwordHash|address|firstName|lastName|dob|dateOfBirth|ssn)"


def _records(doc: Doc) -> list[Finding]:
    """LOG403 for log calls whose argument is a whole member record held in a name."""
    names: dict[str, str] = {}
    for found in re.finditer(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,80})?=\s*([^;\n]*)", doc.text):
        if _RECORD_CALL.search(found.group(2)):
            names.setdefault(found.group(1), "a member's database record")
    for found in re.finditer(rf"\b([A-Za-z_$][\w$]*)\.{_PII_FIELD}\s*=(?!=)", doc.text):
        names.setdefault(found.group(1), "an object filled with personal fields")
    if not names:
        return []
    out = []
    for call in _LOG_CALL.finditer(doc.text):
        line_end = doc.text.find("\n", call.end())
        args = _QUOTED.sub("''", doc.text[call.end():line_end if line_end >= 0 else len(doc.text)])
        for name, what in names.items():
            if re.search(rf"(?<![\w$.]){re.escape(name)}\s*(?:[,)}}]|$)", args):
                line = doc.text.count("\n", 0, call.start()) + 1
                message = f"Personal data written to logs: {name} is {what} (email, phone, password hash)"
                out.append(Finding(rule("LOG403"), Location(doc.path, line, call.start() - doc.text.rfind(
                    "\n", 0, call.start())), message, snippet_of(doc.line(line)), context="record-flow",
                    match_key=doc.line(line).strip()[:200]))
                break
    return out
