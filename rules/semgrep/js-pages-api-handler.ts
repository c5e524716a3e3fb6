import type { NextApiRequest, NextApiResponse } from "next";

// ruleid: js-pages-api-handler
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  res.status(200).json({ ok: true });
}

// ruleid: js-pages-api-handler
export default function other(req, res) {
  res.json({ ok: true });
}

// ruleid: js-pages-api-handler
export default async (req, res) => {
  res.json({ ok: true });
};

// ok: js-pages-api-handler
export default function Page() {
  return null;
}

// ok: js-pages-api-handler
export async function helper(req, res) {
  return 1;
}

// ok: js-pages-api-handler
export default config;

// ruleid: js-pages-api-handler
export default async function edgeHandler(req: Request) {
  return new Response("ok");
}
