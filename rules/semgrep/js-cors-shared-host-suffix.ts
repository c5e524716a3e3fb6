app.use(
  "/*",
  cors({
    origin: (origin) => {
      if (!origin) return "*";
      if (origin === "http://localhost:3000") return origin;
      // ruleid: js-cors-shared-host-suffix
      if (origin.endsWith(".vercel.app")) return origin;
      // ok: js-cors-shared-host-suffix
      if (origin.endsWith("rootlink.app")) return origin;
      // ok: js-cors-shared-host-suffix
      if (origin === "https://rootlink.vercel.app") return origin;
      return null;
    },
  })
);

app.use(cors({
  origin(origin, callback) {
    // ruleid: js-cors-shared-host-suffix
    if (!origin || allowed.includes(origin) || origin.includes("netlify.app")) {
      callback(null, true);
    } else {
      callback(new Error("Not allowed by CORS"));
    }
  },
}));

app.use(cors({
  origin: [
    "http://localhost:5173",
    // ruleid: js-cors-shared-host-suffix
    /\.vercel\.app$/,
    // ruleid: js-cors-shared-host-suffix
    /^https:\/\/myapp-[a-z0-9]+\.vercel\.app$/,
    // ok: js-cors-shared-host-suffix
    /^https:\/\/myapp\.vercel\.app$/,
  ],
}));

// ok: js-cors-shared-host-suffix
const isPreview = hostname.endsWith(".vercel.app");
