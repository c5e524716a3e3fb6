import jwt from "jsonwebtoken";
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
