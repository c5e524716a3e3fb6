"""The data that crosses modules: severities, rules, locations, findings, notifications, scan results, and the
source records (ScanFile, Fragment) that sources hand to engines."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.Enum):
    """A rule's severity; every finding of a rule has the rule's severity (DESIGN.md section 2)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for info up to 4 for critical; higher is worse."""
        return _RANKS[self]

    @property
    def security_severity(self) -> str:
        """GitHub's ``security-severity`` property: a decimal string in 0.0-10.0."""
        return _SECURITY_SEVERITY[self]

    @property
    def sarif_level(self) -> str:
        """SARIF 2.1.0 ``level``: ``error`` (critical, high), ``warning`` (medium), ``note`` (low, info)."""
        return _SARIF_LEVEL[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse a severity name, case-insensitively.

        Raises:
            ValueError: the name is not one of critical, high, medium, low, info.
        """
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None


_RANKS = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
_SARIF_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}

FAMILIES = ("secrets", "client-exposure", "auth", "logging", "cors", "launch", "edge")


@dataclass(frozen=True)
class Rule:
    """A rule: stable code (``SEC101``), kebab-case slug, family, severity and its documentation.

    ``doc`` is Markdown under the fixed headings What it finds / Why it matters / Example / Fix;
    ``short`` is one sentence (SARIF ``shortDescription``), ``fix`` one paragraph (the first thing to do).
    """

    id: str
    slug: str
    family: str
    severity: Severity
    short: str
    doc: str
    fix: str
    cwe: tuple[int, ...] = ()
    precision: str = "high"
    engine: str = ""

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"rule {self.id}: unknown family {self.family!r}")


@dataclass(frozen=True)
class Location:
    """Where a finding is: path relative to the scan root with ``/`` separators; 1-based lines and columns
    (columns in Unicode code points, end column exclusive); ``commit`` is set only for history-only findings."""

    path: str
    line: int
    column: int = 1
    end_line: int = 0
    end_column: int = 0
    commit: str | None = None

    def __post_init__(self) -> None:
        if self.end_line < self.line:
            object.__setattr__(self, "end_line", self.line)
        if self.end_column <= 0:
            object.__setattr__(self, "end_column", self.column + 1 if self.end_line == self.line else 1)


@dataclass(frozen=True)
class Suppression:
    """Why a finding is not reported: ``kind`` is ``inline``, ``baseline`` or ``config``; ``detail`` says where."""

    kind: str
    detail: str = ""


@dataclass(frozen=True)
class Finding:
    """One result of one rule at one location.

    ``snippet`` is already redacted (no whole secret, ever). ``context`` is the enclosing function or route
    (may be empty) and ``match_key`` the normalised matched text (for secrets: a slow salted hash of the
    value, never the value); both feed the fingerprint, which ``api`` fills in once occurrences are known.
    """

    rule: Rule
    location: Location
    message: str
    snippet: str = ""
    context: str = ""
    match_key: str = ""
    fingerprint: str = ""
    introduced_in: str | None = None
    suppression: Suppression | None = None
    #: Other places of the working tree holding the same secret (:func:`scanner.dedup.one_per_secret`), sorted.
    copies: tuple[Location, ...] = ()

    @property
    def rule_id(self) -> str:
        """The rule's stable code, e.g. ``SEC101``."""
        return self.rule.id

    @property
    def severity(self) -> Severity:
        """The rule's severity (a finding never has its own)."""
        return self.rule.severity

    @property
    def family(self) -> str:
        """The rule family (one of ``FAMILIES``)."""
        return self.rule.family

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order: path, line, column, rule id, commit."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule.id, loc.commit or "")


#: Notification kinds that are expected, not problems (``Notification.expected``; ``--strict`` ignores them):
#: skipped vendored trees, binary files, files scanned whole after decoding (Latin-1, UTF-16, UTF-32, stray NUL
#: bytes), nested git repositories (each named in its note: scanned on their own), files the config's
#: ``exclude`` leaves out, rule families its ``select`` / ``ignore`` turn off, and what is never read by design
#: (README: a symlink is never followed, a FIFO, socket or device never opened), each named in its note.
EXPECTED_KINDS = frozenset({"vendored", "binary", "decoded", "nested-repo", "excluded", "rules-off", "symlink",
                            "special"})


@dataclass(frozen=True)
class Notification:
    """Something the user must know that is not a finding: a skipped binary file, a parse error, a truncated
    history, an engine that did not run. ``level`` is ``note``, ``warning`` or ``error``; an ``error`` makes
    the scan incomplete (exit 2)."""

    level: str
    message: str
    path: str | None = None
    kind: str = "note"
    #: How many files or objects this note stands for (a grouped note), and up to 20 of their paths.
    count: int = 1
    examples: tuple[str, ...] = ()

    @property
    def expected(self) -> bool:
        """True for notes that are no problem (skipped vendored trees, binary files): never fail ``--strict``."""
        return self.kind in EXPECTED_KINDS

    def sort_key(self) -> tuple[str, str, str]:
        """Order: path, kind, message."""
        return (self.path or "", self.kind, self.message)


@dataclass(frozen=True)
class RouteInfo:
    """One HTTP route handler a code engine found, for the JSON ``routes[]`` inventory and ``launch-ready probe``.

    ``method`` is an upper-case verb (``GET``, ``POST``, ...), several joined by ``,``, or ``*`` when any or
    unknown; ``path`` is the URL path template as declared, with router/blueprint/mount prefixes when known
    (``/api/chat/{chat_id}``; parameters keep the framework's syntax), ``""`` when it cannot be known (a Django
    view without a matching ``urls.py`` entry). ``location`` is the handler's anchor (the line its findings use);
    ``framework`` is the framework module's name (``flask``, ``fastapi``, ``django``, ``express``, ``nextjs``, ...).
    ``needs_auth`` is True unless the route is public by intent (health, login/signup, signed webhook, static
    page) or trivial; a route the code authenticates always needs auth (the team said so); ``authenticated``
    is True when an auth check covers it; ``calls_model`` / ``touches_db`` say what its body does (one hop
    into helpers).
    """

    method: str
    path: str
    location: Location
    framework: str
    needs_auth: bool
    authenticated: bool
    calls_model: bool = False
    touches_db: bool = False

    def sort_key(self) -> tuple[str, int, str, str]:
        """Order: source path, line, URL path, method."""
        return (self.location.path, self.location.line, self.path, self.method)


@dataclass(frozen=True)
class ScanResult:
    """Everything a reporter needs: the sorted findings, the suppressed ones, notifications and the rules run."""

    root: str
    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...] = ()
    suppressed: tuple[Finding, ...] = ()
    rules: tuple[Rule, ...] = ()
    category: str | None = None
    stats: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    routes: tuple[RouteInfo, ...] = ()
    #: Secrets findings merged into the code rule that reports the same literal (AUTH306, SEC193): never reported,
    #: kept so that a history scan folds the same secret in older commits into that finding (``merge_history``).
    absorbed: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def incomplete(self) -> bool:
        """True when a notification says part of the scan could not run (exit code 2)."""
        return any(n.level == "error" for n in self.notifications)


#: Why a file is in the scan: tracked or untracked-not-ignored source, an ignored ``.env*`` file (read for
#: client exposure only), a built client bundle (read for keys only), a staged blob, or a copy read for keys only
#: (an editor's local-history copy of a source file, compiled output mirroring ``src/``, compiled Python whose
#: source is not in the scan).
ORIGINS = ("source", "ignored-env", "bundle", "staged", "copy")


@dataclass(frozen=True)
class ScanFile:
    """One file's text as the scan sees it.

    ``path`` is relative to the scan root with ``/`` separators; ``text`` is the decoded content (at most
    ``MAX_FILE_BYTES`` of it; ``truncated`` says so); ``origin`` is one of ``ORIGINS``. ``base_text`` is the
    previous version (HEAD for a staged scan, REF for ``--since``) when a code rule must compare, else None.
    """

    path: str
    text: str
    origin: str = "source"
    truncated: bool = False
    base_text: str | None = None


@dataclass(frozen=True)
class Fragment:
    """Text for the secrets engine, with provenance: the engine never knows which source it came from.

    ``lines`` are ``(line_number, text)`` pairs (1-based line numbers in ``path`` at ``commit``); for a
    work-tree file these are all its lines, for a commit or a staged change only the added lines.
    ``commit`` is None for the work tree and the index.
    """

    path: str
    lines: tuple[tuple[int, str], ...]
    commit: str | None = None
    origin: str = "source"
