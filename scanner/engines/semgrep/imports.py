"""ES imports and CommonJS requires of a JS/TS module, and resolving a relative or ``@/`` specifier to a file."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Container, Iterable, Mapping
from contextvars import ContextVar

_IMPORTS = re.compile(
    r"import\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+(\w+))?\s*from\s*[\"']([^\"']+)[\"']|"
    r"(?:const|let|var)\s+(?:(\w+)|\{([^}]*)\})\s*=\s*require\(\s*[\"']([^\"']+)[\"']\s*\)")
#: How many calls (and imports) deep the cross-module join follows a route handler: its controller, then the
#: service, then the helper that calls the model or the database (``resolveQuery`` -> ``resolveQueryInternal`` ->
#: ``correctSpelling`` fetching the model: a thin wrapper in front of the worker is common).
CALL_DEPTH = 3
_EXTENSIONS = (".ts", ".js", ".tsx", ".jsx", ".mjs", ".cjs", "/index.ts", "/index.js", "/index.tsx")


def _names(spec: str) -> list[str]:
    """Local names bound by an import list (``a, b as c``, ``a: c`` -> ``a``, ``c``)."""
    return [local for local, _ in _pairs(spec)]


def _pairs(spec: str) -> list[tuple[str, str]]:
    """``(local name, exported name)`` of an import list (``a, b as c``, ``a: c`` -> ``(a, a)``, ``(c, b)``)."""
    out = []
    for part in spec.split(","):
        part = part.strip().removeprefix("type ").strip()
        if part:
            pieces = [p.strip() for p in re.split(r"\s+as\s+|\s*:\s*", part)]
            out.append((pieces[-1], pieces[0]))
    return out


def imports_of(text: str) -> list[tuple[str, str, int]]:
    """``(local name, module spec, 1-based line)`` for every ES import and CommonJS require in ``text``."""
    out = []
    line, counted = 1, 0  # newlines counted so far, up to ``counted`` (linear in the text, not per import)
    for found in _IMPORTS.finditer(text):
        line += text.count("\n", counted, found.start())
        counted = found.start()
        default = found.group(1) or found.group(3) or found.group(5)
        group = found.group(2) or found.group(6)
        spec = found.group(4) or found.group(7)
        names = ([default] if default else []) + (_names(group) if group else [])
        out += [(n, spec, line) for n in names]
    return out


def exported_name(text: str, local: str) -> str:
    """The name a module exports under which ``text`` imports ``local`` (``sendPrompt`` for ``import {
    sendPrompt as ask }`` and ``ask``); ``local`` itself for default, namespace and whole-module imports."""
    for found in _IMPORTS.finditer(text):
        group = found.group(2) or found.group(6)
        for name, exported in _pairs(group) if group else []:
            if name == local:
                return exported
    return local


#: ``export * from "./ai"`` / ``export { ask, send as sendPrompt } from "./ai"``: a barrel's re-exports.
_REEXPORT = re.compile(r"export\s+(?:\*(?:\s+as\s+\w+)?|\{([^}]*)\})\s*from\s*[\"']([^\"']+)[\"']")


def reexports(text: str, name: str) -> list[str]:
    """Specifiers a module re-exports ``name`` from (``export *`` re-exports every name), in order; with the
    name each one exports it under (``send`` for ``export { send as sendPrompt }`` and ``sendPrompt``)."""
    out = []
    for found in _REEXPORT.finditer(text):
        if found.group(1) is None:
            out.append(f"{found.group(2)}#{name}")
            continue
        for local, exported in _pairs(found.group(1)):
            if local == name:
                out.append(f"{found.group(2)}#{exported}")
    return out


def namespace_source(text: str, name: str) -> list[str]:
    """Specifiers a module binds ``name`` to as a whole module: ``import * as name from "./x"`` (then exported
    with ``export { name }``) or ``export * as name from "./x"``; a barrel of controllers or services does this
    (``ChatController.addInteraction`` imported from ``controllers/index.js``)."""
    pattern = rf"""\b(?:import|export)\s*\*\s*as\s+{re.escape(name)}\s+from\s*["']([^"'\n]+)["']"""
    return re.findall(pattern, text)


#: Lines a barrel module is made of: comments, ``import ... from``/``export ... from``/``export { a }``/``export
#: default name``, and the names inside a multi-line ``{ ... }`` (checked line by line: linear in the text).
_BARREL_LINE = re.compile(
    r"""(?://|/?\*|\*/).*"""
    r"""|import\b[^()=]*"""
    r"""|export\s*(?:\*|\{|type\s*\{)[^()=]*"""
    r"""|export\s+default\s+[A-Za-z_$][\w$]*\s*;?"""
    r"""|[\w$,\s]*(?:\}[^()=]*)?""")
#: Barrels are small; a bigger module is never one (and is not scanned for it).
_BARREL_MAX = 20_000


def _is_barrel(text: str) -> bool:
    """True for a module of import and export statements only (``controllers/index.js``)."""
    return len(text) <= _BARREL_MAX and "export" in text and \
        all(_BARREL_LINE.fullmatch(line.strip()) for line in text.splitlines())


def import_closure(paths: Iterable[str], texts: Mapping[str, str], depth: int) -> set[str]:
    """Project files (keys of ``texts``) that ``paths`` import or re-export from, directly or through at most
    ``depth`` modules in all (cycle-safe; packages and ``import type`` are not followed)."""
    seen: set[str] = set()
    frontier = list(paths)
    for _ in range(depth):
        found: list[str] = []
        queue = list(frontier)
        while queue:
            path = queue.pop()
            text = texts[path]
            specs = [found.group(4) or found.group(7) for found in _IMPORTS.finditer(text)
                     if not found.group(0).startswith("import type")]  # types carry no calls
            specs += [found.group(2) for found in _REEXPORT.finditer(text)]
            for spec in specs:
                for target in resolve(path, spec, texts):
                    if target in seen or target in found:
                        continue
                    found.append(target)
                    if _is_barrel(texts[target]):
                        queue.append(target)  # an index that only re-exports is no hop of its own
        seen.update(found)
        frontier = list(dict.fromkeys(found))
    return seen


#: Path aliases of the scan's ``tsconfig.json``/``jsconfig.json`` files: ``(prefix, target folder)`` pairs such as
#: ``("@cmn/", "src/common/")`` for ``"paths": {"@cmn/*": ["src/common/*"]}`` (set by the engine per scan).
PATH_ALIASES: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("path_aliases", default=())
_JSON_COMMENT = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)


def path_aliases(configs: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The ``compilerOptions.paths`` aliases of TypeScript/JavaScript configs (path -> text; JSON with comments
    and trailing commas, as tsc reads it), each target joined to its config's folder and ``baseUrl``; a config
    that does not parse gives none. TypeScript docs, "paths"."""
    out: list[tuple[str, str]] = []
    for path, text in sorted(configs.items()):
        plain = _JSON_COMMENT.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
        try:
            options = json.loads(re.sub(r",(\s*[}\]])", r"\1", plain)).get("compilerOptions") or {}
        except (ValueError, AttributeError):
            continue
        paths = options.get("paths") if isinstance(options, dict) else None
        if not isinstance(paths, dict):
            continue
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        base = _join(folder, str(options.get("baseUrl") or "."))
        for alias, targets in paths.items():
            if not isinstance(alias, str) or not alias.endswith("/*") or not isinstance(targets, list):
                continue
            for target in targets:
                if isinstance(target, str) and target.endswith("/*"):
                    joined = _join(base, target[:-2])
                    out.append((alias[:-1], f"{joined}/" if joined else ""))
    return tuple(out)


def resolve(importer: str, spec: str, files: Container[str]) -> list[str]:
    """Project files (members of ``files``) a specifier of ``importer`` can name: relative specifiers, the
    ``@/`` / ``~/`` root aliases (tried at the root and under ``src/``) and the scan's tsconfig path aliases
    (``PATH_ALIASES``); packages resolve to nothing."""
    aliased = [target + spec[len(prefix):] for prefix, target in PATH_ALIASES.get() if spec.startswith(prefix)]
    if aliased:
        found = [c for stem in aliased
                 for c in (stem, *(re.sub(r"\.(js|ts|mjs|cjs|jsx|tsx)$", "", stem) + e for e in _EXTENSIONS))
                 if c in files]
        if found:
            return list(dict.fromkeys(found))
    if spec.startswith(("@/", "~/")):
        # the alias names the package root (``src/`` or not); in a monorepo that is the importer's nearest
        # ancestor folder holding the target (``apps/web/src/lib/x`` for ``@/lib/x``)
        parts = importer.split("/")[:-1]
        bases = ["/".join(parts[:i]) + "/" for i in range(len(parts), 0, -1)] + [""]
        stems = [b + p + spec[2:] for b in bases for p in ("", "src/")]
    elif spec.startswith("."):
        stems = [_join(importer.rsplit("/", 1)[0] if "/" in importer else "", spec)]
    else:
        return []
    out: list[str] = []
    for stem in stems:
        bare = re.sub(r"\.(js|ts|mjs|cjs|jsx|tsx)$", "", stem)
        out += [c for c in (stem, *(bare + e for e in _EXTENSIONS)) if c in files and c not in out]
        if out and spec.startswith(("@/", "~/")):
            return out
    if not out and isinstance(files, Collection):
        # a specifier whose case differs from the file's (``./controller/GenerateText.js`` for
        # ``generateText.js``): it resolves on the macOS and Windows file systems the app was written on (set 25)
        lower = _lower_index(files)
        for stem in stems:
            bare = re.sub(r"\.(js|ts|mjs|cjs|jsx|tsx)$", "", stem)
            out += [lower[c.lower()] for c in (stem, *(bare + e for e in _EXTENSIONS))
                    if c.lower() in lower and lower[c.lower()] not in out]
    return out


#: Per file collection (the collection itself is held, so its id is not reused; its size is checked):
#: lower-cased path -> path. A scan uses a few collections.
_LOWER: dict[int, tuple[Collection[str], int, dict[str, str]]] = {}
_LOWER_KEPT = 8


def _lower_index(files: Collection[str]) -> dict[str, str]:
    """Lower-cased path -> the first path of ``files`` with it (memoised per collection)."""
    cached = _LOWER.get(id(files))
    if cached is not None and cached[0] is files and cached[1] == len(files):
        return cached[2]
    index: dict[str, str] = {}
    for path in sorted(files):
        index.setdefault(path.lower(), path)
    if len(_LOWER) >= _LOWER_KEPT:
        _LOWER.clear()
    _LOWER[id(files)] = (files, len(files), index)
    return index


def _join(base: str, spec: str) -> str:
    parts = [p for p in base.split("/") if p]
    for piece in spec.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)
