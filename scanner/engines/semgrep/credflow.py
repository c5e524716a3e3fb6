"""LOG404 for a credential carried into another value and logged, LOG403 for a decoded session token logged,
in one JS/TS server module.

Credentials: a name bound to one (a parameter or declaration named ``token``, ``resetToken``, ``password``,
``apiKey``, ``otp``; pagination tokens such as ``nextPageToken`` and model token counts are not), what
``jwt.sign(...)`` / ``new SignJWT(...)...sign(...)`` returns, and the ``account`` parameter in a NextAuth or
Auth.js module (its ``signIn``/``jwt`` callbacks get the provider's ``access_token``, ``refresh_token`` and
``id_token`` in it). They are followed through template strings, concatenation, object and array literals,
aliases and pass-through calls (``encodeURIComponent``, ``String``, ``JSON.stringify``, ``new
URLSearchParams``) into other names, within the block that declares them, to a log call:
``const link = `${BASE}/verify?token=${token}`; console.log("link", link)``. Any other call consumes the
credential (``jwt.verify(token)``, ``bcrypt.compare(password, hash)``, ``User.findOne({ token })``): its result
carries none of it. A credential-named value logged directly is the ``js-log-credential`` rule's finding.

Decoded tokens: what ``jwt.verify``/``jwt.decode``/``jwtVerify``/``jwtDecode`` answers (assigned, or the
second parameter of ``jwt.verify``'s callback) logged whole, in a project that signs tokens carrying personal
fields (``jwt.sign({ id: user._id, email: user.email }, ...)``): every authenticated request then writes the
member's email to the log (LOG403).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import balanced_end
from scanner.engines.semgrep.logflow import (
    LOG_CALL,
    Blocks,
    assignments,
    carried,
    enclosing_call,
    function_params,
)
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

#: Endings of a credential's name (compared lower-case).
_CREDENTIAL_END = ("token", "password", "passwd", "secret", "apikey", "api_key", "jwt", "otp", "authheader",
                   "authorizationheader")
#: Prefixes that make a ``...Token`` name a page cursor or a count, not a credential.
_NOT_CREDENTIAL = re.compile(r"(?i)^(?:page|next|nextpage|prev|previous|continuation|cursor|sync|max|min|total|num|"
                             r"count|input|output|completion|prompt|reasoning|cached|last|first|stop|end|start|"
                             r"special|eos|bos|pad|unk|cancel|cancellation|abort)_?token$")
#: A yes/no flag about a credential (``hasAuthToken``, ``is_token``, ``shouldRefreshToken``), not the credential.
_FLAG = re.compile(r"^(?:is|has|have|should|can|did|was|needs?|no|use)(?:[A-Z_]|$)")
#: Calls that hand their argument on (their result still holds the credential).
_PASS_THROUGH = frozenset({"encodeURIComponent", "encodeURI", "String", "stringify", "URLSearchParams", "URL",
                           "concat", "join", "toString", "trim", "replace", "btoa", "from", "append", "set",
                           "format"})
#: A signed token: ``jwt.sign(``, ``jsonwebtoken.sign(``, jose's ``new SignJWT(...)`` chain.
_SIGN = re.compile(r"\b(?:jwt|jsonwebtoken|JWT)\s*\.\s*sign\s*\(|\bnew\s+SignJWT\s*\(")
#: A decoded token: its payload.
_DECODE = re.compile(r"\b(?:jwt|jsonwebtoken)\s*\.\s*(?:verify|decode)\s*\(|\bjwtVerify\s*\(|\bjwtDecode\s*\(|"
                     r"\bjwt_decode\s*\(")
#: An OAuth token exchange or refresh, whose answer holds the access and refresh tokens (googleapis
#: ``oauth2Client.getToken(code)``, ``refreshAccessToken()``, simple-oauth2 ``client.getToken(...)``).
_TOKEN_EXCHANGE = re.compile(r"^\s*(?:await\s+)?[\w$.]+\s*\.\s*(?:getToken|getAccessToken|refreshAccessToken|"
                             r"exchangeCodeForTokens?|refreshToken|requestAccessToken)\s*\(")
_VERIFY_CALL = re.compile(r"\b(?:jwt|jsonwebtoken)\s*\.\s*verify\s*\(")
_NEXTAUTH = re.compile(r"""\bfrom\s+["'](?:next-auth|@auth/)|\brequire\(\s*["']next-auth""")
#: Personal fields in a token's payload.
_PII_KEY = re.compile(r"\b(?:email|phone|phoneNumber|fullName|firstName|lastName|address)\b")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
#: Words before a parenthesis that make it no call.
_NOT_CALLS = frozenset({"if", "while", "for", "switch", "return", "typeof", "await"})
_ACCOUNT = "the provider's OAuth account (access_token, refresh_token, id_token)"


@dataclass(frozen=True)
class _Held:
    """A name holding a credential (``kind`` "credential") or a decoded token's payload ("pii") from ``start``
    on, inside ``scope``; ``origin`` names what it holds, ``direct`` marks a credential-named binding (the YAML
    rule's to report when logged as is)."""

    name: str
    kind: str
    start: int
    scope: tuple[int, int]
    origin: str
    direct: bool


def credential_name(name: str) -> bool:
    """True for a name that holds a credential by its name: ``token``, ``resetToken``, ``user_password``,
    ``apiKey``, ``otp``; False for ``nextPageToken``, ``maxTokens``, ``tokens``, ``tokenType``."""
    lower = name.lower()
    return lower.endswith(_CREDENTIAL_END) and not _NOT_CREDENTIAL.match(name) and not _FLAG.match(name)


def signs_personal_tokens(docs: Iterable[Doc]) -> bool:
    """True when a module signs a JWT whose payload names a personal field (``jwt.sign({ id, email }, ...)``,
    or a payload object bound to a name in the same module first)."""
    for doc in docs:
        for found in re.finditer(r"\b(?:jwt|jsonwebtoken)\s*\.\s*sign\s*\(\s*", doc.text):
            rest = doc.text[found.end():found.end() + 400]
            if rest.startswith("{"):
                close = balanced_end(rest, 0)
                if _PII_KEY.search(rest[:close if close > 0 else 400]):
                    return True
            elif (name := _IDENT.match(rest)) is not None:
                bound = re.search(rf"\b(?:const|let|var)\s+{re.escape(name.group(0))}\s*(?::[^=\n]{{1,60}})?=\s*\{{",
                                  doc.text)
                if bound is not None:
                    close = balanced_end(doc.text, bound.end() - 1)
                    if _PII_KEY.search(doc.text[bound.end():close if close > 0 else bound.end() + 400]):
                        return True
    return False


def _consumed(name: str, value: str) -> bool:
    """True when every use of ``name`` in ``value`` is an argument of a call that is not a pass-through (or a
    method called on it): the value's result is what that call answers, not the credential."""
    for found in re.finditer(rf"(?<![\w$.]){re.escape(name)}\b", value):
        after = value[found.end():]
        method = re.match(r"\s*\??\.\s*([A-Za-z_$][\w$]*)\s*\(", after)
        if method is not None and method.group(1) not in _PASS_THROUGH:
            continue
        inside, at = False, found.start()
        while not inside:
            head, at = enclosing_call(value, at)
            if at < 0:
                break
            inside = bool(head) and head not in _PASS_THROUGH and head not in _NOT_CALLS
        if not inside:
            return False
    return True


def _whole(name: str, args: str) -> bool:
    """True when a log call's ``args`` carry what ``name`` holds: the name itself (or a credential-named
    property of it, ``account.access_token``), not another property (``account.provider``, ``decoded.exp``)
    and not only as the argument of a call that answers something else (``Boolean(data)``)."""
    if not carried(name, args) or _consumed(name, args):
        return False
    for found in re.finditer(rf"(?<![\w$.]){re.escape(name)}\b", args):
        prop = re.match(r"\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)|\s*(?:\?\.)?\[", args[found.end():])
        whole = prop is None or (prop.group(1) is not None and credential_name(prop.group(1)))
        if whole and not re.match(r"\s*(?::(?!:)|=(?!=))", args[found.end():]):  # not an object key or assignment
            return True
    return False


def _bindings(doc: Doc, code: str, blocks: Blocks) -> list[_Held]:
    held: list[_Held] = []
    nextauth = bool(_NEXTAUTH.search(doc.text))
    for names, span in function_params(code):
        for name in names:
            if credential_name(name):
                held.append(_Held(name, "credential", span[0], span, name, True))
            elif nextauth and name == "account":
                held.append(_Held(name, "credential", span[0], span, _ACCOUNT, False))
    for call in _VERIFY_CALL.finditer(code):
        close = balanced_end(code, call.end() - 1)
        args = code[call.end():close - 1] if close > 0 else ""
        callback = re.search(r"(?:function\s*[\w$]*\s*)?\(\s*[A-Za-z_$][\w$]*\s*(?::[^,()]{1,40})?,\s*"
                             r"([A-Za-z_$][\w$]*)", args)
        if callback is not None:
            body = code.find("{", call.end() + callback.end())
            stop = balanced_end(code, body) if 0 <= body < close else -1
            if stop > 0:
                held.append(_Held(callback.group(1), "pii", body, (body, stop), "the decoded token's payload", False))
    for pos, _stop, value, scope, names in assignments(code, blocks):
        for name in names:
            if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
                continue
            if nextauth and name == "account":
                held.append(_Held(name, "credential", pos, scope, _ACCOUNT, False))
            elif credential_name(name) and not re.match(r"\s*(?:\d|true\b|false\b|null\b|undefined\b|$)", value):
                held.append(_Held(name, "credential", pos, scope, name, True))
            elif _SIGN.search(value):
                held.append(_Held(name, "credential", pos, scope, "a signed JWT", False))
            elif _TOKEN_EXCHANGE.search(value):
                held.append(_Held(name, "credential", pos, scope, "an OAuth token response", False))
            elif _DECODE.search(value) and not re.search(r"\.\s*(?:id|_id|userId|sub|exp|iat)\b\s*;?\s*$", value):
                held.append(_Held(name, "pii", pos, scope, "the decoded token's payload", False))
            else:
                used = set(_IDENT.findall(value))
                source = next((h for h in reversed(held) if h.name in used and h.start < pos
                               and h.scope[0] <= pos < h.scope[1] and h.kind == "credential"
                               and carried(h.name, value) and not _consumed(h.name, value)), None)
                if source is not None and not re.fullmatch(r"(?i)\w*(?:length|count|size|valid|ok|match\w*)",
                                                           name):
                    held.append(_Held(name, "credential", pos, scope, source.origin, False))
    return held


def credential_flows(doc: Doc, code: str, personal_tokens: bool) -> list[Finding]:
    """LOG404 for log calls of ``doc`` (a server module; ``code`` its text with comments and string contents
    blanked) whose arguments carry a credential through another name; LOG403 for a decoded token's payload
    logged whole when ``personal_tokens`` (the project signs personal fields into its tokens)."""
    if not LOG_CALL.search(code):
        return []
    held = [h for h in _bindings(doc, code, Blocks(code)) if h.kind == "credential" or personal_tokens]
    if not any(not h.direct for h in held):
        return []
    out = []
    for call in LOG_CALL.finditer(code):
        close = balanced_end(code, call.end() - 1)
        args = code[call.end():close - 1 if close > 0 else code.find("\n", call.end())]
        used = set(_IDENT.findall(args))
        latest: dict[str, _Held] = {}
        for h in held:
            if h.name in used and h.start < call.start() and h.scope[0] <= call.start() < h.scope[1]:
                latest[h.name] = h
        hit = next((h for h in latest.values() if not h.direct and _whole(h.name, args)), None)
        if hit is None:
            continue
        line = doc.text.count("\n", 0, call.start()) + 1
        column = call.start() - doc.text.rfind("\n", 0, call.start())
        if hit.kind == "credential":
            code_, message = "LOG404", f"Credential written to logs: {hit.name} carries {hit.origin}"
        else:
            code_, message = "LOG403", (f"Personal data written to logs: {hit.name} is the decoded token's payload, "
                                        "which this project signs with the member's email")
        out.append(Finding(rule(code_), Location(doc.path, line, column), message, snippet_of(doc.line(line)),
                           context="credential-flow", match_key=doc.line(line).strip()[:200]))
    return out
