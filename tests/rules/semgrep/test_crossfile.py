"""One hop (two where a controller calls a service) across JS/TS modules, end to end with one semgrep run: route
handlers that reach the model or the database through a helper in another module get AUTH301/AUTH302, LR601 and
LR602 as if the call were in the handler; look-alikes (a bound on the way, a limiter, auth, a helper that keeps
the request text out of the prompt) get none.

Each line that must be reported carries ``// expect: CODE`` (several codes separated by spaces)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import exported_name, import_closure, imports_of, reexports
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.runner import find_semgrep
from scanner.model import Finding

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")
CODES = ("AUTH301", "AUTH302", "AUTH303", "LR601", "LR602")

HELPERS = {
    # a named export calling OpenAI with its parameter as the user message
    "utils/ai.ts": "import OpenAI from 'openai';\nconst openai = new OpenAI();\n\n"
                   "export async function sendPrompt(prompt: string) {\n"
                   "  const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: "
                   "[{ role: 'user', content: prompt }] });\n  return r.choices[0].message.content;\n}\n\n"
                   "export async function summarize(note: string) {\n"
                   "  const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: "
                   "[{ role: 'user', content: 'Summarise the day' }] });\n  return r.choices[0].message.content;\n}\n",
    # a class instance exported whole (CommonJS)
    "services/ai.service.js": "const Anthropic = require('@anthropic-ai/sdk');\nconst anthropic = new Anthropic();\n\n"
                              "class AiService {\n  async generate(message) {\n"
                              "    const r = await anthropic.messages.create({ model: 'claude-3-5-haiku', "
                              "max_tokens: 200, messages: [{ role: 'user', content: message }] });\n"
                              "    return r.content[0].text;\n  }\n"
                              "  async clipped(message) {\n    const text = message.slice(0, 2000);\n"
                              "    const r = await anthropic.messages.create({ model: 'claude-3-5-haiku', "
                              "max_tokens: 200, messages: [{ role: 'user', content: text }] });\n"
                              "    return r.content[0].text;\n  }\n}\n\n"
                              "module.exports = new AiService();\n",
    # a REST call to Gemini in a service a controller imports (two hops from the route)
    "services/gemini.js": "async function askGemini(prompt) {\n"
                          "  const res = await fetch(`https://generativelanguage.googleapis.com/v1beta/models/"
                          "gemini-pro:generateContent?key=${process.env.GEMINI_KEY}`, {\n    method: 'POST',\n"
                          "    body: JSON.stringify({ contents: [{ parts: [{ text: prompt }] }] }),\n  });\n"
                          "  return (await res.json()).candidates[0].content.parts[0].text;\n}\n\n"
                          "module.exports = { askGemini };\n",
    "controllers/chat.controller.js": "const { askGemini } = require('../services/gemini');\n\n"
                                      "exports.send = async (req, res) => {\n  const { message } = req.body;\n"
                                      "  const reply = await askGemini(message); // expect: LR602\n"
                                      "  res.json({ reply });\n};\n\n"
                                      "exports.checked = async (req, res) => {\n  const { message } = req.body;\n"
                                      "  if (!message || message.length > 4000) return res.status(400).end();\n"
                                      "  res.json({ reply: await askGemini(message) });\n};\n",
    "controllers/wrapped.js": "const gemini = require('../services/gemini');\n\n"
                              "module.exports = async function reply(req, res) {\n"
                              "  res.json({ text: await gemini.askGemini(req.body.prompt) }); // expect: LR602\n};\n",
    # Vercel AI SDK behind an options object (kayaGPT's shape) and a default export
    "lib/chat-stream.ts": "import { streamText, type Message } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n\n"
                          "export const chatStream = async (env: unknown, props: { messages: Message[]; "
                          "userId: string }) => {\n"
                          "  const result = streamText({ model: openai('gpt-4o'), messages: props.messages });\n"
                          "  return result.toDataStreamResponse();\n};\n",
    "lib/title.ts": "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n\n"
                    "export default async function makeTitle({ prompt, model }: { prompt: string; model: string }) {\n"
                    "  const { text } = await generateText({ model: openai(model), prompt: 'Name a chat' });\n"
                    "  return text;\n}\n",
    "lib/index.ts": "export * from './chat-stream';\n",
    # a controller class whose handlers are class fields, calling a service instance held in a class field
    "services/openai.service.js": "const client = require('../config/openai');\n\nclass OpenAIService {\n"
                                  "  generateText = (prompt, model = 'gpt-4.1-nano') =>\n"
                                  "    new Promise(async (resolve) => {\n"
                                  "      const r = await client.responses.create({ model, input: prompt });\n"
                                  "      resolve(r.output_text);\n    });\n}\n\nmodule.exports = OpenAIService;\n",
    "controllers/field.controller.js": "const OpenAIService = require('../services/openai.service');\n\n"
                                       "class FieldController {\n  ai = new OpenAIService();\n\n"
                                       "  respond = async (req, res) => {\n"
                                       "    res.json({ text: await this.ai.generateText('Say hi') });\n  };\n}\n\n"
                                       "module.exports = FieldController;\n",
    "services/user.service.js": "const User = require('../models/User');\n\n"
                                "exports.findUserById = async (id) => User.findById(id);\n",
    "models/User.js": "const mongoose = require('mongoose');\n"
                      "module.exports = mongoose.model('User', new mongoose.Schema({ name: String }));\n",
}
INVALID = {
    "app/api/ask/route.ts": "import { sendPrompt } from '@/utils/ai';\n\n"
                            "export async function POST(req: Request) { // expect: AUTH301 LR601\n"
                            "  const { text } = await req.json();\n"
                            "  return Response.json({ answer: await sendPrompt(text) }); // expect: LR602\n}\n",
    "app/api/stream/route.ts": "import { chatStream } from '@/lib';\n\n"
                               "export async function POST(req: Request) { // expect: AUTH301 LR601\n"
                               "  const body = await req.json();\n"
                               "  return chatStream({}, { messages: body.messages, userId: 'u' });"
                               " // expect: LR602\n}\n",
    "routes/ai.js": "const express = require('express');\nconst aiService = require('../services/ai.service');\n"
                    "const chatController = require('../controllers/chat.controller');\n"
                    "const reply = require('../controllers/wrapped');\nconst router = express.Router();\n\n"
                    "router.post('/generate', async (req, res) => { // expect: AUTH301 LR601\n"
                    "  res.json({ text: await aiService.generate(req.body.message) }); // expect: LR602\n});\n"
                    "router.post('/send', chatController.send); // expect: AUTH301 LR601\n"
                    "router.post('/reply', async (req, res) => { // expect: AUTH301 LR601\n"
                    "  await reply(req, res);\n});\n"
                    "router.get('/users/:id', async (req, res) => { // expect: AUTH302\n"
                    "  res.json(await userService.findUserById(req.params.id));\n});\n"
                    "const userService = require('../services/user.service');\n"
                    "const FieldController = require('../controllers/field.controller');\n"
                    "const field = new FieldController();\n"
                    "router.post('/field', field.respond); // expect: AUTH301 LR601\n"
                    "module.exports = router;\n",
}
VALID = {
    "server.js": "const express = require('express');\nconst rateLimit = require('express-rate-limit');\n"
                 "const { requireAuth } = require('./middleware/auth');\nconst app = express();\n"
                 "app.use('/api', require('./routes/ai'));\n"
                 "app.use('/safe', rateLimit({ windowMs: 60000, max: 10 }), requireAuth, require('./routes/safe'));\n",
    "middleware/auth.js": "exports.requireAuth = (req, res, next) => {\n"
                          "  if (!req.headers.authorization) return res.status(401).json({ error: 'unauthorized' });\n"
                          "  next();\n};\n",
    # behind a limiter and auth, and every prompt bounded or kept out of the model call
    "routes/safe.js": "const express = require('express');\nconst aiService = require('../services/ai.service');\n"
                      "const chatController = require('../controllers/chat.controller');\n"
                      "const { sendPrompt, summarize } = require('../utils/ai');\nconst router = express.Router();\n\n"
                      "router.post('/clipped', async (req, res) => {\n"
                      "  res.json({ text: await aiService.clipped(req.body.message) });\n});\n"
                      "router.post('/checked', chatController.checked);\n"
                      "router.post('/short', async (req, res) => {\n  const { q } = req.body;\n"
                      "  res.json({ text: await sendPrompt(q.slice(0, 500)) });\n});\n"
                      "router.post('/note', async (req, res) => {\n"
                      "  await saveNote(req.body.note);\n  res.json({ text: await summarize(req.body.note) });\n});\n"
                      "module.exports = router;\n",
    "app/api/title/route.ts": "import makeTitle from '@/lib/title';\nimport { auth } from '@/lib/auth';\n"
                              "import { ratelimit } from '@/lib/ratelimit';\n\n"
                              "export async function POST(req: Request) {\n"
                              "  const session = await auth();\n"
                              "  if (!session) return new Response('unauthorized', { status: 401 });\n"
                              "  const { success } = await ratelimit.limit(session.user.id);\n"
                              "  if (!success) return new Response('slow down', { status: 429 });\n"
                              "  const { model } = await req.json();\n"
                              "  return Response.json({ title: await makeTitle({ prompt: 'x', model }) });\n}\n",
    "app/api/zod/route.ts": "import { z } from 'zod';\nimport { sendPrompt } from '@/utils/ai';\n"
                            "import { auth } from '@/lib/auth';\n"
                            "import { ratelimit } from '@/lib/ratelimit';\n\n"
                            "const Body = z.object({ text: z.string().max(2000) });\n\n"
                            "export async function POST(req: Request) {\n  const session = await auth();\n"
                            "  if (!session) return new Response('unauthorized', { status: 401 });\n"
                            "  const { success } = await ratelimit.limit(session.user.id);\n"
                            "  if (!success) return new Response('slow down', { status: 429 });\n"
                            "  const { text } = Body.parse(await req.json());\n"
                            "  return Response.json({ answer: await sendPrompt(text) });\n}\n",
    "lib/auth.ts": "import { getServerSession } from 'next-auth';\nexport const auth = () => getServerSession();\n",
    "lib/ratelimit.ts": "import { Ratelimit } from '@upstash/ratelimit';\nimport { Redis } from '@upstash/redis';\n"
                        "export const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), "
                        "limiter: Ratelimit.slidingWindow(10, '10 s') });\n",
}


def _expected() -> set[tuple[str, str, int]]:
    out = set()
    for path, text in {**HELPERS, **INVALID, **VALID}.items():
        for number, line in enumerate(text.split("\n"), 1):
            found = re.search(r"// expect: ([A-Z0-9 ]+)", line)
            out |= {(code, path, number) for code in found.group(1).split()} if found else set()
    return out


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    root = tmp_path_factory.mktemp("crossfile")
    for path, text in {**HELPERS, **INVALID, **VALID}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    result = scan(Path(root), Config(), ScanOptions(engines=("semgrep",)))
    assert not result.incomplete, result.notifications
    return [f for f in result.findings if f.rule_id in CODES]


@needs_semgrep
def test_routes_reaching_a_model_or_the_database_through_other_modules(findings: list[Finding]) -> None:
    got = {(f.rule_id, f.location.path, f.location.line) for f in findings}
    assert got == _expected()
    assert len(findings) == len(_expected()) == 18


@needs_semgrep
@pytest.mark.parametrize(
    ("path", "line", "message"),
    [
        ("app/api/ask/route.ts", 5, "POST /api/ask passes `text` (request text) to sendPrompt(), which sends it to "
                                    "the model with no server-side size limit: no zod .max(), length check or "
                                    "truncation"),
        ("routes/ai.js", 8, "POST /api/generate passes `req.body.message` (request text) to aiService.generate(), "
                            "which sends it to the model with no server-side size limit: no zod .max(), length "
                            "check or truncation"),
        ("app/api/stream/route.ts", 5, "POST /api/stream passes `body.messages` (request text) to chatStream(), "
                                       "which sends it to the model with no server-side size limit: no zod .max(), "
                                       "length check or truncation"),
    ],
)
def test_lr602_names_the_value_and_the_helper(findings: list[Finding], path: str, line: int, message: str) -> None:
    assert [f.message for f in findings if (f.rule_id, f.location.path, f.location.line) == ("LR602", path, line)] \
        == [message]


@needs_semgrep
def test_lr601_names_the_vendor_of_the_helper(findings: list[Finding]) -> None:
    messages = {f.location.line: f.message for f in findings
                if f.rule_id == "LR601" and f.location.path == "routes/ai.js"}
    assert messages[7].startswith("POST /api/generate calls Anthropic with no rate limit")
    assert messages[10].startswith("POST /api/send calls Google")


def test_import_helpers() -> None:
    text = "import { sendPrompt as ask, other } from './ai';\nconst { a: b } = require('./x');\n"
    assert exported_name(text, "ask") == "sendPrompt"
    assert exported_name(text, "b") == "a"
    assert exported_name(text, "other") == "other"
    assert reexports("export * from './a';\nexport { send as sendPrompt } from './b';\n", "sendPrompt") == \
        ["./a#sendPrompt", "./b#send"]
    texts = {"r.ts": "import { c } from './c';", "c.ts": "import { s } from './s';", "s.ts": "import { r } from './r';"}
    assert import_closure(["r.ts"], texts, 2) == {"c.ts", "s.ts"}
    assert import_closure(["r.ts"], texts, 5) == {"c.ts", "s.ts", "r.ts"}


def _project(files: dict[str, str]) -> Project:
    return Project([], {p: Doc.of(p, t) for p, t in files.items()}, Config())


def _callee_texts(project: Project, body: str, path: str) -> list[str]:
    return [project.docs[p].slice(a, b).split("(")[0].split()[-1] for p, a, b in project.callee_spans(body, path)]


def test_callees_through_instances_this_methods_and_two_hops() -> None:
    project = _project({
        "routes/chat.ts": "import { ChatService } from '../services/chat';\nimport * as ctl from '../controllers/c';\n"
                          "const svc = new ChatService();\n",
        "services/chat.ts": "export class ChatService {\n  async ask(q: string) {\n    return this.callModel(q);\n  }\n"
                            "  private async callModel(q: string) {\n    return q;\n  }\n}\n",
        "controllers/c.ts": "import { deep } from '../services/deep';\nexport function send(q: string) {\n"
                            "  return deep(q);\n}\n",
        "services/deep.ts": "import { deeper } from './deeper';\nexport function deep(q: string) {\n"
                            "  return deeper(q);\n}\n",
        "services/deeper.ts": "import { deepest } from './deepest';\nexport function deeper(q: string) {\n"
                              "  return deepest(q);\n}\n",
        "services/deepest.ts": "export function deepest(q: string) {\n  return q;\n}\n",
    })
    # an instance bound with new, then its class's own this.method() (second hop)
    assert _callee_texts(project, "async (req, res) => { await svc.ask(req.body.q); }", "routes/chat.ts") == \
        ["ask", "callModel"]
    # a namespace import's member, then the service it calls and the one that calls (a route -> a wrapper -> its
    # worker -> the model helper); the fourth module is beyond the bound
    assert _callee_texts(project, "async (req, res) => { ctl.send(req.body.q); }", "routes/chat.ts") == \
        ["send", "deep", "deeper"]


def test_callees_are_cycle_safe_and_skip_definitions() -> None:
    project = _project({
        "a.ts": "import { b } from './b';\nexport function a(n: number) {\n  return b(n);\n}\n",
        "b.ts": "import { a } from './a';\nexport function b(n: number) {\n  return a(n - 1);\n}\n",
        "r.ts": "import { a } from './a';\nexport async function POST(req: Request) {\n  return a(1);\n}\n",
    })
    text = project.docs["r.ts"].text
    body = text[text.index("export async"):]
    assert _callee_texts(project, body, "r.ts") == ["a", "b"]
    assert [expr for expr, _ in project.calls(body, "r.ts")] == ["a"]  # not ``POST`` itself


def test_import_lines_are_counted_once_through_the_text() -> None:
    """Attack: a 40 000-line barrel took 41 s when every import recounted the lines above it; the lines stay
    exact with the running count."""
    text = "// head\n" + "".join(f"import * as N{i} from './m{i}.js';\nexport {{ N{i} }};\n" for i in range(3)) + \
        "const x = require('./late');\n"
    assert imports_of(text) == [("N0", "./m0.js", 2), ("N1", "./m1.js", 4), ("N2", "./m2.js", 6),
                                ("x", "./late", 8)]
