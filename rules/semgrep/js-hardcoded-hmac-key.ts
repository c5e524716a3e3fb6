import crypto, { createHmac } from "crypto";

const WEBHOOK_SECRET = "whsec-literal-value";
const ENV_SECRET = process.env.WEBHOOK_SECRET!;

export function sign(body: string) {
  // ruleid: js-hardcoded-hmac-key
  return crypto.createHmac("sha256", "hmac-signing-key").update(body).digest("hex");
}

export function sign2(body: string) {
  // ruleid: js-hardcoded-hmac-key
  return createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex");
}

export function sign3(body: string) {
  // ruleid: js-hardcoded-hmac-key
  return createHmac("sha256", process.env.SIGNING_SECRET || "fallback-key").update(body).digest("base64");
}

export function verify(body: string) {
  // ok: js-hardcoded-hmac-key
  return createHmac("sha256", ENV_SECRET).update(body).digest("hex");
}

export function verify2(body: string, secret: string) {
  // ok: js-hardcoded-hmac-key
  return crypto.createHmac("sha256", secret).update(body).digest("hex");
}

export function verify3(body: string) {
  // ok: js-hardcoded-hmac-key
  return crypto.createHmac("sha256", process.env.WEBHOOK_SECRET as string).update(body).digest("hex");
}
