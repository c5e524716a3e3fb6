export async function ask(prompt: string, key: string) {
  // ruleid: js-browser-model-fetch
  const a = await fetch("https://api.openai.com/v1/chat/completions", {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] }),
  });
  // ruleid: js-browser-model-fetch
  const b = await fetch("https://api.anthropic.com/v1/messages", {
    method: "POST",
    headers: { "x-api-key": key, "anthropic-version": "2023-06-01" },
  });
  // ruleid: js-browser-model-fetch
  const c = await fetch(CHAT_URL, { method: "POST", headers: { Authorization: `Bearer ${key}` } });
  // ok: js-browser-model-fetch
  const d = await fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" } });
  // ok: js-browser-model-fetch
  const e = await fetch("https://api.openai.com/v1/models");
  // ok: js-browser-model-fetch
  const f = await fetch("https://example.com/x", { headers: { Authorization: `Bearer ${token}` } });
  return [a, b, c, d, e, f];
}
