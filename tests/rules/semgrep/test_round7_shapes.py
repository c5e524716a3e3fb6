"""Shapes found on held-out set 18 after it was measured (MERN-AI-ChatBot): Express handlers cast ``as any`` are
still routes; Gemini ``embedContent`` is a model call; a title cut from the message after the model call bounds
nothing, while a length guard does; the message names the text argument, not the id beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

PACKAGE = '{"dependencies": {"express": "4.19.0", "@google/generative-ai": "0.21.0"}}\n'
SERVICE = ('import { GoogleGenerativeAI } from "@google/generative-ai";\n'
           'const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);\n\n'
           'export async function embed(projectId: string, text: string) {\n'
           '  const model = genAI.getGenerativeModel({ model: "text-embedding-004" });\n'
           '  return (await model.embedContent(text)).embedding.values;\n}\n\n'
           'export async function answer(question: string) {\n'
           '  const model = genAI.getGenerativeModel({ model: "gemini-1.5-flash" });\n'
           '  return (await model.generateContent(question)).response.text();\n}\n')
ROUTES = ('import express from "express";\nimport multer from "multer";\n'
          'import { upload, query, send, guarded } from "./controller";\n\n'
          'const router = express.Router();\nconst files = multer();\n\n'
          'router.post("/upload", files.single("file") as any, upload as any);\n'
          'router.post("/query", query as any);\nrouter.post("/send", send);\nrouter.post("/guarded", guarded);\n\n'
          'export default router;\n')
CONTROLLER = ('import { Request, Response } from "express";\nimport { embed, answer } from "./service";\n\n'
              'export async function upload(req: Request, res: Response) {\n'
              '  res.json(await embed(req.body.projectId, req.body.text));\n}\n\n'
              'export async function query(req: Request, res: Response) {\n'
              '  const { projectId, query } = req.body;\n  res.json(await embed(projectId, query));\n}\n\n'
              'export async function send(req: Request, res: Response) {\n  const { message } = req.body;\n'
              '  const reply = await answer(`QUESTION:\\n${message}`);\n'
              '  const title = message.length > 40 ? `${message.slice(0, 40)}...` : message;\n'
              '  res.json({ reply, title });\n}\n\n'
              'export async function guarded(req: Request, res: Response) {\n  const { message } = req.body;\n'
              '  if (message.length > 4000) return res.status(413).end();\n'
              '  res.json(await answer(message));\n}\n')


@needs_semgrep
def test_cast_handlers_embeddings_and_a_title_cut(tmp_path: Path) -> None:
    files = {"src/routes.ts": ROUTES, "src/controller.ts": CONTROLLER, "src/service.ts": SERVICE}
    found = scan_project(tmp_path, files, ("AUTH301", "LR601", "LR602"), PACKAGE)
    assert sorted(found) == [
        ("AUTH301", "src/routes.ts", 8), ("AUTH301", "src/routes.ts", 9), ("AUTH301", "src/routes.ts", 10),
        ("AUTH301", "src/routes.ts", 11),
        ("LR601", "src/routes.ts", 8), ("LR601", "src/routes.ts", 9), ("LR601", "src/routes.ts", 10),
        ("LR601", "src/routes.ts", 11),
        ("LR602", "src/controller.ts", 5), ("LR602", "src/controller.ts", 10), ("LR602", "src/controller.ts", 15),
    ]


@needs_semgrep
def test_the_message_names_the_text_not_the_id(tmp_path: Path) -> None:
    files = {"src/routes.ts": ROUTES, "src/controller.ts": CONTROLLER, "src/service.ts": SERVICE,
             "package.json": PACKAGE}
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    result = scan(tmp_path, Config(), ScanOptions(engines=("semgrep",)))
    messages = [f.message for f in result.findings if f.rule_id == "LR602" and f.location.line == 10]
    assert messages == ["POST /query passes `query` (request text) to embed(), which sends it to the model with no "
                        "server-side size limit: no zod .max(), length check or truncation"]


EXPRESS_AI = '{"type": "module", "dependencies": {"express": "4.19.0", "ai": "4.0.0", "@ai-sdk/openai": "1.0.0"}}\n'
BARRELS = {
    "src/routes/chat.js": 'import express from "express";\nimport { ChatController } from "../controllers/index.js";\n'
                          'import { requireUser } from "../middlewares/auth.js";\nconst router = express.Router();\n'
                          'router.post("/", requireUser, ChatController.addInteraction);\n'
                          'router.get("/:id", requireUser, ChatController.getChat);\nexport default router;\n',
    "src/middlewares/auth.js": 'export const requireUser = (req, res, next) => {\n'
                               '  if (!req.headers.authorization) return res.status(401).end();\n  next();\n};\n',
    "src/controllers/index.js": 'import * as ChatController from "./chat.controller.js";\nexport { ChatController };\n',
    "src/controllers/chat.controller.js": 'import { ChatService } from "../services/index.js";\n\n'
                                          'export const addInteraction = asyncHandler(async (req, res) => {\n'
                                          '  res.json(await ChatService.addInteraction({ text: req.body.text }));\n'
                                          '});\n\nexport async function getChat(req, res) {\n'
                                          '  res.json({ id: req.params.id });\n}\n',
    "src/services/index.js": '// services\nexport * as ChatService from "./chat.service.js";\n',
    "src/services/chat.service.js": 'import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\n\n'
                                    'export const addInteraction = async ({ text }) => {\n'
                                    '  return (await generateText({ model: openai("gpt-4o"), prompt: text })).text;\n'
                                    '};\n',
}


@needs_semgrep
def test_controllers_and_services_behind_barrels(tmp_path: Path) -> None:
    """Set 18 chat-gpt-backend: ``ChatController.addInteraction`` imported from a barrel that re-exports a module
    namespace, whose service is another barrel's namespace: the route calls the model (the barrels are no hop
    of the import closure); the other route does not."""
    found = scan_project(tmp_path, BARRELS, ("AUTH301", "LR601", "LR602", "AUTH303"), EXPRESS_AI)
    assert sorted(found) == [("LR601", "src/routes/chat.js", 5), ("LR602", "src/controllers/chat.controller.js", 4)]


@needs_semgrep
def test_a_vector_store_built_from_an_upload_is_a_model_call_but_its_key_is_no_prompt(tmp_path: Path) -> None:
    """Set 18 docSpeaker: ``PineconeStore.fromDocuments(docs, new OpenAIEmbeddings())`` embeds every chunk of the
    uploaded PDF (LR601), and the route hands the helper only the upload's storage key (no LR602)."""
    files = {
        "src/app/api/create-chat/route.ts": 'import { loadPdfIntoPinecone } from "@/lib/pinecone";\n\n'
                                            "export async function POST(req: Request) {\n"
                                            "  const { file_key, file_name } = await req.json();\n"
                                            "  await loadPdfIntoPinecone(file_key);\n"
                                            "  return Response.json({ name: file_name });\n}\n",
        "src/lib/pinecone.ts": 'import { PineconeStore } from "@langchain/pinecone";\n'
                               'import { OpenAIEmbeddings } from "@langchain/openai";\n\n'
                               "export async function loadPdfIntoPinecone(file_key: string) {\n"
                               "  const path = await download(file_key);\n  const docs = await load(path);\n"
                               "  await PineconeStore.fromDocuments(docs, new OpenAIEmbeddings(), { namespace: file_key });\n"
                               "}\n",
    }
    package = '{"dependencies": {"next": "14.0.0", "@langchain/pinecone": "0.1.0", "@langchain/openai": "0.3.0"}}\n'
    found = scan_project(tmp_path, files, ("LR601", "LR602"), package)
    assert sorted(found) == [("LR601", "src/app/api/create-chat/route.ts", 3)]


@needs_semgrep
def test_a_server_helper_written_as_tsx_is_followed_but_a_component_is_not(tmp_path: Path) -> None:
    """Set 19 ai-mood-journal: ``@/utils/ai`` is ``utils/ai.tsx``, server code that calls the model; a component
    that calls a model in its event handler is browser code, not the route's."""
    files = {
        "app/api/question/route.ts": 'import { qa } from "@/utils/ai";\n\nexport const POST = async (request: Request) => {\n'
                                     "  const { question } = await request.json();\n"
                                     "  return Response.json({ data: await qa(question) });\n};\n",
        "utils/ai.tsx": 'import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\n\n'
                        "export const qa = async (question: string) =>\n"
                        '  (await generateText({ model: openai("gpt-4o"), prompt: question })).text;\n',
        "app/api/other/route.ts": 'import { Panel } from "@/components/Panel";\n\nexport async function GET() {\n'
                                  "  return Response.json({ ok: Boolean(Panel) });\n}\n",
        "components/Panel.tsx": 'import { generateText } from "ai";\n\nexport function Panel() {\n'
                                "  return <button onClick={() => generateText({ prompt: 'hi' })}>ask</button>;\n}\n",
    }
    package = '{"dependencies": {"next": "14.0.0", "ai": "4.0.0", "@ai-sdk/openai": "1.0.0"}}\n'
    found = scan_project(tmp_path, files, ("LR601", "LR602"), package)
    assert sorted(found) == [("LR601", "app/api/question/route.ts", 3), ("LR602", "app/api/question/route.ts", 5)]


@needs_semgrep
def test_tsconfig_path_aliases_barrel_classes_and_private_methods(tmp_path: Path) -> None:
    """Set 19 myaichat-nest: imports through tsconfig ``paths`` aliases (``@lib/*``), a class re-exported by a
    barrel, and a ``this.#private`` method that calls the model."""
    files = {
        "tsconfig.json": '{\n  // aliases\n  "compilerOptions": {\n    "baseUrl": ".",\n'
                         '    "paths": { "@lib/*": ["./src/lib/*"], },\n  },\n}\n',
        "app/api/ask/route.ts": 'import { ask } from "@lib/ai";\n\nexport async function POST(req: Request) {\n'
                                "  const { q } = await req.json();\n  return Response.json(await ask(q));\n}\n",
        "app/api/bot/route.ts": 'import { Bot } from "@lib/index";\n\nexport async function POST(req: Request) {\n'
                                "  const bot = new Bot();\n  return Response.json(await bot.reply('hi'));\n}\n",
        "src/lib/ai.ts": 'import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\n\n'
                         "export async function ask(q: string) {\n"
                         '  return (await generateText({ model: openai("gpt-4o"), prompt: q })).text;\n}\n',
        "src/lib/index.ts": 'export { Bot } from "./bot";\n',
        "src/lib/bot.ts": 'import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\n\n'
                          "export class Bot {\n  async reply(q: string) {\n    return this.#call(q);\n  }\n\n"
                          "  async #call(q: string) {\n"
                          '    return (await generateText({ model: openai("gpt-4o"), prompt: q })).text;\n  }\n}\n',
    }
    package = '{"dependencies": {"next": "14.0.0", "ai": "4.0.0", "@ai-sdk/openai": "1.0.0"}}\n'
    found = scan_project(tmp_path, files, ("LR601",), package)
    assert sorted(found) == [("LR601", "app/api/ask/route.ts", 3), ("LR601", "app/api/bot/route.ts", 3)]


@needs_semgrep
def test_clerk_protects_only_its_matcher_and_a_stateless_tool_route_is_no_finding(tmp_path: Path) -> None:
    """Set 20 ai-chat-pdf: ``createRouteMatcher("/dashboard")`` (one pattern as a string) with ``auth.protect()``
    only for it leaves the API routes open; a public PDF tool that only transforms the upload (pdf-lib, no network,
    settings, storage or database) is no AUTH303, while one that spends the site's API key still is."""
    files = {
        "middleware.ts": 'import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";\n'
                         'const isProtected = createRouteMatcher("/dashboard");\n'
                         "export default clerkMiddleware(async (auth, req) => {\n"
                         "  if (isProtected(req)) {\n    await auth.protect();\n  }\n});\n"
                         'export const config = { matcher: ["/((?!_next).*)", "/(api|trpc)(.*)"] };\n',
        "app/api/chat/[id]/route.ts": 'import { prisma } from "@/lib/db";\n\n'
                                      "export async function GET(req: Request, { params }: { params: { id: string } }) {\n"
                                      "  return Response.json(await prisma.chat.findUnique({ where: { id: params.id } }));\n}\n",
        "lib/db.ts": 'import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n',
        "app/api/tools/merge/route.ts": 'import { PDFDocument } from "pdf-lib";\n\n'
                                        "export async function POST(request: Request) {\n"
                                        "  const form = await request.formData();\n  const merged = await PDFDocument.create();\n"
                                        "  for (const f of form.getAll('files') as File[]) {\n"
                                        "    const doc = await PDFDocument.load(await f.arrayBuffer());\n"
                                        "    (await merged.copyPages(doc, doc.getPageIndices())).forEach((p) => merged.addPage(p));\n"
                                        "  }\n  return new Response(await merged.save());\n}\n",
        "app/api/tools/compress/route.ts": "export async function POST(request: Request) {\n"
                                           "  const body = await request.formData();\n"
                                           "  const r = await fetch('https://api.ilovepdf.com/v1/start', { headers: "
                                           "{ Authorization: process.env.ILOVEPDF_KEY! }, method: 'POST', body });\n"
                                           "  return new Response(await r.arrayBuffer());\n}\n",
    }
    package = '{"dependencies": {"next": "14.0.0", "@clerk/nextjs": "5.0.0", "@prisma/client": "5.0.0", "pdf-lib": "1.17.1"}}\n'
    found = scan_project(tmp_path, files, ("AUTH302", "AUTH303"), package)
    assert sorted(found) == [("AUTH302", "app/api/chat/[id]/route.ts", 3), ("AUTH303", "app/api/tools/compress/route.ts", 1)]
