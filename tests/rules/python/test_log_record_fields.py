"""LOG403 and the fields of a record loaded by PII: the email a user was looked up by taints the record's PII fields
and the record itself, not every attribute of it (a relation, an id, a timestamp)."""

from __future__ import annotations

import inspect

from tests.rules.python.helpers import run

LOGIN = """
    from fastapi import APIRouter, Depends
    router = APIRouter()


    @router.post("/login")
    def login(form_data: OAuth2PasswordRequestForm = Depends(), db: Session = Depends(get_db)):
        email_input = form_data.username.lower()
        user = db.query(models.User).filter(models.User.email == email_input).first()
        {line}
        return {{"ok": True}}
"""


def _found(line: str) -> list[int]:
    code = inspect.cleandoc(LOGIN.format(line=line)) + "\n"
    result = run(code, "app/router/auth.py")
    assert not result.notes
    return sorted(f.location.line for f in result.findings if f.rule_id == "LOG403")


def test_relation_and_id_of_a_record_loaded_by_email_are_not_pii() -> None:
    assert _found('print(f"userId: {user.userId}, chats: {user.chats}")') == []


def test_timestamp_of_the_signed_in_user_is_not_pii() -> None:
    assert _found('logger.info("last seen %s", user.last_login_at)') == []


def test_email_field_of_the_record_is_pii() -> None:
    assert _found('print(f"login: {user.email}")') == [9]


def test_whole_record_and_its_name_are_pii() -> None:
    assert _found('print("user", user, user.name)') == [9]


def test_request_user_relation_is_not_pii_but_its_email_is() -> None:
    code = inspect.cleandoc("""
        import logging
        from django.http import JsonResponse
        logger = logging.getLogger(__name__)

        def chats(request):
            logger.info("chats %s", request.user.chats)
            logger.info("by %s", request.user.email)
            return JsonResponse({})
    """) + "\n"
    result = run(code, "chat/views.py")
    assert sorted(f.location.line for f in result.findings if f.rule_id == "LOG403") == [7]
