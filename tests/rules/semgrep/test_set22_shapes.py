"""Shapes found on held-out set 22 after it was measured: a client of an unofficial wrapper package (``gemini-ai``'s
``new Gemini(key).ask(text)``, ``chatgpt``'s ``ChatGPTAPI.sendMessage``) runs the model (LR601, LR602); a
NextAuth sample route that only reads the caller's session and answers a fixed text either way protects nothing
(no AUTH303), while one that spends a key with the same session read is still reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

EXPRESS = '{"type": "module", "dependencies": {"express": "4.19.0", "gemini-ai": "2.2.1", "chatgpt": "5.2.5"}}\n'
WRAPPERS = {
    "server/app.js": (
        'import express from "express";\nimport Gemini from "gemini-ai";\nimport { ask } from "./gpt.js";\n\n'
        "const app = express();\napp.use(express.json());\n\n"
        'app.post("/ask", async (req, res) => {  // expect: LR601\n'
        "  const text = req.body.text;\n  const gemini = new Gemini(process.env.GEMINI_API_KEY);\n"
        "  const response = await gemini.ask(text);  // expect: LR602\n  res.json(response);\n});\n\n"
        'app.post("/gpt", ask);  // expect: LR601\n\n'
        'app.post("/bounded", async (req, res) => {  // expect: LR601\n'
        "  const text = String(req.body.text).slice(0, 2000);\n"
        "  const gemini = new Gemini(process.env.GEMINI_API_KEY);\n  res.json(await gemini.ask(text));\n});\n\n"
        "app.listen(3000);\n"),
    "server/gpt.js": (
        'import { ChatGPTAPI } from "chatgpt";\n\n'
        "export async function ask(req, res) {\n  const api = new ChatGPTAPI({ apiKey: process.env.OPENAI_API_KEY });\n"
        "  const reply = await api.sendMessage(req.body.message);  // expect: LR602\n  res.json(reply.text);\n}\n"),
}
#: ``ask`` on an object of another package is no model call.
NOT_A_MODEL = {
    "server/app.js": (
        'import express from "express";\nimport Survey from "survey-kit";\n\nconst app = express();\n\n'
        'app.post("/ask", async (req, res) => {\n  const survey = new Survey(process.env.SURVEY_KEY);\n'
        "  res.json(await survey.ask(req.body.text));\n});\n\napp.listen(3000);\n"),
}


@needs_semgrep
def test_wrapper_package_clients_run_the_model(tmp_path: Path) -> None:
    found = scan_project(tmp_path, WRAPPERS, ("LR601", "LR602"), EXPRESS)
    assert found == marked(WRAPPERS)


@needs_semgrep
def test_ask_on_another_package_is_no_model_call(tmp_path: Path) -> None:
    assert scan_project(tmp_path, NOT_A_MODEL, ("LR601", "LR602", "AUTH301"), EXPRESS) == set()


NEXT = '{"dependencies": {"next": "15.0.0", "next-auth": "4.24.0"}}\n'
AUTH_OPTIONS = ('import GoogleProvider from "next-auth/providers/google";\n\n'
                "export const authOptions = { providers: [GoogleProvider({ clientId: process.env.GOOGLE_ID, "
                "clientSecret: process.env.GOOGLE_SECRET })] };\n"
                'export default function handler(req, res) { res.end(); }\n')
SESSION_ONLY = {
    "pages/api/auth/[...nextauth].js": AUTH_OPTIONS,
    "pages/api/restricted.js": (
        'import { getServerSession } from "next-auth/next";\nimport { authOptions } from "./auth/[...nextauth]";\n\n'
        "export default async (req, res) => {\n  const session = await getServerSession(req, res, authOptions);\n"
        '  if (session) {\n    res.send({ content: "This is protected content." });\n  } else {\n'
        '    res.send({ error: "You must be signed in to view the protected content on this page." });\n  }\n};\n'),
    "pages/api/lookup.js": (
        'import { getServerSession } from "next-auth/next";\nimport { authOptions } from "./auth/[...nextauth]";\n\n'
        "export default async function handler(req, res) {  // expect: AUTH303\n"
        "  const session = await getServerSession(req, res, authOptions);\n"
        '  const r = await fetch("https://api.example-geo.com/v1?key=" + process.env.GEO_KEY + "&q=" + req.query.q);\n'
        "  res.json({ user: session?.user?.name, data: await r.json() });\n}\n"),
}


@needs_semgrep
def test_a_session_read_alone_is_no_work(tmp_path: Path) -> None:
    found = scan_project(tmp_path, SESSION_ONLY, ("AUTH301", "AUTH302", "AUTH303"), NEXT)
    assert found == marked(SESSION_ONLY)


AXIOS = '{"dependencies": {"express": "4.19.0", "axios": "1.7.0"}}\n'
RESPONSES = {
    "server/vision.js": (
        'import axios from "axios";\n\n'
        "export async function detect(imageUrl) {\n"
        '  const url = "https://vision.googleapis.com/v1/images:annotate";\n'
        "  const response = await axios.post(`${url}?key=${process.env.VISION_KEY}`, { imageUrl });\n"
        '  console.log("vision res:", response);  // expect: LOG404\n'
        '  console.log("objects:", response.data.responses);\n'
        "  const plain = await axios.get(`https://example.com/public?q=${imageUrl}`);\n"
        "  console.log(plain);\n"
        "  const authed = await axios.get(url, { headers: { Authorization: `Bearer ${process.env.TOKEN}` } });\n"
        "  console.log(authed);  // expect: LOG404\n"
        "  return response.data;\n}\n"),
    "server/app.js": (
        'import express from "express";\nimport { detect } from "./vision.js";\n\nconst app = express();\n'
        'app.post("/detect", async (req, res) => res.json(await detect(req.body.url)));\napp.listen(3000);\n'),
}


@needs_semgrep
def test_an_authenticated_axios_response_logged_whole_leaks_its_key(tmp_path: Path) -> None:
    found = scan_project(tmp_path, RESPONSES, ("LOG401", "LOG402", "LOG403", "LOG404", "LOG405"), AXIOS)
    assert found == marked(RESPONSES)


LOGGED = {
    "server/app.js": (
        'import express from "express";\nimport Gemini from "gemini-ai";\n\n'
        "const app = express();\napp.use(express.json());\n\n"
        'app.post("/ask", async (req, res) => {\n'
        "  const gemini = new Gemini(process.env.GEMINI_API_KEY);\n"
        "  const response = await gemini.ask(String(req.body.text).slice(0, 2000));\n"
        "  console.log(response);  // expect: LOG402\n  console.log(response.length);\n  res.json(response);\n});\n\n"
        'app.post("/signin", async (req, res) => {\n  const data = req.body;\n'
        "  const check = await signInSchema.validate(data);\n"
        '  console.log("Check :", check);  // expect: LOG405\n  console.log(data.email.length);\n'
        "  res.json({ ok: true });\n});\n\napp.listen(3000);\n"),
}


@needs_semgrep
def test_a_wrapper_clients_answer_and_a_validated_body_logged(tmp_path: Path) -> None:
    # set 22 chat-with-gemini-app: `console.log(response)` after `await gemini.ask(...)`, and the sign-in body
    # (email and password) logged as what its schema's validate() answered
    found = scan_project(tmp_path, LOGGED, ("LOG401", "LOG402", "LOG403", "LOG404", "LOG405"), EXPRESS)
    assert found == marked(LOGGED)


CJS_WRAPPER = {
    "server/index.js": (
        "const express = require('express');\nconst Gemini = require('gemini-ai');\n"
        "const gemini = new Gemini(process.env.GEMINI_API_KEY);\nconst app = express();\napp.use(express.json());\n"
        "app.post('/api/ask', async (req, res) => {  // expect: AUTH301 LR601\n"
        "  const r = await gemini.ask(req.body.text);  // expect: LR602\n  console.log(r);  // expect: LOG402\n"
        "  res.json({ r });\n});\napp.listen(3000);\n"),
}


@needs_semgrep
def test_a_wrapper_client_required_in_commonjs_runs_the_model(tmp_path: Path) -> None:
    # attack 8: most Express apps are CommonJS (`const Gemini = require('gemini-ai')`)
    package = '{"dependencies": {"express": "4.19.0", "gemini-ai": "2.2.1"}}\n'
    found = scan_project(tmp_path, CJS_WRAPPER, ("AUTH301", "AUTH303", "LR601", "LR602", "LOG402"), package)
    assert found == marked(CJS_WRAPPER)
