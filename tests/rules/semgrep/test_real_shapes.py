"""Shapes met on real AI-chatbot repositories (issue 12, JS/TS half): middleware exported as a whole module and
required inline, routers mounted with an inline require, route bodies that refuse without the session a helper
returns, Clerk middleware that leaves routes public, model calls through axios, logging in AI SDK tools."""

from __future__ import annotations

import pytest

from scanner.config import Config
from scanner.engines.semgrep import is_server_code
from scanner.engines.semgrep.auth import AuthAnalysis, refuses_without_credential
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import default_export_span
from scanner.engines.semgrep.nextmw import find_middleware
from scanner.engines.semgrep.prefilter import groups_of

EXPRESS = "const express = require('express');\nconst router = express.Router();\n"
REJECTING = ("module.exports = async function(req, res, next) {\n"
             "  const token = (req.headers.authorization || '').split(' ')[1];\n"
             "  if (!token) return res.status(401).json({ message: 'No token' });\n"
             "  req.user = await admin.auth().verifyIdToken(token);\n  next();\n};\n")
PASSING = "module.exports = function(req, res, next) {\n  console.info(req.method, req.path);\n  next();\n};\n"


def _inventory(files: dict[str, str]) -> tuple[set[tuple[str, str, int]], set[tuple[str, str, bool]]]:
    docs = {p: Doc.of(p, t) for p, t in files.items()}
    analysis = AuthAnalysis([], docs, Config())
    hits = {(f.rule_id, f.location.path, f.location.line) for f in analysis.findings([])}
    return hits, {(r.method, r.path, r.authenticated) for r in analysis.inventory}


# --- Express: default-exported middleware, inline requires ----------------------------------------------

EXPRESS_VALID = [  # the route is authenticated by a module-exported middleware
    ("const verify = require('../middleware/verify');\nrouter.route('/stats').get(verify, ctrl);\n", REJECTING),
    ("router.route('/set-role').post(require('../middleware/verify'), async (q, s) => s.json(await db.set(q)));\n",
     REJECTING),
    ("import verify from '../middleware/verify';\nrouter.route('/orders').post(verify, async (q, s) => "
     "s.json(await db.add(q.body)));\n", REJECTING.replace("module.exports =", "export default")),
    ("const guard = require('../middleware/verify');\nrouter.use(guard);\nrouter.route('/x').get(async (q, s) => "
     "s.json(await db.all()));\n", REJECTING),
    ("const verify = require('../middleware/verify');\nrouter.route('/tasks').get(verify, roles(['a']), "
     "async (q, s) => s.json(await db.all()));\n",
     "async function check(req, res, next) {\n  if (!req.cookies.sid) return res.redirect('/login');\n  next();\n}\n"
     "module.exports = check;\n"),
]
EXPRESS_INVALID = [  # the middleware exported as the module's whole value does not refuse anyone
    ("const verify = require('../middleware/verify');\nrouter.route('/stats').get(verify, ctrl);\n", PASSING),
    ("router.route('/set-role').post(require('../middleware/verify'), async (q, s) => s.json(await db.set(q)));\n",
     PASSING),
    ("import verify from '../middleware/verify';\nrouter.route('/orders').post(verify, async (q, s) => "
     "s.json(await db.add(q.body)));\n", PASSING.replace("module.exports =", "export default")),
    ("const guard = require('../middleware/verify');\nrouter.use(guard);\nrouter.route('/x').get(async (q, s) => "
     "s.json(await db.all()));\n", PASSING),
    ("router.route('/chat').post(require('../middleware/verify'), async (q, s) => s.json(await db.add(q)));\n",
     "module.exports = (req, res, next) => { if (!req.body) return res.status(400).end(); next(); };\n"),
]


@pytest.mark.parametrize(("routes", "middleware"), EXPRESS_VALID)
def test_express_module_exported_middleware_authenticates(routes: str, middleware: str) -> None:
    files = {"routes/r.js": EXPRESS + "const ctrl = async (q, s) => s.json(await db.all());\n" + routes,
             "middleware/verify.js": middleware}
    hits, inventory = _inventory(files)
    assert hits == set()
    assert [authed for _, _, authed in inventory] == [True]


@pytest.mark.parametrize(("routes", "middleware"), EXPRESS_INVALID)
def test_express_module_exported_middleware_that_lets_all_through(routes: str, middleware: str) -> None:
    files = {"routes/r.js": EXPRESS + "const ctrl = async (q, s) => s.json(await db.all());\n" + routes,
             "middleware/verify.js": middleware}
    hits, inventory = _inventory(files)
    assert len(hits) == 1
    assert [authed for _, _, authed in inventory] == [False]


def test_mount_by_inline_require_gives_the_prefix_and_its_auth() -> None:
    files = {
        "index.js": "const express = require('express');\nconst app = express();\n"
                    "const verify = require('./middleware/verify');\n"
                    "app.use('/openai', require('./routes/openai.routes'));\n"
                    "app.use('/admin', verify, require('./routes/admin.routes'));\n",
        "routes/openai.routes.js": EXPRESS + "router.post('/chat', async (q, s) => s.json(await db.all()));\n",
        "routes/admin.routes.js": EXPRESS + "router.route('/users').get(async (q, s) => s.json(await db.all()));\n",
        "middleware/verify.js": REJECTING,
    }
    _, inventory = _inventory(files)
    assert ("GET", "/admin/users", True) in inventory


def test_default_export_span_shapes() -> None:
    assert default_export_span("module.exports = async function(req, res, next) { next(); };\n") == (0, 59)
    text = "const f = (a) => { return a; };\nexport default f;\n"
    assert default_export_span(text) == (0, 30)
    assert default_export_span("export const a = 1;\n") is None


# --- A route body that refuses without the session a helper returns -------------------------------------

REFUSES = [
    "const session = await getRequestSession(req);\nif (!session) {\n  return NextResponse.json({ m: 'x' }, "
    "{ status: 403 });\n}",
    "const { data: { user } } = await supabase.auth.getUser();\nif (!user) redirect('/login');",
    "const me = await currentViewer(req)\nif (!me?.id) return new Response('Unauthorized', { status: 401 })",
    "let claims = await verifyAccessToken(token);\nif (!claims) throw new UnauthorizedError();",
    "const { userId } = await getAuthContext();\nif (!userId) { return res.status(401).json({}) }",
]
DOES_NOT_REFUSE = [
    "const user = await getUserById(id);\nif (!user) return new Response('x', { status: 401 });",
    "const { userId } = await req.json();\nif (!userId) return new Response('x', { status: 401 });",
    "const chat = await getChat(id);\nif (!chat) return new Response('Not found', { status: 404 });",
    "const session = await getRequestSession(req);\nconsole.info(session?.user?.id);",
    "const session = await getRequestSession(req);\nif (!session) { return Response.json({ guest: true }) }",
]


@pytest.mark.parametrize("body", REFUSES)
def test_route_refuses_without_credential(body: str) -> None:
    assert refuses_without_credential(body)


@pytest.mark.parametrize("body", DOES_NOT_REFUSE)
def test_route_does_not_refuse_without_credential(body: str) -> None:
    assert not refuses_without_credential(body)


def test_next_route_with_helper_session_and_403_is_authenticated() -> None:
    route = ("export async function POST(req: Request) {\n  const session = await getRequestSession(req);\n"
             "  if (!session) {\n    return NextResponse.json({ message: 'Unauthorized!' }, { status: 403 });\n  }\n"
             "  return streamText({ model, messages: [] }).toDataStreamResponse();\n}\n")
    docs = {"app/api/chat/route.ts": Doc.of("app/api/chat/route.ts", route)}
    from scanner.engines.semgrep.frameworks.nextjs import NextJs
    from scanner.engines.semgrep.routes import Route, anchor

    analysis = AuthAnalysis([], docs, Config())
    doc = docs["app/api/chat/route.ts"]
    r = Route(anchor("js-nextjs-route-handler", doc, 0, len(route)), "next", "POST", "/api/chat", route,
              framework="nextjs", method="POST")
    assert analysis.authenticated(r, NextJs())


# --- Clerk middleware that leaves routes public -----------------------------------------------------------

@pytest.mark.parametrize(
    ("middleware", "url", "covered"),
    [
        ("export default authMiddleware({\n  publicRoutes: () => true\n})\n", "/api/chat", False),
        ("export default authMiddleware({ publicRoutes: ['/', '/api/webhooks(.*)'] })\n", "/api/webhooks/clerk",
         False),
        ("export default authMiddleware({ publicRoutes: ['/', '/api/webhooks(.*)'] })\n", "/api/chat", True),
        ("export default authMiddleware({ ignoredRoutes: ['/api/chat'] })\n", "/api/chat", False),
        ("const isPublicRoute = createRouteMatcher(['/sign-in(.*)', '/api/chat'])\nexport default clerkMiddleware("
         "async (auth, req) => { if (!isPublicRoute(req)) await auth.protect() })\n", "/api/chat", False),
        ("const isProtectedRoute = createRouteMatcher(['/dashboard(.*)'])\nexport default clerkMiddleware("
         "async (auth, req) => { if (isProtectedRoute(req)) await auth.protect() })\n", "/api/chat", False),
        ("const isProtectedRoute = createRouteMatcher(['/dashboard(.*)', '/api/chat(.*)'])\nexport default "
         "clerkMiddleware(async (auth, req) => { if (isProtectedRoute(req)) await auth.protect() })\n",
         "/api/chat", True),
        ("export default authMiddleware({})\n", "/api/chat", True),
    ],
)
def test_clerk_public_and_protected_route_lists(middleware: str, url: str, covered: bool) -> None:
    found = find_middleware({"middleware.ts": "import { authMiddleware } from '@clerk/nextjs'\n" + middleware})
    assert found is not None
    assert found.covers(url) is covered


# --- Logging: AI SDK tools and model wrappers run on the server -------------------------------------------

@pytest.mark.parametrize(
    ("path", "text", "server"),
    [
        ("src/lib/ai/tools/call-agent.tool.ts", "import { tool } from 'ai';\nconsole.log(prompt);\n", True),
        ("lib/chain.ts", "import { ChatOpenAI } from '@langchain/openai';\nconsole.log(question);\n", True),
        ("lib/llm.js", "const OpenAI = require('openai');\nconsole.log(messages);\n", True),
        ("lib/gemini.ts", "import { GoogleGenerativeAI } from '@google/generative-ai';\nconsole.log(prompt);\n",
         True),
        ("src/agents/base.ts", "import { generateObject } from 'ai';\nconsole.log(prompt);\n", True),
        ("src/components/message.tsx", "import { UIMessage } from 'ai';\nconsole.log(message);\n", False),
        ("lib/types.ts", "import type { Message } from 'ai';\nconsole.log(messages);\n", False),
        ("hooks/chat.ts", "'use client'\nimport { useChat } from 'ai/react';\nconsole.log(messages);\n", False),
        ("lib/hooks.ts", "import { useChat } from '@ai-sdk/react';\nimport { useState } from 'react';\n"
         "console.log(messages);\n", False),
        ("scripts/seed.ts", "import fs from 'fs';\nconsole.log(prompt);\n", False),
    ],
)
def test_model_sdk_modules_are_server_code(path: str, text: str, server: bool) -> None:
    assert is_server_code(Doc.of(path, text)) is server
    assert ("logging" in groups_of(path, text)) is server


# --- Handlers their author named public ------------------------------------------------------------------

def test_handler_named_public_is_public_by_intent() -> None:
    files = {"routes/store.js": EXPRESS + "const c = require('../controllers/store');\n"
                                          "router.route('/:id').get(c.getStorePublic);\n"
                                          "router.route('/').post(c.createStore);\n",
             "controllers/store.js": "exports.getStorePublic = async (q, s) => s.json(await db.one(q.params.id));\n"
                                     "exports.createStore = async (q, s) => s.json(await db.add(q.body));\n"}
    hits, inventory = _inventory(files)
    assert hits == {("AUTH303", "routes/store.js", 5)}
    assert inventory == {("GET", "/:id", False), ("POST", "/", False)}
