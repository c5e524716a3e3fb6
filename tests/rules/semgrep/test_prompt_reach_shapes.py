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


NEST_PACKAGE = '{"dependencies": {"@nestjs/common": "10.0.0", "@nestjs/core": "10.0.0", "@google/generative-ai": "0.21.0"}}\n'
NEST_FILES = {
    "src/conversations/conversations.controller.ts":
        "import { Body, Controller, Param, Post, Request, UseGuards } from '@nestjs/common';\n"
        "import { ConversationsService } from './conversations.service';\nimport { JwtAuthGuard } from '../auth/jwt';\n\n"
        "@Controller('conversations')\n@UseGuards(JwtAuthGuard)\nexport class ConversationsController {\n"
        "  constructor(private readonly conversationsService: ConversationsService) {}\n\n"
        "  @Post(':id/send')\n  sendMessage(@Param('id') id: string, @Request() req, @Body() dto: any) {\n"
        "    return this.conversationsService.sendMessage(id, req.user.id, dto);\n  }\n}\n",
    "src/conversations/conversations.service.ts":
        "import { Injectable } from '@nestjs/common';\nimport { GeminiService } from '../gemini/gemini.service';\n\n"
        "@Injectable()\nexport class ConversationsService {\n  constructor(private geminiService: GeminiService) {}\n\n"
        "  async sendMessage(conversationId: string, userId: string, dto: { content: string }) {\n"
        "    return this.geminiService.reply(dto.content);\n  }\n}\n",
    "src/gemini/gemini.service.ts":
        "import { Injectable } from '@nestjs/common';\nimport { GoogleGenerativeAI } from '@google/generative-ai';\n\n"
        "@Injectable()\nexport class GeminiService {\n"
        "  private chatModel = new GoogleGenerativeAI('k').getGenerativeModel({ model: 'gemini-1.5-flash' });\n\n"
        "  async reply(userMessage: string) {\n    const prompt = `You are a bard.\n\nUser: ${userMessage}\n`;\n"
        "    const result = await this.chatModel.generateContent(prompt);\n    return result.response.text();\n  }\n}\n",
}


def test_a_nest_body_handed_through_a_service_into_a_multi_line_template_prompt(tmp_path: Path) -> None:
    """``@Body() dto`` -> ``sendMessage(..., dto)`` -> ``reply(dto.content)`` -> a prompt built as a multi-line
    template literal: request text reaches the model two services down (set 16 lorebot)."""
    found = scan_project(tmp_path, NEST_FILES, ("LR602",), NEST_PACKAGE)
    assert found == {("LR602", "src/conversations/conversations.controller.ts", 12)}
