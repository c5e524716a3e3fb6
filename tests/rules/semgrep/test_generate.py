"""The lists generated into ``rules/semgrep/*.yaml`` from ``scanner.knowledge.js`` are current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.engines.semgrep.generate import GENERATORS, markers, render
from scanner.knowledge import js

RULES_DIR = Path(__file__).resolve().parents[3] / "rules" / "semgrep"
YAMLS = sorted(RULES_DIR.glob("*.yaml"))


@pytest.mark.parametrize("rule_file", YAMLS, ids=lambda p: p.stem)
def test_generated_lists_are_current(rule_file: Path) -> None:
    text = rule_file.read_text(encoding="utf-8")
    assert render(text) == text, f"{rule_file.name} is stale: run python -m scanner.engines.semgrep.generate"


def test_every_generator_is_used_where_its_list_belongs() -> None:
    used = {p.stem: markers(p.read_text(encoding="utf-8")) for p in YAMLS}
    assert used["js-model-call"] == ["model-hosts"] * 7
    assert used["js-browser-model-fetch"] == ["model-urls"]
    for stem in ("js-log-credential", "js-log-model-output", "js-log-pii", "js-log-prompt", "js-log-request-body"):
        assert used[stem] == ["log-objects", "log-levels"]
    assert {m for ms in used.values() for m in ms} == set(GENERATORS)


def test_a_stale_file_is_rewritten() -> None:
    stale = "      - metavariable-regex:\n          # generated: model-hosts\n          regex: .*(api\\.openai\\.com)\n"
    fresh = render(stale)
    assert fresh != stale
    assert fresh.splitlines()[1] == "          # generated: model-hosts"
    assert render(fresh) == fresh


@pytest.mark.parametrize("host", js.MODEL_HOSTS_JS)
def test_model_host_regex_matches_each_host(host: str) -> None:
    pattern = re.compile(GENERATORS["model-hosts"]())
    assert pattern.match(f'"https://{host}/v1/chat"')
    assert not pattern.match('"https://example.com/v1/chat"')


def test_unknown_marker_is_an_error() -> None:
    with pytest.raises(KeyError):
        render("  # generated: nope\n  regex: x\n")


def test_string_regex_in_a_pattern_line_is_generated() -> None:
    stale = '      # generated: model-hosts\n      - pattern: fetch("=~/old/", ...)\n'
    fresh = render(stale)
    assert fresh.splitlines()[1].startswith('      - pattern: fetch("=~/.*(api\\.openai\\.com|')
    assert fresh.splitlines()[1].endswith(').*/", ...)')
    with pytest.raises(ValueError):
        render("  # generated: model-hosts\n  - pattern: fetch($URL)\n")
