"""Shapes met on real Next.js / Express / Hono chatbot apps, end to end with one semgrep run per fixture:
Hono handlers that refuse when the context holds no user (better-auth's ``c.get("user")``), app-level
middleware that refuses or only stores the session, inline Express handlers that forward to a controller in
another module, and AUTH307 for a chat's messages read or written by the chat id (and writes that follow an
owner-scoped load).

Each line that must be reported carries ``// expect: CODE`` (several codes separated by spaces); every other
line of the fixture must stay silent for the codes below."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.api import ScanOptions, scan
from scanner.config import Config
from scanner.engines.semgrep.auth import creates_account, refuses_without_credential
from scanner.engines.semgrep.frameworks.shared import _unwrapped
from scanner.engines.semgrep.runner import find_semgrep
from scanner.model import Finding

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "js"
CODES = ("AUTH301", "AUTH302", "AUTH303", "AUTH307", "LR601", "LR602", "LR603")
needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")


def _expected(root: Path) -> set[tuple[str, str, int]]:
    out = set()
    for path in sorted(root.rglob("*.[jt]s")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            found = re.search(r"// expect: ([A-Z0-9 ]+)", line)
            for code in found.group(1).split() if found else []:
                out.add((code, path.relative_to(root).as_posix(), number))
    return out


def _findings(name: str) -> list[Finding]:
    result = scan(FIXTURES / name, Config(), ScanOptions(engines=("semgrep",)))
    assert not result.incomplete, result.notifications
    return [f for f in result.findings if f.rule_id in CODES]


@needs_semgrep
@pytest.mark.parametrize(("fixture", "count"), [("hono-context-auth", 8), ("express-wrapped-controllers", 10),
                                                ("chat-ownership", 6)])
def test_fixture_reports_exactly_the_expected_lines(fixture: str, count: int) -> None:
    found = {(f.rule_id, f.location.path, f.location.line) for f in _findings(fixture)}
    assert found == _expected(FIXTURES / fixture)
    assert len(found) == count


@needs_semgrep
def test_child_rows_name_the_parent_to_check() -> None:
    messages = {(f.location.path, f.location.line): f.message for f in _findings("chat-ownership")}
    assert messages[("app/api/chats/[id]/messages/route.ts", 19)] == (
        "Next.js route handler POST (/api/chats/[id]/messages) writes message rows of the chat given by id from the "
        "path with no check that the chat belongs to the signed-in user")
    assert messages[("routes/messages.js", 10)] == (
        "Express route GET (/conversations/:conversationId/messages) reads Message rows of the conversation given "
        "by conversationId from the path with no check that the conversation belongs to the signed-in user")
    assert messages[("app/api/chats/[id]/route.ts", 41)] == (
        "Next.js route handler PATCH (/api/chats/[id]) updates chat by id from the path with no check that it "
        "belongs to the signed-in user")


@needs_semgrep
def test_forwarded_controller_is_named_as_the_handler() -> None:
    messages = {f.location.line: f.message for f in _findings("express-wrapped-controllers") if f.rule_id == "AUTH301"}
    assert messages[12] == ("Express route POST chatController.send (/chat) calls a model API and checks no session "
                            "or token first (handler in src/controllers/chat.controller.ts)")


@pytest.mark.parametrize("body", [
    'async (c) => {\n  const user = c.get("user");\n  if (!user) return c.json({ error: "Unauthorized" }, 401);\n}',
    "async (c) => {\n  const session = c.get('session');\n  if (!session?.user?.id) {\n"
    "    throw new HTTPException(401);\n  }\n}",
    "async (c) => {\n  const user = c.var.user;\n  if (!user) return c.text('Unauthorized', 401);\n}",
    'async (c) => {\n  const payload = c.get("jwtPayload") as JwtPayload;\n'
    '  if (!payload) return c.json({ message: "unauthorized" }, 401);\n}',
    "async (req, res) => {\n  const user = req.user;\n  if (!user) return res.status(401).json({ error: 'Login' });\n}",
    # the work under ``if (session)``, the else branch refusing
    "async function POST(req) {\n  const session = await getServerSession(authOptions);\n  if (session) {\n"
    "    return Response.json(await Chat.find({ owner: session.user.name }));\n  } else {\n"
    "    return new Response('Unauthenticated', { status: 401 });\n  }\n}",
    # the session dereferenced before the first database call: without one it throws and nothing runs
    "async function handler(req, res) {\n  const session = await getServerSession(req, res, authOptions);\n"
    "  const rows = await prisma.note.findMany({ where: { authorId: session!.id } });\n  res.json(rows);\n}",
    "async function handler(req, res) {\n  const session = await getServerSession(req, res, authOptions);\n"
    "  await prisma.space.create({ data: { ownerId: (session as any).id, name: req.body.name } });\n"
    "  res.end();\n}",
    # a Prisma relation connected by the session's email: with no session the write is refused
    "async function handle(req, res) {\n  const session = await getServerSession(req, res, authOptions);\n"
    "  const post = await prisma.post.create({\n    data: { title: req.body.title,\n"
    "      author: { connect: { email: session?.user?.email } } },\n  });\n  res.json(post);\n}",
    # a member looked up by what a verified token says is still the caller
    "async (req, res) => {\n  const user = await getUserFromToken(req.headers.authorization);\n"
    "  if (!user) return res.status(401).end();\n}",
    # a field of the session user (Passport's ``req.user``), tested before the work (set 15)
    "async (req, res) => {\n  const userId = req.user?.id;\n  if (!userId) return res.status(401).send('No');\n}",
    # the first query selects by the caller's id and the handler ends when it finds nothing: without a
    # session no row matches (node-postgres, Mongoose)
    "async (req, res) => {\n  const chatId = req.params.id;\n  const userId = req.user?.id;\n"
    "  const chat = await pool.query(\n    'SELECT * FROM chats WHERE id = $1 AND user_id = $2',\n"
    "    [chatId, userId]\n  );\n  if (chat.rows.length === 0) return res.status(403).send('Forbidden');\n"
    "  res.json(await openai.chat.completions.create({ model: 'm', messages: [] }));\n}",
])
def test_handler_refusing_without_the_context_user(body: str) -> None:
    assert refuses_without_credential(body)


@pytest.mark.parametrize("body", [
    'async (c) => {\n  const user = c.get("user");\n  return c.json(await list(user?.id));\n}',
    'async (c) => {\n  const user = c.get("user");\n  if (!user) return c.json({ chats: [] });\n}',
    'async (c) => {\n  const lang = c.get("locale");\n  if (!lang) return c.json({ error: "Unauthorized" }, 401);\n}',
    "async (req, res) => {\n  const id = req.params.id;\n  if (!id) return res.status(401).end();\n}",
    # a member looked up by an email the caller sends: whoever names an email passes
    "async (req, res) => {\n  const { user_email, role = 'user', text } = req.body;\n"
    "  const user = await User.findOne({ email: user_email.toLowerCase() }).lean();\n"
    "  if (!user) return res.status(403).json({ error: 'forbidden' });\n}",
    "async (req, res) => {\n  const user = await User.findOne({ email: req.query.email });\n"
    "  if (!user) return res.status(401).end();\n}",
    # optional chaining reads nothing without a session; a member lookup by a client id is no session
    "async function handler(req, res) {\n  const session = await getServerSession(req, res, authOptions);\n"
    "  const rows = await prisma.note.findMany({ where: { authorId: session?.id } });\n  res.json(rows);\n}",
    # a session read not awaited is a Promise: ``if (!session)`` never refuses
    "async function GET(req) {\n  const session = getServerSession(authConfig);\n"
    "  if (!session) return new Response('Unauthorized', { status: 401 });\n"
    "  return Response.json(await prisma.user.findMany());\n}",
    # a member row looked up by an id from the query string is no session
    "async function GET(req) {\n  const userId = req.nextUrl.searchParams.get('userId');\n"
    "  const user = await prisma.user.findUnique({ where: { id: userId } });\n"
    "  if (!user) return new Response('No user', { status: 404 });\n  return Response.json(user);\n}",
    # connectOrCreate or a plain field written from the session writes without one
    "async function handle(req, res) {\n  const session = await getServerSession(req, res, authOptions);\n"
    "  const post = await prisma.post.create({\n    data: { title: req.body.title, createdBy: session?.user?.email,\n"
    "      tag: { connect: { name: req.body.tag } } },\n  });\n  res.json(post);\n}",
    "async (req, res) => {\n  const { uid } = req.body;\n  const existsUser = await User.exists({ _id: uid });\n"
    "  const chats = await Chat.find({ uid: existsUser._id });\n  res.json(chats);\n}",
    # the first query is by the chat alone (the owner only in a later write), or its result is never tested
    "async (req, res) => {\n  const userId = req.user?.id;\n"
    "  const result = await pool.query('SELECT * FROM messages WHERE chat_id = $1', [req.params.id]);\n"
    "  if (result.rows.length === 0) return res.status(404).end();\n"
    "  await pool.query('UPDATE chats SET title = $1 WHERE id = $2 AND user_id = $3', ['t', 1, userId]);\n}",
    "async (req, res) => {\n  const userId = req.user?.id;\n"
    "  const chat = await pool.query('SELECT * FROM chats WHERE id = $1 AND user_id = $2', [req.params.id, userId]);\n"
    "  res.json(await openai.chat.completions.create({ model: 'm', messages: [] }));\n}",
    # the owner value is written, not selected by
    "async (req, res) => {\n  const userId = req.user?.id;\n"
    "  const row = await pool.query('INSERT INTO chats (user_id, title) VALUES ($1, $2) RETURNING *', [userId, 't']);\n"
    "  if (row.rows.length === 0) return res.status(500).end();\n}",
    # an ORM filter drops an undefined key (Prisma, Mongoose): it then matches any row
    "async (req, res) => {\n  const uid = req.user?._id;\n"
    "  const chat = await Chat.findOne({ _id: req.params.id, user: uid });\n"
    "  if (!chat) return res.status(404).end();\n  res.json(chat);\n}",
    "async (req, res) => {\n  const userId = req.user?.id;\n"
    "  const chat = await prisma.chat.findFirst({ where: { id: req.params.id, userId } });\n"
    "  if (!chat) return res.status(404).end();\n  res.json(chat);\n}",
    # the owner the client sends, an OR, or work done before the empty check
    "async (req, res) => {\n  const userId = req.user?.id;\n"
    "  const chat = await pool.query('SELECT * FROM chats WHERE id = $1 AND user_id = $2', [req.params.id, "
    "req.body.userId]);\n  if (chat.rows.length === 0) return res.status(404).end();\n  res.json(chat.rows);\n}",
    "async (req, res) => {\n  const userId = req.user?.id;\n"
    "  const chat = await pool.query('SELECT * FROM chats WHERE id = $1 OR user_id = $2', [req.params.id, userId]);\n"
    "  if (chat.rows.length === 0) return res.status(404).end();\n  res.json(chat.rows);\n}",
    "async (req, res) => {\n  const userId = req.user?.id;\n"
    "  const chat = await pool.query('SELECT * FROM chats WHERE id = $1 AND user_id = $2', [req.params.id, userId]);\n"
    "  const answer = await llm.invoke(req.body.question);\n"
    "  if (chat.rows.length === 0) return res.status(404).end();\n  res.json(answer);\n}",
])
def test_handler_not_refusing_without_the_context_user(body: str) -> None:
    assert not refuses_without_credential(body)


@pytest.mark.parametrize(("handler", "named"), [
    ("chatController.send.bind(chatController)", "chatController.send"),
    ("asyncHandler(chatController.send)", "chatController.send"),
    ("catchAsync(createChat)", "createChat"),
    ("requireAuth(chatController.send)", "requireAuth(chatController.send)"),
    ("withAuthWrapper(send)", "withAuthWrapper(send)"),
    ("(req, res) => send(req, res)", "(req, res) => send(req, res)"),
])
def test_unwrapped_handler(handler: str, named: str) -> None:
    assert _unwrapped(handler) == named


@needs_semgrep
def test_system_prompt_slots_in_helpers_given_request_text() -> None:
    # silent: a constant systemInstruction, PERSONAS[persona], an allow-listed level, a comparison of the
    # audience, a constant passed as `system`, and a prompt builder given the mode
    root = FIXTURES / "system-prompt-helpers"
    found = [f for f in _findings("system-prompt-helpers") if f.rule_id == "LR603"]
    assert {(f.rule_id, f.location.path, f.location.line) for f in found} == _expected(root)
    messages = {f.location.path + ":" + str(f.location.line): f.message.split(", which")[0] for f in found}
    assert messages == {
        "lib/ai.ts:9": "POST /api/chat passes `persona` (request text) to streamReply()",
        "routes/tutor.js:9": "POST /roleplay passes `req.body.persona` (request text) to roleplay()",
        "services/gemini.js:11": "POST /tutor passes `subject` (request text) to gemini.askTutor()",
        "services/gemini.js:21": "POST /history passes `req.body.messages.slice(-20)` (request text) to "
                                 "gemini.answerWithHistory()",
    }


@pytest.mark.parametrize(("body", "expected"), [
    ("const user = new User({ name: body.name, password: body.password, apiKey: body.key });\nawait user.save();", True),
    ("await prisma.user.create({ data: { email, password: hashed } });", True),
    ("await User.create({ email: req.body.email, passwordHash: await bcrypt.hash(req.body.password, 10) });", True),
    ("await prisma.note.create({ data: { title, body } });", False),
    ("const chat = new Chat({ name: body.name });\nawait chat.save();", False),
])
def test_creating_a_member_with_a_password_is_a_sign_up(body: str, expected: bool) -> None:
    assert creates_account(body) is expected
