async function run(client, prompt) {
  const completion = await client.completions.create({ model: "x", prompt });
  // ruleid: js-log-model-output
  console.log("model output:", completion.choices[0].text);
  // ruleid: js-log-model-output
  log.debug({ answer }, "done");
  // ruleid: js-log-model-output
  winston.info(`reply: ${reply}`);
  // ok: js-log-model-output
  console.log("tokens used", completion.usage.total_tokens.count);
  // ok: js-log-model-output
  console.log("finish", finishReason);
  // ok: js-log-model-output
  console.log("answer length", answer.length);
  // ruleid: js-log-model-output
  console.error("Assistant message parts:", JSON.stringify(assistantMessage.parts, null, 2));
  // ok: js-log-model-output
  console.log("parts", assistantMessage.parts.length);
}
