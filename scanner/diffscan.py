"""History, staged, pre-push and ``--since`` scans: the findings a change or the history adds to a tree scan.

Secrets are judged by line: a staged or ``--since`` secret finding counts only on a line the change adds.
Code rules are judged by fingerprint: the engines run on the base and the new version of each changed file,
and a finding counts when its fingerprint is new (removing ``@login_required`` adds no line, yet is caught).
History is secrets only; a secret still in the work tree is reported there once, naming the commit that
introduced it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path

from scanner import git, gitquery
from scanner.config import Config
from scanner.engines.base import ScanContext
from scanner.errors import ScanError
from scanner.filters.paths import PathExcluder
from scanner.model import Finding, Notification, ScanFile, ScanResult
from scanner.pipeline import ScanOptions, assign_fingerprints, run_engines, scan_tree, secrets_scanner
from scanner.progress import NoProgress, Progress
from scanner.sources import staged
from scanner.sources.staged import Change

_ZERO = frozenset("0")


def require_repo(root: Path, what: str) -> None:
    """Raise a one-line ScanError unless git is installed and ``root`` is inside a git work tree."""
    if git.git_executable() is None:
        raise ScanError(f"{what} needs git, and git is not installed or not on PATH")
    if gitquery.repo_toplevel(root) is None:
        raise ScanError(f"{root}: not inside a git repository ({what} needs one)")


def scan_with_history(root: Path, config: Config, options: ScanOptions,
                      progress: Progress | None = None) -> ScanResult:
    """The work tree (every family) plus every commit on every ref (secrets), one finding per secret.

    Raises:
        ScanError: no git, or ``root`` is not in a git repository.
    """
    progress = progress or NoProgress()
    require_repo(root, "--history")
    tree = scan_tree(root, config, dataclasses.replace(options, history=False), progress)
    if "secrets" not in options.families:
        return tree
    return _add_history(root, config, options, progress, tree, ("--all",))


def scan_bare(root: Path, config: Config, options: ScanOptions, progress: Progress | None = None) -> ScanResult:
    """A bare repository (a mirror clone, a server-side repository): every ref's history with ``--history``
    (secrets; there is no work tree, said in one note), else an incomplete, empty result saying so."""
    empty = ScanResult(root=root.as_posix(), findings=(), category=options.category, stats={"files": 0})
    if not (options.history or options.commit_range) or "secrets" not in options.families:
        note = Notification("error", "bare repository: there is no work tree to scan; run with --history to "
                            "scan the history of every ref", None, "bare")
        return dataclasses.replace(empty, notifications=(note,))
    revs = _range_revs(root, options.commit_range) if options.commit_range else ("--all",)
    return _add_history(root, config, options, progress or NoProgress(),
                        dataclasses.replace(empty, notifications=(bare_note(),)), revs)


def bare_note() -> Notification:
    """The note of a bare repository scan: there is no work tree."""
    return Notification("note", "bare repository (a mirror or server-side clone): there is no work tree; "
                        "only the history of every ref is scanned (--history)", None, "bare")


def _add_history(root: Path, config: Config, options: ScanOptions, progress: Progress, tree: ScanResult,
                 revs: tuple[str, ...]) -> ScanResult:
    """``tree`` plus the secrets of the commits ``revs`` names (history-only ones keep their commit)."""
    from scanner.sources import history

    past = history.scan_history(root, secrets_scanner(config), options.jobs, progress, revs,
                                include_vendored=options.include_vendored, trust_attributes=not config.no_config)
    old, hidden = _filtered(root, config, options, past.findings)
    findings = merge_history(tree.findings, old, covered=(*tree.suppressed, *tree.absorbed))
    stats = {**tree.stats, "commits": past.commits, "added_lines": past.added,
             "distinct_lines": past.distinct}
    known = {(f.rule_id, f.match_key) for f in (*tree.findings, *tree.suppressed)}
    suppressed = (*tree.suppressed, *(f for f in hidden if (f.rule_id, f.match_key) not in known))
    return _with(dataclasses.replace(tree, suppressed=tuple(sorted(suppressed, key=Finding.sort_key))),
                 findings, past.notifications, stats)


def merge_history(tree: Iterable[Finding], past: Iterable[Finding], covered: Iterable[Finding] = ()) -> list[Finding]:
    """Tree findings (``introduced_in`` set when history has the same secret, matched by rule and
    ``match_key``) plus the history findings of secrets no longer in the tree. A secret still in the tree whose
    tree finding is suppressed (``covered``: a baseline, an inline ignore) or merged into the code rule that
    reports the same literal (AUTH306 on ``SECRET_KEY = "…"``) is folded the same way: its history copy, perhaps
    under a path the file had before a rename, is not reported on its own as "not in the working tree"."""
    by_key = {(f.rule_id, f.match_key): f for f in past}
    matched = {(f.rule_id, f.match_key) for f in covered if f.family == "secrets" and f.match_key}
    out = []
    for f in tree:
        key = (f.rule_id, f.match_key)
        origin = by_key.get(key) if f.family == "secrets" and f.match_key else None
        if origin is not None:
            matched.add(key)
            f = dataclasses.replace(f, introduced_in=origin.location.commit)
        out.append(f)
    return out + [f for key, f in by_key.items() if key not in matched]


def scan_staged(root: Path, config: Config, options: ScanOptions,
                progress: Progress | None = None) -> ScanResult:
    """What the next commit adds (the index against HEAD), or in the pre-push stage (``PRE_COMMIT_FROM_REF``
    and ``PRE_COMMIT_TO_REF`` set; or, on a first push that includes the root commit, only
    ``PRE_COMMIT_LOCAL_BRANCH`` and ``PRE_COMMIT_REMOTE_NAME``) what the pushed commits add.

    Raises:
        ScanError: no git, or ``root`` is not in a git repository.
    """
    require_repo(root, "--staged")
    from_ref, to_ref = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref:
        return scan_push(root, config, options, from_ref, to_ref, progress)
    local = os.environ.get("PRE_COMMIT_LOCAL_BRANCH")
    if local and os.environ.get("PRE_COMMIT_REMOTE_NAME"):
        # pre-push of a history that includes its root commit (a first push): pre-commit sets no FROM/TO refs
        # and runs "all files"; the pushed commits are what no remote has yet, as for a new branch
        return scan_push(root, config, options, "0" * 40, local, progress, to_name="PRE_COMMIT_LOCAL_BRANCH")
    changes, notes = staged.staged_changes(root)
    return scan_changes(root, config, options, changes, notes, "staged")


def scan_since(root: Path, config: Config, options: ScanOptions, progress: Progress | None = None) -> ScanResult:
    """``--since REF``: secrets of every commit in ``merge-base(REF, HEAD)..HEAD`` (a key added then removed on
    the branch is still a finding, with ``commit`` set) plus the uncommitted work tree, and code rules new in
    the work tree against the merge-base. ``options.commit_range`` ``A..B``: the same with B's tree as the
    final tree (pre-push, CI on pull requests).

    Raises:
        ScanError: no git, not a repository, or a ref that names no commit.
    """
    what = f"--range {options.commit_range}" if options.commit_range else f"--since {options.since}"
    require_repo(root, what)
    try:
        if options.commit_range:
            start, end = _split_range(options.commit_range)
            base, final = _merge_base(root, _commit(root, start), _commit(root, end)), _commit(root, end)
            revs: tuple[str, ...] = (final, "--not", _commit(root, start))
            changes, notes = staged.rev_changes(root, base, final)
        else:
            head = _commit(root, "HEAD") if gitquery.has_commits(root) else None
            ref = _commit(root, options.since or "HEAD")
            base = _merge_base(root, ref, head) if head else None
            revs = (head, "--not", ref) if head else ()
            changes, notes = staged.worktree_changes(root, base or gitquery.empty_tree(root),
                                                     attributes=not config.no_config)
    except git.GitError as exc:
        raise ScanError(f"{what}: {exc}") from None
    result = scan_changes(root, config, options, changes, notes, "since")
    if "secrets" not in options.families or not revs:
        return result
    return _add_history(root, config, options, progress or NoProgress(), result, revs)


def _split_range(text: str) -> tuple[str, str]:
    start, sep, end = text.partition("..")
    if not sep or not start or not end or end.startswith("."):
        raise ScanError(f"--range {text}: expected A..B (two refs)")
    return start, end


def _range_revs(root: Path, text: str) -> tuple[str, ...]:
    start, end = _split_range(text)
    try:
        return (_commit(root, end), "--not", _commit(root, start))
    except git.GitError as exc:
        raise ScanError(f"--range {text}: {exc}") from None


def _merge_base(root: Path, a: str, b: str) -> str | None:
    """The best common ancestor of two commits, or None when they share no history."""
    out = git.run_git(root, "merge-base", "--end-of-options", a, b, check=False).decode("ascii").strip()
    return out or None


def scan_push(root: Path, config: Config, options: ScanOptions, from_ref: str, to_ref: str,
              progress: Progress | None = None, to_name: str = "PRE_COMMIT_TO_REF") -> ScanResult:
    """The commits a push sends (``from_ref..to_ref``; a new branch: what no remote has yet): secrets on the
    lines each commit adds (a key still in ``to_ref``'s tree is reported there, naming the commit that added
    it), code rules new in ``to_ref`` against the push's base.

    Raises:
        ScanError: a ref (from pre-commit's environment) names no commit; it is never handed to git as an
            option (``PRE_COMMIT_TO_REF=--output=FILE``).
    """
    new_branch = set(from_ref) <= _ZERO
    to_ref = _commit_of(root, to_name, to_ref)
    if not new_branch:
        from_ref = _commit_of(root, "PRE_COMMIT_FROM_REF", from_ref)
    revs = (to_ref, "--not", "--remotes") if new_branch else (to_ref, "--not", from_ref)
    base = _push_base(root, revs) if new_branch else from_ref
    changes, notes = staged.rev_changes(root, base, to_ref)
    result = scan_changes(root, config, options, changes, notes, "push")
    if "secrets" not in options.families:
        return result
    return _add_history(root, config, options, progress or NoProgress(), result, revs)


def _commit_of(root: Path, name: str, ref: str) -> str:
    """The commit SHA ``ref`` names (resolved after ``--end-of-options``, so ``--output=FILE`` is a ref name,
    not an option).

    Raises:
        ScanError: ``ref`` names no commit.
    """
    sha = git.run_git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}",
                      check=False, timeout=60).decode("ascii", "replace").strip()
    if not sha or sha.startswith("-"):
        raise ScanError(f"{name} {ref!r}: no such commit or ref in this repository")
    return sha


def scan_changes(root: Path, config: Config, options: ScanOptions, changes: list[Change],
                 notes: list[Notification], mode: str) -> ScanResult:
    """Run the engines on the new versions of ``changes`` and keep what the change adds (see module doc);
    vendored files are left out with one note per tree unless ``options.include_vendored``; notes about files the
    config excludes are dropped, as in a tree scan (an excluded file over the size limit does not fail the hook)."""
    excluder = PathExcluder(config.exclude)
    notes = [n for n in notes if n.path is None or not excluder.excluded(n.path)]
    if not options.include_vendored:
        changes, skipped = staged.drop_vendored(root, changes, attributes=not config.no_config)
        notes = [*notes, *(n for n in skipped if n not in notes)]
    ctx = ScanContext(root=root, files=tuple(c.new for c in changes), config=config, mode=mode,
                      families=options.families, jobs=options.workers)
    if not changes:
        return ScanResult(root=root.as_posix(), findings=(), notifications=tuple(notes),
                          category=options.category, stats={"files": 0})
    result = run_engines(ctx, notes, options)
    added = {c.new.path: c.added for c in changes}
    old = _base_fingerprints(root, config, options, [c.base for c in changes if c.base is not None], mode)
    keep = [f for f in result.findings if _is_new(f, added, old)]
    return dataclasses.replace(result, findings=tuple(keep))


def _base_fingerprints(root: Path, config: Config, options: ScanOptions, base: list[ScanFile],
                       mode: str) -> frozenset[str]:
    families = tuple(f for f in options.families if f != "secrets")
    if not families or not base:
        return frozenset()
    ctx = ScanContext(root=root, files=tuple(base), config=config, mode=mode, families=families,
                      jobs=options.workers)
    result = run_engines(ctx, [], dataclasses.replace(options, families=families, baseline=None))
    return frozenset(f.fingerprint for f in (*result.findings, *result.suppressed))


def _is_new(finding: Finding, added: dict[str, frozenset[int]], old: frozenset[str]) -> bool:
    if finding.family == "secrets":
        return finding.location.line in added.get(finding.location.path, frozenset())
    return finding.fingerprint not in old


def _filtered(root: Path, config: Config, options: ScanOptions,
              findings: Iterable[Finding]) -> tuple[list[Finding], tuple[Finding, ...]]:
    """History findings through the repository filters that need no text (exclude globs, the baseline): the
    findings kept and the ones suppressed (counted in the report like the work tree's)."""
    from scanner.filters import apply_repo_filters
    from scanner.filters.lines import LineLookup

    raw = ScanResult(root=root.as_posix(), findings=tuple(findings))
    filtered = apply_repo_filters(raw, config, LineLookup(), options.baseline)
    return list(filtered.findings), filtered.suppressed


def _with(result: ScanResult, findings: Iterable[Finding], notes: Iterable[Notification],
          stats: dict[str, int]) -> ScanResult:
    ordered = sorted(assign_fingerprints(findings), key=Finding.sort_key)
    merged = sorted(set(result.notifications) | set(notes), key=Notification.sort_key)
    return dataclasses.replace(result, findings=tuple(ordered), notifications=tuple(merged), stats=stats)


def _commit(root: Path, ref: str) -> str:
    """The full SHA of the commit ``ref`` names (``--end-of-options``: a ``-x`` ref is never an option)."""
    out = git.run_git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    return out.decode("ascii").strip()


def _push_base(root: Path, revs: tuple[str, ...]) -> str | None:
    """For a new branch: the parent of the oldest commit being pushed (None when it is a root commit)."""
    commits = gitquery.rev_list(root, *revs)
    if not commits:
        return None
    parents = git.run_git(root, "rev-list", "--parents", "-n", "1", commits[0]).decode("ascii").split()
    return parents[1] if len(parents) > 1 else None
