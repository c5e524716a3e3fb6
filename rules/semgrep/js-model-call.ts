import { experimental_transcribe as transcribe } from "ai";
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
  const vectors = await openai.createEmbedding({ model: "text-embedding-ada-002", input: q });
  // ruleid: js-model-call
  const gvec = await embedder.embedContent(q);
  // ruleid: js-model-call
  await PineconeStore.fromDocuments(splitDocs, new OpenAIEmbeddings(), { pineconeIndex });
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

const ROUTER_URL = process.env.OPENROUTER_BASE_URL || "https://openrouter.ai/api/v1/chat/completions";
const GROQ_URL = process.env.GROQ_URL ?? "https://api.groq.com/openai/v1/chat/completions";
const STATS_URL = process.env.STATS_URL || "https://stats.example.com/collect";

export async function PATCH(req: Request) {
  // ruleid: js-model-call
  const a = await axios.post(ROUTER_URL, { model: "m", messages });
  // ruleid: js-model-call
  const b = await fetch(GROQ_URL, { method: "POST", body });
  // ruleid: js-model-call
  const c = await axios({ method: "post", url: ROUTER_URL, data: body });
  // ok: js-model-call
  const d = await axios.post(STATS_URL, { event: "chat" });
  // ok: js-model-call
  const e = await fetch(STATS_URL, { method: "POST", body });
  return Response.json({ a, b, c, d, e });
}

export async function PUT(req: Request) {
  // ruleid: js-model-call
  const pic = await openai.images.edit({ image, prompt });
  // ruleid: js-model-call
  const heard = await openai.audio.transcriptions.create({ file, model: "whisper-1" });
  // ruleid: js-model-call
  const voice = await openai.audio.speech.create({ model: "tts-1", voice: "alloy", input: text });
  // ruleid: js-model-call
  const { image: img } = await generateImage({ model: openai.imageModel("dall-e-3"), prompt });
  // ruleid: js-model-call
  const said = await transcribe({ model: openai.transcription("whisper-1"), audio });
  // ruleid: js-model-call
  const old2 = await openai.createTranscription(fs.createReadStream(path), "whisper-1");
  // ruleid: js-model-call
  const st = await fetch("https://api.stability.ai/v2beta/stable-image/generate/core", { method: "POST", body });
  // ok: js-model-call
  const clip = await ffmpeg.transcode(file);
  // ok: js-model-call
  const local = await generateThumbnail(image);
  // ok: js-model-call
  const upload = await storage.images.upload(file);
  // ok: js-model-call
  const lines = await transcript.split("\n");
  // ok: js-model-call
  const audio2 = await fetch("https://cdn.example.com/audio.mp3");
  return Response.json({ pic, heard, voice, img, said, old2, st, clip, local, upload, lines, audio2 });
}

export async function gemini(prompt: string) {
  // ruleid: js-model-call
  const result = await chatSession.sendMessage(prompt);
  const chat = model.startChat({ history: [] });
  // ruleid: js-model-call
  const stream = await chat.sendMessageStream(prompt);
  // ok: js-model-call
  await bot.sendMessage(chatId, result.response.text());
  // ok: js-model-call
  await socket.sendMessage(stream);
}

export async function agent(input: string, history: unknown[]) {
  const executor = new AgentExecutor({ agent: createToolCallingAgent({ llm, tools, prompt }), tools });
  // ruleid: js-model-call
  const events = await executor.streamEvents({ input, chat_history: history }, { version: "v1" });
  // ruleid: js-model-call
  const old = await chain.call({ question: input });
  // ok: js-model-call
  const bound = handler.call(this, input);
  // ok: js-model-call
  const same = Function.prototype.call.apply(fn, [input]);
  return { events, old, bound, same };
}

export async function edge(messages: unknown[]) {
  // ruleid: js-model-call
  const stream = await OpenAIEdgeStream("https://api.openai.com/v1/chat/completions", { method: "POST", body: JSON.stringify({ messages }) });
  // ok: js-model-call
  console.log("https://api.openai.com/v1/chat/completions");
  // ok: js-model-call
  const link = buildUrl("https://api.openai.com/v1/models");
  return { stream, link };
}

import twilio from "twilio";
const sms = twilio(process.env.TWILIO_SID, process.env.TWILIO_TOKEN);
export async function notify(to: string) {
  // ok: js-model-call
  return sms.messages.create({ to, from: "+15550001111", body: "Your report is ready" });
}

import { ChatAnthropic } from "@langchain/anthropic";
export async function sage(message: string) {
  const model = new ChatAnthropic({ apiKey: process.env.ANTHROPIC_API_KEY, model: "claude-3-haiku-20240307" });
  // ruleid: js-model-call
  return model.call(["You are Sage.", message]);
}
export function notAModel(fn: Function, args: unknown[]) {
  // ok: js-model-call
  return fn.call([1, 2], args);
}

async function huggingFace(hf: any, prompt: string, items: any[]) {
  // ruleid: js-model-call
  const a = await hf.textGeneration({ model: "gpt2", inputs: prompt });
  // ruleid: js-model-call
  const b = await hf.summarization({ inputs: prompt });
  // ok: js-model-call
  const c = items.filter((x) => x.textGenerationEnabled);
  return [a, b, c];
}
