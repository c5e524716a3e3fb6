"""The SARIF 2.1.0 reporter: a ScanResult as one SARIF run that GitHub code scanning accepts and shows well.

Built with the ``sarif-om`` object model and serialised by ``to_json``, a small walker over the attrs fields
that uses each field's ``schema_property_name`` (``jschema_to_python`` drops explicit values equal to the
schema defaults, such as ``level: "warning"``). Format: OASIS SARIF 2.1.0 Errata 01; GitHub's extra rules
and limits: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

import attr
import sarif_om as om

from scanner import __version__
from scanner.errors import ReportTooLarge as ReportTooLarge
from scanner.model import Finding, Location, Notification, Rule, ScanResult
from scanner.redact import escape_json_text

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "launch-ready"
INFORMATION_URI = "https://github.com/launch-ready/launch-ready"
FINGERPRINT_KEY = "launchReady/v1"
SRCROOT = "%SRCROOT%"
DEFAULT_CATEGORY = "launch-ready/"
#: GitHub code scanning limits (see the module docstring's link); past WARN_RESULTS GitHub shows only the
#: top results, past the others it rejects the upload.
WARN_RESULTS = 5_000
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1024 * 1024
MAX_LOCATIONS = 1_000
MAX_TAGS = 20
MAX_DESCRIPTION = 1_024
_SUPPRESSION_KIND = {"inline": "inSource", "baseline": "external", "config": "external"}
_EXPLICIT = "_launch_ready_explicit"



def render(result: ScanResult, *, width: int | None = None) -> str:
    """Render ``result`` as a SARIF 2.1.0 log (JSON text ending in a newline, byte-identical across runs).

    Raises:
        ReportTooLarge: the log is past one of GitHub's upload limits (``MAX_RESULTS`` results,
            ``MAX_GZIP_BYTES`` gzip-compressed, ``MAX_TAGS`` tags per rule).
    """
    text = escape_json_text(json.dumps(to_json(build_log(result)), indent=2, ensure_ascii=False)) + "\n"
    size = len(gzip.compress(text.encode("utf-8"), mtime=0))
    if size > MAX_GZIP_BYTES:
        raise ReportTooLarge(f"SARIF log is {size} bytes gzip-compressed; GitHub accepts at most "
                             f"{MAX_GZIP_BYTES} (narrow the scan with --select or a baseline)")
    return text


def build_log(result: ScanResult) -> om.SarifLog:
    """The ``sarif_om.SarifLog`` of ``result``: one run with rules, results, notifications and category.

    Raises:
        ReportTooLarge: more than ``MAX_RESULTS`` results or more than ``MAX_TAGS`` tags on a rule.
    """
    findings = sorted(result.findings + result.suppressed, key=Finding.sort_key)
    if len(findings) > MAX_RESULTS:
        raise ReportTooLarge(f"{len(findings)} results; GitHub accepts at most {MAX_RESULTS} per SARIF run "
                             "(narrow the scan with --select or a baseline)")
    rules = _rules_of(result, findings)
    index = {rule.id: i for i, rule in enumerate(rules)}
    notes = list(result.notifications)
    if len(findings) > WARN_RESULTS:
        notes.append(Notification("warning", f"{len(findings)} results: GitHub code scanning shows only the "
                                  f"{WARN_RESULTS} most severe", None, "too-many-results"))
    run = new(om.Run,
              tool=new(om.Tool, driver=_driver(rules)),
              automation_details=new(om.RunAutomationDetails, id=_category(result.category)),
              original_uri_base_ids={SRCROOT: _root_location(result.root)},
              column_kind="unicodeCodePoints",
              invocations=[_invocation(result, notes)],
              results=[_result(f, index[f.rule_id]) for f in findings])
    return new(om.SarifLog, schema_uri=SARIF_SCHEMA, version="2.1.0", runs=[run])


def new(cls: type[Any], **kwargs: Any) -> Any:
    """Build a sarif_om object and remember which fields were given, so ``to_json`` writes them even when
    equal to the schema default (``level: "warning"``) and leaves out every default that was not given."""
    obj = cls(**kwargs)
    setattr(obj, _EXPLICIT, tuple(kwargs))
    return obj


def to_json(obj: Any) -> Any:
    """Turn sarif_om objects (and the dicts, lists and scalars inside them) into JSON-ready data: each attrs
    field under its ``schema_property_name``, fields given to ``new`` first and in the order given; None and
    defaults that were not given explicitly are left out."""
    if attr.has(type(obj)):
        explicit: tuple[str, ...] = getattr(obj, _EXPLICIT, ())
        out: dict[str, Any] = {}
        for field in sorted(attr.fields(type(obj)), key=lambda f: explicit.index(f.name) if f.name in explicit
                            else len(explicit)):
            value = getattr(obj, field.name)
            if value is None or (field.name not in explicit and _is_default(field, value)):
                continue
            out[field.metadata["schema_property_name"]] = to_json(value)
        return out
    if isinstance(obj, dict):
        return {str(k): to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    return obj


def _is_default(field: Any, value: Any) -> bool:
    default = field.default
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        default = default.factory()
    return bool(value == default)


#: The key catalogue's codes (SEC1000-SEC1999): several hundred rules, described in the run only when a result
#: names one (the whole catalogue made a one-finding report 1.7 MB).
_CATALOGUE_CODE = re.compile(r"SEC1\d{3}")


def _rules_of(result: ScanResult, findings: list[Finding]) -> list[Rule]:
    """The run's rules: those of ``result.rules`` (the catalogue's only when a result names them) plus any a
    result names, sorted by code."""
    rules = {r.id: r for r in result.rules if not _CATALOGUE_CODE.fullmatch(r.id)}
    for f in findings:
        rules.setdefault(f.rule_id, f.rule)
    return [rules[k] for k in sorted(rules)]


def _driver(rules: list[Rule]) -> Any:
    return new(om.ToolComponent, name=TOOL_NAME, version=__version__, semantic_version=__version__,
               information_uri=INFORMATION_URI, rules=[_descriptor(r) for r in rules])


def _descriptor(rule: Rule) -> Any:
    tags = [rule.family, "security", *(f"external/cwe/cwe-{n}" for n in rule.cwe)]
    if len(tags) > MAX_TAGS:
        raise ReportTooLarge(f"rule {rule.id} has {len(tags)} tags; GitHub accepts at most {MAX_TAGS}")
    return new(
        om.ReportingDescriptor,
        id=rule.id,
        name=pascal_case(rule.slug),
        short_description=new(om.MultiformatMessageString, text=_cap(rule.short)),
        full_description=new(om.MultiformatMessageString, text=_cap(full_description(rule))),
        help=new(om.MultiformatMessageString, text=rule.doc.strip() or rule.short,
                 markdown=rule.doc.strip() or rule.short),
        default_configuration=new(om.ReportingConfiguration, level=rule.severity.sarif_level),
        properties={"tags": tags, "precision": rule.precision,
                    "security-severity": rule.severity.security_severity},
    )


def pascal_case(slug: str) -> str:
    """``openai-api-key`` -> ``OpenaiApiKey`` (SARIF ``reportingDescriptor.name``)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", slug) if part)


def full_description(rule: Rule) -> str:
    """The text under the rule doc's ``What it finds`` heading (its short description when absent)."""
    match = re.search(r"^#+\s*What it finds\s*$(.*?)(?=^#+\s|\Z)", rule.doc, re.M | re.S | re.I)
    text = " ".join(match.group(1).split()) if match else ""
    return text or rule.short


def _cap(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _result(f: Finding, rule_index: int) -> Any:
    loc = f.location
    message = f.message + (f" (in commit {loc.commit[:12]}, not in the working tree)" if loc.commit else "")
    properties: dict[str, Any] = {"family": f.family, "severity": f.severity.value}
    if loc.commit:
        properties["commit"] = loc.commit
    if f.introduced_in:
        properties["introducedIn"] = f.introduced_in
    suppressions = None
    if f.suppression is not None:
        kind = _SUPPRESSION_KIND.get(f.suppression.kind, "external")
        justification = f"{f.suppression.kind}: {f.suppression.detail}".rstrip(": ")
        suppressions = [new(om.Suppression, kind=kind, justification=justification)]
    extra: dict[str, Any] = {"suppressions": suppressions} if suppressions else {}
    if f.copies:  # the same secret elsewhere in the tree: SARIF's relatedLocations, numbered from 1
        extra["related_locations"] = [_copy(index, copy) for index, copy in enumerate(f.copies, 1)]
    return new(om.Result, rule_id=f.rule_id, rule_index=rule_index, level=f.severity.sarif_level,
               message=new(om.Message, text=message), locations=[_location(f)],
               partial_fingerprints={FINGERPRINT_KEY: f.fingerprint}, properties=properties, **extra)


def _copy(index: int, loc: Location) -> Any:
    """A copy of the finding's secret as a SARIF ``relatedLocation`` (no snippet: the line holds the secret)."""
    region = new(om.Region, start_line=loc.line, start_column=loc.column, end_line=loc.end_line,
                 end_column=loc.end_column)
    physical = new(om.PhysicalLocation, artifact_location=_artifact(loc.path), region=region)
    return new(om.Location, id=index, physical_location=physical,
               message=new(om.Message, text="the same secret"))


def _location(f: Finding) -> Any:
    loc = f.location
    region = new(om.Region, start_line=loc.line, start_column=loc.column, end_line=loc.end_line,
                 end_column=loc.end_column,
                 **({"snippet": new(om.ArtifactContent, text=f.snippet)} if f.snippet else {}))
    physical = new(om.PhysicalLocation, artifact_location=_artifact(loc.path), region=region)
    return new(om.Location, physical_location=physical)


def _artifact(path: str) -> Any:
    return new(om.ArtifactLocation, uri=uri_of(path), uri_base_id=SRCROOT)


def uri_of(path: str) -> str:
    """A relative path (``/`` separators) as a relative URI reference: every character outside the
    unreserved set and ``/`` percent-encoded (UTF-8), so ``a b:c.py`` becomes ``a%20b%3Ac.py``."""
    # a non-UTF-8 file name carries lone surrogates (surrogateescape): percent-encode its original bytes
    return quote(path.lstrip("/").encode("utf-8", "surrogateescape"), safe="/")


def _root_location(root: str) -> Any:
    description = new(om.Message, text="The scanned root; result paths are relative to it.")
    path = PurePosixPath(root)
    if not path.is_absolute():
        return new(om.ArtifactLocation, description=description)
    return new(om.ArtifactLocation, uri=path.as_uri().rstrip("/") + "/", description=description)


def _category(category: str | None) -> str:
    """GitHub's run category: ``automationDetails.id`` ends with ``/`` so the whole id is the category."""
    if not category:
        return DEFAULT_CATEGORY
    return category if category.endswith("/") else category + "/"


def _invocation(result: ScanResult, notes: list[Notification]) -> Any:
    return new(om.Invocation, execution_successful=not result.incomplete,
               tool_execution_notifications=[_notification(n) for n in notes])


def _notification(n: Notification) -> Any:
    level = n.level if n.level in ("note", "warning", "error") else "note"
    extra: dict[str, Any] = {}
    if n.path:
        extra["locations"] = [new(om.Location, physical_location=new(
            om.PhysicalLocation, artifact_location=_artifact(n.path)))]
    return new(om.Notification, message=new(om.Message, text=n.message), level=level,
               descriptor=new(om.ReportingDescriptorReference, id=n.kind), **extra)
