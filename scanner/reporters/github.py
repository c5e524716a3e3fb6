"""The GitHub Actions reporter: one workflow-command annotation per finding and notification.

Format: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
(``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE``; ``warning`` and ``notice`` alike).
Escaping follows the runner's own ``escapeData`` / ``escapeProperty`` (actions/toolkit ``command.ts``):
data escapes ``%``, ``\\r``, ``\\n``; property values also escape ``:`` and ``,``.

Paths: the runner resolves a relative ``file=`` against ``$GITHUB_WORKSPACE`` (the checkout), whatever the step's
``working-directory`` (actions/runner issue 765), and drops an annotation whose file does not exist there. So a
path is written relative to the workspace: the scan root's place under ``$GITHUB_WORKSPACE`` is prefixed (outside
Actions, where that variable is unset, the current folder stands in for it). A file name that is not valid UTF-8
cannot be named in a property GitHub could match: its annotation has no ``file=``, and the message starts with the
name C-quoted as git writes it.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from scanner.model import Finding, Notification, ScanResult
from scanner.pathnames import is_undecodable, quote_path
from scanner.redact import escape_control

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def render(result: ScanResult, *, width: int | None = None) -> str:
    """Render ``result`` as workflow commands, one line each: findings (worst first, then by place), then
    error and warning notifications, then a plain summary line (which counts the notes). Paths are made
    relative to ``$GITHUB_WORKSPACE`` (else the current folder) when the scan root lies inside it, since
    GitHub places annotations by workspace-relative path (see the module docstring)."""
    prefix = _prefix(result.root)
    order = sorted(result.findings, key=lambda f: (-f.severity.rank, *f.sort_key()))
    lines = [annotation(f, prefix) for f in order]
    shown = [n for n in result.notifications if n.level != "note"]
    shown.sort(key=lambda n: (n.level != "error", *n.sort_key()))
    lines += [_notification(n, prefix) for n in shown]
    total, suppressed = len(result.findings), len(result.suppressed)
    notes = sum(n.level == "note" for n in result.notifications)
    tail = f", {notes} note{'s' if notes != 1 else ''}" if notes else ""
    tail += " - scan incomplete" if result.incomplete else ""
    lines.append(f"launch-ready: {total} finding{'s' if total != 1 else ''}, {suppressed} suppressed{tail}")
    return "\n".join(lines) + "\n"


def annotation(f: Finding, prefix: str = "") -> str:
    """One finding as a workflow command (``error`` for critical/high, ``warning`` for medium, ``notice``
    for low/info), located on the finding's region and titled with its rule id, slug and severity."""
    loc = f.location
    props = {"file": prefix + loc.path, "line": str(loc.line), "col": str(loc.column),
             "endLine": str(loc.end_line), "endColumn": str(loc.end_column),
             "title": f"{f.rule_id} {f.rule.slug} ({f.severity.value})"}
    message = f.message
    if is_undecodable(loc.path):  # no property value GitHub could match: name it in the message instead
        props = {"title": props["title"]}
        message = f"{quote_path(prefix + loc.path)} line {loc.line}:{loc.column}: {message}"
    if loc.commit:
        message += f" (in commit {loc.commit[:12]}, git history)"
    if f.snippet:
        message += f"\n{f.snippet}"
    message += f"\nFix: {f.rule.fix}" if f.rule.fix else ""
    return _command(_COMMAND[f.severity.sarif_level], props, message)


def _notification(n: Notification, prefix: str) -> str:
    props = {"file": prefix + n.path} if n.path and not is_undecodable(n.path) else {}
    props["title"] = f"launch-ready {n.kind}"
    message = f"{quote_path(prefix + n.path)}: {n.message}" if n.path and not props.get("file") else n.message
    return _command(_COMMAND.get(n.level, "notice"), props, message)


def _command(name: str, props: dict[str, str], message: str) -> str:
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{name} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """GitHub's ``escapeData``: ``%`` -> ``%25``, ``\\r`` -> ``%0D``, ``\\n`` -> ``%0A``; then other control
    characters are escaped as ``\\xNN``, so the repository cannot inject a command or a terminal code."""
    return escape_control(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """GitHub's ``escapeProperty``: ``escapeData`` plus ``:`` -> ``%3A`` and ``,`` -> ``%2C``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _prefix(root: str) -> str:
    """The scan root relative to the GitHub workspace (``$GITHUB_WORKSPACE``, else the current folder), with a
    trailing ``/``, or ``""`` when the root is the workspace or lies outside it."""
    workspace = os.environ.get("GITHUB_WORKSPACE") or os.curdir
    try:
        rel = os.path.relpath(os.path.abspath(root), os.path.abspath(workspace))
    except ValueError:  # another drive on Windows
        return ""
    rel = PurePosixPath(rel.replace(os.sep, "/")).as_posix()
    if rel in (".", "", "..") or rel.startswith("../"):
        return ""
    return rel + "/"
