import jwt from "jsonwebtoken";
import { sign, verify } from "jsonwebtoken";
import { SignJWT, jwtVerify } from "jose";
import { Strategy as JwtStrategy, ExtractJwt } from "passport-jwt";
import { expressjwt } from "express-jwt";

const JWT_SECRET = "my-super-secret-key";
const FROM_ENV = process.env.JWT_SECRET as string;

export function issue(user: { id: string }) {
  // ruleid: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, "s3cr3t", { expiresIn: "7d" });
}

export function check(token: string) {
  // ruleid: js-hardcoded-jwt-secret
  return jwt.verify(token, JWT_SECRET);
}

export function checkEnv(token: string) {
  // ruleid: js-hardcoded-jwt-secret
  return jwt.verify(token, process.env.JWT_SECRET || "fallback-secret");
}

// ruleid: js-hardcoded-jwt-secret
const key = new TextEncoder().encode(process.env.AUTH_SECRET ?? "dev-auth-secret");

export async function encrypt(payload: Record<string, string>) {
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1d").sign(key);
}

export async function decrypt(input: string) {
  // ruleid: js-hardcoded-jwt-secret
  return jwtVerify(input, new TextEncoder().encode("literal-jose-key"), { algorithms: ["HS256"] });
}

const opts = {
  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
  // ruleid: js-hardcoded-jwt-secret
  secretOrKey: "passport-secret",
};
new JwtStrategy(opts, (payload: unknown, done: Function) => done(null, payload));

// ruleid: js-hardcoded-jwt-secret
app.use(expressjwt({ secret: "shhhhhhared-secret", algorithms: ["HS256"] }));

export function issueEnv(user: { id: string }) {
  // ok: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, process.env.JWT_SECRET!, { expiresIn: "7d" });
}

export function checkConst(token: string) {
  // ok: js-hardcoded-jwt-secret
  return jwt.verify(token, FROM_ENV);
}

// ok: js-hardcoded-jwt-secret
const envKey = new TextEncoder().encode(process.env.AUTH_SECRET);

// ok: js-hardcoded-jwt-secret
app.use(expressjwt({ secret: process.env.JWT_SECRET as string, algorithms: ["HS256"] }));

const strategyOpts = {
  jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
  // ok: js-hardcoded-jwt-secret
  secretOrKey: process.env.JWT_SECRET,
};

export function verifyEmpty(token: string) {
  // ok: js-hardcoded-jwt-secret
  return jwt.verify(token, process.env.JWT_SECRET || "");
}

// A key carried by a variable, field or object property set in this file.
const REFRESH_SECRET = process.env.REFRESH_SECRET || "dev-refresh-secret";
let accessSecret = process.env.ACCESS_SECRET ?? "dev-access-secret";
// A property of a same-file object is left to the secrets detectors (one finding, on the literal).
const config = { jwtSecret: "config-object-secret", expiresIn: "1h" };
const FROM_ENV_2 = process.env.REFRESH_SECRET as string;
let fromEnvEmpty = process.env.ACCESS_SECRET || "";
const envConfig = { jwtSecret: process.env.JWT_SECRET, expiresIn: "1h" };

export function refresh(token: string) {
  // ruleid: js-hardcoded-jwt-secret
  return jwt.verify(token, REFRESH_SECRET);
}

export function access(user: { id: string }) {
  // ruleid: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, accessSecret);
}

export function fromConfig(user: { id: string }) {
  return jwt.sign({ sub: user.id }, config.jwtSecret, { expiresIn: config.expiresIn });
}

export function refreshEnv(token: string) {
  // ok: js-hardcoded-jwt-secret
  return jwt.verify(token, FROM_ENV_2);
}

export function accessEmpty(user: { id: string }) {
  // ok: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, fromEnvEmpty);
}

export function fromEnvConfig(user: { id: string }) {
  // ok: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, envConfig.jwtSecret as string);
}

export class TokenService {
  private secret: string;
  private envSecret: string;
  constructor() {
    this.secret = "class-field-secret";
    this.envSecret = process.env.JWT_SECRET as string;
    // ruleid: js-hardcoded-jwt-secret
    this.token = jwt.sign({ role: "service" }, this.secret);
    // ok: js-hardcoded-jwt-secret
    this.other = jwt.sign({ role: "service" }, this.envSecret);
  }
}

// Keys made from a literal: jose v1 JWK.asKey, crypto.createSecretKey, Buffer.from.
export function legacyJose(token: string) {
  const legacyKey = JWK.asKey("jose-v1-literal-key");
  // ruleid: js-hardcoded-jwt-secret
  return JWT.verify(token, legacyKey);
}

export function legacyJoseEnv(token: string) {
  const legacyEnvKey = JWK.asKey(process.env.JWT_SECRET as string);
  // ok: js-hardcoded-jwt-secret
  return JWT.verify(token, legacyEnvKey);
}

export function secretKeyObject(user: { id: string }) {
  const keyObject = createSecretKey(Buffer.from("secret-key-object"));
  // ruleid: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, keyObject);
}

export function secretKeyObjectEnv(user: { id: string }) {
  const envKeyObject = createSecretKey(Buffer.from(process.env.JWT_SECRET as string));
  // ok: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, envKeyObject);
}

export function bufferKey(token: string) {
  // ruleid: js-hardcoded-jwt-secret
  return jwt.verify(token, Buffer.from("buffer-literal-key", "utf8"));
}

export function bufferKeyEnv(token: string) {
  // ok: js-hardcoded-jwt-secret
  return jwt.verify(token, Buffer.from(process.env.JWT_SECRET as string, "base64"));
}

// passport-jwt options filled property by property (the passport-jwt README's shape).
const readmeOpts: Record<string, unknown> = {};
readmeOpts.jwtFromRequest = ExtractJwt.fromAuthHeaderAsBearerToken();
// ruleid: js-hardcoded-jwt-secret
readmeOpts.secretOrKey = "readme-secret";
const envOpts: Record<string, unknown> = {};
// ok: js-hardcoded-jwt-secret
envOpts.secretOrKey = process.env.JWT_SECRET;

// express-jwt options held in a variable.
const jwtOptions = {
  // ruleid: js-hardcoded-jwt-secret
  secret: "express-jwt-options-secret",
  algorithms: ["HS256"],
};
app.use(expressjwt(jwtOptions));
const envJwtOptions = {
  // ok: js-hardcoded-jwt-secret
  secret: process.env.JWT_SECRET as string,
  algorithms: ["HS256"],
};
app.use(expressjwt(envJwtOptions));
const unrelatedOptions = {
  // ok: js-hardcoded-jwt-secret
  secret: "not-a-jwt-option",
};
app.use(cors(unrelatedOptions));

// sign / verify imported by name from jsonwebtoken and hono/jwt.

const SESSION_KEY = process.env.SESSION_KEY || "named-import-fallback";

export function issueNamed(user: { id: string; _id: string }) {
  // ruleid: js-hardcoded-jwt-secret
  return sign({ sub: user.id }, "named-import-secret", { expiresIn: "1h" });
}

export function checkNamed(token: string) {
  // ruleid: js-hardcoded-jwt-secret
  return verify(token, SESSION_KEY);
}

export function issueEnvNamed(user: { id: string; _id: string }) {
  // ok: js-hardcoded-jwt-secret
  return sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: "1h" });
}

export function checkParamNamed(token: string, secret: string) {
  // ok: js-hardcoded-jwt-secret
  return verify(token, secret);
}

// A string inside the key expression is a setting's name or a lookup, not the key.
const settings = require("config");
const keyRing = { primary: process.env.JWT_PRIMARY };

export function configGet(user: { id: string; _id: string }) {
  // ok: js-hardcoded-jwt-secret
  return sign({ _id: user._id }, settings.get("jwtPrivateKey"));
}

export function fromKeyRing(token: string) {
  // ok: js-hardcoded-jwt-secret
  return verify(token, keyRing["primary"]);
}

export function lookup(token: string) {
  // ok: js-hardcoded-jwt-secret
  return verify(token, getSecret("kid"));
}

export function lookupFallback(token: string) {
  // ruleid: js-hardcoded-jwt-secret
  return verify(token, getSecret("kid") || "lookup-fallback-secret");
}

const LOOKED_UP = settings.get("jwt.secret");
export function lookedUp(token: string) {
  // ok: js-hardcoded-jwt-secret
  return verify(token, LOOKED_UP);
}

// a signing-secret variable's literal fallback in a config object read elsewhere
// ruleid: js-hardcoded-jwt-secret
const appConfig = { jwt: { secret: process.env.JWT_SECRET || "fallback-secret-key-change-in-production" } };
// ruleid: js-hardcoded-jwt-secret
export const sessionOptions = { secret: process.env.SESSION_SECRET ?? "keyboard cat", resave: false };
// ok: js-hardcoded-jwt-secret
const modelKey = { apiKey: process.env.OPENAI_API_KEY || "sk-placeholder" };
// ok: js-hardcoded-jwt-secret
const emptyFallback = { jwt: { secret: process.env.JWT_SECRET || "" } };
