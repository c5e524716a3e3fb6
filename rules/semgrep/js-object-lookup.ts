export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // ruleid: js-object-lookup
  const chat = await prisma.chat.findUnique({ where: { id } });
  // ruleid: js-object-lookup
  const owned = await prisma.chat.findFirst({ where: { id, userId: session.user.id } });
  // ruleid: js-object-lookup
  await prisma.document.delete({ where: { documentId: id } });
  // ruleid: js-object-lookup
  const convo = await Conversation.findById(id);
  // ruleid: js-object-lookup
  const { data } = await supabase.from("chats").select("*").eq("id", id).single();
  // ruleid: js-object-lookup
  const [row] = await db.select().from(chat).where(eq(chat.id, id));
  // ok: js-object-lookup
  const chats = await prisma.chat.findMany({ where: { userId: session.user.id } });
  // ok: js-object-lookup
  const recent = await prisma.chat.findFirst({ where: { title: "x" } });
  // ok: js-object-lookup
  const found = items.find((x) => x.id === id);
  // ok: js-object-lookup
  const active = list.filter((x) => x.active).eq;
  return Response.json({ chat, owned, convo, data, row, chats, recent, found, active });
}
