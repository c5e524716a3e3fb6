"""LOG401 by name (``js-log-prompt``) is not reported on a logging utility's own implementation (its parameter is
whatever callers pass: their calls are judged) nor on a name that holds an error's text; a chat message logged
by a route still is (set 16 InfoPlus-backend: seven such findings)."""

from __future__ import annotations

from pathlib import Path

from tests.rules.semgrep.marked_projects import scan_project

PACKAGE = '{"dependencies": {"express": "4.21.0", "openai": "4.60.0"}}\n'
LOGGER = ("export const logger = {\n  info: (message: string, data?: unknown) => {\n"
          "    console.log(`[INFO] ${message}`, data || '');\n  },\n"
          "  error: function (message: string) {\n    console.error(`[ERROR] ${message}`);\n  },\n};\n")
ROUTES = ("import express from 'express';\nimport OpenAI from 'openai';\nimport { logger } from '../utils/logger';\n"
          "const openai = new OpenAI();\nconst router = express.Router();\n\n"
          "router.post('/chat', async (req, res) => {\n  const { message } = req.body;\n"
          "  logger.info(message);\n"
          "  try {\n    const r = await openai.chat.completions.create({ model: 'm', messages: [] });\n"
          "    res.json(r);\n  } catch (error) {\n"
          "    const msg = error instanceof Error ? error.message : String(error);\n"
          "    logger.error('chat failed:', msg);\n    res.status(500).end();\n  }\n});\n\nexport default router;\n")


def test_wrapper_parameters_and_error_text_are_not_chat_messages(tmp_path: Path) -> None:
    files = {"src/utils/logger.ts": LOGGER, "src/routes/chat.ts": ROUTES}
    assert scan_project(tmp_path, files, ("LOG401",), PACKAGE) == {("LOG401", "src/routes/chat.ts", 9)}


def test_attacks_on_the_wrapper_and_error_text_exemptions(tmp_path: Path) -> None:
    """Attacks from the README, each still a LOG401: a logger-module helper with a name of its own whose callers
    are no log calls; a ``message`` destructured from the body after an earlier handler's error text; a prompt
    built with ``.map((e) => e.content)``; a route file in a ``logs/`` folder."""
    logger = ("import pino from 'pino';\nconst log = pino();\n\n"
              "export function recordPrompt(prompt: string) {\n  log.info({ prompt }, 'chat prompt');\n}\n")
    routes = ("import express from 'express';\nimport OpenAI from 'openai';\n"
              "import { recordPrompt } from '../utils/logger';\nconst openai = new OpenAI();\n"
              "const router = express.Router();\n\n"
              "router.get('/health', async (req, res) => {\n  try {\n    res.json({ ok: true });\n"
              "  } catch (error) {\n    const message = error instanceof Error ? error.message : String(error);\n"
              "    console.error(message);\n  }\n});\n\n"
              "router.post('/chat', async (req, res) => {\n  const { message, history } = req.body;\n"
              "  console.log('User message:', message);\n"
              "  const prompt = history.map((e) => e.content).join('\\n');\n  console.log('prompt:', prompt);\n"
              "  recordPrompt(prompt);\n"
              "  res.json(await openai.chat.completions.create({ model: 'm', messages: [] }));\n});\n\n"
              "export default router;\n")
    files = {"src/utils/logger.ts": logger, "src/logs/chat.ts": routes}
    found = scan_project(tmp_path, files, ("LOG401",), PACKAGE)
    assert {("LOG401", "src/utils/logger.ts", 5), ("LOG401", "src/logs/chat.ts", 18),
            ("LOG401", "src/logs/chat.ts", 20)} <= found
