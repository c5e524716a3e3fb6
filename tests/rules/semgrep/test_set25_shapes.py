"""Shapes found on held-out set 25 after it was measured (safe-gpt-next): a member id from the request that the
handler compares with the signed-in user's id before it uses it is checked; a ``${userId}`` inside a log
message's template literal hands the id to nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

PACKAGE = '{"dependencies": {"next": "15.0.0", "next-auth": "4.24.0", "mongoose": "8.0.0"}}\n'
FILES = {
    "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}\n',
    "src/utils/auth-helper.ts": (
        "import { getServerSession } from 'next-auth';\nimport { NextResponse } from 'next/server';\n"
        "export async function requireAuth() {\n  const session = await getServerSession();\n"
        "  if (!session?.user?.email) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });\n"
        "  return session.user.email;\n}\n"),
    "src/models/chat-model.ts": ("import mongoose from 'mongoose';\n"
                                 "export const Chat = mongoose.model('Chat', new mongoose.Schema({ userId: String }));\n"),
    "src/app/api/chats/route.ts": (
        "import { NextRequest, NextResponse } from 'next/server';\nimport { Chat } from '@/models/chat-model';\n"
        "import { requireAuth } from '@/utils/auth-helper';\n"
        "export async function GET(req: NextRequest) {\n  const userIdOrError = await requireAuth();\n"
        "  if (userIdOrError instanceof NextResponse) return userIdOrError;\n"
        "  const authenticatedUserId = userIdOrError;\n"
        "  const requestedUserId = new URL(req.url).searchParams.get('userId');\n"
        "  if (requestedUserId && requestedUserId !== authenticatedUserId) {\n"
        "    console.warn(`user ${authenticatedUserId} asked for ${requestedUserId}`);\n"
        "    return NextResponse.json({ error: 'forbidden' }, { status: 403 });\n  }\n"
        "  const chats = await Chat.find({ userId: authenticatedUserId });\n  return NextResponse.json({ chats });\n}\n"),
    "src/app/api/history/route.ts": (
        "import { NextRequest, NextResponse } from 'next/server';\nimport { Chat } from '@/models/chat-model';\n"
        "import { requireAuth } from '@/utils/auth-helper';\n"
        "export async function GET(req: NextRequest) {\n  const me = await requireAuth();\n"
        "  if (me instanceof NextResponse) return me;\n"
        "  const userId = new URL(req.url).searchParams.get('userId');\n"
        "  console.log(`history for ${userId}`);\n"
        "  const chats = await Chat.find({ userId });  // expect: AUTH307\n  return NextResponse.json({ chats });\n}\n"),
}


# inquiro: a route handler that reads its dynamic segment by hand from the URL's path
CLERK = {
    "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}\n',
    "src/lib/prisma.ts": "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n",
    "src/app/api/messages/[messageId]/route.ts": (
        "import { type NextRequest, NextResponse } from 'next/server';\nimport { auth } from '@clerk/nextjs/server';\n"
        "import { prisma } from '@/lib/prisma';\nexport async function DELETE(request: NextRequest) {\n"
        "  const { userId } = await auth();\n"
        "  if (!userId) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });\n"
        "  const messageId = new URL(request.url).pathname.split('/').pop();\n"
        "  await prisma.message.delete({ where: { id: messageId } });  // expect: AUTH307\n"
        "  return NextResponse.json({ ok: true });\n}\n"),
    "src/app/api/notes/[noteId]/route.ts": (
        "import { type NextRequest, NextResponse } from 'next/server';\nimport { auth } from '@clerk/nextjs/server';\n"
        "import { prisma } from '@/lib/prisma';\nexport async function DELETE(request: NextRequest) {\n"
        "  const { userId } = await auth();\n"
        "  if (!userId) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });\n"
        "  const noteId = request.nextUrl.pathname.split('/').at(-1);\n"
        "  await prisma.note.deleteMany({ where: { id: noteId, userId } });\n"
        "  return NextResponse.json({ ok: true });\n}\n"),
}


# Nodejs-backend-jwt-otp-verification: controllers imported with another case than their file names
CASES = {
    "server/index.js": ("import express from 'express';\nimport router from './router.js';\nconst app = express();\n"
                        "app.use(express.json());\napp.use('/api/v1', router);\napp.listen(4000);\n"),
    "server/router.js": ("import express from 'express';\nconst router = express.Router();\n"
                         "import TestApi from './controller/TestApi.js';\n"
                         "import GenerateText from './controller/GenerateText.js';\n"
                         "router.get('/', TestApi);\n"
                         "router.post('/generateText', GenerateText);  // expect: AUTH301\nexport default router;\n"),
    "server/controller/testApi.js": ("import path from 'path';\nexport default function TestApi(req, res) {\n"
                                     "  res.status(200).sendFile(path.join(process.cwd(), 'assets/test.jpg'));\n}\n"),
    "server/controller/generateText.js": (
        "import { GoogleGenAI } from '@google/genai';\nexport default async function GenerateText(req, res) {\n"
        "  const { question } = req.body;\n  const ai = new GoogleGenAI({ apiKey: process.env.GENAI_KEY });\n"
        "  const response = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: question });\n"
        "  return res.status(201).send({ answer: response.text });\n}\n"),
}


# safe-gpt-next: stored chats read from the database and dumped to the log; ids and counts of them are not
CHATS = {
    "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}\n',
    "src/models/chat-model.ts": ("import mongoose from 'mongoose';\n"
                                 "export const Chat = mongoose.model('Chat', new mongoose.Schema({ userId: String }));\n"),
    "src/app/api/chats/route.ts": (
        "import { NextResponse } from 'next/server';\nimport { getServerSession } from 'next-auth';\n"
        "import { Chat } from '@/models/chat-model';\nexport async function GET() {\n"
        "  const session = await getServerSession();\n"
        "  if (!session?.user?.email) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });\n"
        "  const chats = await Chat.find({ userId: session.user.email }).sort({ updatedAt: -1 });\n"
        "  console.log('DEBUG chats for user', ':', chats);  // expect: LOG401\n"
        "  console.log('chat count', chats.length);\n"
        "  console.log('all', await Chat.find({ userId: session.user.email }));  // expect: LOG401\n"
        "  const one = await Chat.findOne({ userId: session.user.email });\n"
        "  console.log('first chat id', one?._id);\n"
        "  return NextResponse.json({ chats });\n}\n"),
    # set 22 chat-with-gemini-app: a new chat row logged in one function, chats read in another
    "src/server/chat.controller.js": (
        "import prisma from './prisma.js';\nexport const createChat = async (req, res) => {\n"
        "  const chat = await prisma.chat.create({ data: { name: req.body.name, userId: res.locals.userId } });\n"
        "  console.log(chat);\n  res.json({ chat });\n};\n"
        "export const getChat = async (req, res) => {\n"
        "  const chat = await prisma.chat.findFirst({ where: { id: req.params.id, userId: res.locals.userId } });\n"
        "  res.json({ chat });\n};\n"),
}


# AITC-Server: an open upload endpoint whose handler only answers; multer wrote the file before it ran
UPLOAD = {
    "server.js": ("const express = require('express');\nconst app = express();\n"
                  "app.use('/api/upload', require('./routes/upload'));\napp.listen(5000);\n"),
    "routes/upload.js": (
        "const express = require('express');\nconst multer = require('multer');\nconst router = express.Router();\n"
        "const upload = multer({ storage: multer.diskStorage({ destination: 'uploads/' }) });\n"
        "router.post('/', upload.single('file'), (req, res) => {  // expect: AUTH303\n"
        "  res.status(201).json({ filePath: req.file.path });\n});\n"
        "router.get('/ping', (req, res) => {\n  res.json({ ok: true });\n});\nmodule.exports = router;\n"),
}


# attack 9: a middleware named like auth that only calls next() checks nothing
STUB = {
    "server.js": ("const express = require('express');\nconst { requireAuth } = require('./middleware/auth');\n"
                  "const { ask } = require('./services/llm');\nconst app = express();\napp.use(express.json());\n"
                  "app.post('/api/chat', requireAuth, async (req, res) => {  // expect: AUTH301\n"
                  "  res.json({ answer: await ask(req.body.prompt) });\n});\napp.listen(3000);\n"),
    "middleware/auth.js": ("function requireAuth(req, res, next) {\n  // TODO: check the token\n"
                           "  console.log('auth check', req.path);\n  return next();\n}\n"
                           "module.exports = { requireAuth };\n"),
    "services/llm.js": ("const OpenAI = require('openai');\nconst client = new OpenAI();\n"
                        "async function ask(prompt) {\n  const r = await client.chat.completions.create({ model: 'gpt-4o', "
                        "messages: [{ role: 'user', content: prompt }] });\n  return r.choices[0].message.content;\n}\n"
                        "module.exports = { ask };\n"),
}


SHAPES = [
    pytest.param(FILES, ("AUTH307",),
                 PACKAGE,
                 id="a-member-id-compared-with-the-session-is-checked"),
    pytest.param(CLERK, ("AUTH307",),
                 '{"dependencies": {"next": "15.0.0", "@clerk/nextjs": "6.0.0", "@prisma/client": "5.0.0"}}\n',
                 id="a-path-segment-read-by-hand-is-a-request-id"),
    pytest.param(CASES, ("AUTH301", "AUTH302", "AUTH303"),
                 '{"type": "module", "dependencies": {"express": "4.19.0", "@google/genai": "1.0.0"}}\n',
                 id="an-import-whose-case-differs-from-the-file-resolves"),
    pytest.param(CHATS, ("LOG401", "LOG402", "LOG403"),
                 '{"dependencies": {"next": "15.0.0", "next-auth": "4.24.0", "mongoose": "8.0.0"}}\n',
                 id="stored-chats-dumped-to-the-log"),
    pytest.param(UPLOAD, ("AUTH301", "AUTH302", "AUTH303"),
                 '{"dependencies": {"express": "4.19.0", "multer": "1.4.5"}}\n',
                 id="an-open-upload-route-is-work"),
    pytest.param(STUB, ("AUTH301", "AUTH302", "AUTH303"),
                 '{"dependencies": {"express": "4.19.0", "openai": "4.0.0"}}\n',
                 id="a-pass-through-middleware-is-no-auth"),
]


@needs_semgrep
@pytest.mark.parametrize(("files", "codes", "package"), SHAPES)
def test_set25_shape(tmp_path: Path, files: dict[str, str], codes: tuple[str, ...], package: str) -> None:
    assert scan_project(tmp_path, files, codes, package) == marked(files)
