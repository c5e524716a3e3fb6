"""The semgrep engine end to end on fixtures/js and on staged texts: auth glue, explicit targets, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.base import ScanContext
from scanner.engines.semgrep import SemgrepEngine
from scanner.engines.semgrep import runner as semgrep_runner
from scanner.engines.semgrep.runner import find_semgrep
from scanner.model import Finding
from scanner.rulebook import RULES
from scanner.model import ScanFile

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "js"
needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")


def _hits(findings: tuple[Finding, ...] | list[Finding]) -> set[tuple[str, str, int]]:
    # LR601 (a model route with no rate limit) joins every AUTH301 here; it is tested in test_ratelimit.py
    return {(f.rule_id, f.location.path, f.location.line) for f in findings if f.rule_id != "LR601"}


def _scan_fixture(name: str) -> set[tuple[str, str, int]]:
    result = scan(FIXTURES / name, Config(), ScanOptions(engines=("semgrep", "config")))
    assert not result.incomplete, result.notifications
    return _hits(result.findings)


def test_rules_come_from_the_rulebook() -> None:
    rules = SemgrepEngine().rules()
    assert {r.id for r in rules} >= {
        "AUTH301",
        "AUTH302",
        "AUTH303",
        "AUTH305",
        "LOG401",
        "LOG405",
        "CORS501",
        "CORS503",
        "EXP201",
        "EXP202",
        "EXP203",
    }
    assert all(r is RULES[r.id] for r in rules)


@needs_semgrep
def test_express_auth_glue() -> None:
    # chat router mounted with requireAuth elsewhere: silent; /users after router.use(verifyToken): silent;
    # /stats before it: flagged; requireAuth imported but unused in admin.js: AUTH305; /health: public;
    # lib/cors-helper.js is scanned although a .semgrepignore would make semgrep skip it; test/chat.test.js is
    # test code (never deployed): its route and CORS are not reported.
    assert _scan_fixture("express-app") == {
        ("AUTH305", "routes/admin.js", 3),
        ("AUTH302", "routes/admin.js", 7),
        ("AUTH302", "server.js", 12),
        ("CORS501", "lib/cors-helper.js", 3),
        ("LR602", "routes/chat.js", 8),  # req.body.messages straight into the model call
    }


@needs_semgrep
def test_next_middleware_that_rejects_covers_matched_routes_only() -> None:
    # /api/chat is under the matcher and the middleware answers 401; /api/open is not covered: its GET is
    # flagged, its POST calls the project helper requireUser() and is not.
    assert _scan_fixture("next-guarded") == {("AUTH302", "app/api/open/route.ts", 4),
                                             ("LR602", "app/api/chat/route.ts", 6)}  # unbounded messages


@needs_semgrep
def test_next_middleware_that_only_sets_cookies_is_not_auth() -> None:
    assert _scan_fixture("next-cookie") == {("AUTH301", "app/api/chat/route.ts", 4),
                                            ("LR602", "app/api/chat/route.ts", 6)}


STAGED = {
    "app/api/chat/route.ts": (
        "import OpenAI from 'openai';\n"
        "const client = new OpenAI();\n"
        "export async function POST(req: Request) {\n"
        "  const body = await req.json();\n"
        "  console.log('chat', body.messages);\n"
        "  return Response.json(await client.chat.completions.create({ model: 'x', messages: [] }));\n"
        "}\n"
    ),
    "server/cors.js": (
        "const cors = require('cors');\n"
        "app.use(cors({ origin: true, credentials: true }));\n"
        "function h(req, res) {\n"
        "  res.setHeader('Access-Control-Allow-Origin', '*');\n"
        "}\n"
    ),
    "src/client.ts": "'use client';\nexport const k = process.env.NEXT_PUBLIC_ANTHROPIC_API_KEY;\n",
    "next.config.js": "module.exports = { env: { OPENAI_API_KEY: process.env.OPENAI_API_KEY } };\n",
    "src/broken.ts": "'use server'\nexport function (((\n",
    # console output of a CLI script or a browser component is not a log system: silent
    "scripts/demo.js": "const c = await client.completions.create({});\nconsole.log(c.choices[0].text);\n",
    "src/ui/Chat.tsx": "'use client';\nexport function Chat({ messages }) { console.log(messages) }\n",
    "public/app.min.js": "var a=1;" * 10,
}


@pytest.fixture(scope="module")
def staged_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[tuple[str, str, int]], list[str]]:
    root = tmp_path_factory.mktemp("staged")  # nothing on disk: the engine must use the staged texts
    files = tuple(ScanFile(p, t, origin="staged") for p, t in STAGED.items())
    out = SemgrepEngine().scan(ScanContext(root=root, files=files, config=Config(), mode="staged"))
    return _hits(out.findings), [f"{n.level}:{n.path}:{n.message}" for n in out.notifications]


@needs_semgrep
def test_staged_texts_are_scanned_from_a_temp_copy(
    staged_output: tuple[set[tuple[str, str, int]], list[str]],
) -> None:
    hits, _ = staged_output
    assert hits == {
        ("AUTH301", "app/api/chat/route.ts", 3),
        ("LOG401", "app/api/chat/route.ts", 5),
        ("CORS503", "server/cors.js", 2),
        ("CORS501", "server/cors.js", 4),
        ("EXP201", "src/client.ts", 2),
        ("EXP203", "next.config.js", 1),
    }


@needs_semgrep
def test_unparsable_and_minified_files_are_notes(
    staged_output: tuple[set[tuple[str, str, int]], list[str]],
) -> None:
    _, notes = staged_output
    assert any(n.startswith("note:src/broken.ts:") for n in notes), notes
    assert any(n.startswith("note:public/app.min.js:minified") for n in notes), notes
    assert not any(n.startswith("error") for n in notes)


def test_missing_semgrep_is_an_error_but_the_rest_of_the_report_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semgrep_runner, "find_semgrep", lambda: None)
    (tmp_path / "index.js").write_text("app.use(cors());\n")
    (tmp_path / ".env").write_text("NEXT_PUBLIC_OPENAI_API_KEY=abc\n")
    result = scan(tmp_path, Config(), ScanOptions(engines=("semgrep", "config")))
    assert result.incomplete
    errors = [n for n in result.notifications if n.level == "error"]
    assert len(errors) == 1 and "semgrep is not installed" in errors[0].message
    assert _hits(result.findings) == {("EXP201", ".env", 1)}


def test_no_js_files_means_no_semgrep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> str:
        raise AssertionError("semgrep must not start")

    monkeypatch.setattr(semgrep_runner, "find_semgrep", boom)
    files = (ScanFile("app.py", "print(1)\n"),)
    out = SemgrepEngine().scan(ScanContext(root=tmp_path, files=files, config=Config()))
    assert out.findings == () and out.notifications == ()


@needs_semgrep
def test_staged_route_is_covered_by_the_unchanged_middleware_on_disk(tmp_path: Path) -> None:
    (tmp_path / "middleware.ts").write_text((FIXTURES / "next-guarded" / "middleware.ts").read_text())
    route = (FIXTURES / "next-guarded" / "app" / "api" / "chat" / "route.ts").read_text()
    files = (
        ScanFile("app/api/chat/route.ts", route, origin="staged"),
        ScanFile("app/api/other/route.ts", route, origin="staged"),
    )
    out = SemgrepEngine().scan(ScanContext(root=tmp_path, files=files, config=Config(), mode="staged"))
    assert _hits(out.findings) == {("AUTH301", "app/api/other/route.ts", 4), ("LR602", "app/api/chat/route.ts", 6),
                                   ("LR602", "app/api/other/route.ts", 6)}
