function a(req, res, next) {
  // ruleid: js-cors-reflected-origin
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  next();
}
function b(req, res, next) {
  const origin = req.get("origin");
  // ruleid: js-cors-reflected-origin
  res.header("Access-Control-Allow-Origin", origin);
  next();
}
// ruleid: js-cors-reflected-origin
app.use(cors({ origin: true }));
function c(req, res, next) {
  const origin = req.headers.origin;
  if (origin && ALLOWED_ORIGINS.has(origin)) {
    // ok: js-cors-reflected-origin
    res.setHeader("Access-Control-Allow-Origin", origin);
  }
  next();
}
function d(req, res, next) {
  const origin = req.headers.origin;
  if (isAllowed(origin)) {
    // ok: js-cors-reflected-origin
    res.setHeader("Access-Control-Allow-Origin", origin);
  }
}
// ok: js-cors-reflected-origin
app.use(cors({ origin: ["https://app.example.com"] }));
// ruleid: js-cors-reflected-origin
app.use(cors({ origin: /example\.com/ }));
// ruleid: js-cors-reflected-origin
app.use(cors({ origin: /^https:\/\/app\.example\.com/ }));
// ok: js-cors-reflected-origin
app.use(cors({ origin: /^https:\/\/app\.example\.com$/ }));
function helper(req, res) {
  // ruleid: js-cors-reflected-origin
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
}
