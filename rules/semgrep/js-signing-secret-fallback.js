// ruleid: js-signing-secret-fallback
const SESSION_SECRET = process.env.SESSION_SECRET ?? "shh-dev-secret";
// ruleid: js-signing-secret-fallback
let jwtKey = process.env.JWT_SECRET || "jwt-dev-secret";
module.exports = {
  // ruleid: js-signing-secret-fallback
  jwtSecret: process.env.JWT_ACCESS_SECRET || "access-dev-secret",
  // ruleid: js-signing-secret-fallback
  secret: process.env.SECRET_KEY ?? "plain-dev-secret",
  // ok: js-signing-secret-fallback
  port: process.env.PORT || "5000",
  // ok: js-signing-secret-fallback
  openaiKey: process.env.OPENAI_API_KEY ?? "",
  // ok: js-signing-secret-fallback
  clientUrl: process.env.CLIENT_URL ?? "http://localhost:3000",
};
// ok: js-signing-secret-fallback
const REFRESH_SECRET = process.env.REFRESH_TOKEN_SECRET || "";
// ok: js-signing-secret-fallback
const MODEL = process.env.MODEL_NAME || "gpt-4o-mini";
