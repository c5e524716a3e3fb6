"""Server actions have an endpoint only when client code imports their module: Next.js registers every export
of a ``'use server'`` module a client module or component imports (used or not); a module nothing imports is
dead code and its actions are no routes (no AUTH301)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engines.semgrep.runner import find_semgrep
from tests.rules.semgrep.marked_projects import scan_project

needs_semgrep = pytest.mark.skipif(find_semgrep() is None, reason="semgrep is not installed")

ACTIONS = ("'use server';\n\nimport OpenAI from 'openai';\n\nconst client = new OpenAI();\n\n"
           "export async function complete(prompt: string) {\n"
           "  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', "
           "content: prompt.slice(0, 500) }] });\n  return r.choices[0].message.content;\n}\n\n"
           "export async function rename(title: string) {\n  return title.trim();\n}\n")
CLIENT = ("'use client';\n\nimport { rename } from '@/app/server-actions/complete';\n\n"
          "export default function Title() {\n  return <button onClick={() => rename('x')}>Rename</button>;\n}\n")
PACKAGE = '{"dependencies": {"next": "14.2.0", "openai": "4.0.0"}}\n'


@needs_semgrep
def test_every_export_of_an_imported_action_module_is_an_endpoint(tmp_path: Path) -> None:
    files = {"app/server-actions/complete.ts": ACTIONS, "app/components/Title.tsx": CLIENT}
    assert scan_project(tmp_path, files, ("AUTH301",), PACKAGE) == {
        ("AUTH301", "app/server-actions/complete.ts", 7)}


@needs_semgrep
def test_an_action_module_nothing_imports_is_no_route(tmp_path: Path) -> None:
    files = {"app/server-actions/complete.ts": ACTIONS,
             "app/components/Title.tsx": CLIENT.replace("@/app/server-actions/complete", "@/lib/titles")}
    assert scan_project(tmp_path, files, ("AUTH301", "LR601"), PACKAGE) == set()

