"""Keys in committed compiled Python (a ``__pycache__/env.cpython-311.pyc`` of a gitignored ``env.py``): found in the
work tree, the index and history through the .pyc's string constants; a .pyc whose source is scanned, a library's
.pyc and a damaged one are not findings. Every .pyc is compiled at test time from a fake module whose fake keys
are built at test time."""

from __future__ import annotations

import json
import py_compile
import random
import re
import string
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli, scan_json
from tests.e2e.gitrepo import commit_files, git, init_repo, use_secrets_engine
from tests.rules.secrets.keys import ALNUM, KEYS, rand

PYC = "__pycache__/env.cpython-311.pyc"


@pytest.fixture(autouse=True)
def secrets_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    use_secrets_engine(monkeypatch)


def env_module() -> str:
    """An ``env.py`` as a Django project keeps it: a database URL, Django's key, an SMTP app password, an API key."""
    database = f"postgresql://app:{rand(ALNUM, 16)}@db.internal:5432/app"
    openai = KEYS["openai-project"][0]()
    return (f'import os\nos.environ.setdefault("DATABASE_URL", "{database}")\n'
            f'SECRET_KEY = "{rand(ALNUM + "!#%^&*", 50)}"\nEMAIL_HOST_PASSWORD = "{rand(string.ascii_lowercase, 16)}"\n'
            f'OPENAI_API_KEY = "{openai}"\n')


#: The findings of :func:`env_module` compiled: the rendered lines are "DATABASE_URL", then one line per value.
ENV_FINDINGS = [("SEC191", 2), ("SEC190", 3), ("SEC190", 4), ("SEC100", 5)]


def write_pyc(root: Path, rel: str, source: str, work: Path) -> None:
    """Compile ``source`` (written under ``work``, outside the repository) to ``root/rel``."""
    work.mkdir(parents=True, exist_ok=True)
    src = work / "env.py"
    src.write_text(source)
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    py_compile.compile(str(src), cfile=str(root / rel), dfile="env.py", doraise=True)


def found(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted((f["rule_id"], f["path"], f["line"]) for f in report["findings"] if f["family"] == "secrets")


def note_messages(report: dict[str, Any]) -> list[str]:
    return [n["message"] for n in report["notifications"]]


def project(tmp_path: Path, source: str, rel: str = PYC, extra: dict[str, str] | None = None) -> Path:
    """A repository that committed the .pyc of ``source`` at ``rel`` and gitignores ``env.py``."""
    root = init_repo(tmp_path / "r")
    write_pyc(root, rel, source, tmp_path / "src")
    commit_files(root, {".gitignore": "env.py\n", "manage.py": "import os\n", **(extra or {})})
    return root


def test_keys_in_a_committed_pyc_of_an_ignored_module_are_found(tmp_path: Path) -> None:
    root = project(tmp_path, env_module())
    report = scan_json(root, "--secrets-only")
    assert found(report) == sorted((rule, PYC, line) for rule, line in ENV_FINDINGS)
    messages = {f["message"] for f in report["findings"]}
    assert all("in a string constant of compiled Python (a .pyc committed to the repository)" in m for m in messages)
    assert ("1 compiled Python file (.pyc) whose source is not in the scan: string constants scanned for keys only"
            in note_messages(report))
    assert all(len(f["snippet"]) < 200 and "…" in f["snippet"] for f in report["findings"])


def test_a_key_in_a_module_and_its_pyc_is_one_finding_at_the_source(tmp_path: Path) -> None:
    source = env_module()
    root = project(tmp_path, source, extra={".gitignore": "", "env.py": source})
    report = scan_json(root, "--secrets-only")
    assert found(report) == [("SEC100", "env.py", 5), ("SEC190", "env.py", 3), ("SEC190", "env.py", 4),
                             ("SEC191", "env.py", 2)]
    assert ("1 compiled Python file (.pyc) beside its source: string constants scanned for keys only (a key also "
            "in the source is reported there)") in note_messages(report)


def test_a_key_only_a_stale_pyc_still_holds_is_found(tmp_path: Path) -> None:
    # the module now reads the environment; its committed .pyc was compiled when it held the key
    rewritten = "import os\nOPENAI_API_KEY = os.environ['OPENAI_API_KEY']\n"
    root = project(tmp_path, env_module(), extra={".gitignore": "", "env.py": rewritten})
    report = scan_json(root, "--secrets-only")
    assert found(report) == sorted((rule, PYC, line) for rule, line in ENV_FINDINGS)


def test_the_hook_blocks_a_stale_pyc_staged_beside_its_clean_source(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"env.py": "import os\nOPENAI_API_KEY = os.environ['OPENAI_API_KEY']\n"})
    write_pyc(root, PYC, env_module(), tmp_path / "src")
    git(root, "add", PYC)
    staged = scan_json(root, "--staged", "--secrets-only")
    assert found(staged) == sorted((rule, PYC, line) for rule, line in ENV_FINDINGS)


def test_a_legacy_pyc_beside_its_source_is_skipped_too(tmp_path: Path) -> None:
    source = env_module()
    root = project(tmp_path, source, rel="env.pyc", extra={".gitignore": "", "env.py": source})
    assert [path for _, path, _ in found(scan_json(root, "--secrets-only"))] == ["env.py"] * 4


def test_a_pyc_in_a_virtualenv_stays_vendored(tmp_path: Path) -> None:
    rel = ".venv/lib/python3.11/site-packages/pkg/__pycache__/env.cpython-311.pyc"
    report = scan_json(project(tmp_path, env_module(), rel=rel), "--secrets-only")
    assert found(report) == []
    assert ("1 file not scanned: virtualenv (third-party or generated; --include-vendored scans them)"
            in note_messages(report))


def test_placeholders_in_a_pyc_are_not_findings(tmp_path: Path) -> None:
    source = ('import os\nos.environ.setdefault("DATABASE_URL", "postgresql://user:password@localhost:5432/db")\n'
              'SECRET_KEY = "your-secret-key-here"\nEMAIL_HOST_PASSWORD = "changeme"\n'
              'OPENAI_API_KEY = "sk-your-openai-key-here"\nAPI_KEY = os.getenv("API_KEY", "")\n')
    assert found(scan_json(project(tmp_path, source), "--secrets-only")) == []


def test_code_rules_never_run_on_a_pyc(tmp_path: Path) -> None:
    source = ('from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n'
              'SECRET_KEY = "' + rand(ALNUM, 40) + '"\n')
    report = scan_json(project(tmp_path, source), "--no-config")
    assert [(f["rule_id"], f["path"]) for f in report["findings"] if f["path"] == PYC] == [("SEC190", PYC)]


def test_a_damaged_pyc_is_a_note_and_no_crash(tmp_path: Path) -> None:
    good = tmp_path / "good"
    write_pyc(good, "x.pyc", env_module(), tmp_path / "src")
    data = (good / "x.pyc").read_bytes()
    openai_at = data.index(b"sk-proj-")
    root = init_repo(tmp_path / "r")
    (root / "pkg").mkdir()
    (root / "pkg/garbage.pyc").write_bytes(b"\x00\x01 not compiled python \xff" * 10)
    (root / "pkg/cut.pyc").write_bytes(data[: openai_at + 30])  # cut inside the OpenAI key
    (root / "x.pyc").write_bytes(random.Random(5).randbytes(64 * 1024))  # hostile input: no crash, no hang
    commit_files(root, {"manage.py": "import os\n"})
    report = scan_json(root, "--secrets-only")
    # cut before its names table: the URL's adjacent name still pairs, the assignments below it cannot
    assert found(report) == [("SEC191", "pkg/cut.pyc", 1)]
    notes = {path: re.sub(r"^\d+ files: ", "", n["message"]) for n in report["notifications"]
             if n["kind"] == "parse-error" for path in n.get("examples") or [n["path"]]}
    assert notes["pkg/cut.pyc"] == ("compiled Python (.pyc) is cut short inside a string constant (truncated file); "
                                    "the string constants found were scanned for keys")
    assert notes["pkg/garbage.pyc"] == ("compiled Python (.pyc) has no compiled-Python header (damaged, or not a "
                                        ".pyc); nothing to scan")
    assert notes["x.pyc"].startswith("compiled Python (.pyc) has no compiled-Python header (damaged, or not a .pyc)")


def test_history_finds_a_deleted_pyc_key_once_beside_its_source(tmp_path: Path) -> None:
    source = env_module()
    root = init_repo(tmp_path / "r")
    commit_files(root, {"manage.py": "import os\n"}, "base")
    write_pyc(root, PYC, source, tmp_path / "src")
    both = commit_files(root, {"env.py": source}, "add env.py and its pyc")
    git(root, "rm", "-q", "--cached", "env.py")
    commit_files(root, {".gitignore": "env.py\n"}, "stop tracking env.py: only the pyc is left")
    (root / PYC).unlink()
    commit_files(root, {"manage.py": "import os\nimport sys\n"}, "delete the pyc")
    report = scan_json(root, "--secrets-only", "--history", "--jobs", "1")
    assert sorted((f["rule_id"], f["path"], f["line"], f["commit"]) for f in report["findings"]) == [
        ("SEC100", "env.py", 5, both), ("SEC190", "env.py", 3, both), ("SEC190", "env.py", 4, both),
        ("SEC191", "env.py", 2, both)]
    assert not any("binary file change" in m for m in note_messages(report))


def test_history_finds_a_key_that_only_a_pyc_ever_held(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"manage.py": "import os\n"}, "base")
    write_pyc(root, PYC, env_module(), tmp_path / "src")
    added = commit_files(root, {".gitignore": "env.py\n"}, "commit the pyc by mistake")
    (root / PYC).unlink()
    commit_files(root, {"manage.py": "import os\nimport sys\n"}, "delete it")
    report = scan_json(root, "--secrets-only", "--history", "--jobs", "1")
    assert sorted((f["rule_id"], f["path"], f["line"], f["commit"]) for f in report["findings"]) == sorted(
        (rule, PYC, line, added) for rule, line in ENV_FINDINGS)
    assert all("compiled Python (a .pyc committed in history)" in f["message"] for f in report["findings"])


def test_a_staged_pyc_with_a_key_blocks_the_commit(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {".gitignore": "env.py\n", "manage.py": "import os\n"}, "base")
    write_pyc(root, PYC, env_module(), tmp_path / "src")
    git(root, "add", PYC)
    code, out = run_cli("scan", str(root), "--staged", "--secrets-only", "--format", "json", "--jobs", "1")
    assert code == 1
    assert found(json.loads(out)) == sorted((rule, PYC, line) for rule, line in ENV_FINDINGS)


def test_a_staged_pyc_beside_its_staged_source_is_judged_by_the_source(tmp_path: Path) -> None:
    source = env_module()
    root = init_repo(tmp_path / "r")
    commit_files(root, {"manage.py": "import os\n"}, "base")
    write_pyc(root, PYC, source, tmp_path / "src")
    (root / "env.py").write_text(source)
    git(root, "add", PYC, "env.py")
    code, out = run_cli("scan", str(root), "--staged", "--secrets-only", "--format", "json", "--jobs", "1")
    assert code == 1
    assert [path for _, path, _ in found(json.loads(out))] == ["env.py"] * 4


def test_a_constant_cannot_suppress_its_own_key(tmp_path: Path) -> None:
    key = KEYS["openai-project"][0]()
    source = (f'OPENAI_API_KEY = "{key}\\" # pragma: allowlist secret \'"\n'
              f'OTHER = "{KEYS["openai-project"][0]()} # launch-ready: ignore[SEC100]"\n')
    report = scan_json(project(tmp_path, source), "--secrets-only")
    assert found(report) == [("SEC100", PYC, 1), ("SEC100", PYC, 2)]
    assert report["suppressed"]["total"] == 0


def test_a_multi_line_constant_is_judged_line_by_line(tmp_path: Path) -> None:
    password = rand(ALNUM, 20)
    source = f'ENV = """\nDB_PASSWORD={password}\nDEBUG=1\n"""\n'
    report = scan_json(project(tmp_path, source), "--secrets-only")
    assert found(report) == [("SEC190", PYC, 2)]


def test_a_literal_the_source_reports_as_a_signing_key_is_one_finding_with_its_pyc(tmp_path: Path) -> None:
    """``SECRET_KEY = os.environ.get("SECRET_KEY") or "…"`` is AUTH306 in ``config.py``; its committed .pyc holds the
    same literal as a bare constant, which the secrets engine reads as SEC190: one finding, the source's (set 17
    Chatmate)."""
    literal = rand(ALNUM, 24)
    source = f'import os\nSECRET_KEY = os.environ.get("SECRET_KEY") or "{literal}"\n'
    root = init_repo(tmp_path / "r")
    write_pyc(root, "__pycache__/config.cpython-311.pyc", f'SECRET_KEY = "{literal}"\n', tmp_path / "src")
    commit_files(root, {"config.py": source, "app.py": "from flask import Flask\nimport config\n"
                        "app = Flask(__name__)\napp.config['SECRET_KEY'] = config.SECRET_KEY\n"})
    report = scan_json(root)
    assert sorted((f["rule_id"], f["path"]) for f in report["findings"] if f["rule_id"] in ("AUTH306", "SEC190")) == [
        ("AUTH306", "config.py")]
