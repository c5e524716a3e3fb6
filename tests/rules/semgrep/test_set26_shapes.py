"""Shapes found on held-out set 26 after it was measured (express-ai-backend): request text handed to a helper in
an options object whose destructured parameters have defaults (``{ model = "gpt-3.5-turbo", prompt = "…" }``)
still reaches the model (LR602, which names the text, not the model option); Hugging Face Inference's
``textGeneration`` runs a model."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

PACKAGE = ('{"type": "module", "dependencies": {"express": "4.19.0", "openai": "4.0.0", '
           '"@huggingface/inference": "2.6.0"}}\n')
FILES = {
    "index.js": (
        "import express from 'express';\nimport { textCompletion } from './ai-functions/text-completion.js';\n"
        "import { hfCompletion } from './ai-functions/hf-completion.js';\nconst app = express();\n"
        "app.use(express.json());\n"
        "app.post('/text-completion', async (req, res) => {  // expect: AUTH301 LR601\n"
        "  res.send(await textCompletion({ model: req.body.model, prompt: req.body.prompt }));  // expect: LR602\n"
        "});\n"
        "app.post('/hf-completion', async (req, res) => {  // expect: AUTH301 LR601\n"
        "  res.send(await hfCompletion({ model: req.body.model, prompt: req.body.prompt }));  // expect: LR602\n"
        "});\n"
        "app.post('/short', async (req, res) => {  // expect: AUTH301 LR601\n"
        "  const prompt = String(req.body.prompt).slice(0, 500);\n"
        "  res.send(await textCompletion({ model: 'gpt-4o-mini', prompt }));\n});\napp.listen(3000);\n"),
    "ai-functions/text-completion.js": (
        "import OpenAI from 'openai';\nconst openai = new OpenAI();\n"
        "export async function textCompletion({ model = 'gpt-3.5-turbo', prompt = 'Once upon a time' }) {\n"
        "  const completion = await openai.chat.completions.create({ model, messages: [{ role: 'user', "
        "content: prompt }] });\n  return completion.choices[0];\n}\n"),
    "ai-functions/hf-completion.js": (
        "import { HfInference } from '@huggingface/inference';\n"
        "export async function hfCompletion({ model = 'gpt2', prompt = 'Once upon a time' }) {\n"
        "  const hf = new HfInference(process.env.HF_TOKEN);\n"
        "  return await hf.textGeneration({ model, inputs: prompt });\n}\n"),
}


@needs_semgrep
def test_options_object_with_defaults_and_hugging_face(tmp_path: Path) -> None:
    assert scan_project(tmp_path, FILES, ("AUTH301", "LR601", "LR602"), PACKAGE) == marked(FILES)
    found = [f for f in scan(tmp_path, Config(), ScanOptions(engines=("semgrep",))).findings if f.rule_id == "LR602"]
    assert {f.message.split("`")[1] for f in found} == {"req.body.prompt"}


# LIGOS_AI: a password-reset step finds the member by the emailed one-time token, which is its credential
RESET = {
    "app/api/verify-token/route.ts": (
        "import { NextRequest, NextResponse } from 'next/server';\nimport User from '../libs/models/User';\n"
        "export async function POST(req: NextRequest) {\n  const { token } = await req.json();\n"
        "  const user = await User.findOne({ resetToken: hash(token), resetTokenExpiry: { $gt: Date.now() } });\n"
        "  if (!user) return NextResponse.json({ message: 'Invalid token' }, { status: 404 });\n"
        "  return NextResponse.json({ message: 'Valid token' });\n}\n"),
    "app/api/profile/route.ts": (
        "import { NextRequest, NextResponse } from 'next/server';\nimport User from '../libs/models/User';\n"
        "export async function POST(req: NextRequest) {  // expect: AUTH302\n  const { email } = await req.json();\n"
        "  const user = await User.findOne({ email });\n  return NextResponse.json(user);\n}\n"),
    "app/api/libs/models/User.ts": ("import mongoose from 'mongoose';\n"
                                    "export default mongoose.model('User', new mongoose.Schema({ email: String }));\n"),
}


# Ahimsha: a chat row written with the member's message and the model's answer, then logged whole
SAVED = {
    "src/app/api/saveChat/route.ts": (
        "import { NextRequest, NextResponse } from 'next/server';\nimport { PrismaClient } from '@prisma/client';\n"
        "const prisma = new PrismaClient();\nexport async function POST(req: NextRequest) {\n"
        "  const { userId, message, response } = await req.json();\n"
        "  const chat = await prisma.chatHistory.create({\n    data: { userId, message, response },\n  });\n"
        "  console.log('saved chat: ', chat);  // expect: LOG401\n"
        "  const room = await prisma.chat.create({ data: { name: 'New chat', userId } });\n"
        "  console.log('room', room);\n  return NextResponse.json({ chat, room });\n}\n"),
}


SHAPES = [
    pytest.param(RESET, ("AUTH301", "AUTH302", "AUTH303"),
                 '{"dependencies": {"next": "14.2.0", "mongoose": "8.0.0"}}\n',
                 id="a-reset-step-found-by-its-one-time-token-is-public"),
    pytest.param(SAVED, ("LOG401", "LOG402", "LOG403"),
                 '{"dependencies": {"next": "14.2.0", "@prisma/client": "5.0.0"}}\n',
                 id="a-chat-row-written-with-the-members-text-and-logged"),
]


@needs_semgrep
@pytest.mark.parametrize(("files", "codes", "package"), SHAPES)
def test_set26_shape(tmp_path: Path, files: dict[str, str], codes: tuple[str, ...], package: str) -> None:
    assert scan_project(tmp_path, files, codes, package) == marked(files)
