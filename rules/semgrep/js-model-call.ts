const OPENAI_CHAT = "https://api.openai.com/v1/chat/completions";
const SLACK_HOOK = "https://hooks.slack.com/services/x";

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
  const ax = await axios.post("https://api.openai.com/v1/chat/completions", { model: "gpt-4o-mini", messages });
  // ruleid: js-model-call
  const gr = await got.post(`https://api.groq.com/openai/v1/chat/completions`, { json: { messages } });
  // ruleid: js-model-call
  const cfg = await axios({ method: "post", url: "https://openrouter.ai/api/v1/chat/completions", data: body });
  // ruleid: js-model-call
  const legacy = await openai.createChatCompletion({ model: "gpt-3.5-turbo", messages });
  // ruleid: js-model-call
  const old = await openai.createCompletion({ model: "text-davinci-003", prompt: q });
  // ruleid: js-model-call
  const viaConst = await fetch(OPENAI_CHAT, { method: "POST", body });
  // ok: js-model-call
  const viaOther = await fetch(SLACK_HOOK, { method: "POST", body });
  // ok: js-model-call
  const hook = await axios.post("https://hooks.slack.com/services/x", { text: "done" });
  // ok: js-model-call
  const rows = await db.select().from(chat);
  // ok: js-model-call
  const page = await fetch("https://example.com/data");
  // ok: js-model-call
  const text = messages.map((m) => m.content).join("\n");
  return Response.json({ out, result, msg, r, ax, gr, cfg, legacy, old, viaConst, viaOther, hook, rows, page, text });
}
