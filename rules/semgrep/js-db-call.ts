export async function GET(req: Request) {
  // ruleid: js-db-call
  const chats = await prisma.chat.findMany({ where: { userId } });
  // ruleid: js-db-call
  const rows = await db.select().from(chat);
  // ruleid: js-db-call
  const { data } = await supabase.from("messages").select("*");
  // ruleid: js-db-call
  const doc = await Chat.findById(id);
  // ruleid: js-db-call
  await prisma.chat.delete({ where: { id } });
  // ruleid: js-db-call
  const created = await prisma.message.create({ data: { chatId: id, content: "hi" } });
  // ok: js-db-call
  const reply = await client.messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 100, messages: [] });
  // ok: js-db-call
  const list = items.map((x) => x.id);
  // ok: js-db-call
  const json = await req.json();
  // ok: js-db-call
  const found = items.find((x) => x.id === id);
  return Response.json({ created, reply, chats, rows, data, doc, list, json, found });
}
