import cors from "cors";

const allowedOrigins = ["http://localhost:8080", process.env.CORS_ORIGIN];

export const options = cors({
  origin: (origin, callback) => {
    // ruleid: js-cors-origin-prefix
    if (!origin || allowedOrigins.some((o) => !!o && origin.startsWith(o))) {
      callback(null, true);
    } else {
      callback(new Error("Not allowed by CORS"));
    }
  },
  credentials: true,
});

export function allowed(requestOrigin: string): boolean {
  // ruleid: js-cors-origin-prefix
  return requestOrigin.startsWith("https://app.example.com");
}

export function local(origin: string): boolean {
  // ok: js-cors-origin-prefix
  return origin.startsWith("http://localhost:");
}

export function exact(origin: string): boolean {
  // ok: js-cors-origin-prefix
  return allowedOrigins.includes(origin);
}

export function path(url: string): boolean {
  // ok: js-cors-origin-prefix
  return url.startsWith("/api");
}

export function fromHeaders(req: { headers: { origin?: string } }, site: string): boolean {
  // ruleid: js-cors-origin-prefix
  return !!req.headers.origin?.startsWith(site);
}
