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
