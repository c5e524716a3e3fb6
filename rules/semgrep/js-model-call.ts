export async function POST(req: Request) {
  // ruleid: js-model-call
  const out = await openai.chat.completions.create({ model: "gpt-4o", messages: [] });
  // ruleid: js-model-call
  const result = streamText({ model: myProvider.languageModel("chat"), messages });
  // ruleid: js-model-call
  const msg = await anthropic.messages.create({ model: "claude", max_tokens: 10, messages: [] });
  // ruleid: js-model-call
  const r = await fetch("https://api.openai.com/v1/chat/completions", { method: "POST" });
  // ruleid: js-model-call
  const v3 = await openai.createChatCompletion({ model: "gpt-3.5-turbo", messages: [] });
  // ok: js-model-call
  const rows = await db.select().from(chat);
  // ok: js-model-call
  const page = await fetch("https://example.com/data");
  // ok: js-model-call
  const text = messages.map((m) => m.content).join("\n");
  return Response.json({ out, result, msg, r, v3, rows, page, text });
}
