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
    text = files["routes/r.js"]
    assert hits == {("AUTH303", "routes/r.js", text[:text.index(".route(")].count("\n") + 1)}
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


REGISTRAR = "function routes(app, openai) {\n  app.route('/chat').post(async (q, s) => s.json(await db.all()));\n}\n" \
    "module.exports = routes;\n"


@pytest.mark.parametrize(("entry", "routes"), [
    ("const routes = require('./routes');\nroutes(app, openai);\n", {("POST", "/chat", False)}),
    ("import routes from './routes';\nroutes(app);\n", {("POST", "/chat", False)}),
    ("const routes = require('./routes');\nmodule.exports = { routes };\n", set()),  # never called with the app
])
def test_routes_registered_by_a_function_the_app_module_calls(entry: str, routes: set[tuple[str, str, bool]]
                                                              ) -> None:
    files = {"index.js": "const express = require('express');\nconst app = express();\n" + entry,
             "routes/index.js": REGISTRAR}
    _, inventory = _inventory(files)
    assert inventory == routes


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
        ("src/lib/ai/tools/call-agent.tool.ts", "import { tool } from 'ai';\nexport const t = tool({});\n"
         "console.log(prompt);\n", True),
        ("lib/chain.ts", "import { ChatOpenAI } from '@langchain/openai';\nexport async function ask(question) {\n"
         "  console.log(question);\n}\n", True),
        ("lib/llm.js", "const OpenAI = require('openai');\nconsole.log(messages);\nmodule.exports = { ask };\n", True),
        ("lib/gemini.ts", "import { GoogleGenerativeAI } from '@google/generative-ai';\nexport const g = 1;\n"
         "console.log(prompt);\n", True),
        ("src/agents/base.ts", "import { generateObject } from 'ai';\nexport class Base {}\nconsole.log(prompt);\n",
         True),
        ("chat_completions/index.js", "import OpenAI from 'openai';\nconst c = await openai.chat.completions.create({});\n"
         "console.log(c.choices[0].message);\n", False),
        ("scripts/ask.ts", "import OpenAI from 'openai';\nexport {};\nconst q = process.argv[2];\nconsole.log(q);\n",
         False),
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


# --- NestJS: decorators after the verb, object-typed parameters, the model call in the injected service ------

NEST = "import { Controller, Get, Post, UseGuards, Body } from '@nestjs/common';\n"
SERVICE = ("import OpenAI from 'openai';\nexport class ChatService {\n  async ask(p: string): Promise<string> {\n"
           "    const r = await this.client.chat.completions.create({ model: 'x', messages: [] });\n"
           "    return r.choices[0].message.content;\n  }\n}\n")


@pytest.mark.parametrize(
    ("controller", "route"),
    [
        ("@Controller('chat')\nexport class C {\n  @Post()\n  @UseGuards(SessionCookieAuthGuard)\n"
         "  async ask(@Body() b: { prompt: string }) { return await this.s.ask(b.prompt) }\n}\n",
         ("POST", "/chat", True)),
        ("@Controller('chat')\nexport class C {\n  @Post('send')\n  @HttpCode(201)\n"
         "  async send(@Body() b: { prompt: string }): Promise<{ reply: string }> { return { reply: '' } }\n}\n",
         ("POST", "/chat/send", False)),
        ("@Controller('me')\nexport class M {\n  @Get()\n  @UseGuards(JwtAuthGuard)\n  me(@Req() r) { return r.user }\n}\n",
         ("GET", "/me", True)),
        ("@Controller('models')\nexport class M {\n  @Get('official')\n  findOfficial() {\n"
         "    return this.models.findAll();\n  }\n}\n", ("GET", "/models/official", False)),
        ("@Controller()\nexport class A {\n  @Get('a')\n  @ApiOperation({ summary: 'x' })\n  @UseGuards(AuthGuard('jwt'))\n"
         "  async a() { return await this.s.a() }\n}\n", ("GET", "/a", True)),
    ],
)
def test_nestjs_method_after_decorators(controller: str, route: tuple[str, str, bool]) -> None:
    _, inventory = _inventory({"src/c.controller.ts": NEST + controller})
    assert inventory == {route}


def test_nestjs_model_call_in_injected_service_is_auth301_and_lr601() -> None:
    files = {"src/chat/chat.controller.ts": NEST + "import { ChatService } from './chat.service';\n"
             "@Controller('chat')\nexport class ChatController {\n  constructor(private readonly chatService: "
             "ChatService) {}\n  @Post()\n  chat(@Body() b: { prompt: string }) {\n"
             "    return this.chatService.ask(b.prompt);\n  }\n}\n",
             "src/chat/chat.service.ts": SERVICE}
    docs = {p: Doc.of(p, t) for p, t in files.items()}
    from scanner.engines.semgrep.runner import Match

    text = files["src/chat/chat.service.ts"]
    start = text.index("this.client")
    model = Match("js-model-call", "AUTH301", "model", "src/chat/chat.service.ts", 4, 1, 4, 1, start, start + 40)
    analysis = AuthAnalysis([model], docs, Config())
    # the route calls the model through the service: AUTH301 and LR601 agree
    assert {(f.rule_id, f.location.line) for f in analysis.findings([model])} == {("AUTH301", 6), ("LR601", 6)}


# --- Hono/Express apps built by a project factory, route chains, monorepo aliases ---------------------------

def test_hono_chain_on_a_project_factory_in_a_monorepo() -> None:
    from scanner.engines.semgrep.runner import Match

    route = ("import { createApp } from '@/utils/server';\nimport { privateAuth } from '@/utils/auth';\n"
             "export const userRoute = createApp()\n  .get('/overview/:id', async (c) => {\n"
             "    return c.json(await getUser(c.req.param('id')));\n  })\n"
             "  .get('/settings', privateAuth, async (c) => {\n    return c.json(await getSettings(c));\n  });\n")
    files = {
        "apps/backend/src/utils/server.ts": "import { Hono } from 'hono';\nexport const createApp = () => new Hono();\n",
        "apps/backend/src/utils/auth.ts": "export const privateAuth = async (c, next) => {\n  const a = getAuth(c);\n"
                                          "  if (!a?.userId) throw new HTTPException(401);\n  await next();\n};\n",
        "apps/backend/src/routes/user.ts": route,
        "apps/backend/src/index.ts": "import { userRoute } from './routes/user';\nimport { createApp } from "
                                     "'@/utils/server';\nconst app = createApp();\nconst routes = app\n"
                                     "  .route('/api/user', userRoute);\n",
    }
    docs = {p: Doc.of(p, t) for p, t in files.items()}
    path = "apps/backend/src/routes/user.ts"
    data = route.encode()
    # semgrep reports each call of the chain with the whole chain before it as its text
    first_end = data.index(b"})\n") + 2
    second_end = data.rindex(b")") + 1
    start = data.index(b"createApp()\n")
    matches = [Match("js-express-route", "AUTH303", "route", path, 3, 23, 6, 1, start, first_end),
               Match("js-express-route", "AUTH303", "route", path, 3, 23, 9, 1, start, second_end)]
    analysis = AuthAnalysis(matches, docs, Config())
    hits = {(f.rule_id, f.location.path, f.location.line) for f in analysis.findings(matches)}
    assert hits == {("AUTH303", path, 4)}
    assert {(r.method, r.path, r.authenticated) for r in analysis.inventory} == {
        ("GET", "/api/user/overview/:id", False), ("GET", "/api/user/settings", True)}


@pytest.mark.parametrize(
    ("importer", "spec", "files", "expected"),
    [
        ("apps/web/src/app/api/chat/route.ts", "@/lib/auth", ["apps/web/src/lib/auth.ts", "src/lib/auth.ts"],
         ["apps/web/src/lib/auth.ts"]),
        ("app/api/chat/route.ts", "@/lib/auth", ["lib/auth.ts"], ["lib/auth.ts"]),
        ("app/api/chat/route.ts", "@/lib/auth", ["src/lib/auth.ts"], ["src/lib/auth.ts"]),
        ("packages/api/routes/x.ts", "~/db", ["packages/api/db/index.ts"], ["packages/api/db/index.ts"]),
        ("app/api/chat/route.ts", "next-auth", ["next-auth.ts"], []),
    ],
)
def test_alias_resolves_to_the_nearest_package_root(importer: str, spec: str, files: list[str],
                                                    expected: list[str]) -> None:
    from scanner.engines.semgrep.imports import resolve

    assert resolve(importer, spec, set(files)) == expected


# --- Serverless functions -----------------------------------------------------------------------------------

FETCH_MODEL = "await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST' })"


@pytest.mark.parametrize(
    ("path", "source", "route"),
    [
        ("api/chat.js", f"export default async function handler(req, res) {{\n  const r = {FETCH_MODEL};\n"
                        "  res.json(await r.json());\n}\n", ("*", "/api/chat", False)),
        ("site/api/chat.js", f"module.exports = async (req, res) => {{\n  res.json(await ({FETCH_MODEL}).json());\n}};\n",
         ("*", "/api/chat", False)),
        ("functions/api/generate.js", f"export const onRequestPost = async ({{ request, env }}) => {{\n"
                                      f"  return new Response((await {FETCH_MODEL}).body);\n}};\n",
         ("POST", "/api/generate", False)),
        ("netlify/functions/chat.js", f"exports.handler = async (event) => {{\n  const r = {FETCH_MODEL};\n"
                                      "  return { statusCode: 200, body: await r.text() };\n};\n",
         ("*", "/.netlify/functions/chat", False)),
        ("api/chat.ts", "export async function POST(request: Request) {\n  const s = await getSession(request);\n"
                        "  if (!s) return new Response('no', { status: 401 });\n  return Response.json(await ask());\n}\n",
         ("POST", "/api/chat", True)),
    ],
)
def test_serverless_function_routes(path: str, source: str, route: tuple[str, str, bool]) -> None:
    _, inventory = _inventory({path: source})
    assert inventory == {route}


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("src/api/chat.ts", "export default async function send(req) { return await fetch('/api/chat') }\n"),
        ("client/api/index.js", "export default async (request) => await axios.post('/x', request)\n"),
        ("api/index.js", "const express = require('express');\nconst app = express();\nmodule.exports = app;\n"),
        ("api/_lib/db.js", "export default async function q(req) { return await db.query(req) }\n"),
        ("lib/api/chat.ts", "export default async function handler(req) { return await db.all() }\n"),
    ],
)
def test_not_serverless_functions(path: str, source: str) -> None:
    _, inventory = _inventory({path: source})
    assert {r for r in inventory if r[1].startswith(("/api", "/.netlify"))} == set()


# --- Public pages by their handle ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "public"),
    [("/u/:username", True), ("/share/:shareId", True), ("/p/[slug]", True), ("/users/:id", False),
     ("/chats/:chatId", False), ("/u/:username/:chatId", False)],
)
def test_public_page_by_handle(url: str, public: bool) -> None:
    from scanner.engines.semgrep.routes import Route, anchor, is_public

    doc = Doc.of("r.js", "x")
    route = Route(anchor("js-express-route", doc, 0, 1), "express", "GET h", url, "await x()", method="GET")
    assert is_public(route, ()) is public


# --- Logging: request values followed to a log sink in a module that calls a model --------------------------

ROUTE_HEAD = "import { NextRequest } from 'next/server';\nexport async function POST(req: NextRequest) {\n"
MODEL_TAIL = "  const r = streamText({ model, messages: [] });\n  return r.toDataStreamResponse();\n}\n"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("  const { content } = await req.json();\n  console.log('content', content);\n", "content"),
        ("  const body = await req.json();\n  const text = body.text;\n  console.info(text);\n", "text"),
        ("  const q = req.nextUrl.searchParams.get('q');\n  console.log(`query: ${q}`);\n", "q"),
        ("  const form = await req.formData();\n  const input = form.get('input');\n  logger.info({ input });\n",
         "input"),
        ("  const { messages: history } = await req.json();\n  const last = history[history.length - 1];\n"
         "  console.log(last);\n", "last"),
    ],
)
def test_request_value_reaches_a_log_sink(body: str, name: str) -> None:
    from scanner.engines.semgrep.logflow import request_value_logging

    doc = Doc.of("app/api/chat/route.ts", ROUTE_HEAD + body + MODEL_TAIL)
    found = request_value_logging([doc], [])
    assert [(f.rule_id, f.location.line) for f in found] == [("LOG401", body.count("\n") + 2)]
    assert name in found[0].message


@pytest.mark.parametrize(
    ("path", "body", "tail"),
    [
        ("app/api/chat/route.ts", "  const { content, chatId } = await req.json();\n  console.log(chatId);\n",
         MODEL_TAIL),
        ("app/api/chat/route.ts", "  const { content } = await req.json();\n  console.log(content.length);\n",
         MODEL_TAIL),
        ("app/api/chat/route.ts", "  const { content } = await req.json();\n  const out = await ask(content);\n"
                                  "  console.log(out);\n", MODEL_TAIL),
        ("app/api/notes/route.ts", "  const { content } = await req.json();\n  console.log(content);\n",
         "  return Response.json(await db.add());\n}\n"),
        ("app/api/chat/route.ts", "  const { model } = await req.json();\n  console.log('model', model);\n",
         MODEL_TAIL),
    ],
)
def test_request_value_not_a_prompt_log(path: str, body: str, tail: str) -> None:
    from scanner.engines.semgrep.logflow import request_value_logging

    assert request_value_logging([Doc.of(path, ROUTE_HEAD + body + tail)], []) == []


# --- NestJS: middleware applied by a module's configure(consumer) ------------------------------------------

AUTH_MW = ("import { Injectable, NestMiddleware, HttpException, HttpStatus } from '@nestjs/common';\n"
           "@Injectable()\nexport class AuthService implements NestMiddleware {\n"
           "  async use(req, res, next) {\n    const h = req.headers['authorization'];\n"
           "    if (!h) { throw new HttpException('Unauthorized', HttpStatus.UNAUTHORIZED); }\n    next();\n  }\n}\n")
LOG_MW = ("import { Injectable, NestMiddleware } from '@nestjs/common';\n@Injectable()\n"
          "export class AuthService implements NestMiddleware {\n  use(req, res, next) { console.info(req.url); next(); }\n}\n")
CONTROLLER = ("import { Controller, Get, Post } from '@nestjs/common';\n@Controller('chat')\nexport class ChatController {\n"
              "  @Post('send')\n  async send() { return await this.s.send() }\n"
              "  @Get('public-list')\n  async list() { return await this.s.list() }\n}\n")


def _module(consumer: str) -> str:
    return ("import { Module, NestModule, MiddlewareConsumer } from '@nestjs/common';\n"
            "import { AuthService } from './auth/auth.service';\nimport { excluded } from './auth/exclude';\n"
            "import { ChatController } from './chat/chat.controller';\n"
            f"export class AppModule implements NestModule {{\n  configure(consumer: MiddlewareConsumer) {{\n"
            f"    consumer{consumer};\n  }}\n}}\n")


@pytest.mark.parametrize(
    ("consumer", "middleware", "send", "listing"),
    [
        (".apply(AuthService).forRoutes('*')", AUTH_MW, True, True),
        (".apply(AuthService).exclude(...excluded).forRoutes('*')", AUTH_MW, True, False),
        (".apply(AuthService).exclude('chat/public-list').forRoutes(ChatController)", AUTH_MW, True, False),
        (".apply(AuthService).forRoutes({ path: 'chat/(.*)', method: RequestMethod.ALL })", AUTH_MW, True, True),
        (".apply(JwtAuthMiddleware).forRoutes('chat')", "", True, True),
        (".apply(AuthService).forRoutes('*')", LOG_MW, False, False),
        (".apply(AuthService).forRoutes('users')", AUTH_MW, False, False),
        (".apply(LoggerMiddleware).forRoutes('*')", "", False, False),
        (".apply(AuthService).exclude({ path: 'chat/send', method: RequestMethod.POST }).forRoutes('*')", AUTH_MW,
         False, True),
        (".apply(cors()).forRoutes('*')", AUTH_MW, False, False),
    ],
)
def test_nestjs_consumer_middleware(consumer: str, middleware: str, send: bool, listing: bool) -> None:
    files = {"src/app.module.ts": _module(consumer), "src/chat/chat.controller.ts": CONTROLLER,
             "src/auth/exclude.ts": "export const excluded = ['/signup', '/chat/public-list'];\n"}
    if middleware:
        files["src/auth/auth.service.ts"] = middleware
    _, inventory = _inventory(files)
    assert inventory == {("POST", "/chat/send", send), ("GET", "/chat/public-list", listing)}


def test_nestjs_trivial_service_call_is_not_work() -> None:
    files = {"src/app.controller.ts": "import { Controller, Get } from '@nestjs/common';\n"
                                      "import { AppService } from './app.service';\n@Controller()\n"
                                      "export class AppController {\n  constructor(private readonly appService: "
                                      "AppService) {}\n  @Get('stats')\n  stats() { return this.appService.stats(); }\n}\n",
             "src/app.service.ts": "export class AppService {\n  stats(): string {\n    return 'ok';\n  }\n}\n"}
    assert _inventory(files)[0] == set()
    files["src/app.service.ts"] = "export class AppService {\n  async stats() {\n    return await db.count();\n  }\n}\n"
    assert _inventory(files)[0] == {("AUTH303", "src/app.controller.ts", 6)}


# --- Next.js middleware re-exported from next-auth ---------------------------------------------------------

@pytest.mark.parametrize(
    ("middleware", "covered"),
    [
        ('export { default } from "next-auth/middleware"\n', True),
        ('export { default } from "next-auth/middleware"\nexport const config = { matcher: ["/dashboard/:path*"] }\n',
         False),
        ("export { default as middleware } from 'next-auth/middleware'\n", True),
        ('export { default } from "./lib/other-middleware"\n', False),
        ("export function middleware() { return NextResponse.next() }\n", False),
    ],
)
def test_next_auth_reexported_middleware(middleware: str, covered: bool) -> None:
    found = find_middleware({"src/middleware.ts": middleware})
    assert found is not None
    assert found.covers("/api/projects") is covered


# --- Public by the handler's name or the URL's words ---------------------------------------------------

@pytest.mark.parametrize(
    ("name", "url", "public"),
    [
        ("POST ctrl.adminLogin", "/admin", True),
        ("userLogin", "/", True),
        ("forgotPassword", "/forgotPassword", True),
        ("sendMail", "/servicer/servicerOtpVerification", True),
        ("servicerCaptcha", "/servicer/check", True),
        ("getLoginHistory", "/users/history", False),
        ("deleteUser", "/users/remove", False),
        ("updatePassword", "/updatePassword", False),
        ("POST ctrl.hotpot", "/api/hotpot", False),
        ("chat", "/chat", False),
    ],
)
def test_public_by_handler_name_or_url_words(name: str, url: str, public: bool) -> None:
    from scanner.engines.semgrep.routes import Route, anchor, is_public

    doc = Doc.of("r.ts", "x")
    route = Route(anchor("js-nestjs-route", doc, 0, 1), "nestjs", name, url, "await x()", method="POST")
    assert is_public(route, ()) is public


# --- Logging: whole member records --------------------------------------------------------------------------

CTRL_HEAD = "const express = require('express');\nexports.edit = async (req, res) => {\n"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("  const confirm = await Profile.findOne({ user: req.user.id });\n  console.log('Confirmed', confirm);\n",
         "confirm"),
        ("  const data = {};\n  if (req.body.email) data.email = req.body.email;\n  console.log('Update Data:', data);\n",
         "data"),
        ("  const user = await prisma.user.findUnique({ where: { id } });\n  logger.info({ user });\n", "user"),
        ("  const member = await this.userModel.findById(id);\n  console.log(member);\n", "member"),
        ("  const created = await User.create(req.body);\n  console.info('created', created);\n", "created"),
    ],
)
def test_whole_member_record_logged(body: str, name: str) -> None:
    from scanner.engines.semgrep.logflow import request_value_logging

    found = request_value_logging([Doc.of("controllers/user.js", CTRL_HEAD + body + "};\n")], [])
    assert [(f.rule_id, f.location.line) for f in found] == [("LOG403", body.count("\n") + 2)]
    assert name in found[0].message


@pytest.mark.parametrize(
    "body",
    [
        "  const confirm = await Profile.findOne({ user: req.user.id });\n  console.log('Confirmed', confirm.id);\n",
        "  const count = await Profile.countDocuments();\n  console.log('profiles', count);\n",
        "  const data = {};\n  data.title = req.body.title;\n  console.log(data);\n",
        "  const user = await User.findOne({ email });\n  console.log(user ? 'found' : 'missing', user?.id);\n",
    ],
)
def test_not_a_whole_member_record(body: str) -> None:
    from scanner.engines.semgrep.logflow import request_value_logging

    assert request_value_logging([Doc.of("controllers/user.js", CTRL_HEAD + body + "};\n")], []) == []


def test_a_stored_chat_logged_is_a_prompt_not_a_member_record() -> None:
    from scanner.engines.semgrep.logflow import request_value_logging

    body = "  const res2 = await Chat.findOne({ _id: 1 });\n  console.log(res2);\n"
    found = request_value_logging([Doc.of("controllers/user.js", CTRL_HEAD + body + "};\n")], [])
    assert [(f.rule_id, f.location.line) for f in found] == [("LOG401", CTRL_HEAD.count("\n") + 2)]


@pytest.mark.parametrize(
    ("url", "reported"),
    [
        # a debugging endpoint answers the developer's config to anyone (set 26 chatgpt-backend)
        ("/debug", True),
        ("/debug-uri", True),
        ("/api/_debug/env", True),
        # the same trivial handler elsewhere answers a fixed text: nothing worth a finding
        ("/status", False),
        ("/debugger-docs", False),
    ],
)
def test_an_open_debug_route_is_reported_though_it_only_reads_the_environment(url: str, reported: bool) -> None:
    files = {"routes.js": EXPRESS + f"router.route('{url}').get((req, res) => {{\n"
             "  res.json({ env: process.env.NODE_ENV, mongo: !!process.env.MONGO_URI });\n});\n"
             "module.exports = router;\n"}
    assert _inventory(files)[0] == ({("AUTH303", "routes.js", 3)} if reported else set())
