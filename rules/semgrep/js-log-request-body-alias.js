export const signIn = async (req, res) => {
  const data = req.body;
  let check = await signInSchema.validate(data);
  // ruleid: js-log-request-body-alias
  console.log("Check :", check);
  // ruleid: js-log-request-body-alias
  logger.info({ data }, "sign in");
  // ok: js-log-request-body-alias
  console.log("email", data.email.length);
  const parsed = loginSchema.parse(req.body);
  // ruleid: js-log-request-body-alias
  console.log(parsed);
  const message = req.body.message;
  // ok: js-log-request-body-alias
  console.log(message);
  const count = await Chat.count(data);
  // ok: js-log-request-body-alias
  console.log(count);
  const user = await prisma.user.findFirst({ where: { email: check.email } });
  // ok: js-log-request-body-alias
  console.log("found", user.id);
};

export async function POST(request) {
  const body = await request.json();
  // ruleid: js-log-request-body-alias
  console.log("body", body);
  const { prompt } = body;
  // ok: js-log-request-body-alias
  console.log("prompt length", prompt.length);
  const res = await fetch(url);
  const json = await res.json();
  // ok: js-log-request-body-alias
  console.log(json);
}

router.post('/notes', requireAuth, async (req, res) => {
  let data = req.body;
  data = { title: String(data.title || '').trim(), user: req.user.id };
  // ok: js-log-request-body-alias
  console.log('creating note', data);
  res.json(await Note.create(data));
});

router.post('/login', async (req, res) => {
  const { value, error } = loginSchema.validate(req.body);
  // ruleid: js-log-request-body-alias
  console.log('login attempt', value);
  const payload = { ...req.body };
  // ruleid: js-log-request-body-alias
  console.log(payload);
  const { data } = await other.fetch(req.body.id);
  // ok: js-log-request-body-alias
  console.log(data);
});
