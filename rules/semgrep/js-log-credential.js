async function login(req, res, log) {
  // ruleid: js-log-credential
  log.info(`issued session token ${token} for user ${user.id}`);
  // ruleid: js-log-credential
  console.log("auth header", req.headers.authorization);
  // ruleid: js-log-credential
  console.log("login attempt", req.body.password);
  // ok: js-log-credential
  console.log("token refreshed");
  // ok: js-log-credential
  console.log("tokens", usage.completion_tokens);
  // ok: js-log-credential
  log.info({ userId: user.id }, "login ok");
}
// ruleid: js-log-credential
console.log("otp", otp);
// ruleid: js-log-credential
logger.info(`code sent: ${user.verificationCode}`);
// ruleid: js-log-credential
console.log(passwordRef.current.value);
// ok: js-log-credential
console.log(otp.length);
// ruleid: js-log-credential
console.log("cookies", request.cookies.getAll());
// ruleid: js-log-credential
logger.debug({ jar: req.cookies.getAll() });
// ok: js-log-credential
console.log(request.cookies.get("theme")?.value === "dark");
// ruleid: js-log-credential
console.log("[ONBOARDING API] Request headers:", Object.fromEntries(request.headers.entries()));
// ruleid: js-log-credential
console.log("headers", [...req.headers]);
// ok: js-log-credential
console.log("content type", request.headers.get("content-type"));
// ruleid: js-log-credential
console.log("AUTH HEADER:", authHeader);
// ok: js-log-credential
console.log("auth header length", authHeader.length);
// ok: js-log-credential
console.log("has auth header", Boolean(authHeader));
// ok: js-log-credential
console.log("token set", !!token, typeof apiKey);
