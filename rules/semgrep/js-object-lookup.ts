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
  // ruleid: js-object-lookup
  const messages = await prisma.message.findMany({ where: { chatId: id }, orderBy: { createdAt: "asc" } });
  // ruleid: js-object-lookup
  await prisma.message.create({ data: { chatId: id, role: "user", content: "hi" } });
  // ruleid: js-object-lookup
  const history = await Message.find({ conversationId: id }).sort({ createdAt: 1 });
  // ruleid: js-object-lookup
  await Message.create({ conversationId: id, role: "user", content: "hi" });
  // ok: js-object-lookup
  const mine = await prisma.chat.findMany({ where: { userId: session.user.id }, take: 20 });
  // ok: js-object-lookup
  await prisma.chat.create({ data: { title: "New chat", userId: session.user.id } });
  // ok: js-object-lookup
  const all = await Message.find({ userId: session.user.id });
  // ruleid: js-object-lookup
  await chatModel.findByIdAndDelete(chatId);
  // ruleid: js-object-lookup
  const prompts = await promptModel.find({ chat: chatId }).sort({ createdAt: 1 });
  // ruleid: js-object-lookup
  await promptModel.deleteMany({ chat: req.params.chatId });
  // ok: js-object-lookup
  const own = await chatModel.find({ user: req.user.id });
  // ok: js-object-lookup
  const named = await promptModel.find({ title: chatTitle });
  // ok: js-object-lookup
  const cached = await cacheStore.find({ chat: chatId });
  return Response.json({ prompts, own, named, cached, messages, history, mine, all, chat, owned, convo, data, row, chats, recent, found, active });
}
