"""Shapes judges met on held-out Next.js chatbots (round 3): ``app/**/_folder/`` private folders are no routes
(a talk's ``_notes/`` copies of server actions and route handlers are unreachable); LR602 for request
text a project helper maps or spreads into its messages, and for a browser-callable server action's argument that
reaches its own model call unbounded; LOG402 for what a project helper returning the model's answer gave back;
the route's own AUTH301 names a refusing ``middleware.ts`` whose matcher leaves it out (no second finding)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.runner import find_semgrep
from scanner.model import Finding
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")


def _scan(root: Path, files: dict[str, str], codes: tuple[str, ...]) -> set[tuple[str, str, int]]:
    return scan_project(root, files, codes, '{"dependencies": {"next": "16.0.0", "openai": "5.0.0"}}\n')


def _findings(root: Path, files: dict[str, str]) -> list[Finding]:
    """Every finding of a semgrep-engine scan of ``files`` (already written under ``root`` by ``_scan``)."""
    result = scan(root, Config(), ScanOptions(engines=("semgrep",)))
    return sorted(result.findings, key=lambda f: (f.location.path, f.location.line, f.rule_id))


def _expected(files: dict[str, str], codes: tuple[str, ...]) -> set[tuple[str, str, int]]:
    return marked(files, codes)


# --- private folders: app/**/_folder/ is left out of routing ---------------------------------------------

ACTION = ("'use server';\n\nimport OpenAI from 'openai';\n\n"
          "export async function getStream(prompt: string) { EXPECT\n  const client = new OpenAI();\n"
          "  const response = await client.responses.create({\n    model: 'gpt-4o-mini',\n"
          "    input: [{ role: 'user', content: prompt.slice(0, 2000) }],\n    stream: true,\n  });\n"
          "  return response;\n}\n")
PAGE = ("'use client';\n\nimport { useState } from 'react';\nimport { getStream } from './actions';\n\n"
        "export default function Page() {\n  const [text, setText] = useState('');\n"
        "  return <form action={async (d) => setText(String(await getStream(String(d.get('q')))))}>{text}</form>;\n}\n")
ROUTE = ("import OpenAI from 'openai';\n\nconst openai = new OpenAI();\n\n"
         "export async function POST(req: Request) { EXPECT\n  const { prompt } = await req.json();\n"
         "  const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', "
         "content: String(prompt).slice(0, 2000) }] });\n  return Response.json(r);\n}\n")
COMPONENT = ("'use client';\n\nimport { getStream } from './actions';\n\n"
             "export function MessageStreams() {\n  return <form action={async () => { await getStream('hi'); }} />;\n}\n")
LAYOUT = ("import { MessageStreams } from './_components/MessageStreams';\n\n"
          "export default function Layout({ children }: { children: React.ReactNode }) {\n"
          "  return <>{children}<MessageStreams /></>;\n}\n")
PRIVATE = {
    # talk notes: a private copy imported only by a private page
    "app/demos/ai/_notes/end/actions.ts": ACTION.replace(" EXPECT", ""),
    "app/demos/ai/_notes/end/page.tsx": PAGE,
    # a private copy imported by nothing
    "app/demos/opt/_notes/end/actions.ts": ACTION.replace(" EXPECT", ""),
    # a route handler in a private folder
    "app/_archive/api/chat/route.ts": ROUTE.replace(" EXPECT", ""),
    "app/api/_old/route.ts": ROUTE.replace(" EXPECT", ""),
    # the routed demo: its action is reachable
    "app/demos/ai/actions.ts": ACTION.replace("EXPECT", "// expect: AUTH301 LR601"),
    "app/demos/ai/page.tsx": PAGE,
    # a private components folder the routed layout imports: its action is reachable
    "app/(main)/_components/MessageStreams/actions.ts": ACTION.replace("EXPECT", "// expect: AUTH301 LR601"),
    "app/(main)/_components/MessageStreams/index.tsx": COMPONENT,
    "app/(main)/layout.tsx": LAYOUT,
    "app/api/chat/route.ts": ROUTE.replace("EXPECT", "// expect: AUTH301 LR601"),
}


@needs_semgrep
def test_private_folders_are_not_routed(tmp_path: Path) -> None:
    codes = ("AUTH301", "LR601")
    expected = _expected(PRIVATE, codes)
    assert _scan(tmp_path, PRIVATE, codes) == expected
    assert len(expected) == 6


# --- LR602: request text through a helper that maps it into messages; server-action arguments -----------------

HELPER = ('import { Configuration, OpenAIApi } from "openai";\n\n'
          "const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));\n\n"
          "export default async function callChatGpt(info: string, messageHistory: MessageType[]) {\n"
          "  const structuredHistory = messageHistory.map(message => {\n"
          "    const { message: content, sender } = message\n"
          "    return { role: sender == 'bot' ? 'assistant' : 'user', content: content }\n  })\n"
          "  const completion = await openai.createChatCompletion({\n    model: 'gpt-3.5-turbo',\n"
          "    messages: [\n      { role: 'system', content: 'Answer about this resume.' },\n"
          "      { role: 'user', content: `\"${info}\"` },\n      ...structuredHistory\n    ],\n  });\n"
          "  return completion.data.choices[0].message?.content\n}\n")
ASK = ('import callChatGpt from "@/lib/callChatGpt";\nimport { NextRequest, NextResponse } from "next/server";\n\n'
       "export async function POST(req: NextRequest){\n    const { messageHistory } = await req.json()\n"
       "    CHECK\n    const data = await callChatGpt('resume', messageHistory) EXPECT\n"
       "    return NextResponse.json({data})\n}\n")
SEND = ("'use server';\n\nimport OpenAI from 'openai';\n\nconst client = new OpenAI();\n\n"
        "export async function send(message: string) {\n  CHECK\n"
        "  const response = await client.responses.create({ EXPECT\n    model: 'gpt-4o-mini',\n"
        "    input: [{ role: 'user', content: message }],\n  });\n  return response.output_text;\n}\n")
CONTINUE = ("'use server';\n\nimport OpenAI from 'openai';\nimport { db } from '@/db';\n\n"
            "export async function continueChat(userMessage: Message) {\n"
            "  const existing = await db.query.messages.findMany({\n    where: (t, { eq }) => eq(t.chatId, userMessage.chatId),\n  });\n"
            "  const client = new OpenAI();\n  const response = await client.responses.create({ EXPECT\n"
            "    model: 'gpt-4o-mini',\n    input: [\n      ...existing,\n"
            "      { role: 'user', content: userMessage.content },\n    ],\n    stream: true,\n  });\n"
            "  return response;\n}\n")
SUMMARY = ("'use server';\n\nimport OpenAI from 'openai';\nimport { db } from '@/db';\n\n"
           "export async function summarize(chatId: string) {\n"
           "  const chat = await db.query.chats.findFirst({ where: (t, { eq }) => eq(t.id, chatId) });\n"
           "  const client = new OpenAI();\n  const response = await client.responses.create({\n"
           "    model: 'gpt-4o-mini',\n    input: `Summarize: ${chat?.text}`,\n  });\n"
           "  return response.output_text;\n}\n")
FORM = ("'use client';\n\nimport { send } from './actions';\nimport { continueChat } from './continue';\n"
        "import { summarize } from './summary';\n\n"
        "export function Composer() {\n  return <form action={async (d) => { await send(String(d.get('m'))); "
        "await continueChat({ chatId: '1', content: 'x' }); await summarize('1'); }} />;\n}\n")
JOB = ("import { digest } from '@/app/server/actions';\n\n"
       "export async function nightly() {\n  return digest('Write the nightly digest.');\n}\n")
HOLES = {
    "lib/callChatGpt.ts": HELPER,
    "app/api/ask/route.ts": ASK.replace("CHECK", "").replace("EXPECT", "// expect: LR602"),
    "app/api/bounded/route.ts": ASK.replace(
        "CHECK", "if (messageHistory.length > 20) return NextResponse.json({}, { status: 400 })").replace(" EXPECT", ""),
    # a key record looked up by an id from the query and validated: the messages stay unbounded
    "lib/keys.ts": "export async function getApiKey(id: string) { return { id, user: 'u' }; }\n"
                   "export async function validateApiCall(key: { id: string }) { return key.id !== ''; }\n",
    "app/api/bot/route.ts": ASK.replace('import { NextRequest', 'import { getApiKey, validateApiCall } from "@/lib/keys";\n'
                                        'import { NextRequest').replace(
        "CHECK", 'const id = req.nextUrl.searchParams.get("id")\n    const apiKey = await getApiKey(id || "")\n'
                 "    if (!(await validateApiCall(apiKey))) return NextResponse.json({}, { status: 429 })").replace(
        "EXPECT", "// expect: LR602"),
    "app/chat/actions.ts": SEND.replace("CHECK", "").replace("EXPECT", "// expect: LR602"),
    "app/chat/continue.ts": CONTINUE.replace("EXPECT", "// expect: LR602"),
    "app/chat/summary.ts": SUMMARY,
    "app/chat/composer.tsx": FORM,
    "app/checked/actions.ts": SEND.replace(
        "CHECK", "if (message.length > 4000) throw new Error('Message too long');").replace(" EXPECT", ""),
    "app/checked/composer.tsx": FORM.replace("import { continueChat } from './continue';\n", "").replace(
        "import { summarize } from './summary';\n", "").replace(
        " await continueChat({ chatId: '1', content: 'x' }); await summarize('1');", ""),
    # an action only server code calls is a plain server function: its argument is the caller's text
    "app/server/actions.ts": SEND.replace("CHECK", "").replace(" EXPECT", "").replace("send(", "digest("),
    "lib/jobs.ts": JOB,
}


@needs_semgrep
def test_unbounded_text_through_mapping_helpers_and_action_arguments(tmp_path: Path) -> None:
    codes = ("LR602",)
    expected = _expected(HOLES, codes)
    assert _scan(tmp_path, HOLES, codes) == expected
    assert len(expected) == 4


# --- LOG402: what a project helper returns when it returns the model's answer -------------------------------

ANSWERS = ("import OpenAI from 'openai';\n\nconst openai = new OpenAI();\n\n"
           "export async function askModel(question: string) {\n"
           "  return await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', "
           "content: question.slice(0, 500) }] });\n}\n\n"
           "export async function countTokens(question: string) {\n"
           "  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: "
           "'user', content: question.slice(0, 500) }] });\n  return completion.usage?.total_tokens ?? 0;\n}\n")
LOGGED = ('import callChatGpt from "@/lib/callChatGpt";\nimport { askModel as ask, countTokens } from "@/lib/answers";\n'
          'import { NextRequest, NextResponse } from "next/server";\n\n'
          "export async function POST(req: NextRequest){\n    const { messageHistory } = await req.json()\n"
          "    if (messageHistory.length > 20) return NextResponse.json({}, { status: 400 })\n"
          "    const data = await callChatGpt('resume', messageHistory)\n    console.log(data); // expect: LOG402\n"
          "    const digest = await ask('Summarize the news.')\n    logger.info('digest', digest) // expect: LOG402\n"
          "    const used = await countTokens('hello')\n    console.log('tokens used', used)\n"
          "    console.log('answer length', data?.length)\n"
          "    return NextResponse.json({data, digest})\n}\n")
OUTPUTS = {
    "lib/callChatGpt.ts": HELPER,
    "lib/answers.ts": ANSWERS,
    "lib/logger.ts": "export const logger = { info: (...a: unknown[]) => console.log(...a) };\n",
    "app/api/ask/route.ts": 'import { logger } from "@/lib/logger";\n' + LOGGED,
}


@needs_semgrep
def test_model_answer_returned_by_a_project_helper_is_model_output(tmp_path: Path) -> None:
    codes = ("LOG402",)
    expected = _expected(OUTPUTS, codes)
    assert _scan(tmp_path, OUTPUTS, codes) == expected
    assert len(expected) == 2


# --- AUTH305: a refusing middleware.ts whose matcher leaves out API routes that check no session -------------

SUPABASE_MW = ("import { createMiddlewareClient } from '@supabase/auth-helpers-nextjs'\n"
               "import { NextResponse } from 'next/server'\nimport type { NextRequest } from 'next/server'\n\n"
               "export async function middleware(req: NextRequest) {\n  const res = NextResponse.next()\n"
               "  const supabase = createMiddlewareClient({ req, res })\n"
               "  const { data: { user } } = await supabase.auth.getUser()\n"
               "  if (!user && req.nextUrl.pathname !== '/') {\n"
               "    return NextResponse.redirect(new URL('/', req.url))\n  }\n  return res\n}\n\n"
               "export const config = {\n  matcher: MATCHER\n}\n")
NEXTAUTH_MW = ('export { default } from "next-auth/middleware";\n\n'
               'export const config = {\n  matcher: MATCHER,\n};\n')
REFRESH_MW = ("import { createMiddlewareClient } from '@supabase/auth-helpers-nextjs'\n"
              "import { NextResponse } from 'next/server'\nimport type { NextRequest } from 'next/server'\n\n"
              "export async function middleware(req: NextRequest) {\n  const res = NextResponse.next()\n"
              "  await createMiddlewareClient({ req, res }).auth.getSession()\n  return res\n}\n\n"
              "export const config = {\n  matcher: MATCHER\n}\n")
OPEN_ROUTE = ("import OpenAI from 'openai';\nimport { NextRequest, NextResponse } from 'next/server';\n\n"
              "const openai = new OpenAI();\n\nexport async function POST(req: NextRequest) {\n"
              "  const { question } = await req.json();\n  const r = await openai.chat.completions.create({ model: "
              "'gpt-4o-mini', messages: [{ role: 'user', content: String(question).slice(0, 500) }] });\n"
              "  return NextResponse.json({ answer: r.choices[0].message.content });\n}\n")
CHECKED_ROUTE = ("import OpenAI from 'openai';\nimport { cookies } from 'next/headers';\n"
                 "import { createRouteHandlerClient } from '@supabase/auth-helpers-nextjs';\n"
                 "import { NextRequest, NextResponse } from 'next/server';\n\nconst openai = new OpenAI();\n\n"
                 "export async function POST(req: NextRequest) {\n"
                 "  const supabase = createRouteHandlerClient({ cookies });\n"
                 "  const { data: { user } } = await supabase.auth.getUser();\n"
                 "  if (!user) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });\n"
                 "  const { question } = await req.json();\n  const r = await openai.chat.completions.create({ model: "
                 "'gpt-4o-mini', messages: [{ role: 'user', content: String(question).slice(0, 500) }] });\n"
                 "  return NextResponse.json({ answer: r.choices[0].message.content });\n}\n")
AUTH0_MW = ('import { withMiddlewareAuthRequired } from "@auth0/nextjs-auth0/edge";\n\n'
            'export default withMiddlewareAuthRequired();\n\nexport const config = {\n  matcher: MATCHER,\n};\n')
ACCOUNT = "['/account/:path*']"
NO_API = '["/((?!api|_next/static|_next/image|favicon.ico).*)"]'
MATCHER_CASES = [
    # the matcher leaves /api out and the chat route checks no session: reported on the matcher line
    (SUPABASE_MW, ACCOUNT, (OPEN_ROUTE,), 16),
    (NEXTAUTH_MW, NO_API, (OPEN_ROUTE,), 4),
    (AUTH0_MW, ACCOUNT, (OPEN_ROUTE,), 6),
    # Auth0's middleware covers the API routes: they are authenticated
    (AUTH0_MW, "['/api/:path*']", (OPEN_ROUTE,), None),
    # the API routes check the session themselves
    (SUPABASE_MW, ACCOUNT, (CHECKED_ROUTE,), None),
    (NEXTAUTH_MW, NO_API, (CHECKED_ROUTE,), None),
    # another API route outside the matcher checks the session itself: the open one is left open on purpose
    (SUPABASE_MW, ACCOUNT, (OPEN_ROUTE, CHECKED_ROUTE), None),
    # the matcher covers /api
    (SUPABASE_MW, "['/account/:path*', '/api/:path*']", (OPEN_ROUTE,), None),
    # the middleware refuses nobody: no protection to miss (the route's own AUTH301 says it)
    (REFRESH_MW, ACCOUNT, (OPEN_ROUTE,), None),
]


@needs_semgrep
@pytest.mark.parametrize(("middleware", "matcher", "routes", "line"), MATCHER_CASES)
def test_middleware_matcher_leaving_out_open_api_routes(tmp_path: Path, middleware: str, matcher: str,
                                                        routes: tuple[str, ...], line: int | None) -> None:
    files = {"middleware.ts": middleware.replace("MATCHER", matcher),
             "app/account/page.tsx": "export default function Page() { return <main>Account</main>; }\n"}
    files.update({f"app/api/{name}/route.ts": text for name, text in zip(("ask", "history"), routes)})
    found = _scan(tmp_path, files, ("AUTH305",))
    assert found == set()  # one finding per hole: the route's own AUTH301 names the matcher
    notes = [f for f in _findings(tmp_path, files) if "matcher" in f.message]
    assert [(f.rule_id, f.location.path) for f in notes] == ([("AUTH301", "app/api/ask/route.ts")] if line else [])
    if line:
        assert f"line {line})" in notes[0].message
