// Next.js route handlers (Vercel AI SDK) and Express routes (openai): request text into a model call.
import express from "express";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { convertToModelMessages, generateText, streamText } from "ai";
import { z } from "zod";
import { chatRequestSchema } from "./schema";

const client = new OpenAI();
const anthropic = new Anthropic();
const app = express();
app.use(express.json());

const LooseBody = z.object({ prompt: z.string() });
const BoundedBody = z.object({ prompt: z.string().min(1).max(4000) });

// chatbot-ui: the body is cast to an object type literal before it is destructured
export async function PROPFIND(request: Request) {
  const json = await request.json();
  const { chatSettings, messages } = json as { chatSettings: { model: string }; messages: any[] };
  const response = await client.chat.completions.create({
    model: chatSettings.model,
    // ruleid: js-unbounded-prompt-input
    messages: messages as ChatCompletionCreateParamsBase["messages"],
  });
  return new Response(response.toReadableStream());
}

// app/api/chat/route.ts
export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: openai("gpt-4o-mini"),
    system: "You are a helpful assistant.",
    // ruleid: js-unbounded-prompt-input
    messages: convertToModelMessages(messages),
  });
  return result.toUIMessageStreamResponse();
}

// app/api/completion/route.ts
export async function PUT(req: Request) {
  const { prompt } = LooseBody.parse(await req.json());
  // ruleid: js-unbounded-prompt-input
  const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt });
  return Response.json({ text });
}

export async function PATCH(req: Request) {
  const { prompt } = BoundedBody.parse(await req.json());
  // ok: js-unbounded-prompt-input
  const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt });
  return Response.json({ text });
}

export async function OPTIONS(req: Request) {
  const body = chatRequestSchema.parse(await req.json());
  // ok: js-unbounded-prompt-input
  const result = streamText({ model: openai("gpt-4o"), messages: body.messages });
  return result.toTextStreamResponse();
}

export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  if (q.length > 500) {
    return new Response("query too long", { status: 413 });
  }
  // ok: js-unbounded-prompt-input
  const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt: q });
  return Response.json({ text });
}

export async function DELETE(req: Request) {
  const { model, question } = await req.json();
  const { text } = await generateText({
    // ok: js-unbounded-prompt-input
    model: openai(model),
    prompt: `Answer briefly: ${question.slice(0, 1000)}`,
  });
  return Response.json({ text });
}

app.post("/api/chat", async (req, res) => {
  const { message, history } = req.body;
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    // ruleid: js-unbounded-prompt-input
    messages: [...history, { role: "user", content: message }],
  });
  res.json({ reply: completion.choices[0].message.content });
});

app.post("/api/ask", async (req, res) => {
  const question = req.body.question;
  if (!question || question.length > 2000) {
    return res.status(400).json({ error: "question must be 1-2000 characters" });
  }
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    // ok: js-unbounded-prompt-input
    messages: [{ role: "user", content: question }],
  });
  res.json({ answer: completion.choices[0].message.content });
});

app.post("/api/claude", async (req, res) => {
  const msg = await anthropic.messages.create({
    model: "claude-3-5-haiku-latest",
    max_tokens: 1024,
    // ruleid: js-unbounded-prompt-input
    messages: [{ role: "user", content: req.body.prompt }],
  });
  res.json(msg);
});

app.get("/api/search", async (req, res) => {
  const r = await fetch("https://api.openai.com/v1/chat/completions", {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
    // ruleid: js-unbounded-prompt-input
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: req.query.q }] }),
  });
  res.json(await r.json());
});

app.post("/api/summary", async (req, res) => {
  const text = String(req.body.text).substring(0, 8000);
  // ok: js-unbounded-prompt-input
  const r = await client.responses.create({ model: "gpt-4.1-mini", input: `Summarize:\n${text}` });
  res.json({ summary: r.output_text });
});

// app/api/together/route.ts: the options object is built first
export async function TRACE(req: Request) {
  const { prompt } = await req.json();
  const params = { model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", messages: [{ role: "user", content: prompt }] };
  // ruleid: js-unbounded-prompt-input
  const runner = client.chat.completions.stream(params);
  return new Response(runner.toReadableStream());
}

// Express controller on the v3 SDK: the history array grows with push()
export const generateChatCompletion = async (req, res) => {
  const { message } = req.body;
  const chats = user.chats.map(({ role, content }) => ({ role, content }));
  chats.push({ content: message, role: "user" });
  const chatResponse = await openaiV3.createChatCompletion({
    model: "gpt-3.5-turbo",
    // ruleid: js-unbounded-prompt-input
    messages: chats,
  });
  return res.status(200).json({ chats: chatResponse.data });
};

// a cast to a named type on the way in and an indexed type on the way out (chatbot-ui's azure route)
export async function CONNECT(request: Request) {
  const json = await request.json();
  const { chatSettings, messages } = json as ChatAPIPayload;
  const response = await client.chat.completions.create({
    model: chatSettings.model as ChatCompletionCreateParamsBase["model"],
    // ruleid: js-unbounded-prompt-input
    messages: messages as ChatCompletionCreateParamsBase["messages"],
    stream: true,
  });
  return new Response(response.toReadableStream());
}

// functions/api/chat.js (Cloudflare Pages): a proxy that forwards the whole body
const url = "https://api.openai.com/v1/chat/completions";
export async function onRequest({ request, env }) {
  const chat = await request.json();
  const upstream = await fetch(url, {
    method: "POST",
    // ruleid: js-unbounded-prompt-input
    body: JSON.stringify({ temperature: 0.6, ...chat }),
    headers: { Authorization: `Bearer ${env.GPT_TOKEN}`, "Content-Type": "application/json" },
  });
  return new Response(upstream.body, { status: upstream.status });
}


// an Express controller calling Gemini's REST API with axios
export const askGemini = async (req, res) => {
  const { prompt } = req.body;
  const response = await axios.post(
    `https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent?key=${process.env.GEMINI_API_KEY}`,
    // ruleid: js-unbounded-prompt-input
    { contents: [{ parts: [{ text: prompt }] }] },
  );
  res.json(response.data);
};

const GROQ_URL = "https://api.groq.com/openai/v1/chat/completions";
export const askGroq = async (req, res) => {
  // ruleid: js-unbounded-prompt-input
  const r = await axios.post(GROQ_URL, { model: "llama3-8b-8192", messages: req.body.messages });
  res.json(r.data);
};

export const notify = async (req, res) => {
  // ok: js-unbounded-prompt-input
  await axios.post("https://hooks.slack.com/services/x", { text: req.body.message });
  res.sendStatus(204);
};

// a Gemini chat session imported from another module
export async function TRACE(req: Request) {
  const { prompt } = await req.json();
  // ruleid: js-unbounded-prompt-input
  const result = await chatSession.sendMessage(prompt);
  // ok: js-unbounded-prompt-input
  await socket.sendMessage(prompt);
  return Response.json({ text: result.response.text() });
}

// a LangChain chain whose name ends in Chain
export async function PATCH(req: Request) {
  const body = await req.json();
  const messages = body.messages ?? [];
  const currentMessageContent = messages[messages.length - 1].content;
  // ruleid: js-unbounded-prompt-input
  const stream = await conversationalRetrievalQAChain.stream({
    question: currentMessageContent,
    chat_history: "",
  });
  // ok: js-unbounded-prompt-input
  const upload = await fileStream.stream(currentMessageContent);
  return new Response(stream);
}

// image generation and Replicate models
export async function OPTIONS(req: Request) {
  const { prompt, amount } = await req.json();
  const response = await openai.images.generate({
    // ruleid: js-unbounded-prompt-input
    prompt: prompt,
    // ruleid: js-unbounded-prompt-input
    n: parseInt(amount, 10),
    // ok: js-unbounded-prompt-input
    size: "512x512",
  });
  const bounded = await openai.images.generate({
    // ok: js-unbounded-prompt-input
    prompt: prompt.slice(0, 1000),
    n: 1,
  });
  const music = await replicate.run("riffusion/riffusion:8cf61ea6", {
    input: {
      // ruleid: js-unbounded-prompt-input
      prompt_a: prompt,
      // ok: js-unbounded-prompt-input
      seed: 42,
    },
  });
  // ok: js-unbounded-prompt-input
  const other = await jobs.run("task", { input: { prompt } });
  return Response.json({ response, bounded, music, other });
}

// app/api/echo/route.ts: a non-empty check is no size limit; a length limit is
export async function DELETE(req: Request) {
  const { prompt } = await req.json();
  if (!prompt || prompt.trim().length > 0 === false) return new Response("empty", { status: 400 });
  if (prompt.length < 1) return new Response("empty", { status: 400 });
  // ruleid: js-unbounded-prompt-input
  const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt });
  return Response.json({ text });
}

export async function OPTIONS(req: Request) {
  const { prompt } = await req.json();
  if (prompt.length > 4000) return new Response("too long", { status: 413 });
  // ok: js-unbounded-prompt-input
  const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt });
  return Response.json({ text });
}

// app/api/duplex/route.ts: a body read with `.catch(() => null)`, a schema with no `.max(`, the prompt options
// built apart and spread into `streamText` (set 14 genailabs); a bounded one spread in is fine
const DuplexSchema = z.object({ prompt: z.string().optional(), messages: z.any().optional() });

export async function HEAD(req: Request) {
  const body = await req.json().catch(() => null);
  const parsed = DuplexSchema.safeParse(body);
  const { prompt, messages } = parsed.data;
  const base = messages ? { messages: convertToModelMessages(messages) } : { prompt: String(prompt) };
  const bounded = { prompt: String(prompt).slice(0, 2000) };
  const a = streamText({
    // ruleid: js-unbounded-prompt-input
    ...base,
    model: openai("gpt-4o-mini"),
  });
  const b = streamText({
    // ok: js-unbounded-prompt-input
    ...bounded,
    model: openai("gpt-4o-mini"),
  });
  return Response.json({ a, b });
}

// app/api/speech/route.ts: the query read from a destructured URL; text to speech billed per character
export async function GET(req: NextRequest) {
  const { searchParams } = new URL(req.url);
  const message = searchParams.get("message");
  if (!message) return NextResponse.json({ error: "required" }, { status: 400 });
  const speech = await openai.audio.speech.create({
    model: "tts-1",
    // ok: js-unbounded-prompt-input
    voice: "alloy",
    // ruleid: js-unbounded-prompt-input
    input: message,
  });
  const short = await openai.audio.speech.create({
    model: "tts-1",
    voice: "alloy",
    // ok: js-unbounded-prompt-input
    input: message.slice(0, 4000),
  });
  return new Response(await speech.arrayBuffer(), { headers: { "x-short": String(short.ok) } });
}

// a token count under any name bounds the prompt (`getTokenCount`, not only names starting with "count")
export async function PATCH(req: Request) {
  const { prompt } = await req.json();
  if (getTokenCount(prompt) > 4000) return new Response("too long", { status: 413 });
  // ok: js-unbounded-prompt-input
  const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt });
  return Response.json({ text });
}

// a system prompt a project helper picks by the request's settings is not the member's text (set 16 superfier)
export async function TRACE(req: Request) {
  const { messages, persona } = await req.json();
  const builtSystemPrompt = promptBuilder(persona);
  const result = streamText({
    model: openai("gpt-4o-mini"),
    // ok: js-unbounded-prompt-input
    system: builtSystemPrompt,
    // ruleid: js-unbounded-prompt-input
    messages,
  });
  return result.toDataStreamResponse();
}

// set 24 easyAI: the last six messages are as long as the client sent them; the last 4000 characters are bounded
export async function MKCALENDAR(request: Request) {
  const { messages, note } = await request.json();
  const recent = messages.slice(-6);
  await client.chat.completions.create({
    model: "gpt-4o-mini",
    // ruleid: js-unbounded-prompt-input
    messages: recent,
  });
  await client.chat.completions.create({
    model: "gpt-4o-mini",
    // ok: js-unbounded-prompt-input
    messages: [{ role: "user", content: note.slice(-4000) }],
  });
}
