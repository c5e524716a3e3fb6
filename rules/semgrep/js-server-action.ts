"use server";

import { auth } from "@/auth";

// ruleid: js-server-action
export async function rewrite(draft: string) {
  return draft.toUpperCase();
}

// ruleid: js-server-action
export async function save(draft: string) {
  const session = await auth();
  return session;
}

// ruleid: js-server-action
export const remove = async (id: string) => {
  return id;
};

// ok: js-server-action
async function internal() {
  return 1;
}

// ok: js-server-action
export const limit = 10;

// ok: js-server-action
function notExported() {
  return 2;
}
