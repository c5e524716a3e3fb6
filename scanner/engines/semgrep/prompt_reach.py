"""LR602 across modules for JS/TS: a route handler passes request text as an argument to a project function that
sends that argument to a model (``await sendPrompt(req.body.message)``, ``aiService.generate(message)``,
``generalChatStream(env, { messages: body.messages })``), followed three calls deep, with no size bound
on the way.

semgrep's taint rule (``js-unbounded-prompt-input``) sees one function at a time; this join maps each argument
that carries request text to the callee's parameter (a plain name, a destructured object, or ``props.field`` of an
object literal passed whole), follows it through assignments and ``push`` into arrays, and reports when it appears
in one of the callee's model calls (semgrep's ``model`` facts) outside the ``model:`` option. A bound anywhere on
the way clears it: ``.slice(0, n)``/``.substring``, a ``.length`` comparison, a truncate/validate/sanitize
helper, a schema ``.parse``/``.safeParse`` in the handler, or validation middleware in the route's chain. The
finding sits on the call in the handler; a route semgrep already reports LR602 for is left to that finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import CALL_DEPTH
from scanner.engines.semgrep.jstext import balanced_end, byte_offset, split_args, string_end, strip_js
from scanner.engines.semgrep.logflow import blank_js
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import KIND_LABEL, Route, body_index
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

_REQ = r"(?:req|request|r|c\.req|ctx\.request|event\.request|context\.request)"
#: Request text: a body, a query, a parsed JSON/form body, a search parameter.
_SOURCE = re.compile(rf"(?<![\w$.]){_REQ}\??\.(?:body|query)\b|(?<![\w$.]){_REQ}\.(?:json|formData|text)\s*"
                     r"(?:<[^<>()]*>)?\(\s*\)|\bsearchParams\.get\(|\bnextUrl\.searchParams\b")
#: NestJS parameters bound to the request body or query: ``@Body('message') message: string``.
_NEST_PARAM = re.compile(r"@(?:Body|Query)\(\s*(?:[\"'`][^\"'`]*[\"'`])?\s*\)\s*(\w+)")
_ASSIGN = re.compile(r"\b(?:const|let|var)\s+(\{[^{}]*\}|\[[^\]=]*\]|[A-Za-z_$][\w$]*)\s*(?::[^=;]{0,120})?=\s*"
                     r"([^;\n]+(?:\n\s*[.?:&|][^;\n]*)*)")
_PUSH = re.compile(r"\b([A-Za-z_$][\w$.]*)\.(?:push|unshift)\(")
_FOR_OF = re.compile(r"\bfor\s*(?:await\s*)?\(\s*(?:const|let|var)\s+(\{[^{}]*\}|\[[^\]]*\]|[A-Za-z_$][\w$]*)\s+of\s+"
                     r"([^;{}()]+(?:\([^()]*\))?)\)")
#: A bound on a value: truncation, a length comparison, a truncate/validate/sanitize helper.
_LENGTH_TEST = r"\s*\??\.length\s*[<>]=?(?!=?\s*[01]\b)\s*[\w$.]+(?![\w$.])(?!\s*\?(?![.?]))"
_BOUND_HELPER = re.compile(r"(?i)\b(?:truncate\w*|trim(?:Messages|ToTokens|History)\w*|limit\w*|clip\w*|"
                           r"\w*(?:validat|sanitiz)\w*)\s*\(")
#: A schema check of the body in the handler, or validation middleware in the route's chain.
_SCHEMA = re.compile(r"\.(?:parse|safeParse|parseAsync|safeParseAsync|validate)\s*\(")
_CHAIN_VALIDATES = re.compile(r"(?i)valid|celebrate|\bcheck\(|\bbody\(|joi|schema")
#: An id parameter: ``id``, ``chatId``, ``user_id``, ``messageIds``.
_ID_NAME = re.compile(r"(?:[A-Za-z_$][\w$]*?(?:Id|ID|_id)|id|ids|ID|[A-Za-z_$][\w$]*?Ids)")
#: An id, or a reference to a stored file (``file_key``, ``fileUrl``, ``pdfPath``): what it names is fetched, it
#: is no text the browser wrote (set 18 docSpeaker: an upload's storage key).
_REFERENCE_NAME = re.compile(_ID_NAME.pattern + r"|[A-Za-z_$][\w$]*?(?:Key|_key|Url|URL|_url|Path|_path)|key|url|path")
#: The model name option: a request value there is no prompt.
#: A model call's settings, which carry no prompt: ``model: modelId``, ``max_tokens: maxTokens``, shorthand
#: ``{ model, temperature }``.
_SETTING_KEYS = r"(?:model|max_tokens|maxTokens|max_output_tokens|maxOutputTokens|temperature|top_p|topP|top_k|topK|" \
                r"stream|seed|n|stop|presence_penalty|frequency_penalty)"
_MODEL_OPTION = re.compile(rf"\b{_SETTING_KEYS}\s*:\s*[^,}}\n]+|(?<=[{{,])\s*{_SETTING_KEYS}\s*(?=[,}}])")


#: A size limit in a schema: Joi/zod/yup ``.max(n)``, ``.length(n)``, ``maxLength``, express-validator's
#: ``isLength({ max })``.
_SCHEMA_MAX = re.compile(r"\.max\s*\(|\.length\s*\(\s*\d|\bmax_?length\b|\bmax\s*:", re.I)


def _chain_bounds(chain: str, path: str, project: Project) -> bool:
    """True when the route's middleware chain validates the body (``validate(schema)``, ``celebrate``,
    express-validator) with a limit in sight: one in the chain itself, or in a schema it names (see
    :func:`_schemas_bound`; ``Joi.object({ content: Joi.string().required().min(1) })`` bounds nothing: set 23
    Reactproject01)."""
    code = strip_js(chain, "''")
    if not _CHAIN_VALIDATES.search(code):
        return False
    return bool(_SCHEMA_MAX.search(chain)) or _schemas_bound(re.findall(r"\(\s*([A-Za-z_$][\w$]*)\s*\)", code),
                                                             path, project)


#: ``createNoteSchema.safeParse(body)``: the schema object a handler checks the body with.
_SCHEMA_CALL = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\.\s*(?:parse|safeParse|parseAsync|safeParseAsync|validate|"
                          r"validateAsync)\s*\(")


def _body_schema_bounds(body: str, path: str, project: Project) -> bool:
    """True when the handler checks the body with a schema (``schema.parse(body)``) that bounds it (see
    :func:`_schemas_bound`; zod's ``z.object({ title: z.string().min(1) })`` does not: set 24 easyAI)."""
    code = strip_js(body, "''")
    return bool(_SCHEMA.search(code)) and _schemas_bound(_SCHEMA_CALL.findall(code), path, project)


def _schemas_bound(names: Iterable[str], path: str, project: Project) -> bool:
    """False only when every schema named (a constant of ``path``'s module or imported from a project module)
    is in sight and its definition sets no maximum (``_SCHEMA_MAX``); no name, or one out of reach, is trusted."""
    spans = [project.definition(name, path) for name in set(names)]
    return not spans or any(found is None or _SCHEMA_MAX.search(found[0].text[found[1]:found[2]])
                            for found in spans)


@dataclass(frozen=True)
class _Hop:
    """A call in a handler (or a function it calls) that passes request text on: where and what."""

    path: str  # the caller's module
    offset: int  # character index of the call in the caller's document
    carried: str  # the argument text shown in the message
    callee: str  # the called expression (``aiService.generate``)


def unbounded_through_helpers(route: Route, project: Project, reachable: bool = True) -> Finding | None:
    """LR602 for ``route`` when request text reaches a model call in another function through its arguments.
    The arguments of a server action browser code can call (``reachable``) are request text too: one that
    reaches the action's own model call is reported there."""
    path = route.span[0]
    doc = project.docs.get(path)
    if doc is None or not route.body.strip():
        return None
    direct = [m for m in project.inside(route.span, "") if m.rule_id == "js-unbounded-prompt-input"]
    if direct or _chain_bounds(route.chain, route.match.path, project) or \
            _body_schema_bounds(route.body, path, project):
        return None
    begin = body_index(doc, route)
    seeds = action_parameters(route.body) if route.kind == "action" and reachable else set()
    tainted = request_names(route.body, seeds)
    if seeds and not _bounded(route.body, tainted):
        for m in project.inside(route.span, "model"):
            sink = _MODEL_OPTION.sub("", doc.slice(m.start, m.end))
            carried = next((n for n in sorted(tainted) if carries(sink, {n})), None)
            if carried is not None:
                message = (f"{route_where(route)} sends its argument `{carried}` (browser-supplied text) to the "
                           "model with no server-side size limit: no zod .max(), length check or truncation")
                return Finding(rule("LR602"), Location(m.path, m.line, doc.column(m.line, m.column)), message,
                               snippet_of(doc.line(m.line)), context=f"{route.kind}:{route.name}:{route.url}",
                               match_key=f"{route.name}:{carried}")
    hop = _reaches_model(route.body, doc, begin, tainted, project, CALL_DEPTH, set())
    if hop is None:
        return None
    message = (f"{route_where(route)} passes `{hop.carried}` (request text) to {hop.callee}(), which sends it to "
               "the model with no server-side size limit: no zod .max(), length check or truncation")
    return finding_at("LR602", project.docs[hop.path], hop.path, hop.offset, route, message,
                      f"{hop.callee}:{hop.carried}")


def action_parameters(function: str) -> set[str]:
    """Names a server action's parameters bind (``message``; ``{ prompt, history }``; ``prevState, formData``),
    but for ids (``chatId``, ``id``, ``user_id``): a record looked up by one is no text the browser wrote."""
    code = strip_js(function, "''")
    open_paren = code.find("(")
    close = balanced_end(code, open_paren) if open_paren >= 0 else -1
    if close < 0:
        return set()
    out: set[str] = set()
    for param in split_args(code[open_paren + 1:close - 1]):
        param = param.strip()
        if param.startswith(("{", "[")):
            end = balanced_end(param, 0)
            out |= _bound_names(param[:end] if end > 0 else param)
        elif found := re.match(r"(?:\.\.\.)?([A-Za-z_$][\w$]*)", param):
            out.add(found.group(1))
    return {n for n in out if not _ID_NAME.fullmatch(n)}


def route_where(route: Route) -> str:
    """How a message names a route: ``server action send`` or ``POST /api/chat``."""
    return f"{KIND_LABEL[route.kind]} {route.name}" if route.kind == "action" else f"{route.method} {route.url}"


def finding_at(code: str, doc: Doc, path: str, offset: int, route: Route, message: str, match_key: str) -> Finding:
    """A finding of rule ``code`` at character ``offset`` of ``doc`` (the file at ``path``, which may be a helper
    module the route reaches), keyed to ``route``."""
    line = doc.text.count("\n", 0, offset) + 1
    column = offset - (doc.text.rfind("\n", 0, offset) + 1) + 1
    return Finding(rule(code), Location(path, line, column), message, snippet_of(doc.line(line)),
                   context=f"{route.kind}:{route.name}:{route.url}", match_key=match_key)


#: A test whether an expression holds request text, given the names known to (``carries`` by default).
Carrier = Callable[[str, set[str]], bool]


def request_names(text: str, seeds: Iterable[str] = (), test: Carrier | None = None) -> set[str]:
    """Names (``message``, ``body``, ``props.messages``) that hold request text in function ``text``: request
    sources, NestJS ``@Body``/``@Query`` parameters, ``seeds`` (parameters a caller filled with request text),
    and names assigned or destructured from those but for ids (``getApiKey(db, id)`` answers a record), or arrays
    they were pushed into (``test`` replaces :func:`carries`)."""
    test = test or carries
    # comments and the text of string literals blanked, the ``${...}`` parts of template literals kept (a prompt
    # built as a multi-line template carries what it interpolates)
    code = blank_js(text)
    names = set(seeds) | set(_NEST_PARAM.findall(code))
    for _ in range(3):
        before = len(names)
        for found in _ASSIGN.finditer(code):
            target, value = found.groups()
            if value[:1] in "[{(":  # a multi-line literal: the whole of it
                close = balanced_end(code, found.start(2))
                value = code[found.start(2):close] if close > 0 else value
            elif value[:1] == "`":  # a multi-line template literal (a prompt): up to its closing backtick
                value = code[found.start(2):string_end(code, found.start(2), len(code)) + 1]
            # a record fetched by an id, or a file by its storage key, is no text
            if test(value, {n for n in names if not _REFERENCE_NAME.fullmatch(n)}):
                names |= _bound_names(target)
        for push in _PUSH.finditer(code):
            close = balanced_end(code, push.end() - 1)
            if close > 0 and test(code[push.end():close - 1], names):
                names.add(push.group(1))
        for loop in _FOR_OF.finditer(code):  # ``for (const message of messages)``: each element is request text
            if test(loop.group(2), names):
                names |= _bound_names(loop.group(1))
        if len(names) == before:
            break
    return names


#: An expression ending in a cut to a fixed length: ``....slice(0, 64)``, ``.substring(0, MAX_LEN)``.
_CUT = re.compile(r"\)\s*\??\.\s*(?:slice|substring|substr)\(\s*0\s*,\s*[\w$.]+\s*\)\s*$")


def carries(expr: str, names: set[str]) -> bool:
    """True when expression ``expr`` holds request text: a source, or a name in ``names`` (a dotted name
    ``props.messages`` matches that member and what is below it), not just its length or type; a ``.map(``
    of it carries its elements' text (``history.map((m) => ({ role: m.role, content: m.message }))``), and so does
    a spread of it (``[system, ...history]``). An expression cut to a fixed length as a whole
    (``String(body.query ?? "").slice(0, 64)``) carries none."""
    if _CUT.search(expr):
        return False
    if _SOURCE.search(expr):
        return True
    for name in names:
        for found in re.finditer(rf"(?:(?<=\.\.\.)|(?<![\w$.])){re.escape(name)}(?![\w$])", expr):  # `...history`
            rest = expr[found.end():]
            if re.match(r"\s*\??\.(?:length|filter\(|find\w*\(|some\(|every\(|includes\()", rest) or \
                    re.match(r"\s*\??\.(?:slice|substring|substr)\(", rest):
                continue
            return True
    return False


def _bound_names(target: str) -> set[str]:
    """Local names a declaration binds: ``x``, ``{ a, b: c, ...rest }`` -> ``a``, ``c``, ``rest``, ``[a, b]``."""
    if target[0] not in "{[":
        return {target}
    out = set()
    for part in split_args(target[1:-1]):
        part = part.split("=")[0].strip().removeprefix("...")
        local = part.split(":")[-1].strip()
        if re.fullmatch(r"[A-Za-z_$][\w$]*", local):
            out.add(local)
    return out


def _unbounded(text: str, names: set[str]) -> set[str]:
    """The names of ``names`` that code ``text`` does not bound (see ``_bounded``)."""
    return {n for n in names if not _bounded(text, {n})}


def _bounded(text: str, names: set[str]) -> bool:
    """True when code ``text`` truncates or length-checks one of ``names``, or gives one to a bounding helper."""
    code = strip_js(text, "''")
    for name in names:
        n = re.escape(name)
        # a cut assigned back (``message = message.slice(0, 4000)``; a cut held by another name, such as a title
        # made of the first 40 characters, bounds nothing) or a length test that is not a ternary's (``if
        # (message.length > MAX) return ...``, not ``message.length > 40 ? `${message.slice(0, 40)}...` : ...``)
        if re.search(rf"(?<![\w$.]){n}\s*=\s*{n}\s*\??\.(?:slice|substring|substr)\(", code) or \
                re.search(rf"(?<![\w$.]){n}{_LENGTH_TEST}", code):
            return True
        for helper in _BOUND_HELPER.finditer(code):
            close = balanced_end(code, helper.end() - 1)
            if close > 0 and re.search(rf"(?<![\w$.]){n}\b", code[helper.end():close]):
                return True
    return False


def _reaches_model(text: str, doc: Doc, begin: int, tainted: set[str], project: Project, depth: int,
                   seen: set[tuple[str, int]]) -> _Hop | None:
    """The first call in ``text`` (at character ``begin`` of ``doc``) passing request text to a function that
    sends it to a model, directly or ``depth - 1`` calls further; None when there is none or it is bounded."""
    if depth <= 0:
        return None
    tainted = _unbounded(text, tainted)  # a bound on one field (``maxTokens > limit``) leaves the others open
    for expr, (target, start, end) in project.calls(text, doc.path):
        if (target.path, start) in seen:
            continue
        seen.add((target.path, start))
        pattern = re.compile(r"(?<![\w$.])" + r"\s*\??\.\s*".join(re.escape(p) for p in expr.split(".")) +
                             r"\s*(?:<[^<>()]*>)?\s*\(")
        for call in pattern.finditer(text):
            close = balanced_end(text, call.end() - 1)
            if close < 0:
                continue
            args = split_args(text[call.end():close - 1])
            seeds, carried = parameter_seeds(target.text[start:end], args, tainted)
            if not seeds:
                continue
            body = target.text[start:end]
            names = _unbounded(body, request_names(body, seeds))
            span = (target.path, byte_offset(target.text, start), byte_offset(target.text, end))
            if not names or any(m.rule_id == "js-unbounded-prompt-input" for m in project.inside(span, "")):
                continue  # bounded, or semgrep's own LR602 already sits in that function
            sinks = [target.slice(m.start, m.end) for m in project.inside(span, "model")]
            # where the call sits in the file (an inline handler's text can differ from the file's: comments
            # between arguments are dropped)
            at = pattern.search(doc.text, begin)
            offset = at.start() if at is not None else begin
            if any(carries(_MODEL_OPTION.sub("", s), names) for s in sinks):
                return _Hop(doc.path, offset, carried, expr)
            deeper = _reaches_model(body, target, start, names, project, depth - 1, seen)
            if deeper is not None:
                # the whole request handed to a controller: the call that picks the text out of it is the one
                return deeper if re.fullmatch(_REQ, carried) else _Hop(doc.path, offset, carried, expr)
    return None


def parameter_seeds(function: str, args: list[str], tainted: set[str], test: Carrier | None = None) -> \
        tuple[set[str], str]:
    """Names in the callee ``function`` that receive request text from the call's ``args``, and the argument
    text that carried it (for the message; ``test`` replaces :func:`carries`)."""
    test = test or carries
    open_paren = function.find("(")
    close = balanced_end(function, open_paren) if open_paren >= 0 else -1
    if close < 0:
        return set(), ""
    params = split_args(re.sub(r"@\w+\([^()]*\)\s*", "", function[open_paren + 1:close - 1]))
    seeds: set[str] = set()
    carried = ""
    for index, arg in enumerate(args):
        if index >= len(params):
            break
        param = params[index].strip()
        if param.startswith(("{", "[")):  # ``{ model = "gpt-3.5-turbo", prompt = "…" } = {}``: defaults inside
            end = balanced_end(param, 0)
            param = param[:end] if end > 0 else param
        else:
            param = param.split("=")[0].strip()
        name = re.match(r"[A-Za-z_$][\w$]*", param)
        if arg.startswith("{") and arg.endswith("}"):
            fields = _object_fields(arg[1:-1], tainted, test)
            if not fields:
                continue
            # name the text, not an option beside it (``{ model: req.body.model, prompt: req.body.prompt }``)
            texts = [v for k, v in fields.items() if not _OPTION_FIELD.fullmatch(k) and not _ID_NAME.fullmatch(k)]
            carried = carried or (texts[0] if texts else next(iter(fields.values())))
            if param.startswith("{"):
                wanted = _bound_names(param[:balanced_end(param, 0)] if balanced_end(param, 0) > 0 else param)
                seeds |= {f for f in fields if f in wanted}
            elif name:
                seeds |= {f"{name.group(0)}.{f}" for f in fields}
        elif re.fullmatch(_REQ, arg.strip()) and name and not param.startswith("{"):
            seeds.add(name.group(0))  # the whole request: the callee reads its body itself
            carried = carried or arg.strip()
        elif _REFERENCE_NAME.fullmatch(arg.strip()):
            continue  # an id or a storage key handed on: the callee fetches what it names
        elif test(arg, tainted):
            if not carried or _ID_NAME.fullmatch(carried):  # name the text, not the id beside it
                carried = " ".join(arg.split())[:60]
            if param.startswith("{"):
                end = balanced_end(param, 0)
                seeds |= _bound_names(param[:end] if end > 0 else param)
            elif name:
                seeds.add(name.group(0))
    return seeds, carried


#: Fields of a call's options object that are settings, not text (``model``, ``temperature``).
_OPTION_FIELD = re.compile(r"(?i)model|temperature|max_?tokens|top_?[pk]|stream|provider|size|n|seed|format")


def _object_fields(inner: str, tainted: set[str], test: Carrier) -> dict[str, str]:
    """Fields of an object literal's inner text whose values hold request text -> the value text."""
    out = {}
    for part in split_args(inner):
        key, sep, value = part.partition(":")
        key = key.strip().removeprefix("...")
        value = value.strip() if sep else key
        if re.fullmatch(r"[A-Za-z_$][\w$]*", key) and test(value, tainted):
            out[key] = " ".join(value.split())[:60]
    return out


