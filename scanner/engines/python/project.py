"""The project around a file: other Python files by module name, parsed on demand and cached.

Rules read other files through this: the module that defines a FastAPI dependency, Django ``urls.py`` and
settings modules. Files come from the scan's own file list; a module that is not in it (a staged scan sees
only staged files) is looked up under the root with the hardened reader, never following a symlink.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import libcst as cst

from scanner.engines.launch.apps import served_modules
from scanner.engines.python.names import ImportMap, module_name
from scanner.engines.python.parsing import parse
from scanner.model import Notification
from scanner.sources.reading import read_file

#: Most bytes of a helper module read from disk for cross-file lookups.
MAX_HELPER_BYTES = 1_000_000


def module_of(path: str) -> str:
    """Dotted module name of a project path: ``app/routers/chat.py`` -> ``app.routers.chat``."""
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def same_module(a: str, b: str) -> bool:
    """True when two dotted names may be one module, allowing for a source root (``src.app`` vs ``app``)."""
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def absolute(qualified: str, from_path: str) -> str:
    """Resolve a relative qualified name (``.views.index``) against the module of ``from_path``."""
    if not qualified.startswith("."):
        return qualified
    dots = len(qualified) - len(qualified.lstrip("."))
    package = module_of(from_path).split(".")
    if not from_path.endswith("__init__.py"):
        package = package[:-1]
    package = package[: max(0, len(package) - (dots - 1))]
    return ".".join([*package, qualified.lstrip(".")]).strip(".")


class Project:
    """The Python files of one scan: ``texts`` maps relative path -> text; ``root`` is the scan root. ``served``
    holds the dotted modules the deployment files serve with an ASGI/WSGI server (``gunicorn app:app``); by default
    they are read from the run files (Dockerfile, Procfile...) among ``texts``."""

    def __init__(self, root: Path, texts: Mapping[str, str], served: frozenset[str] | None = None) -> None:
        self.root = root
        self.texts = dict(texts)
        self.served = served_modules(self.texts) if served is None else served
        self._modules: dict[str, cst.Module | None] = {}
        self._imports: dict[str, ImportMap] = {}
        self.facts_cache: dict[str, object] = {}
        self._by_suffix: dict[str, str] | None = None
        self._by_module: dict[str, str] | None = None

    def files_containing(self, *needles: str) -> Iterator[str]:
        """Paths (sorted) of project Python files whose text contains any of ``needles``."""
        for path in sorted(self.texts):
            if any(n in self.texts[path] for n in needles):
                yield path

    def _index_modules(self) -> None:
        """Module name -> first path, and every dotted suffix of a module name -> first path (``find_module``
        was a scan of every file per lookup)."""
        self._by_suffix, self._by_module = {}, {}
        for path in sorted(self.texts):
            if not path.endswith(".py"):
                continue
            name = module_of(path)
            self._by_module.setdefault(name, path)
            parts = name.split(".")
            for i in range(len(parts)):
                self._by_suffix.setdefault(".".join(parts[i:]), path)

    def module(self, path: str) -> cst.Module | None:
        """The parsed module at ``path`` (cached), or None when it cannot be read or parsed."""
        if path not in self._modules:
            text = self.texts.get(path)
            if text is None:
                result = read_file(self.root, path, MAX_HELPER_BYTES)
                text = result.text
            parsed = parse(path, text) if text is not None else None
            self._modules[path] = None if isinstance(parsed, Notification) else parsed
        return self._modules[path]

    def imports(self, path: str) -> ImportMap:
        """The import map of the module at ``path`` (empty when it does not parse)."""
        if path not in self._imports:
            module = self.module(path)
            self._imports[path] = ImportMap()  # a module star-importing itself (or a cycle) ends here
            if module is not None:
                self._imports[path] = self.with_star_imports(path, module, ImportMap.of(module))
        return self._imports[path]

    def with_star_imports(self, path: str, module: cst.Module, imports: ImportMap) -> ImportMap:
        """``imports`` plus what the module's ``from <project module> import *`` statements bind (set 25
        Django-Google-Gemini-Chatbot: ``from .utils import *`` brings the model helper into the views): the
        target's public top-level functions, classes and the names it imports, unless the module binds the name
        itself. Library star imports are ``ImportMap``'s concern."""
        for stmt in module.body:
            small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
            if not (isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar)):
                continue
            target_name = absolute(module_name(small), path)
            target = self.find_module(target_name)
            target_module = self.module(target) if target is not None and target != path else None
            if target is None or target_module is None:
                continue
            for node in target_module.body:
                if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and not node.name.value.startswith("_"):
                    imports.aliases.setdefault(node.name.value, f"{target_name}.{node.name.value}")
            for name, bound in self.imports(target).aliases.items():
                if not name.startswith("_"):
                    imports.aliases.setdefault(name, absolute(bound, target) if bound.startswith(".") else bound)
        return imports

    def find_module(self, dotted_module: str) -> str | None:
        """The project path of a dotted module, from the scan's files or found under the root (the first path in
        sorted order whose module is ``dotted_module`` allowing for a source root, see ``same_module``)."""
        if self._by_suffix is None:
            self._index_modules()
        assert self._by_suffix is not None and self._by_module is not None
        parts = dotted_module.split(".")
        found = [self._by_suffix.get(dotted_module)]
        found += [self._by_module.get(".".join(parts[i:])) for i in range(1, len(parts))]
        hits = [p for p in found if p is not None]
        if hits:
            return min(hits)
        base = dotted_module.replace(".", "/")
        for candidate in (f"{base}.py", f"{base}/__init__.py", f"src/{base}.py"):
            if (self.root / candidate).is_file() and self.module(candidate) is not None:
                return candidate
        return None

    def definition(self, qualified: str, from_path: str, hops: int = 2) -> \
            tuple[str, cst.FunctionDef | cst.ClassDef] | None:
        """The top-level function or class a qualified name refers to, with its file, or None. A name the module
        only re-exports (a package's ``__init__.py`` holding ``from .get_users import get_users``) is followed to
        its definition, at most ``hops`` imports deep."""
        full = absolute(qualified, from_path)
        mod, _, name = full.rpartition(".")
        path = from_path if not mod else self.find_module(mod)
        if path is None or not name:
            return None
        module = self.module(path)
        if module is None:
            return None
        found = top_level_definition(module, name)
        if found is None and hops > 0 and path != from_path:
            target = self.imports(path).aliases.get(name)
            if target is not None and target != full and "." in target.strip("."):
                return self.definition(target, path, hops - 1)
        return None if found is None else (path, found)

    def assignment(self, qualified: str, from_path: str) -> tuple[str, cst.BaseExpression] | None:
        """The value of a module-level ``NAME = value`` a qualified name refers to (type aliases such as
        ``CurrentUser = Annotated[User, Depends(get_current_user)]``), with its file, or None."""
        full = absolute(qualified, from_path)
        mod, _, name = full.rpartition(".")
        path = from_path if not mod else self.find_module(mod)
        module = self.module(path) if path is not None else None
        if module is None or path is None:
            return None
        for stmt in module.body:
            small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
            if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name) and \
                    small.targets[0].target.value == name:
                return path, small.value
        return None

    def local_definition(self, module: cst.Module, name: str) -> cst.FunctionDef | cst.ClassDef | None:
        """The top-level function or class ``name`` in an already parsed module."""
        return top_level_definition(module, name)


#: The statements of one block of a compound statement.
_Block = Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement]


def top_level_definition(module: cst.Module, name: str) -> cst.FunctionDef | cst.ClassDef | None:
    """The module-level function or class ``name``: defined in the module's body, or in a module-level
    ``if``/``else``, ``try``/``except`` or ``with`` block (``if not API_KEY: def ask(...): return "not
    configured"`` / ``else: def ask(...): <the model call>``). Of several definitions the longest wins: the
    working one, not the stub beside it."""
    found = [d for d in _module_level_defs(module.body) if d.name.value == name]
    if len(found) <= 1:
        return found[0] if found else None
    return max(found, key=lambda d: len(module.code_for_node(d)))


def _module_level_defs(body: _Block, depth: int = 0) -> Iterator[cst.FunctionDef | cst.ClassDef]:
    """The functions and classes of ``body`` and of its ``if``/``try``/``with`` blocks, three levels deep."""
    for stmt in body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            yield stmt
        elif depth < 3 and isinstance(stmt, (cst.If, cst.Try, cst.With)):
            for block in _blocks(stmt):
                yield from _module_level_defs(block, depth + 1)


def _blocks(stmt: cst.If | cst.Try | cst.With) -> Iterator[_Block]:
    """The statement lists of a compound statement's branches (``if``/``elif``/``else``, ``try``/``except``/
    ``else``/``finally``, ``with``)."""
    if isinstance(stmt.body, cst.IndentedBlock):
        yield stmt.body.body
    if isinstance(stmt, cst.If):
        orelse = stmt.orelse
        if isinstance(orelse, cst.If):
            yield from _blocks(orelse)
        elif isinstance(orelse, cst.Else) and isinstance(orelse.body, cst.IndentedBlock):
            yield orelse.body.body
    elif isinstance(stmt, cst.Try):
        for part in (*stmt.handlers, stmt.orelse, stmt.finalbody):
            if part is not None and isinstance(part.body, cst.IndentedBlock):
                yield part.body.body
