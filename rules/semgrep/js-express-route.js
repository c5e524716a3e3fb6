const express = require("express");
const app = express();
const router = express.Router();

// ruleid: js-express-route
app.post("/api/chat", async (req, res) => {
  res.json({ ok: true });
});

// ruleid: js-express-route
router.get("/history", requireAuth, function (req, res) {
  res.json([]);
});

// ruleid: js-express-route
app.delete("/api/items/:id", deleteItem);

// ok: js-express-route
app.use(express.json());

// ok: js-express-route
const value = map.get("key");

// ok: js-express-route
cache.delete(someKey);
