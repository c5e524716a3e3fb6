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

// Keys carried by a variable, field or object property, and keys made from a literal.
const SIGNING_SECRET = process.env.SIGNING_SECRET || "variable-fallback-hmac";
// A property of a same-file object is left to the secrets detectors (one finding, on the literal).
const webhookConfig = { secret: "object-property-hmac", tolerance: 300 };
const envWebhookConfig = { secret: process.env.WEBHOOK_SECRET, tolerance: 300 };
const SIGNING_FROM_ENV = process.env.SIGNING_SECRET ?? "";

export function sign4(body: string) {
  // ruleid: js-hardcoded-hmac-key
  return createHmac("sha256", SIGNING_SECRET).update(body).digest("hex");
}

export function sign5(body: string) {
  return createHmac("sha256", webhookConfig.secret).update(body).digest("hex");
}

export function sign6(body: string) {
  // ruleid: js-hardcoded-hmac-key
  return createHmac("sha256", Buffer.from("buffer-hmac-key", "utf8")).update(body).digest("hex");
}

export class Signer {
  private key: string;
  constructor() {
    this.key = "class-field-hmac";
    // ruleid: js-hardcoded-hmac-key
    this.mac = crypto.createHmac("sha1", this.key);
  }
}

export function sign7(body: string) {
  const keyObject = crypto.createSecretKey(Buffer.from("key-object-hmac"));
  // ruleid: js-hardcoded-hmac-key
  return crypto.createHmac("sha256", keyObject).update(body).digest("hex");
}

export function verify4(body: string) {
  // ok: js-hardcoded-hmac-key
  return createHmac("sha256", SIGNING_FROM_ENV).update(body).digest("hex");
}

export function verify5(body: string) {
  // ok: js-hardcoded-hmac-key
  return createHmac("sha256", envWebhookConfig.secret as string).update(body).digest("hex");
}

export function verify6(body: string) {
  // ok: js-hardcoded-hmac-key
  return createHmac("sha256", Buffer.from(process.env.WEBHOOK_SECRET as string, "base64")).update(body).digest("hex");
}

export function verify7(body: string) {
  // ok: js-hardcoded-hmac-key
  return createHmac("sha256", config.get("webhook.secret")).update(body).digest("hex");
}

export function verify8(body: string, secrets: Record<string, string>) {
  // ok: js-hardcoded-hmac-key
  return createHmac("sha256", secrets["github"]).update(body).digest("hex");
}
