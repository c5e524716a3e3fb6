"""Shapes found on held-out set 23 after it was measured: Passport's ``req.isAuthenticated()`` in a project
middleware applied with ``router.use(...)`` authenticates (AIResumeMailer-); a middleware whose missing-token branch
calls ``next()`` lets guests through, whatever it is called (Reactproject01); an OpenAI-compatible API called over
HTTP by its ``/chat/completions`` path is a model call, and a ``BackEnd/`` folder is server code."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")
#: The rules a model route can raise (auth, limits, a logged answer).
MODEL_CODES = ("AUTH301", "AUTH302", "AUTH303", "LR601", "LR602", "LOG402")

EXPRESS = ('{"type": "module", "dependencies": {"express": "4.19.0", "passport": "0.7.0", "axios": "1.7.0", '
           '"mongoose": "8.0.0", "jsonwebtoken": "9.0.0"}}\n')

PASSPORT = {
    "BackEnd/middleware/authMiddleware.js": (
        "const authenticationCheck = (req, res, next) => {\n  if (req.isAuthenticated()) {\n    return next();\n  }\n"
        "  res.status(401).json({ message: 'Not authorized, please log in' });\n};\n\n"
        "export default authenticationCheck;\n"),
    "BackEnd/routes/resumeRoutes.js": (
        "import express from 'express';\nimport Resume from '../models/Resume.js';\n"
        "import authenticationCheck from '../middleware/authMiddleware.js';\n\n"
        "const router = express.Router();\nrouter.use(authenticationCheck);\n\n"
        "router.get('/', async (req, res) => res.json(await Resume.findOne({ user: req.user.id })));\n\n"
        "export default router;\n"),
    "BackEnd/routes/openRoutes.js": (
        "import express from 'express';\nimport Resume from '../models/Resume.js';\n\n"
        "const router = express.Router();\n\n"
        "router.get('/all', async (req, res) => res.json(await Resume.find()));  // expect: AUTH302\n\n"
        "export default router;\n"),
    "BackEnd/models/Resume.js": ("import mongoose from 'mongoose';\n"
                                 "export default mongoose.model('Resume', new mongoose.Schema({ user: String }));\n"),
    "BackEnd/index.js": ("import express from 'express';\nimport resumeRoutes from './routes/resumeRoutes.js';\n"
                         "import openRoutes from './routes/openRoutes.js';\n\nconst app = express();\n"
                         "app.use('/api/resume', resumeRoutes);\napp.use('/api/open', openRoutes);\napp.listen(3000);\n"),
}


@needs_semgrep
def test_passport_is_authenticated_in_a_router_middleware_authenticates(tmp_path: Path) -> None:
    assert scan_project(tmp_path, PASSPORT, ("AUTH301", "AUTH302", "AUTH303"), EXPRESS) == marked(PASSPORT)


GUESTS = {
    "middleware/authMiddleware.js": (
        "const jwt = require('jsonwebtoken');\n\nconst authMiddleware = (req, res, next) => {\n"
        "  const authHeader = req.header('Authorization');\n"
        "  if (!authHeader || !authHeader.startsWith('Bearer ')) {\n    req.user = null; // Allow guest access\n"
        "    return next();\n  }\n  try {\n"
        "    req.user = jwt.verify(authHeader.replace('Bearer ', ''), process.env.JWT_SECRET);\n    next();\n"
        "  } catch (error) {\n    res.status(401).json({ message: 'Unauthorized' });\n  }\n};\n\n"
        "module.exports = authMiddleware;\n"),
    "middleware/requireAuth.js": (
        "const jwt = require('jsonwebtoken');\n\nmodule.exports = function requireAuth(req, res, next) {\n"
        "  const token = req.header('Authorization');\n"
        "  if (!token) return res.status(401).json({ message: 'Unauthorized' });\n"
        "  req.user = jwt.verify(token, process.env.JWT_SECRET);\n  next();\n};\n"),
    "routes/chat.js": (
        "const express = require('express');\nconst router = express.Router();\n"
        "const authMiddleware = require('../middleware/authMiddleware');\n"
        "const requireAuth = require('../middleware/requireAuth');\n"
        "const ChatSession = require('../models/ChatSession');\n\n"
        "router.get('/sessions', authMiddleware, async (req, res) => {  // expect: AUTH302\n"
        "  res.json(await ChatSession.find({ userId: req.user?.id || null }));\n});\n"
        "router.get('/mine', requireAuth, async (req, res) => {\n"
        "  res.json(await ChatSession.find({ userId: req.user.id }));\n});\n\nmodule.exports = router;\n"),
    "models/ChatSession.js": ("const mongoose = require('mongoose');\n"
                              "module.exports = mongoose.model('ChatSession', new mongoose.Schema({ userId: String }));\n"),
    "server.js": ("const express = require('express');\nconst app = express();\n"
                  "app.use('/api/chat', require('./routes/chat'));\napp.listen(3000);\n"),
}


@needs_semgrep
def test_a_middleware_that_lets_guests_through_authenticates_nobody(tmp_path: Path) -> None:
    cjs = EXPRESS.replace('"type": "module", ', "")
    assert scan_project(tmp_path, GUESTS, ("AUTH301", "AUTH302", "AUTH303"), cjs) == marked(GUESTS)


COMPATIBLE = {
    "BackEnd/config/AIConfig.js": (
        'import axios from "axios";\n\nexport const getAIResponse = async (prompt) => {\n'
        "  const response = await axios.post(\n    \"https://api.sarvam.ai/v1/chat/completions\",\n"
        '    { model: "sarvam-m", messages: [{ role: "user", content: prompt }] },\n'
        "    { headers: { Authorization: `Bearer ${process.env.SARVAM_AI_API_KEY}` } },\n  );\n"
        "  console.log(response.data);  // expect: LOG402\n"
        "  return response.data.choices[0].message.content;\n};\n"),
    "BackEnd/index.js": (
        'import express from "express";\nimport { getAIResponse } from "./config/AIConfig.js";\n\n'
        "const app = express();\napp.use(express.json());\n"
        'app.post("/ai", async (req, res) => {  // expect: AUTH301 LR601\n'
        "  res.json(await getAIResponse(req.body.prompt));  // expect: LR602\n});\napp.listen(3000);\n"),
}


@needs_semgrep
def test_an_openai_compatible_api_by_its_path_is_a_model_call(tmp_path: Path) -> None:
    assert scan_project(tmp_path, COMPATIBLE, MODEL_CODES, EXPRESS) == marked(COMPATIBLE)


JOI = {
    "routes/chat.js": (
        "const express = require('express');\nconst Joi = require('joi');\nconst router = express.Router();\n"
        "const validate = require('../middleware/validate');\nconst { ask } = require('../utils/gemini');\n\n"
        "const messageSchema = Joi.object({\n  content: Joi.string().required().min(1),\n});\n"
        "const boundedSchema = Joi.object({\n  content: Joi.string().required().min(1).max(4000),\n});\n\n"
        "router.post('/open', validate(messageSchema), async (req, res) => {\n"
        "  res.json(await ask(req.body.content));  // expect: LR602\n});\n"
        "router.post('/bounded', validate(boundedSchema), async (req, res) => {\n"
        "  res.json(await ask(req.body.content));\n});\n\nmodule.exports = router;\n"),
    "middleware/validate.js": (
        "module.exports = (schema) => (req, res, next) => {\n"
        "  const { error } = schema.validate(req.body);\n"
        "  if (error) return res.status(400).json({ message: 'Validation error' });\n  next();\n};\n"),
    "utils/gemini.js": (
        "const URL = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-1.5-flash:generateContent';\n"
        "async function ask(text) {\n  const r = await fetch(URL, { method: 'POST', headers: { 'x-goog-api-key': "
        "process.env.GEMINI_API_KEY }, body: JSON.stringify({ contents: [{ parts: [{ text }] }] }) });\n"
        "  return (await r.json()).candidates[0].content.parts[0].text;\n}\nmodule.exports = { ask };\n"),
    "server.js": ("const express = require('express');\nconst app = express();\napp.use(express.json());\n"
                  "app.use('/api/chat', require('./routes/chat'));\napp.listen(3000);\n"),
}


@needs_semgrep
def test_a_validation_schema_without_a_maximum_bounds_nothing(tmp_path: Path) -> None:
    package = '{"dependencies": {"express": "4.19.0", "joi": "17.13.0"}}\n'
    assert scan_project(tmp_path, JOI, ("LR602",), package) == marked(JOI)


NOT_GUEST_PASSES = {
    "middleware/auth.js": (
        "const jwt = require('jsonwebtoken');\nconst PUBLIC_PATHS = ['/api/health'];\n\n"
        "module.exports = function authenticate(req, res, next) {\n"
        "  const header = req.headers.authorization;\n"
        "  if (!header && req.method === 'OPTIONS') return next();\n"
        "  if (!header && PUBLIC_PATHS.includes(req.originalUrl)) return next();\n"
        "  if (!header) return res.status(401).json({ error: 'Unauthorized' });\n"
        "  const decoded = jwt.verify(header.slice(7), process.env.JWT_SECRET);\n"
        "  if (!needsTokenRefresh(decoded)) { req.user = decoded; return next(); }\n"
        "  res.status(401).json({ error: 'Token expired' });\n};\n"),
    "middleware/quota.js": (
        "const usage = new Map();\nmodule.exports = function checkQuota(req, res, next) {\n"
        "  const key = req.user ? req.user.id : req.ip;\n  const used = usage.get(key) || 0;\n"
        "  if (!req.user?.isPro && used >= 20) return res.status(403).json({ error: 'Free quota used up' });\n"
        "  usage.set(key, used + 1);\n  next();\n};\n"),
    "routes/chat.js": (
        "const express = require('express');\nconst router = express.Router();\n"
        "const authenticate = require('../middleware/auth');\nconst checkQuota = require('../middleware/quota');\n"
        "const Chat = require('../models/Chat');\n\n"
        "router.get('/chats', authenticate, async (req, res) => res.json(await Chat.find({ user: req.user.id })));\n"
        "router.get('/open', checkQuota, async (req, res) => res.json(await Chat.find()));  // expect: AUTH302\n\n"
        "module.exports = router;\n"),
    "models/Chat.js": ("const mongoose = require('mongoose');\n"
                       "module.exports = mongoose.model('Chat', new mongoose.Schema({ user: String }));\n"),
    "server.js": ("const express = require('express');\nconst app = express();\n"
                  "app.use('/api', require('./routes/chat'));\napp.listen(3000);\n"),
}


@needs_semgrep
def test_preflight_public_path_and_refresh_branches_are_no_guest_pass_and_a_quota_is_no_login(tmp_path: Path) -> None:
    """Attack 8: ``if (!header && req.method === 'OPTIONS') return next()`` and a public-path list are no guest
    pass of a middleware that refuses without a token; a quota middleware reading ``req.user`` that answers 403 to
    guests and members alike authenticates nobody."""
    cjs = EXPRESS.replace('"type": "module", ', "")
    assert scan_project(tmp_path, NOT_GUEST_PASSES, ("AUTH301", "AUTH302", "AUTH303"), cjs) == \
        marked(NOT_GUEST_PASSES)


INTERNAL = {
    "server/index.js": (
        'import express from "express";\nimport axios from "axios";\n\nconst app = express();\napp.use(express.json());\n'
        'app.post("/api/ask", async (req, res) => {  // expect: AUTH301 LR601\n'
        "  const r = await axios.post('https://api.sarvam.ai/v1/chat/completions', { model: 'm', messages: "
        "[{ role: 'user', content: req.body.prompt }] });  // expect: LR602\n  res.json(r.data);\n});\n"
        'app.post("/api/history", async (req, res) => {  // expect: AUTH303\n'
        "  const r = await axios.post('http://history-svc:4000/internal/chat/completions', { q: req.body.q });\n"
        "  console.log(r.data);\n  res.json(r.data);\n});\napp.listen(3000);\n"),
}


@needs_semgrep
def test_only_a_versioned_chat_completions_path_is_a_model_api(tmp_path: Path) -> None:
    """Attack 8: an internal service's ``/internal/chat/completions`` is no model call; a vendor's
    ``/v1/chat/completions`` is, with its request text unbounded (LR602)."""
    assert scan_project(tmp_path, INTERNAL, MODEL_CODES, EXPRESS) == marked(INTERNAL)


GLOBAL_GUARD = {
    "server.js": (
        "const express = require('express');\nconst requireAuth = require('./middleware/requireAuth');\n"
        "const app = express();\napp.use(express.json());\n"
        "app.use('/api/public', require('./routes/public'));\napp.use(requireAuth);\n"
        "app.use('/api/chats', require('./routes/chats'));\napp.listen(3000);\n"),
    "middleware/requireAuth.js": (
        "const jwt = require('jsonwebtoken');\nmodule.exports = function requireAuth(req, res, next) {\n"
        "  const token = req.headers.authorization;\n"
        "  if (!token) return res.status(401).json({ error: 'Unauthorized' });\n"
        "  req.user = jwt.verify(token.slice(7), process.env.JWT_SECRET);\n  next();\n};\n"),
    "routes/chats.js": ("const router = require('express').Router();\nconst Chat = require('../models/Chat');\n"
                        "router.get('/', async (req, res) => res.json(await Chat.find({ user: req.user.id })));\n"
                        "module.exports = router;\n"),
    "routes/public.js": ("const router = require('express').Router();\nconst Chat = require('../models/Chat');\n"
                         "router.get('/', async (req, res) => res.json(await Chat.find()));  // expect: AUTH302\n"
                         "module.exports = router;\n"),
    "models/Chat.js": ("const mongoose = require('mongoose');\n"
                       "module.exports = mongoose.model('Chat', new mongoose.Schema({ user: String }));\n"),
}


@needs_semgrep
def test_a_global_auth_middleware_guards_the_routers_mounted_after_it(tmp_path: Path) -> None:
    """Attack 8: ``app.use(requireAuth)`` then ``app.use('/api/chats', require('./routes/chats'))``: the router in
    the other file is authenticated; one mounted before the middleware is not."""
    cjs = EXPRESS.replace('"type": "module", ', "")
    assert scan_project(tmp_path, GLOBAL_GUARD, ("AUTH301", "AUTH302", "AUTH303"), cjs) == marked(GLOBAL_GUARD)
