export async function GET(request: Request) {
  const { searchParams, origin } = new URL(request.url);
  const code = searchParams.get("code");
  const next = searchParams.get("next") ?? "/chat";
  if (code) {
    // ruleid: js-log-oauth-code
    console.log("code", code);
    // ok: js-log-oauth-code
    console.log("has code", Boolean(code.length));
    // ok: js-log-oauth-code
    console.log("next", next);
  }
  return Response.redirect(`${origin}${next}`);
}

app.get("/auth/google/callback", async (req, res) => {
  const code = req.query.code as string;
  // ruleid: js-log-oauth-code
  logger.info(`google callback code=${code}`);
  const { tokens } = await oauth2Client.getToken(code);
  res.redirect("/");
});

app.get("/auth/github/callback", async (req, res) => {
  const { code, state } = req.query;
  // ruleid: js-log-oauth-code
  console.log("github code", code, state);
  // ok: js-log-oauth-code
  console.log("state", state);
  res.redirect("/");
});

function countryLabel(country) {
  const code = country.code;
  // ok: js-log-oauth-code
  console.log("country", code);
}
