// ruleid: js-cors-credentialed-reflected-origin
app.use(cors({ origin: true, credentials: true }));
// ruleid: js-cors-credentialed-reflected-origin
app.use(cors({ credentials: true, origin: (origin, cb) => cb(null, true) }));
function a(req, res, next) {
  // ruleid: js-cors-credentialed-reflected-origin
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
}
// ok: js-cors-credentialed-reflected-origin
app.use(cors({ origin: true }));
// ok: js-cors-credentialed-reflected-origin
app.use(cors({ origin: ["https://app.example.com"], credentials: true }));
function c(req, res, next) {
  const origin = req.headers.origin;
  if (origin && ALLOWED_ORIGINS.has(origin)) {
    // ok: js-cors-credentialed-reflected-origin
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
  }
  next();
}
