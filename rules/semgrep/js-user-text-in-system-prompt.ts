// Next.js route handlers (Vercel AI SDK) and Express routes (openai, Anthropic, LangChain): request text in
// the system prompt versus the user role.
import express from "express";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import { GoogleGenerativeAI } from "@google/generative-ai";
import { GoogleGenAI } from "@google/genai";

const client = new OpenAI();
const anthropic = new Anthropic();
const llm = new ChatOpenAI({ model: "gpt-4o-mini" });
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);
const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });
const app = express();
app.use(express.json());

const PERSONAS: Record<string, string> = { tutor: "You are a patient tutor.", coach: "You are a coach." };
const SYSTEM_PROMPT = "You are Acme's support assistant. Never share internal data.";

// app/api/chat/route.ts
export async function POST(req: Request) {
  const { messages, persona } = await req.json();
  const result = streamText({
    model: openai("gpt-4o-mini"),
    // ruleid: js-user-text-in-system-prompt
    system: `You are ${persona}. Answer in the user's language.`,
    messages,
  });
  return result.toUIMessageStreamResponse();
}

export async function PUT(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: openai("gpt-4o-mini"),
    // ok: js-user-text-in-system-prompt
    system: SYSTEM_PROMPT,
    messages,
  });
  return result.toUIMessageStreamResponse();
}

export async function PATCH(req: Request) {
  const body = await req.json();
  const { text } = await generateText({
    model: openai("gpt-4o-mini"),
    // ok: js-user-text-in-system-prompt
    system: PERSONAS[body.persona] ?? PERSONAS.tutor,
    prompt: body.prompt,
  });
  return Response.json({ text });
}

export async function DELETE(req: Request) {
  const { tone, prompt } = await req.json();
  const safeTone = z.enum(["formal", "casual"]).parse(tone);
  const { text } = await generateText({
    model: openai("gpt-4o-mini"),
    // ok: js-user-text-in-system-prompt
    system: `Answer in a ${safeTone} tone.`,
    prompt,
  });
  return Response.json({ text });
}

app.post("/api/chat", async (req, res) => {
  const { message, context } = req.body;
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      // ruleid: js-user-text-in-system-prompt
      { role: "system", content: "Answer using this context:\n" + context },
      // ok: js-user-text-in-system-prompt
      { role: "user", content: message },
    ],
  });
  res.json({ reply: completion.choices[0].message.content });
});

app.post("/api/claude", async (req, res) => {
  const { rules, prompt } = req.body;
  const msg = await anthropic.messages.create({
    model: "claude-3-5-haiku-latest",
    max_tokens: 1024,
    // ruleid: js-user-text-in-system-prompt
    system: `You are a support agent. Extra rules: ${rules}`,
    messages: [{ role: "user", content: prompt }],
  });
  res.json(msg);
});

app.post("/api/agent", async (req, res) => {
  const r = await client.responses.create({
    model: "gpt-4.1-mini",
    // ruleid: js-user-text-in-system-prompt
    instructions: req.body.instructions,
    input: req.body.input,
  });
  res.json({ text: r.output_text });
});

app.post("/api/langchain", async (req, res) => {
  const { question, botName } = req.body;
  const reply = await llm.invoke([
    // ruleid: js-user-text-in-system-prompt
    new SystemMessage(`Your name is ${botName}.`),
    // ok: js-user-text-in-system-prompt
    new HumanMessage(question),
  ]);
  res.json({ reply: reply.content });
});

app.post("/api/lang", async (req, res) => {
  const { language, text } = req.body;
  if (!["en", "fr", "de"].includes(language)) {
    return res.status(400).json({ error: "unsupported language" });
  }
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      // ok: js-user-text-in-system-prompt
      { role: "system", content: `Translate the user's text into ${language}.` },
      { role: "user", content: text },
    ],
  });
  res.json({ text: completion.choices[0].message.content });
});

function systemPrompt({ model }: { model: string }) {
  return model.includes("reasoning") ? "Think step by step." : "Be brief.";
}

export async function HEAD(req: Request) {
  const { messages, selectedChatModel } = await req.json();
  const result = streamText({
    model: openai(selectedChatModel),
    // ok: js-user-text-in-system-prompt
    system: systemPrompt({ model: selectedChatModel }),
    messages,
  });
  return result.toUIMessageStreamResponse();
}

// Google Gemini: `systemInstruction` of the model, a chat or one request
app.post("/api/gemini/persona", async (req, res) => {
  const { message, persona } = req.body;
  const model = genAI.getGenerativeModel({
    model: "gemini-1.5-flash",
    // ruleid: js-user-text-in-system-prompt
    systemInstruction: `You are ${persona}. Be helpful.`,
  });
  res.json({ text: (await model.generateContent(message)).response.text() });
});

app.post("/api/gemini/history", async (req, res) => {
  const { history, message } = req.body;
  const context = history.map((m: { role: string; text: string }) => `${m.role}: ${m.text}`).join("\n");
  const model = genAI.getGenerativeModel({ model: "gemini-1.5-flash" });
  const chat = model.startChat({
    // ruleid: js-user-text-in-system-prompt
    systemInstruction: { role: "system", parts: [{ text: `Conversation so far:\n${context}` }] },
  });
  res.json({ text: (await chat.sendMessage(message)).response.text() });
});

app.post("/api/gemini/context", async (req, res) => {
  const { message, context } = req.body;
  const chat = ai.chats.create({
    model: "gemini-2.5-flash",
    // ruleid: js-user-text-in-system-prompt
    config: { systemInstruction: `Use this context: ${context}` },
  });
  res.json({ text: (await chat.sendMessage({ message })).text });
});

app.post("/api/gemini/fixed", async (req, res) => {
  const { message, persona } = req.body;
  const model = genAI.getGenerativeModel({
    model: "gemini-1.5-flash",
    // ok: js-user-text-in-system-prompt
    systemInstruction: PERSONAS[persona] ?? SYSTEM_PROMPT,
  });
  res.json({ text: (await model.generateContent(message)).response.text() });
});

app.post("/api/gemini/chat", async (req, res) => {
  const { message } = req.body;
  const chat = ai.chats.create({
    model: "gemini-2.5-flash",
    // ok: js-user-text-in-system-prompt
    config: { systemInstruction: SYSTEM_PROMPT },
    history: [{ role: "user", parts: [{ text: message }] }],
  });
  res.json({ text: (await chat.sendMessage({ message })).text });
});

app.post("/api/notes", async (req, res) => {
  const { note } = req.body;
  await prisma.message.create({
    // ok: js-user-text-in-system-prompt
    data: { role: "system", content: note, chatId: req.params.id },
  });
  // ok: js-user-text-in-system-prompt
  await db.collection("messages").insertOne({ role: "system", content: note });
  const reply = await openai.chat.completions.create({
    model: "gpt-4o",
    // ruleid: js-user-text-in-system-prompt
    messages: [{ role: "system", content: note }],
  });
  res.json(reply);
});

// a body read with `.catch(() => null)` is request text too
export async function PATCH(req: Request) {
  const body = await req.json().catch(() => null);
  const persona = body?.persona ?? "";
  const { text } = await generateText({
    model: openai("gpt-4o-mini"),
    // ruleid: js-user-text-in-system-prompt
    system: `You are ${persona}.`,
    // ok: js-user-text-in-system-prompt
    prompt: "Say hello",
  });
  return Response.json({ text });
}

// retrieved context found with the user's question is stored text, not the question (set 15 chatpdf)
export async function PUT(req: Request) {
  const { messages } = await req.json();
  const last = messages[messages.length - 1];
  const context = await getContext(last.content, "file-key");
  const docs = await vectorStore.similaritySearch(last.content, 4);
  const reply = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      // ok: js-user-text-in-system-prompt
      { role: "system", content: `Answer from the context only.\n${context}` },
      // ok: js-user-text-in-system-prompt
      { role: "system", content: `Sources: ${docs.map((d) => d.pageContent).join("\n")}` },
      // ruleid: js-user-text-in-system-prompt
      { role: "system", content: `The user asked: ${last.content}` },
    ],
  });
  return Response.json(reply);
}

// a project helper that picks fixed strings by the request's settings, called first (set 16 superfier)
export async function OPTIONS(req: Request) {
  const { messages, persona, creativity } = await req.json();
  const builtSystemPrompt = promptBuilder(persona, creativity);
  const inline = `You are ${persona}.`;
  const a = streamText({
    model: openai("gpt-4o-mini"),
    // ok: js-user-text-in-system-prompt
    system: builtSystemPrompt,
    messages,
  });
  const b = streamText({
    model: openai("gpt-4o-mini"),
    // ruleid: js-user-text-in-system-prompt
    system: inline,
    messages,
  });
  return Response.json({ a, b });
}

// a row stored with Drizzle is no prompt (set 17 chat-docu)
export async function CONNECT(req: Request) {
  const { note } = await req.json();
  // ok: js-user-text-in-system-prompt
  await db.insert(messagesTable).values({ chatId: "c", role: "system", content: note });
  return Response.json({ ok: true });
}

// a template filled with the request's values is request text (set 27 jobot); a selector given them is not
export async function TRACE(req: Request) {
  const body = await req.json();
  const inputData = body.inputData;
  const messages = [
    // ruleid: js-user-text-in-system-prompt
    { role: "system", content: fillTemplate(skill.system_prompt, inputData) },
    // ok: js-user-text-in-system-prompt
    { role: "system", content: pickPersona(inputData) },
    { role: "user", content: fillTemplate(skill.user_prompt, inputData) },
  ];
  return Response.json(await openai.chat.completions.create({ model: "gpt-4o-mini", messages }));
}
