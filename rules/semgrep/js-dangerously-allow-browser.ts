import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

export const browserAI = new OpenAI({
  apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY,
  // ruleid: js-dangerously-allow-browser
  dangerouslyAllowBrowser: true,
});
// ruleid: js-dangerously-allow-browser
const claude = new Anthropic({ apiKey: key, dangerouslyAllowBrowser: true });
const opts = {
  // ruleid: js-dangerously-allow-browser
  dangerouslyAllowBrowser: true,
};
// ok: js-dangerously-allow-browser
const server = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
// ok: js-dangerously-allow-browser
const off = new OpenAI({ dangerouslyAllowBrowser: false });
// ok: js-dangerously-allow-browser
const text = "dangerouslyAllowBrowser: true";
// ok: js-dangerously-allow-browser
const byok = new OpenAI({ baseURL: activeEndpoint.baseUrl, apiKey: activeEndpoint.apiKey, dangerouslyAllowBrowser: true });
// ok: js-dangerously-allow-browser
const stored = new OpenAI({ apiKey: localStorage.getItem("openai_key"), dangerouslyAllowBrowser: true });
// ruleid: js-dangerously-allow-browser
const vite = new OpenAI({ apiKey: import.meta.env.VITE_OPENAI_API_KEY, dangerouslyAllowBrowser: true });
