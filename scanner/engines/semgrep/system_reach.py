"""LR603 across functions for JS/TS: a route handler passes request text to a project function (in its own module
or imported; CALL_DEPTH calls deep) that places the parameter into a system prompt: Google ``systemInstruction`` (of
``getGenerativeModel``, ``startChat``, a ``config``), the AI SDK / Anthropic ``system:``, OpenAI
``instructions:``, a ``role: "system"`` message's content, LangChain ``new SystemMessage(...)``.

semgrep's taint rule (``js-user-text-in-system-prompt``) sees one function at a time, so ``askTutor(message,
subject)`` with ``systemInstruction: `You teach ${subject}``` in the helper is out of its sight. This join maps the
call's arguments to the helper's parameters (``prompt_reach``'s mapping) and reports the slot that receives one.
A value checked against an allow-list (``ALLOWED.includes(x)``) or used only as a key into a table
(``PERSONAS[persona]``) is no request text; a size bound does not matter here (a short instruction is still one).
The finding sits on the slot in the helper; a route or helper semgrep already reports LR603 for is left to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import CALL_DEPTH
from scanner.engines.semgrep.jstext import balanced_end, byte_offset, literal_end, split_args, strip_js
from scanner.engines.semgrep.logflow import blank_js
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.prompt_reach import carries, finding_at, parameter_seeds, request_names, route_where
from scanner.engines.semgrep.routes import Route
from scanner.model import Finding

_RULE = "js-user-text-in-system-prompt"
#: Where a system prompt's value starts.
_SLOT = re.compile(r"(?<![\w$.])(?:systemInstruction|system|instructions)\s*:\s*|"
                   r"\brole\s*:\s*[\"'`](?:system|developer)[\"'`]\s*,\s*content\s*:\s*|\bnew\s+SystemMessage\(\s*")
#: A key into a server-side table (``PERSONAS[persona]``, ``prompts[mode]``): selects, does not carry.
_TABLE_KEY = re.compile(r"\b[A-Za-z_$][\w$]*\s*\[[^\[\]]*\]")
#: A project function building the prompt from request values usually selects by them (as the semgrep rule
#: treats it): ``system: buildSystemPrompt(mode)``; string helpers pass text on.
_BUILDER_CALL = re.compile(r"\s*(?!(?:String|JSON\.stringify|dedent|stripIndent\w*)\s*\()[A-Za-z_$][\w$.]*\s*\(")
#: The end of a slot's value: a top-level ``,`` or the closer of the enclosing literal or call.
_ENDERS = ",)]};"


@dataclass(frozen=True)
class _Slot:
    """A system-prompt slot that receives request text: where it is, and the call in the handler that led there."""

    path: str
    offset: int  # character index of the slot's value in its document
    carried: str
    callee: str


def system_prompt_through_helpers(route: Route, project: Project) -> Finding | None:
    """LR603 for ``route`` when request text reaches a system-prompt slot in another function through its
    arguments."""
    path = route.span[0]
    doc = project.docs.get(path)
    if doc is None or not route.body.strip() or any(m.rule_id == _RULE for m in project.inside(route.span, "")):
        return None
    if not any(_SLOT.search(project.docs[p].slice(a, b)) for p, a, b in project.callee_spans(route.body, path)
               if p in project.docs):
        return None  # no system slot in any function the handler reaches (the join's spans are cached)
    slot = _reaches_slot(route.body, doc, request_names(route.body, test=in_text), project, CALL_DEPTH, set(), "",
                         "")
    if slot is None:
        return None
    message = (f"{route_where(route)} passes `{slot.carried}` (request text) to {slot.callee}(), which places it "
               "into the system prompt: the caller can rewrite the app's instructions; keep user text in the user role")
    return finding_at("LR603", project.docs[slot.path], slot.path, slot.offset, route, message,
                      f"{slot.callee}:{slot.carried}")


def _reaches_slot(text: str, doc: Doc, tainted: set[str], project: Project, depth: int,
                  seen: set[tuple[str, int]], carried: str, callee: str) -> _Slot | None:
    """The first system-prompt slot that request text in ``tainted`` reaches from code ``text`` of ``doc``
    through calls (``depth`` deep); ``carried``/``callee`` name the handler's call once one is followed."""
    if depth <= 0:
        return None
    for expr, (target, start, end) in project.calls(text, doc.path):
        if (target.path, start) in seen:
            continue
        seen.add((target.path, start))
        body = target.text[start:end]
        span = (target.path, byte_offset(target.text, start), byte_offset(target.text, end))
        if any(m.rule_id == _RULE for m in project.inside(span, "")):
            continue  # semgrep reports that function itself
        for args in _call_args(text, expr):
            for index, arg in _one_by_one(args):  # one value at a time: the message names the one that lands
                seeds, shown = parameter_seeds(body, ["0"] * index + [arg], tainted, in_text)
                if not seeds:
                    continue
                names = request_names(body, seeds, in_text) - _allow_listed(body + "\n" + text)
                first = (shown, expr) if not callee else (carried, callee)
                at = _slot_in(body, names) if project.inside(span, "model") or _has_model_call(body) else None
                if at is not None:
                    return _Slot(target.path, start + at, *first)
                deeper = _reaches_slot(body, target, names, project, depth - 1, set(seen), *first)
                if deeper is not None:
                    return deeper
    return None


def _one_by_one(args: list[str]) -> list[tuple[int, str]]:
    """(position, argument) pairs, an object literal's fields as one-field objects (``{ messages, persona }``
    -> ``{ messages }``, ``{ persona }``)."""
    out = []
    for index, arg in enumerate(args):
        fields = split_args(arg[1:-1]) if arg.startswith("{") and arg.endswith("}") else []
        out += [(index, "{" + field + "}") for field in fields] or [(index, arg)]
    return out


def _call_args(text: str, expr: str) -> list[list[str]]:
    """The argument lists of each call of ``expr`` in ``text``."""
    pattern = re.compile(r"(?<![\w$.])" + r"\s*\??\.\s*".join(re.escape(p) for p in expr.split(".")) +
                         r"\s*(?:<[^<>()]*>)?\s*\(")
    out = []
    for call in pattern.finditer(text):
        close = balanced_end(text, call.end() - 1)
        if close > 0:
            out.append(split_args(text[call.end():close - 1]))
    return out


def _slot_in(body: str, names: set[str]) -> int | None:
    """Index in ``body`` of the first system-prompt value that carries one of ``names``."""
    for slot in _SLOT.finditer(body):
        value = blank_js(body[slot.end():_value_end(body, slot.end())])  # a word inside a literal is no name
        if not _BUILDER_CALL.match(value) and in_text(_TABLE_KEY.sub("''", value), names):
            return slot.end()
    return None


def in_text(expr: str, names: set[str]) -> bool:
    """True when ``expr`` holds request text as text: a request source, or one of ``names`` (or a member, or
    what ``.map``/``.join``/``.slice`` make of it), not only its length or a comparison of it."""
    if carries(expr, set()):
        return True
    for name in names:
        for found in re.finditer(rf"(?<![\w$.]){re.escape(name)}(?![\w$])", expr):
            if not re.match(r"\s*(?:\??\.length\b|[!=]==?|[<>]=?)", expr[found.end():]):
                return True
    return False


def _value_end(code: str, i: int) -> int:
    """Index where the expression starting at ``i`` ends: a top-level ``,`` or an unmatched closer."""
    end = min(len(code), i + 4000)
    while i < end:
        ch = code[i]
        if ch in "([{":
            close = balanced_end(code, i)
            if close < 0:
                return end
            i = close
            continue
        if ch in "\"'`":
            i = literal_end(code, i)
            continue
        if ch in _ENDERS:
            return i
        i += 1
    return end


def _allow_listed(text: str) -> set[str]:
    """Names checked against an allow-list (``ALLOWED.includes(x)``, ``MODES.has(x)``, ``x in PERSONAS``)."""
    code = strip_js(text, "''")
    found = re.findall(r"\.(?:includes|has)\(\s*([A-Za-z_$][\w$.]*)\s*\)", code)
    found += re.findall(r"(?<![\w$.])([A-Za-z_$][\w$.]*)\s+in\s+[A-Z_a-z$]", code)
    return set(found)


def _has_model_call(body: str) -> bool:
    """A model client built or called here (``getGenerativeModel``, ``chats.create``): the slot is a prompt's."""
    return bool(re.search(r"getGenerativeModel|\.chats\.create|\.startChat\(|generateContent|streamText|"
                          r"generateText|\.messages\.create|completions\.create|responses\.create", body))
