"""Shapes judges met on real Next.js chatbots (JS/TS), round 2: NextAuth v5 route wrappers
(``export const POST = auth(async function POST(req) {...})``) are routes, authenticated only when the handler
refuses without ``req.auth``; other wrappers are judged by their code when the project defines them; a server
action that reads the session but never refuses without one is not authenticated. Each shape: files whose
``// expect:`` comments list the codes that must be reported on that line, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")
CODES = ("AUTH301", "AUTH302", "AUTH303")

#: NextAuth v5's config module (the shape of the Auth.js Next.js example).
AUTH_TS = ('import NextAuth from "next-auth";\nimport GitHub from "next-auth/providers/github";\n\n'
           "export const { handlers, auth, signIn, signOut } = NextAuth({\n  providers: [GitHub],\n});\n")
PRISMA = 'import { PrismaClient } from "@prisma/client";\n\nexport const prisma = new PrismaClient();\n'
HEAD = ('import OpenAI from "openai";\nimport { NextResponse } from "next/server";\nimport { auth } from "@/auth";\n'
        'import { prisma } from "@/lib/prisma";\n\nconst openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY! });\n\n')
MODEL_CALL = ("  const { messages } = await req.json();\n"
              '  const response = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });\n'
              "  return NextResponse.json(response.choices[0].message);\n")
#: A wrapper the project defines: refuses without a session.
WITH_AUTH = ('import { NextResponse } from "next/server";\nimport { auth } from "@/auth";\n\n'
             "export function withAuth(handler) {\n  return async (req) => {\n    const session = await auth();\n"
             '    if (!session?.user) {\n      return NextResponse.json({ error: "Unauthorized" }, { status: 401 });\n'
             "    }\n    return handler(req, session);\n  };\n}\n")
#: A wrapper the project defines that only logs: refuses nobody.
WITH_LOGGING = ("export function withLogging(handler) {\n  return async (req) => {\n"
                "    console.time(req.url);\n    const res = await handler(req);\n    console.timeEnd(req.url);\n"
                "    return res;\n  };\n}\n")
REQUIRE_USER = ('import { redirect } from "next/navigation";\nimport { auth } from "@/auth";\n\n'
                "export async function requireUser() {\n  const session = await auth();\n"
                '  if (!session?.user) redirect("/login");\n  return session.user;\n}\n')

WRAPPED = {
    "auth.ts": AUTH_TS,
    "lib/prisma.ts": PRISMA,
    "lib/with-auth.ts": WITH_AUTH,
    "lib/with-logging.ts": WITH_LOGGING,
    # alfredosdpiii/nextchat: auth() only attaches req.auth; the handler never looks at it
    "app/api/chat/route.ts": HEAD + "export const POST = auth(async function POST(req) { // expect: AUTH301\n"
    + MODEL_CALL + "});\n",
    # an expression-bodied arrow that reads req.auth but refuses nobody
    "app/api/chats/route.ts": HEAD + "export const GET = auth(async (req) => // expect: AUTH302\n"
    "  NextResponse.json(await prisma.chat.findMany({ where: { userId: req.auth?.user?.id } })));\n",
    # refuses without req.auth: authenticated
    "app/api/complete/route.ts": HEAD + "export const POST = auth(async function POST(req) {\n"
    '  if (!req.auth) return NextResponse.json({ message: "Not authenticated" }, { status: 401 });\n'
    + MODEL_CALL + "});\n",
    "app/api/history/route.ts": HEAD + "export const GET = auth(async (req) => {\n"
    '  if (!req.auth?.user) {\n    return NextResponse.redirect(new URL("/login", req.url));\n  }\n'
    "  return NextResponse.json(await prisma.chat.findMany({ where: { userId: req.auth.user.id } }));\n});\n",
    # a project wrapper that refuses (judged by its code), passed a handler by name
    "app/api/summarize/route.ts": HEAD + 'import { withAuth } from "@/lib/with-auth";\n\n'
    "async function handler(req) {\n" + MODEL_CALL + "}\n\nexport const POST = withAuth(handler);\n",
    # a project wrapper that only logs: the route stays open
    "app/api/translate/route.ts": HEAD + 'import { withLogging } from "@/lib/with-logging";\n\n'
    "export const POST = withLogging(async (req) => { // expect: AUTH301\n" + MODEL_CALL + "});\n",
}

ACTION_HEAD = ('"use server";\n\nimport { auth } from "@/auth";\nimport { prisma } from "@/lib/prisma";\n'
               'import { redirect } from "next/navigation";\nimport { requireUser } from "@/lib/require-user";\n\n')
ACTIONS = {
    "auth.ts": AUTH_TS,
    "lib/prisma.ts": PRISMA,
    "lib/require-user.ts": REQUIRE_USER,
    # alfredosdpiii/nextchat: the session is read, then its email passed on optionally; nobody is refused
    "app/actions/update-chat.ts": '"use server";\nimport { auth as getServerSession } from "@/auth";\n'
    'import { prisma } from "@/lib/prisma";\n\n'
    "export const updateChat = async (chatId: string | null, messages: { role: string; content: string }[]) => {"
    " // expect: AUTH302\n  const session = await getServerSession();\n  if (!chatId) {\n"
    "    return await prisma.chat.create({ data: { email: session?.user?.email!, messages } });\n  }\n"
    "  await prisma.message.deleteMany({ where: { chatId } });\n  return chatId;\n};\n",
    "app/actions/save.ts": ACTION_HEAD
    + "export async function saveTitle(title: string) { // expect: AUTH302\n  const session = await auth();\n"
    "  const userId = session?.user?.id;\n  await prisma.chat.create({ data: { title, userId } });\n}\n\n"
    "export async function renameChat(id: string, title: string) {\n  const session = await auth();\n"
    '  if (!session) throw new Error("Unauthorized");\n'
    "  await prisma.chat.update({ where: { id, userId: session.user.id }, data: { title } });\n}\n\n"
    "export async function deleteChat(id: string) {\n  const session = await auth();\n"
    '  if (!session?.user) redirect("/login");\n'
    "  await prisma.chat.delete({ where: { id, userId: session.user.id } });\n}\n\n"
    "export async function listChats() {\n  const user = await requireUser();\n"
    "  return prisma.chat.findMany({ where: { userId: user.id } });\n}\n\n"
    "export async function pinChat(id: string) {\n  const session = await auth();\n"
    "  const userId = session?.user?.id;\n  if (!userId) {\n    return { error: \"Sign in to pin chats\" };\n  }\n"
    "  await prisma.chat.update({ where: { id, userId }, data: { pinned: true } });\n}\n",
}


def _scan(root: Path, files: dict[str, str], codes: tuple[str, ...] = CODES) -> set[tuple[str, str, int]]:
    return scan_project(root, files, codes, '{"dependencies": {"next": "15.0.0", "next-auth": "5.0.0-beta.25"}}\n',
                        {"tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./*"]}}}\n'})


def _expected(files: dict[str, str]) -> set[tuple[str, str, int]]:
    return marked(files)


@needs_semgrep
def test_wrapped_route_handlers(tmp_path: Path) -> None:
    expected = _expected(WRAPPED)
    assert len(expected) == 3
    assert _scan(tmp_path, WRAPPED) == expected


@needs_semgrep
def test_server_actions_that_read_the_session(tmp_path: Path) -> None:
    expected = _expected(ACTIONS)
    assert len(expected) == 2
    assert _scan(tmp_path, ACTIONS) == expected


#: A Vercel function that relays any path to a model API with the server's key.
PROXY = ("export default async function handler(req, res) { // expect: AUTH301 LR601\n"
         "  const path = req.query.path.join('/');\n"
         "  const upstream = await fetch(`https://generativelanguage.googleapis.com/${path}?key=${process.env.GEMINI_API_KEY}`, {\n"
         "    method: req.method,\n    headers: { 'Content-Type': 'application/json' },\n"
         "    body: JSON.stringify(req.body),\n  });\n  res.status(upstream.status).json(await upstream.json());\n}\n")
CHECKED_PROXY = PROXY.replace(" // expect: AUTH301 LR601", " // expect: LR601").replace(
    "  const path", "  if (req.headers['x-api-key'] !== process.env.PROXY_TOKEN) {\n"
    "    return res.status(401).json({ error: 'Unauthorized' });\n  }\n  const path")
WEB_CATCH_ALL = ("export async function POST(request: Request) { // expect: AUTH301 LR601\n"
                 "  const body = await request.json();\n"
                 "  const r = await fetch('https://api.openai.com/v1/chat/completions', {\n    method: 'POST',\n"
                 "    headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}`, 'Content-Type': 'application/json' },\n"
                 "    body: JSON.stringify(body),\n  });\n  return new Response(r.body, { status: r.status });\n}\n")
FUNCTIONS = {
    "api/p/[...path].js": PROXY,
    "api/[...slug].ts": WEB_CATCH_ALL,
    "api/secure/[[...path]].js": CHECKED_PROXY,
    # an api/ folder under src/ is client code (a fetch wrapper), not a Vercel function
    "src/api/[...path].ts": WEB_CATCH_ALL.replace(" // expect: AUTH301 LR601", ""),
}


@needs_semgrep
def test_vercel_catch_all_functions(tmp_path: Path) -> None:
    expected = _expected(FUNCTIONS)
    assert len(expected) == 5
    assert _scan(tmp_path, FUNCTIONS, ("AUTH301", "AUTH302", "AUTH303", "LR601")) == expected


GEMINI_UTIL = ('import { GoogleGenerativeAI } from "@google/generative-ai";\n\n'
               "const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);\n"
               'const model = genAI.getGenerativeModel({ model: "gemini-1.5-flash" });\n\n'
               "export const chatSession = model.startChat({ history: [] });\n")
#: The one question for LR601, LR602 and AUTH301: does this route call a model? Both shapes must answer it alike.
MODEL_CALLS = {
    "utils/gemini.ts": GEMINI_UTIL,
    # a Gemini chat session imported from another module (seen by LR602, not by LR601/AUTH301 before)
    "app/api/interview/route.ts": 'import { chatSession } from "@/utils/gemini";\n\n'
    "export async function POST(req: Request) { // expect: AUTH301 LR601\n  const { prompt } = await req.json();\n"
    "  const result = await chatSession.sendMessage(prompt); // expect: LR602\n"
    "  return Response.json({ text: result.response.text() });\n}\n",
    # Gemini's REST API through axios in an Express controller (seen by LR601, not by LR602 before)
    "server/controllers/chat.js": 'const axios = require("axios");\n\n'
    "exports.ask = async (req, res) => {\n  const { prompt } = req.body;\n  const response = await axios.post(\n"
    "    `https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent?key=${process.env.GEMINI_API_KEY}`,\n"
    "    { contents: [{ parts: [{ text: prompt }] }] }, // expect: LR602\n  );\n"
    "  res.json({ text: response.data.candidates[0].content.parts[0].text });\n};\n",
    "server/routes/chat.js": 'const express = require("express");\nconst { ask } = require("../controllers/chat");\n'
    "const router = express.Router();\n\nrouter.post(\"/ask\", ask); // expect: AUTH301 LR601\n\nmodule.exports = router;\n",
    # not a model call: a Telegram bot (an open route that does work: AUTH303, not AUTH301; no LR601/LR602)
    "app/api/notify/route.ts": 'import { bot } from "@/lib/telegram";\n\nexport async function POST(req: Request) { // expect: AUTH303\n'
    "  const { text } = await req.json();\n  await bot.sendMessage(process.env.CHAT_ID!, text);\n"
    "  return Response.json({ ok: true });\n}\n",
}


@needs_semgrep
def test_model_calls_one_answer_for_lr601_lr602_auth301(tmp_path: Path) -> None:
    expected = _expected(MODEL_CALLS)
    assert len(expected) == 7
    assert _scan(tmp_path, MODEL_CALLS, ("AUTH301", "AUTH302", "AUTH303", "LR601", "LR602")) == expected


OWN_ROWS_HEAD = ('import { auth } from "@/auth";\nimport { prisma } from "@/lib/prisma";\n\n'
                 "export async function POST(req: Request) {\n  const session = await auth();\n"
                 '  if (!session?.user) return new Response("Unauthorized", { status: 401 });\n')
#: AUTH307 on creates: a new row owned by the caller is not unscoped access, unless a request id joins it to
#: per-user data the caller may not own.
CREATES = {
    "auth.ts": AUTH_TS,
    "lib/prisma.ts": PRISMA,
    # mdalkama689/bolt create-room: the caller's own chat row under a client-chosen room key
    "app/api/create-room/route.ts": OWN_ROWS_HEAD + "  const { roomId } = await req.json();\n"
    "  const chat = await prisma.chat.create({ data: { roomId, userId: Number(session.user.id) } });\n"
    "  return Response.json(chat);\n}\n",
    "app/api/workspaces/route.ts": OWN_ROWS_HEAD + "  const { workspaceId, title } = await req.json();\n"
    "  const userId = session.user.id;\n"
    "  return Response.json(await prisma.project.create({ data: { title, workspaceId, ownerId: userId } }));\n}\n",
    # a message written into a chat named by the request: the chat must be the caller's
    "app/api/messages/route.ts": OWN_ROWS_HEAD + "  const { chatId, content } = await req.json();\n"
    "  const message = await prisma.message.create({ // expect: AUTH307\n"
    '    data: { chatId, role: "user", content, userId: session.user.id },\n  });\n'
    "  return Response.json(message);\n}\n",
    # no owner on the new row: the request's conversation id decides where it goes
    "app/api/replies/route.ts": OWN_ROWS_HEAD + "  const { conversationId, content } = await req.json();\n"
    "  return Response.json(await prisma.message.create({ data: { conversationId, content } })); // expect: AUTH307\n}\n",
}


@needs_semgrep
def test_creates_of_the_callers_own_rows(tmp_path: Path) -> None:
    expected = _expected(CREATES)
    assert len(expected) == 2
    assert _scan(tmp_path, CREATES, ("AUTH307",)) == expected
