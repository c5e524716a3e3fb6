"""EXP203 for a Next.js server component that hands a server secret to a client component as a prop
(``<OpenAIKeyProvider serverKey={process.env.OPENAI_API_KEY} />`` in ``app/layout.tsx``, the provider a
``"use client"`` module): React serializes a client component's props into the page (the RSC payload), so the key
reaches every visitor although its name has no public prefix.

Source: React "Server Components" / Next.js "Composition patterns": props passed from a server to a client
component must be serializable and are sent to the browser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scanner.engines.config_files.exposure import public_prefix, secret_looking_name
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.imports import imports_of, resolve
from scanner.engines.semgrep.jstext import has_directive
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

#: ``<Tag ... prop={process.env.NAME ...}``: a JSX element's attribute read straight from the environment (other
#: attributes before it may hold two levels of braces: ``label={`a ${b}`}``).
_PROP = re.compile(r"<([A-Z][\w$.]*)\b(?:[^<>{}]|\{(?:[^{}]|\{[^{}]*\})*\}){0,2000}?\s([\w$-]+)\s*=\s*\{\s*"
                   r"process\.env\.([A-Z][A-Z0-9_]*)\b")
_JSX_FILE = re.compile(r"\.[jt]sx$")


def server_secret_props(docs: Mapping[str, Doc]) -> list[Finding]:
    """EXP203 findings: in each server module (a ``.jsx``/``.tsx`` file without ``"use client"``), a JSX
    attribute of a component imported from a ``"use client"`` project module whose value is a server secret read
    from ``process.env`` (a secret-looking name with no public prefix); one finding per attribute."""
    out: list[Finding] = []
    for doc in docs.values():
        if not _JSX_FILE.search(doc.path) or "process.env." not in doc.text or has_directive(doc.text, "use client"):
            continue
        imported = {local: spec for local, spec, _line in imports_of(doc.text)}
        for found in _PROP.finditer(doc.text):
            tag, prop, name = found.groups()
            spec = imported.get(tag.split(".")[0])
            if spec is None or public_prefix(name) or not secret_looking_name(name):
                continue
            targets = resolve(doc.path, spec, docs)
            client = next((t for t in targets if has_directive(docs[t].text, "use client")), None)
            if client is None:
                continue
            start = found.start(3) - len("process.env.")
            line = doc.text.count("\n", 0, start) + 1
            message = (f"the server component passes {name} to the client component {tag} ({client}) as its "
                       f"{prop} prop: React sends client props to the browser, so every visitor gets the key")
            column = start - doc.text.rfind("\n", 0, start)
            out.append(Finding(rule("EXP203"), Location(doc.path, line, column), message, snippet_of(doc.line(line)),
                               context=f"{tag}.{prop}", match_key=name))
    return out
