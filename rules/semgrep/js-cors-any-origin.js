const corsOptions = {
  // ruleid: js-cors-any-origin
  origin: "*",
  methods: "GET,POST",
};
// ruleid: js-cors-any-origin
app.use(cors({ origin: '*' }));
// ruleid: js-cors-any-origin
const io = new Server(server, { cors: { origin: "*", methods: ["GET"] } });
// ok: js-cors-any-origin
app.use(cors({ origin: "https://app.example.com" }));
// ok: js-cors-any-origin
app.use(cors({ origin: ["https://a.example.com", "https://b.example.com"] }));
// ok: js-cors-any-origin
const note = { text: "*" };
// ruleid: js-cors-any-origin
app.use(cors({ origin: process.env.CORS_ORIGIN || "*" }));
// ruleid: js-cors-any-origin
app.enableCors({ origin: process.env.ALLOWED_ORIGINS ?? '*' });
// ruleid: js-cors-any-origin
app.use(cors({ origin: /.*/ }));
// ok: js-cors-any-origin
app.use(cors({ origin: process.env.CORS_ORIGIN || "https://app.example.com" }));
// ok: js-cors-any-origin
app.use(cors({ origin: /^https:\/\/app\.example\.com$/ }));
