"""Shapes judges met on real Next.js / Express chatbots (JS/TS): a Supabase SSR ``middleware.ts`` that refuses in
the ``updateSession`` helper it imports (AUTH301 must not be reported behind it), a ``'use server'`` module whose
``createClient()`` only builds a client from the caller's cookies (no AUTH303), a 429 inside a ``catch`` that
relays the model vendor's quota error (no rate limit: LR601 stays), and a database URL from the environment
logged (LOG404). Each shape: examples that must be found and examples that must not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import without_catch
from scanner.engines.semgrep.logflow import request_value_logging
from scanner.engines.semgrep.nextmw import Middleware, find_middleware
from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")
CODES = ("AUTH301", "AUTH302", "AUTH303", "LR601")

# --- AUTH301: Supabase SSR middleware refusing in its imported helper -------------------------------------

#: Supabase's matcher (vercel/next.js examples/with-supabase), as written in the TS source (``\\.``).
SUPABASE_MATCHER = "/((?!_next/static|_next/image|favicon.ico|.*\\\\.(?:svg|png|jpg|jpeg|gif|webp)$).*)"
MIDDLEWARE = ('import { type NextRequest } from "next/server";\nimport { updateSession } from "@/utils/supabase/middleware";'
              "\n\nexport async function middleware(request: NextRequest) {\n  return await updateSession(request);\n}\n\n"
              f'export const config = {{\n  matcher: [\n    "{SUPABASE_MATCHER}",\n  ],\n}};\n')
HELPER_HEAD = ('import { createServerClient } from "@supabase/ssr";\nimport { NextResponse, type NextRequest } from '
               '"next/server";\n\nexport async function updateSession(request: NextRequest) {\n'
               "  let supabaseResponse = NextResponse.next({ request });\n"
               "  const supabase = createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, "
               "process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {\n    cookies: {\n"
               "      getAll() {\n        return request.cookies.getAll();\n      },\n"
               "      setAll(cookiesToSet) {\n        cookiesToSet.forEach(({ name, value, options }) =>\n"
               "          supabaseResponse.cookies.set(name, value, options));\n      },\n    },\n  });\n\n"
               "  // IMPORTANT: DO NOT REMOVE auth.getUser()\n  const {\n    data: { user },\n"
               "  } = await supabase.auth.getUser();\n\n")
HELPER_TAIL = "  return supabaseResponse;\n}\n"
REFUSING = [
    # the current template: the path test comes first, `!user` in the middle of the condition
    '  if (\n    request.nextUrl.pathname !== "/" &&\n    !user &&\n    !request.nextUrl.pathname.startsWith("/login") &&\n'
    '    !request.nextUrl.pathname.startsWith("/auth")\n  ) {\n'
    "    // no user, potentially respond by redirecting the user to the login page\n"
    '    const url = request.nextUrl.clone();\n    url.pathname = "/login";\n    return NextResponse.redirect(url);\n  }\n',
    # the earlier template: `!user` first
    "  if (!user && !request.nextUrl.pathname.startsWith('/login') && !request.nextUrl.pathname.startsWith('/auth')) {\n"
    "    const url = request.nextUrl.clone()\n    url.pathname = '/login'\n    return NextResponse.redirect(url)\n  }\n",
    # API paths answered 401
    "  if (request.nextUrl.pathname.startsWith('/api') && !user) {\n"
    "    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });\n  }\n",
]
NOT_REFUSING = [
    "",  # the session is only refreshed
    # a signed-in user is sent away from the login page; nobody is refused
    "  if (user && request.nextUrl.pathname.startsWith('/login')) {\n"
    "    return NextResponse.redirect(new URL('/chat', request.url));\n  }\n",
    "  if (request.nextUrl.pathname === '/' && user) {\n    return NextResponse.redirect(new URL('/chat', request.url));\n  }\n",
]


@pytest.mark.parametrize("check", REFUSING)
def test_supabase_helper_refusal_covers_api_routes(check: str) -> None:
    found = find_middleware({"middleware.ts": MIDDLEWARE, "utils/supabase/middleware.ts": HELPER_HEAD + check
                             + HELPER_TAIL})
    assert found is not None and found.rejects
    assert found.covers("/api/chat") and found.covers("/api/Gemini")


@pytest.mark.parametrize("check", NOT_REFUSING)
def test_supabase_helper_that_refuses_nobody(check: str) -> None:
    found = find_middleware({"middleware.ts": MIDDLEWARE, "utils/supabase/middleware.ts": HELPER_HEAD + check
                             + HELPER_TAIL})
    assert found is not None and not found.rejects and not found.covers("/api/chat")


def test_supabase_helper_in_src_lib_by_relative_import() -> None:
    middleware = MIDDLEWARE.replace("@/utils/supabase/middleware", "./lib/supabase/middleware")
    found = find_middleware({"src/middleware.ts": middleware,
                             "src/lib/supabase/middleware.ts": HELPER_HEAD + REFUSING[0] + HELPER_TAIL})
    assert found is not None and found.covers("/api/chat")


@pytest.mark.parametrize(
    ("matcher", "url", "covered"),
    [
        (SUPABASE_MATCHER, "/api/chat", True),
        (SUPABASE_MATCHER, "/chat/123", True),
        (SUPABASE_MATCHER, "/logo.png", False),
        (SUPABASE_MATCHER, "/_next/static/chunk.js", False),
        ("/((?!api|_next/static|_next/image|.*\\\\.(?:svg|png)$).*)", "/api/chat", False),
        ("/((?!_next|login|signup|error|robots.txt|sitemap.xml|images|$).*)", "/api/Gemini", True),
        ("/((?!_next|login|signup|error|robots.txt|sitemap.xml|images|$).*)", "/", False),
        ("/((?!_next|login|signup|error|robots.txt|sitemap.xml|images|$).*)", "/login", False),
        ("/((?!api|(?:_next).*).*)", "/api/chat", False),
        ("/((?!(?<=x)api).*)", "/api/chat", False),  # not readable by re2: no coverage claimed
    ],
)
def test_nested_lookahead_matchers(matcher: str, url: str, covered: bool) -> None:
    assert Middleware("middleware.ts", True, (matcher,)).covers(url) is covered


# --- end to end: AUTH301 behind the middleware, AUTH303 for client builders, LR601 with a caught 429 -------

ROUTE = ('import { streamText } from "ai";\nimport { google } from "@ai-sdk/google";\n\n'
         "export async function POST(req: Request) { EXPECT\n  const { messages } = await req.json();\n"
         '  const result = streamText({ model: google("gemini-1.5-flash"), messages });\n'
         "  return result.toDataStreamResponse();\n}\n")
SERVER_CLIENT = ('"use server";\n\nimport { createServerClient } from "@supabase/ssr";\nimport { cookies } from '
                 '"next/headers";\n\nexport async function createClient() {\n  const cookieStore = await cookies();\n\n'
                 "  return createServerClient(\n    process.env.NEXT_PUBLIC_SUPABASE_URL!,\n"
                 "    process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!,\n    {\n      cookies: {\n"
                 "        getAll() {\n          return cookieStore.getAll();\n        },\n"
                 "        setAll(cookiesToSet) {\n          try {\n"
                 "            cookiesToSet.forEach(({ name, value, options }) => cookieStore.set(name, value, options));\n"
                 "          } catch {\n            // called from a Server Component\n          }\n        },\n"
                 "      },\n    },\n  );\n}\n")
ACTIONS = ('"use server";\n\nimport { cookies, headers } from "next/headers";\nimport { Resend } from "resend";\n\n'
           "const resend = new Resend(process.env.RESEND_API_KEY);\n\n"
           "export async function setTheme(theme: string) {\n  const store = await cookies();\n"
           '  store.set("theme", theme);\n}\n\n'
           "export async function getRequestInfo() {\n  const h = await headers();\n"
           '  return { country: h.get("x-vercel-ip-country"), url: process.env.NEXT_PUBLIC_SITE_URL };\n}\n\n'
           "export async function sendFeedback(formData: FormData) { // expect: AUTH303\n"
           "  const store = await cookies();\n"
           '  await resend.emails.send({ from: "bot@example.com", to: "team@example.com", subject: "feedback",\n'
           '    text: String(formData.get("text")) + store.get("visitor")?.value });\n}\n\n'
           "export async function forwardReport(payload: string) { // expect: AUTH303\n"
           "  const h = await headers();\n"
           "  await fetch(process.env.REPORTS_URL!, { method: 'POST', body: payload + h.get('x-forwarded-for') });\n}\n")
CAUGHT_429 = ('import { NextResponse } from "next/server";\nimport { GoogleGenerativeAI } from "@google/generative-ai";\n\n'
              "const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);\n\n"
              "export async function POST(req: Request) { // expect: AUTH301 LR601\n  try {\n"
              "    const { messages } = await req.json();\n"
              '    const model = genAI.getGenerativeModel({ model: "gemini-pro" });\n'
              "    const result = await model.generateContentStream(String(messages.at(-1).content).slice(0, 2000));\n"
              "    return new NextResponse(result.stream as unknown as BodyInit);\n  } catch (error: any) {\n"
              '    console.log("[CODE_ERROR]", error);\n    if (error.response?.status === 429) {\n'
              '      return new NextResponse("Rate limit exceeded. Please try again later.", { status: 429 });\n    }\n'
              '    return new NextResponse("Internal Error", { status: 500 });\n  }\n}\n')
OWN_429 = ('import { NextResponse } from "next/server";\nimport { kv } from "@vercel/kv";\nimport OpenAI from "openai";\n\n'
           "const openai = new OpenAI();\n\n"
           "export async function POST(req: Request) { // expect: AUTH301\n  try {\n"
           '    const ip = req.headers.get("x-forwarded-for") ?? "anon";\n'
           "    const used = await kv.incr(`usage:${ip}`);\n    if (used > 20) {\n"
           '      return NextResponse.json({ error: "Too many requests" }, { status: 429 });\n    }\n'
           "    const { prompt } = await req.json();\n    const completion = await openai.chat.completions.create({\n"
           '      model: "gpt-4o-mini", messages: [{ role: "user", content: String(prompt).slice(0, 2000) }] });\n'
           "    return NextResponse.json(completion.choices[0].message);\n  } catch (error) {\n"
           '    return NextResponse.json({ error: "failed" }, { status: 500 });\n  }\n}\n')
EXPRESS_CAUGHT = ('const express = require("express");\nconst OpenAI = require("openai");\nconst router = express.Router();\n'
                  "const openai = new OpenAI();\n\n"
                  'router.post("/chat", async (req, res) => { // expect: AUTH301 LR601\n  try {\n'
                  '    const completion = await openai.chat.completions.create({ model: "gpt-4o-mini",\n'
                  '      messages: [{ role: "user", content: String(req.body.message).slice(0, 2000) }] });\n'
                  "    res.json(completion.choices[0].message);\n  } catch (err) {\n    if (err.status === 429) {\n"
                  '      return res.status(429).json({ error: "OpenAI quota exceeded" });\n    }\n'
                  "    res.status(500).json({ error: err.message });\n  }\n});\n\n"
                  'router.post("/ask", (req, res) => { // expect: AUTH301 LR601\n'
                  '  openai.chat.completions.create({ model: "gpt-4o-mini",\n'
                  '    messages: [{ role: "user", content: String(req.body.q).slice(0, 500) }] })\n'
                  "    .then((r) => res.json(r.choices[0].message))\n"
                  "    .catch((e) => res.status(429).json({ error: e.message }));\n});\n\n"
                  "module.exports = router;\n")
EXPRESS_OWN = ('const express = require("express");\nconst OpenAI = require("openai");\nconst router = express.Router();\n'
               "const openai = new OpenAI();\nconst hits = new Map();\n\n"
               'router.post("/own", async (req, res) => { // expect: AUTH301\n'
               "  const n = (hits.get(req.ip) || 0) + 1;\n  hits.set(req.ip, n);\n"
               '  if (n > 30) return res.status(429).json({ error: "slow down" });\n  try {\n'
               '    const completion = await openai.chat.completions.create({ model: "gpt-4o-mini",\n'
               '      messages: [{ role: "user", content: String(req.body.message).slice(0, 2000) }] });\n'
               "    res.json(completion.choices[0].message);\n  } catch (err) {\n"
               "    res.status(500).json({ error: err.message });\n  }\n});\n\nmodule.exports = router;\n")
PROTECTED = {
    "middleware.ts": MIDDLEWARE,
    "utils/supabase/middleware.ts": HELPER_HEAD + REFUSING[0] + HELPER_TAIL,
    "app/api/Gemini/route.ts": ROUTE.replace("EXPECT", "// expect: LR601"),
    "app/actions.ts": ACTIONS.replace(" // expect: AUTH303", ""),
    "components/feedback.tsx": "'use client';\nimport { sendFeedback, setTheme } from '@/app/actions';\n"
                               "export function F() { return <form action={sendFeedback} />; }\n",
}
OPEN = {
    "middleware.ts": MIDDLEWARE,
    "utils/supabase/middleware.ts": HELPER_HEAD + NOT_REFUSING[1] + HELPER_TAIL,
    "utils/supabase/server.ts": SERVER_CLIENT,
    "app/actions.ts": ACTIONS,
    "app/api/Gemini/route.ts": ROUTE.replace("EXPECT", "// expect: AUTH301 LR601"),
    "app/api/code/route.ts": CAUGHT_429,
    "app/api/limited/route.ts": OWN_429,
    "routes/chat.js": EXPRESS_CAUGHT,
    "routes/own.js": EXPRESS_OWN,
}


def _scan(root: Path, files: dict[str, str]) -> set[tuple[str, str, int]]:
    return scan_project(root, files, CODES, '{"dependencies": {"next": "15.0.0", "express": "4.21.0"}}\n')


def _expected(files: dict[str, str]) -> set[tuple[str, str, int]]:
    return marked(files)


@needs_semgrep
def test_routes_and_actions_behind_a_refusing_supabase_middleware(tmp_path: Path) -> None:
    assert _scan(tmp_path, PROTECTED) == _expected(PROTECTED) == {("LR601", "app/api/Gemini/route.ts", 4)}


@needs_semgrep
def test_open_routes_client_builders_and_caught_429s(tmp_path: Path) -> None:
    expected = _expected(OPEN)
    assert _scan(tmp_path, OPEN) == expected
    assert len(expected) == 12


@pytest.mark.parametrize(
    ("code", "kept"),
    [
        ("try { a() } catch (e) { return res.status(429) }\nafter()", "try { a() } catch (e) {}\nafter()"),
        ("p.catch((e) => res.status(429))", "p.catch()"),
        ("try { a() } catch { x('}') }", "try { a() } catch {}"),
        ("if (n > 9) return res.status(429)", "if (n > 9) return res.status(429)"),
    ],
)
def test_without_catch(code: str, kept: str) -> None:
    assert without_catch(code) == kept


# --- LOG404: a database / broker connection URL from the environment logged -------------------------------

SERVER = "const express = require('express');\nconst mongoose = require('mongoose');\n"


def _logged(line: str) -> list[tuple[str, str, int]]:
    docs = [Doc.of("backend/server.js", SERVER + line + "\n")]
    return sorted((f.rule_id, f.location.path, f.location.line) for f in request_value_logging(docs, []))


@pytest.mark.parametrize(
    "line",
    [
        "console.log('MongoDB URI:', process.env.MONGO_URI);",
        "console.log(`Connecting to ${process.env.DATABASE_URL}`);",
        "console.log('pg', process.env.POSTGRES_URL_NON_POOLING);",
        "console.log({ redis: process.env.REDIS_URL });",
        "logger.info('db %s', process.env.AZURE_SQL_CONNECTION_STRING);",
        "console.log(process.env.PG_DSN);",
        "console.log('broker', process.env.CELERY_BROKER_URL);",
    ],
)
def test_database_url_logged(line: str) -> None:
    assert _logged(line) == [("LOG404", "backend/server.js", 3)]


@pytest.mark.parametrize(
    "line",
    [
        "console.log('port', process.env.PORT, process.env.NODE_ENV);",
        "console.log('api', process.env.API_BASE_URL, process.env.BACKEND_URL);",
        "console.log('site', process.env.NEXT_PUBLIC_SITE_URL);",
        "console.log('sentry', process.env.SENTRY_DSN);",
        "console.log('upstash', process.env.UPSTASH_REDIS_REST_URL);",
        "console.log('Mongo URI set:', !!process.env.MONGO_URI);",
        "console.log(`db: ${process.env.DATABASE_URL ? 'configured' : 'missing'}`);",
        "console.log('db host', process.env.DB_HOST, process.env.DB_NAME);",
    ],
)
def test_database_url_check_not_flagged(line: str) -> None:
    assert _logged(line) == []
