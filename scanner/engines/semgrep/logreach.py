"""LOG404 for a credential read from the environment and logged, LOG403 for personal data a call site hands to a
project function (one hop, across modules) that logs the parameter receiving it.

Environment: ``console.log(process.env.EMAIL_PASS)``, ``console.log("key", process.env["OPENAI_API_KEY"])``, or
a name bound to one (``const key = process.env.OPENAI_API_KEY``, ``const { SMTP_PASS } = process.env``); a
credential by the variable's name (:func:`scanner.knowledge.env_credential`). Whether it is set is fine to log:
``!!process.env.X``, ``Boolean(...)``, ``process.env.X ? "set" : "missing"``, ``.length``, comparisons, a
``slice`` of it (but not a connection URL's first 20 or more characters, which hold its user and password).

Call sites: a route calls ``sendWelcomeEmail(user.email)`` or ``mailer.send({ to: user.email })`` imported from
``utils/mailer.js``, whose ``sendWelcomeEmail(to)`` does ``console.log("sending to", to)``. The finding is on the
log line and names the call site. Arguments are judged by their own names (``user.email``, ``req.body.phone``, a
whole ``user`` record), in server code only (a browser module's ``console`` is the visitor's devtools).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import exported_name, imports_of, resolve
from scanner.engines.semgrep.jstext import balanced_end, default_export_span, definition_span, split_args
from scanner.engines.semgrep.logflow import blank_js, carried
from scanner.knowledge import env_connection, env_credential, js
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

_LOG_CALL = re.compile(
    r"\b(?:console|\w*[lL]ogger|log|pino|winston|bunyan|fastify\.log)\.(?:log|info|warn|error|debug|trace)\s*\("
)
#: ``process.env.NAME`` / ``process.env["NAME"]`` (in blanked code the string is spaces: the name is read from
#: the text at the same place).
_ENV_READ = re.compile(r"\bprocess\s*\.\s*env\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)|\bprocess\s*\.\s*env\s*\[\s*[\"'`]")
_WHOLE_ENV = re.compile(r"(?<![\w$.])process\s*\.\s*env\b(?!\s*(?:\?\.|\.|\[))")
_ENV_BOUND = re.compile(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;\n]{1,40})?=\s*(?:process\s*\.\s*)?env\s*"
                        r"(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*[\"'`]([A-Za-z_$][\w$]*)[\"'`]\s*\])")
_ENV_DESTRUCTURED = re.compile(r"\b(?:const|let|var)\s*\{([^{}=;]*)\}\s*=\s*process\s*\.\s*env\b")
#: What makes a logged environment read say only whether it is set, or a few characters of it.
_SAFE_BEFORE = re.compile(r"(?:!|\btypeof\s+|\bBoolean\s*\(\s*|[=!]==?\s*|[<>]=?\s*|\.replace(?:All)?\s*\(\s*)$")
_SAFE_AFTER = re.compile(r"\s*(?:\?(?![.?])|&&|[=!]==?|[<>]=?|\??\.\s*(?:length|slice|substring|substr|startsWith|"
                         r"endsWith|includes|replace|replaceAll|trim\s*\(\s*\)\s*\??\.\s*length)\b)")
_NAME_REF = r"(?<![\w$.]){}\b"


def env_logged(doc: Doc) -> bool:
    """A cheap test on the text: a log call of a non-browser module mentions ``env`` or a name bound to a
    credential read from the environment within its first 300 characters."""
    if not ("process" in doc.text or re.search(r"\benv\s*\.", doc.text)) or _browser(doc):
        return False
    names = _env_names(doc.text)
    for call in _LOG_CALL.finditer(doc.text):
        window = doc.text[call.end():call.end() + 300]
        if "env" in window or any(n in window for n in names):
            return True
    return False


def env_credential_logging(doc: Doc, code: str) -> list[Finding]:
    """LOG404 for log calls in ``doc`` (``code``: its blanked text) whose arguments carry a credential read from
    the environment, directly or through a name bound to it."""
    bound = _env_names(doc.text)
    out = []
    for call in _LOG_CALL.finditer(code):
        close = balanced_end(code, call.end() - 1)
        if close < 0:
            continue
        args = code[call.end():close - 1]
        shown = _env_shown(doc.text[call.end():close - 1], args) or next(
            (f"{name} (from the environment's {var})" for name, var in bound.items() if _shown(name, args)), None)
        if shown is None:
            continue
        line = doc.text.count("\n", 0, call.start()) + 1
        message = f"Credential written to logs: {shown} is read from the environment and named as a secret"
        out.append(_finding("LOG404", doc, call.start(), line, message, "env-flow"))
    return out


def _browser(doc: Doc) -> bool:
    return bool(js.CLIENT_TEXT.search(doc.text) or js.COMPONENT_PATH.search(doc.path))


#: A value built around a credential read from the environment: a template literal or string concatenation holding
#: ``${process.env.KEY}`` or ``${env.KEY}`` (an app's validated env object): ``const url = `...&appid=${env.KEY}```.
_ENV_EMBEDDED = re.compile(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;\n]{1,40})?=\s*`[^`]*\$\{\s*"
                           r"(?:process\s*\.\s*)?env\s*\.\s*([A-Za-z_$][\w$]*)\s*\}")


_TEMPLATE_BOUND = re.compile(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;\n]{1,40})?=\s*`([^`]{0,600})`")


def _env_names(text: str) -> dict[str, str]:
    """Local name -> environment variable, for names bound to a credential read from the environment, or to a
    string built around one (a request URL carrying an API key in its query)."""
    out = {}
    for found in _ENV_EMBEDDED.finditer(text):
        if env_credential(found.group(2)):
            out[found.group(1)] = found.group(2)
    for found in _ENV_BOUND.finditer(text):
        var = found.group(2) or found.group(3)
        if env_credential(var):
            out[found.group(1)] = var
    # a string built around a name bound above (``const url = `...&appid=${weatherKey}```)
    for found in _TEMPLATE_BOUND.finditer(text):
        held = next((out[n] for n in re.findall(r"\$\{\s*([A-Za-z_$][\w$]*)\s*\}", found.group(2)) if n in out), None)
        if held is not None:
            out.setdefault(found.group(1), held)
    for found in _ENV_BOUND.finditer(text):
        var = found.group(2) or found.group(3)
        if env_credential(var):
            out[found.group(1)] = var
    for found in _ENV_DESTRUCTURED.finditer(text):
        for part in found.group(1).split(","):
            var, _, local = part.partition(":")
            var, local = var.strip(), (local or var).split("=")[0].strip()
            if re.fullmatch(r"[A-Za-z_$][\w$]*", local) and env_credential(var):
                out[local] = var
    return out


def _env_shown(text: str, args: str) -> str | None:
    """``process.env.NAME`` when the log arguments (``text``: the original, ``args``: blanked) write a credential
    read from the environment itself, not whether it is set; ``process.env`` when they write all of it."""
    whole = _WHOLE_ENV.search(args)
    if whole and not re.search(r"\b(?:keys|entries|length)\s*\(\s*$", args[:whole.start()]):
        return "process.env (every variable, secrets included)"
    for found in _ENV_READ.finditer(args):
        var = found.group(1) or re.match(r"[^\"'`]*[\"'`]([\w$]*)", text[found.start():]).group(1)  # type: ignore[union-attr]
        end = found.end() if found.group(1) else args.find("]", found.end()) + 1
        if var and env_credential(var) and (not _guarded(args, found.start(), end) or (
                env_connection(var) and _long_prefix(text, end))):
            return f"process.env.{var}"
    return None


#: A prefix cut from the start of a value (``.substring(0, 50)``, ``.slice(0, 40)``): its length in group 1.
_PREFIX_CUT = re.compile(r"\s*\??\.\s*(?:slice|substring|substr)\s*\(\s*0\s*,\s*(\d+)\s*\)")
#: Characters of a connection URL's start that reach past its scheme into the user name and password
#: (``mongodb+srv://`` is 14, ``postgres://`` 11).
_URL_SECRET_AT = 20


def _long_prefix(text: str, end: int) -> bool:
    """True when the value ending at ``text[end]`` is cut to a prefix long enough to hold a connection URL's
    user name and password (``process.env.MONGO_URI.substring(0, 50)``)."""
    cut = _PREFIX_CUT.match(text, end)
    return cut is not None and int(cut.group(1)) >= _URL_SECRET_AT


def _shown(name: str, args: str) -> bool:
    return any(not _guarded(args, m.start(), m.end()) for m in re.finditer(_NAME_REF.format(re.escape(name)), args))


def _guarded(args: str, start: int, end: int) -> bool:
    """True when the value at ``args[start:end]`` is tested (``!``, ``? :``, a comparison), measured or cut."""
    return bool(_SAFE_BEFORE.search(args[max(0, start - 24):start]) or _SAFE_AFTER.match(args, end)) or end <= start


# ---- personal data handed to a project function in another module ----

#: An argument that is a member's personal data by its name, or a whole member record.
_PII_ARG = re.compile(
    r"(?i)^(?:[\w$]+(?:\??\.[\w$]+)*\??\.)?(?:email|emails|emailaddress|useremail|phone|phonenumber|mobile|fullname|"
    r"firstname|lastname|address|ssn|dateofbirth|dob)$|^(?:(?:req|request|session|ctx|c)\.)?(?:user|currentuser|"
    r"existinguser|newuser|founduser|userrecord|profile|customer|member)$"
)
#: Most call sites followed per scan (bounds the work on a large project).
MAX_CALL_SITES = 400


def handed_pii_logging(docs: Mapping[str, Doc], servers: dict[str, bool]) -> list[Finding]:
    """LOG403 at log lines of project functions that log a parameter some call site in a server module passes
    personal data (in another module, one hop); ``servers`` caches ``js.server_module`` by path."""
    out: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    budget = MAX_CALL_SITES
    for path in sorted(docs):
        doc = docs[path]
        if _browser(doc) or not _RELATIVE_IMPORT.search(doc.text) or not _pii_hint(doc.text):
            continue
        if path not in servers:
            servers[path] = js.server_module(path, doc.text)
        if not servers[path]:
            continue
        for target, span, bound, site in _pii_calls(doc, docs):
            budget -= 1
            if budget < 0 or _browser(target):
                continue
            code = blank_js(target.text[span[0]:span[1]])  # the function only: blanking is a Python loop
            for call in _LOG_CALL.finditer(code):
                close = balanced_end(code, call.end() - 1)
                args = code[call.end():close - 1] if close > 0 else ""
                hit = next((p for p in bound if _carries(p, args)), None)
                line = target.text.count("\n", 0, span[0] + call.start()) + 1
                if hit is None or (target.path, line) in seen:
                    continue
                seen.add((target.path, line))
                message = f"Personal data written to logs: {hit} receives {bound[hit]} from {site}"
                out.append(_finding("LOG403", target, span[0] + call.start(), line, message, "call-site-flow"))
    return out


_RELATIVE_IMPORT = re.compile(r"\bfrom\s*[\"'](?:\.|@/|~/)|\brequire\(\s*[\"']\.")
#: Substrings one of which any text naming personal data holds (substring tests: a regex alternation over a
#: whole file costs several times more).
_PII_HINTS = ("mail", "MAIL", "hone", "HONE", "obile", "user", "User", "USER", "rofile", "ustomer", "Name", "_name",
              "ddress", "ssn", "dob")


def _pii_hint(text: str) -> bool:
    return any(hint in text for hint in _PII_HINTS)


def _pii_calls(doc: Doc, docs: Mapping[str, Doc]) -> Iterator[tuple[Doc, tuple[int, int], dict[str, str], str]]:
    """(callee module, callee span, parameter -> the personal data it receives, call site) for each call in
    ``doc`` of a function imported from another project module with a personal-data argument (the text is read
    as is: ``balanced_end`` and ``split_args`` skip strings and comments)."""
    imported = {local: spec for local, spec, _ in imports_of(doc.text) if spec.startswith((".", "@/", "~/"))}
    if not imported:
        return
    calls = re.compile(r"(?<![\w$.])(" + "|".join(re.escape(n) for n in imported) +
                       r")(?:\s*\.\s*([A-Za-z_$][\w$]*))?\s*\(")
    text = doc.text
    for found in calls.finditer(text):
        head, member = found.group(1), found.group(2)
        close = balanced_end(text, found.end() - 1)
        if close < 0 or not _pii_hint(text[found.end():close]):
            continue
        args = split_args(text[found.end():close - 1])
        handed = {i: _describe(a) for i, a in enumerate(args) if _PII_ARG.match(_compact(a))}
        keys = _pii_keys(args)
        if not handed and not keys:
            continue
        callee = _callee(doc, docs, imported[head], member or exported_name(text, head), not member)
        if callee is None:
            continue
        target, span, params = callee
        line = text.count("\n", 0, found.start()) + 1
        site = f"`{head}{'.' + member if member else ''}(…)` in {doc.path} line {line}"
        bound = {params[i][0]: what for i, what in handed.items() if i < len(params) and params[i][0]}
        for i, entries in keys.items():
            names = dict(params[i][1]) if i < len(params) else {}
            for key, what in entries.items():
                if key in names:
                    bound.setdefault(names[key], what)
                elif i < len(params) and params[i][0]:
                    bound.setdefault(f"{params[i][0]}.{key}", what)
        if bound:
            yield target, span, bound, site


def _compact(arg: str) -> str:
    return re.sub(r"\s+", "", arg.removeprefix("await ").strip())


def _describe(arg: str) -> str:
    return f"`{_compact(arg)[:40]}`"


def _pii_keys(args: list[str]) -> dict[int, dict[str, str]]:
    """Argument index -> {object key: value} for object-literal arguments whose values are personal data
    (``{ to: user.email, subject }``)."""
    out: dict[int, dict[str, str]] = {}
    for i, arg in enumerate(args):
        if not arg.startswith("{") or balanced_end(arg, 0) != len(arg):
            continue
        for part in split_args(arg[1:-1]):
            key, colon, value = part.partition(":")
            value = value if colon else key
            if re.fullmatch(r"\s*[A-Za-z_$][\w$]*\s*", key) and _PII_ARG.match(_compact(value)):
                out.setdefault(i, {})[key.strip()] = _describe(value)
    return out


def _callee(doc: Doc, docs: Mapping[str, Doc], spec: str, name: str, whole: bool
            ) -> tuple[Doc, tuple[int, int], list[tuple[str, list[tuple[str, str]]]]] | None:
    """The called function in the module ``spec`` names: its doc, span and parameters (each a plain name, or
    the key -> name pairs of a destructured object)."""
    for path in resolve(doc.path, spec, docs):
        if path == doc.path:
            continue
        target = docs[path]
        span = definition_span(target.text, name) or (default_export_span(target.text) if whole else None)
        if span is None:
            continue
        params = _params(target.text, span)
        return (target, span, params) if params is not None else None
    return None


def _params(text: str, span: tuple[int, int]) -> list[tuple[str, list[tuple[str, str]]]] | None:
    """Parameters of the function at ``span``: ``(name, [])`` for a plain one, ``("", [(key, name), ...])`` for a
    destructured object."""
    head = re.compile(r"\(|=\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>").search(text, span[0], min(span[1], span[0] + 300))
    if head is None:
        return None
    if head.group(1):
        return [(head.group(1), [])]
    close = balanced_end(text, head.start())
    if close < 0:
        return None
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for part in split_args(text[head.start() + 1:close - 1]):
        part = part.strip()
        if part.startswith("{"):
            end = balanced_end(part, 0)
            pairs = []
            for entry in split_args(part[1:end - 1] if end > 0 else part[1:]):
                key, _, local = entry.partition(":")
                local = (local or key).split("=")[0].strip()
                if re.fullmatch(r"[A-Za-z_$][\w$]*", local):
                    pairs.append((key.split("=")[0].strip(), local))
            out.append(("", pairs))
        else:
            found = re.match(r"(?:\.\.\.)?([A-Za-z_$][\w$]*)", part)
            out.append((found.group(1) if found else "", []))
    return out


def _carries(param: str, args: str) -> bool:
    """True when log arguments use ``param`` (or ``obj.key`` for a handed object key) for its value."""
    if "." in param:
        obj, key = param.split(".", 1)
        return bool(re.search(rf"(?<![\w$.]){re.escape(obj)}\s*\??\.\s*{re.escape(key)}\b", args)) and \
            carried(obj, args)
    return carried(param, args)


def _finding(code: str, doc: Doc, start: int, line: int, message: str, context: str) -> Finding:
    column = start - doc.text.rfind("\n", 0, start)
    return Finding(rule(code), Location(doc.path, line, column), message, snippet_of(doc.line(line)),
                   context=context, match_key=doc.line(line).strip()[:200])
