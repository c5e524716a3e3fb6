"""One finding per hard-coded literal across engines: a signing key (AUTH306) or client password (SEC193)
wins over a secrets-engine finding on the same line, and the literal is redacted in its snippet.

The code engines report AUTH306 and SEC193 from what the literal is used for; the secrets engine may match
the same literal by its shape (a keyword or high-entropy detector). Merging happens here, once per scan,
after every engine has run (``scanner.api.run_engines``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from scanner.model import Finding, Severity
from scanner.redact import redact
from scanner.sources.compiled import is_compiled, source_of

#: Code-rule findings about a literal secret, which replace secrets findings on their line.
LITERAL_RULES = frozenset({"AUTH306", "SEC193"})
_QUOTED = re.compile(r"""(["'`])((?:\\.|(?!\1)[^\\]){1,300}?)\1""")
#: Quoted strings shown as they are: env/config names and algorithm or encoding names.
_KEEP = re.compile(r"[A-Z][A-Z0-9_]*|(?i:[hrep]s\d{3}|sha-?\d+|md5|utf-?8|ascii|latin-?1|hex|base64)")


def merge_literal_findings(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """``(kept, absorbed)``: ``findings`` without the secrets-family findings on a (path, line, commit) that
    AUTH306 or SEC193 also reports (a critical vendor key found on a SEC193 line is kept: its type matters more),
    with the quoted literals of AUTH306 and SEC193 snippets redacted; and the secrets findings left out."""
    items = list(findings)
    claimed = {_where(f): f.rule_id for f in items if f.rule_id in LITERAL_RULES}
    out, absorbed = [], []
    for f in items:
        owner = claimed.get(_where(f))
        if f.family == "secrets" and f.rule_id not in LITERAL_RULES and _yields_to(owner, f):
            absorbed.append(f)
            continue
        out.append(_redacted(f) if f.rule_id in LITERAL_RULES else f)
    return out, absorbed


def _yields_to(owner: str | None, f: Finding) -> bool:
    return owner == "AUTH306" or (owner == "SEC193" and f.severity.rank <= Severity.HIGH.rank)


def _where(f: Finding) -> tuple[str, int, str | None]:
    return (f.location.path, f.location.line, f.location.commit)


def _redacted(f: Finding) -> Finding:
    snippet = _QUOTED.sub(_redact_quoted, f.snippet)
    return f if snippet == f.snippet else dataclasses.replace(f, snippet=snippet)


def _redact_quoted(match: re.Match[str]) -> str:
    quote, body = match.group(1), match.group(2)
    if _KEEP.fullmatch(body):
        return match.group()
    return f"{quote}{redact(body)}{quote}"


def fold_compiled_copies(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """``(kept, absorbed)``: a secret found both in a module and in its committed compiled copy (``env.py`` and
    ``__pycache__/env.cpython-311.pyc``) is one finding, at the source; a key only the ``.pyc`` still holds (the
    source since rewritten to read the environment) stays a finding of the ``.pyc``."""
    items = list(findings)
    in_sources = {(f.location.path, f.location.commit, f.match_key) for f in items
                  if f.family == "secrets" and f.match_key and not is_compiled(f.location.path)}
    # a literal the code rules report in the source (AUTH306 on ``SECRET_KEY = os.environ.get(...) or "…"``),
    # seen by its redacted form: the .pyc copy of it is the same secret (set 17 Chatmate)
    literals = {(f.location.path, f.location.commit, redact(m.group(2))) for f in items if f.rule_id in LITERAL_RULES
                for m in _QUOTED.finditer(f.snippet)}
    kept, absorbed = [], []
    for f in items:
        compiled = f.family == "secrets" and is_compiled(f.location.path)
        source = source_of(f.location.path) if compiled else ""
        if compiled and ((f.match_key and (source, f.location.commit, f.match_key) in in_sources) or
                         any((source, f.location.commit, shown) in literals for shown in _REDACTED.findall(f.snippet))):
            absorbed.append(f)
        else:
            kept.append(f)
    return kept, absorbed


#: A literal as redaction shows it (its first 4 and last 2 characters): ``"Rand…ey"``.
_REDACTED = re.compile(r"[\"']([^\"'\s…]{1,4}…[^\"'\s…]{1,2})[\"']")


#: Code a browser bundle never holds: API routes, server folders, ``*.server.ts`` / ``*-server.ts`` modules.
_SERVER_FILE = re.compile(r"(?:^|/)(?:api|server|backend|functions|routes)/|[.-]server\.[cm]?[jt]sx?$|"
                          r"(?:^|/)route\.[cm]?[jt]sx?$")
#: Files a public env name is defined in (``.env``, ``.env.example``, ``.env.local``...).
_ENV_FILE = re.compile(r"(?:^|/)\.env(?:\.[\w.-]+)?$")


def one_per_public_env(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """``(kept, absorbed)``: one EXP201 finding per public-prefixed secret name (``NEXT_PUBLIC_S3_SECRET_KEY``):
    where code that can run in the browser reads it (the first such read), else where server code reads it,
    else its line in an env file. A name read in ``lib/s3.ts`` (browser upload), ``lib/s3-server.ts`` and
    defined in ``.env.example`` is one exposure, shown where it leaks (set 15 chatpdf). Run on the findings left
    after baselines and inline ignores (a suppressed read absorbs nothing); an env file that commits a secret
    value, and another app of a monorepo, stay findings of their own."""
    items = list(findings)
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in items:
        name = _public_env_name(f)
        # an env file that commits a secret value is a leak of its own, not a second report of the name
        if name and not (_ENV_FILE.search(f.location.path) and "value matches" in f.message):
            groups.setdefault((_app_root(f.location.path), name), []).append(f)
    absorbed_ids: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        best = min(group, key=lambda f: (_ENV_FILE.search(f.location.path) is not None,
                                         _SERVER_FILE.search(f.location.path) is not None, f.sort_key()))
        absorbed_ids.update(id(f) for f in group if f is not best)
    return [f for f in items if id(f) not in absorbed_ids], [f for f in items if id(f) in absorbed_ids]


#: Documents and notes: where a secret is least likely to be read by the code (its copy there is still a leak).
_DOC_FILE = re.compile(r"\.(?:md|mdx|markdown|rst|txt|adoc|ipynb)$|(?:^|/)docs?/", re.I)
#: Source code, the copy a key is read from (``settings.py`` before ``env-example`` and ``config.yaml``).
_CODE_FILE = re.compile(r"\.(?:py|[cm]?[jt]sx?|go|rb|java|kt|php|cs|rs|swift|scala|dart|ex|exs)$")
#: At most this many other locations are named in the kept finding's message.
_NAMED_COPIES = 3


def one_per_secret(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """``(kept, absorbed)``: one secrets finding per secret value in the working tree, as GitHub's secret
    scanning keeps one alert per secret with all its locations. Findings of the same value (the same salted
    ``match_key``) in several files or lines are one finding: the gravest rule, at the copy the code is most
    likely to use (source code before env and config files, before documents, before compiled Python), its
    message naming the other locations and its ``copies`` holding all of them (the others are absorbed: a history
    finding of the same key stays covered).
    Run on the findings left after baselines and inline ignores; history findings are not grouped here."""
    items = list(findings)
    groups: dict[str, list[Finding]] = {}
    for f in items:
        if f.family == "secrets" and f.match_key and f.location.commit is None and f.rule_id not in LITERAL_RULES:
            groups.setdefault(f.match_key, []).append(f)
    replaced: dict[int, Finding] = {}
    absorbed_ids: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        best = min(group, key=lambda f: (-f.severity.rank, is_compiled(f.location.path),
                                         _CODE_FILE.search(f.location.path) is None,
                                         _DOC_FILE.search(f.location.path) is not None,
                                         _ENV_FILE.search(f.location.path) is not None, f.sort_key()))
        others = sorted((f for f in group if f is not best), key=Finding.sort_key)
        named = ", ".join(f"{f.location.path}:{f.location.line}" for f in others[:_NAMED_COPIES])
        more = f" and {len(others) - _NAMED_COPIES} more" if len(others) > _NAMED_COPIES else ""
        where = "place" if len(others) == 1 else "places"
        replaced[id(best)] = dataclasses.replace(
            best, message=f"{best.message} (the same secret is also in {len(others)} other {where}: {named}{more})",
            copies=tuple(f.location for f in others))
        absorbed_ids.update(id(f) for f in others)
    kept = [replaced.get(id(f), f) for f in items if id(f) not in absorbed_ids]
    return kept, [f for f in items if id(f) in absorbed_ids]


#: Source folders inside an app: the app's root is the path above the first of them.
_SOURCE_DIRS = frozenset({"src", "lib", "app", "pages", "components", "utils", "hooks", "services", "config", "api",
                          "server", "public", "store", "context", "helpers"})


def _app_root(path: str) -> str:
    """The folder of the app a file belongs to, by its path: ``apps/web/lib/s3.ts`` -> ``apps/web``, ``lib/s3.ts``
    and ``.env.example`` -> ``""`` (two apps of a monorepo are two exposures)."""
    parts = path.split("/")[:-1]
    out: list[str] = []
    for part in parts:
        if part in _SOURCE_DIRS:
            break
        out.append(part)
    return "/".join(out)


def _public_env_name(f: Finding) -> str:
    """The env name an EXP201 finding of the working tree is about (its code read or its env-file line)."""
    if f.rule_id != "EXP201" or f.location.commit:
        return ""
    if _ENV_FILE.search(f.location.path) and f.context:
        return f.context
    name = (f.match_key or "").rsplit(".", 1)[-1].strip("[]'\" ")
    return name if re.fullmatch(r"[A-Z][A-Z0-9_]+", name) else ""
