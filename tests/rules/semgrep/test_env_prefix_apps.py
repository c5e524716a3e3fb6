"""EXP201 in code: a public env prefix counts only in an app whose build tool inlines it (an ``EXPO_PUBLIC_``
name read by a Next.js route handler stays on the server; the same name in an Expo app ships)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import marked, scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

NEXT = '{"dependencies": {"next": "15.0.0", "openai": "4.0.0"}}\n'
EXPO = '{"dependencies": {"expo": "~51.0.0", "react-native": "0.74.1"}}\n'
VITE = '{"devDependencies": {"vite": "^5.2.0"}, "dependencies": {"react": "18.3.1"}}\n'

ROUTE = '''import OpenAI from "openai";

export async function POST(req: Request) {
  const a = new OpenAI({ apiKey: process.env.EXPO_PUBLIC_OPENAI_API_KEY });
  const b = process.env.NEXT_PUBLIC_OPENAI_SECRET_KEY; // expect: EXP201
  const c = import.meta.env.VITE_OPENAI_API_KEY;
  return Response.json({ ok: Boolean(a && b && c) });
}
'''
SCREEN = '''const key = process.env.EXPO_PUBLIC_OPENAI_API_KEY; // expect: EXP201
const other = process.env.NEXT_PUBLIC_OPENAI_SECRET_KEY;
export default function Chat() { return key + other; }
'''
VITE_MAIN = '''const key = import.meta.env.VITE_OPENAI_API_KEY; // expect: EXP201
const other = process.env.EXPO_PUBLIC_OPENAI_API_KEY;
export const client = { key, other };
'''


@needs_semgrep
@pytest.mark.parametrize(("manifest", "files"), [
    (NEXT, {"app/api/chat/route.ts": ROUTE}),
    (EXPO, {"app/chat.tsx": SCREEN}),
    (VITE, {"src/main.ts": VITE_MAIN}),
])
def test_a_prefix_counts_only_where_the_build_tool_inlines_it(tmp_path: Path, manifest: str,
                                                              files: dict[str, str]) -> None:
    assert scan_project(tmp_path, files, ("EXP201",), manifest) == marked(files, ("EXP201",))


@needs_semgrep
def test_without_a_known_build_tool_every_prefix_counts(tmp_path: Path) -> None:
    files = {"src/keys.ts": "export const a = process.env.EXPO_PUBLIC_OPENAI_API_KEY;\n"
                            "export const b = process.env.NEXT_PUBLIC_OPENAI_SECRET_KEY;\n"}
    found = scan_project(tmp_path, files, ("EXP201",), '{"dependencies": {"webpack": "5.0.0"}}\n')
    assert found == {("EXP201", "src/keys.ts", 1), ("EXP201", "src/keys.ts", 2)}


# --- EXP203: a server component handing a server secret to a client component ------------------------------------

LAYOUT = '''import { KeyProvider } from "@/components/key-provider";
import { Shell } from "@/components/shell";
import { Chart } from "./chart";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <KeyProvider serverKey={process.env.OPENAI_API_KEY ?? ""}> {/* expect: EXP203 */}
          <KeyProvider className="x" label={`a ${1}`} token={process.env.GITHUB_TOKEN}>{children}</KeyProvider> {/* expect: EXP203 */}
          <KeyProvider siteUrl={process.env.NEXT_PUBLIC_SITE_URL} />
          <KeyProvider region={process.env.VERCEL_REGION} />
          <Shell apiKey={process.env.OPENAI_API_KEY} />
          <Chart apiKey={process.env.OPENAI_API_KEY} />
        </KeyProvider>
      </body>
    </html>
  );
}
'''
CLIENT_FILES = {
    "components/key-provider.tsx": '"use client";\nexport function KeyProvider(props: any) { return props.children; }\n',
    "components/shell.tsx": "export function Shell(props: any) { return props.children; }\n",
    "app/chart.tsx": "export const Chart = (p: any) => null;\n",
}


@needs_semgrep
def test_a_server_secret_passed_to_a_client_component_is_exposed(tmp_path: Path) -> None:
    files = {"app/layout.tsx": LAYOUT, **CLIENT_FILES}
    found = scan_project(tmp_path, files, ("EXP203",), NEXT)
    assert found == {("EXP203", "app/layout.tsx", 9), ("EXP203", "app/layout.tsx", 10)}


@needs_semgrep
def test_a_client_component_reading_the_prop_of_its_own_file_is_not_a_server_component(tmp_path: Path) -> None:
    files = {"app/page.tsx": '"use client";\n' + LAYOUT.replace("export default function", "export function"),
             **CLIENT_FILES}
    assert scan_project(tmp_path, files, ("EXP203",), NEXT) == set()


# --- EXP203: next.config env / Vite define entries replace a name only where code writes it -------------------------

NEXT_CONFIG = '''/** @type {import('next').NextConfig} */
const nextConfig = {
  env: {
    ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY,
    GOOGLE_CLIENT_SECRET: process.env.GOOGLE_CLIENT_SECRET,
    JWT_SECRET: process.env.JWT_SECRET,
  },
};
module.exports = nextConfig;
'''


@needs_semgrep
def test_a_next_config_env_entry_no_source_uses_ships_nowhere(tmp_path: Path) -> None:
    # set 24 (expence): ANTHROPIC_API_KEY is read by a module client components import; the other two names are
    # used by no source file, so the build replaces nothing with them
    files = {"next.config.js": NEXT_CONFIG,
             "services/quests.ts": "export const key = process.env.ANTHROPIC_API_KEY;\n",
             "app/page.tsx": '"use client";\nimport { key } from "../services/quests";\nexport default () => key;\n'}
    assert scan_project(tmp_path, files, ("EXP203",), NEXT) == {("EXP203", "next.config.js", 4)}


@needs_semgrep
def test_a_nuxt_public_runtime_config_ships_whether_used_or_not(tmp_path: Path) -> None:
    nuxt = ("export default defineNuxtConfig({\n  runtimeConfig: {\n    public: {\n"
            "      stripeSecret: process.env.STRIPE_SECRET_KEY,\n    },\n  },\n});\n")
    package = '{"dependencies": {"nuxt": "3.12.0"}}\n'
    assert scan_project(tmp_path, {"nuxt.config.ts": nuxt}, ("EXP203",), package) == {("EXP203", "nuxt.config.ts", 4)}
