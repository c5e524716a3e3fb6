"""AUTH307 on JS/TS: the object-access fixture (Next.js + Prisma, server actions, pages API, Express + Mongoose,
supabase-js with a service-role client and with the user's own client) and the request-id reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.object_access import _scoped, request_ids
from scanner.engines.semgrep.routes import Route
from scanner.engines.semgrep.runner import Match, find_semgrep

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "js" / "object-access"
needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")


@needs_semgrep
def test_object_access_fixture_reports_exactly_the_unscoped_lookups() -> None:
    # silent: findFirst with userId (PATCH), a load checked against session.user.id before the delete by the
    # same id (DELETE /api/chats/[id]), a supabase delete with .eq("user_id"), a Plan (shared catalogue), a
    # supabase query on the user's own client (row-level security), findOne({ _id, user }), findById then an
    # owner test, an admin-gated PUT; the unauthenticated /public/:id is AUTH302, not AUTH307.
    result = scan(FIXTURE, Config(), ScanOptions(engines=("semgrep",)))
    assert not result.incomplete, result.notifications
    found = sorted((f.location.path, f.location.line, f.message) for f in result.findings if f.rule_id == "AUTH307")
    assert found == [
        ("app/actions.ts", 10, "server action deleteConversation deletes conversation by conversationId from the "
                               "action arguments with no check that it belongs to the signed-in user"),
        ("app/api/chats/[id]/route.ts", 10, "Next.js route handler GET (/api/chats/[id]) loads chat by id from the "
                                            "path with no check that it belongs to the signed-in user"),
        ("app/api/files/route.ts", 13, "Next.js route handler GET (/api/files) loads files by fileId from the "
                                       "query string with no check that it belongs to the signed-in user"),
        ("app/api/shared/[id]/route.ts", 7, "Next.js route handler DELETE (/api/shared/[id]) deletes document by "
                                            "id from the path with no check that it belongs to the signed-in user"),
        ("pages/api/notes/[id].ts", 9, "API route handler (/api/notes/[id]) updates note by id from the query "
                                       "string with no check that it belongs to the signed-in user"),
        ("routes/conversations.js", 10, "Express route GET (/conversations/:id) loads Conversation by id from the "
                                       "path with no check that it belongs to the signed-in user"),
        ("routes/conversations.js", 15, "Express route DELETE (/chats/:chatId) deletes Chat by chatId from the "
                                        "path with no check that it belongs to the signed-in user"),
        ("routes/conversations.js", 41, "Express route DELETE (/threads/:threadId) deletes thread by threadId from "
                                        "the path with no check that it belongs to the signed-in user"),
    ]
    assert ("AUTH302", "routes/conversations.js", 36) in {
        (f.rule_id, f.location.path, f.location.line) for f in result.findings}


def _route(body: str, kind: str = "next") -> Route:
    return Route(Match("js-nextjs-route-handler", "AUTH303", "route", "r.ts", 1, 1, 1, 1, 0, len(body)), kind,
                 "GET", "/x", body)


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [
        ("const { id } = await params;", "next", {"id": ("id", "path")}),
        ("const { chatId: cid, text } = await req.json();", "next", {"cid": ("chatId", "request body")}),
        # an inline object type between the names and ``=`` (its ``;`` ends no statement; set 14 bolt)
        ("const { prompt, roomId }: { prompt: string; roomId: string } =\n      await req.json();", "next",
         {"roomId": ("roomId", "request body")}),
        ("const chatId: string | undefined = req.params.chatId;", "express", {"chatId": ("chatId", "path")}),
        ("const docId = new URL(req.url).searchParams.get('docId');", "next", {"docId": ("docId", "query string")}),
        ("const body = await request.json();\nconst target = body.messageId;", "next",
         {"target": ("messageId", "request body"), "body.": ("body", "request body")}),
        # the body's id read in place: the holder is recorded so that ``body.chatId`` counts in a lookup
        ("const reqBody = await req.json() as {chatId: string};", "next", {"reqBody.": ("body", "request body")}),
        ("const id = req.params.id;\nconst oid = new ObjectId(id);", "express",
         {"id": ("id", "path"), "oid": ("id", "path")}),
        ("export async function remove(documentId: string) {", "action",
         {"documentId": ("documentId", "action arguments")}),
        ("const userId = session.user.id;\nconst { title } = await req.json();", "next", {}),
        ("const rawId = req.query.id;\nlet chatId;\nif (typeof rawId === 'string') {\n  chatId = rawId;\n}",
         "express", {"rawId": ("id", "query string"), "chatId": ("id", "query string")}),
        ("let chatId;\nif (ok) chatId = null;\nconst same = chatId === other;", "express", {}),
        ("async findByUser(@Param('userID') userID: number, @Query('chatId') cid: string, @Body('title') t: string) {",
         "nestjs", {"userID": ("userID", "path"), "cid": ("chatId", "query string")}),
    ],
)
def test_request_ids(body: str, kind: str, expected: dict[str, tuple[str, str]]) -> None:
    assert request_ids(_route(body, kind)) == expected


@pytest.mark.parametrize(
    ("statement", "scoped"),
    [
        # the owner is in what the update writes, not in what selects the row: unscoped
        ("prismadb.chat.update({ where: { id: params.chatId }, data: { messages: { create: { content: c, "
         "userId: userId } } } })", False),
        ("prisma.image.update({ where: { id: imageId }, data: { shared: true, userId } })", False),
        # the owner selects the row
        ("prisma.chat.update({ where: { id: params.chatId, userId }, data: { title } })", True),
        ("prisma.chat.deleteMany({ where: { id: chatId, userId: session.user.id } })", True),
        # no where object (Mongoose): the whole statement is the selector
        ("Chat.findOneAndUpdate({ _id: chatId, user: req.user._id }, { title })", True),
    ],
)
def test_scoped_reads_only_the_rows_selector(statement: str, scoped: bool) -> None:
    assert _scoped(statement, {"params": ("params", "path"), "chatId": ("chatId", "path"),
                               "imageId": ("imageId", "path")}) is scoped


NEXT_HEAD = ("import prisma from '@/db';\nimport { getServerSession } from 'next-auth';\n"
             "import { authConfig } from '@/lib/auth';\n\nexport async function POST(req: Request) {\n"
             "  const session = await getServerSession(authConfig);\n"
             "  if (!session) return new Response('Unauthorized', { status: 401 });\n")


@needs_semgrep
def test_member_rows_changed_by_a_client_sent_member_id(tmp_path: Path) -> None:
    from tests.rules.semgrep.marked_projects import scan_project

    delete = NEXT_HEAD + ("  const { userId } = await req.json();\n"
                          "  await prisma.user.delete({ where: { id: userId } });\n  return Response.json({});\n}\n")
    own = NEXT_HEAD + ("  const { userId } = await req.json();\n  if (userId !== session.user.id) "
                       "return new Response('Forbidden', { status: 403 });\n"
                       "  await prisma.user.delete({ where: { id: userId } });\n  return Response.json({});\n}\n")
    profile = NEXT_HEAD + ("  const { userId } = await req.json();\n"
                           "  return Response.json(await prisma.user.findUnique({ where: { id: userId } }));\n}\n")
    files = {"app/api/user/delete/route.ts": delete, "app/api/user/delete-own/route.ts": own,
             "app/api/user/profile/route.ts": profile}
    package = '{"dependencies": {"next": "15.0.0", "next-auth": "4.24.0", "@prisma/client": "6.0.0"}}\n'
    assert scan_project(tmp_path, files, ("AUTH307",), package) == {("AUTH307", "app/api/user/delete/route.ts", 9)}


@needs_semgrep
def test_an_existence_check_before_an_owner_scoped_write_reads_nothing(tmp_path: Path) -> None:
    from tests.rules.semgrep.marked_projects import scan_project

    check = ("  const { chatId } = await req.json();\n"
             "  const found = await prisma.chat.findUnique({ where: { id: chatId } });\n"
             "  if (!found) return new Response('Invalid chat id', { status: 400 });\n")
    scoped = NEXT_HEAD + check + ("  await prisma.chat.update({ where: { userId: session.user.id, id: chatId }, "
                                  "data: { favourite: true } });\n  return Response.json({});\n}\n")
    unscoped = NEXT_HEAD + check + ("  await prisma.chat.update({ where: { id: chatId }, data: { favourite: true } });"
                                    "\n  return Response.json({});\n}\n")
    returned = NEXT_HEAD + check + ("  await prisma.chat.update({ where: { userId: session.user.id, id: chatId }, "
                                    "data: { favourite: true } });\n  return Response.json(found);\n}\n")
    files = {"app/api/fav/route.ts": scoped, "app/api/fav2/route.ts": unscoped, "app/api/fav3/route.ts": returned}
    package = '{"dependencies": {"next": "15.0.0", "next-auth": "4.24.0", "@prisma/client": "6.0.0"}}\n'
    assert scan_project(tmp_path, files, ("AUTH307",), package) == {
        ("AUTH307", "app/api/fav2/route.ts", 9), ("AUTH307", "app/api/fav3/route.ts", 9)}


@needs_semgrep
def test_a_request_id_handed_to_a_service_that_loads_it_alone(tmp_path: Path) -> None:
    from tests.rules.semgrep.marked_projects import scan_project

    route = ("import express from 'express';\nimport authenticate from '../middlewares/authentication';\n"
             "import { findOne, findMine, removeOne, findChecked } from '../controllers/conversation.controller';\n"
             "const router = express.Router();\nrouter.get('/conversation/:id', authenticate, findOne);\n"
             "router.get('/mine/:id', authenticate, findMine);\nrouter.delete('/conversation/:id', authenticate, "
             "removeOne);\nrouter.get('/checked/:id', authenticate, findChecked);\nexport default router;\n")
    auth = ("export default function authenticate(req, res, next) {\n"
            "  if (!req.headers.authorization) return res.status(401).end();\n  req.userId = 'u';\n  next();\n}\n")
    controller = ("import { findService, findMineService, removeService } from '../services/conversation.service';\n\n"
                  "export const findOne = async (req, res) => {\n  const { id } = req.params;\n"
                  "  const conversation = await findService(id);\n  res.json(conversation);\n};\n\n"
                  "export const findMine = async (req, res) => {\n  const { id } = req.params;\n"
                  "  res.json(await findMineService(id, req.userId));\n};\n\n"
                  "export const removeOne = async (req, res) => {\n  const { id } = req.params;\n"
                  "  await removeService(id);\n  res.status(204).end();\n};\n\n"
                  "export const findChecked = async (req, res) => {\n  const { id } = req.params;\n"
                  "  const conversation = await findService(id);\n"
                  "  if (conversation.user_id !== req.userId) return res.status(403).end();\n"
                  "  res.json(conversation);\n};\n")
    service = ("import Conversation from '../models/conversation';\n\n"
               "export const findService = async (conversationId) => {\n"
               "  const found = await Conversation.findById(conversationId);\n  if (!found) throw new Error('404');\n"
               "  return found;\n};\n\nexport const findMineService = async (conversationId, userId) => "
               "Conversation.findOne({ _id: conversationId, user_id: userId });\n\n"
               "export const removeService = async (conversationId) => {\n"
               "  const found = await Conversation.findById(conversationId);\n"
               "  if (String(found.user_id) !== String(currentUserId())) throw new Error('403');\n"
               "  await found.deleteOne();\n};\n")
    model = ("import mongoose from 'mongoose';\nexport default mongoose.model('Conversation', new mongoose.Schema("
             "{ user_id: String, title: String }));\n")
    files = {"src/routes/conversation.ts": route, "src/middlewares/authentication.ts": auth,
             "src/controllers/conversation.controller.ts": controller,
             "src/services/conversation.service.ts": service, "src/models/conversation.ts": model}
    package = '{"dependencies": {"express": "4.21.0", "mongoose": "8.0.0"}}\n'
    assert scan_project(tmp_path, files, ("AUTH307",), package) == {
        ("AUTH307", "src/controllers/conversation.controller.ts", 5)}


def test_an_id_an_owner_scoped_load_verified_first_is_the_callers(tmp_path: Path) -> None:
    """``findFirst({ where: { id, userId } })`` with a 404 on a miss, then ``reprocessDocument(id)`` whose own
    query is by id alone: the id is the caller's by then (set 15 chat-gpt-clone); without the scoped load first
    the helper's lookup is reported."""
    from tests.rules.semgrep.marked_projects import scan_project

    def route(verify: str) -> str:
        return ("import { getServerSession } from 'next-auth';\nimport { prisma } from '@/lib/prisma';\n"
                "import { reprocessDocument } from '@/lib/processing';\n\n"
                "export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {\n"
                "  const session = await getServerSession();\n"
                "  if (!session?.user?.id) return Response.json({ error: 'no' }, { status: 401 });\n"
                "  const { id } = await params;\n" + verify +
                "  const result = await reprocessDocument(id);\n  return Response.json(result);\n}\n")
    verify = ("  const document = await prisma.document.findFirst({ where: { id, userId: session.user.id } });\n"
              "  if (!document) return Response.json({ error: 'not found' }, { status: 404 });\n")
    helper = ("import { prisma } from '@/lib/prisma';\n\nexport async function reprocessDocument(documentId: string) {\n"
              "  const doc = await prisma.document.findUnique({ where: { id: documentId } });\n"
              "  return { ok: Boolean(doc) };\n}\n")
    package = '{"dependencies": {"next": "14.2.0", "next-auth": "4.24.0", "@prisma/client": "5.0.0"}}\n'
    checked = {"app/api/documents/[id]/reprocess/route.ts": route(verify), "lib/processing.ts": helper}
    assert scan_project(tmp_path / "a", checked, ("AUTH307",), package) == set()
    unchecked = {"app/api/documents/[id]/reprocess/route.ts": route(""), "lib/processing.ts": helper}
    assert scan_project(tmp_path / "b", unchecked, ("AUTH307",), package) == {
        ("AUTH307", "app/api/documents/[id]/reprocess/route.ts", 9)}


def test_a_supabase_query_on_the_members_own_client_in_a_module_that_also_imports_an_admin_client(
        tmp_path: Path) -> None:
    """The client a query runs on decides: ``createServerSupabaseClient()`` (cookie-bound, row-level security) is
    the member's, ``createAdminClient()`` bypasses the policies (set 17: four FPs where the module imported both)."""
    from tests.rules.semgrep.marked_projects import scan_project

    actions = ("'use server';\nimport { getSession } from '@/lib/session';\n"
               "import { createServerSupabaseClient } from '@/lib/server';\nimport { createAdminClient } from '@/lib/admin';\n\n"
               "export async function deleteChat(chatId: string) {\n  const session = await getSession();\n"
               "  if (!session) return { success: false };\n  const supabase = await createServerSupabaseClient();\n"
               "  await supabase.from('chat_sessions').delete().eq('id', chatId);\n  return { success: true };\n}\n\n"
               "export async function purgeChat(chatId: string) {\n  const session = await getSession();\n"
               "  if (!session) return { success: false };\n  const admin = createAdminClient();\n"
               "  await admin.from('chat_sessions').delete().eq('id', chatId);\n  return { success: true };\n}\n")
    files = {"app/chat/actions.ts": actions,
             "app/chat/page.tsx": "'use client';\nimport { deleteChat, purgeChat } from './actions';\n"
                                  "export default function P() { return <button onClick={() => { deleteChat('a'); "
                                  "purgeChat('b'); }}>x</button>; }\n"}
    package = '{"dependencies": {"next": "15.0.0", "@supabase/ssr": "0.5.0", "@supabase/supabase-js": "2.45.0"}}\n'
    assert scan_project(tmp_path, files, ("AUTH307",), package) == {("AUTH307", "app/chat/actions.ts", 18)}


@pytest.mark.parametrize(("url", "public"), [
    ("/api/auth/confirm", True), ("/auth/confirm", True), ("/api/orders/confirm", False),
])
def test_supabase_auth_confirm_is_a_sign_in_step(url: str, public: bool) -> None:
    """Supabase's ``/auth/confirm`` exchanges the emailed code for a session: public by intent (set 17)."""
    from scanner.knowledge.js import PUBLIC_URL

    assert (PUBLIC_URL.search(url) is not None) == public


@needs_semgrep
@pytest.mark.parametrize(
    ("schema_owner", "check", "expected"),
    [
        # an Article records its author: an update by id alone lets any member rewrite another's (set 27)
        ('  createdBy: { type: mongoose.Schema.Types.ObjectId, ref: "User", required: true },\n', "",
         {("AUTH307", "controllers/article.js", 3), ("AUTH307", "controllers/article.js", 8)}),
        # the author compared with the caller first; or a schema with no author: nothing to own
        ('  createdBy: { type: mongoose.Schema.Types.ObjectId, ref: "User", required: true },\n',
         "  const found = await Article.findById(req.params.id);\n"
         "  if (String(found.createdBy) !== req.payload.aud) return res.status(403).end();\n", set()),
        ('  category: { type: String },\n', "", set()),
    ],
)
def test_an_authored_row_changed_by_id_alone(tmp_path: Path, schema_owner: str, check: str,
                                             expected: set[tuple[str, str, int]]) -> None:
    from tests.rules.semgrep.marked_projects import scan_project

    model = ('const mongoose = require("mongoose");\nconst articleSchema = new mongoose.Schema({\n'
             '  title: { type: String },\n' + schema_owner + '});\n'
             'module.exports = mongoose.model("Article", articleSchema);\n')
    controller = ('const Article = require("../models/article");\n'
                  "exports.updateArticle = async (req, res) => {\n" + check +
                  "  const updated = await Article.findByIdAndUpdate(\n    req.params.id, req.body, { new: true });\n"
                  "  res.json(updated);\n};\n"
                  "exports.deleteArticle = async (req, res) => {\n" + check +
                  "  await Article.findByIdAndDelete(req.params.id);\n  res.json({ ok: true });\n};\n"
                  "exports.getArticle = async (req, res) => {\n"
                  "  res.json(await Article.findById(req.params.id));\n};\n")
    routes = ('const router = require("express").Router();\nconst { verifyAccessToken } = require("../helpers/jwt");\n'
              'const { updateArticle, deleteArticle, getArticle } = require("../controllers/article");\n'
              'router.get("/articles/:id", verifyAccessToken, getArticle);\n'
              'router.put("/articles/:id", verifyAccessToken, updateArticle);\n'
              'router.delete("/articles/:id", verifyAccessToken, deleteArticle);\nmodule.exports = router;\n')
    jwt = ('const jwt = require("jsonwebtoken");\nexports.verifyAccessToken = (req, res, next) => {\n'
           '  const token = (req.headers.authorization || "").split(" ")[1];\n'
           '  if (!token) return res.status(401).json({ error: "unauthorized" });\n'
           '  req.payload = jwt.verify(token, process.env.SECRET);\n  next();\n};\n')
    server = ('const express = require("express");\nconst app = express();\n'
              'app.use("/api", require("./routes/article"));\napp.listen(3000);\n')
    files = {"models/article.js": model, "controllers/article.js": controller, "routes/article.js": routes,
             "helpers/jwt.js": jwt, "server.js": server}
    package = '{"dependencies": {"express": "4.19.0", "mongoose": "8.0.0", "jsonwebtoken": "9.0.0"}}\n'
    assert scan_project(tmp_path, files, ("AUTH307",), package) == expected


@needs_semgrep
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # a message written into a chat session the client names, its id converted first (set 27 Wanderlust)
        ("chatSessionId.toString()", {("AUTH307", "app/api/chat/send/route.ts", 9)}),
        ("String(chatSessionId)", {("AUTH307", "app/api/chat/send/route.ts", 9)}),
        # the session's own id: nothing the client chose
        ("session.user.id.toString()", set()),
    ],
)
def test_a_row_written_into_a_parent_the_client_names(tmp_path: Path, value: str,
                                                      expected: set[tuple[str, str, int]]) -> None:
    from tests.rules.semgrep.marked_projects import scan_project

    route = NEXT_HEAD + ("  const { chatSessionId, prompt } = await req.json();\n"
                         "  await prisma.chatHistory.create({\n"
                         f"    data: {{ prompt, chatSessionId: {value} }},\n  }});\n"
                         "  return Response.json({ ok: true });\n}\n")
    package = '{"dependencies": {"next": "15.0.0", "next-auth": "4.24.0", "@prisma/client": "6.0.0"}}\n'
    assert scan_project(tmp_path, {"app/api/chat/send/route.ts": route}, ("AUTH307",), package) == expected
