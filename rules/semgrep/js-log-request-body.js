module.exports = async (req, res) => {
  // ruleid: js-log-request-body
  console.log("incoming body:", req.body);
  // ruleid: js-log-request-body
  log.info({ body: req.body }, "login attempt");
  // ruleid: js-log-request-body
  console.log(await request.json());
  // ok: js-log-request-body
  console.log("chat id", req.body.chatId);
  // ok: js-log-request-body
  console.log("size", req.body.length);
  // ok: js-log-request-body
  console.log("status", res.statusCode);
};
