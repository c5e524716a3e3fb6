"""Shapes found on held-out set 9 after it was measured: an owner-scoped load by an id read inline
(``_id: req.params.id``) whose miss is refused scopes the later loads by that id (AUTH307)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

EXPRESS = '{"dependencies": {"express": "4.19.0", "mongoose": "8.0.0", "jsonwebtoken": "9.0.0"}}\n'

_ROUTE = '''const express = require("express");
const Conversation = require("../models/Conversation");
const Message = require("../models/Message");
const auth = require("../middleware/auth");
const router = express.Router();
router.use(auth);

router.get("/:id", async (req, res) => {
  const conversation = await Conversation.findOne({
    _id: req.params.id,
    userId: req.user.userId,
  });
  if (!conversation) {
    return res.status(404).json({ message: "Conversation not found" });
  }
  const messages = await Message.find({
    conversationId: req.params.id,
  }).sort({ createdAt: 1 });
  res.json({ conversation, messages });
});

module.exports = router;
'''
_AUTH = '''const jwt = require("jsonwebtoken");
module.exports = function auth(req, res, next) {
  const token = (req.headers.authorization || "").split(" ")[1];
  if (!token) return res.status(401).json({ message: "no token" });
  req.user = jwt.verify(token, process.env.JWT_SECRET);
  next();
};
'''
UNSCOPED = _ROUTE.replace("Conversation.findOne({\n    _id: req.params.id,\n    userId: req.user.userId,\n  });",
                          "Conversation.findOne({ _id: req.params.id }); // expect: AUTH307")


@needs_semgrep
@pytest.mark.parametrize("route", [
    _ROUTE,
    _ROUTE.replace("req.params.id", "req.params.conversationId").replace('"/:id"', '"/:conversationId"'),
    _ROUTE.replace("Conversation.findOne(", "Conversation.findOneAndDelete(").replace(
        "const messages = await Message.find(", "const messages = await Message.deleteMany("),
    UNSCOPED,
], ids=["scoped-then-children", "named-param", "delete-then-children", "unscoped"])
def test_an_owner_scoped_load_by_an_inline_id_scopes_later_loads(tmp_path: Path, route: str) -> None:
    files = {"src/routes/conversations.js": route, "src/middleware/auth.js": _AUTH,
             "src/app.js": 'const app = require("express")();\napp.use("/api/conversations", '
                           'require("./routes/conversations"));\n'}
    assert scan_project(tmp_path, files, ("AUTH307",), EXPRESS) == marked(files, ("AUTH307",))
