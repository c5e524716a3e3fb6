export async function POST(req: Request) {
  const { messages, prompt } = await req.json();
  // ruleid: js-log-prompt
  console.log("chat request", messages);
  // ruleid: js-log-prompt
  logger.info({ prompt }, "generating");
  // ruleid: js-log-prompt
  console.debug(`user asked: ${body.question}`);
  // ok: js-log-prompt
  console.log("messages:", messages.length);
  // ok: js-log-prompt
  logger.info({ chatId: chat.id }, "prompt received");
  // ok: js-log-prompt
  console.error("failed:", err.message);
  // ruleid: js-log-prompt
  console.log("chat message", message);
  // ruleid: js-log-prompt
  console.info("asked", req.body.message);
  // ok: js-log-prompt
  console.warn("upstream said", error.message);
  // ok: js-log-prompt
  console.log("message count", message.length);
  // ruleid: js-log-prompt
  this.logger.debug("Transformed Messages:", transformedMessages);
  // ok: js-log-prompt
  this.logger.debug("validation", validationMessages);
  // ruleid: js-log-prompt
  console.log(conversationHistory);
  // ok: js-log-prompt
  console.log("history length", conversationHistory.length);
}
