"""The peer secret suites' selection and annotation readers: which files of which commit, and which lines must
or must not be found, read from the fetched repositories at run time (their files are never copied here).

Selection committed before any tuning (issue 11). Annotation kinds:

- semgrep-rules and njsscan true positives: semgrep test annotations. ``ruleid:`` / ``todoruleid:`` mark a line
  that must be found, ``ok:`` / ``todook:`` one that must not; a trailing annotation marks its own line, an
  annotation alone on its line marks the next line that is not an annotation.
- njsscan true negatives: every non-blank, non-comment line must not be found.
- detect-secrets: ``(payload, should_flag)`` pairs of ``pytest.mark.parametrize`` in its plugin tests; each
  payload is scanned alone as a one-line ``.cfg`` file; True must be found, False must not.
- bandit: ``# Possible hardcoded password: '…'`` comments; the next line that is not a comment must be found.

Rule ids that name identifiers rather than secrets (``client-id``, ``account-id``, ``public-key``, usernames,
Flask's DEBUG/TESTING/ENV) are not counted. Rule ids of code-level signing secrets (JWT, session, HMAC, passport
keys: AUTH306, another family) are counted separately, as kind ``signing``.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MIRROR = Path("/work/.mirror")

#: suite -> (fetched repository, commit, file globs (git pathspecs)).
SELECTION: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "semgrep-rules": ("semgrep/semgrep-rules", "157ae4706d7f54aa33647332f234dd68f30da195", (
        "generic/secrets/**",
        "python/boto3/security/hardcoded-token.py",
        "python/lang/security/audit/hardcoded-password-default-argument.py",
        "python/flask/security/audit/hardcoded-config.py",
        "python/jwt/security/jwt-hardcode.py",
        "javascript/jsonwebtoken/security/jwt-hardcode.js",
        "javascript/jose/security/jwt-hardcode.js",
        "javascript/express/security/express-jwt-hardcoded-secret.js",
        "javascript/express/security/audit/express-session-hardcoded-secret.ts",
        "javascript/passport-jwt/security/passport-hardcode.js",
        "javascript/lang/security/audit/hardcoded-hmac-key.js",
    )),
    "njsscan": ("ajinabraham/njsscan", "b6ade853818a0c2a4fde36a1c5740b663e758ad2", (
        "tests/assets/node_source/true_positives/semantic_grep/generic/hardcoded_secrets.js",
        "tests/assets/node_source/true_positives/semantic_grep/generic/hardcoded_passport.js",
        "tests/assets/node_source/true_positives/semantic_grep/jwt/jwt_hardcoded.js",
        "tests/assets/node_source/true_positives/semantic_grep/jwt/jwt_express_hardcoded.js",
        "tests/assets/node_source/true_negatives/safe_creds_node.js",
        "tests/assets/node_source/true_negatives/safe_jwt_credentials.js",
        "tests/assets/node_source/true_negatives/safe_jwt_token.js",
    )),
    "detect-secrets": ("Yelp/detect-secrets", "5e141933554a0b74e7341841f318be21e895339c", (
        "tests/plugins/*_test.py",
    )),
    "bandit": ("PyCQA/bandit", "92080542688902ad1eb6af74cf16939fad767d29", (
        "examples/hardcoded-passwords.py",
    )),
}
#: detect-secrets plugin tests that are not about secrets (entropy of any string, public IP addresses).
DETECT_SECRETS_SKIP = ("base_test.py", "high_entropy_strings_test.py", "ip_public_test.py")
NOT_SECRET = re.compile(r"(?i)client[-_]id|account[-_]id|public[-_]key|username|_DEBUG$|_TESTING$|_ENV$")
SIGNING = re.compile(r"(?i)jwt|session|hmac|passport|SECRET_KEY")
_ANNOTATION = re.compile(r"(?://|#|<!--|/\*)\s*(todoruleid|ruleid|todook|ok)\s*:\s*([\w.,\s-]+)")
_BANDIT = re.compile(r"#\s*Possible hardcoded password")


@dataclass(frozen=True)
class Case:
    """One annotated line: the file's name in the scratch tree, its 1-based line, and ``find`` (must be found),
    ``not`` (must not be found) or ``signing`` (a code-level signing secret: AUTH306)."""

    suite: str
    path: str
    line: int
    kind: str


@dataclass(frozen=True)
class SuiteFile:
    """One file written to the scratch tree: its name there and its text."""

    suite: str
    path: str
    text: str


def _git(repo: str, *args: str) -> str:
    git_dir = MIRROR / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], capture_output=True, text=True,
                          check=True).stdout


def _files(repo: str, commit: str, globs: tuple[str, ...]) -> list[str]:
    names = _git(repo, "ls-tree", "-r", "--name-only", commit).splitlines()
    return [n for n in names if any(fnmatch.fnmatchcase(n, g) for g in globs)
            and not n.endswith((".yaml", ".yml", ".md"))]


def _flat(path: str) -> str:
    """A scratch name without test folders (our scanner treats ``tests/`` specially; the peers do not)."""
    return path.replace("/", "__")


def load() -> tuple[list[SuiteFile], list[Case]]:
    """Every selected file and annotated line of the four suites, read from the fetched mirrors."""
    files: list[SuiteFile] = []
    cases: list[Case] = []
    for suite, (repo, commit, globs) in SELECTION.items():
        for name in _files(repo, commit, globs):
            if suite == "detect-secrets" and name.rsplit("/", 1)[-1] in DETECT_SECRETS_SKIP:
                continue
            text = _git(repo, "show", f"{commit}:{name}")
            for path, body, marks in _read(suite, name, text):
                files.append(SuiteFile(suite, f"{suite}/{path}", body))
                cases += [Case(suite, f"{suite}/{path}", line, kind) for line, kind in marks]
    return files, cases


def _read(suite: str, name: str, text: str) -> Iterator[tuple[str, str, list[tuple[int, str]]]]:
    if suite == "detect-secrets":
        stem = name.rsplit("/", 1)[-1].removesuffix("_test.py")
        for index, (payload, flag) in enumerate(_payloads(text)):
            yield f"{stem}_{index}.cfg", payload + "\n", [(1, "find" if flag else "not")]
    elif suite == "bandit":
        yield _flat(name), text, _bandit_marks(text)
    elif "true_negatives" in name:
        yield _flat(name), text, _negative_marks(text)
    else:
        yield _flat(name), text, _semgrep_marks(text)


def _semgrep_marks(text: str) -> list[tuple[int, str]]:
    lines = text.split("\n")
    marks: dict[int, str] = {}
    for index, line in enumerate(lines):
        found = _ANNOTATION.search(line)
        if not found:
            continue
        ids = [i.strip() for i in found.group(2).split(",") if i.strip()]
        counted = [i for i in ids if not NOT_SECRET.search(i)]
        if not counted:
            continue
        kind = "find" if found.group(1).endswith("ruleid") else "not"
        if kind == "find" and all(SIGNING.search(i) for i in counted):
            kind = "signing"
        target = index if line[:found.start()].strip() else _next_plain(lines, index)
        if target is not None:
            marks.setdefault(target + 1, kind)
    return sorted(marks.items())


def _next_plain(lines: list[str], index: int) -> int | None:
    for target in range(index + 1, len(lines)):
        if not _ANNOTATION.search(lines[target]):
            return target
    return None


def _negative_marks(text: str) -> list[tuple[int, str]]:
    return [(n, "not") for n, line in enumerate(text.split("\n"), 1)
            if line.strip() and not line.strip().startswith(("//", "/*", "*"))]


def _bandit_marks(text: str) -> list[tuple[int, str]]:
    lines = text.split("\n")
    marks: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if _BANDIT.search(line):
            target = next((t for t in range(index + 1, len(lines)) if not lines[t].strip().startswith("#")), None)
            if target is not None:
                marks.append((target + 1, "find"))
    return marks


def _payloads(text: str) -> Iterator[tuple[str, bool]]:
    """``(str, bool)`` tuples inside ``pytest.mark.parametrize`` argument lists."""
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("mark.parametrize")):
            continue
        for arg in node.args[1:2]:
            for element in getattr(arg, "elts", []):
                if (isinstance(element, ast.Tuple) and len(element.elts) == 2
                        and isinstance(element.elts[0], ast.Constant) and isinstance(element.elts[0].value, str)
                        and isinstance(element.elts[1], ast.Constant)
                        and isinstance(element.elts[1].value, bool)):
                    yield element.elts[0].value, element.elts[1].value
