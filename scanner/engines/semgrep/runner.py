"""Running semgrep once over the JS/TS targets, offline, and turning its JSON into Match records."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from scanner.errors import SemgrepError as SemgrepError
from scanner.model import Notification, ScanFile

#: File suffixes semgrep parses as JavaScript/TypeScript (.vue/.svelte are not parsed by semgrep's JS parser).
JS_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
#: A `.min.` name, a file whose lines average more than this, or one line over MINIFIED_LINE marks a
#: minified bundle: not given to semgrep (source files with a few long SVG paths still are).
MINIFIED_AVERAGE = 400
MINIFIED_LINE = 50_000
TIMEOUT_SECONDS = 900



@dataclass(frozen=True)
class Match:
    """One semgrep result: our rule id (the YAML file stem), its metadata ``code`` and ``role`` (``route``,
    ``session``, ``model``, ``db`` for fact rules, else empty), the path relative to the scan root and the
    1-based span (semgrep's columns are byte-based; the engine converts them) with byte offsets."""

    rule_id: str
    code: str
    role: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


def rules_dir() -> Path:
    """The folder of our semgrep rules: ``scanner/rules_data/semgrep`` in an installed wheel, else the
    repository's ``rules/semgrep`` (editable install or source checkout).

    Raises:
        SemgrepError: neither exists.
    """
    packaged = Path(str(resources.files("scanner"))) / "rules_data" / "semgrep"
    for candidate in (packaged, Path(__file__).resolve().parents[3] / "rules" / "semgrep"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise SemgrepError("the semgrep rules folder is missing from the installation")


def find_semgrep() -> str | None:
    """The semgrep executable next to the running Python (same virtualenv) first, then on PATH."""
    name = "semgrep.exe" if os.name == "nt" else "semgrep"
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("semgrep")


def is_js(path: str) -> bool:
    """True for a file semgrep should parse as JavaScript or TypeScript."""
    return path.lower().endswith(JS_SUFFIXES) and not path.endswith(".d.ts")


def is_minified(file: ScanFile) -> bool:
    """True for a minified bundle: ``.min.`` in the name, a long average line or one huge line."""
    if ".min." in file.path.rsplit("/", 1)[-1]:
        return True
    size = len(file.text)
    lines = file.text.splitlines() or [""]
    # no line can be longer than the whole text: the per-line pass only for texts over MINIFIED_LINE
    return size / len(lines) > MINIFIED_AVERAGE or (size > MINIFIED_LINE and max(map(len, lines)) > MINIFIED_LINE)


def command(exe: str, rules: Path, targets: Sequence[str], jobs: int, native: bool = True) -> list[str]:
    """The semgrep command line: offline, JSON, our rules only, explicit targets (which semgrep scans even
    under ``test/`` folders or a ``.semgrepignore`` of the scanned repository).

    ``native`` runs semgrep's OCaml command line (``--experimental``, with the scan folder as project root so
    the rules' ``paths.include`` globs stay anchored there even inside another git repository): same results
    on our rules, without the Python front end's start-up and rule validation (vercel/ai-chatbot: about 1.2 s
    CPU instead of 5-11 s). ``native=False`` is the classic command line, the fallback."""
    front = ["--experimental", "--project-root", "."] if native else []
    return [exe, "scan", *front, "--metrics=off", "--disable-version-check", "--json", "--quiet", "--no-git-ignore",
            "--max-target-bytes=0", "--timeout=20", "--timeout-threshold=3", f"--jobs={max(1, jobs)}",
            "--config", str(rules), "--", *targets]


def run(
    root: Path, files: Sequence[ScanFile], on_disk: bool, jobs: int,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[Match], list[Notification]]:
    """Run semgrep over ``files`` (paths relative to ``root``); return matches and per-file notes.

    ``on_disk`` says the texts equal the files under ``root`` (a work-tree scan); otherwise the texts are
    written to a temporary folder mirroring their paths and semgrep runs there. ``groups`` (rule group ->
    paths, from :mod:`prefilter`) restricts each rule to its group's files; rules whose group is empty do not
    run; None runs every rule on every file.

    Raises:
        SemgrepError: semgrep is missing, fails, or its output is not JSON.
    """
    exe = find_semgrep()
    if exe is None:
        raise SemgrepError("semgrep is not installed; install launch-ready[semgrep] to scan JS/TS files")
    targets = [f.path for f in files]
    with tempfile.TemporaryDirectory(prefix="launch-ready-") as tmp:
        rules = rules_dir() if groups is None else _restricted_rules(Path(tmp, "rules"), groups)
        cwd = root
        if not on_disk:
            cwd = Path(tmp, "tree")
            for file in files:
                dest = Path(cwd, *file.path.split("/"))
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(file.text, encoding="utf-8")
        try:
            return _invoke(command(exe, rules, targets, jobs), cwd)
        except _NoJson:  # a semgrep whose OCaml command line is missing or broken: the classic one
            return _invoke(command(exe, rules, targets, jobs, native=False), cwd)


def _restricted_rules(folder: Path, groups: Mapping[str, Sequence[str]]) -> Path:
    """Copies of our rule files in ``folder``, each limited to its group's paths (empty groups left out)."""
    from scanner.engines.semgrep.prefilter import rule_group, with_paths

    folder.mkdir(parents=True)
    for source in sorted(rules_dir().glob("*.yaml")):
        text = source.read_text(encoding="utf-8")
        paths = groups.get(rule_group(text), ())
        if paths:
            (folder / source.name).write_text(with_paths(text, paths), encoding="utf-8")
    return folder


class _NoJson(SemgrepError):
    """semgrep printed no JSON document (it failed before scanning)."""


def _invoke(cmd: list[str], cwd: Path) -> tuple[list[Match], list[Notification]]:
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SemgrepError(f"semgrep could not run: {exc}") from None
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]
        raise _NoJson(f"semgrep failed (exit {proc.returncode}): {tail}") from None
    return parse_output(doc)


def parse_output(doc: object) -> tuple[list[Match], list[Notification]]:
    """Matches and notes from semgrep's ``--json`` document (``results`` and ``errors``).

    Raises:
        SemgrepError: a fatal error without a file (a broken rule, an internal error).
    """
    if not isinstance(doc, dict):
        raise SemgrepError("semgrep printed JSON that is not an object")
    matches = [_match(r) for r in doc.get("results", []) if isinstance(r, dict)]
    notes = []
    for err in doc.get("errors", []):
        path = err.get("path")
        if path is None and err.get("level") == "error":
            raise SemgrepError(f"semgrep error: {str(err.get('message', err.get('type', '?')))[:200]}")
        if path is not None:
            kind = err.get("type", "error")
            kind = str(kind[0] if isinstance(kind, list) and kind else kind)
            what = "parsed only in part" if kind == "PartialParsing" else f"could not be analysed ({kind})"
            notes.append(Notification("note", f"JS/TS rules: file {what}", _rel(path), "parse-error"))
    return matches, notes


def _rel(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def _match(result: dict[str, object]) -> Match:
    extra = result.get("extra") if isinstance(result.get("extra"), dict) else {}
    meta = extra.get("metadata", {}) if isinstance(extra, dict) else {}
    start, end = result.get("start", {}), result.get("end", {})
    assert isinstance(start, dict) and isinstance(end, dict) and isinstance(meta, dict)
    return Match(
        rule_id=str(result.get("check_id", "")).rsplit(".", 1)[-1], code=str(meta.get("code", "")),
        role=str(meta.get("role", "")), path=_rel(str(result.get("path", ""))),
        line=int(start.get("line", 1)), column=int(start.get("col", 1)), end_line=int(end.get("line", 1)),
        end_column=int(end.get("col", 1)), start=int(start.get("offset", 0)), end=int(end.get("offset", 0)),
    )
