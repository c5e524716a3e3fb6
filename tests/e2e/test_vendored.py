"""Vendored and generated trees (issue 9 item 1): skipped with one note each, scanned with include_vendored."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner import api
from scanner.config import Config
from scanner.model import ScanResult
from tests.e2e.gitrepo import commit_files, fake_openai_key, git, init_repo, use_secrets_engine

#: Fast engines only (no semgrep): the python engine finds the Flask route, CORS and logging.
ENGINES = ("secrets", "python", "config", "patterns")

FLASK_APP = '''import logging
from flask import Flask, request
from flask_cors import CORS
from openai import OpenAI

app = Flask(__name__)
CORS(app)
client = OpenAI()
log = logging.getLogger(__name__)


@app.route("/chat", methods=["POST"])
def chat():
    prompt = request.json["prompt"]
    log.info("prompt: %s", prompt)
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    return {"reply": reply.choices[0].message.content}
'''
#: AUTH301 (route), CORS501 (wildcard CORS), LOG401 (prompt logged), LR601 (no rate limit), LR602 (unbounded
#: prompt) on these lines of FLASK_APP.
APP_FINDINGS = [("AUTH301", 12), ("CORS501", 7), ("LOG401", 15), ("LR601", 12), ("LR602", 16)]


@pytest.fixture(autouse=True)
def secrets_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    use_secrets_engine(monkeypatch)


def scan(root: Path, **options: object) -> ScanResult:
    return api.scan(root, Config(), api.ScanOptions(engines=ENGINES, jobs=1, **options))  # type: ignore[arg-type]


def third_party(key: str, other: str | None = None) -> dict[str, str]:
    return {
        "venv/pyvenv.cfg": "home = /usr/bin\n",
        "venv/lib/python3.12/site-packages/flask_app/views.py": FLASK_APP,
        "venv/lib/python3.12/site-packages/flask_app/conf.py": f'KEY = "{other or key}"\n',
        "node_modules/pkg/server.py": FLASK_APP,
        "node_modules/pkg/keys.js": f'const key = "{key}";\n',
        "own.py": "x = 1\n",
    }


def key_maker(seed: int) -> Callable[[], str]:
    """Fake OpenAI keys, a new one per call (from ``seed``)."""
    counter = itertools.count()
    return lambda: fake_openai_key(seed * 1000 + next(counter))


def findings(result: ScanResult) -> list[tuple[str, str, int]]:
    return sorted((f.rule_id, f.location.path, f.location.line) for f in result.findings)


def vendored_notes(result: ScanResult) -> list[tuple[str | None, int, str]]:
    return [(n.path, n.count, n.kind) for n in result.notifications if n.kind == "vendored"]


@pytest.mark.parametrize("tracked", [True, False], ids=["git", "no-git"])
def test_virtualenv_and_node_modules_are_one_note_each(tmp_path: Path, tracked: bool) -> None:
    root = tmp_path / "r"
    files = third_party(fake_openai_key(40))
    if tracked:
        commit_files(init_repo(root), files)
    else:
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    result = scan(root)
    assert findings(result) == []
    assert vendored_notes(result) == [("node_modules/", 2, "vendored"), ("venv/", 3, "vendored")]
    assert all(n.expected for n in result.notifications if n.kind == "vendored")
    assert result.stats["files"] == 1


def test_include_vendored_scans_them(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, third_party(fake_openai_key(41), fake_openai_key(141)))
    result = scan(root, include_vendored=True)
    app = [(rule, path, line) for path in ("node_modules/pkg/server.py",
                                           "venv/lib/python3.12/site-packages/flask_app/views.py")
           for rule, line in APP_FINDINGS]
    keys = [("SEC100", "node_modules/pkg/keys.js", 1),
            ("SEC100", "venv/lib/python3.12/site-packages/flask_app/conf.py", 1)]
    assert findings(result) == sorted(app + keys)
    assert vendored_notes(result) == []


def test_markers_attributes_and_copied_libraries(tmp_path: Path) -> None:
    k = key_maker(42)  # a key of its own per file: one key in several files is one finding
    root = init_repo(tmp_path / "r")
    commit_files(root, {
        ".gitattributes": ("gen/** linguist-generated\nthird/*.py linguist-vendored=true\n"
                           "third/own.py -linguist-vendored\n"),
        "gen/client.py": f'K = "{k()}"\n',
        "third/lib.py": f'K = "{k()}"\n',
        "third/own.py": f'K = "{k()}"\n',
        "env2/conda-meta/history": "x\n",
        "env2/lib/x.py": f'K = "{k()}"\n',
        "vendor/modules.txt": "# go\n",
        "vendor/github.com/x/y.go": f'var k = "{k()}"\n',
        "static/js/jquery-3.7.1.min.js": f'var k="{k()}";\n',
        "static/js/lib.min.js": f'/*! SomeLib v1.2.3 | (c) Someone | MIT */var k="{k()}";\n',
        "static/js/app.min.js": f'var k="{k()}";\n',
        ".yarn/releases/yarn-4.cjs": f'var k="{k()}";\n',
        "dist/assets/index.js": f'var k="{k()}";\n',
        "app.pyc": "binary-ish\n",  # its source app.py is scanned instead
        "app.py": "x = 1\n",
    })
    result = scan(root)
    assert sorted(f.location.path for f in result.findings) == [
        "dist/assets/index.js", "static/js/app.min.js", "third/own.py"]
    assert [(p, c) for p, c, _ in vendored_notes(result)] == [
        (None, 1), (".yarn/releases/", 1), ("env2/", 2), ("gen/", 1), ("static/js/", 2), ("third/", 1),
        ("vendor/", 2)]


def test_a_lone_library_file_known_by_its_banner_is_named_in_its_note(tmp_path: Path) -> None:
    key = fake_openai_key(45)
    root = init_repo(tmp_path / "r")
    banner = "/*! myapp v1.0 | MIT License */"
    commit_files(root, {"web/app.min.js": f'{banner}var k="{key}";\n', "two/a.min.js": f'{banner}var k=1;\n',
                        "two/b.min.js": f'{banner}var k=2;\n', "static/vendor/x.js": f'var k="{key}";\n'})
    result = scan(root)
    assert result.findings == ()
    assert [(p, c) for p, c, _ in vendored_notes(result)] == [
        ("static/vendor/", 1), ("two/", 2), ("web/app.min.js", 1)]


def test_an_apps_own_lib_folder_is_scanned_and_only_assets_in_copied_folders_are_skipped(tmp_path: Path) -> None:
    k = key_maker(46)
    root = init_repo(tmp_path / "r")

    def line() -> str:
        return f'export const KEY = "{k()}";\n'

    commit_files(root, {"web/lib/keys.ts": line(), "www/lib/keys.js": line(), "public/lib/own.ts": line(),
                        "public/lib/chart.js": line(), "web/vendor/x.js": line(),
                        "static/libs/y.css": f"/* {k()} */\n"})
    result = scan(root)
    assert sorted(f.location.path for f in result.findings) == ["public/lib/own.ts", "web/lib/keys.ts",
                                                               "www/lib/keys.js"]
    assert [(p, c) for p, c, _ in vendored_notes(result)] == [
        ("public/lib/", 1), ("static/libs/", 1), ("web/vendor/", 1)]


def test_paths_restrict_the_work_tree_scan(tmp_path: Path) -> None:
    k = key_maker(43)
    root = init_repo(tmp_path / "r")
    commit_files(root, {"a/k.py": f'K = "{k()}"\n', "b/k.py": f'K = "{k()}"\n', "c.py": f'K = "{k()}"\n'})
    assert [f.location.path for f in scan(root, paths=("a",)).findings] == ["a/k.py"]
    assert [f.location.path for f in scan(root, paths=("c.py", "b/")).findings] == ["b/k.py", "c.py"]


def test_history_skips_vendored_paths_with_one_note(tmp_path: Path) -> None:
    key = fake_openai_key(44)
    root = init_repo(tmp_path / "r")
    commit_files(root, third_party(key, fake_openai_key(45)))
    commit_files(root, {"node_modules/pkg/keys.js": None, "venv/lib/python3.12/site-packages/flask_app/conf.py": None})
    result = api.scan(root, Config(), api.ScanOptions(history=True, families=("secrets",), jobs=1))
    assert findings(result) == []
    notes = [(n.path, n.count) for n in result.notifications if n.kind == "vendored"]
    assert ("node_modules/", 2) in notes and ("venv/", 3) in notes
    with_them = api.scan(root, Config(), api.ScanOptions(history=True, families=("secrets",), jobs=1,
                                                         include_vendored=True))
    assert sorted(f.location.path for f in with_them.findings) == [
        "node_modules/pkg/keys.js", "venv/lib/python3.12/site-packages/flask_app/conf.py"]


def test_copied_library_rules_leave_the_team_s_own_files_alone() -> None:
    from scanner.sources.vendored import VendoredTrees

    banners = {"lic/app.min.js": b"/*! Chart.js v4.4.0 | (c) Chart.js Contributors | MIT License */",
               "own/main.min.js": b"/*! For license information please see main.min.js.LICENSE.txt */"}
    trees = VendoredTrees([], None, lambda path: banners.get(path, b"const x = 1;"))
    vendored = [p for p in ("static/js/jquery-3.7.1.min.js", "js/bootstrap.bundle.min.js", "src/lib/axios.js",
                            "src/chart.js", "lic/app.min.js", "own/main.min.js", "x/app.min.js")
                if trees.classify(p) is not None]
    assert vendored == ["static/js/jquery-3.7.1.min.js", "js/bootstrap.bundle.min.js", "lic/app.min.js"]


def test_history_virtualenv_found_by_its_marker_after_its_files(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    # "myenv/bin/..." sorts before "myenv/pyvenv.cfg": the marker is met after the key was scanned
    commit_files(root, {"myenv/bin/tool.py": f'K = "{fake_openai_key(46)}"\n', "myenv/pyvenv.cfg": "home = /x\n",
                        "app.py": "x = 1\n"})
    commit_files(root, {"myenv/bin/tool.py": None, "myenv/pyvenv.cfg": None})
    result = api.scan(root, Config(), api.ScanOptions(history=True, families=("secrets",), jobs=1))
    assert findings(result) == []
    assert [(n.path, n.count) for n in result.notifications if n.kind == "vendored"] == [("myenv/", 2)]


def test_history_reads_linguist_attributes_and_go_vendor_markers(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {".gitattributes": "thirdparty/** linguist-vendored\n", "app.py": "x = 1\n",
                        "thirdparty/x.py": f'K = "{fake_openai_key(47)}"\n',
                        "vendor/github.com/acme/sdk/keys.go": f'const K = "{fake_openai_key(48)}"\n',
                        "vendor/modules.txt": "# github.com/acme/sdk v1.0.0\n"})
    result = api.scan(root, Config(), api.ScanOptions(history=True, families=("secrets",), jobs=1))
    assert findings(result) == []
    assert sorted((n.path, n.count) for n in result.notifications if n.kind == "vendored") == [
        ("thirdparty/", 1), ("vendor/", 2)]


@pytest.mark.parametrize("mode", ["staged", "range"])
def test_staged_and_range_scans_skip_vendored_trees(tmp_path: Path, mode: str) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app.py": "x = 1\n"}, "base")
    files = {"node_modules/pkg/index.js": f'module.exports = "{fake_openai_key(49)}";\n',
             "venv/pyvenv.cfg": "home = /usr/bin\n", "venv/lib/conf.py": f'K = "{fake_openai_key(50)}"\n',
             "own.py": f'K = "{fake_openai_key(51)}"\n'}
    if mode == "range":
        commit_files(root, files, "vendored and own")
        options = api.ScanOptions(commit_range="HEAD~1..HEAD", families=("secrets",), jobs=1)
    else:
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        git(root, "add", "-A")
        options = api.ScanOptions(staged=True, families=("secrets",), jobs=1)
    result = api.scan(root, Config(), options)
    assert [f.location.path for f in result.findings] == ["own.py"]
    assert sorted((n.path, n.count) for n in result.notifications if n.kind == "vendored") == [
        ("node_modules/", 1), ("venv/", 2)]


def test_an_untracked_nested_repository_is_scanned_and_named_in_a_note(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app.py": "x = 1\n"}, "base")
    for seed, inner in enumerate((init_repo(root / "nested"), init_repo(root / "tools" / "inner"))):
        (inner / "n.py").write_text(f'K = "{fake_openai_key(52 + seed)}"\n')
    result = scan(root)
    assert findings(result) == [("SEC100", "nested/n.py", 1), ("SEC100", "tools/inner/n.py", 1)]
    assert [(n.kind, n.count, n.examples) for n in result.notifications] == [
        ("nested-repo", 2, ("nested/", "tools/inner/"))]  # one grouped note


def test_a_staged_file_in_a_virtualenv_committed_earlier_is_skipped(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"app.py": "x = 1\n", "env/pyvenv.cfg": "home = /usr/bin\n",
                        "vendor/modules.txt": "# github.com/acme/sdk v1.0.0\n"}, "markers only")
    for rel in ("env/lib/conf.py", "vendor/github.com/acme/sdk/k.go", "own.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f'K = "{fake_openai_key(53)}"\n')
    git(root, "add", "-A")
    result = api.scan(root, Config(), api.ScanOptions(staged=True, families=("secrets",), jobs=1))
    assert [f.location.path for f in result.findings] == ["own.py"]
    assert sorted((n.path, n.count) for n in result.notifications if n.kind == "vendored") == [
        ("env/", 1), ("vendor/", 1)]


@pytest.mark.parametrize("folder", [".history/", ".vscode/.history/", "web/.history/"])
def test_editor_history_copies_are_scanned_for_keys_only(tmp_path: Path, folder: str) -> None:
    key = fake_openai_key(46)
    root = init_repo(tmp_path / "r")
    copies = {f"{folder}app_2024010{i}120000.py": FLASK_APP for i in range(1, 4)}
    commit_files(root, {"app.py": FLASK_APP, f"{folder}conf_20240101120000.py": f'KEY = "{key}"\n', **copies,
                        "history/notes.py": f'KEY = "{fake_openai_key(146)}"\n'})
    result = scan(root)
    live = [(rule, "app.py", line) for rule, line in APP_FINDINGS]
    keys = [("SEC100", f"{folder}conf_20240101120000.py", 1), ("SEC100", "history/notes.py", 1)]
    assert findings(result) == sorted(live + keys)
    notes = [(n.count, n.kind, n.expected) for n in result.notifications if "local-history" in n.message]
    assert notes == [(4, "vendored", True)]


@pytest.mark.parametrize("mode", ["staged", "range"])
def test_staged_and_range_scans_judge_editor_copies_for_keys_only(tmp_path: Path, mode: str) -> None:
    key = fake_openai_key(47)
    root = init_repo(tmp_path / "r")
    commit_files(root, {"own.py": "x = 1\n"}, "base")
    files = {".history/app_20240101120000.py": FLASK_APP, ".history/conf_20240101120000.py": f'KEY = "{key}"\n',
             "app.py": FLASK_APP}
    if mode == "range":
        commit_files(root, files, "copies")
        options = api.ScanOptions(commit_range="HEAD~1..HEAD", engines=ENGINES, jobs=1)
    else:
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        git(root, "add", "-A")
        options = api.ScanOptions(staged=True, engines=ENGINES, jobs=1)
    result = api.scan(root, Config(), options)
    live = [(rule, "app.py", line) for rule, line in APP_FINDINGS]
    assert findings(result) == sorted([*live, ("SEC100", ".history/conf_20240101120000.py", 1)])
    notes = [(n.count, n.kind) for n in result.notifications if "local-history" in n.message]
    assert notes == [(2, "vendored")]


def test_a_project_inside_its_virtualenv_folder_is_the_team_s_code(tmp_path: Path) -> None:
    """``python -m venv myworld`` then the app created inside it: the environment's layout folders are skipped,
    the app beside them is scanned."""
    key = fake_openai_key(48)
    (tmp_path / "myworld" / "lib" / "python3.12" / "site-packages" / "pkg").mkdir(parents=True)
    (tmp_path / "myworld" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "myworld" / "lib" / "python3.12" / "site-packages" / "pkg" / "conf.py").write_text(f'K = "{key}"\n')
    (tmp_path / "myworld" / "Scripts").mkdir()
    (tmp_path / "myworld" / "Scripts" / "activate").write_text(f"export KEY={key}\n")
    (tmp_path / "myworld" / "chatbot").mkdir()
    (tmp_path / "myworld" / "chatbot" / "views.py").write_text(FLASK_APP)
    (tmp_path / "myworld" / "chatbot" / "settings.py").write_text(f'OPENAI_API_KEY = "{fake_openai_key(49)}"\n')
    result = scan(tmp_path)
    assert findings(result) == sorted([(rule, "myworld/chatbot/views.py", line) for rule, line in APP_FINDINGS]
                                      + [("SEC100", "myworld/chatbot/settings.py", 1)])
    assert vendored_notes(result) == [("myworld/", 3, "vendored")]


def test_compiled_output_that_mirrors_src_is_scanned_for_keys_only(tmp_path: Path) -> None:
    from scanner.sources.worktree import compiled_copies

    paths = ["backend/src/routes/chat.ts", "backend/dist/routes/chat.js", "backend/dist/routes/chat.js.map",
             "api/src/index.ts", "api/dist/src/index.js", "web/build/static/js/main.4f2a.js",
             "backend/dist/generated.js", "lib/util.js"]
    assert compiled_copies(paths) == {"backend/dist/routes/chat.js", "backend/dist/routes/chat.js.map",
                                      "api/dist/src/index.js"}
    key = fake_openai_key(50)
    root = tmp_path
    (root / "backend" / "src").mkdir(parents=True)
    (root / "backend" / "dist").mkdir()
    (root / "backend" / "src" / "server.py").write_text(FLASK_APP)  # a code rule's file, for contrast
    (root / "backend" / "src" / "config.ts").write_text("export const port = 3000;\n")
    (root / "backend" / "dist" / "config.js").write_text(f'exports.key = "{key}";\n')
    result = scan(root)
    assert [(r, p) for r, p, _ in findings(result) if r.startswith("SEC")] == [("SEC100", "backend/dist/config.js")]
    assert [(n.count, n.examples) for n in result.notifications if "compiled" in n.message] == [
        (1, ("backend/dist/config.js",))]


def test_a_prisma_client_generated_into_the_project_is_scanned_for_keys_only(tmp_path: Path) -> None:
    import secrets

    password = "P" + secrets.token_hex(8)
    client = ("const config = {\n  inlineDatasources: { db: { url: { fromEnvVar: null, value: "
              f"'postgresql://app:{password}@db.prod-cluster.net:5432/app' }}}} }},\n}};\n"
              "app.use(cors({ origin: '*' }));\n")
    files = {"lib/generated/prisma/edge.js": client, "lib/generated/prisma/runtime/library.js": client,
             "lib/prisma.ts": "export const x = 1;\n"}
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    result = scan(tmp_path)
    # one database URL inlined into two generated files: one finding, naming the other copy
    assert findings(result) == [("SEC191", "lib/generated/prisma/edge.js", 2)]
    assert result.findings[0].message.endswith("(the same secret is also in 1 other place: "
                                               "lib/generated/prisma/runtime/library.js:2)")
    assert [n.message for n in result.notifications if n.kind == "vendored"] == [
        "2 files of a Prisma client generated into the project scanned for keys only (it can inline the "
        "database URL), not for code rules"]


def test_a_python_module_under_a_prisma_output_folder_is_the_teams_code() -> None:
    from scanner.sources.vendored import prisma_client

    assert prisma_client("lib/generated/prisma/runtime/library.js")
    assert prisma_client("lib/generated/prisma/index.d.ts")
    assert not prisma_client("lib/generated/prisma/api/app.py")
    assert not prisma_client("lib/generated/prismatic/index.js")
