const express = require("express");
const session = require("express-session");
const cookieSession = require("cookie-session");
const cookieParser = require("cookie-parser");
const NextAuth = require("next-auth").default;

const app = express();
const SESSION_SECRET = "keyboard cat";

app.use(
  session({
    // ruleid: js-hardcoded-session-secret
    secret: SESSION_SECRET,
    resave: false,
    saveUninitialized: true,
  })
);
// ruleid: js-hardcoded-session-secret
app.use(session({ secret: process.env.SESSION_SECRET || "dev-session-secret", resave: false }));
// ruleid: js-hardcoded-session-secret
app.use(cookieSession({ name: "session", keys: ["key1-literal", process.env.KEY2] }));
// ruleid: js-hardcoded-session-secret
app.use(cookieParser("cookie-signing-secret"));

export const sessionOptions = {
  // ruleid: js-hardcoded-session-secret
  password: "complex_password_at_least_32_characters_long",
  cookieName: "iron-session-cookie",
};

export const authOptions = {
  providers: [],
  // ruleid: js-hardcoded-session-secret
  secret: process.env.NEXTAUTH_SECRET ?? "nextauth-fallback",
};

// ok: js-hardcoded-session-secret
app.use(session({ secret: process.env.SESSION_SECRET, resave: false }));
// ok: js-hardcoded-session-secret
app.use(cookieSession({ name: "session", keys: [process.env.KEY1, process.env.KEY2] }));
// ok: js-hardcoded-session-secret
app.use(cookieParser(process.env.COOKIE_SECRET));
// ok: js-hardcoded-session-secret
app.use(cookieParser());

export const ironOptions = {
  // ok: js-hardcoded-session-secret
  password: process.env.SECRET_COOKIE_PASSWORD,
  cookieName: "iron",
};

export default NextAuth({
  providers: [],
  // ok: js-hardcoded-session-secret
  secret: process.env.NEXTAUTH_SECRET,
});

const loginForm = {
  // ok: js-hardcoded-session-secret
  password: "",
  username: "",
};

// Options held in a variable, and secrets carried by a variable, field or object property.
const sessionConfig = {
  // ruleid: js-hardcoded-session-secret
  secret: "options-variable-secret",
  resave: false,
  saveUninitialized: false,
};
app.use(session(sessionConfig));

let sess = { cookie: { secure: true } };
const SESSION_FALLBACK = process.env.SESSION_SECRET || "variable-fallback-secret";
// ruleid: js-hardcoded-session-secret
app.use(session({ ...sess, secret: SESSION_FALLBACK }));

// A property of a same-file object is left to the secrets detectors (one finding, on the literal).
const settings = { sessionSecret: "settings-object-secret", port: 3000 };
app.use(session({ secret: settings.sessionSecret, resave: false }));

const cookieConfig = {
  name: "session",
  // ruleid: js-hardcoded-session-secret
  keys: ["cookie-options-key"],
};
app.use(cookieSession(cookieConfig));

// ruleid: js-hardcoded-session-secret
app.use(session({ secret: ["rotating-secret-new", process.env.OLD_SECRET], resave: false }));

const envSessionConfig = {
  // ok: js-hardcoded-session-secret
  secret: process.env.SESSION_SECRET,
  resave: false,
};
app.use(session(envSessionConfig));

const SESSION_FROM_ENV = process.env.SESSION_SECRET || "";
// ok: js-hardcoded-session-secret
app.use(session({ secret: SESSION_FROM_ENV }));

const envSettings = { sessionSecret: process.env.SESSION_SECRET, port: 3000 };
// ok: js-hardcoded-session-secret
app.use(session({ secret: envSettings.sessionSecret, resave: false }));

const envCookieConfig = {
  name: "session",
  // ok: js-hardcoded-session-secret
  keys: [process.env.COOKIE_KEY],
};
app.use(cookieSession(envCookieConfig));

const corsConfig = {
  // ok: js-hardcoded-session-secret
  secret: "not-a-session-option",
};
app.use(cors(corsConfig));

// ok: js-hardcoded-session-secret
app.use(session({ secret: config.get("session.secret"), resave: false }));
