"""Two kinds of handler that are open on purpose, told by what their body does.

An account flow (registration, login, token, password-reset request) creates an account, checks a password or
issues a token: it is public by intent. A guest mode scopes every database call by a per-visitor key read from
the server-signed session (``session["guest_id"]``): its rows belong to the visitor, not to other members.
"""

from __future__ import annotations

import re

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.names import dotted, walk

#: Calls only an account flow makes: create an account, check a password, issue a session or reset token.
_ACCOUNT_CALLS = frozenset({"create_user", "authenticate", "check_password", "check_password_hash",
                            "verify_password", "checkpw", "make_token", "check_token", "create_access_token",
                            "create_refresh_token"})
#: Calls that set or hash a new password: an account flow only on a row the body creates (on a user loaded by
#: a request id they are an account takeover).
_NEW_PASSWORD_CALLS = frozenset({"set_password", "make_password", "generate_password_hash", "hashpw",
                                 "get_password_hash", "hash_password"})
#: Calls that build or store a new row (``User.objects.create``, ``serializer.save()``); constructors count too.
_ROW_CALLS = frozenset({"create", "create_user", "save"})


def account_flow(ctx: FileContext, calls: list[cst.Call], assigns: list[cst.Assign]) -> bool:
    """True when a body does what only an account flow does: ``_ACCOUNT_CALLS``, a session token
    (``RefreshToken.for_user``, ``Token.objects.get_or_create``), a ``PasswordReset*`` form, or a new password
    set or hashed into a row it creates (``User(pw=generate_password_hash(p))``, ``user =
    User.objects.create(...)`` then ``user.set_password(p)``)."""
    rows = [c for c in calls if _row_call(_name(ctx, c))]
    inside = {id(n) for row in rows for n in walk(row)}
    row_locals = {t.target.value for a in assigns if isinstance(a.value, cst.Call) and id(a.value) in inside
                  for t in a.targets if isinstance(t.target, cst.Name)}
    row_code = " ".join(ctx.code_of(r) for r in rows)
    for call in calls:
        name = _name(ctx, call)
        last = name.rsplit(".", 1)[-1]
        if last in _ACCOUNT_CALLS or "PasswordReset" in last or (
                "Token" in name and last in ("for_user", "get_or_create", "create")):
            return True
        if (last in _NEW_PASSWORD_CALLS or _hashes_password(ctx, call, last)) and \
                _into_new_row(ctx, call, assigns, inside, row_locals, row_code):
            return True
    return False


def _hashes_password(ctx: FileContext, call: cst.Call, last: str) -> bool:
    """A project hasher given the password (``Hash.bcrypt(user.password)``, ``hasher.hash(pw)``)."""
    return bool(_HASHER.search(last)) and any(_PASSWORD_ARG.search(ctx.code_of(a.value)) for a in call.args)


#: A hashing function's name, and an argument naming a password.
_HASHER = re.compile(r"(?i)hash|crypt|argon")
_PASSWORD_ARG = re.compile(r"(?i)pass|\bpw\b|pwd")


def _name(ctx: FileContext, call: cst.Call) -> str:
    return (ctx.imports.qualify(call.func) or "").replace("()", "")


def _row_call(name: str) -> bool:
    """``User.objects.create`` / ``serializer.save`` / ``User(...)`` (not a ``Response(...)`` or an error)."""
    last = name.rsplit(".", 1)[-1]
    return last in _ROW_CALLS or (last[:1].isupper() and not last.endswith(("Response", "Error", "Exception")))


def _into_new_row(ctx: FileContext, call: cst.Call, assigns: list[cst.Assign], inside: set[int],
                  row_locals: set[str], row_code: str) -> bool:
    """The new password goes into a created row: ``user.set_password(p)`` on a local holding one, a hash built
    inside the row's call, or a hash kept in a local that the row's call names."""
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "set_password":
        return dotted(call.func.value) in row_locals
    if id(call) in inside:
        return True
    held = {t.target.value for a in assigns if a.value is call for t in a.targets if isinstance(t.target, cst.Name)}
    return any(re.search(rf"\b{re.escape(h)}\b", row_code) for h in held)


#: The framework sessions: Flask/Quart ``session`` (by import), Django/Starlette ``request.session``.
_FRAMEWORK_SESSIONS = ("flask.session", "quart.session")


def _session_read(ctx: FileContext) -> re.Pattern[str]:
    """A read of the server-signed session (``.get(``, ``.setdefault(``, ``[``) where ``session`` is Flask's
    (not a SQLAlchemy ``session.get(Chat, cid)``), or ``request.session``."""
    names = [re.escape(k) for k, v in ctx.imports.aliases.items() if v in _FRAMEWORK_SESSIONS]
    alternatives = "|".join([r"(?:self\.)?request\.session", *names])
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?:\.get\(|\.setdefault\(|\[)")


#: Database calls that only end a unit of work (they carry no query of their own).
_UNIT_OF_WORK = frozenset({"commit", "flush", "rollback", "close", "refresh"})


def visitor_scoped(ctx: FileContext, db_calls: list[cst.Call], assigns: list[cst.Assign]) -> bool:
    """True when every database call of a body is scoped by a key from the session: it mentions the session
    read, a local assigned from it (``guest_id = session.get("guest_id")``, also ``guest_id =
    session["guest_id"] = str(uuid4())``) or a local built from one (``msg = Message(guest_id=guest_id)``),
    or sits inside a call that does, or a local assigned what a session-key helper of the module returns
    (``user_id = get_user_id()``: ``_session_key_helper``). Calls that only commit are neutral."""
    session_read = _session_read(ctx)
    keyed: set[str] = set()
    for _ in range(3):  # locals built from locals built from the session key
        for node in assigns:
            code = ctx.code_of(node)
            if session_read.search(code) or _session_key_helper(ctx, node.value, session_read) or any(
                    re.search(rf"\b{re.escape(k)}\b", ctx.code_of(node.value)) for k in keyed):
                keyed.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
    # a name also assigned a value the client sends holds the client's choice on some path (``conversation_id =
    # request.args.get(...)`` beside ``conversation_id = own[0]["conversation_id"]``): it scopes nothing
    # (a row built from the key and the client's text, ``Note(guest_id=guest_id, text=request.json[...])``,
    # stays keyed: the key is in it)
    client_held: set[str] = set()
    for node in assigns:
        names = {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}
        value = ctx.code_of(node.value)
        if _CLIENT_VALUE.search(value) and not any(re.search(rf"\b{re.escape(k)}\b", value) for k in keyed - names):
            client_held |= names
    keyed -= client_held
    scoped: set[int] = set()
    for call in db_calls:
        code = ctx.code_of(call)
        if session_read.search(code) or _session_key_helper(ctx, call, session_read) or \
                any(re.search(rf"\b{re.escape(k)}\b", code) for k in keyed):
            scoped.update(id(n) for n in walk(call))
    open_calls = [c for c in db_calls if id(c) not in scoped and not (
        not c.args and (dotted(c.func) or "").rsplit(".", 1)[-1] in _UNIT_OF_WORK)]
    return bool(scoped) and not open_calls


#: A request value a helper could take the visitor's key from instead of the session (the client picks it then).
_CLIENT_VALUE = re.compile(r"\brequest\.(?:args|form|values|json|get_json|headers|cookies|data|GET|POST|body)\b")


def _session_key_helper(ctx: FileContext, value: cst.BaseExpression, session_read: re.Pattern[str]) -> bool:
    """True for a call, with no arguments, of a function of the same module that reads the server-signed session
    and nothing the client sends (``def get_user_id(): if "user_id" in session: return session["user_id"] ...
    return f"anon_user_{time.time()}"``): the key it answers is the visitor's own (set 22 Assignment)."""
    if not isinstance(value, cst.Call) or value.args or not isinstance(value.func, cst.Name):
        return False
    helper = ctx.project.local_definition(ctx.module, value.func.value)
    if not isinstance(helper, cst.FunctionDef):
        return False
    code = ctx.code_of(helper)
    return bool(session_read.search(code)) and not _CLIENT_VALUE.search(code)
