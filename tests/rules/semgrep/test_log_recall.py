"""Logging recall on real chatbot shapes (JS/TS): the AI SDK's model callbacks logged (LOG402), a credential read
from the environment logged (LOG404), personal data handed to a helper in another module that logs its parameter
(LOG403). Each shape: examples that must be found and examples that must not."""

from __future__ import annotations

import pytest

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.logflow import request_value_logging


def _found(files: dict[str, str]) -> list[tuple[str, str, int]]:
    docs = [Doc.of(p, t) for p, t in files.items()]
    return sorted((f.rule_id, f.location.path, f.location.line) for f in request_value_logging(docs, []))


def _line_of(text: str, marker: str) -> int:
    return text[:text.index(marker)].count("\n") + 1


ROUTE = ("import { streamText, generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n\n"
         "export async function POST(req: Request) {\n  const { messages } = await req.json();\n")


# --- LOG402: the AI SDK's onFinish / onChunk / onStepFinish callbacks ------------------------------------------

@pytest.mark.parametrize(
    "body",
    [
        "  const result = streamText({\n    model: openai('gpt-4o'),\n    messages,\n"
        "    onFinish: async ({ text, response, usage }) => {\n      console.log(text); // LOG\n    },\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n    async onFinish({ text, usage }) {\n"
        "      console.log('AI response:', text); // LOG\n    },\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n"
        "    onFinish: (event) => console.log(event.text), // LOG\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n    onChunk({ chunk }) {\n"
        "      if (chunk.type === 'text-delta') console.log(chunk.textDelta); // LOG\n    },\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n    onStepFinish: async (step) => {\n"
        "      logger.info({ text: step.text }, 'step'); // LOG\n    },\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n    onFinish: async ({ response }) => {\n"
        "      console.log('onFinish', response.messages); // LOG\n    },\n  });\n",
        "  const res = await openai.chat.completions.create({ model: 'gpt-4', stream: true, messages });\n"
        "  const stream = OpenAIStream(res, {\n    onCompletion: async (completion: string) => {\n"
        "      console.log(`completion: ${completion}`); // LOG\n    },\n  });\n",
    ],
)
def test_model_callback_output_logged(body: str) -> None:
    text = ROUTE + body + "  return result.toDataStreamResponse();\n}\n"
    assert _found({"app/api/chat/route.ts": text}) == [("LOG402", "app/api/chat/route.ts", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "body",
    [
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n"
        "    onFinish: async ({ text, usage }) => {\n      console.log('usage', usage);\n    },\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n"
        "    async onFinish({ usage, finishReason }) {\n      console.log('finish', finishReason, usage.totalTokens);\n"
        "    },\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n"
        "    onFinish: (event) => console.log(event.usage, event.finishReason),\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n"
        "    onFinish: async ({ text }) => {\n      console.log('answer chars', text.length);\n    },\n  });\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages,\n"
        "    onFinish: () => {\n      console.log('Stream finished!');\n    },\n  });\n",
        "  const upload = createUploader({ onFinish: (file) => console.log(file) });\n"
        "  const result = streamText({ model: openai('gpt-4o'), messages });\n",
    ],
)
def test_model_callback_without_text_not_flagged(body: str) -> None:
    text = ROUTE + body + "  return result.toDataStreamResponse();\n}\n"
    assert _found({"app/api/chat/route.ts": text}) == []


def test_model_callback_in_browser_component_not_flagged() -> None:
    text = ("'use client';\nimport { useChat } from '@ai-sdk/react';\nimport { streamText } from 'ai';\n"
            "export function Chat() {\n  useChat({ onFinish: (message) => console.log(message) });\n}\n")
    assert _found({"components/chat.tsx": text}) == []


def test_generate_text_result_logged() -> None:
    text = ROUTE + ("  const result = await generateText({ model: openai('gpt-4o'), messages });\n"
                    "  console.log(result.usage.totalTokens);\n  console.log(result.text); // LOG\n"
                    "  return Response.json({ ok: true });\n}\n")
    assert _found({"app/api/chat/route.ts": text}) == [("LOG402", "app/api/chat/route.ts", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "body",
    [
        "  const result = streamText({ model: openai('gpt-4o'), messages });\n  console.log(await result.text); // LOG\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages });\n  const text = await result.text;\n"
        "  logger.info({ text }, 'answer'); // LOG\n",
        "  const result = streamText({ model: openai('gpt-4o'), messages });\n"
        "  for await (const part of result.textStream) {\n    console.log(part); // LOG\n  }\n",
    ],
)
def test_stream_text_result_logged_as_model_output(body: str) -> None:
    text = ROUTE + body + "  return result.toDataStreamResponse();\n}\n"
    assert _found({"app/api/chat/route.ts": text}) == [("LOG402", "app/api/chat/route.ts", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "line",
    ["console.log('usage', await result.usage);", "console.log('finish', await result.finishReason);",
     "console.log('done');"],
)
def test_stream_text_usage_not_flagged(line: str) -> None:
    text = ROUTE + ("  const result = streamText({ model: openai('gpt-4o'), messages });\n  " + line +
                    "\n  return result.toDataStreamResponse();\n}\n")
    assert _found({"app/api/chat/route.ts": text}) == []


# --- LOG404: a credential read from the environment ----------------------------------------------------------

MAILER = "const nodemailer = require('nodemailer');\n"


@pytest.mark.parametrize(
    "line",
    [
        "console.log(process.env.EMAIL_PASS);",
        "console.log('key', process.env.OPENAI_API_KEY);",
        "console.log('EMAIL_USER:', process.env.EMAIL_USER, 'EMAIL_PASS:', process.env.EMAIL_PASS);",
        "console.log(`🔐 Pass: ${process.env.GMAIL_PASS}`);",
        "logger.info({ secret: process.env['JWT_SECRET'] }, 'config');",
        "console.log('Nodemailer config:', { host: process.env.EMAIL_HOST, pass: process.env.SMTP_PASSWORD });",
        "console.log(process.env);",
        "console.log('MONGO_URI preview:', process.env.MONGO_URI.substring(0, 50) + '...');",
        "console.log('db', process.env.DATABASE_URL?.slice(0, 30));",
    ],
)
def test_env_credential_logged(line: str) -> None:
    text = MAILER + line + "\nmodule.exports = {};\n"
    assert _found({"config/email.js": text}) == [("LOG404", "config/email.js", 2)]


@pytest.mark.parametrize(
    "line",
    [
        "console.log('EMAIL_PASS:', process.env.EMAIL_PASS ? '****' : 'NOT SET');",
        "console.log('key set', !!process.env.OPENAI_API_KEY);",
        "console.log('key length', process.env.OPENAI_API_KEY.length);",
        "console.log('port', process.env.PORT, process.env.NODE_ENV, process.env.MODEL_NAME);",
        "console.log('EMAIL_USER:', process.env.EMAIL_USER);",
        "console.log('has key', Boolean(process.env.ANTHROPIC_API_KEY));",
        "console.log(`key: ${process.env.OPENAI_API_KEY ? 'set' : 'missing'}`);",
        "console.log('anon', process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY);",
        "console.log('expires', process.env.JWT_EXPIRES_IN, process.env.TOKEN_LIMIT);",
        "console.log('key tail', process.env.OPENAI_API_KEY.slice(-4));",
        "console.log('env keys', Object.keys(process.env));",
        "console.log('db scheme', process.env.DATABASE_URL.slice(0, 11));",
        "console.log('ENV CHECK', { hasKey: !!process.env.OPENROUTER_API_KEY, "
        "prefix: process.env.OPENROUTER_API_KEY?.slice(0, 8), len: process.env.OPENROUTER_API_KEY?.length });",
    ],
)
def test_env_credential_check_not_flagged(line: str) -> None:
    text = MAILER + line + "\nmodule.exports = {};\n"
    assert _found({"config/email.js": text}) == []


def test_env_credential_bound_to_a_name() -> None:
    text = ("const express = require('express');\nconst apiKey = process.env.OPENAI_API_KEY;\n"
            "const { SMTP_PASS: smtpPass, SMTP_HOST } = process.env;\nconsole.log('host', SMTP_HOST);\n"
            "console.log('using key', apiKey); // LOG\nconsole.log(`smtp ${smtpPass}`); // LOG\n"
            "console.log('key set', !!apiKey);\n")
    found = _found({"server.js": text})
    assert found == [("LOG404", "server.js", 5), ("LOG404", "server.js", 6)]


def test_env_credential_in_browser_module_not_flagged() -> None:
    text = "'use client';\nexport function A() {\n  console.log(process.env.NEXT_PUBLIC_KEY_SECRET);\n}\n"
    assert _found({"components/a.tsx": text}) == []


# --- LOG403: personal data handed to a helper in another module -----------------------------------------------

ROUTE_JS = "const express = require('express');\nconst router = express.Router();\n"


@pytest.mark.parametrize(
    ("route", "helper", "marker"),
    [
        (ROUTE_JS + "const { sendWelcomeEmail } = require('../utils/mailer');\n"
         "router.post('/signup', async (req, res) => {\n  const user = await User.create(req.body);\n"
         "  await sendWelcomeEmail(user.email);\n  res.json({ ok: true });\n});\n",
         "async function sendWelcomeEmail(to) {\n  console.log('sending to', to); // LOG\n}\n"
         "module.exports = { sendWelcomeEmail };\n", "// LOG"),
        (ROUTE_JS + "const sendEmail = require('../utils/sendEmail');\n"
         "router.post('/forgot', async (req, res) => {\n  const user = await User.findOne({ id: req.body.id });\n"
         "  await sendEmail({ to: user.email, subject: 'Reset', text: 'x' });\n});\n",
         "module.exports = async function sendEmail({ to, subject, text }) {\n"
         "  console.log(`Sending email to ${to} — subject: ${subject}`); // LOG\n};\n", "// LOG"),
        (ROUTE_JS + "import { logActivity } from '../utils/activity';\n"
         "router.get('/me', async (req, res) => {\n  await logActivity(req.user, 'viewed profile');\n});\n",
         "export function logActivity(u, what) {\n  logger.info({ who: u, what }, 'activity'); // LOG\n}\n", "// LOG"),
        (ROUTE_JS + "import * as mailer from '../utils/mailer';\n"
         "router.post('/invite', async (req, res) => {\n  await mailer.sendInvite(req.body.email, req.body.team);\n"
         "});\n",
         "export const sendInvite = async (address, team) => {\n  console.log('[mail] invite', address, team); // LOG\n"
         "};\n", "// LOG"),
    ],
)
def test_pii_handed_to_helper_logged(route: str, helper: str, marker: str) -> None:
    found = _found({"routes/auth.js": route, "utils/" + _helper_file(route): helper})
    assert found == [("LOG403", "utils/" + _helper_file(route), _line_of(helper, marker))]


def _helper_file(route: str) -> str:
    for name in ("mailer", "sendEmail", "activity"):
        if f"utils/{name}'" in route:
            return name + ".js"
    raise AssertionError(route)


@pytest.mark.parametrize(
    ("route", "helper"),
    [
        (ROUTE_JS + "const { sendWelcomeEmail } = require('../utils/mailer');\n"
         "router.post('/signup', async (req, res) => {\n  await sendWelcomeEmail(user.email);\n});\n",
         "async function sendWelcomeEmail(to) {\n  console.log('sending welcome mail at', Date.now());\n}\n"
         "module.exports = { sendWelcomeEmail };\n"),
        (ROUTE_JS + "const { sendWelcomeEmail } = require('../utils/mailer');\n"
         "router.post('/signup', async (req, res) => {\n  await sendWelcomeEmail(user.id, 'welcome');\n});\n",
         "async function sendWelcomeEmail(id, template) {\n  console.log('sending', template, 'to', id);\n}\n"
         "module.exports = { sendWelcomeEmail };\n"),
        (ROUTE_JS + "const sendEmail = require('../utils/sendEmail');\n"
         "router.post('/forgot', async (req, res) => {\n  await sendEmail({ to: user.email, subject: 'Reset' });\n"
         "});\n",
         "module.exports = async function sendEmail({ to, subject }) {\n  const info = await transporter.sendMail({ to, "
         "subject });\n  console.log('Mail sent:', info.messageId, subject);\n};\n"),
        (ROUTE_JS + "import { logActivity } from '../utils/activity';\n"
         "router.get('/me', async (req, res) => {\n  await logActivity(req.user, 'viewed profile');\n});\n",
         "export function logActivity(u, what) {\n  logger.info({ userId: u.id, what }, 'activity');\n}\n"),
    ],
)
def test_pii_handed_to_helper_not_logged(route: str, helper: str) -> None:
    assert _found({"routes/auth.js": route, "utils/" + _helper_file(route): helper}) == []


def test_pii_handed_from_browser_component_not_flagged() -> None:
    page = ("'use client';\nimport { track } from '../lib/track';\nexport function Page({ user }) {\n"
            "  track(user.email);\n}\n")
    helper = "export function track(who) {\n  console.log('track', who);\n}\n"
    assert _found({"app/page.tsx": page, "lib/track.js": helper}) == []


@pytest.mark.parametrize(("body", "found"), [
    # a request URL built around a key from the app's env object, logged whole (set 16 InfoPlus)
    ("  const weatherKey = env.OPENWEATHER_API_KEY;\n"
     "  const url = `https://api.example.com/weather?q=${city}&appid=${weatherKey}`;\n"
     "  logger.info('Weather API URL:', url);\n", True),
    ("  const url = `https://api.example.com/weather?q=${city}&appid=${process.env.OPENWEATHER_API_KEY}`;\n"
     "  console.log(url);\n", True),
    # the key masked before it is logged
    ("  const stockKey = env.EODHD_API_TOKEN;\n"
     "  const url = `https://api.example.com/rt/${pair}?api_token=${stockKey}`;\n"
     "  logger.info('Stock URL:', url.replace(stockKey, '***'));\n", False),
    ("  const url = `https://api.example.com/weather?q=${city}&units=${env.UNITS}`;\n  console.log(url);\n", False),
])
def test_env_credential_inside_a_logged_url(body: str, found: bool) -> None:
    text = ("import axios from 'axios';\nimport { env } from '../env.js';\nimport { logger } from '../utils/logger.js';\n"
            "\nexport async function getWeather(city: string) {\n" + body + "  return axios.get('x');\n}\n")
    hits = [f for f in _found({"src/services/weather.service.ts": text}) if f[0] == "LOG404"]
    assert bool(hits) == found
