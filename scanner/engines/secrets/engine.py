"""The secrets engine: files and fragments in, one finding per detected secret out (SEC rules and EXP204)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scanner import redact
from scanner.config import Config
from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.secrets import catalogue_hits, notebook
from scanner.engines.secrets.matcher import mark_many, scan_texts
from scanner.engines.secrets.rules import EXP204, RULES, all_rules, name_of, rule_by_code
from scanner.keys import catalogue
from scanner.keys.detectors import Hit
from scanner.model import Finding, Fragment, Location, Notification, Rule, ScanFile
from scanner.sources.compiled import is_compiled, source_of

#: Origins scanned for SEC rules (``copy``: an editor's local-history copy, compiled output, compiled Python
#: without its source); ``bundle`` gives EXP204;
#: ``ignored-env`` is not scanned here (a key in a gitignored ``.env`` is where keys belong; the
#: client-exposure engine reads those files).
SECRET_ORIGINS = ("source", "staged", "copy")
_SNIPPET_CONTEXT = 80
#: Built client assets, whatever their origin (a committed ``.next/static`` file still ships to browsers).
_BUNDLE_PATH = re.compile(r"(?:^|/)(?:\.next/static|build/static|out/_next/static)/")


class SecretsEngine:
    """The ``secrets`` engine (Engine protocol): SEC rules on source and staged files and on fragments,
    EXP204 on built client bundles."""

    name = "secrets"

    def rules(self) -> tuple[Rule, ...]:
        """Every SEC rule and EXP204."""
        return all_rules()

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Scan ``ctx.files`` by origin and ``ctx.fragments``; never raises for bad input."""
        notes: list[Notification] = []
        findings: list[Finding] = []
        files = [f for f in ctx.files if f.origin in SECRET_ORIGINS or f.origin == "bundle"]
        sources = [_Source.of_file(f) for f in files]
        with catalogue.batch(((f.path, f.text) for f in files), catalogue_hits.OWNED):
            findings += _scan_sources(sources, notes)
        more, more_notes = scan_fragments(ctx.fragments, ctx.config)
        return EngineOutput((*findings, *more), (*notes, *more_notes))


@dataclass(frozen=True)
class _Source:
    """One text to scan: its lines, their numbers (None: 1, 2, 3, ...), and where it came from."""

    path: str
    texts: list[str]
    numbers: list[int] | None
    commit: str | None
    origin: str

    @property
    def judged_as(self) -> str:
        """The path detectors judge the lines by: a compiled Python file's lines are its string constants
        written as Python (``NAME = "value"``), judged as its source ``X.py`` would be (a test module's
        ``.pyc`` as test code)."""
        return source_of(self.path)

    @classmethod
    def of_file(cls, file: ScanFile) -> _Source:
        """A work-tree or staged file: every line (split on ``\n`` as git and editors count lines)."""
        return cls(file.path, [t.rstrip("\r") for t in file.text.split("\n")], None, None, file.origin)

    @classmethod
    def of_fragment(cls, fragment: Fragment) -> _Source:
        """A fragment: its numbered lines (history and staged additions)."""
        return cls(fragment.path, [t for _, t in fragment.lines], [n for n, _ in fragment.lines],
                   fragment.commit, fragment.origin)

    def number(self, index: int) -> int:
        """The 1-based line number of line ``index``."""
        return self.numbers[index] if self.numbers is not None else index + 1


def scan_fragments(fragments: Iterable[Fragment], config: Config) -> tuple[list[Finding], list[Notification]]:
    """Scan fragments (work-tree files, staged or historical added lines) for secrets.

    Returns ``(findings, notifications)``: one finding per secret per line, fingerprint not yet set; a
    fragment of origin ``bundle`` yields EXP204 findings, ``ignored-env`` yields nothing. Picklable and safe
    in a fresh worker process: detect-secrets is imported and configured inside the adapter on first need.
    """
    findings: list[Finding] = []
    notes: list[Notification] = []
    sources = [_Source.of_fragment(f) for f in fragments if f.origin != "ignored-env"]
    items = [(s.judged_as, "\n".join(s.texts)) for s in sources]
    flags = catalogue.wants_many(items)
    with catalogue.batch(items, catalogue_hits.OWNED, flags):
        findings += _scan_sources(sources, notes, flags)
    return findings, notes


def _scan_sources(sources: list[_Source], notes: list[Notification], flags: list[bool] | None = None
                  ) -> list[Finding]:
    """The findings of ``sources``: the keyword prefilters run once over all of them (:func:`mark_many`), and a
    source with no marked line is matched further only when the catalogue wants its text (``flags``, else
    :func:`catalogue.wants`): there is nothing else to find in it. Notebooks are marked on their own (their
    lines are decoded first)."""
    plain = [i for i, s in enumerate(sources) if not notebook.is_notebook(s.path)]
    marked = dict(zip(plain, mark_many([sources[i].texts for i in plain]), strict=True))
    findings: list[Finding] = []
    for index, source in enumerate(sources):
        lines = marked.get(index)
        if lines is not None and not lines and not (
                flags[index] if flags is not None else catalogue.wants(source.judged_as, "\n".join(source.texts))):
            continue
        findings += _guarded(source, notes, lines)
    return findings


def _guarded(source: _Source, notes: list[Notification], marked: set[int] | None = None) -> list[Finding]:
    """:func:`_scan_source`, with an unexpected failure turned into an error notification (the scan is then
    incomplete, exit 2) instead of a crash. The message names the exception type only: never file content."""
    try:
        return _scan_source(source, notes, marked)
    except Exception as exc:  # a bug or a detect-secrets failure on odd input; reported, never silent
        where = f" at {source.commit[:12]}" if source.commit else ""
        message = f"secrets engine failed on this file{where} ({type(exc).__name__})"
        notes.append(Notification("error", message, source.path, "engine-error"))
        return []


def _scan_source(source: _Source, notes: list[Notification], marked: set[int] | None = None) -> list[Finding]:
    """The findings of one source; odd input (an unparsable notebook) adds a note to ``notes``. ``marked``: the
    lines the keyword prefilters marked, when already known (never for a notebook)."""
    texts = source.texts
    if notebook.is_notebook(source.path):
        if source.commit is None and not notebook.is_valid("\n".join(texts)):
            notes.append(Notification("note", "notebook is not valid JSON; scanned as plain text",
                                      source.path, "parse-error"))
        texts = [t for _, t in notebook.notebook_lines(list(enumerate(texts)))]
    ours = scan_texts(source.judged_as, texts, "\n".join(texts), marked=marked)
    return [_finding(source, index, hit, texts[index])
            for index, hit in catalogue_hits.merged(source.judged_as, texts, ours)
            if not (hit.rule_id in _GENERIC and len(texts[index]) > _GENERIC_LINE_LIMIT)]


#: Generic keyword rules (a password- or secret-named value): on a minified line of a bundle or a vendored page
#: (``PasswordFlow:{...}`` in a Swagger UI build) a name and a quote are neighbours by chance. Vendor key
#: formats are still reported there.
_GENERIC = frozenset({"SEC190"})
#: A line longer than this is generated or minified code, not a line someone typed a password into. (Lower than
#: the JS/TS rules' whole-file cut, ``semgrep.runner.MINIFIED_LINE``: that one skips a file, this one judges a
#: line.)
_GENERIC_LINE_LIMIT = 5_000


def _finding(source: _Source, index: int, hit: Hit, scanned_line: str) -> Finding:
    raw_line = source.texts[index]
    number = source.number(index)
    start, end = _columns(raw_line, hit)
    bundle = source.origin == "bundle" or _BUNDLE_PATH.search(source.path) is not None
    rule = EXP204 if bundle else rule_by_code(hit.rule_id)
    name = name_of(hit.rule_id)
    if bundle:
        message = f"{_article(name)} {name} is inside a built client bundle: every visitor downloads it"
    elif is_compiled(source.path):
        where = "a .pyc committed in history" if source.commit else "a .pyc committed to the repository"
        message = (f"Hard-coded {name} in a string constant of compiled Python ({where}); revoke and rotate it, "
                   "then delete the .pyc, ignore __pycache__/ and read it from the environment")
    elif rule.id == "SEC105":
        message = (f"Hard-coded {name}: no rotation needed; restrict it to your app's "
                   "domains and APIs: an unrestricted key works for every API enabled on its Google Cloud project, "
                   "Gemini included")
    else:
        message = f"Hard-coded {name}; revoke and rotate it, then read it from the environment"
    around = raw_line[max(0, start - _SNIPPET_CONTEXT): end + _SNIPPET_CONTEXT]
    if hit.value not in around:  # an escaped notebook line: show the decoded text (the value is redacted)
        around = scanned_line[max(0, hit.start - _SNIPPET_CONTEXT): hit.end + _SNIPPET_CONTEXT]
    return Finding(
        rule=rule,
        location=Location(source.path, number, start + 1, number, end + 1, source.commit),
        message=message,
        snippet=redact.snippet_of(around, [hit.value]),
        match_key=redact.secret_hash(rule.id, hit.value),
    )


def _columns(raw_line: str, hit: Hit) -> tuple[int, int]:
    """0-based start and end of the hit in the file's own line (a notebook line is JSON-escaped)."""
    if raw_line[hit.start:hit.end] == hit.value:
        return hit.start, hit.end
    found = raw_line.find(hit.value)
    return (found, found + len(hit.value)) if found >= 0 else (hit.start, hit.end)


def _article(name: str) -> str:
    return "An" if name[0].lower() in "aeio" else "A"


def classify_value(value: str, name: str = "") -> Rule | None:
    """The secret rule a bare value matches (``sk-proj-…`` -> SEC100), or None for a non-secret, a
    placeholder or a public-by-design key (``pk_live_…``, a Supabase ``anon`` JWT). Used to judge ``.env``
    values behind public prefixes (``NEXT_PUBLIC_…=sk-proj-…``). ``name`` is the variable the value is
    assigned to, when known: it decides context-dependent rules (``NEXT_PUBLIC_FIREBASE_API_KEY`` -> SEC105
    info; ``CLERK_SECRET_KEY`` -> SEC120 rather than Stripe's SEC114). Our vendor detectors apply first, then the
    key catalogue's vendor rules (SEC1000-SEC1999; not its free-form password rules)."""
    from scanner.engines.secrets.matcher import HINT_WORDS, scan_line

    value = value.strip().strip("\"'")
    line = f"{name}={value}" if name else value
    offset = len(line) - len(value)
    hints = frozenset(w for w in HINT_WORDS if w in name.lower())
    for hit in scan_line("", line, hints, generic=False):
        if hit.start == offset and hit.end == len(line):
            return RULES[hit.rule_id]
    for _, hit in catalogue_hits.merged("", [line], ()):
        if hit.start == offset and hit.end == len(line) and not catalogue_hits.free_form(hit.rule_id):
            return rule_by_code(hit.rule_id)
    return None
