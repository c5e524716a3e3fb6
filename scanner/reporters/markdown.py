"""The Markdown reporter: the launch scorecard (one row per checklist item, then the findings by severity)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from scanner import __version__
from scanner.model import Finding, Rule, ScanResult, Severity
from scanner.pathnames import quote_path
from scanner.redact import escape_control
from scanner.rulebook import PROBE_RULES, PROBE_SCORECARD_ROWS

PASS, FAIL, NOT_CHECKED = "pass", "fail", "not checked"
_BADGE = {PASS: "✅ pass", FAIL: "❌ fail", NOT_CHECKED: "➖ not checked"}
#: Caps that keep the scorecard readable and under GitHub's 1 MiB job-summary limit.
MAX_PER_CHECK = 10
MAX_PER_SEVERITY = 200
MAX_NOTES = 50
_LEVEL_RANK = {"error": 2, "warning": 1, "note": 0}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!{}])")


@dataclass(frozen=True)
class Check:
    """One item of the launch checklist: ``covers`` says whether a rule belongs to it, ``finding_filter``
    narrows its findings further (history vs. working tree); ``unchecked_hint`` says how to check it.
    ``core`` (rule codes), when set, are the rules that must have run for the check to count as checked
    (a family whose main engine is missing is not "pass" because a side rule of it ran). ``sub`` marks a
    sub-line of the check above it (not counted in the verdict); ``repo_checkable`` is False for rows a
    repository scan cannot show (they are always *not checked*, with ``unchecked_hint`` naming what checks
    them). ``judges_routes`` rows judge route handlers: with no route found, or a source file left unparsed,
    they cannot pass (*not checked*, saying why). ``live`` are the codes of ``launch-ready probe`` rules that
    belong to the row (``rulebook.PROBE_SCORECARD_ROWS``): when a probe ran them (a probe's Markdown report
    merges the static scan and the live checks), the row counts as checked and their findings are listed under
    it."""

    title: str
    covers: Callable[[Rule], bool]
    unchecked_hint: str
    finding_filter: Callable[[Finding], bool] = lambda f: True
    core: tuple[str, ...] = ()
    sub: bool = False
    repo_checkable: bool = True
    live: tuple[str, ...] = ()
    judges_routes: bool = False
    live_partial: bool = False

    def includes(self, rule: Rule) -> bool:
        """True when findings of ``rule`` belong to this check (a static rule it covers or one of its live rules)."""
        return self.covers(rule) or rule.id in self.live

    def ran(self, rules: tuple[Rule, ...]) -> bool:
        """True when the rules that decide this check are among ``rules`` (the rules the scan or probe ran). A
        live rule decides a row alone unless ``live_partial`` (row 8: the probe sees error pages, not whether
        errors reach a monitoring service)."""
        if any(r.id in self.live for r in rules) and not (self.live_partial and self.core):
            return True
        if not self.repo_checkable:
            return False
        if self.core:
            return any(r.id in self.core for r in rules)
        return any(self.covers(r) for r in rules)


def _family(*names: str) -> Callable[[Rule], bool]:
    return lambda rule: rule.family in names


def _codes(*codes: str) -> Callable[[Rule], bool]:
    return lambda rule: rule.id in codes


def _nothing(rule: Rule) -> bool:
    return False


_BY_PROBE = "not checked by a repository scan"

#: The launch checklist, in the order of the checklist the tool is named after (issue 13): the seed's ten
#: rows and the edge row of the launch bar. Live rules join their row through ``_with_live``.
_STATIC_CHECKS: tuple[Check, ...] = (
    Check("1. Auth on member APIs", _codes("AUTH301", "AUTH302", "AUTH303", "AUTH304", "AUTH305", "AUTH306"),
          "the auth rules did not run", core=("AUTH301", "AUTH302", "AUTH303"), judges_routes=True),
    Check("2. Authorization by role (users reach only their own data)", _codes("AUTH304", "AUTH307"),
          "the object-access rule did not run (AUTH307 unscoped-object-access)",
          core=("AUTH307",), judges_routes=True),
    Check("3. Secrets only on the server (no keys in code or history, none shipped to the browser)",
          _family("secrets", "client-exposure"), "the secrets and client-exposure rules did not run",
          core=("EXP201", "EXP202", "EXP203")),
    Check("↳ Keys in git history", _family("secrets"), "run `launch-ready scan --history`",
          lambda f: f.location.commit is not None, sub=True),
    Check("4. Rate limiting on model routes", _codes("LR601"), "the rate-limit rule did not run (LR601)",
          core=("LR601",), judges_routes=True),
    Check("5. Input validation (prompt size, user text out of system prompts)", _codes("LR602", "LR603"),
          "the prompt-input rules did not run (LR602, LR603)", core=("LR602", "LR603"), judges_routes=True),
    Check("6. Logging is safe (no prompts, personal data or credentials)", _family("logging"),
          "the logging rules did not run"),
    Check("7. CORS locked down", _family("cors"), "the CORS rules did not run"),
    Check("8. Monitoring active; errors reach you, not the visitor", _codes("LR604", "LR605"),
          "the debug and monitoring rules did not run", core=("LR604", "LR605"), judges_routes=True,
          live_partial=True),
    Check("9. Email authentication (SPF, DKIM, DMARC)", _nothing,
          f"{_BY_PROBE}: run `launch-ready probe https://your.app --domain your.domain` (EDGE707-EDGE710)",
          repo_checkable=False),
    Check("10. Deployment rollback", _nothing,
          f"{_BY_PROBE}: a manual step: redeploy the previous release on your host once before launch "
          "(e.g. Vercel Instant Rollback, `fly deploy --image` of the last release) and write down how",
          repo_checkable=False),
    Check("11. Edge, HTTPS and SSL", _nothing,
          f"{_BY_PROBE}: run `launch-ready probe https://your.domain` (EDGE701-EDGE706)", repo_checkable=False),
)


def _with_live(checks: tuple[Check, ...]) -> tuple[Check, ...]:
    """``checks`` with each numbered row given its live codes from ``PROBE_SCORECARD_ROWS`` (keyed by the
    number that starts the row's title)."""
    out = []
    for check in checks:
        number = check.title.split(".", 1)[0]
        live = PROBE_SCORECARD_ROWS.get(int(number), ()) if number.isdigit() else ()
        out.append(dataclasses.replace(check, live=live) if live else check)
    return tuple(out)


CHECKS: tuple[Check, ...] = _with_live(_STATIC_CHECKS)


@dataclass(frozen=True)
class CheckResult:
    """A check's outcome: ``status`` (pass / fail / not checked) and the findings behind it, worst first."""

    check: Check
    status: str
    findings: tuple[Finding, ...]
    why_unchecked: str | None = None

    @property
    def hint(self) -> str:
        """Why the check is not checked and how to check it."""
        return self.why_unchecked or self.check.unchecked_hint


HISTORY = CHECKS[3]


def evaluate(result: ScanResult) -> list[CheckResult]:
    """Each check of ``CHECKS`` against ``result``. A check is *not checked* when none of its rules ran
    (``result.rules``, or ``Check.core``) and it has no finding; *Keys in git history* also needs a
    history scan (``history_scanned``) or a finding with a commit. It fails on any finding of severity low
    or above; info findings are listed under a passing check. Rows a repository cannot show are always
    *not checked*."""
    history = history_scanned(result) or any(
        f.location.commit for f in result.findings + result.suppressed)
    out = []
    for check in CHECKS:
        found = tuple(sorted((f for f in result.findings if check.includes(f.rule) and check.finding_filter(f)),
                             key=_worst_first))
        ran = check.ran(result.rules) or bool(found)
        if check.title == HISTORY.title:
            ran = ran and history and not _shallow(result)
        status = NOT_CHECKED if not ran else FAIL if any(f.severity.rank >= 1 for f in found) else PASS
        why = _cannot_pass(result, check) if status == PASS else None
        if check.title == HISTORY.title and status == NOT_CHECKED and _shallow(result):
            why = ("shallow clone: history is truncated (run `git fetch --unshallow`, then "
                   "`launch-ready scan --history`)")
        out.append(CheckResult(check, NOT_CHECKED if why else status, found, why))
    return out


def _shallow(result: ScanResult) -> bool:
    """True when the history scanned was a shallow clone's (truncated): keys before its depth were not read."""
    return any(n.kind == "history" and n.message.startswith("shallow clone") for n in result.notifications)


#: Source files the route rules read; a parse note on one of them means a route may have gone unjudged.
_ROUTE_SOURCE = re.compile(r"\.(?:py|[cm]?[jt]sx?)$")


def _cannot_pass(result: ScanResult, check: Check) -> str | None:
    """Why a route-judging check that found nothing cannot say *pass*: no route handler was found (an empty
    folder, a framework no engine reads), or source files were not parsed. None when it can."""
    hidden = [f for f in result.suppressed if check.includes(f.rule) and check.finding_filter(f)
              and f.suppression is not None and f.suppression.kind == "config"]
    if hidden:  # the repository's own config switched these off: its rows cannot be green by that
        sources = sorted({f.suppression.detail.rsplit(" in ", 1)[-1] for f in hidden if f.suppression})
        return (f"{_count(len(hidden), 'finding')} of this check suppressed by the repository's config "
                f"({', '.join(sources)}); `--no-config` shows them")
    live_ran = any(r.id in check.live for r in result.rules)
    static = [r for r in result.rules if r.id not in PROBE_RULES]
    if live_ran and static and check.repo_checkable:  # a probe merged with a static scan: both halves must run
        static_ran = any(r.id in check.core for r in static) if check.core else any(check.covers(r) for r in static)
        if not static_ran:
            return f"{check.unchecked_hint} in the repository scan; only the live half ran"
    unfinished = [c for c in check.live if result.stats.get(f"unfinished_{c}")]
    if unfinished:
        return f"the live check did not finish ({', '.join(unfinished)}; see Notes): a passing row could hide findings"
    if result.stats.get("files") == 0 and check.repo_checkable and not any(r.id in check.live for r in result.rules):
        return "no file was scanned: nothing to judge"
    engines = sorted({n.message.split(":", 1)[0] for n in result.notifications if n.kind == "engine-error"})
    if engines and check.repo_checkable and not any(r.id in check.live for r in result.rules):
        return f"part of the scan could not run ({'; '.join(engines)}; see Notes): a passing row could hide findings"
    if not check.judges_routes or any(r.id in check.live for r in result.rules):
        return None
    if not result.routes:
        return ("no route handler found in the scanned files (Flask, FastAPI, Django, Starlette, Litestar, "
                "Express, Next.js, NestJS, Hono): nothing to judge")
    unparsed = sorted({n.path for n in result.notifications
                       if n.kind == "parse-error" and n.path and _ROUTE_SOURCE.search(n.path)})
    if unparsed:
        return (f"{_count(len(unparsed), 'source file')} could not be parsed (see Notes): a route in "
                f"{'it' if len(unparsed) == 1 else 'them'} was not judged")
    return None


def history_scanned(result: ScanResult) -> bool:
    """True when the whole git history was scanned: ``stats["history"]`` set, or the counters that only a
    full history scan fills in (``distinct_lines``)."""
    return bool(result.stats.get("history")) or "distinct_lines" in result.stats


def render(result: ScanResult, *, width: int | None = None) -> str:
    """Render the launch scorecard of ``result`` as GitHub-flavoured Markdown (byte-identical across runs):
    a verdict, the checklist table, what to fix check by check (findings and fix path), all findings by
    severity, suppressed findings and notes. Repository-controlled text is escaped (no Markdown or HTML
    injection) and snippets are already redacted."""
    checks = evaluate(result)
    parts = [_header(result, checks), _table(checks), _fix_sections(checks), _by_severity(result),
             _suppressed(result), _notes(result), _footer()]
    return "\n".join(p for p in parts if p).rstrip("\n") + "\n"


def _header(result: ScanResult, checks: list[CheckResult]) -> str:
    name = PurePosixPath(result.root).name or result.root
    checks = [c for c in checks if not c.check.sub]
    failed = sum(c.status == FAIL for c in checks)
    judged = sum(c.status != NOT_CHECKED for c in checks)
    unchecked = f" ({len(checks) - judged} not checked)" if judged < len(checks) else ""
    verdict = (f"**Not ready to launch: {failed} of {len(checks)} checks fail**{unchecked}." if failed
               else "**Nothing could be checked**: see why under each check." if not judged
               else f"**Incomplete scan: no blocking issue found by {judged} checks**{unchecked}."
               if result.incomplete else f"**No blocking issue found by {judged} checks**{unchecked}.")
    lines = [f"# Launch readiness scorecard: {code(name)}", "", f"{verdict} {summary_text(result)}", ""]
    if result.incomplete:
        lines += ["> [!WARNING]", "> **The scan is incomplete**: part of the repository could not be scanned "
                  "(see Notes). A passing check may hide findings.", ""]
    return "\n".join(lines)


def summary_text(result: ScanResult) -> str:
    """Counts by severity, suppressed count and by what, files scanned (one sentence)."""
    counts = Counter(f.severity for f in result.findings)
    by_sev = ", ".join(f"{counts[s]} {s.value}" for s in Severity if counts[s])
    text = _count(len(result.findings), "finding") + (f" ({by_sev})" if by_sev else "")
    if result.suppressed:
        kinds = Counter(f.suppression.kind if f.suppression else "unknown" for f in result.suppressed)
        by = ", ".join(f"{kinds[k]} {k}" for k in sorted(kinds))
        text += f", {len(result.suppressed)} suppressed ({by})"
    files = result.stats.get("files")
    if files is not None:
        text += f", {_count(files, 'file')} scanned"
    return text + "."


def _table(checks: list[CheckResult]) -> str:
    rows = ["## Checklist", "", "| Check | Status | Findings |", "|---|---|---|"]
    for c in checks:
        if c.status == NOT_CHECKED:
            detail = f"_{c.hint}_"
        else:
            counts = Counter(f.severity for f in c.findings)
            detail = ", ".join(f"{counts[s]} {s.value}" for s in Severity if counts[s]) or "none"
        rows.append(f"| {c.check.title} | {_BADGE[c.status]} | {detail} |")
    return "\n".join(rows) + "\n"


def _fix_sections(checks: list[CheckResult]) -> str:
    out = []
    for c in checks:
        if not c.findings:
            continue
        out += [f"### {_BADGE[c.status].split()[0]} {c.check.title}", ""]
        out += [_finding_line(f) for f in c.findings[:MAX_PER_CHECK]]
        more = len(c.findings) - MAX_PER_CHECK
        out += [f"- ... and {more} more (see Findings by severity)"] if more > 0 else []
        out.append("")
        rules = {f.rule_id: f.rule for f in c.findings}
        out += ["**Fix path**", ""]
        out += [f"- {code(r.id)} {r.slug}: {_ours(r.fix or r.short)}" for r in rules.values()] + [""]
    return "\n".join(["## What to fix, check by check", "", *out]) if out else ""


def _finding_line(f: Finding) -> str:
    where = f"{quote_path(f.location.path)}:{f.location.line}"
    commit = f" in commit {code(f.location.commit[:12])}" if f.location.commit else ""
    line = f"- **{f.severity.value}** {code(f.rule_id)} {code(where)}{commit}: {md(f.message)}"
    return line + (f"<br>{code(f.snippet)}" if f.snippet else "")


def _by_severity(result: ScanResult) -> str:
    if not result.findings:
        return "## Findings\n\nNo findings.\n"
    out = ["## Findings by severity", ""]
    for sev in Severity:
        group = [f for f in result.findings if f.severity == sev]
        if not group:
            continue
        out += [f"### {sev.value.capitalize()} ({len(group)})", "", "| Where | Rule | Message |",
                "|---|---|---|"]
        out += [f"| {_where(f)} | {code(f.rule_id)} {f.rule.slug} | {md(f.message)} |"
                for f in group[:MAX_PER_SEVERITY]]
        more = len(group) - MAX_PER_SEVERITY
        out += ["", f"... and {more} more {sev.value} findings (see `--format json`)."] if more > 0 else []
        out.append("")
    return "\n".join(out)


def _where(f: Finding) -> str:
    text = code(f"{quote_path(f.location.path)}:{f.location.line}")
    return text + (f" ({code(f.location.commit[:12])})" if f.location.commit else "")


def _suppressed(result: ScanResult) -> str:
    if not result.suppressed:
        return ""
    out = [f"## Suppressed ({len(result.suppressed)})", "",
           "Not counted above; `--no-config` shows them as findings (auditor mode).", "",
           "| Where | Rule | By |", "|---|---|---|"]
    for f in result.suppressed:
        by = f"{f.suppression.kind}: {f.suppression.detail}".rstrip(": ") if f.suppression else "unknown"
        out.append(f"| {_where(f)} | {code(f.rule_id)} {f.rule.slug} | {md(by)} |")
    return "\n".join(out) + "\n"


def _notes(result: ScanResult) -> str:
    if not result.notifications:
        return ""
    out = ["## Notes", ""]
    notes = sorted(result.notifications, key=lambda n: (-_LEVEL_RANK.get(n.level, 0), *n.sort_key()))
    for n in notes[:MAX_NOTES]:
        where = f"{code(quote_path(n.path))}: " if n.path else ""
        out.append(f"- **{n.level}** {where}{md(n.message)}")
    if len(notes) > MAX_NOTES:
        out.append(f"- ... and {len(notes) - MAX_NOTES} more notes (see `--format json`)")
    return "\n".join(out) + "\n"


def _footer() -> str:
    return (f"---\n_Generated by launch-ready {__version__}. Keys are shown redacted (at most the first 4 "
            "and last 2 characters); `launch-ready explain ID` prints the full help for a rule._\n")


def _worst_first(f: Finding) -> tuple[int, str, int, int, str]:
    return (-f.severity.rank, f.location.path, f.location.line, f.location.column, f.rule_id)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _ours(text: str) -> str:
    """Text we wrote (rule docs and fix paths, already Markdown): only folded to one line."""
    return " ".join(escape_control(text).split())


def md(text: str) -> str:
    """Repository-controlled text as inline Markdown: control characters escaped, Markdown and HTML
    specials (``\\ ` * _ [ ] < > | ~ # ! { }``) backslash-escaped, newlines folded to spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(escape_control(text).split()))


def code(text: str) -> str:
    """``text`` as an inline code span that is safe in a table cell: a backtick fence longer than any
    backtick run inside, ``|`` escaped (GFM tables split cells on it even inside code)."""
    text = " ".join(escape_control(text).split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
