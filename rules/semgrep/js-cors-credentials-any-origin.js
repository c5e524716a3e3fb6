const corsOptions = {
  // ruleid: js-cors-credentials-any-origin
  origin: "*",
  credentials: true,
};
function handler(req, res) {
  res.setHeader("Access-Control-Allow-Credentials", "true");
  // ruleid: js-cors-credentials-any-origin
  res.setHeader("Access-Control-Allow-Origin", "*");
}
const h = {
  // ruleid: js-cors-credentials-any-origin
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Credentials": "true",
};
// ok: js-cors-credentials-any-origin
app.use(cors({ origin: "*" }));
function other(req, res) {
  // ok: js-cors-credentials-any-origin
  res.setHeader("Access-Control-Allow-Origin", "*");
}
// ok: js-cors-credentials-any-origin
app.use(cors({ origin: "https://app.example.com", credentials: true }));
app.use(cors({
  // ruleid: js-cors-credentials-any-origin
  origin: process.env.CORS_ORIGIN || "*",
  credentials: true,
}));
