"""The scan command's arguments turned into a checked plan (target, config, options, outputs, baseline) and
the exit code of a result; everything here runs before the scan or after it, and never prints."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanner.cli_args import (
    FORMATS,
    Output,
    Target,
    check_jobs,
    check_modes,
    check_no_repo_symlink,
    check_refs,
    check_writable,
    plan_outputs,
    range_refs,
    target_of,
)
from scanner.errors import UsageError

if TYPE_CHECKING:
    from scanner.api import ScanOptions
    from scanner.config import Config
    from scanner.filters.baseline import Baseline
    from scanner.model import Notification, ScanResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DEFAULT_BASELINE = ".launch-ready-baseline.json"


def split_ids(value: str | None) -> tuple[str, ...]:
    """The rule names of a comma-separated option value (``"SEC100, auth"`` -> ``("SEC100", "auth")``); blanks
    dropped, ``None`` -> ``()``."""
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@dataclasses.dataclass(frozen=True)
class Plan:
    """Everything checked before the scan starts: where, with which config and options, which reports, and
    warnings about the baseline."""

    target: Target
    config: Config
    options: ScanOptions
    outputs: tuple[Output, ...]
    baseline_notes: tuple[str, ...]


def prepare(kw: dict[str, Any]) -> Plan:
    """Check every argument and build the scan's options; raises UsageError or ConfigError before any scan."""
    from scanner import api

    check_jobs(kw["jobs"])
    check_modes(kw["history"], kw["staged"], kw["since"], kw["commit_range"])
    target = target_of(kw["paths"])
    extra = [Output(fmt, kw[f"{fmt}_output"]) for fmt in FORMATS if kw[f"{fmt}_output"] is not None]
    outputs = plan_outputs(kw["formats"], kw["outputs"], extra)
    check_writable(outputs)
    check_no_repo_symlink(outputs, target.root)
    commit_range = kw["commit_range"] or _pre_push_range(kw["staged"])
    refs = [("--since", kw["since"])] if kw["since"] else []
    refs += [("--range", ref) for ref in range_refs(kw["commit_range"])] if kw["commit_range"] else []
    if commit_range and not kw["commit_range"]:  # pre-commit's pre-push refs, checked as --range ones are
        refs += list(zip(("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"), range_refs(commit_range), strict=True))
    check_refs(target.root, refs)
    config = effective_config(target.root, {**kw, "report_files": [o.path for o in outputs if o.path]})
    engines, families = _engines_and_families(config, bool(kw["secrets_only"]))
    baseline_file = kw["baseline"] or _default_baseline(target.root, config)
    baseline, notes = baseline_for(baseline_file, config.no_config)
    options = api.ScanOptions(history=kw["history"], staged=kw["staged"], since=kw["since"], jobs=kw["jobs"],
                              families=families, category=kw["category"], baseline=baseline, engines=engines,
                              commit_range=commit_range, paths=target.paths)
    if kw.get("include_vendored"):
        options = _including_vendored(options)
    return Plan(target, config, options, outputs, notes)


def _including_vendored(options: ScanOptions) -> ScanOptions:
    """``options`` with ``include_vendored`` set (the sources' field; refused in a build without it)."""
    if "include_vendored" not in {f.name for f in dataclasses.fields(options)}:
        raise UsageError("--include-vendored: this build of the sources cannot scan vendored trees")
    changes: dict[str, Any] = {"include_vendored": True}
    return dataclasses.replace(options, **changes)


def _pre_push_range(staged: bool) -> str | None:
    """In pre-commit's pre-push stage (``PRE_COMMIT_FROM_REF`` / ``PRE_COMMIT_TO_REF`` set) ``--staged`` scans
    the pushed commits: ``FROM..TO``. A new branch (FROM all zeros) is left to the staged scan, which compares
    against every remote."""
    from_ref, to_ref = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if not staged or not from_ref or not to_ref or set(from_ref) <= {"0"}:
        return None
    return f"{from_ref}..{to_ref}"


def _engines_and_families(config: Config, secrets_only: bool) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """The engines to start (None: every engine of the families) and the families: only engines that can report
    a selected rule start. Without select/ignore the registry is not loaded (fast hook).

    Raises:
        UsageError: select and ignore leave no rule.
    """
    from scanner.model import FAMILIES
    from scanner.registry import all_rules, engines_for, rules_of_families, selected
    from scanner.rulebook import PROBE_RULES

    families: tuple[str, ...] = ("secrets",) if secrets_only else FAMILIES
    if not (config.select or config.ignore):
        return None, families
    named = {n.lower() for n in config.select}
    if config.select and named <= set(FAMILIES):  # families only: load just their engines
        families = tuple(f for f in families if f in named)
    rules = rules_of_families(families) if families != FAMILIES else all_rules()
    chosen = [r for r in selected(rules, config.select, config.ignore)
              if r.family in families and r.id not in PROBE_RULES]  # live rules: `launch-ready probe` runs them
    if not chosen:
        raise UsageError("--select / --ignore (with the config's) leave no rule for `scan` to run"
                         " (the edge rules and AUTH308, CORS505-507, LR606-607 run in `launch-ready probe`)")
    return engines_for(chosen)


def _check_rule_names(config: Config, kw: dict[str, Any]) -> None:
    """Every rule name typed on the command line or in the config names a rule (else UsageError, one line
    with the closest name). The registry is loaded only when there is a name to check (fast hook)."""
    from scanner.model import FAMILIES
    from scanner.registry import all_rules, check_names

    typed = [("--select", split_ids(kw.get("select"))), ("--ignore", split_ids(kw.get("ignore"))),
             (f"select in {config.source}", config.select), (f"ignore in {config.source}", config.ignore),
             (f"severity in {config.source}", tuple(name for name, _ in config.severity))]
    if all(name.lower() in FAMILIES for _, names in typed for name in names):
        return  # family names only (or none): nothing to load
    rules = all_rules()
    for where, names in typed:
        check_names(names, where, rules)


def effective_config(root: Path, kw: dict[str, Any]) -> Config:
    """The repository's config (DESIGN.md section 4 precedence) with the command-line flags applied last:
    ``--select`` replaces the config's ``select``, ``--ignore`` adds to the config's ``ignore``, and a rule the
    command line selects by its exact code or slug runs even where the config ignores it."""
    from scanner.config import load_config

    config = load_config(root, kw.get("config_file"), no_config=bool(kw.get("no_config")))
    _check_rule_names(config, kw)
    return dataclasses.replace(
        config,
        # the reports this run writes (and a baseline being written) hold redacted findings: not scanned.
        # Baseline files are scanned like any other file: a real one holds only hashes and yields nothing, and a
        # file merely *named* like one must not hide a key (any depth, any mode)
        exclude=config.exclude + (() if kw.get("no_config") else
                                  _own_files(root, [kw.get("output"), *kw.get("report_files", ())])),
        select=split_ids(kw.get("select")) or config.select,
        ignore=split_ids(kw.get("ignore")) + _config_ignores_kept(config.ignore, split_ids(kw.get("select"))),
        fail_on=kw.get("fail_on") or config.fail_on,
    )


def _config_ignores_kept(ignore: tuple[str, ...], cli_select: tuple[str, ...]) -> tuple[str, ...]:
    """The config's ``ignore`` entries that still apply under the command line's ``--select``: an entry naming
    a rule that ``--select`` names by exact code or slug is dropped (the command line is the top layer and the
    more specific), so ``--select SEC100`` runs SEC100 where the config ignores it; prefixes and families
    (``--select SEC1``) leave the config's ignores in force."""
    if not ignore or not cli_select:
        return ignore
    from scanner.registry import find_rule

    chosen = {rule.id for rule in map(find_rule, cli_select) if rule is not None}
    return tuple(name for name in ignore if (rule := find_rule(name)) is None or rule.id not in chosen)


def _own_files(root: Path, named: list[Path | None]) -> tuple[str, ...]:
    """The files this run writes (reports, a baseline being created) inside ``root``, as anchored exclude
    patterns: they hold redacted findings, not code. Only these exact paths: nothing is excluded by name."""
    top = root.resolve()
    paths = [p.resolve() for p in named if p is not None]
    return tuple("/" + p.relative_to(top).as_posix() for p in paths if p.is_relative_to(top))


def _default_baseline(root: Path, config: Config) -> Path | None:
    """``baseline = "..."`` from the config (relative to the scan root), else ``.launch-ready-baseline.json``
    in the scan root when present."""
    if config.baseline:
        return root / config.baseline
    default = root / DEFAULT_BASELINE
    return default if default.is_file() and not default.is_symlink() else None


def baseline_for(path: Path | None, no_config: bool) -> tuple[Baseline | None, tuple[str, ...]]:
    """The baseline to apply (None without one) and warnings; auditor mode applies none."""
    from scanner.filters import baseline

    if path is None:
        return None, ()
    if no_config:
        return None, (f"--no-config: baseline {path} not applied (auditor mode)",)
    return baseline.load(path), ()


def expected_note(note: Notification) -> bool:
    """True for a note that is no problem (``Notification.expected``: a vendored tree or binary file skipped on
    purpose, a file scanned whole after decoding), or a skip note about a binary file."""
    return note.expected or (note.kind == "skipped" and "binary" in note.message)


def exit_code(result: ScanResult, config: Config, kw: dict[str, Any]) -> int:
    """The scan's exit code: 2 for an incomplete scan or, with ``--strict``, any unexpected note; 0 with
    ``--exit-zero``; 1 when a finding is at or above ``fail-on``; else 0."""
    from scanner.filters import at_or_above
    from scanner.model import Severity

    unexpected = [n for n in result.notifications if n.level in ("note", "warning") and not expected_note(n)]
    if result.incomplete or (kw["strict"] and unexpected):
        return EXIT_ERROR
    if kw["exit_zero"]:
        return EXIT_OK
    return EXIT_FINDINGS if at_or_above(result, Severity.parse(config.fail_on)) else EXIT_OK
