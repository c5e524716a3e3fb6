"""A synthetic ScanResult for the reporter golden tests: a few findings across families, one history finding,
one suppressed finding and notifications; independent of the engines."""

from __future__ import annotations

import dataclasses

from scanner.model import Finding, Location, Notification, Rule, ScanResult, Severity, Suppression
from scanner.redact import fingerprint


def _doc(what: str, fix: str) -> str:
    return (f"## What it finds\n{what}\n\n## Why it matters\nIt leaks.\n\n## Example\n```\nx = 1\n```\n\n"
            f"## Fix\n{fix}\n")


OPENAI = Rule("SEC101", "openai-api-key", "secrets", Severity.CRITICAL, "An OpenAI API key is hard-coded.",
              _doc("OpenAI keys (`sk-proj-`, `sk-svcacct-`).", "Revoke and rotate the key at OpenAI."),
              "Revoke and rotate the key at https://platform.openai.com/api-keys, then read it from the "
              "environment.", (798,))
DBURL = Rule("SEC191", "database-url-with-password", "secrets", Severity.HIGH,
             "A database URL carries a password.", _doc("`postgres://user:pass@host/db`.", "Rotate it."),
             "Change the database password, then read the URL from the environment.", (798,))
PUBLIC = Rule("EXP201", "public-env-secret", "client-exposure", Severity.HIGH,
              "A secret is stored under a public environment variable prefix.",
              _doc("`NEXT_PUBLIC_` names holding secrets.", "Rename it."),
              "Rotate the key, drop the public prefix and call the vendor from server code.", (200, 522))
MODEL_ROUTE = Rule("AUTH301", "unauthenticated-model-route", "auth", Severity.HIGH,
                   "A route that calls a model has no authentication.", _doc("Model routes.", "Add auth."),
                   "Require a session (FastAPI `Depends(get_current_user)`, Next.js `auth()`).", (306, 862))
PROMPT_LOG = Rule("LOG401", "prompt-or-chat-logged", "logging", Severity.MEDIUM,
                  "A prompt or chat message is written to a log.", _doc("Prompts in logs.", "Log ids."),
                  "Log a request id and sizes, never the text.", (532,), "medium")
CORS = Rule("CORS503", "credentialed-reflected-origin", "cors", Severity.CRITICAL,
            "CORS reflects any origin with credentials.", _doc("`*` plus credentials.", "Allow-list."),
            "List the allowed origins explicitly.", (942,))
TEST_KEY = Rule("SEC199", "test-mode-key", "secrets", Severity.LOW, "A test-mode key is hard-coded.",
                _doc("`sk_test_` keys.", "Move it to env."), "Read it from the environment.", (798,))
RULES = (CORS, MODEL_ROUTE, PUBLIC, PROMPT_LOG, OPENAI, DBURL, TEST_KEY, Rule(
    "LOG404", "credential-logged", "logging", Severity.HIGH, "A credential is logged.",
    _doc("Tokens in logs.", "Remove."), "Never log credentials.", (532,)))
COMMIT = "3f2a9c1e5b7d4f60a8e2c4b6d8f0a1c3e5b7d9f1"


def _f(rule: Rule, path: str, line: int, col: int, end: int, message: str, snippet: str, *,
       commit: str | None = None, suppression: Suppression | None = None) -> Finding:
    loc = Location(path, line, col, line, end, commit)
    return Finding(rule, loc, message, snippet, context="", match_key=f"{path}:{message}",
                   fingerprint=fingerprint(rule.id, path, "", f"{path}:{message}", 0),
                   suppression=suppression)


def sample_result() -> ScanResult:
    """The synthetic result every golden file renders (root ``/src/demo``)."""
    findings = (
        _f(CORS, "backend/main.py", 12, 5, 25, "CORSMiddleware allows any origin with credentials; Starlette "
           "reflects the caller's origin", 'allow_origins=["*"],'),
        _f(MODEL_ROUTE, "backend/main.py", 20, 1, 23, "POST /api/chat calls OpenAI without authentication",
           '@app.post("/api/chat")'),
        _f(PROMPT_LOG, "backend/main.py", 25, 5, 47, "logger.info writes the user's prompt",
           'logger.info("prompt: %s", body.message)'),
        dataclasses.replace(
            _f(OPENAI, "backend/settings.py", 4, 18, 182, "OpenAI project key (sk-proj-) hard-coded (the same "
               "secret is also in 1 other place: docs/SETUP.md:12)", 'OPENAI_API_KEY = "sk-p…Qx"'),
            copies=(Location("docs/SETUP.md", 12, 17, 12, 181),)),
        _f(OPENAI, "config/old_settings.py", 2, 11, 175, "OpenAI project key (sk-proj-) in git history",
           'API_KEY = "sk-p…9k"', commit=COMMIT),
        _f(PUBLIC, "frontend/.env.local", 1, 1, 27, "NEXT_PUBLIC_OPENAI_API_KEY is inlined into the browser "
           "bundle (local file, not committed)", "NEXT_PUBLIC_OPENAI_API_KEY=sk-p…Qx"),
        _f(TEST_KEY, "docs/we[ird] na:me,%.md", 3, 7, 40, "Stripe test-mode key [bold]hard-coded[/bold]",
           "key: sk_t…7Z \\x1b[31m"),
    )
    suppressed = (
        _f(DBURL, "tests/conftest.py", 8, 10, 60, "PostgreSQL URL with a password",
           'DB = "postgres://app:pa…@localhost/test"',
           suppression=Suppression("inline", "launch-ready: ignore[SEC191] on line 8")),
    )
    notes = (
        Notification("note", "binary file skipped", "assets/logo.png", "binary"),
        Notification("warning", "could not parse: unexpected token at 3:14", "frontend/app/broken.tsx",
                     "parse-error"),
    )
    return ScanResult(root="/src/demo", findings=findings, notifications=notes, suppressed=suppressed,
                      rules=tuple(sorted(RULES, key=lambda r: r.id)), category=None,
                      stats={"files": 14, "history": 1, "commits": 7})
