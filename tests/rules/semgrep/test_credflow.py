"""JS/TS credential and session-payload logging by data flow (issue 12, from misses judged on held-out set 7): a
token carried into a link or a header object and logged (LOG404), NextAuth's OAuth ``account`` logged (LOG404), a
decoded JWT logged whole in a project that signs the member's email into it (LOG403), and a socket.io chat
event's payload logged in a module that hands it to a model (LOG401). Five that must be found and five that
must not, per shape."""

from __future__ import annotations

import pytest

from scanner.engines.semgrep.credflow import credential_name
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.logflow import request_value_logging

EXPRESS = "const express = require('express');\nconst router = express.Router();\n"


def _found(files: dict[str, str]) -> list[tuple[str, str, int]]:
    docs = [Doc.of(path, text) for path, text in files.items()]
    return sorted((f.rule_id, f.location.path, f.location.line) for f in request_value_logging(docs, []))


def _line_of(text: str, marker: str) -> int:
    return text[:text.index(marker)].count("\n") + 1


# --- LOG404: a credential carried into another value ----------------------------------------------------------------

@pytest.mark.parametrize(
    "body",
    [
        "  const token = crypto.randomBytes(32).toString('hex');\n"
        "  const link = `${process.env.BASE_URL}/verify-email?token=${token}`;\n"
        "  console.log('Verification link:', link); // LOG\n",
        "  const resetToken = await createResetToken(user);\n"
        "  const url = process.env.APP_URL + '/reset/' + encodeURIComponent(resetToken);\n"
        "  logger.info({ url }); // LOG\n",
        "  const accessToken = jwt.sign({ id: user._id }, process.env.JWT_SECRET);\n"
        "  const headers = { Authorization: `Bearer ${accessToken}` };\n  console.debug(headers); // LOG\n",
        "  const t = jwt.sign({ id: user.id }, process.env.JWT_SECRET, { expiresIn: '7d' });\n"
        "  console.log('issued', t); // LOG\n",
        "  const apiKey = process.env.OPENAI_API_KEY;\n  const options = {\n    method: 'POST',\n"
        "    headers: { 'x-api-key': apiKey },\n  };\n  console.log('request options', options); // LOG\n",
    ],
)
def test_credential_carried_and_logged(body: str) -> None:
    text = EXPRESS + "router.post('/auth/send', async (req, res) => {\n" + body + "});\n"
    assert _found({"routes/auth.js": text}) == [("LOG404", "routes/auth.js", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "body",
    [
        "  const token = req.headers.authorization.split(' ')[1];\n"
        "  const user = await User.findOne({ token });\n  console.log('user id', user.id);\n",
        "  const token = req.cookies.token;\n  const valid = jwt.verify(token, process.env.JWT_SECRET);\n"
        "  console.log('valid', valid.exp);\n",
        "  const password = req.body.password;\n  const ok = await bcrypt.compare(password, user.hash);\n"
        "  console.log('login ok', ok);\n",
        "  const nextPageToken = result.nextPageToken;\n  const page = { cursor: nextPageToken };\n"
        "  console.log('page', page);\n",
        "  const maxTokens = 512;\n  const settings = { limit: maxTokens };\n  console.log(settings);\n",
    ],
)
def test_credential_consumed_or_not_a_credential(body: str) -> None:
    text = EXPRESS + "router.post('/auth/check', async (req, res) => {\n" + body + "});\n"
    assert _found({"routes/auth.js": text}) == []


def test_credential_names() -> None:
    assert [n for n in ("token", "resetToken", "user_password", "apiKey", "otp", "JWT_SECRET", "nextPageToken",
                        "maxTokens", "tokens", "tokenType", "promptTokens", "inputToken", "hasAuthToken",
                        "isToken", "shouldRefreshToken", "hashToken", "issuedToken") if credential_name(n)] == \
        ["token", "resetToken", "user_password", "apiKey", "otp", "JWT_SECRET", "hashToken", "issuedToken"]


# --- LOG404: NextAuth's account ---------------------------------------------------------------------------------------

NEXTAUTH = ("import NextAuth from 'next-auth';\nimport GoogleProvider from 'next-auth/providers/google';\n"
            "export const options = {\n  providers: [GoogleProvider({})],\n  callbacks: {\n")


@pytest.mark.parametrize(
    "callback",
    [
        "    async signIn({ user, account }) {\n      console.log('account', account); // LOG\n      return true;\n"
        "    },\n",
        "    async jwt({ token, account }) {\n      if (account) {\n        console.log(account); // LOG\n      }\n"
        "      return token;\n    },\n",
        "    signIn: async ({ user, account, profile }) => {\n      console.log({ account }); // LOG\n"
        "      return true;\n    },\n",
        "    async signIn({ account }) {\n      const details = { provider: account.provider, account };\n"
        "      console.info('sign in', details); // LOG\n      return true;\n    },\n",
        "    async signIn(params) {\n      const { account } = params;\n      console.log(JSON.stringify(account)); // LOG\n"
        "      return true;\n    },\n",
    ],
)
def test_nextauth_account_logged(callback: str) -> None:
    text = NEXTAUTH + callback + "  },\n};\nexport default NextAuth(options);\n"
    path = "src/app/api/auth/[...nextauth]/options.ts"
    assert _found({path: text}) == [("LOG404", path, _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "callback",
    [
        "    async signIn({ user, account }) {\n      console.log('provider', account.provider);\n      return true;\n"
        "    },\n",
        "    async signIn({ user, account }) {\n      console.log('type', account?.type);\n      return true;\n    },\n",
        "    async signIn({ user }) {\n      console.log('signed in', user.id);\n      return true;\n    },\n",
        "    async jwt({ token, account }) {\n      if (account) token.provider = account.provider;\n"
        "      console.log('jwt built');\n      return token;\n    },\n",
        "    async signIn({ account }) {\n      const ok = isAllowed(account);\n      console.log('allowed', ok);\n"
        "      return ok;\n    },\n",
    ],
)
def test_nextauth_account_metadata_is_not(callback: str) -> None:
    text = NEXTAUTH + callback + "  },\n};\nexport default NextAuth(options);\n"
    assert _found({"src/app/api/auth/[...nextauth]/options.ts": text}) == []


def test_account_outside_nextauth_is_not() -> None:
    text = EXPRESS + "function show(account) {\n  console.log(account);\n}\nmodule.exports = { show };\n"
    assert _found({"routes/accounts.js": text}) == []


# --- LOG403: a decoded token whose payload carries the member's email ------------------------------------------------

SIGN_EMAIL = ("const jwt = require('jsonwebtoken');\nexports.login = (user) =>\n"
              "  jwt.sign({ id: user._id, email: user.email }, process.env.JWT_SECRET);\n")
SIGN_ID = ("const jwt = require('jsonwebtoken');\nexports.login = (user) =>\n"
           "  jwt.sign({ id: user._id }, process.env.JWT_SECRET);\n")
SIGN_PAYLOAD = ("const jwt = require('jsonwebtoken');\nexports.login = (user) => {\n"
                "  const payload = { sub: user.id, email: user.email };\n"
                "  return jwt.sign(payload, process.env.JWT_SECRET);\n};\n")
MIDDLEWARE = "const jwt = require('jsonwebtoken');\nmodule.exports = function auth(req, res, next) {\n"


@pytest.mark.parametrize(
    ("signer", "body"),
    [
        (SIGN_EMAIL, "  const decoded = jwt.verify(req.cookies.token, process.env.JWT_SECRET);\n"
                     "  console.log('decoded', decoded); // LOG\n  next();\n"),
        (SIGN_EMAIL, "  jwt.verify(req.cookies.token, process.env.JWT_SECRET, (err, success) => {\n"
                     "    if (err) return res.status(401).end();\n    console.log(success, 'success'); // LOG\n"
                     "    next();\n  });\n"),
        (SIGN_PAYLOAD, "  const payload = jwt.decode(req.headers.authorization);\n  console.info(payload); // LOG\n"
                       "  next();\n"),
        (SIGN_PAYLOAD, "  jwt.verify(req.cookies.token, process.env.JWT_SECRET, function (err, data) {\n"
                       "    logger.info({ data }); // LOG\n    next();\n  });\n"),
        (SIGN_EMAIL, "  const user = jwt.verify(req.cookies.token, process.env.JWT_SECRET);\n"
                     "  console.log('auth user', user); // LOG\n  req.user = user;\n  next();\n"),
    ],
)
def test_decoded_personal_token_logged(signer: str, body: str) -> None:
    text = MIDDLEWARE + body + "};\n"
    assert _found({"controllers/auth.js": signer, "middleware/auth.js": text}) == [
        ("LOG403", "middleware/auth.js", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    ("signer", "body"),
    [
        (SIGN_ID, "  const decoded = jwt.verify(req.cookies.token, process.env.JWT_SECRET);\n"
                  "  console.log('decoded', decoded);\n  next();\n"),
        (SIGN_EMAIL, "  const decoded = jwt.verify(req.cookies.token, process.env.JWT_SECRET);\n"
                     "  console.log('user', decoded.id);\n  next();\n"),
        (SIGN_EMAIL, "  const id = jwt.verify(req.cookies.token, process.env.JWT_SECRET).id;\n"
                     "  console.log('user', id);\n  next();\n"),
        (SIGN_EMAIL, "  jwt.verify(req.cookies.token, process.env.JWT_SECRET, (err, data) => {\n"
                     "    console.log('verified', Boolean(data));\n    next();\n  });\n"),
        (SIGN_PAYLOAD, "  const decoded = jwt.verify(req.cookies.token, process.env.JWT_SECRET);\n"
                       "  console.log('expires', decoded.exp);\n  next();\n"),
    ],
)
def test_decoded_token_without_personal_fields_is_not(signer: str, body: str) -> None:
    text = MIDDLEWARE + body + "};\n"
    assert _found({"controllers/auth.js": signer, "middleware/auth.js": text}) == []


# --- LOG401: a chat event's payload, in a module that hands it to a model --------------------------------------------

SOCKET_HEAD = ("import { Server } from 'socket.io';\nimport OpenAI from 'openai';\nconst openai = new OpenAI();\n"
               "const ask = (text) => openai.chat.completions.create({ model: 'x', messages: [text] });\n"
               "const io = new Server(server);\nio.on('connection', (socket) => {\n")


@pytest.mark.parametrize(
    "handler",
    [
        "  socket.on('event-message', async (data) => {\n    console.log('Message received:', data); // LOG\n"
        "    await openai.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: data.text }] });\n"
        "  });\n",
        "  socket.on('chat', (msg) => {\n    const text = msg.text;\n    console.log(`user said ${text}`); // LOG\n"
        "  });\n",
        "  socket.on('sendMessage', async function (payload) {\n    logger.info(payload); // LOG\n  });\n",
        "  socket.on('user:prompt', async (p) => {\n    console.debug('prompt', JSON.stringify(p)); // LOG\n  });\n",
        "  socket.on('ask_question', (q) => {\n    const entry = { q, at: Date.now() };\n"
        "    console.log(entry); // LOG\n  });\n",
    ],
)
def test_chat_event_payload_logged(handler: str) -> None:
    text = SOCKET_HEAD + handler + "});\n"
    assert _found({"server.js": text}) == [("LOG401", "server.js", _line_of(text, "// LOG"))]


@pytest.mark.parametrize(
    "handler",
    [
        "  socket.on('disconnect', (reason) => {\n    console.log('left', reason);\n  });\n",
        "  socket.on('join-room', (room) => {\n    console.log('join', room);\n  });\n",
        "  socket.on('event-message', (data) => {\n    console.log('message length', data.text.length);\n  });\n",
        "  socket.on('chat', (msg) => {\n    console.log('from', msg.userId, msg.type);\n  });\n",
        "  const client = io('http://localhost:4000');\n  client.on('message', (m) => {\n    console.log(m);\n"
        "  });\n",
    ],
)
def test_other_events_or_metadata_are_not(handler: str) -> None:
    assert _found({"server.js": SOCKET_HEAD + handler + "});\n"}) == []


def test_oauth_token_response_logged_whole() -> None:
    code = ("const express = require('express');\nconst router = express.Router();\n"
            "router.get('/google/callback', async (req, res) => {\n  const response = await googleClient.getToken(req.query.code);\n"
            "  console.log(response);\n  console.log('scopes', response.tokens.scope.length);\n  res.redirect('/');\n});\n"
            "module.exports = router;\n")
    assert _found({"routes/google.js": code}) == [("LOG404", "routes/google.js", 5)]
