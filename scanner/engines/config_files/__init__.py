"""The config-file engine: `.env*` client exposure (EXP201); CORS in vercel.json, netlify.toml, _headers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.config_files.bundlers import inlined_here, manifest_reader
from scanner.engines.config_files.envfiles import env_exposures
from scanner.engines.config_files.headers import (
    ConfigParseError,
    HeaderRule,
    headers_file,
    netlify_toml,
    vercel_json,
)
from scanner.model import Finding, Location, Notification, Rule, ScanFile
from scanner.redact import redact, snippet_of
from scanner.rulebook import rule
from scanner.sources.worktree import is_env_file

#: Hosting config files by file name, and the parser that finds any-origin CORS headers in each.
HEADER_FILES: dict[str, Callable[[str], Iterator[HeaderRule]]] = {
    "vercel.json": vercel_json,
    "netlify.toml": netlify_toml,
    "_headers": headers_file,
}
LOCAL_NOTE = "local file, not committed"


class ConfigEngine:
    """Reads `.env*` files (tracked ones and ignored ones, the latter for client exposure only) and hosting
    config files. Rules come from ``scanner.rulebook`` (shared with the code engines)."""

    name = "config"

    def rules(self) -> tuple[Rule, ...]:
        """EXP201, CORS501 and CORS504."""
        return (rule("EXP201"), rule("CORS501"), rule("CORS504"))

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Findings for every `.env*` and hosting config file in ``ctx.files``; parse errors become notes."""
        findings: list[Finding] = []
        notes: list[Notification] = []
        read = manifest_reader(ctx.root, ctx.files)
        for file in ctx.files:
            name = file.path.rsplit("/", 1)[-1]
            if is_env_file(file.path) and file.origin in ("source", "ignored-env", "staged"):
                findings += _env_findings(file, read)
            elif name in HEADER_FILES and file.origin in ("source", "staged"):
                try:
                    findings += _header_findings(file, HEADER_FILES[name])
                except ConfigParseError as exc:
                    message = f"cannot parse {name}: {exc}"
                    notes.append(Notification("note", message, file.path, "parse-error"))
        return EngineOutput(tuple(findings), tuple(notes))


def _env_findings(file: ScanFile, read: Callable[[str], str | None]) -> list[Finding]:
    lines = file.text.splitlines()
    out = []
    for hit in env_exposures(file.text):
        if not inlined_here(hit.name, file.path, read):
            continue
        where = f" ({LOCAL_NOTE})" if file.origin == "ignored-env" else ""
        message = (f"{hit.name} is inlined into the browser bundle by its public prefix and holds a secret "
                   f"({hit.reason}){where}")
        text = lines[hit.line - 1] if 0 < hit.line <= len(lines) else f"{hit.name}="
        snippet = snippet_of(text, [hit.value] if len(hit.value) >= 4 else [])
        out.append(Finding(rule("EXP201"), Location(file.path, hit.line), message, snippet,
                           context=hit.name, match_key=f"{hit.name}={redact(hit.value)}"))
    return out


def _header_findings(file: ScanFile, parse: Callable[[str], Iterator[HeaderRule]]) -> list[Finding]:
    lines = file.text.splitlines()
    out = []
    for hit in parse(file.text):
        code = "CORS504" if hit.credentials else "CORS501"
        message = ("Access-Control-Allow-Origin '*' together with Access-Control-Allow-Credentials true"
                   if hit.credentials else "Access-Control-Allow-Origin '*' lets any site read the responses")
        text = lines[hit.line - 1] if 0 < hit.line <= len(lines) else ""
        out.append(Finding(rule(code), Location(file.path, hit.line), message, snippet_of(text),
                           context=file.path, match_key="access-control-allow-origin=*"))
    return out
