"""The Python glue of the semgrep engine without semgrep: middleware matchers, route URLs, public routes."""

from __future__ import annotations

import pytest

from scanner.engines.semgrep import configured_name_logging, most_severe
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.nextmw import Middleware, find_middleware
from scanner.config import Config
from scanner.engines.semgrep.frameworks import routes_of
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route, is_public
from scanner.engines.semgrep.runner import Match, is_minified, parse_output
from scanner.model import Finding, Location
from scanner.rulebook import rule
from scanner.model import ScanFile


@pytest.mark.parametrize(
    ("matchers", "url", "covered"),
    [
        ((), "/api/chat", True),
        (("/api/:path*",), "/api/chat", True),
        (("/api/:path*",), "/chat", False),
        (("/((?!api|_next/static|favicon.ico).*)",), "/api/chat", False),
        (("/((?!_next/static|_next/image).*)",), "/api/chat", True),
        (("/", "/chat/:id"), "/chat/123", True),
        (("/", "/chat/:id"), "/api/chat", False),
    ],
)
def test_matcher_coverage(matchers: tuple[str, ...], url: str, covered: bool) -> None:
    assert Middleware("middleware.ts", True, matchers).covers(url) is covered


def test_a_middleware_that_does_not_reject_covers_nothing() -> None:
    assert not Middleware("middleware.ts", False, ()).covers("/api/chat")


REJECTS = "if (!user && !path.startsWith('/login')) {\n  return NextResponse.redirect(url)\n}\n"


@pytest.mark.parametrize(
    ("texts", "rejects"),
    [
        ({"middleware.ts": "export { auth as middleware } from '@/auth'\n"}, True),
        (
            {"src/middleware.ts": "export default clerkMiddleware(async (a) => { await a.protect() })\n"},
            True,
        ),
        (
            {
                "middleware.ts": "import { updateSession } from '@/utils/supabase/middleware'\n"
                "export async function middleware(r) { return await updateSession(r) }\n",
                "utils/supabase/middleware.ts": REJECTS,
            },
            True,
        ),
        (
            {
                "middleware.ts": "export function middleware(r) { const res = NextResponse.next();"
                " res.cookies.set('a', 'b'); return res }\n"
            },
            False,
        ),
        (
            {"middleware.ts": "if (session) { return NextResponse.redirect(new URL('/chat', r.url)) }\n"},
            False,
        ),
    ],
)
def test_middleware_rejection(texts: dict[str, str], rejects: bool) -> None:
    found = find_middleware(texts)
    assert found is not None and found.rejects is rejects


@pytest.mark.parametrize(
    ("routes", "covered", "open_"),
    [
        # regex literals tested with .some((r) => r.test(pathname))
        ("const protectedRoute = [/^\\/chat(\\/.*)?$/];\nconst isProtected = protectedRoute.some((r) => r.test(p));",
         ["/chat", "/chat/abc"], ["/api/v1/chat/rate-limit", "/"]),
        # path prefixes tested with .some((r) => pathname.startsWith(r))
        ("const protectedRoutes = ['/dashboard', '/settings/'];\n"
         "const isProtected = protectedRoutes.some((r) => p.startsWith(r));",
         ["/dashboard", "/dashboard/x", "/settings/keys"], ["/api/chat", "/"]),
    ],
)
def test_a_middlewares_own_protected_path_list(routes: str, covered: list[str], open_: list[str]) -> None:
    text = ("import { NextResponse } from 'next/server';\nimport { getToken } from 'next-auth/jwt';\n" + routes +
            "\nexport async function middleware(req) {\n  const p = req.nextUrl.pathname;\n"
            "  const token = await getToken({ req });\n"
            "  if (isProtected && !token) return NextResponse.redirect(new URL('/signin', req.url));\n"
            "  return NextResponse.next();\n}\nexport const config = { matcher: ['/((?!_next/static|api/auth).*)'] };\n")
    found = find_middleware({"middleware.ts": text})
    assert found is not None and found.rejects
    assert [u for u in covered + open_ if found.covers(u)] == covered


EXPRESS = "const express = require('express');\n"


def _match(rule_id: str, path: str, text: str) -> tuple[Match, Doc]:
    """A match spanning ``text``; Express snippets get an ``express`` import line in front."""
    prefix = EXPRESS if rule_id == "js-express-route" and "axios" not in text else ""
    prefix = "'use server'\n" if rule_id == "js-server-action" else prefix
    doc = Doc.of(path, prefix + text)
    return Match(rule_id, "AUTH303", "route", path, 1, 1, 1, 1, len(prefix), len(doc.data)), doc


def route_of(match: Match, doc: Doc) -> Route | None:
    """The first route the framework modules find for one semgrep route match in a one-file project."""
    found = routes_of(doc, [match], Project([match], {doc.path: doc}, Config()))
    return found[0][1] if found else None


@pytest.mark.parametrize(
    ("rule_id", "path", "text", "url"),
    [
        (
            "js-nextjs-route-handler",
            "src/app/(chat)/api/chat/[id]/route.ts",
            "export async function GET() {}",
            "/api/chat/[id]",
        ),
        (
            "js-pages-api-handler",
            "pages/api/users/index.ts",
            "export default function h(req, res) {}",
            "/api/users",
        ),
        (
            "js-express-route",
            "server.js",
            "app.post('/api/chat', requireAuth, async (req, res) => {})",
            "/api/chat",
        ),
        ("js-server-action", "app/actions.ts", "export async function save() {}", "/__action"),
    ],
)
def test_route_urls(rule_id: str, path: str, text: str, url: str) -> None:
    route = route_of(*_match(rule_id, path, text))
    assert route is not None and route.url == url


def test_route_handlers_outside_route_files_are_not_routes() -> None:
    assert (
        route_of(*_match("js-nextjs-route-handler", "lib/api.ts", "export async function GET() {}")) is None
    )
    assert (
        route_of(*_match("js-pages-api-handler", "pages/index.tsx", "export default function P(a, b) {}"))
        is None
    )


def test_express_chain_is_split_from_the_handler() -> None:
    route = route_of(
        *_match("js-express-route", "s.js", "router.get('/x', verifyToken, (req, res) => res.json(1))")
    )
    assert route is not None and "verifyToken" in route.chain and "verifyToken" not in route.body
    assert route.router == "router" and route.name == "GET"


@pytest.mark.parametrize(
    ("path", "body", "public"),
    [
        ("app/api/auth/[...nextauth]/route.ts", "", True),
        ("app/api/health/route.ts", "", True),
        ("app/api/webhooks/stripe/route.ts", "stripe.webhooks.constructEvent(body, sig, secret)", True),
        ("app/api/webhooks/stripe/route.ts", "await db.insert(x)", False),
        ("app/api/chat/route.ts", "", False),
    ],
)
def test_public_routes(path: str, body: str, public: bool) -> None:
    route = route_of(*_match("js-nextjs-route-handler", path, f"export async function POST() {{ {body} }}"))
    assert route is not None and is_public(route, ()) is public


def test_configured_public_routes() -> None:
    route = route_of(*_match("js-nextjs-route-handler", "app/api/demo/route.ts", "export function GET() {}"))
    assert route is not None and is_public(route, ("/api/demo*",))


def test_most_severe_per_line_and_family() -> None:
    loc = Location("a.js", 3)
    kept = most_severe(
        [
            Finding(rule("LOG403"), loc, "pii"),
            Finding(rule("LOG404"), loc, "token"),
            Finding(rule("CORS501"), loc, "cors"),
        ]
    )
    assert sorted(f.rule_id for f in kept) == ["CORS501", "LOG404"]


def test_minified_detection() -> None:
    assert is_minified(ScanFile("dist/app.js", "x=1;" * 200))
    assert is_minified(ScanFile("a.min.js", "x=1\n"))
    assert not is_minified(
        ScanFile("icons.tsx", "const a = 1;\n" * 50 + "<path d='" + "M0 0 " * 500 + "'/>\n")
    )


def test_parse_output_notes_and_matches() -> None:
    doc = {
        "results": [
            {
                "check_id": "rules.semgrep.js-log-pii",
                "path": "./a.js",
                "start": {"line": 2, "col": 3, "offset": 10},
                "end": {"line": 2, "col": 9, "offset": 16},
                "extra": {"metadata": {"code": "LOG403"}},
            }
        ],
        "errors": [{"type": ["PartialParsing", []], "level": "warn", "path": "b.ts"}],
    }
    matches, notes = parse_output(doc)
    assert [(m.rule_id, m.code, m.path, m.line) for m in matches] == [("js-log-pii", "LOG403", "a.js", 2)]
    assert [(n.level, n.path) for n in notes] == [("note", "b.ts")]


def test_http_client_calls_are_not_express_routes() -> None:
    text = "import axios from 'axios';\naxios.post('/api/chat', payload);\n"
    assert route_of(*_match("js-express-route", "src/api.ts", text)) is None


def test_configured_sensitive_names_in_log_calls() -> None:
    server = Doc.of(
        "server/routes.js",
        "import express from 'express';\nlogger.info({ patientId });\n"
        "logger.info('patientId missing');\nconsole.log(visit.patientId);\n",
    )
    cli = Doc.of("scripts/x.js", "console.log(patientId);\n")
    found = configured_name_logging([server, cli], ("patientId",))
    assert [(f.rule_id, f.location.path, f.location.line) for f in found] == [
        ("LOG403", "server/routes.js", 2),
        ("LOG403", "server/routes.js", 4),
    ]
    assert configured_name_logging([server], ()) == []


def test_trivial_handlers_do_no_work() -> None:
    from scanner.engines.semgrep.auth import _does_work

    assert not _does_work("export function GET() { return new Response(null, { status: 204 }) }")
    assert _does_work("export async function GET() { return Response.json(await listUsers()) }")


def test_configured_auth_middleware_and_helpers_count_as_auth() -> None:
    from scanner.config import Config
    from scanner.engines.semgrep.auth import AuthAnalysis

    express, express_doc = _match(
        "js-express-route",
        "server.js",
        "app.post('/api/chat', mustBeLoggedIn, async (req, res) => { await go() })",
    )
    nxt, next_doc = _match(
        "js-nextjs-route-handler",
        "app/api/x/route.ts",
        "export async function POST() { const a = await loadAccount(); return a }",
    )
    docs = {"server.js": express_doc, "app/api/x/route.ts": next_doc}
    plain = AuthAnalysis([express, nxt], docs, Config()).findings([express, nxt])
    assert sorted(f.rule_id for f in plain) == ["AUTH303", "AUTH303"]
    config = Config(auth_middleware=("mustBeLoggedIn",), auth_helpers=("loadAccount",))
    assert AuthAnalysis([express, nxt], docs, config).findings([express, nxt]) == []


def test_strip_js_knows_where_literals_and_comments_end() -> None:
    from scanner.engines.semgrep.jstext import strip_js

    text = 'const u = "http://x"; // note\nconst k = `a\n${b}` /* one\ntwo */ + \'/* kept */\';\n'
    assert strip_js(text) == 'const u = "http://x"; \nconst k = `a\n${b}`  \n + \'/* kept */\';\n'
    assert strip_js(text, "''") == "const u = ''; \nconst k = ''  \n + '';\n"
    assert strip_js(text).count("\n") == text.count("\n")  # line numbers hold


def test_split_args_drops_comments_between_arguments() -> None:
    from scanner.engines.semgrep.jstext import split_args

    assert split_args('"/new", verify, // check the token\n  generateChatCompletion // answer\n') == [
        '"/new"', "verify", "generateChatCompletion"]
    assert split_args('"/a", /* auth, */ handler') == ['"/a"', "handler"]
    assert split_args('"http://x, y", h') == ['"http://x, y"', "h"]


def test_a_shared_secret_bearer_check_is_an_api_key_check() -> None:
    from scanner.knowledge import js

    cron = ("const authHeader = request.headers.get('authorization');\n"
            "if (authHeader !== `Bearer ${process.env.CRON_SECRET}`) {\n"
            "  return new Response('Unauthorized', { status: 401 });\n}\n")
    assert js.API_KEY_CHECK.search(cron) and js.REJECTS.search(cron)
    assert not js.API_KEY_CHECK.search("await fetch(url, { headers: { Authorization: `Bearer ${token}` } });")
