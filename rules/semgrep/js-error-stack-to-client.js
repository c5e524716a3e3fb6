const express = require("express");
const app = express();

app.use(function (err, req, res, next) {
  // ruleid: js-error-stack-to-client
  res.status(500).json({ error: err.message, stack: err.stack });
});

app.use((err, req, res, next) => {
  // ruleid: js-error-stack-to-client
  res.status(err.status || 500).send(err.stack);
});

function errorHandler(error, req, res, next) {
  // ruleid: js-error-stack-to-client
  res.json({ message: error.message, details: error.stack });
}

app.use((err, req, res, next) => {
  // ok: js-error-stack-to-client
  res.status(500).json({ error: "Internal server error" });
});

app.use((err, req, res, next) => {
  console.error(err.stack);
  // ok: js-error-stack-to-client
  res.status(500).send("Something broke!");
});

app.use((err, req, res, next) => {
  res.status(500).json({
    message: err.message,
    // ok: js-error-stack-to-client
    stack: process.env.NODE_ENV === "production" ? undefined : err.stack,
  });
});

// A whole HTTP-client error sent to the client: an axios error serialises its request config (headers and
// API key included).
const axios = require("axios");

app.post("/api/generate", async (req, res) => {
  try {
    const r = await axios.post("https://api.openai.com/v1/images/generations", req.body, {
      headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
    });
    res.json(r.data);
  } catch (error) {
    // ruleid: js-error-stack-to-client
    res.status(500).json(error);
  }
});

router.get("/weather", async (req, res) => {
  try {
    const { data } = await axios.get(`https://api.example.com/w?key=${process.env.W_KEY}`);
    res.send(data);
  } catch (err) {
    // ruleid: js-error-stack-to-client
    res.send(err);
  }
});

router.post("/chat", async (req, res) => {
  try {
    const out = await axios({ method: "post", url: process.env.LLM_URL, data: req.body });
    return res.json(out.data);
  } catch (e) {
    // ruleid: js-error-stack-to-client
    return res.status(502).json({ error: e });
  }
});

router.post("/tts", async (req, res) => {
  try {
    const audio = await got.post("https://api.elevenlabs.io/v1/text-to-speech/x", { json: req.body }).buffer();
    res.send(audio);
  } catch (err) {
    // ruleid: js-error-stack-to-client
    res.status(500).send(err);
  }
});

router.post("/summarise", async (req, res) => {
  try {
    const result = await axios.post(process.env.SUMMARY_URL, { text: req.body.text });
    res.json({ summary: result.data });
  } catch (error) {
    // ruleid: js-error-stack-to-client
    res.json({ success: false, error: error });
  }
});

router.post("/ok1", async (req, res) => {
  try {
    const r = await axios.post(process.env.URL, req.body);
    res.json(r.data);
  } catch (error) {
    // ok: js-error-stack-to-client
    res.status(500).json({ error: error.message });
  }
});

router.post("/ok2", async (req, res) => {
  try {
    await db.insert(req.body);
    res.sendStatus(201);
  } catch (error) {
    // ok: js-error-stack-to-client
    res.status(500).json(error);
  }
});

router.post("/ok3", async (req, res) => {
  try {
    const r = await axios.post(process.env.URL, req.body);
    res.json(r.data);
  } catch (error) {
    console.error(error);
    // ok: js-error-stack-to-client
    res.status(500).send("Upstream failed");
  }
});

router.post("/ok4", async (req, res) => {
  try {
    const r = await axios.post(process.env.URL, req.body);
    res.json(r.data);
  } catch (error) {
    // ok: js-error-stack-to-client
    res.status(error.response?.status || 500).json(error.response?.data);
  }
});

router.post("/ok5", async (req, res) => {
  try {
    const r = await fetch(process.env.URL, { method: "POST", body: JSON.stringify(req.body) });
    res.json(await r.json());
  } catch (error) {
    // ok: js-error-stack-to-client
    res.json({ ok: false, code: error.code });
  }
});

// the stack only in development, spread in by a NODE_ENV test
app.use((err, req, res, next) => {
  res.status(err.status || 500).json({
    message: err.message,
    // ok: js-error-stack-to-client
    ...(process.env.NODE_ENV === "development" && { stack: err.stack }),
  });
});

// the stack in a route's own 500 answer (set 27 NeuraCare)
router.post("/score", async (req, res) => {
  try {
    res.json(await score(req.body));
  } catch (error) {
    console.error(error.stack);
    res.status(500).json({
      message: error.message,
      // ruleid: js-error-stack-to-client
      details: error.stack,
    });
  }
});

router.post("/score-dev", async (req, res) => {
  try {
    res.json(await score(req.body));
  } catch (error) {
    res.status(500).json({
      message: error.message,
      // ok: js-error-stack-to-client
      details: process.env.NODE_ENV === "development" ? error.stack : undefined,
    });
  }
});
