function signup(user, req) {
  // ruleid: js-log-pii
  console.log("new signup", user.email);
  // ruleid: js-log-pii
  logger.info(`calling ${req.body.phoneNumber}`);
  // ruleid: js-log-pii
  pino.warn({ email }, "bounced");
  // ok: js-log-pii
  console.log("new signup", user.id);
  // ok: js-log-pii
  console.log("has email:", !email);
  // ok: js-log-pii
  logger.info("email sent");
}
// ruleid: js-log-pii
console.log(user);
// ruleid: js-log-pii
logger.info("signed in", req.user);
// ok: js-log-pii
console.log(user.id);
function googleCallback(idToken) {
  const userInfo = JSON.parse(Buffer.from(idToken.split(".")[1], "base64").toString());
  // ruleid: js-log-pii
  console.log("Google User Info:", userInfo);
  // ok: js-log-pii
  console.log("Google sub:", userInfo.sub);
}
async function removeSpace(req, res, emails) {
  const session = await getServerSession(req, res, options);
  // ruleid: js-log-pii
  console.log(req.body.uri, session!.user.email);
  const emailArray = Array.isArray(emails) ? emails : [emails];
  // ruleid: js-log-pii
  console.log("emails", emailArray);
  // ok: js-log-pii
  console.log("count", emailArray.length);
}
function sendInvite(recipient, recipients) {
  // ruleid: js-log-pii
  console.log("Sending email to:", recipient);
  // ok: js-log-pii
  console.log("recipients:", recipients.length);
}
