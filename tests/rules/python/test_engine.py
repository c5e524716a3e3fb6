"""PythonEngine: file selection, prefilter, parse-error notes, config extensions, cross-file facts, jobs."""

from __future__ import annotations

import libcst as cst

from pathlib import Path

from scanner.config import Config
from scanner.engines.base import ScanContext
from scanner.engines.python import PythonEngine
from scanner.engines.python.parsing import too_deep
from scanner.engines.python.prefilter import worth_parsing
from scanner.model import ScanFile
from tests.rules.python.helpers import lines_of, run

ROUTE = ("from flask import Flask\nimport openai\napp = Flask(__name__)\n\n@app.post('/ask')\n"
         "def ask():\n    return openai.chat.completions.create()\n")


def _scan(tmp_path: Path, files: dict[str, str], config: Config | None = None, jobs: int = 1,
          origin: str = "source") -> tuple[list[tuple[str, str, int]], list[tuple[str | None, str]]]:
    scan_files = tuple(ScanFile(p, t, origin) for p, t in files.items())
    out = PythonEngine().scan(ScanContext(tmp_path, scan_files, config or Config(), jobs=jobs))
    # LR601 (a model route with no rate limit) joins every AUTH301 here; it is tested in test_ratelimit.py
    findings = sorted((f.rule_id, f.location.path, f.location.line) for f in out.findings if f.rule_id != "LR601")
    return findings, sorted((n.path, n.kind) for n in out.notifications)


def test_finds_route_and_fills_context(tmp_path: Path) -> None:
    out = PythonEngine().scan(ScanContext(tmp_path, (ScanFile("app.py", ROUTE),), Config()))
    (finding,) = [f for f in out.findings if f.rule_id != "LR601"]
    assert (finding.rule_id, finding.location.line, finding.location.column) == ("AUTH301", 5, 1)
    assert finding.context == "POST /ask handler ask"
    assert finding.snippet == "@app.post('/ask')"
    assert finding.match_key == "POST /ask ask"


def test_skips_non_python_and_other_origins(tmp_path: Path) -> None:
    findings, _ = _scan(tmp_path, {"app.txt": ROUTE})
    assert findings == []
    out = PythonEngine().scan(ScanContext(tmp_path, (ScanFile("app.py", ROUTE, "bundle"),), Config()))
    assert out.findings == ()


def test_staged_files_are_scanned(tmp_path: Path) -> None:
    assert _scan(tmp_path, {"app.py": ROUTE}, origin="staged")[0] == [("AUTH301", "app.py", 5)]


def test_syntax_error_python2_and_deep_nesting_are_notes(tmp_path: Path) -> None:
    head = "from flask import Flask\n"
    files = {"broken.py": head + "def f(:\n", "py2.py": head + "print 'hi %s' % password\n",
             "deep.py": head + "x = " + "(" * 500 + ")" * 500 + "\n", "ok.py": ROUTE,
             "plain.py": "def f(:\n"}
    findings, notes = _scan(tmp_path, files)
    assert findings == [("AUTH301", "ok.py", 5)]
    assert notes == [("broken.py", "parse-error"), ("deep.py", "parse-error"), ("py2.py", "parse-error")]


def test_too_deep_is_cheap_and_exact() -> None:
    assert too_deep("[" * 101 + "]" * 101)
    assert not too_deep("[" * 100 + "]" * 100)
    assert too_deep("x = " + "not " * 50_000 + "y\n")  # segfaults libcst's native parser
    assert too_deep("x = 1" + "+1" * 10_000 + "\n")  # takes minutes to parse
    assert not too_deep("x = 1" + "+1" * 300 + "\n# " + "-" * 200 + "\n")


def test_prefilter() -> None:
    assert worth_parsing("from flask import Flask\n")
    assert worth_parsing("import logging\nlogging.info('x %s', password)\n")
    assert not worth_parsing("def add(a, b):\n    return a + b\n")
    assert not worth_parsing("import logging\nlogging.info('started')\n" + "x = 1\n" * 100)


def test_config_auth_decorator_and_public_route(tmp_path: Path) -> None:
    code = ROUTE.replace("@app.post('/ask')\n", "@app.post('/ask')\n@company_sso\n")
    assert _scan(tmp_path, {"app.py": code})[0] == [("AUTH301", "app.py", 5)]
    assert _scan(tmp_path, {"app.py": code}, Config(auth_decorators=("company_sso",)))[0] == []
    assert _scan(tmp_path, {"app.py": ROUTE}, Config(public_routes=("/ask",)))[0] == []


def test_config_auth_helper_and_sensitive_name(tmp_path: Path) -> None:
    code = ROUTE.replace("    return", "    ensure_member()\n    return")
    assert _scan(tmp_path, {"app.py": code}, Config(auth_helpers=("ensure_member",)))[0] == []
    log = "import logging\ndef f(member_ref):\n    logging.info('%s', member_ref)\n"
    assert lines_of(run(log), "LOG403") == []
    assert lines_of(run(log, config=Config(sensitive_names=("member_ref",))), "LOG403") == [3]


def test_fastapi_dependency_resolved_in_another_file(tmp_path: Path) -> None:
    deps = ("from fastapi import Header, HTTPException\n\nasync def gatekeeper(x_key: str = Header()):\n"
            "    if x_key != 'k':\n        raise HTTPException(status_code=401)\n")
    route = ("from fastapi import APIRouter, Depends\nfrom app.deps import gatekeeper\nimport openai\n"
             "router = APIRouter()\n\n@router.post('/a')\ndef a(ok=Depends(gatekeeper)):\n"
             "    return openai.chat.completions.create()\n")
    assert _scan(tmp_path, {"app/deps.py": deps, "app/routes.py": route})[0] == []
    service = deps.replace("raise HTTPException(status_code=401)", "return None")
    assert _scan(tmp_path, {"app/deps.py": service, "app/routes.py": route})[0] == [
        ("AUTH301", "app/routes.py", 6)]


def test_include_router_dependencies_protect_the_router(tmp_path: Path) -> None:
    route = ("from fastapi import APIRouter\nimport openai\nrouter = APIRouter()\n\n@router.post('/a')\n"
             "def a():\n    return openai.chat.completions.create()\n")
    main = ("from fastapi import FastAPI, Depends\nfrom app.routes import chat\n"
            "from app.auth import current_user\napp = FastAPI()\n"
            "app.include_router(chat.router, dependencies=[Depends(current_user)])\n")
    assert _scan(tmp_path, {"app/routes/chat.py": route})[0] == [("AUTH301", "app/routes/chat.py", 5)]
    assert _scan(tmp_path, {"app/routes/chat.py": route, "app/main.py": main})[0] == []


def test_drf_default_permission_from_settings(tmp_path: Path) -> None:
    view = ("from rest_framework.viewsets import ModelViewSet\n\nclass Chats(ModelViewSet):\n"
            "    queryset = Chat.objects.all()\n")
    settings = ("REST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': "
                "['rest_framework.permissions.IsAuthenticated']}\n")
    assert _scan(tmp_path, {"chat/views.py": view})[0] == [("AUTH302", "chat/views.py", 3)]
    # signed in now, but any member can still fetch any chat by pk: AUTH307 (issue 13)
    assert _scan(tmp_path, {"chat/views.py": view, "proj/settings.py": settings})[0] == [
        ("AUTH307", "chat/views.py", 4)]


def test_django_urls_wrapper_counts_as_auth(tmp_path: Path) -> None:
    view = "def export(request):\n    return list(Member.objects.values())\n"
    urls = ("from django.urls import path\nfrom django.contrib.auth.decorators import login_required\n"
            "from . import views\nurlpatterns = [path('export/', login_required(views.export))]\n")
    assert _scan(tmp_path, {"acc/views.py": view})[0] == [("AUTH302", "acc/views.py", 1)]
    assert _scan(tmp_path, {"acc/views.py": view, "acc/urls.py": urls})[0] == []


def test_jobs_give_the_same_result(tmp_path: Path) -> None:
    files = {f"pkg/m{i}.py": ROUTE for i in range(20)}
    assert _scan(tmp_path, files, jobs=2) == _scan(tmp_path, files, jobs=1)
    assert len(_scan(tmp_path, files, jobs=2)[0]) == 20


def test_families_limit_the_rules(tmp_path: Path) -> None:
    ctx = ScanContext(tmp_path, (ScanFile("app.py", ROUTE),), Config(), families=("secrets",))
    assert PythonEngine().scan(ctx).findings == ()


def test_app_factory_before_request_protects_blueprints(tmp_path: Path) -> None:
    bp = ("from flask import Blueprint\nimport openai\nbp = Blueprint('chat', __name__)\n\n@bp.post('/ask')\n"
          "def ask():\n    return openai.chat.completions.create()\n")
    factory = ("from flask import Flask, session, abort\n\ndef create_app():\n    app = Flask(__name__)\n\n"
               "    @app.before_request\n    def need_login():\n        if 'user_id' not in session:\n"
               "            abort(401)\n\n    return app\n")
    assert _scan(tmp_path, {"app/chat.py": bp})[0] == [("AUTH301", "app/chat.py", 5)]
    assert _scan(tmp_path, {"app/chat.py": bp, "app/__init__.py": factory})[0] == []


def test_with_urls_only_wired_functions_are_views(tmp_path: Path) -> None:
    view = ("from django.contrib.auth.decorators import login_required\n\n@login_required\n"
            "def chat(request):\n    return helper(request)\n\n"
            "def helper(request):\n    return list(Chat.objects.filter(user=request.user))\n")
    urls = "from django.urls import path\nfrom . import views\nurlpatterns = [path('chat/', views.chat)]\n"
    assert _scan(tmp_path, {"chat/views.py": view})[0] == [("AUTH302", "chat/views.py", 7)]
    assert _scan(tmp_path, {"chat/views.py": view, "chat/urls.py": urls})[0] == []


def test_annotated_type_alias_dependency(tmp_path: Path) -> None:
    deps = ("from typing import Annotated\nfrom fastapi import Depends\nfrom sqlmodel import Session\n\n"
            "def get_db():\n    yield Session()\n\n"
            "def get_current_user(token: str) -> str:\n    if not token:\n        raise HTTPException(401)\n"
            "    return token\n\n"
            "SessionDep = Annotated[Session, Depends(get_db)]\n"
            "CurrentUser = Annotated[str, Depends(get_current_user)]\n")
    route = ("from fastapi import APIRouter\nfrom app.api.deps import CurrentUser, SessionDep\n"
             "router = APIRouter()\n\n@router.get('/items')\n"
             "def items(session: SessionDep, user: CurrentUser):\n"
             "    return session.exec(select(Item)).all()\n\n@router.delete('/items')\n"
             "def wipe(session: SessionDep):\n    session.query(Item).delete()\n")
    assert _scan(tmp_path, {"app/api/deps.py": deps, "app/api/routes/items.py": route})[0] == [
        ("AUTH302", "app/api/routes/items.py", 9)]


def test_configured_or_wsgi_auth_middleware_protects_every_route(tmp_path: Path) -> None:
    wrapped = ("from app.sso import SSOMiddleware\nfrom app import app\n"
               "app.wsgi_app = SSOMiddleware(app.wsgi_app)\n")
    assert _scan(tmp_path, {"app.py": ROUTE, "wsgi.py": wrapped})[0] == []
    custom = "from app import app\nfrom company import Gate\ngate = Gate(app)\n"
    assert _scan(tmp_path, {"app.py": ROUTE, "run.py": custom})[0] == [("AUTH301", "app.py", 5)]
    assert _scan(tmp_path, {"app.py": ROUTE, "run.py": custom}, Config(auth_middleware=("Gate",)))[0] == []


def test_a_syntax_error_is_reported_on_its_own_line() -> None:
    from scanner.engines.python.parsing import parse

    text = "from flask import Flask\napp = Flask(__name__)\nx = 1\ndef (:\n    pass\n"
    note = parse("b.py", text)
    assert not isinstance(note, cst.Module)
    assert note.message == "not parsed: Python syntax error at line 4"  # libcst gives up at line 5


def test_a_scan_without_python_files_does_not_import_libcst(tmp_path: Path) -> None:
    """The engine's front lists its rules from the rulebook; libcst is imported only for a Python file."""
    import subprocess
    import sys

    (tmp_path / "server.js").write_text("const x = 1;\n")
    code = ("import sys\nfrom pathlib import Path\nfrom scanner import api\nfrom scanner.config import Config\n"
            f"r = api.scan(Path({str(tmp_path)!r}), Config(), api.ScanOptions(engines=('python',), jobs=1))\n"
            "print(len(r.rules), 'libcst' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["21", "False"]
