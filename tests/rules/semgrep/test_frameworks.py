"""The JS/TS framework modules without semgrep: routes they read themselves (NestJS controllers, Express
``route()`` chains, Next.js export lists), prefixes, cross-module handlers, auth by behaviour, framework CORS."""

from __future__ import annotations

import pytest

from scanner.config import Config
from scanner.engines.semgrep import framework_cors
from scanner.engines.semgrep.auth import AuthAnalysis
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks import FRAMEWORKS
from scanner.engines.semgrep.prefilter import glob_literal, groups_of, rule_group, select, with_paths


def _judge(files: dict[str, str]) -> tuple[set[tuple[str, str, int]], AuthAnalysis]:
    docs = {p: Doc.of(p, t) for p, t in files.items()}
    analysis = AuthAnalysis([], docs, Config())
    return {(f.rule_id, f.location.path, f.location.line) for f in analysis.findings([])}, analysis


def _routes(files: dict[str, str]) -> set[tuple[str, str, str, bool, bool]]:
    _, analysis = _judge(files)
    return {(r.framework, r.method, r.path, r.needs_auth, r.authenticated) for r in analysis.inventory}


NEST = "import { Controller, Get, Post, Delete, UseGuards, Header } from '@nestjs/common';\n"

# --- NestJS ---------------------------------------------------------------------------------------------

NEST_INVALID = [
    ("@Controller('chat')\nexport class C {\n  @Post('message')\n  async send(@Body() b) { return await this.s.ask(b) }\n}\n",
     ("nestjs", "POST", "/chat/message", True, False)),
    ("@Controller('users')\nexport class U {\n  @Get(':id')\n  async one(@Param('id') id) { return await this.u.find(id) }\n}\n",
     ("nestjs", "GET", "/users/:id", True, False)),
    ("@Controller()\nexport class D {\n  @Delete('chats/:id')\n  async drop(@Param('id') id) { await this.c.remove(id) }\n}\n",
     ("nestjs", "DELETE", "/chats/:id", True, False)),
    ("@Controller({ path: 'notes' })\nexport class N {\n  @Get()\n  async all() { return await this.n.all() }\n}\n",
     ("nestjs", "GET", "/notes", True, False)),
    ("@Controller('chat')\nexport class G {\n  @UseGuards(ThrottlerGuard)\n  @Post()\n"
     "  async ask(@Body() b) { return await this.s.ask(b) }\n}\n",
     ("nestjs", "POST", "/chat", True, False)),
]
NEST_VALID = [
    ("@Controller('chat')\nexport class C {\n  @UseGuards(JwtAuthGuard)\n  @Post()\n"
     "  async ask(@Body() b) { return await this.s.ask(b) }\n}\n", ("nestjs", "POST", "/chat", True, True)),
    ("@Controller('me')\n@UseGuards(AuthGuard('jwt'))\nexport class M {\n  @Get()\n  async me() { return await this.u.me() }\n}\n",
     ("nestjs", "GET", "/me", True, True)),
    ("@Controller()\nexport class H {\n  @Public()\n  @Get('stats')\n  async s() { return await this.s.stats() }\n}\n",
     ("nestjs", "GET", "/stats", False, False)),
    ("@Controller('auth')\nexport class A {\n  @Post('signup')\n  async signup(@Body() b) { return await this.a.signup(b) }\n}\n",
     ("nestjs", "POST", "/auth/signup", False, False)),
    ("@Controller('health')\nexport class H {\n  @Get()\n  async ok() { return await this.h.check() }\n}\n",
     ("nestjs", "GET", "/health", False, False)),
]


@pytest.mark.parametrize(("source", "route"), NEST_INVALID)
def test_nestjs_invalid(source: str, route: tuple[str, str, str, bool, bool]) -> None:
    hits, analysis = _judge({"src/c.controller.ts": NEST + source})
    assert route in {(r.framework, r.method, r.path, r.needs_auth, r.authenticated) for r in analysis.inventory}
    assert {h[0] for h in hits} == {"AUTH303"}


@pytest.mark.parametrize(("source", "route"), NEST_VALID)
def test_nestjs_valid(source: str, route: tuple[str, str, str, bool, bool]) -> None:
    hits, analysis = _judge({"src/c.controller.ts": NEST + source})
    assert route in {(r.framework, r.method, r.path, r.needs_auth, r.authenticated) for r in analysis.inventory}
    assert hits == set()


def test_nestjs_global_guard_covers_every_controller() -> None:
    files = {"src/c.controller.ts": NEST + NEST_INVALID[0][0],
             "src/app.module.ts": NEST + "providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }]\n"}
    assert _judge(files)[0] == set()


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("const app = await NestFactory.create(AppModule);\napp.enableCors();\n", [3]),
        ("const app = await NestFactory.create(AppModule, { cors: true });\n", [2]),
        ("@Controller()\nexport class W {\n  @Get('w')\n  @Header('Access-Control-Allow-Origin', '*')\n  w() {}\n}\n", [5]),
        ("app.enableCors({ origin: ['https://app.example.com'] });\n", []),
        ("@Header('Cache-Control', 'none')\n", []),
    ],
)
def test_nestjs_cors(source: str, lines: list[int]) -> None:
    found = framework_cors([Doc.of("src/main.ts", NEST + source)])
    assert [(f.rule_id, f.location.line) for f in found] == [("CORS501", n) for n in lines]


def test_nestjs_cors_in_a_main_that_imports_only_the_core() -> None:
    main = ("import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\n"
            "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n"
            "  app.enableCors();\n  await app.listen(3000);\n}\nbootstrap();\n")
    found = framework_cors([Doc.of("src/main.ts", main)])
    assert [(f.rule_id, f.location.path, f.location.line) for f in found] == [("CORS501", "src/main.ts", 6)]
    assert framework_cors([Doc.of("src/main.ts", main.replace("'@nestjs/core'", "'./core'"))]) == []


# --- Express: route() chains, prefixes, named handlers, behaviour ----------------------------------------

EXPRESS = "const express = require('express');\nconst router = express.Router();\n"


def test_express_route_chain_gives_one_route_per_method() -> None:
    src = EXPRESS + ("router.route('/chat')\n  .get(async (req, res) => res.json(await db.list()))\n"
                     "  .post(requireAuth, async (req, res) => res.json(await db.add(req.body)))\n")
    hits, analysis = _judge({"routes/chat.js": src})
    assert hits == {("AUTH303", "routes/chat.js", 4)}
    assert {(r.method, r.path, r.authenticated) for r in analysis.inventory} == {
        ("GET", "/chat", False), ("POST", "/chat", True)}


def test_express_prefix_and_handler_in_another_module() -> None:
    files = {
        "server.js": "const express = require('express');\nconst chat = require('./routes/chat');\n"
                     "const app = express();\napp.use('/api/v1/chat', chat);\n",
        "routes/chat.js": EXPRESS + "const ctrl = require('../controllers/chat');\n"
                          "router.route('/start').post(ctrl.start);\nmodule.exports = router;\n",
        "controllers/chat.js": "exports.start = async (req, res) => {\n  res.json(await svc.start(req.body));\n};\n",
    }
    hits, analysis = _judge(files)
    assert hits == {("AUTH303", "routes/chat.js", 4)}
    route = analysis.inventory[0]
    assert (route.method, route.path, route.framework) == ("POST", "/api/v1/chat/start", "express")


@pytest.mark.parametrize(
    ("middleware", "authed"),
    [
        ("(req, res, next) => { if (!req.headers.authorization) return res.status(401).end(); next(); }", True),
        ("(req, res, next) => { if (!req.cookies.sid) return res.redirect('/login'); next(); }", True),
        ("(req, res, next) => { console.info(req.path); next(); }", False),
        ("(req, res, next) => { if (!req.body) return res.status(400).end(); next(); }", False),
        ("async (req, res, next) => { const t = req.headers['x-api-key']; if (!(await keys.has(t)))"
         " throw new UnauthorizedError(); next(); }", True),
    ],
)
def test_express_middleware_judged_by_behaviour(middleware: str, authed: bool) -> None:
    src = EXPRESS + f"const gate = {middleware};\nrouter.route('/notes').get(gate, async (q, s) => s.json(await db.all()))\n"
    _, analysis = _judge({"routes/notes.js": src})
    assert [r.authenticated for r in analysis.inventory] == [authed]


# --- Next.js export lists ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("path", "source", "routes"),
    [
        ("app/api/chat/route.ts", "async function handler(req) { return Response.json(await db.all()) }\n"
         "export { handler as GET, handler as POST }\n",
         {("nextjs", "GET", "/api/chat", True, False), ("nextjs", "POST", "/api/chat", True, False)}),
        ("app/api/auth/[...nextauth]/route.ts", "const handler = NextAuth(options)\nexport { handler as GET }\n",
         {("nextjs", "GET", "/api/auth/[...nextauth]", False, False)}),
        ("app/actions.ts", "'use server'\nasync function send(text) { await db.insert(text) }\nexport { send }\n",
         {("nextjs", "POST", "/__action", True, False)}),
        ("app/actions.ts", "'use server'\nasync function signIn(f) { await login(f) }\nexport { signIn }\n",
         {("nextjs", "POST", "/__action", False, False)}),
        ("lib/util.ts", "function helper() {}\nexport { helper }\n", set()),
    ],
)
def test_next_export_lists(path: str, source: str, routes: set[tuple[str, str, str, bool, bool]]) -> None:
    assert _routes({path: source}) == routes


def test_next_middleware_covers_export_list_routes() -> None:
    files = {"app/api/chat/route.ts": "async function h() { await db.all() }\nexport { h as POST }\n",
             "middleware.ts": "export default authMiddleware({ publicRoutes: ['/'] })\n"}
    assert _judge(files)[0] == set()


# --- Hono CORS and the registry ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("source", "count"),
    [
        ("import { cors } from 'hono/cors'\napp.use('/api/*', cors())\n", 1),
        ("import { cors } from 'hono/cors'\napp.use(cors({ origin: 'https://a.example' }))\n", 0),
        ("const cors = () => null\napp.use(cors())\n", 0),
    ],
)
def test_hono_cors_defaults(source: str, count: int) -> None:
    doc = Doc.of("src/index.ts", "import { Hono } from 'hono'\n" + source)
    assert len(framework_cors([doc])) == count


def test_registry_names_each_framework_once() -> None:
    assert sorted(FRAMEWORKS) == ["express", "hono", "nestjs", "nextjs", "serverless", "websocket"]
    assert all(FRAMEWORKS[name].name == name for name in FRAMEWORKS)


# --- prefilter ----------------------------------------------------------------------------------------------

def test_prefilter_groups() -> None:
    assert groups_of("components/chat.tsx", "export default function Chat() { console.log(user) }") == []
    assert groups_of("app/api/chat/route.ts", "export async function POST() { console.log(prompt) }") == [
        "route", "logging"]
    assert groups_of("server/app.js", "app.use(cors())") == ["cors"]
    assert groups_of("next.config.js", "module.exports = {}") == ["exposure", "launch"]
    assert groups_of("lib/auth.ts", "jwt.sign(user, 'k')") == ["launch"]
    assert groups_of("server/err.js", "res.json({ trace: err.stack })") == ["launch"]


def test_prefilter_adds_the_modules_router_files_import() -> None:
    texts = {"routes/a.js": "const express = require('express')\nconst c = require('../c/a')\n", "c/a.js": "x"}
    assert select(texts)["route"] == ["c/a.js", "routes/a.js"]


def test_rule_copies_are_limited_to_their_files() -> None:
    text = "rules:\n  - id: x\n    languages: [typescript]\n    metadata:\n      code: CORS501\n"
    assert rule_group(text) == "cors"
    assert rule_group(text.replace("CORS501", "LR604")) == "launch"
    assert rule_group(text.replace("CORS501", "AUTH306")) == "launch"
    assert rule_group(text.replace("CORS501", "AUTH301")) == "route"
    assert glob_literal("app/(chat)/api/[id]/route.ts") == "/app/(chat)/api/[[]id]/route.ts"
    assert '        - "/a.js"\n' in with_paths(text, ["a.js"])
