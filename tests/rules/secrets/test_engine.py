"""The secrets engine as a whole: origins (source, staged, bundle, ignored-env), fragments, notebooks,
one finding per secret, long lines, classify_value, and scan_fragments in a fresh worker process."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from scanner import api
from scanner.config import Config
from scanner.engines.base import ScanContext
from scanner.engines.secrets import SecretsEngine, classify_value, scan_fragments
from scanner.model import Finding
from scanner.reporters import json as json_reporter
from scanner.model import Fragment, ScanFile
from tests.rules.secrets.keys import ALNUM, KEYS, rand

OPENAI = KEYS["openai-project"][0]
GROQ = KEYS["groq"][0]


def run(*files: ScanFile, fragments: tuple[Fragment, ...] = ()) -> list[Finding]:
    ctx = ScanContext(root=Path("."), files=files, config=Config(), fragments=fragments)
    out = SecretsEngine().scan(ctx)
    return list(out.findings)


def test_engine_protocol() -> None:
    engine = SecretsEngine()
    ids = [r.id for r in engine.rules()]
    assert engine.name == "secrets"
    assert "SEC100" in ids and "SEC192" in ids and "SEC199" in ids and "EXP204" in ids
    assert len(ids) == len(set(ids))
    for rule in engine.rules():
        assert rule.cwe[0] in (798, 200)
        for heading in ("**What it finds**", "**Why it matters**", "**Example**", "**Fix**"):
            assert heading in rule.doc, rule.id
        if rule.family == "secrets" and rule.id not in ("SEC105", "SEC136"):  # public by design: no rotation
            assert rule.fix.startswith("Revoke and rotate"), rule.id
            assert "does not un-leak" in rule.fix


def test_origins() -> None:
    key = OPENAI()
    line = f'const k = "{key}";'
    findings = run(
        ScanFile("src/a.ts", line, "source"),
        ScanFile("src/b.ts", line, "staged"),
        ScanFile(".next/static/chunks/app.js", "x" + line, "bundle"),
        ScanFile(".env.local", f"OPENAI_API_KEY={key}", "ignored-env"),
    )
    got = sorted((f.location.path, f.rule_id, f.family) for f in findings)
    assert got == [
        (".next/static/chunks/app.js", "EXP204", "client-exposure"),
        ("src/a.ts", "SEC100", "secrets"),
        ("src/b.ts", "SEC100", "secrets"),
    ]
    bundle = next(f for f in findings if f.rule_id == "EXP204")
    assert bundle.severity.value == "high" and "OpenAI API key" in bundle.message


def test_fragments_keep_line_numbers_and_commit() -> None:
    key = GROQ()
    frag = Fragment("backend/settings_local.py", ((3, f'GROQ = "{key}"'), (9, "x = 1")), "a" * 40)
    (finding,) = run(fragments=(frag,))
    assert (finding.rule_id, finding.location.line, finding.location.commit) == ("SEC107", 3, "a" * 40)


def test_one_finding_per_secret_even_when_several_detectors_match() -> None:
    key = OPENAI()
    findings = run(ScanFile("app.py", f'OPENAI_API_KEY = "{key}"\nsecret_token = "{key}"'))
    assert [(f.rule_id, f.location.line) for f in findings] == [("SEC100", 1), ("SEC100", 2)]
    password = rand("abcdefghijkLMNOP0123456789", 16)
    findings = run(ScanFile("db.py", f'DB_PASSWORD = "postgresql://app:{password}@db.acme-prod.net/app"'))
    assert [f.rule_id for f in findings] == ["SEC191"]


def test_two_keys_on_one_line() -> None:
    a, b = OPENAI(), GROQ()
    findings = run(ScanFile("k.py", f'KEYS = ["{a}", "{b}"]'))
    assert [f.rule_id for f in findings] == ["SEC100", "SEC107"]
    assert findings[0].location.column < findings[1].location.column


def test_notebook_reports_the_file_line_of_cell_source_and_output() -> None:
    key, token = OPENAI(), KEYS["huggingface"][0]()
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n", "Set your key below.\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": [
            "import openai\n", f'client = openai.OpenAI(api_key="{key}")\n', "print(client)\n"],
         "outputs": [{"name": "stdout", "output_type": "stream", "text": [f"token {token}\n"]}]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1)
    lines = text.split("\n")
    key_line = next(i for i, line in enumerate(lines, 1) if key in line)
    token_line = next(i for i, line in enumerate(lines, 1) if token in line)
    findings = run(ScanFile("notebooks/demo.ipynb", text))
    assert [(f.rule_id, f.location.line) for f in findings] == [("SEC100", key_line), ("SEC106", token_line)]
    loc = findings[0].location
    assert lines[key_line - 1][loc.column - 1:loc.end_column - 1] == key


def test_notebook_that_is_not_json_is_noted_and_still_scanned() -> None:
    key = GROQ()
    ctx = ScanContext(root=Path("."), files=(ScanFile("nb.ipynb", f'{{"cells": [ "{key}"'),), config=Config())
    out = SecretsEngine().scan(ctx)
    assert [f.rule_id for f in out.findings] == ["SEC107"]
    assert [(n.path, n.kind) for n in out.notifications] == [("nb.ipynb", "parse-error")]


def test_keys_in_dockerfile_compose_and_workflow() -> None:
    a, b, c = OPENAI(), GROQ(), KEYS["anthropic"][0]()
    findings = run(
        ScanFile("Dockerfile", f"FROM python:3.12\nENV OPENAI_API_KEY={a}\n"),
        ScanFile("docker-compose.yml", f"services:\n  api:\n    environment:\n      - GROQ_API_KEY={b}\n"),
        ScanFile(".github/workflows/ci.yml", f"jobs:\n  t:\n    env:\n      ANTHROPIC_API_KEY: {c}\n"),
    )
    assert sorted((f.location.path, f.location.line, f.rule_id) for f in findings) == [
        (".github/workflows/ci.yml", 4, "SEC102"),
        ("Dockerfile", 2, "SEC100"),
        ("docker-compose.yml", 4, "SEC107"),
    ]


def test_long_minified_line_is_scanned_in_windows() -> None:
    a, b = OPENAI(), GROQ()
    filler = "var a=function(n){return n+1};" * 70_000  # ~2 MB
    line = filler + f'headers:{{Authorization:"Bearer {a}"}}' + filler[:16_000 - 7] + f'"{b}"' + filler
    findings = run(ScanFile("dist/assets/index.js", line, "bundle"))
    assert [f.rule_id for f in findings] == ["EXP204", "EXP204"]
    cols = [f.location.column for f in findings]
    assert [line[c - 1:c - 1 + len(k)] for c, k in zip(cols, (a, b), strict=True)] == [a, b]
    assert all(len(f.snippet) <= 200 for f in findings)


def test_classify_value() -> None:
    assert classify_value(OPENAI()).id == "SEC100"  # type: ignore[union-attr]
    assert classify_value(f'"{GROQ()}"').id == "SEC107"  # type: ignore[union-attr]
    assert classify_value("sk_test_" + rand("abcdefghijklmnopqrstuvwxyzABCDEF0123456789", 24)).id == "SEC199"  # type: ignore[union-attr]
    for value in ("sk-proj-...your-key-here", "pk_live_" + "a1B2c3D4e5F6g7H8i9J0k1L2", "https://example.com",
                  "", "hello world", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "OPENAI_API_KEY"):
        assert classify_value(value) is None, value


def test_classify_value_with_the_variable_name() -> None:
    google = KEYS["google"][0]()
    clerk = "sk_live_" + rand("abcdefghijklmnopqrstuvwxyzABCDEF0123456789", 42)
    assert classify_value(google, "NEXT_PUBLIC_FIREBASE_API_KEY").id == "SEC105"  # type: ignore[union-attr]
    assert classify_value(google, "NEXT_PUBLIC_GEMINI_API_KEY").id == "SEC104"  # type: ignore[union-attr]
    assert classify_value(clerk, "NEXT_PUBLIC_CLERK_SECRET_KEY").id == "SEC120"  # type: ignore[union-attr]
    assert classify_value(clerk, "NEXT_PUBLIC_STRIPE_SECRET_KEY").id == "SEC114"  # type: ignore[union-attr]
    assert classify_value("pk_live_" + rand("abcdefABCDEF0123456789", 24), "NEXT_PUBLIC_STRIPE_KEY") is None


def test_scan_fragments_in_a_fresh_spawned_process() -> None:
    key = OPENAI()
    frag = Fragment("a.py", ((1, f'k = "{key}"'), (2, 'password = "Zq8' + rand("abcdefXYZ123", 14) + '"')))
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        findings, notes = pool.apply(scan_fragments, ([frag], Config()))
    assert [(f.rule_id, f.location.line) for f in findings] == [("SEC100", 1), ("SEC190", 2)]
    assert notes == []


def test_work_tree_scan_of_a_folder(tmp_path: Path) -> None:
    key = OPENAI()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(f'import os\nOPENAI_API_KEY = "{key}"\n')
    (tmp_path / ".gitignore").write_text(".env.local\n")
    (tmp_path / ".env.local").write_text(f"OPENAI_API_KEY={key}\n")
    result = api.scan(tmp_path, Config(), api.ScanOptions(engines=("secrets",)))
    report = json_reporter.render(result)
    got = [(f.rule_id, f.location.path, f.location.line, f.location.column) for f in result.findings]
    assert got == [("SEC100", "app/main.py", 2, 19)]
    assert key not in report and "SEC100" in report


def test_notebook_value_escaped_in_json_is_still_redacted() -> None:
    password = "Zq8/" + rand("abcdefghijkLMNOP0123456789", 16)
    line = json.dumps(f'db_password = "{password}"\n').replace("/", "\\/")
    text = '{\n "cells": [\n  {\n   "source": [\n    ' + line + '\n   ]\n  }\n ]\n}'
    findings = run(ScanFile("nb.ipynb", text))
    assert [(f.rule_id, f.location.line) for f in findings] == [("SEC190", 5)]
    assert password not in findings[0].snippet and password[4:] not in findings[0].snippet


def test_our_detectors_are_detect_secrets_plugins() -> None:
    from detect_secrets.plugins.base import RegexBasedDetector

    from scanner.engines.secrets.adapter import as_plugin
    from scanner.keys.detectors import ALL

    key = OPENAI()
    for detector in ALL:
        plugin_class = as_plugin(detector)
        assert issubclass(plugin_class, RegexBasedDetector)
        assert plugin_class.secret_type == detector.secret_type  # type: ignore[comparison-overlap]
    plugin = as_plugin(next(d for d in ALL if d.rule_id == "SEC100"))()
    assert list(plugin.analyze_string(f'k = "{key}"')) == [key]


def test_an_unexpected_failure_is_an_error_notification(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.engines.secrets import engine

    def boom(*_: object) -> list[Finding]:
        raise RuntimeError("secret-looking detail that must not be shown")

    monkeypatch.setattr(engine, "_scan_source", boom)
    # a line the keyword prefilter marks (a line with nothing to match is never handed to _scan_source)
    findings, notes = scan_fragments([Fragment("a.py", ((1, "token = x"),), "c" * 40)], Config())
    assert findings == []
    assert [(n.level, n.path, n.kind) for n in notes] == [("error", "a.py", "engine-error")]
    assert "detail" not in notes[0].message and "RuntimeError" in notes[0].message


def test_minified_line_keeps_vendor_keys_but_not_generic_keyword_matches() -> None:
    filler = ",".join(f"a{i}:{{type:\"string\"}}" for i in range(400))  # a line far over the generic rules' 5,000-character limit
    secret = rand(ALNUM, 16)
    line = f'{filler},login:{{password:"{secret}"}},k:"{OPENAI()}"'
    found = [(f.rule_id, f.location.line) for f in run(ScanFile("static/index.html", line + "\n"))]
    assert found == [("SEC100", 1)]
    short = f'const password = "{secret}";\n'
    assert [(f.rule_id, f.location.line) for f in run(ScanFile("app/db.js", short))] == [("SEC190", 1)]
