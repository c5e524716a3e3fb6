"""Shapes found on held-out set 7 after it was measured: a handler that calls the model before it checks the
session (AUTH301), and a Supabase SSR middleware whose redirect guard can never be true."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

NEXT = ('{"dependencies": {"next": "15.0.0", "@google/generative-ai": "0.21.0", "@supabase/ssr": "0.5.0", '
        '"openai": "4.0.0"}}\n')

_HEAD = '''import { NextRequest, NextResponse } from "next/server";
import { GoogleGenerativeAI } from "@google/generative-ai";
import { createClient } from "@/utils/supabase/server";

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);

export async function POST(req: NextRequest) {{mark}
  const { prompt } = await req.json();
'''
_CALL = '''  const model = genAI.getGenerativeModel({ model: "gemini-2.0-flash" });
  const result = await model.generateContent(prompt.slice(0, 2000));
  const answer = result.response.text();
'''
_CHECK = '''  const supabase = await createClient();
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
'''
_TAIL = "  return NextResponse.json({ answer });\n}\n"
MODEL_FIRST = _HEAD.replace("{mark}", " // expect: AUTH301") + _CALL + _CHECK + _TAIL
CHECK_FIRST = _HEAD.replace("{mark}", "") + _CHECK + _CALL + _TAIL
OPENAI_FIRST = '''import OpenAI from "openai";
import { getServerSession } from "next-auth";

const openai = new OpenAI();

export async function POST(req: Request) { // expect: AUTH301
  const { messages } = await req.json();
  const completion = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: messages.slice(-10) });
  const session = await getServerSession();
  if (!session) return new Response("Unauthorized", { status: 401 });
  return Response.json({ reply: completion.choices[0].message });
}
'''
MIDDLEWARE = '''import { type NextRequest } from "next/server";
import { updateSession } from "@/utils/supabase/middleware";

export async function middleware(request: NextRequest) {
  return await updateSession(request);
}
'''
UPDATE_SESSION = '''import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";

export async function updateSession(request: NextRequest) {
  const supabaseResponse = NextResponse.next({ request });
  const supabase = createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!,
    { cookies: { getAll() { return request.cookies.getAll(); }, setAll() {} } });
  const { data: { user } } = await supabase.auth.getUser();
  if (!user && !request.nextUrl.pathname.startsWith("{prefix}")) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    return NextResponse.redirect(url);
  }
  return supabaseResponse;
}
'''


@needs_semgrep
@pytest.mark.parametrize("files", [
    {"app/api/chat/route.ts": MODEL_FIRST},
    {"app/api/chat/route.ts": OPENAI_FIRST},
    {"app/api/chat/route.ts": CHECK_FIRST},
    {"app/api/chat/route.ts": OPENAI_FIRST.replace(" // expect: AUTH301", "").replace(
        "  const completion", "  const session0 = await getServerSession();\n"
        "  if (!session0) return new Response(null, { status: 401 });\n  const completion")},
], ids=["gemini-first", "openai-first", "check-first", "check-before-and-after"])
def test_a_model_call_before_the_session_check_is_unauthenticated(tmp_path: Path, files: dict[str, str]) -> None:
    assert scan_project(tmp_path, files, ("AUTH301",), NEXT) == marked(files, ("AUTH301",))


@needs_semgrep
@pytest.mark.parametrize(("prefix", "expected"), [
    ("/login", set()),  # the template: every path but /login redirects a signed-out caller first
    ("/", {("AUTH301", "app/api/chat/route.ts", 7)}),  # never true: nobody is redirected
])
def test_a_middleware_guard_that_is_never_true_protects_nothing(tmp_path: Path, prefix: str,
                                                                expected: set[tuple[str, str, int]]) -> None:
    files = {"app/api/chat/route.ts": MODEL_FIRST.replace(" // expect: AUTH301", "")}
    extra = {"middleware.ts": MIDDLEWARE, "utils/supabase/middleware.ts": UPDATE_SESSION.replace("{prefix}", prefix)}
    assert scan_project(tmp_path, files, ("AUTH301",), NEXT, extra) == expected


ACTIONS = {
    "app/lib/SendMFACode.ts": ("'use server'\nimport redis from '@/redis/client';\n\n"
                               "export async function sendMfaToken(email: string) {\n"
                               "  await redis.set(`mfa:${email}`, crypto.randomUUID(), { EX: 300 });\n"
                               "  return { success: true };\n}\n"),
    "src/actions/new-verification.ts": ('"use server";\nimport User from "@/models/user";\n\n'
                                        "export const newVerification = async (token: string) => {\n"
                                        "  const user = await User.findOne({ emailVerificationToken: token });\n"
                                        "  if (!user) return { error: 'Token does not exist' };\n"
                                        "  await User.updateOne({ _id: user._id }, { emailVerified: new Date() });\n"
                                        "  return { success: 'Email verified' };\n};\n"),
    "src/actions/chats.ts": ('"use server";\nimport Chat from "@/models/chat";\n\n'
                             "export async function deleteChat(id: string) { // expect: AUTH302\n"
                             "  await Chat.deleteOne({ _id: id });\n}\n"),
}


@needs_semgrep
def test_one_time_code_and_verification_actions_are_public_by_intent(tmp_path: Path) -> None:
    codes = ("AUTH301", "AUTH302", "AUTH303")
    assert scan_project(tmp_path, ACTIONS, codes, NEXT) == marked(ACTIONS, codes)


# --- AUTH307: a member id taken from the request, with no read of who is signed in ---------------------------------

NEST = '{"dependencies": {"@nestjs/core": "10.0.0", "@nestjs/common": "10.0.0", "typeorm": "0.3.0"}}\n'
NEST_FILES = {
    "src/app.module.ts": ("import { Module } from '@nestjs/common';\nimport { APP_GUARD } from '@nestjs/core';\n"
                          "import { JwtAuthGuard } from './auth.guard';\n"
                          "@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })\n"
                          "export class AppModule {}\n"),
    "src/chat.controller.ts": '''import { Controller, Get, Param, Req } from '@nestjs/common';
import { ChatService } from './chat.service';

@Controller('chat')
export class ChatController {
  constructor(private readonly chatService: ChatService) {}

  @Get('messages/:userID')
  async findByUser(@Param('userID') userID: number) {
    return this.chatService.listMessagesByUserId(userID); // expect: AUTH307
  }

  @Get('mine/:userID')
  async mine(@Param('userID') userID: number, @Req() req: any) {
    if (req.user.id !== Number(userID)) throw new Error('forbidden');
    return this.chatService.listMessagesByUserId(userID);
  }

  @Get('stats/:userID')
  async stats(@Param('userID') userID: number) {
    return { userID };
  }
}
''',
}
ACTION_FILES = {
    "src/middleware.ts": ('import { authMiddleware } from "@clerk/nextjs";\nexport default authMiddleware({});\n'
                          'export const config = { matcher: ["/((?!.*\\\\..*|_next).*)", "/", "/(api|trpc)(.*)"] };\n'),
    "src/app/actions/rooms.ts": '''"use server";
import { db } from "@/lib/db";
import { auth } from "@/auth";

export async function getChatRooms(userId: string) {
  return db.chatRoom.findMany({ where: { userId } }); // expect: AUTH307
}

export async function getMyRooms() {
  const session = await auth();
  if (!session?.user) throw new Error("Unauthorized");
  return db.chatRoom.findMany({ where: { userId: session.user.id } });
}

export async function roomsOf(userId: string) {
  const session = await auth();
  if (!session?.user || session.user.id !== userId) throw new Error("Forbidden");
  return db.chatRoom.findMany({ where: { userId } });
}
''',
}


@needs_semgrep
@pytest.mark.parametrize(("manifest", "files"), [(NEST, NEST_FILES), (NEXT, ACTION_FILES)], ids=["nestjs", "action"])
def test_a_member_id_from_the_request_without_the_signed_in_user(tmp_path: Path, manifest: str,
                                                                  files: dict[str, str]) -> None:
    assert scan_project(tmp_path, files, ("AUTH307",), manifest) == marked(files, ("AUTH307",))


# --- a Next.js route handler that reads the session and refuses nobody --------------------------------------------

CLERK = '{"dependencies": {"next": "15.0.0", "@clerk/nextjs": "6.0.0", "ai": "4.0.0", "@ai-sdk/google": "1.0.0"}}\n'
GUEST_ROUTE = '''import { auth } from "@clerk/nextjs/server";
import { streamText } from "ai";
import { google } from "@ai-sdk/google";

export async function POST(req: Request) { // expect: AUTH301
  const { userId } = await auth();
  const owner = userId ?? "guest";
  const { messages } = await req.json();
  const result = streamText({ model: google("gemini-2.0-flash"), messages: messages.slice(-20) });
  return result.toDataStreamResponse({ headers: { "x-owner": owner } });
}
'''
MEMBER_ROUTE = GUEST_ROUTE.replace(" // expect: AUTH301", "").replace(
    '  const owner = userId ?? "guest";\n',
    '  if (!userId) return new Response("Unauthorized", { status: 401 });\n  const owner = userId;\n')
CLERK_MW = ('import { clerkMiddleware } from "@clerk/nextjs/server";\nexport default clerkMiddleware();\n'
            'export const config = { matcher: ["/(api|trpc)(.*)"] };\n')


@needs_semgrep
@pytest.mark.parametrize("route", [GUEST_ROUTE, MEMBER_ROUTE], ids=["guest-fallback", "refuses"])
def test_a_route_handler_that_reads_the_session_must_refuse_without_one(tmp_path: Path, route: str) -> None:
    files = {"src/app/api/chat/route.ts": route}
    found = scan_project(tmp_path, files, ("AUTH301",), CLERK, {"src/middleware.ts": CLERK_MW})
    assert found == marked(files, ("AUTH301",))


# --- AUTH307: loading the caller first does not scope a later load by the request id --------------------------------

DELETE_IMAGE = '''import prisma from "@/lib/prisma";
import { getServerSession } from "next-auth";
import { NextRequest, NextResponse } from "next/server";

export const DELETE = async (_request: NextRequest, { params }: { params: { id: string } }) => {
  const session = await getServerSession();
  if (!session?.user?.id) {
    return NextResponse.json({ message: "Unauthorized" }, { status: 403 });
  }
  const { id } = params;
  const user = await prisma.user.findUnique({ where: { id: session.user.id } });
  if (!user) {
    return NextResponse.json({ message: "User not found" }, { status: 404 });
  }
  const image = await prisma.images.findUnique({ where: { id } }); // expect: AUTH307
  if (!image) {
    return NextResponse.json({ message: "Image not found" }, { status: 404 });
  }
  await prisma.images.delete({ where: { id } });
  return NextResponse.json({ success: true });
};
'''
NEXT_PRISMA = '{"dependencies": {"next": "14.0.0", "next-auth": "4.24.0", "@prisma/client": "5.0.0"}}\n'


@needs_semgrep
@pytest.mark.parametrize("route", [
    DELETE_IMAGE,
    DELETE_IMAGE.replace(" // expect: AUTH307", "").replace("where: { id } }); \n", "").replace(
        "prisma.images.findUnique({ where: { id } })", "prisma.images.findFirst({ where: { id, userId: user.id } })"),
], ids=["caller-then-object", "object-scoped-to-caller"])
def test_loading_the_caller_does_not_scope_the_object(tmp_path: Path, route: str) -> None:
    files = {"app/api/delete-image/[id]/route.ts": route}
    assert scan_project(tmp_path, files, ("AUTH307",), NEXT_PRISMA) == marked(files, ("AUTH307",))
