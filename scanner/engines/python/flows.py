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

#: Calls only an account flow makes: create an account or hash a new password, check a password, issue a
#: session or password-reset token.
#: (``set_password`` alone is not one: on a user loaded by a request id it is an account takeover.)
_ACCOUNT_FLOW_CALLS = frozenset({"create_user", "make_password", "generate_password_hash", "hashpw",
                                 "get_password_hash", "hash_password", "authenticate", "check_password",
                                 "check_password_hash", "verify_password", "checkpw", "for_user", "make_token",
                                 "check_token", "create_access_token", "create_refresh_token"})


def account_flow_call(name: str, last: str) -> bool:
    """True for a call only an account flow makes (``_ACCOUNT_FLOW_CALLS``, ``Token.objects.get_or_create``,
    ``PasswordResetForm(...)``)."""
    if last in _ACCOUNT_FLOW_CALLS or "PasswordReset" in last:
        return True
    return last in ("get_or_create", "create") and ".Token." in f".{name.replace('()', '')}"


def password_on_new_row(assigns: list[cst.Assign], set_password: list[cst.Call]) -> bool:
    """``user = User.objects.create(...)`` (or ``User(...)``, ``serializer.save()``) then
    ``user.set_password(...)``: a password set on a row the body creates is a sign-up, not a change to a
    loaded account."""
    new_rows: set[str] = set()
    for node in assigns:
        value = node.value
        last = (dotted(value.func) or "").rsplit(".", 1)[-1] if isinstance(value, cst.Call) else ""
        if last in ("create", "save", "create_user") or last[:1].isupper():
            new_rows.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
    return any(isinstance(c.func, cst.Attribute) and dotted(c.func.value) in new_rows for c in set_password)


#: The framework sessions: Flask/Quart ``session`` (by import), Django/Starlette ``request.session``.
_FRAMEWORK_SESSIONS = ("flask.session", "quart.session")


def _session_read(ctx: FileContext) -> re.Pattern[str]:
    """A read of the server-signed session: ``session.get(`` / ``session[`` where ``session`` is Flask's (not a
    SQLAlchemy ``session.get(Chat, cid)``), or ``request.session``."""
    names = [re.escape(k) for k, v in ctx.imports.aliases.items() if v in _FRAMEWORK_SESSIONS]
    return re.compile(rf"(?<![\w.])(?:(?:self\.)?request\.session{''.join('|' + n for n in names)})(?:\.get\(|\[)")
#: Database calls that only end a unit of work (they carry no query of their own).
_UNIT_OF_WORK = frozenset({"commit", "flush", "rollback", "close", "refresh"})


def visitor_scoped(ctx: FileContext, db_calls: list[cst.Call], assigns: list[cst.Assign]) -> bool:
    """True when every database call of a body is scoped by a key from the session: it mentions the session
    read, a local assigned from it (``guest_id = session.get("guest_id")``, also ``guest_id =
    session["guest_id"] = str(uuid4())``) or a local built from one (``msg = Message(guest_id=guest_id)``),
    or sits inside a call that does. Calls that only commit are neutral."""
    session_read = _session_read(ctx)
    keyed: set[str] = set()
    for _ in range(3):  # locals built from locals built from the session key
        for node in assigns:
            code = ctx.code_of(node)
            if session_read.search(code) or any(re.search(rf"\b{re.escape(k)}\b", ctx.code_of(node.value))
                                                 for k in keyed):
                keyed.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
    scoped: set[int] = set()
    for call in db_calls:
        code = ctx.code_of(call)
        if session_read.search(code) or any(re.search(rf"\b{re.escape(k)}\b", code) for k in keyed):
            scoped.update(id(n) for n in walk(call))
    open_calls = [c for c in db_calls if id(c) not in scoped and not (
        not c.args and (dotted(c.func) or "").rsplit(".", 1)[-1] in _UNIT_OF_WORK)]
    return bool(scoped) and not open_calls
