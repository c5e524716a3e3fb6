"""Shapes found on held-out set 24 after it was measured (expence): Supabase's ``if (authError || !user) return
401`` after ``supabase.auth.getUser()`` refuses anonymous callers; account steps under an auth folder
(``/api/csuf-auth/forgot``) are public by intent; LangChain's legacy ``model.call([system, message])`` runs the
model."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

PACKAGE = ('{"dependencies": {"next": "14.2.0", "@supabase/ssr": "0.5.0", "@supabase/supabase-js": "2.45.0", '
           '"@langchain/anthropic": "0.3.0"}}\n')
FILES = {
    "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}\n',
    "src/lib/supabase.ts": (
        "import { createServerClient } from '@supabase/ssr'\nimport { cookies } from 'next/headers'\n"
        "export async function createServerSupabase() {\n  const cookieStore = await cookies()\n"
        "  return createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!,"
        " { cookies: { getAll() { return cookieStore.getAll() } } })\n}\n"),
    "src/app/api/notifications/route.ts": (
        "import { NextResponse } from 'next/server'\nimport { createServerSupabase } from '@/lib/supabase'\n"
        "export async function GET() {\n  const supabase = await createServerSupabase()\n"
        "  const { data: { user }, error: authError } = await supabase.auth.getUser()\n"
        "  if (authError || !user) {\n    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 })\n  }\n"
        "  const { data } = await supabase.from('notifications').select('*').eq('user_id', user.id)\n"
        "  return NextResponse.json(data)\n}\n"),
    "src/app/api/open/route.ts": (
        "import { NextResponse } from 'next/server'\nimport { createServerSupabase } from '@/lib/supabase'\n"
        "export async function GET() {  // expect: AUTH302\n  const supabase = await createServerSupabase()\n"
        "  const { data: { user }, error: authError } = await supabase.auth.getUser()\n"
        "  if (authError && !user) {\n    console.warn('anonymous')\n  }\n"
        "  const { data } = await supabase.from('notifications').select('*')\n  return NextResponse.json(data)\n}\n"),
    "src/app/api/csuf-auth/forgot/route.ts": (
        "import { NextResponse } from 'next/server';\nimport { startReset } from '@/lib/cognito';\n"
        "export async function POST(req: Request) {\n  const { email } = await req.json();\n"
        "  return NextResponse.json(await startReset(email));\n}\n"),
    "src/lib/cognito.ts": "export async function startReset(email: string) { return fetch('https://idp/reset?e=' + email); }\n",
    "src/pages/api/chatbot.ts": (
        "import type { NextApiRequest, NextApiResponse } from 'next';\nimport { ChatAnthropic } from '@langchain/anthropic';\n"
        "export default async function handler(req: NextApiRequest, res: NextApiResponse) {  // expect: AUTH301\n"
        "  const { message } = req.body;\n"
        "  const model = new ChatAnthropic({ apiKey: process.env.ANTHROPIC_API_KEY!, model: 'claude-3-haiku-20240307' });\n"
        "  const response = await model.call(['You are Sage.', message]);\n  res.status(200).json({ response: response.text });\n}\n"),
}


@needs_semgrep
def test_supabase_or_guard_account_steps_and_a_legacy_langchain_call(tmp_path: Path) -> None:
    assert scan_project(tmp_path, FILES, ("AUTH301", "AUTH302", "AUTH303"), PACKAGE) == marked(FILES)


ZOD = {
    "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}\n',
    "src/lib/validation/note.ts": (
        'import { z } from "zod";\nexport const createNoteSchema = z.object({\n  title: z.string().min(1),\n'
        "  content: z.string().optional(),\n});\n"
        "export const boundedSchema = z.object({\n  title: z.string().min(1),\n"
        "  content: z.string().max(8000).optional(),\n});\n"),
    "src/lib/openai.ts": (
        'import OpenAI from "openai";\nconst openai = new OpenAI();\n'
        "export async function getEmbedding(text: string) {\n"
        '  const r = await openai.embeddings.create({ model: "text-embedding-ada-002", input: text });\n'
        "  return r.data[0].embedding;\n}\n"),
    "src/app/api/notes/route.ts": (
        'import { createNoteSchema } from "@/lib/validation/note";\nimport { getEmbedding } from "@/lib/openai";\n'
        "export async function POST(req: Request) {\n  const body = await req.json();\n"
        "  const parsed = createNoteSchema.safeParse(body);\n"
        '  if (!parsed.success) return Response.json({ error: "Invalid input" }, { status: 400 });\n'
        "  const { title, content } = parsed.data;\n"
        "  return Response.json(await getEmbedding(title + content));  // expect: LR602\n}\n"),
    "src/app/api/bounded/route.ts": (
        'import { boundedSchema } from "@/lib/validation/note";\nimport { getEmbedding } from "@/lib/openai";\n'
        "export async function POST(req: Request) {\n  const body = await req.json();\n"
        "  const parsed = boundedSchema.parse(body);\n"
        "  return Response.json(await getEmbedding(parsed.content));\n}\n"),
    "src/app/api/local/route.ts": (
        'import { z } from "zod";\nimport { getEmbedding } from "@/lib/openai";\n'
        "const schema = z.object({\n  q: z.string()\n    .min(1)\n    .max(500),\n});\n"
        "export async function POST(req: Request) {\n  const { q } = schema.parse(await req.json());\n"
        "  return Response.json(await getEmbedding(q));\n}\n"),
}


@needs_semgrep
def test_a_zod_schema_without_a_maximum_bounds_nothing(tmp_path: Path) -> None:
    """Set 24 easyAI: ``createNoteSchema.safeParse(body)`` whose schema (imported) sets no ``.max()`` bounds
    nothing; a schema with one, imported or of the route's module (``.max`` on a later line), bounds it."""
    package = '{"dependencies": {"next": "14.2.0", "openai": "4.50.0", "zod": "3.23.0"}}\n'
    assert scan_project(tmp_path, ZOD, ("LR602",), package) == marked(ZOD)


# set 24 (NueralChat-Backend): Mongoose models held in camelCase names (``chatModel``) and child rows found by a ref
# named after the parent (``promptModel.find({ chat: chatId })``); the caller's own list is scoped by ``user``
MONGOOSE = {
    "src/app.js": ("const express = require('express');\nconst chatRoutes = require('./routes/chat.route');\n"
                   "const app = express();\napp.use(express.json());\napp.use('/api/chat', chatRoutes);\n"
                   "module.exports = app;\n"),
    "src/middleware/auth.middleware.js": (
        "const jwt = require('jsonwebtoken');\n"
        "async function authUser(req, res, next) {\n  const token = req.headers.authorization?.split(' ')[1];\n"
        "  if (!token) return res.status(401).json({ message: 'Unauthorized' });\n"
        "  req.user = jwt.verify(token, process.env.JWT_SECRET);\n  next();\n}\nmodule.exports = { authUser };\n"),
    "src/routes/chat.route.js": (
        "const express = require('express');\nconst chatController = require('../controller/chat.controller');\n"
        "const authMiddleware = require('../middleware/auth.middleware');\nconst router = express.Router();\n"
        "router.get('/all', authMiddleware.authUser, chatController.viewChat);\n"
        "router.get('/:chatId/messages', authMiddleware.authUser, chatController.viewPrompt);\n"
        "router.delete('/:chatId', authMiddleware.authUser, chatController.deleteChat);\nmodule.exports = router;\n"),
    "src/controller/chat.controller.js": (
        "const chatModel = require('../model/chat.model');\nconst promptModel = require('../model/prompt.model');\n"
        "async function deleteChat(req, res) {\n  const chatId = req.params.chatId;\n"
        "  await chatModel.findByIdAndDelete(chatId);  // expect: AUTH307\n"
        "  await promptModel.deleteMany({ chat: chatId });\n  res.json({ ok: true });\n}\n"
        "async function viewChat(req, res) {\n  const chats = await chatModel.find({ user: req.user.id });\n"
        "  res.json({ chats });\n}\n"
        "async function viewPrompt(req, res) {\n  const chatId = req.params.chatId;\n"
        "  const prompts = await promptModel.find({ chat: chatId }).sort({ createdAt: 1 });  // expect: AUTH307\n"
        "  res.json({ prompts });\n}\nmodule.exports = { deleteChat, viewChat, viewPrompt };\n"),
    "src/model/chat.model.js": ("const mongoose = require('mongoose');\n"
                                "module.exports = mongoose.model('chat', new mongoose.Schema({ title: String }));\n"),
    "src/model/prompt.model.js": ("const mongoose = require('mongoose');\n"
                                  "module.exports = mongoose.model('prompt', new mongoose.Schema({ text: String }));\n"),
}


@needs_semgrep
def test_camel_case_mongoose_models_and_parent_named_refs(tmp_path: Path) -> None:
    package = '{"dependencies": {"express": "4.19.0", "mongoose": "8.0.0", "jsonwebtoken": "9.0.0"}}\n'
    assert scan_project(tmp_path, MONGOOSE, ("AUTH307",), package) == marked(MONGOOSE)
