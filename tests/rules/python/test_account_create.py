"""A write route that creates an account (the new password hashed into the row it creates) is public by intent,
whatever it is named (``POST /users/``); resetting the password of a user loaded by a request id is not."""

from __future__ import annotations

from tests.rules.python.helpers import lines_of, run

HEAD = ("from fastapi import APIRouter, Depends, HTTPException\nfrom sqlalchemy.orm import Session\n"
        "from passlib.context import CryptContext\nfrom database import get_db\nfrom models import User, UserCreate\n\n"
        "router = APIRouter()\npwd = CryptContext(schemes=['bcrypt'])\n\n\ndef hash_password(p: str) -> str:\n"
        "    return pwd.hash(p)\n\n\n")  # 14 lines
CREATE = ("@router.post('/users/')\ndef create_user(user: UserCreate, db: Session = Depends(get_db)):\n"
          "    if db.query(User).filter(User.email == user.email).first():\n"
          "        raise HTTPException(400, 'Email already registered')\n"
          "    hashed = hash_password(user.password)\n    row = User(email=user.email, hashed_password=hashed)\n"
          "    db.add(row)\n    db.commit()\n    return row\n")
RESET = ("@router.put('/users/{user_id}/password')\ndef reset(user_id: int, body: UserCreate, "
         "db: Session = Depends(get_db)):\n    row = db.query(User).get(user_id)\n"
         "    row.hashed_password = hash_password(body.password)\n    db.commit()\n    return row\n")
LIST = ("@router.get('/users/')\ndef users(db: Session = Depends(get_db)):\n"
        "    return db.query(User).all()\n")


def test_account_create_is_public() -> None:
    assert [f.rule_id for f in run(HEAD + CREATE, "routes/users.py").findings if f.rule_id.startswith("AUTH")] == []


def test_password_set_on_a_loaded_user_is_not_an_account_flow() -> None:
    assert lines_of(run(HEAD + RESET, "routes/users.py"), "AUTH302") == [15]


def test_listing_users_beside_the_sign_up_is_still_reported() -> None:
    result = run(HEAD + CREATE + "\n\n" + LIST, "routes/users.py")
    assert lines_of(result, "AUTH302") == [26]


HASHER = ("from fastapi import APIRouter, Depends\nfrom sqlmodel import Session\nimport database, models\n"
          "from hashing import Hash\n\nrouter = APIRouter()\n\n\n")  # 8 lines


def test_project_hasher_given_the_password_is_an_account_flow() -> None:
    code = HASHER + ("@router.post('/users/')\ndef create_user(*, session: Session = Depends(database.get_session), "
                     "user: models.UserCreate):\n    hashed = Hash.bcrypt(user.password)\n"
                     "    row = models.User(email=user.email, password=hashed)\n    session.add(row)\n"
                     "    session.commit()\n    return row\n")
    assert [f.rule_id for f in run(code, "routers/user.py").findings if f.rule_id.startswith("AUTH")] == []


def test_session_get_of_a_model_reads_the_database() -> None:
    code = HASHER + ("@router.get('/users/{user_id}')\ndef read_user(*, user_id: int, "
                     "session: Session = Depends(database.get_session)):\n"
                     "    return session.get(models.User, user_id)\n")
    assert lines_of(run(code, "routers/user.py"), "AUTH302") == [9]


def test_flask_session_get_of_a_key_is_no_database_read() -> None:
    code = ("from flask import Flask, session, jsonify\napp = Flask(__name__)\n\n@app.get('/me')\ndef me():\n"
            "    return jsonify(theme=session.get('theme'))\n")
    assert lines_of(run(code), "AUTH302") == []
