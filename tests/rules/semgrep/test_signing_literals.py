"""AUTH306 once per file and literal: the same key written at the sign and the verify call is one secret with one
fix (the kept finding names the other line and holds it as a copy); a different literal in the same file is its own
finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")



@needs_semgrep
def test_one_signing_finding_per_literal_and_file(tmp_path: Path) -> None:
    jwt_js = ("import jwt from 'jsonwebtoken';\n\nexport const sign = (userId) =>\n"
              "  jwt.sign({ userId }, process.env.JWT_SECRET || 'dev-signing-key', { expiresIn: '3d' });\n\n"
              "export const check = (token) =>\n  jwt.verify(token, process.env.JWT_SECRET || 'dev-signing-key');\n\n"
              "export const other = (token) =>\n  jwt.verify(token, process.env.OTHER_SECRET || 'other-signing-key');\n")
    package = '{"dependencies": {"express": "4.19.0", "jsonwebtoken": "9.0.0"}}\n'
    assert scan_project(tmp_path, {"src/utils/jwt.js": jwt_js}, ("AUTH306",), package) == {
        ("AUTH306", "src/utils/jwt.js", 4), ("AUTH306", "src/utils/jwt.js", 10)}
    found = {f.location.line: f for f in scan(tmp_path, Config(), ScanOptions(engines=("semgrep",))).findings
             if f.rule_id == "AUTH306"}
    assert [(c.path, c.line) for c in found[4].copies] == [("src/utils/jwt.js", 7)]
    assert found[4].message.endswith("(the same literal is the key on line 7 too)")
    assert found[10].copies == ()


@needs_semgrep
def test_a_config_modules_fallback_feeding_a_session_elsewhere(tmp_path: Path) -> None:
    env_js = ("require('dotenv/config');\n\nconst PORT = parseInt(process.env.PORT ?? 5000);\n"
              "const SESSION_SECRET = process.env.SESSION_SECRET ?? 'shh-dev-secret';\n"
              "const config = { jwt: { secret: process.env.JWT_SECRET || 'dev-jwt-secret' } };\n"
              "const OPENAI_API_KEY = process.env.OPENAI_API_KEY ?? '';\n\n"
              "module.exports = { PORT, SESSION_SECRET, OPENAI_API_KEY, config };\n")
    session_js = ("const session = require('express-session');\nconst { SESSION_SECRET } = require('./env');\n\n"
                  "module.exports = () => session({ secret: SESSION_SECRET, resave: false });\n")
    package = '{"dependencies": {"express": "4.19.0", "express-session": "1.18.0"}}\n'
    files = {"src/config/env.js": env_js, "src/config/session.js": session_js}
    assert scan_project(tmp_path, files, ("AUTH306",), package) == {
        ("AUTH306", "src/config/env.js", 4), ("AUTH306", "src/config/env.js", 5)}
