"""Finding a JS/TS function's body by its name (``jstext.definition_span``): a commented-out old version above the
live one is skipped, and a return type that is an object literal inside generics (``Promise<{ a: string }>``) is
not taken for the body (set 16 lorebot: a NestJS service's model call was lost, another's dead one counted)."""

from __future__ import annotations

import pytest

from scanner.engines.semgrep.jstext import definition_span

SERVICE = """export class ConversationsService {
  // async startConversation(userId: string) {
  //   return this.gemini.generateContent(userId);
  // }

  async startConversation(userId: string): Promise<Conversation> {
    return this.repo.findOne({ where: { user: { id: userId } } });
  }

  /* async generateWorldEvent() { return null; } */
  async generateWorldEvent(): Promise<{
    eventName: string;
    affectedLocations: string[];
  }> {
    const result = await this.model.generateContent(prompt);
    return JSON.parse(result.response.text());
  }
}
"""


@pytest.mark.parametrize(("name", "first", "last"), [
    ("startConversation", "async startConversation(userId: string): Promise<Conversation> {",
     "return this.repo.findOne({ where: { user: { id: userId } } });\n  }"),
    ("generateWorldEvent", "async generateWorldEvent(): Promise<{",
     "return JSON.parse(result.response.text());\n  }"),
])
def test_the_live_definition_and_its_whole_body(name: str, first: str, last: str) -> None:
    span = definition_span(SERVICE, name)
    assert span is not None
    body = SERVICE[span[0]:span[1]].strip()
    assert body.startswith(first)
    assert body.endswith(last)


def test_a_comment_opener_inside_a_string_comments_nothing_out() -> None:
    """``"https://*.example.io"`` in a prompt string holds ``/*`` but opens no comment: the function defined after it
    is live (a regression caught on set 2 repositories)."""
    text = ("const SYSTEM = `Set CSP: script-src 'self' https://*.example.io;`;\n\n"
            "export const generateResult = async (prompt) => {\n  return model.generateContent(prompt);\n};\n")
    span = definition_span(text, "generateResult")
    assert span is not None and "generateContent" in text[span[0]:span[1]]
