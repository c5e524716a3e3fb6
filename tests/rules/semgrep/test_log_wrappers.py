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
