"""LR602/LR603 for JS/TS end to end (a Next.js route handler and an Express app in a temp project) and the
message helpers: route labels, the names a matched value carries, one LR602 per route."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.prefilter import groups_of, rule_group
from scanner.engines.semgrep.prompt_messages import carriers, one_per_route, route_label
from scanner.engines.semgrep.runner import find_semgrep
from scanner.model import Finding, Location
from scanner.rulebook import rule

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

_NEXT_ROUTE = """import { openai } from "@ai-sdk/openai";
import { streamText } from "ai";

export async function POST(req: Request) {
  const { messages, persona } = await req.json();
  const result = streamText({
    model: openai("gpt-4o-mini"),
    system: `You are ${persona}.`,
    messages,
  });
  return result.toUIMessageStreamResponse();
}
"""
_EXPRESS = """const express = require("express");
const OpenAI = require("openai");
const app = express();
const client = new OpenAI();
app.use(express.json());

app.post("/api/ask", async (req, res) => {
  const { question } = req.body;
  if (question.length > 2000) return res.status(413).end();
  const r = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "system", content: "You answer questions about Acme." },
               { role: "user", content: question }],
  });
  res.json({ answer: r.choices[0].message.content });
});

app.post("/api/chat", async (req, res) => {
  const r = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: req.body.messages,
  });
  res.json(r);
});

app.listen(3000);
"""


@needs_semgrep
def test_next_and_express_routes(tmp_path: Path) -> None:
    (tmp_path / "app" / "api" / "chat").mkdir(parents=True)
    (tmp_path / "app" / "api" / "chat" / "route.ts").write_text(_NEXT_ROUTE)
    (tmp_path / "server.js").write_text(_EXPRESS)
    result = scan(tmp_path, Config(), ScanOptions(engines=("semgrep",)))
    assert not result.incomplete, result.notifications
    found = sorted((f.rule_id, f.location.path, f.location.line, f.message) for f in result.findings
                   if f.rule_id in ("LR602", "LR603"))
    assert found == [
        ("LR602", "app/api/chat/route.ts", 9, "POST /api/chat passes `messages` (request text) to the model with no "
         "server-side size limit: no zod .max(), length check or truncation"),
        ("LR602", "server.js", 21, "POST /api/chat passes `req.body.messages` (request text) to the model with no "
         "server-side size limit: no zod .max(), length check or truncation"),
        ("LR603", "app/api/chat/route.ts", 8, "POST /api/chat places `persona` (request text) into the system "
         "prompt: the caller can rewrite the app's instructions; keep user text in the user role"),
    ]


def test_route_labels() -> None:
    next_doc = Doc.of("src/app/(chat)/api/chat/route.ts", "export async function POST(req) {\n  x\n}\n")
    assert route_label(next_doc, len(next_doc.data) - 3) == "POST /api/chat"
    pages = Doc.of("pages/api/ask.ts", "export default async function handler(req, res) {\n  x\n}\n")
    assert route_label(pages, len(pages.data) - 3) == "/api/ask"
    express = Doc.of("server.js", "router.post('/v1/chat', async (req, res) => {\n  x\n});\n")
    assert route_label(express, len(express.data) - 3) == "POST /v1/chat"
    assert route_label(Doc.of("lib/llm.ts", "export function ask(q) {\n  x\n}\n"), 20) == "handler ask"
    controller = Doc.of("src/controllers/chat.ts", "export const generate = async (req, res) => {\n  x\n};\n")
    assert route_label(controller, len(controller.data) - 4) == "handler generate"
    assert route_label(Doc.of("lib/llm.ts", "await client.chat.completions.create(x)\n"), 10) == "this handler"
    vercel = Doc.of("api/chat.js", "module.exports = async (req, res) => {\n  req.headers.get('Authorization')\n};\n")
    assert route_label(vercel, len(vercel.data) - 4) == "/api/chat"


def test_carriers_names_the_request_values() -> None:
    assert carriers("req.body.prompt") == ["req.body.prompt"]
    assert carriers("messages as ChatCompletionCreateParamsBase['messages']") == ["messages"]
    assert carriers("`You are ${persona}. Answer in ${lang") == ["persona", "lang"]
    # Google systemInstruction objects: the keys are no carriers
    assert carriers('{ role: "system", parts: [{ text: body.instructions }] }') == ["body.instructions"]
    assert carriers("{ parts: [{ text: `Conversation so far:\\n${context}` }] }") == ["context"]


def test_carriers_read_past_a_url_in_a_template() -> None:
    """``//`` inside a literal is no comment (a regex comment strip lost ``tone`` here)."""
    assert carriers("`Guide for https://docs.example.com. Tone: ${tone}`") == ["tone"]
    assert carriers("prompt // the user's text") == ["prompt"]
    assert carriers('"Use this context:\\n" + context') == ["context"]
    assert carriers("[new SystemMessage(`Your name is ${botName}.`), // note\n new HumanMessage(question)]") == \
        ["botName", "question"]


def test_one_lr602_per_route_and_not_on_an_lr603_line() -> None:
    def finding(code: str, line: int, message: str) -> Finding:
        return Finding(rule(code), Location("app/api/chat/route.ts", line), message)

    findings = [finding("LR602", 8, "POST /api/chat passes `persona`"), finding("LR603", 8, "POST /api/chat places"),
                finding("LR602", 9, "POST /api/chat passes `messages`"),
                finding("LR602", 20, "this handler passes `q`"), finding("LR602", 30, "this handler passes `p`")]
    kept = sorted((f.rule_id, f.location.line) for f in one_per_route(findings))
    assert kept == [("LR602", 9), ("LR602", 20), ("LR602", 30), ("LR603", 8)]


def test_prompt_group_holds_server_files_that_read_a_request_and_call_a_model() -> None:
    assert "prompt" in groups_of("app/api/chat/route.ts", _NEXT_ROUTE)
    assert "prompt" in groups_of("server.js", _EXPRESS)
    client = "'use client';\nconst { messages, sendMessage } = useChat();\nrequest.json(); streamText\n"
    assert "prompt" not in groups_of("components/chat.tsx", client)
    assert "prompt" not in groups_of("lib/ai.ts", "export const run = (p) => generateText({ prompt: p });\n")
    assert rule_group("rules:\n  - id: x\n    metadata:\n      code: LR602\n") == "prompt"
    assert rule_group("rules:\n  - id: x\n    metadata:\n      code: LR604\n") == "launch"
