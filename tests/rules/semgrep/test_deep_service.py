"""A route whose service calls many small helpers before the one that reaches the model, three calls down, is
still a model route (set 16 InfoPlus: twenty-odd tool and database helpers came first, and the search for callees
stopped at twenty)."""

from __future__ import annotations

from pathlib import Path

from tests.rules.semgrep.marked_projects import scan_project

PACKAGE = '{"dependencies": {"express": "4.21.0", "ai": "4.0.0", "@ai-sdk/openai": "1.0.0"}}\n'


def test_a_model_three_calls_behind_many_helpers(tmp_path: Path) -> None:
    helpers = "".join(f"export function helper{i}(x: string) {{ return x.trim() + '{i}'; }}\n" for i in range(24))
    calls = "".join(f"  const h{i} = helper{i}(text);\n" for i in range(24))
    files = {
        "src/routes.ts": "import { Router } from 'express';\nimport { chatHandler } from './handler';\n"
                         "const router = Router();\nrouter.post('/message', chatHandler);\nexport default router;\n",
        "src/handler.ts": "import { ChatService } from './service';\n\n"
                          "export const chatHandler = async (req, res) => {\n"
                          "  res.json(await ChatService.processRequest(req.body.text));\n};\n",
        "src/helpers.ts": helpers,
        "src/service.ts": "import { " + ", ".join(f"helper{i}" for i in range(24)) + " } from './helpers';\n"
                          "import { runChat } from './ai';\n\nexport const ChatService = {\n"
                          "  async processRequest(text: string) {\n" + calls +
                          "    return runChat(text);\n  },\n};\n",
        "src/ai.ts": "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n\n"
                     "async function tryModel(text: string) {\n"
                     "  return generateText({ model: openai('gpt-4o-mini'), prompt: 'Summarise' });\n}\n\n"
                     "export async function runChat(text: string) {\n  return tryModel(text);\n}\n",
    }
    assert ("LR601", "src/routes.ts", 4) in scan_project(tmp_path, files, ("LR601",), PACKAGE)


def test_a_helper_handed_by_name_to_map_is_called(tmp_path: Path) -> None:
    """Set 17 chat-docu: an ingest route's loader runs ``pages.map(embedDocument)``, and ``embedDocument`` calls
    openai-edge's ``createEmbedding`` a module further: a model route (AUTH301, LR601 naming OpenAI)."""
    files = {
        "app/api/ingest/route.ts": "import { load } from '@/lib/loader';\n\nexport async function POST(req: Request) {\n"
                                   "  const { key } = await req.json();\n  await load(key);\n"
                                   "  return Response.json({ ok: true });\n}\n",
        "lib/loader.ts": "import { getEmbeddings } from './embedding';\n\nexport async function load(key: string) {\n"
                         "  const pages = await fetchPages(key);\n  return Promise.all(pages.map(embedDocument));\n}\n\n"
                         "async function embedDocument(doc: { text: string }) {\n  return getEmbeddings(doc.text);\n}\n",
        "lib/embedding.ts": "import { OpenAIApi, Configuration } from 'openai-edge';\n"
                            "const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));\n\n"
                            "export async function getEmbeddings(text: string) {\n"
                            "  const r = await openai.createEmbedding({ model: 'text-embedding-ada-002', input: text });\n"
                            "  return (await r.json()).data[0].embedding;\n}\n",
        "app/api/list/route.ts": "import { names } from '@/lib/names';\n\nexport async function GET() {\n"
                                 "  return Response.json(names.map(format));\n}\n\nfunction format(n: string) {\n"
                                 "  return n.trim();\n}\n",
        "lib/names.ts": "export const names = ['a', 'b'];\n",
    }
    package = '{"dependencies": {"next": "14.0.0", "openai-edge": "1.0.0"}}\n'
    found = scan_project(tmp_path, files, ("AUTH301", "LR601", "AUTH303"), package)
    assert sorted(found) == [("AUTH301", "app/api/ingest/route.ts", 3), ("LR601", "app/api/ingest/route.ts", 3)]
