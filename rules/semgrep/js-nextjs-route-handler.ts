import OpenAI from "openai";

const client = new OpenAI();

// ruleid: js-nextjs-route-handler
export async function POST(req: Request) {
  const { messages } = await req.json();
  return Response.json(await client.chat.completions.create({ model: "gpt-4o-mini", messages }));
}

// ruleid: js-nextjs-route-handler
export function GET() {
  return Response.json({ ok: true });
}

// ruleid: js-nextjs-route-handler
export const DELETE = async (req: Request) => {
  return new Response(null, { status: 204 });
};

// ok: js-nextjs-route-handler
export async function handlePost(req: Request) {
  return new Response("x");
}

// ok: js-nextjs-route-handler
async function POSTLIKE() {
  return 1;
}

// ok: js-nextjs-route-handler
export const runtime = "edge";

// ruleid: js-nextjs-route-handler
export const PUT = auth(async function PUT(req) {
  if (!req.auth) return Response.json({ message: "Not authenticated" }, { status: 401 });
  return Response.json({ ok: true });
});

// ruleid: js-nextjs-route-handler
export const PATCH = auth((req) => Response.json(req.auth));

// ruleid: js-nextjs-route-handler
export const HEAD = withAuth(headHandler);

// ok: js-nextjs-route-handler
export const revalidate = wrap(async () => 60);
