"""JS/TS logging data flow met on real AI-chatbot repositories (issue 12): model results and a model WebSocket's
messages logged (LOG402), a prompt-named parameter followed into a payload object in a helper (LOG401), an axios
error logged whole after a request that sent an Authorization header (LOG404), and names followed only inside
the block that declares them. Each shape: five that must be found, five that must not."""

from __future__ import annotations

import pytest

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.logflow import blank_js, request_value_logging

EXPRESS = "const express = require('express');\nconst router = express.Router();\n"
V3 = "const { Configuration, OpenAIApi } = require('openai');\nconst openai = new OpenAIApi(new Configuration({}));\n"


def _found(path: str, text: str) -> list[tuple[str, int]]:
    return sorted((f.rule_id, f.location.line) for f in request_value_logging([Doc.of(path, text)], []))


def _line_of(text: str, marker: str) -> int:
    return text[:text.index(marker)].count("\n") + 1


# --- LOG402: the result of an awaited model call --------------------------------------------------------------

@pytest.mark.parametrize(
    "body",
    [
        "  const response = await openai.createCompletion({ model: 'x', prompt: req.body.q });\n"
        "  console.log('response: ', response.data); // LOG\n",
        "  const completion = await openai.chat.completions.create({ model: 'x', messages });\n"
        "  const out = completion.choices[0].message;\n  logger.info({ out }); // LOG\n",
        "  const r = await axios.post('https://api.openai.com/v1/chat/completions', body, { headers });\n"
        "  console.log(r.data.choices); // LOG\n",
        "  const { text } = await generateText({ model, prompt: 'hi' });\n  console.info(`answer ${text}`); // LOG\n",
        "  const res2 = await anthropic.messages.create({ model: 'x', max_tokens: 5, messages: [] });\n"
        "  console.log(\n    'reply',\n    JSON.stringify(res2.content, null, 2), // LOG\n  );\n",
        "  const result = await generateObject({ model, schema, prompt: 'pick' });\n"
        "  const { selectedOption, reasoning } = result.object;\n"
        "  console.log(`selected ${selectedOption}: ${reasoning}`); // LOG\n",
        # a streamed answer held as ``stream`` (a request option's name): its chunks are the answer (set 15)
        "  const stream = await openai.chat.completions.create({ model: 'x', messages, stream: true });\n"
        "  for await (const chunk of stream) {\n    console.log(chunk); // LOG\n  }\n",
        # each element of the answer's messages, in a callback (set 16 yapAI)
        "  const result = await generateText({ model, prompt: 'hi' });\n"
        "  result.response.messages.map((m) => {\n    console.log('M', m); // LOG\n    return m;\n  });\n",
        # what a function of this module returns: the model's answer (set 16 superfier)
        "  const summary = await summarize('notes');\n  console.log('Summary:', summary); // LOG\n",
    ],
)
def test_model_call_result_logged(body: str) -> None:
    helper = ("async function summarize(notes) {\n"
              "  const r = await generateText({ model, prompt: notes });\n  return r.text;\n}\n\n")
    text = EXPRESS + (helper if "summarize(" in body else "") + \
        "router.post('/chat', async (req, res) => {\n" + body + "});\n"
    line = _line_of(text, "// LOG")
    if "console.log(\n" in body:
        line = _line_of(text, "console.log(\n")
    assert _found("routes/chat.js", text) == [("LOG402", line)]


@pytest.mark.parametrize(
    "body",
    [
        "  const response = await openai.createCompletion({ model: 'x', prompt: 'hi' });\n"
        "  console.log('status', response.status);\n",
        "  const completion = await openai.chat.completions.create({ model: 'x', messages: [] });\n"
        "  console.log('tokens', completion.usage.total_tokens);\n",
        "  const r = await axios.post('https://api.openai.com/v1/chat/completions', {}, {});\n"
        "  console.log(r.data.choices.length);\n",
        "  const rows = await db.query('select 1');\n  console.log(rows);\n",
        "  const completion = await openai.chat.completions.create({ model: 'x', messages: [] });\n"
        "  console.log('model', completion.model, completion.id);\n",
        # ``stream`` as the request option stays no content
        "  const { stream, model } = req.body;\n  console.log('stream?', stream, model);\n"
        "  const reply = await openai.chat.completions.create({ model, messages: [], stream });\n",
    ],
)
def test_model_call_metadata_is_not_output(body: str) -> None:
    text = EXPRESS + "router.post('/chat', async (req, res) => {\n" + body + "});\n"
    assert _found("routes/chat.js", text) == []


# --- LOG402: what a model's WebSocket sends ----------------------------------------------------------------------

WS_HEAD = ("import { createServer } from 'http';\nimport { WebSocket } from 'ws';\n"
           "const URL = 'wss://api.openai.com/v1/realtime?model=x';\n")


@pytest.mark.parametrize(
    ("socket", "handler"),
    [
        ("new WebSocket(URL, { headers })",
         "upstream.on('message', (data) => {\n  const msg = JSON.parse(data.toString());\n"
         "  console.log('msg', msg); // LOG\n});\n"),
        ("new WebSocket('wss://api.openai.com/v1/realtime', { headers })",
         "upstream.on('message', (data) => {\n  const msg = JSON.parse(data.toString());\n"
         "  if (msg.type === 'x') {\n    const { call_id, arguments: argsString } = msg;\n"
         "    console.log('Tool call', argsString); // LOG\n  }\n});\n"),
        ("new WebSocket(URL)",
         "upstream.onmessage = (event) => {\n  console.log(event.data); // LOG\n};\n"),
        ("new WebSocket(URL)",
         "upstream.addEventListener('message', async (ev) => {\n  const parsed = JSON.parse(ev.data);\n"
         "  logger.debug({ parsed }); // LOG\n});\n"),
        ("new WebSocket(URL)",
         "upstream.on('message', function (raw) {\n  const s = raw.toString();\n"
         "  console.log(JSON.stringify(JSON.parse(s).response, null, 2)); // LOG\n});\n"),
    ],
)
def test_model_socket_message_logged(socket: str, handler: str) -> None:
    text = WS_HEAD + f"const upstream = {socket};\n" + handler
    assert _found("server.ts", text) == [("LOG402", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    ("socket", "handler"),
    [
        ("new WebSocket(URL)", "upstream.on('message', (data) => {\n  const msg = JSON.parse(data.toString());\n"
                               "  console.log('OpenAI message:', msg.type);\n});\n"),
        ("new WebSocket(URL)", "upstream.on('message', (data) => {\n  console.log('bytes', data.length);\n});\n"),
        ("new WebSocket('ws://localhost:9000')", "upstream.on('message', (data) => {\n  console.log(data);\n});\n"),
        ("new WebSocket(URL)", "upstream.on('close', (code, reason) => {\n  console.log(code, reason);\n});\n"),
        ("new WebSocket(URL)", "upstream.on('message', (data) => {\n  const msg = JSON.parse(data.toString());\n"
                               "  console.error('error', JSON.stringify(msg.error));\n});\n"),
    ],
)
def test_model_socket_metadata_or_other_socket_is_not(socket: str, handler: str) -> None:
    assert _found("server.ts", WS_HEAD + f"const upstream = {socket};\n" + handler) == []


# --- LOG401: a prompt-named parameter followed into a payload in a helper ------------------------------------------

HELPER_HEAD = "import OpenAI from 'openai';\nconst client = new OpenAI();\n"


@pytest.mark.parametrize(
    "fn",
    [
        "export async function ask(prompt) {\n  const payload = {\n    model: 'x',\n"
        "    messages: [{ role: 'user', content: prompt }],\n  };\n  console.log('payload', payload); // LOG\n"
        "  return client.chat.completions.create(payload);\n}\n",
        "export const ask = async (messages, opts) => {\n  const body = { model: 'x', messages };\n"
        "  logger.debug(body); // LOG\n  return client.chat.completions.create(body);\n};\n",
        "export async function ask({ question }) {\n  const input = `Q: ${question}`;\n"
        "  console.info(input); // LOG\n  return client.responses.create({ model: 'x', input });\n}\n",
        "export class Bot {\n  async reply(userMessage: string): Promise<string> {\n    const msgs = [{ role: 'user', "
        "content: userMessage }];\n    console.log(JSON.stringify(msgs)); // LOG\n"
        "    return (await client.chat.completions.create({ model: 'x', messages: msgs })).id;\n  }\n}\n",
        "export async function ask(prompt: string) {\n  const req = {\n    model: 'x',\n    input: prompt\n  };\n"
        "  console.log(`sending ${JSON.stringify(req)}`); // LOG\n  return client.responses.create(req);\n}\n",
    ],
)
def test_prompt_parameter_in_a_payload_logged(fn: str) -> None:
    text = HELPER_HEAD + fn
    assert _found("lib/ai.ts", text) == [("LOG401", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "fn",
    [
        "export async function ask(prompt) {\n"
        "  const payload = { model: 'x', messages: [{ role: 'user', content: prompt }] };\n"
        "  console.log('payload size', payload.messages.length);\n"
        "  return client.chat.completions.create(payload);\n}\n",
        "export async function ask(prompt) {\n  console.log('prompt chars', prompt.length);\n"
        "  return client.chat.completions.create({ model: 'x', messages: [] });\n}\n",
        "export async function ask(options) {\n  const payload = { model: options.model };\n  console.log(payload);\n"
        "  return client.chat.completions.create(payload);\n}\n",
        "export async function ask(prompt) {\n"
        "  return client.chat.completions.create({ model: 'x', messages: [] });\n}\n"
        "export function other(x) {\n  const payload = { x };\n  console.log(payload);\n}\n",
        "export async function ask(prompt) {\n  const isLong = prompt.includes('long');\n  console.log(isLong);\n"
        "  return client.chat.completions.create({ model: 'x', messages: [] });\n}\n",
    ],
)
def test_prompt_parameter_not_logged(fn: str) -> None:
    assert _found("lib/ai.ts", HELPER_HEAD + fn) == []


# --- LOG404: an axios error logged whole after a request with an auth header ---------------------------------------

@pytest.mark.parametrize(
    ("head", "body"),
    [
        (V3, "  try {\n    const r = await openai.createChatCompletion({ model: 'x', messages });\n"
             "    res.json(r.data);\n  } catch (error) {\n    console.log(error); // LOG\n  }\n"),
        (V3, "  try {\n    await openai.createCompletion({ model: 'x', prompt: 'p' });\n"
             "  } catch (err) {\n    console.error('Chat completion error:', err); // LOG\n"
             "    res.sendStatus(500);\n  }\n"),
        ("const axios = require('axios');\n",
         "  const headers = { Authorization: `Bearer ${process.env.KEY}` };\n  try {\n"
         "    await axios.post('https://example.com/v1', {}, { headers });\n  } catch (e) {\n"
         "    console.log(e.response); // LOG\n  }\n"),
        ("const axios = require('axios');\n",
         "  axios.get('https://example.com/me', { headers: { 'x-api-key': process.env.KEY } })\n"
         "    .then((r) => res.json(r.data))\n    .catch((e) => console.error(e)); // LOG\n"),
        ("const axios = require('axios');\nconst api = axios.create({ headers: { Authorization: 'Bearer ' + k } });\n",
         "  try {\n    await api.post('/x', {});\n  } catch (error) {\n    logger.error({ error }); // LOG\n  }\n"),
    ],
)
def test_axios_error_with_auth_header_logged(head: str, body: str) -> None:
    text = EXPRESS + head + "router.post('/chat', async (req, res) => {\n" + body + "});\n"
    assert _found("routes/chat.js", text) == [("LOG404", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (V3, "  try {\n    await openai.createChatCompletion({ model: 'x', messages });\n"
             "  } catch (error) {\n    console.log(error.message);\n  }\n"),
        ("const axios = require('axios');\n",
         "  const headers = { Authorization: `Bearer ${process.env.KEY}` };\n  try {\n"
         "    await axios.post('https://example.com/v1', {}, { headers });\n  } catch (e) {\n"
         "    console.log(e.response?.data, e.response?.status);\n  }\n"),
        ("const axios = require('axios');\n",
         "  try {\n    await axios.get('https://example.com/public');\n  } catch (e) {\n    console.error(e);\n  }\n"),
        ("import OpenAI from 'openai';\nconst openai = new OpenAI();\n",
         "  try {\n    await openai.chat.completions.create({ model: 'x', messages });\n"
         "  } catch (error) {\n    console.error(error);\n  }\n"),
        ("",
         "  try {\n    await User.create(req.body);\n  } catch (err) {\n    console.log(err);\n  }\n"),
    ],
)
def test_other_errors_are_not_credentials(head: str, body: str) -> None:
    text = EXPRESS + head + "router.post('/chat', async (req, res) => {\n" + body + "});\n"
    assert _found("routes/chat.js", text) == []


EDGE = "import { Configuration, OpenAIApi } from 'openai-edge';\nconst openai = new OpenAIApi(new Configuration({}));\n"
V3_ESM = "import { Configuration, OpenAIApi } from 'openai';\nconst openai = new OpenAIApi(new Configuration({}));\n"
CAUGHT = ("  try {\n    const r = await openai.createChatCompletion({ model: 'x', messages, stream: true });\n"
          "    return new Response(r.body);\n  } catch (error) {\n    console.log(error); // LOG\n  }\n")


def test_openai_v3_esm_error_logged() -> None:
    text = V3_ESM + "export async function POST(req) {\n  const { messages } = await req.json();\n" + CAUGHT + "}\n"
    assert _found("app/api/chat/route.ts", text) == [("LOG404", _line_of(text, "// LOG"))]


def test_openai_edge_error_is_not_a_credential() -> None:
    """openai-edge has the v3 names but calls fetch: its error carries no request config or headers."""
    text = EDGE + "export async function POST(req) {\n  const { messages } = await req.json();\n" + CAUGHT + "}\n"
    assert _found("app/api/chat/route.ts", text) == []


def test_openai_edge_client_from_a_project_module_is_not_a_credential() -> None:
    lib = EDGE.replace("const openai", "export const openai")
    route = ("import { openai } from '@/lib/openai';\n\nexport async function POST(req) {\n"
             "  const { messages } = await req.json();\n" + CAUGHT + "}\n")
    docs = [Doc.of("lib/openai.ts", lib), Doc.of("app/api/chat/route.ts", route)]
    assert request_value_logging(docs, []) == []
    # the same route with an axios-based v3 client built in the project module is reported
    docs = [Doc.of("lib/openai.ts", V3_ESM.replace("const openai", "export const openai")),
            Doc.of("app/api/chat/route.ts", route)]
    assert [(f.rule_id, f.location.line) for f in request_value_logging(docs, [])] == \
        [("LOG404", _line_of(route, "// LOG"))]


# --- scopes: a name is followed only inside the block that declares it ---------------------------------------------

ROUTE = "import { NextRequest } from 'next/server';\n"
TAIL = "  const r = streamText({ model, messages: [] });\n  return r.toDataStreamResponse();\n}\n"


@pytest.mark.parametrize(
    "body",
    [
        "export async function POST(req: NextRequest) {\n  const { content } = await req.json();\n"
        "  if (content) {\n    console.log(content); // LOG\n  }\n" + TAIL,
        "export async function POST(req: NextRequest) {\n  let text;\n  if (true) {\n"
        "    text = (await req.json()).text;\n  }\n  console.log(text); // LOG\n" + TAIL,
        "export async function POST(req: NextRequest) {\n  const body = await req.json();\n"
        "  const payload = {\n    model: 'x',\n    input: body.input,\n  };\n  console.log(payload); // LOG\n" + TAIL,
        "export async function POST(req: NextRequest) {\n  const { history } = await req.json();\n"
        "  for (const turn of history) {\n    console.log(turn); // LOG\n  }\n" + TAIL,
        "export async function POST(req: NextRequest) {\n  const { input } = await req.json();\n"
        "  const log = () => {\n    console.log(input); // LOG\n  };\n  log();\n" + TAIL,
    ],
)
def test_request_value_logged_in_its_scope(body: str) -> None:
    text = ROUTE + body
    assert _found("app/api/chat/route.ts", text) == [("LOG401", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "body",
    [
        "export async function POST(req: NextRequest) {\n  const { content } = await req.json();\n" + TAIL +
        "export async function GET() {\n  const content = 'static';\n  console.log(content);\n}\n",
        "export async function POST(req: NextRequest) {\n  const { text } = await req.json();\n" + TAIL +
        "function helper(text) {\n  console.log(text);\n}\n",
        "export async function POST(req: NextRequest) {\n  if (true) {\n    const { input } = await req.json();\n"
        "  }\n  const input = 'x';\n  console.log(input);\n" + TAIL,
        "export async function POST(req: NextRequest) {\n  const { content } = await req.json();\n"
        "  console.log('has content', content.includes('x'));\n" + TAIL,
        "export async function POST(req: NextRequest) {\n  // const { q } = await req.json(); console.log(q);\n"
        "  const note = 'const q = req.body';\n  console.log(note);\n" + TAIL,
    ],
)
def test_request_value_out_of_scope_is_not(body: str) -> None:
    assert _found("app/api/chat/route.ts", ROUTE + body) == []


def test_blank_js_keeps_positions_and_interpolations() -> None:
    text = "const a = 'x{y'; // c {\nconst b = `t ${a} {`; /* { */\n"
    code = blank_js(text)
    assert len(code) == len(text) and code.count("\n") == text.count("\n")
    assert "{" not in code.replace("${a}", "")
    assert "${a}" in code


# --- the answer of a function of this module called with a tainted value ------------------------------------------

LOCAL = "async function runTool(x) {\n  return { ok: true, x };\n}\nconst norm = async (t) => t.trim();\n"


@pytest.mark.parametrize(
    "body",
    [
        "  const { content } = await req.json();\n  const out = await runTool(content);\n  console.log(out); // LOG\n",
        "  const { text } = await req.json();\n  const clean = await norm(text);\n  logger.info({ clean }); // LOG\n",
        "  const body = await req.json();\n  const r = await runTool(body.input);\n  console.log(`tool ${r}`); // LOG\n",
        "  const { question } = await req.json();\n  const q2 = await norm(await norm(question));\n"
        "  console.info(q2); // LOG\n",
        "  const { input } = await req.json();\n  const res1 = await runTool({ input });\n"
        "  console.log(JSON.stringify(res1)); // LOG\n",
    ],
)
def test_local_function_answer_carries_its_argument(body: str) -> None:
    text = ROUTE + LOCAL + "export async function POST(req: NextRequest) {\n" + body + TAIL
    assert _found("app/api/chat/route.ts", text) == [("LOG401", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "body",
    [
        "  const { content } = await req.json();\n  const out = await ask(content);\n  console.log(out);\n",
        "  const { chatId } = await req.json();\n  const out = await runTool(chatId);\n  console.log(out);\n",
        "  const { content } = await req.json();\n  const out = await runTool(content.length);\n  console.log(out);\n",
        "  const { content } = await req.json();\n  const out = await db.find(await norm(content));\n  console.log(out);\n",
        "  const { content } = await req.json();\n  const out = await runTool(content);\n  console.log(out.ok);\n",
    ],
)
def test_other_awaited_answers_are_not(body: str) -> None:
    text = ROUTE + LOCAL + "export async function POST(req: NextRequest) {\n" + body + TAIL
    assert _found("app/api/chat/route.ts", text) == []


# --- LOG402: a verdict read off a parsed model answer is a label, not what the model wrote ------------------------

PARSED = ("  const completion = await openai.chat.completions.create({ model: 'x', messages: [] });\n"
          "  const analysis = JSON.parse(completion.choices[0].message.content);\n")


@pytest.mark.parametrize("field", ["risk_level", "sentiment", "score", "category", "confidence"])
def test_model_verdict_field_is_not_output(field: str) -> None:
    text = (EXPRESS + "router.post('/analyse', async (req, res) => {\n" + PARSED
            + f"  console.warn(`Invalid {field}: ${{analysis.{field}}}`);\n" + "});\n")
    assert _found("routes/analyse.js", text) == []


@pytest.mark.parametrize("field", ["summary", "reply", "text", "advice", "content"])
def test_model_written_field_is_output(field: str) -> None:
    text = (EXPRESS + "router.post('/analyse', async (req, res) => {\n" + PARSED
            + f"  console.warn(`{field}: ${{analysis.{field}}}`); // LOG\n" + "});\n")
    assert _found("routes/analyse.js", text) == [("LOG402", _line_of(text, "// LOG"))]


_RECORD_ROUTE = ('import { prisma } from "@/lib/db";\n\nexport async function GET(req: Request) {\n'
                 '  const user = await prisma.user.findUnique({ where: { id: "1" } });\n'
                 '  {log}\n  return Response.json({ ok: true });\n}\n')


@pytest.mark.parametrize(("log", "found"), [
    ("console.log('user', user);", [("LOG403", 5)]),
    ("// console.log('user', user);", []),
    ("/* console.log(user); */", []),
    ("console.log('user', 'user');", []),
    ("console.log(`user ${'x'}`);", []),
])
def test_a_logged_record_counts_only_in_code(log: str, found: list[tuple[str, int]]) -> None:
    assert _found("app/api/me/route.ts", _RECORD_ROUTE.replace("{log}", log)) == found


_SAVED_ANSWER = '''import { GoogleGenerativeAI } from "@google/generative-ai";
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);

export async function POST(req: Request) {
  const { prompt } = await req.json();
  const model = genAI.getGenerativeModel({ model: "gemini-2.0-flash" });
  const result = await model.generateContent(prompt);
  const answer = result.response.text();
  const { error: dbError } = await supabase
    .from("chats")
    .insert({ question: prompt, answer });
  const saved = await db
    .insert(chats).values({ answer });
  {log}
  return Response.json({ answer });
}
'''


@pytest.mark.parametrize(("log", "found"), [
    ("console.log(answer);", [("LOG402", 14)]),
    ("console.error('DB error:', dbError);", []),
    ("console.log(saved);", []),
])
def test_what_a_database_call_answers_is_not_the_model_output_it_stored(log: str, found: list[tuple[str, int]]) -> None:
    assert _found("app/api/chat/route.ts", _SAVED_ANSWER.replace("{log}", log)) == found


@pytest.mark.parametrize(("path", "found"), [
    ("backend/prisma/seed.js", []),  # a seed script run by hand: its output is the developer's terminal
    ("backend/src/seeders/users.js", []),
    ("backend/src/services/users.js", [("LOG403", 5)]),
])
def test_a_seed_script_is_no_server_log(path: str, found: list[tuple[str, int]]) -> None:
    text = ('const { PrismaClient } = require("@prisma/client");\nconst prisma = new PrismaClient();\n\n'
            'async function main() {\n  const user = await prisma.user.create({ data: { email: "a@b.c" } }); console.log(user);\n'
            '}\nmodule.exports = { main };\n')
    assert _found(path, text) == found


@pytest.mark.parametrize(("body", "found"), [
    # a chat's stored history read from the database and logged whole (set 16 superfier)
    ("  const chat = await prisma.chat.findUnique({ where: { id, userId } });\n"
     "  const all = (chat.messages as Message[]) || [];\n  console.log('All messages:', all); // LOG\n", True),
    ("  const chat = await prisma.chat.findUnique({ where: { id, userId } });\n"
     "  const count = chat.messages.length;\n  console.log('messages:', count);\n", False),
    # a request's own messages, with only their roles logged
    ("  const { messages } = req.body;\n  messages.map((m) => console.log(m.role));\n", False),
])
def test_stored_chat_history_logged(body: str, found: bool) -> None:
    text = EXPRESS + "router.post('/chat/:id', async (req, res) => {\n  const { id } = req.params;\n" + body + \
        "  const reply = await openai.chat.completions.create({ model: 'x', messages: [] });\n});\n"
    expected = [("LOG401", _line_of(text, "// LOG"))] if found else []
    assert [f for f in _found("routes/chat.js", text) if f[0] == "LOG401"] == expected


# --- LOG403: records read with Drizzle, parameters typed with personal fields, database modules (set 20) ------

_CONTACTS = '''import { db } from "@/lib/db/index"
import { emergencyContacts, settings } from "@/lib/db/schema"
import { eq } from "drizzle-orm"

export async function getContact(userId: string) {
  const contacts = await db.select().from(emergencyContacts).where(eq(emergencyContacts.userId, userId))
  const prefs = await db.select().from(settings).where(eq(settings.userId, userId))
  {log}
  return contacts[0]
}

export async function saveContact(data: {
  userId: string
  name: string
  email: string
}) {
  {log2}
  return data.userId
}

export async function other() {
  const data = await fetch("https://example.com").then((r) => r.json())
  {log3}
}
'''


@pytest.mark.parametrize(("log", "log2", "log3", "found"), [
    ("console.log('Found contacts:', contacts)", "", "", [("LOG403", 8)]),
    ("console.log('Found', contacts.length)", "", "", []),
    ("console.log('prefs', prefs)", "", "", []),
    ("", "console.log('Saving contact:', data)", "", [("LOG403", 17)]),
    ("", "console.log('Saving contact for', data.userId)", "", []),
    ("", "", "console.log(data)", []),
])
def test_drizzle_records_and_typed_parameters(log: str, log2: str, log3: str, found: list[tuple[str, int]]) -> None:
    text = _CONTACTS.replace("{log3}", log3).replace("{log2}", log2).replace("{log}", log)
    assert _found("lib/db-utils.ts", text) == found


@pytest.mark.parametrize(("head", "found"), [
    ('import { eq } from "drizzle-orm"\n', [("LOG403", 4)]),
    ('import { PrismaClient } from "@prisma/client"\n', [("LOG403", 4)]),
    ('const mongoose = require("mongoose")\n', [("LOG403", 4)]),
    ('import type { User } from "@prisma/client"\n', []),  # types only: nothing says it runs on the server
    ('"use client"\nimport { eq } from "drizzle-orm"\n', []),
])
def test_a_module_importing_a_database_client_is_server_code(head: str, found: list[tuple[str, int]]) -> None:
    text = head + "export async function find(id: string) {\n  const user = await db.user.findFirst({ where: { id } })\n" \
        "  console.log(user)\n  return user\n}\n"
    shift = head.count("\n") - 1
    assert _found("lib/users.ts", text) == [(code, line + shift) for code, line in found]
