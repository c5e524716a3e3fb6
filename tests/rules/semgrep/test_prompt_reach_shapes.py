"""LR602 through a function of the same module, in shapes met in set 15 (chat-gpt-clone): the body destructured
with defaults (``{ messages, maxTokens = 4096 } = await request.json()``), the messages copied element by element
(``for (const message of messages) conversationMessages.push({ ... })``), and a bound on another field
(``maxTokens > limit``) that leaves the messages open. A bound on the messages themselves clears it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.semgrep.marked_projects import scan_project

PACKAGE = '{"dependencies": {"next": "14.2.0", "next-auth": "4.24.0", "@anthropic-ai/sdk": "0.30.0"}}\n'
ROUTE = """import { NextRequest, NextResponse } from "next/server";
import Anthropic from "@anthropic-ai/sdk";
import { getServerSession } from "next-auth";

const anthropic = new Anthropic();

async function callAnthropic(messages: ChatMessage[], model: string, maxTokens: number) {
  const conversation: Anthropic.Messages.MessageParam[] = [];
  for (const message of messages) {
    if (message.role !== "system") conversation.push({ role: message.role, content: message.content });
  }
  return anthropic.messages.create({ model, max_tokens: maxTokens, messages: conversation });
}

export async function POST(request: NextRequest) {
  const session = await getServerSession();
  if (!session?.user?.id) return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  const { messages, model = "claude-3-5-haiku", maxTokens = 4096 } = await request.json();
  if (maxTokens > 8192) return NextResponse.json({ error: "too many tokens" }, { status: 400 });
  BOUND
  const result = await callAnthropic(messages, model, maxTokens);
  return NextResponse.json(result);
}
"""


@pytest.mark.parametrize(("bound", "expected"), [
    ("", {("LR602", "app/api/chat/route.ts", 21), ("LR601", "app/api/chat/route.ts", 15)}),
    ("if (messages.length > 50) return NextResponse.json({ error: 'too long' }, { status: 400 });",
     {("LR601", "app/api/chat/route.ts", 15)}),
])
def test_messages_copied_in_a_loop_into_a_model_call(tmp_path: Path, bound: str, expected: set[tuple[str, str, int]]) \
        -> None:
    files = {"app/api/chat/route.ts": ROUTE.replace("BOUND", bound)}
    assert scan_project(tmp_path, files, ("LR601", "LR602"), PACKAGE) == expected
