export const browserAI = new OpenAI({
  // ruleid: js-public-env-secret
  apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY,
});
// ruleid: js-public-env-secret
export const OPENAI_KEY = process.env.EXPO_PUBLIC_OPENAI_API_KEY ?? "";
// ruleid: js-public-env-secret
const admin = createClient(url, import.meta.env.VITE_SUPABASE_SERVICE_ROLE_KEY);
// ok: js-public-env-secret
const url = process.env.NEXT_PUBLIC_SUPABASE_URL;
// ok: js-public-env-secret
const server = process.env.OPENAI_API_KEY;
// ok: js-public-env-secret
const mode = import.meta.env.VITE_APP_MODE;
