"""Shapes judges met on held-out JS/TS chatbots (round 4): an Express route behind a non-refusing middleware that
tests the credential it attached and leaves without it; a stub handler whose model call is commented out; a
password-reset request calling the auth provider (public by design); the logging, CORS and rate-limit shapes
listed per test below."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

EXPRESS = '{"dependencies": {"express": "4.19.0", "openai": "4.0.0", "@prisma/client": "5.0.0"}}\n'
NEXT = '{"dependencies": {"next": "15.0.0", "openai": "4.0.0", "next-auth": "4.24.0"}}\n'
HONO = '{"dependencies": {"hono": "4.0.0", "@supabase/supabase-js": "2.0.0", "openai": "4.0.0"}}\n'


# --- AUTH302: a handler that tests what an optional middleware attached and leaves without it -----------------

OPTIONAL_MW = ('import type { RequestHandler } from "express";\nimport { getToken } from "next-auth/jwt";\n\n'
               "export const optionalNextAuth: RequestHandler = async (req: any, res, next) => {\n"
               "  const token = await getToken({ req: req as any, secret: process.env.NEXTAUTH_SECRET! });\n"
               "  if (token && token.sub) {\n    req.auth = { userId: token.sub };\n  }\n  next();\n};\n")
EXPRESS_ROUTES = '''import type { Express } from "express";
import { prisma } from "./db";
import { optionalNextAuth } from "./nextAuthMiddleware";

export function registerRoutes(app: Express) {
  app.get("/api/app-calendar/events", optionalNextAuth, async (req: any, res) => {
    let userIdentifier: string;
    if (req.auth?.userId) {
      // Authenticated user
      userIdentifier = req.auth.userId;
    } else {
      // Unauthenticated user - return empty events
      return res.json({ events: [] });
    }
    const events = await prisma.event.findMany({ where: { userId: userIdentifier } });
    res.json({ events });
  });

  app.delete("/api/app-calendar/events/:id", optionalNextAuth, async (req: any, res) => {
    let userIdentifier: string;
    if (req.auth?.userId) {
      userIdentifier = req.auth.userId;
    } else {
      return res.status(401).json({ error: "Authentication required to delete events" });
    }
    await prisma.event.deleteMany({ where: { id: req.params.id, userId: userIdentifier } });
    res.json({ success: true });
  });

  app.post("/api/notes", optionalNextAuth, async (req: any, res) => { // expect: AUTH302
    if (req.auth?.userId) {
      console.log("signed in");
    }
    const note = await prisma.note.create({ data: { text: req.body.text, userId: req.auth?.userId } });
    res.json(note);
  });

  app.get("/api/reports", optionalNextAuth, async (req: any, res) => { // expect: AUTH302
    const reports = await prisma.report.findMany({ where: { ownerId: req.query.ownerId } });
    res.json(reports);
  });
}
'''
EXPRESS_FILES = {
    "server/routes.ts": EXPRESS_ROUTES,
    "server/nextAuthMiddleware.ts": OPTIONAL_MW,
    "server/db.ts": 'import { PrismaClient } from "@prisma/client";\n\nexport const prisma = new PrismaClient();\n',
}


@needs_semgrep
def test_inline_check_on_optional_middleware_credential(tmp_path: Path) -> None:
    codes = ("AUTH301", "AUTH302", "AUTH303")
    expected = marked(EXPRESS_FILES, codes)
    assert scan_project(tmp_path, EXPRESS_FILES, codes, EXPRESS) == expected
    assert expected == {("AUTH302", "server/routes.ts", 30), ("AUTH302", "server/routes.ts", 38)}


# --- AUTH303: a stub whose model call is commented out; a password-reset request ------------------------------

STUB = '''import { NextResponse } from "next/server";

export async function POST(req: Request) {
  const { transcript } = await req.json();

  // In production, replace with real OpenAI API call
  // const res = await openai.chat.completions.create({ ... })
  const fakeSummary = `**Meeting Summary:** discussed the timeline.`;

  return NextResponse.json({ summary: fakeSummary, length: transcript.length });
}
'''
FORWARD = '''import { NextResponse } from "next/server";

export async function POST(req: Request) { // expect: AUTH303
  const { transcript } = await req.json();
  await fetch(process.env.SLACK_HOOK_URL!, { method: "POST", body: JSON.stringify({ text: transcript }) });
  return NextResponse.json({ ok: true });
}
'''
NEXT_FILES = {"app/api/summarise-call/route.ts": STUB, "app/api/forward-call/route.ts": FORWARD}


@needs_semgrep
def test_commented_model_call_is_no_work(tmp_path: Path) -> None:
    codes = ("AUTH301", "AUTH302", "AUTH303")
    expected = marked(NEXT_FILES, codes)
    assert scan_project(tmp_path, NEXT_FILES, codes, NEXT) == expected
    assert expected == {("AUTH303", "app/api/forward-call/route.ts", 3)}


HONO_AUTH = '''import { Hono } from "hono";
import { createClient } from "@supabase/supabase-js";

const auth = new Hono();
const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);

auth.post("/reset", async (c) => {
  const { email } = await c.req.json();
  const { error } = await supabase.auth.resetPasswordForEmail(email, { redirectTo: "https://example.com/update" });
  if (error) {
    return c.json({ error: error.message }, 400);
  }
  return c.json({ message: "OK" });
});

auth.post("/reset-history", async (c) => { // expect: AUTH302
  const { userId } = await c.req.json();
  await supabase.from("history").delete().eq("user_id", userId);
  return c.json({ message: "OK" });
});

export default auth;
'''
HONO_INDEX = ('import { Hono } from "hono";\nimport auth from "./routes/auth";\n\nconst app = new Hono();\n'
              'app.route("/auth", auth);\n\nexport default app;\n')
HONO_FILES = {"src/routes/auth.ts": HONO_AUTH, "src/index.ts": HONO_INDEX}


@needs_semgrep
def test_password_reset_request_is_public(tmp_path: Path) -> None:
    codes = ("AUTH301", "AUTH302", "AUTH303")
    expected = marked(HONO_FILES, codes)
    assert scan_project(tmp_path, HONO_FILES, codes, HONO) == expected
    assert expected == {("AUTH302", "src/routes/auth.ts", 16)}


# --- LOG403 in the NextAuth configuration; LOG404 for every header at once and for the OAuth callback code -----

NEXTAUTH_CONFIG = '''import NextAuth from "next-auth";
import Google from "next-auth/providers/google";
import { isEmailAllowed } from "./allowlist";

export const { handlers, auth, signIn } = NextAuth({
  providers: [Google],
  callbacks: {
    async signIn({ user }) {
      if (!user.email) {
        return false;
      }
      if (!isEmailAllowed(user.email)) {
        console.log(`Access denied for ${user.email} - not on allowlist`); // expect: LOG403
        return false;
      }
      console.log(`sign-in ok for user ${user.id}`);
      return true;
    },
  },
});
'''
CLIENT_MENU = '''"use client";
import { useSession } from "next-auth/react";

export function UserMenu() {
  const { data } = useSession();
  console.log("menu for", data?.user?.email);
  return <span>{data?.user?.name}</span>;
}
'''
ONBOARDING = '''import { NextRequest, NextResponse } from "next/server";
import { auth } from "@/lib/auth";

export async function POST(request: NextRequest) {
  console.log("[ONBOARDING API] Request headers:", Object.fromEntries(request.headers.entries())); // expect: LOG404
  console.log("[ONBOARDING API] content type:", request.headers.get("content-type"));
  const session = await auth();
  if (!session?.user?.id) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
  return NextResponse.json({ ok: true });
}
'''
CALLBACK = '''import { NextResponse } from "next/server";
import { createClient } from "@/supabase/server";

export async function GET(request: Request) {
  const { searchParams, origin } = new URL(request.url);
  const code = searchParams.get("code");
  const next = searchParams.get("next") ?? "/chat";
  console.log("next", next);
  if (code) {
    console.log("code", code); // expect: LOG404
    const supabase = createClient();
    const { error } = await supabase.auth.exchangeCodeForSession(code);
    if (!error) {
      return NextResponse.redirect(`${origin}${next}`);
    }
  }
  return NextResponse.redirect(`${origin}/auth/auth-code-error`);
}
'''
LOG_FILES = {
    "lib/auth.ts": NEXTAUTH_CONFIG,
    "lib/allowlist.ts": 'export function isEmailAllowed(email: string): boolean {\n  return email.endsWith("@example.com");\n}\n',
    "components/UserMenu.tsx": CLIENT_MENU,
    "app/api/onboarding/route.ts": ONBOARDING,
    "app/auth/callback/route.ts": CALLBACK,
}


@needs_semgrep
def test_auth_config_headers_and_callback_code_logged(tmp_path: Path) -> None:
    codes = ("LOG403", "LOG404")
    expected = marked(LOG_FILES, codes)
    assert scan_project(tmp_path, LOG_FILES, codes, NEXT) == expected
    assert expected == {("LOG403", "lib/auth.ts", 13), ("LOG404", "app/api/onboarding/route.ts", 5),
                        ("LOG404", "app/auth/callback/route.ts", 10)}


# --- LOG402: a model answer fetched over HTTP and read with await response.json() ---------------------------

FETCHED_ANSWER = '''import { Hono } from "hono";

const app = new Hono();

app.post("/chat", async (c) => {
  const body = await c.req.json();
  const prompt = String(body?.prompt ?? "").slice(0, 2000);
  const response = await fetch("https://api.openai.com/v1/chat/completions", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] }),
  });
  if (!response.ok) {
    const details = await response.json();
    console.error("OpenAI API error:", response.status, details);
    return c.json({ error: "OpenAI API error" }, 500);
  }
  const data = await response.json();
  const cleaned = data?.choices?.[0]?.message?.content
    ?.replace(/```json|```/g, "")
    ?.trim();
  console.log("AI raw content:", cleaned); // expect: LOG402
  console.log("tokens used:", data?.usage?.total_tokens);
  return c.json(JSON.parse(cleaned));
});

export default app;
'''


IMAGE_ROUTE = '''import { NextResponse } from "next/server";

async function fetchWithTimeout(url: string, options: RequestInit, timeout: number) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), timeout);
  return fetch(url, { ...options, signal: controller.signal });
}

export async function POST(req: Request) {
  const { prompt, modelUrl } = await req.json();
  const response = await fetchWithTimeout(modelUrl, {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.HF_API_KEY}` },
    body: JSON.stringify({ inputs: String(prompt).slice(0, 500) }),
  }, 60000);
  const status = await response.json();
  console.log("image job", status);
  return NextResponse.json(status);
}
'''


@needs_semgrep
def test_model_answer_read_from_fetch_response(tmp_path: Path) -> None:
    files = {"src/index.ts": FETCHED_ANSWER, "app/api/image/route.ts": IMAGE_ROUTE}
    codes = ("LOG401", "LOG402", "LOG404")
    expected = marked(files, codes)
    assert scan_project(tmp_path, files, codes, HONO) == expected
    assert expected == {("LOG402", "src/index.ts", 22)}


# --- CORS: an origin callback accepting any *.vercel.app; hono cors() in compiled CommonJS --------------------

HONO_CORS = '''import { Hono } from "hono";
import { cors } from "hono/cors";

const app = new Hono();

app.use(
  "/*",
  cors({
    origin: (origin) => {
      if (!origin) return "*";
      if (origin === "http://localhost:3000") return origin;
      if (origin.endsWith(".vercel.app")) return origin; // expect: CORS502
      if (origin === "https://rootlink.vercel.app") return origin;
      return null;
    },
    allowMethods: ["GET", "POST", "OPTIONS"],
  })
);

app.get("/", (c) => c.text("OK"));

export default app;
'''
HONO_CORS_OWN = HONO_CORS.replace(
    '      if (origin.endsWith(".vercel.app")) return origin; // expect: CORS502\n', "")
HONO_CJS = '''"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("dotenv/config");
var hono_1 = require("hono");
var cors_1 = require("hono/cors");
var app = new hono_1.Hono();
app.use('*', (0, cors_1.cors)()); // expect: CORS501
app.get('/', function (c) { return c.text('Hono server is running!'); });
exports.default = app;
'''
HONO_CJS_OWN = HONO_CJS.replace("(0, cors_1.cors)()); // expect: CORS501",
                                "(0, cors_1.cors)({ origin: 'https://rootlink.app' }));")


@pytest.mark.parametrize("files", [
    {"src/index.ts": HONO_CORS, "src/index.js": HONO_CJS},
    {"src/index.ts": HONO_CORS_OWN, "src/index.js": HONO_CJS_OWN},
], ids=["shared-suffix-and-default", "own-origins"])
@needs_semgrep
def test_hono_cors_shapes(tmp_path: Path, files: dict[str, str]) -> None:
    codes = ("CORS501", "CORS502", "CORS503")
    expected = marked(files, codes)
    assert scan_project(tmp_path, files, codes, HONO) == expected
    assert len(expected) == (2 if "CORS502" in files["src/index.ts"] else 0)


# --- LR601/LR602: a model fetch three calls away; a LangChain chain's .stream(); images and Replicate ----------

RESOLVE_LIB = r'''const OPENAI_API_URL =
  process.env.OPENAI_API_URL ?? "https://api.openai.com/v1/chat/completions"

const inFlight = new Map<string, Promise<unknown>>()

async function correctSpelling(word: string): Promise<string | null> {
  const res = await fetch(OPENAI_API_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
    body: JSON.stringify({
      model: "gpt-4.1-mini",
      messages: [
        {
          role: "system",
          content: "You are a spelling corrector. Respond with JSON: {\"corrected\": \"word\"} or {\"corrected\": null}.",
        },
        { role: "user", content: word },
      ],
    }),
  })
  if (!res.ok) return null
  const data = await res.json()
  return JSON.parse(data.choices[0].message.content).corrected
}

async function resolveQueryInternal(raw: string) {
  const input = raw.trim().toLowerCase()
  const corrected = await correctSpelling(input).catch(() => null)
  return { ok: true, resolved: corrected ?? input }
}

export async function resolveQuery(raw: string) {
  const existing = inFlight.get(raw)
  if (existing) return existing
  const promise = resolveQueryInternal(raw).finally(() => inFlight.delete(raw))
  inFlight.set(raw, promise)
  return promise
}
'''
RESOLVE_INDEX = '''import { Hono } from "hono";
import { resolveQuery } from "./lib/resolveQuery.js";

const app = new Hono();

app.post("/resolve", async (c) => { // expect: LR601
  try {
    const body = await c.req.json()
    const result = await resolveQuery(body.query) // expect: LR602
    return c.json(result)
  } catch (error) {
    return c.json({ ok: false }, 500)
  }
})

app.post("/resolve-short", async (c) => { // expect: LR601
  const body = await c.req.json()
  const result = await resolveQuery(String(body.query ?? "").slice(0, 64))
  return c.json(result)
})

export default app;
'''


@needs_semgrep
def test_model_fetch_three_calls_away(tmp_path: Path) -> None:
    files = {"src/index.ts": RESOLVE_INDEX, "src/lib/resolveQuery.ts": RESOLVE_LIB}
    codes = ("LR601", "LR602", "LR603")
    expected = marked(files, codes)
    assert scan_project(tmp_path, files, codes, HONO) == expected
    assert len(expected) == 3


CHAIN_ROUTE = '''import { NextRequest, NextResponse } from "next/server";
import { ChatOpenAI } from "@langchain/openai";
import { PromptTemplate } from "@langchain/core/prompts";
import { RunnableSequence } from "@langchain/core/runnables";
import { BytesOutputParser } from "@langchain/core/output_parsers";

const answerPrompt = PromptTemplate.fromTemplate("Answer: {question}\\n{chat_history}");

export async function POST(req: NextRequest) {
  const body = await req.json();
  const messages = body.messages ?? [];
  const previousMessages = messages.slice(0, -1);
  const currentMessageContent = messages[messages.length - 1].content;
  const model = new ChatOpenAI({ model: "gpt-4o", temperature: 0.2 });
  const conversationalRetrievalQAChain = RunnableSequence.from([answerPrompt, model, new BytesOutputParser()]);
  const stream = await conversationalRetrievalQAChain.stream({ // expect: LR602
    question: currentMessageContent,
    chat_history: previousMessages.map((m: { content: string }) => m.content).join("\\n"),
  });
  return new Response(stream);
}
'''
IMAGE = '''import OpenAI from "openai";

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function POST(req: Request) {
  const { prompt, amount = 1, resolution = "512x512" } = await req.json();
  if (!prompt) {
    return new Response("Prompt are required", { status: 400 });
  }
  const response = await openai.images.generate({
    prompt: prompt, // expect: LR602
    n: parseInt(amount, 10),
    size: resolution,
  });
  return Response.json(response.data);
}
'''
IMAGE_BOUNDED = IMAGE.replace("prompt: prompt, // expect: LR602", "prompt: String(prompt).slice(0, 1000),").replace(
    "n: parseInt(amount, 10)", "n: 1")
MUSIC = '''import Replicate from "replicate";

const replicate = new Replicate({ auth: process.env.REPLICATE_API_KEY! });

export async function POST(req: Request) {
  const { prompt } = await req.json();
  if (!prompt) {
    return new Response("Messages are required", { status: 400 });
  }
  const response = await replicate.run(
    "riffusion/riffusion:8cf61ea6c56afd61d8f5b9ffd14d7c216c0a93844ce2d82ac1c9ecc9c7f24e05",
    {
      input: {
        prompt_a: prompt, // expect: LR602
      },
    }
  );
  return Response.json(response);
}
'''
MODEL_ROUTES = {
    "app/chat/completions/route.ts": CHAIN_ROUTE,
    "app/api/image/route.ts": IMAGE,
    "app/api/image-small/route.ts": IMAGE_BOUNDED,
    "app/api/music/route.ts": MUSIC,
}


@needs_semgrep
def test_chain_stream_images_and_replicate_unbounded(tmp_path: Path) -> None:
    codes = ("LR602",)
    expected = marked(MODEL_ROUTES, codes)
    package = ('{"dependencies": {"next": "14.0.0", "openai": "4.0.0", "replicate": "0.25.0", '
               '"@langchain/openai": "0.2.0", "@langchain/core": "0.2.0"}}\n')
    assert scan_project(tmp_path, MODEL_ROUTES, codes, package) == expected
    assert len(expected) == 3


# --- AUTH302: a Stripe webhook that skips the signature check when its secret is unset ----------------------

WEBHOOK = '''import { NextRequest, NextResponse } from "next/server";
import Stripe from "stripe";
import { db } from "@/server/db";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: NextRequest) { // expect: AUTH302
  const body = await req.text();
  const signature = req.headers.get("stripe-signature");
  if (!signature) {
    return NextResponse.json({ error: "No signature provided" }, { status: 400 });
  }
  let event: Stripe.Event;
  if (process.env.STRIPE_WEBHOOK_SECRET) {
    try {
      event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET);
    } catch (err: any) {
      return NextResponse.json({ error: "Invalid signature" }, { status: 400 });
    }
  } else {
    event = JSON.parse(body) as Stripe.Event;
  }
  if (event.type === "customer.subscription.updated") {
    await db.subscription.update({ where: { id: (event.data.object as any).id }, data: { status: "active" } });
  }
  return NextResponse.json({ received: true });
}
'''
WEBHOOK_SIGNED = '''import { NextRequest, NextResponse } from "next/server";
import Stripe from "stripe";
import { db } from "@/server/db";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: NextRequest) {
  const body = await req.text();
  const signature = req.headers.get("stripe-signature")!;
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    return NextResponse.json({ error: "Webhook secret not configured" }, { status: 500 });
  }
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, secret);
  } catch (err: any) {
    return NextResponse.json({ error: "Invalid signature" }, { status: 400 });
  }
  if (event.type === "customer.subscription.updated") {
    await db.subscription.update({ where: { id: (event.data.object as any).id }, data: { status: "active" } });
  }
  return NextResponse.json({ received: true });
}
'''
WEBHOOK_FILES = {
    "app/api/billing/webhook/route.ts": WEBHOOK,
    "app/api/stripe/webhook/route.ts": WEBHOOK_SIGNED,
    "server/db.ts": 'import { PrismaClient } from "@prisma/client";\\n\\nexport const db = new PrismaClient();\\n',
}


@needs_semgrep
def test_webhook_verifying_only_when_its_secret_is_set(tmp_path: Path) -> None:
    codes = ("AUTH301", "AUTH302", "AUTH303")
    expected = marked(WEBHOOK_FILES, codes)
    package = '{"dependencies": {"next": "15.0.0", "stripe": "17.0.0", "@prisma/client": "5.0.0"}}\\n'
    assert scan_project(tmp_path, WEBHOOK_FILES, codes, package) == expected
    assert expected == {("AUTH302", "app/api/billing/webhook/route.ts", 7)}


# --- CORS502: a prefix check over a list whose every entry ends in ':' or '/' cannot be extended (attack 6) -----

PREFIX_LIST = '''const express = require("express");
const cors = require("cors");
const app = express();
const ALLOWED = [{entries}];
app.use(cors({
  origin: (origin, cb) => {
    if (!origin || ALLOWED.some((p) => origin.startsWith(p))) return cb(null, true); // expect: CORS502
    return cb(new Error("blocked"));
  },
}));
app.listen(3000);
'''


@pytest.mark.parametrize(("entries", "found"), [
    ('"http://localhost:", "https://app.example.com/"', False),
    ("'http://localhost:'", False),
    ('"http://localhost:", "https://app.example.com"', True),
    ('"http://localhost:", process.env.FRONTEND_URL', True),
])
@needs_semgrep
def test_prefix_list_with_closed_entries(tmp_path: Path, entries: str, found: bool) -> None:
    text = PREFIX_LIST.replace("{entries}", entries)
    if not found:
        text = text.replace(" // expect: CORS502", "")
    files = {"server.js": text}
    codes = ("CORS501", "CORS502", "CORS503")
    expected = marked(files, codes)
    assert scan_project(tmp_path, files, codes, EXPRESS) == expected
    assert len(expected) == int(found)


# --- AUTH301-303: SuperTokens' Next.js withSession wrapper answers 401 itself; its catch-all handler is public --

SUPERTOKENS = '{"dependencies": {"next": "14.0.0", "supertokens-node": "17.0.0", "@anthropic-ai/sdk": "0.20.0"}}\n'
ST_ROUTE = '''import { withSession } from "supertokens-node/nextjs";
import { NextResponse, NextRequest } from "next/server";
import Anthropic from "@anthropic-ai/sdk";
const anthropic = new Anthropic();

export function POST(request: NextRequest) { // {mark}
  return withSession(request, async (err, session) => {
    if (err) return NextResponse.json({ error: "session" }, { status: 500 });
    const { message } = await request.json();
    const out = await anthropic.messages.create({ model: "claude-3-haiku-20240307", max_tokens: 64,
      messages: [{ role: "user", content: message.slice(0, 500) }] });
    return NextResponse.json({ text: out.content });
  }{options});
}
'''
ST_HANDLER = '''import { getAppDirRequestHandler } from "supertokens-node/nextjs";
import { NextRequest } from "next/server";
const handleCall = getAppDirRequestHandler();
export async function GET(request: NextRequest) {
  return handleCall(request);
}
export async function POST(request: NextRequest) {
  return handleCall(request);
}
'''


@pytest.mark.parametrize(("options", "found"), [
    ("", False),
    (", { sessionRequired: true }", False),
    (", { sessionRequired: false }", True),
])
@needs_semgrep
def test_supertokens_with_session(tmp_path: Path, options: str, found: bool) -> None:
    route = ST_ROUTE.replace("{options}", options).replace("{mark}", "expect: AUTH301" if found else "")
    files = {"src/app/api/chat/route.ts": route, "src/app/api/auth/[[...path]]/route.ts": ST_HANDLER}
    codes = ("AUTH301", "AUTH302", "AUTH303")
    expected = marked(files, codes)
    assert scan_project(tmp_path, files, codes, SUPERTOKENS) == expected
    assert len(expected) == int(found)
