"""EXP202 needs the fetched URL to be a model API's: by its host, or by a constant the module sets to one. A
constant named ``API_URL`` that holds the app's own backend, called with the member's session token, is not a
model call (set 16 QanoonAI: two findings on calls to the app's own ``/tts`` and ``/threads`` routes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.semgrep.marked_projects import scan_project

PACKAGE = '{"dependencies": {"react": "18.2.0", "vite": "5.0.0"}}\n'
COMPONENT = """const API_URL = {value};

export async function speak(text) {{
  const response = await fetch(`${{API_URL}}/tts`, {{
    method: "POST",
    headers: {{ Authorization: `Bearer ${{import.meta.env.VITE_KEY}}` }},
    body: text,
  }});
  return response.blob();
}}
"""


@pytest.mark.parametrize(("value", "expected"), [
    ('"https://api.openai.com/v1/audio/speech"', {("EXP202", "src/components/Chat.jsx", 4)}),
    ("import.meta.env.VITE_API_URL", set()),
    ('"http://localhost:8000"', set()),
])
def test_a_url_constant_counts_when_it_holds_a_model_host(tmp_path: Path, value: str,
                                                          expected: set[tuple[str, str, int]]) -> None:
    files = {"src/components/Chat.jsx": COMPONENT.format(value=value)}
    assert scan_project(tmp_path, files, ("EXP202",), PACKAGE) == expected
