"""LR601 for JS/TS end to end: one semgrep run over a small project of Express apps and Next.js routes.

Each route line that must be reported carries the comment ``// expect: LR601``; every other model route in
the project is rate limited in one of the shapes real projects use (limiter in the route's chain, an earlier
``app.use(limiter)``, a router mounted behind one, ``rl.consume``/``ratelimit.limit`` in the handler, a KV
counter, a Next.js middleware whose matcher covers the route, Vercel's ``ChatSDKError("rate_limit:chat")``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.runner import find_semgrep
from scanner.model import Finding

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")
MARK = "// expect: LR601"
EXPRESS = "const express = require('express');\nconst OpenAI = require('openai');\nconst app = express();\n" \
          "const openai = new OpenAI();\n"
LIMITER = "const rateLimit = require('express-rate-limit');\n" \
          "const limiter = rateLimit({ windowMs: 60 * 1000, max: 10 });\n"
CHAT = "async (req, res) => {\n  const r = await openai.chat.completions.create({ model: 'gpt-4o', " \
       "messages: req.body.messages });\n  res.json(r);\n});\n"
NEXT = "import { streamText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n"
STREAM = "  const { messages } = await req.json();\n" \
         "  const result = streamText({ model: openai('gpt-4o'), messages });\n" \
         "  return result.toDataStreamResponse();\n}\n"

INVALID = {
    # a limiter applied to another route only
    "express/other-route.js": EXPRESS + LIMITER + "app.post('/api/login', limiter, async (req, res) => "
                              "res.json(await login(req.body)));\napp.post('/api/chat', " + MARK + "\n  " + CHAT,
    # installed and never applied
    "express/unused.js": "const express = require('express');\nconst Anthropic = require('@anthropic-ai/sdk');\n"
                         + LIMITER + "const app = express();\nconst anthropic = new Anthropic();\n"
                         "app.post('/api/ask', async (req, res) => { " + MARK + "\n"
                         "  res.json(await anthropic.messages.create({ model: 'claude', messages: req.body.m }));\n"
                         "});\n",
    # mounted on a path that does not cover the route
    "express/scoped.js": EXPRESS + LIMITER + "app.use('/api/admin', limiter);\napp.post('/api/chat', " + MARK
                         + "\n  " + CHAT,
    # the limiter is mounted after the route (Express runs middleware in order)
    "express/late.js": EXPRESS + LIMITER + "app.post('/api/chat', " + MARK + "\n  " + CHAT + "app.use(limiter);\n",
    # answering the vendor's own 429 is not limiting callers
    "express/upstream.js": EXPRESS + "app.post('/api/chat', async (req, res) => { " + MARK + "\n  try {\n"
                           "    res.json(await openai.chat.completions.create({ model: 'm', messages: [] }));\n"
                           "  } catch (err) {\n    if (err instanceof OpenAI.RateLimitError || err.status === 429) "
                           "{\n      return res.status(503).json({ error: 'busy' });\n    }\n  }\n});\n",
    "app/api/chat/route.ts": NEXT + "\nexport async function POST(req: Request) { " + MARK + "\n" + STREAM,
    "app/api/summarize/route.ts": NEXT + "import { ratelimit } from '@/lib/ratelimit';\n\n"
                                  "export async function POST(req: Request) { " + MARK + "\n" + STREAM,
    "pages/api/complete.ts": "import OpenAI from 'openai';\nconst openai = new OpenAI();\n\n"
                             "export default async function handler(req, res) { " + MARK + "\n"
                             "  const r = await openai.chat.completions.create({ model: 'm', messages: req.body.m });\n"
                             "  res.status(200).json(r);\n}\n",
    "app/actions.ts": "'use server';\nimport { generateText } from 'ai';\nimport { anthropic } from "
                      "'@ai-sdk/anthropic';\n\nexport async function ask(question: string) { " + MARK + "\n"
                      "  const { text } = await generateText({ model: anthropic('claude-3-5-haiku'), "
                      "prompt: question });\n  return text;\n}\n",
}
VALID = {
    "express/global.js": EXPRESS + LIMITER + "app.use(limiter);\napp.post('/api/chat', " + CHAT,
    "express/chain.js": EXPRESS + "const { chatLimiter } = require('./middleware/rateLimiter');\n"
                        "app.post('/api/chat', chatLimiter, " + CHAT,
    "express/middleware/rateLimiter.js": "const rateLimit = require('express-rate-limit');\n"
                                         "exports.chatLimiter = rateLimit({ windowMs: 60000, max: 10 });\n",
    "express/mounted/server.js": "const express = require('express');\nconst rateLimit = require('express-rate-limit');\n"
                                 "const chatRouter = require('./routes/chat');\nconst app = express();\n"
                                 "const apiCalls = rateLimit({ windowMs: 60000, limit: 20 });\n"
                                 "app.use('/api/chat', apiCalls, chatRouter);\n",
    "express/mounted/routes/chat.js": "const express = require('express');\nconst OpenAI = require('openai');\n"
                                      "const router = express.Router();\nconst openai = new OpenAI();\n"
                                      "router.post('/', " + CHAT.replace("});\n", "});\nmodule.exports = router;\n"),
    "express/flexible.js": EXPRESS + "const { RateLimiterMemory } = require('rate-limiter-flexible');\n"
                           "const rl = new RateLimiterMemory({ points: 5, duration: 60 });\n"
                           "app.post('/api/chat', async (req, res) => {\n  try {\n    await rl.consume(req.ip);\n"
                           "  } catch {\n    return res.status(429).send('Too many requests');\n  }\n"
                           "  res.json(await openai.chat.completions.create({ model: 'm', messages: [] }));\n});\n",
    "express/required/index.js": "const express = require('express');\nconst rateLimit = require('express-rate-limit');\n"
                                 "const app = express();\nconst limiter = rateLimit({ windowMs: 600000, max: 90 });\n"
                                 "app.use(limiter);\napp.use('/openai', require('./routes/openai.js'));\n",
    "express/required/routes/openai.js": "const express = require('express');\nconst OpenAI = require('openai');\n"
                                         "const router = express.Router();\nconst openai = new OpenAI();\n"
                                         "router.post('/generate', " + CHAT.replace("});\n", "});\n"
                                                                                   "module.exports = router;\n"),
    "lib/ratelimit.ts": "import { Ratelimit } from '@upstash/ratelimit';\nimport { Redis } from '@upstash/redis';\n"
                        "export const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), "
                        "limiter: Ratelimit.slidingWindow(10, '10 s') });\n",
    "lib/limits.ts": "import { kv } from '@vercel/kv';\nexport async function checkRateLimit(id: string) {\n"
                     "  const n = await kv.incr(`rl:${id}`);\n  if (n > 20) throw new Error('slow down');\n}\n",
    "middleware.ts": "import { NextResponse, type NextRequest } from 'next/server';\n"
                     "import { ratelimit } from '@/lib/ratelimit';\n\nexport async function middleware(req: NextRequest) {\n"
                     "  const { success } = await ratelimit.limit(req.ip ?? '127.0.0.1');\n"
                     "  if (!success) return new NextResponse('Too many requests', { status: 429 });\n"
                     "  return NextResponse.next();\n}\n\nexport const config = { matcher: ['/api/limited/:path*'] };\n",
    "app/api/limited/chat/route.ts": NEXT + "\nexport async function POST(req: Request) {\n" + STREAM,
    "app/api/v1/chat/route.ts": NEXT + "import { ratelimit } from '@/lib/ratelimit';\n\n"
                                "export async function POST(req: Request) {\n"
                                "  const { success } = await ratelimit.limit(req.headers.get('x-forwarded-for') ?? '');\n"
                                "  if (!success) return new Response('Too many requests', { status: 429 });\n" + STREAM,
    "app/api/kv/route.ts": NEXT + "import { kv } from '@vercel/kv';\n\nexport async function POST(req: Request) {\n"
                           "  const count = await kv.incr(`ratelimit:${req.headers.get('x-real-ip')}`);\n"
                           "  if (count > 20) return new Response('Too many', { status: 429 });\n" + STREAM,
    "app/api/gen/route.ts": NEXT + "import { checkRateLimit } from '@/lib/limits';\n\n"
                            "export async function POST(req: Request) {\n  await checkRateLimit('user');\n" + STREAM,
    "lib/usage.ts": "export async function enforceUsage(userId: string) {\n"
                    "  if ((await countToday(userId)) > 50) {\n"
                    "    throw new Response('Daily limit reached', { status: 429 });\n  }\n}\n",
    "app/api/usage/route.ts": NEXT + "import { enforceUsage } from '@/lib/usage';\n\n"
                              "export async function POST(req: Request) {\n  await enforceUsage('u');\n" + STREAM,
    "components/AskForm.tsx": "'use client';\nimport { ask } from '@/app/actions';\n\n"
                              "export function AskForm() {\n  return <form action={ask}><input name='q' /></form>;\n}\n",
    # a 'use server' function that only a route handler imports has no action endpoint
    "app/title.ts": "'use server';\nimport { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n\n"
                    "export async function generateTitle(message: string) {\n"
                    "  const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: message });\n"
                    "  return text;\n}\n",
    "app/api/title/route.ts": "import { generateTitle } from '@/app/title';\nimport { ratelimit } from '@/lib/ratelimit';\n"
                              "\nexport async function POST(req: Request) {\n"
                              "  const { success } = await ratelimit.limit('ip');\n"
                              "  if (!success) return new Response('slow down', { status: 429 });\n"
                              "  return Response.json({ title: await generateTitle((await req.json()).m) });\n}\n",
    "app/(chat)/api/chat/route.ts": NEXT + "import { ChatSDKError } from '@/lib/errors';\n\n"
                                    "export async function POST(req: Request) {\n"
                                    "  const messageCount = await getMessageCountByUserId({ id: 'u' });\n"
                                    "  if (messageCount > entitlements.maxMessagesPerDay) {\n"
                                    "    return new ChatSDKError('rate_limit:chat').toResponse();\n  }\n" + STREAM,
}


def _expected() -> set[tuple[str, int]]:
    return {(path, n) for path, text in INVALID.items() for n, line in enumerate(text.split("\n"), 1) if MARK in line}


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    root = tmp_path_factory.mktemp("lr601")
    for path, text in {**INVALID, **VALID}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    result = scan(Path(root), Config(), ScanOptions(engines=("semgrep",)))
    assert not result.incomplete, result.notifications
    return [f for f in result.findings if f.rule_id == "LR601"]


@needs_semgrep
def test_model_routes_without_a_limit_are_found_and_limited_ones_are_not(findings: list[Finding]) -> None:
    assert {(f.location.path, f.location.line) for f in findings} == _expected()
    assert len(_expected()) == len(INVALID) == 9


@needs_semgrep
@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("express/other-route.js", "POST /api/chat calls OpenAI with no rate limit; rate-limiter-flexible, "
                                   "express-rate-limit and @upstash/ratelimit are set up but not applied to this route"),
        ("app/api/chat/route.ts", "POST /api/chat calls OpenAI with no rate limit; rate-limiter-flexible, "
                                  "express-rate-limit and @upstash/ratelimit are set up but not applied to this route"),
        ("express/unused.js", "POST /api/ask calls Anthropic with no rate limit; rate-limiter-flexible, "
                              "express-rate-limit and @upstash/ratelimit are set up but not applied to this route"),
        ("app/actions.ts", "server action ask calls Anthropic with no rate limit; rate-limiter-flexible, "
                           "express-rate-limit and @upstash/ratelimit are set up but not applied to this route"),
    ],
)
def test_messages_name_the_route_the_vendor_and_the_unapplied_limiter(findings: list[Finding], path: str,
                                                                      message: str) -> None:
    assert [f.message for f in findings if f.location.path == path] == [message]
