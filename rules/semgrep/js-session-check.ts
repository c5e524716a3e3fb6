import { auth } from "@/app/(auth)/auth";

export async function POST(req: Request) {
  // ruleid: js-session-check
  const session = await auth();
  // ruleid: js-session-check
  const { data } = await supabase.auth.getUser();
  // ruleid: js-session-check
  const user = await requireUser();
  // ruleid: js-session-check
  const s = await getServerSession(authOptions);
  // ok: js-session-check
  const body = await req.json();
  // ok: js-session-check
  const u = await getUsers();
  // ok: js-session-check
  const id = session.user.id;
  return Response.json({ data, user, s, body, u, id });
}
