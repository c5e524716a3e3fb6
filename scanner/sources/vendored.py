"""Third-party and generated trees: which paths are not the team's code, and the facts that say so.

Facts (sources: npm, Yarn Berry, pnpm, Bower, jspm, pip/venv (PEP 405 ``pyvenv.cfg``), conda, PDM (PEP 582),
tox, nox, setuptools, Go modules (``vendor/modules.txt``), Composer (``vendor/autoload.php``), Bundler
(``vendor/bundle``), GitHub linguist's ``linguist-vendored`` / ``linguist-generated`` attributes):

* a folder of one of :data:`DEPENDENCY_DIRS`' names at any depth is a dependency tree;
* a folder holding ``pyvenv.cfg``, ``conda-meta/`` or ``lib/python3.*/site-packages`` is a virtualenv;
* ``vendor/`` is a dependency tree when it holds one of :data:`VENDOR_MARKERS`;
* a copied library file (``static/vendor/``, a committed ``jquery.min.js``) is known by name or licence header;
* ``.gitattributes`` entries marked ``linguist-vendored`` or ``linguist-generated`` (read as data, never by git);
* compiled Python (``__pycache__/X.cpython-311.pyc``, a legacy ``X.pyc``) is generated from ``X.py``: skipped when
  that source is in the scan (its keys are found there), scanned for keys when it is not (a committed ``.pyc``
  of a gitignored ``env.py`` still carries every key of it). A ``.pyc`` in a dependency tree or virtualenv stays
  vendored with the tree.

Built client bundles of the app itself (``.next/static/``, ``dist/``, ``build/static/``) are not vendored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scanner.model import Notification
from scanner.sources.compiled import is_compiled, source_of
from scanner.sources.ignore import RuleFile

#: Folder names that hold a package manager's or tool's tree, with the kind named in the note.
DEPENDENCY_DIRS: dict[str, str] = {
    "node_modules": "npm dependencies", "bower_components": "Bower dependencies",
    "jspm_packages": "jspm dependencies", "site-packages": "Python packages", "dist-packages": "Python packages",
    "__pypackages__": "Python packages (PEP 582)", ".tox": "tox environments", ".nox": "nox environments",
    ".eggs": "setuptools eggs", "__pycache__": "Python bytecode cache", ".mypy_cache": "tool cache",
    ".ruff_cache": "tool cache", ".pytest_cache": "tool cache",
}
#: Yarn Berry's own folders under ``.yarn/`` (``.yarn/releases`` is a committed copy of Yarn itself).
YARN_DIRS = frozenset({"releases", "cache", "unplugged", "sdks"})
#: Files inside ``vendor/`` that show a dependency manager owns it.
VENDOR_MARKERS = {"modules.txt": "Go modules", "autoload.php": "Composer packages", "composer": "Composer packages",
                  "bundle": "Bundler gems"}
#: Files or folders directly inside a folder that make it a virtualenv or conda environment.
VENV_MARKERS = ("pyvenv.cfg", "conda-meta/")
#: Glob pathspecs of every marker file above (a staged scan looks for them without listing the whole index).
#: (A marker may be a file, ``modules.txt``, or a folder, ``bundle/``.)
MARKER_GLOBS = ("**/pyvenv.cfg", "**/conda-meta/**", *(f"**/vendor/{m}" for m in VENDOR_MARKERS),
                *(f"**/vendor/{m}/**" for m in VENDOR_MARKERS))
_SITE_PACKAGES = re.compile(r"(?:^|/)lib/python3[^/]*/site-packages/")
#: Copied front-end libraries recognised by file name (``jquery-3.7.1.min.js``, ``bootstrap.bundle.min.js``).
_LIBRARY_NAME = re.compile(
    r"(?:^|[/])(?:jquery|bootstrap|popper|lodash|underscore|moment|chart|d3|vue|react(?:-dom)?|angular|"
    r"backbone|three|axios|htmx|alpine|socket\.io|highlight|prism|mathjax|katex|marked|dompurify|swiper|"
    r"select2|datatables|fontawesome|font-awesome|tailwind|bulma|semantic|materialize)"
    r"(?:[.-][\w.-]*)?\.(?:min\.)?(?:js|css)$", re.IGNORECASE)
#: A distributed build of a library: minified, bundled, slim or versioned (``jquery-3.7.1.js``). A plain
#: ``chart.js`` or ``axios.js`` may be the team's own module, so a known name alone is not enough.
_BUILT_NAME = re.compile(r"\.(?:min|bundle|slim|umd|esm)\.|[.-]v?\d+\.\d+", re.IGNORECASE)
#: Folders whose files are copied libraries (``static/vendor/``, ``public/lib/``, ``assets/vendor/``). ``web/`` and
#: ``www/`` are often an app's own folder in a monorepo, so their ``lib/`` (Next.js' helpers folder) is the team's code.
_COPIED_DIR = re.compile(r"(?:^|/)(?:(?:static|public|assets)/(?:vendor|vendors|lib|libs|third[_-]?party)|"
                         r"(?:www|web)/(?:vendor|vendors|third[_-]?party))/")
#: The Prisma client that ``prisma generate`` writes into the project (``output = "../lib/generated/prisma"``, Prisma's
#: documented default since 6.6 is ``../generated/prisma``): a bundled runtime and query engines, never the team's
#: code, but it inlines the datasource URL it was generated with.
_PRISMA_CLIENT = re.compile(r"(?:^|/)(?:generated/prisma|prisma/generated|generated/prisma-client)/")
#: The files ``prisma generate`` writes into its output folder.
_PRISMA_FILES = (".js", ".mjs", ".cjs", ".d.ts", ".d.mts", ".json", ".prisma", ".node", ".wasm", ".so", ".dll",
                 ".dylib", ".map")
#: What a copied front-end library is shipped as; a ``.ts``/``.tsx``/``.py`` file under ``public/lib/`` is source.
_ASSET_EXTS = (".js", ".mjs", ".cjs", ".css", ".map", ".json", ".svg", ".woff", ".woff2", ".ttf", ".eot", ".otf",
               ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".wasm", ".txt", ".md", ".html", ".scss", ".less")
#: A licence banner at the top of a minified file: ``/*! jQuery v3.7.1 | (c) OpenJS Foundation | MIT``.
_LICENCE_HEADER = re.compile(rb"^\s*/\*[!*][^\n]{0,200}?(?:\(c\)|copyright|licen[cs]e|@license|v\d+\.\d+)",
                             re.IGNORECASE)
#: The kind of a tree of library files known by name or licence banner (not by their folder): its note names the
#: file when there is one, since the banner heuristic can take a team's own minified file for a library.
LIBRARY_FILES = "copied libraries (known library name or licence banner)"
#: A ``.gitattributes`` linguist pattern marking at least this share of the scan's own files is set aside.
ALL_SHARE = 0.9
#: Stand-in paths for a scan that lists no files (history) when testing a pattern that marks every file.
PROBE_PATHS = ("app.py", "src/app/main.py", ".env", "config/settings.json", "web/src/index.ts", "README.md",
               "Dockerfile", "scripts/deploy.sh")
#: Built output of the team's own app: never vendored (scanned for keys).
_BUNDLE_PREFIXES = (".next/", "dist/", "build/", "out/")
#: Editor local-history copies: VS Code's Local History extension (xyz.local-history) saves a timestamped copy
#: of every edited file under ``.history/`` (its default ``local-history.path``, the workspace root; some set
#: it under ``.vscode/``). They are the team's own code, so a key in one is leaked all the same, but a copy
#: repeats the code rules' findings of the live file as many times as it was saved.
_EDITOR_HISTORY = re.compile(r"(?:^|/)\.history/")


def editor_copy(path: str) -> bool:
    """True when scan-relative ``path`` is an editor's local-history copy (``.history/src/app_20240101.py``):
    scanned for keys only."""
    return _EDITOR_HISTORY.search(path) is not None


def prisma_client(path: str) -> bool:
    """True when scan-relative ``path`` is in the Prisma client ``prisma generate`` wrote into the project
    (``lib/generated/prisma/edge.js``): generated code, but it can inline the datasource URL with its password,
    so it is scanned for keys only. Only what Prisma writes there (JS, type declarations, its schema, query
    engines): a Python or other source file under such a folder is the team's code, scanned in full."""
    return _PRISMA_CLIENT.search(path) is not None and path.endswith(_PRISMA_FILES)


@dataclass(frozen=True)
class Tree:
    """A skipped tree: ``folder`` (relative, ending in ``/``; ``""`` for files matched one by one) and ``kind``."""

    folder: str
    kind: str


class VendoredTrees:
    """Classifies scan-relative paths (``/`` separators) of one listing.

    ``paths`` is every listed file (markers are found among them); ``attributes`` the text of the root
    ``.gitattributes`` (or None); ``head(path)`` returns a file's first bytes (licence sniffing of ``*.min.js``).
    ``partial``: ``paths`` are only part of the repository (the changed files of a staged scan). ``sources``: more
    paths known to exist (the index's ``X.py`` of a staged ``__pycache__/X.cpython-311.pyc``), for
    :meth:`has_source`.
    """

    def __init__(self, paths: Iterable[str], attributes: str | None = None,
                 head: Callable[[str], bytes] | None = None, partial: bool = False,
                 sources: Iterable[str] = ()) -> None:
        paths = list(paths)
        self._partial = partial
        self._listed = frozenset(p for p in (*paths, *sources) if p.endswith(".py"))
        self.venvs = _venv_roots(paths)
        self.vendor_dirs: dict[str, str] = {}
        self._head = head
        #: Warnings about ``.gitattributes`` lines set aside (a linguist pattern that marks every file).
        self.notes: list[Notification] = []
        self._attributes = self._trusted_rules(attributes, paths) if attributes else None

    def _trusted_rules(self, attributes: str, paths: list[str]) -> RuleFile | None:
        """The linguist rules of ``attributes`` without the lines that mark (nearly) every file of the scan: such
        a pattern (``*``, ``**``, ``*.*``, ...) says nothing about a vendored tree and would silence the scan.
        Each setting line is tested alone against the scan's own files (those no folder or virtualenv marker
        already vendors), then all together; each line set aside gets one warning naming it. A partial listing
        (a staged scan's changed files) adds :data:`PROBE_PATHS`, so a commit that only regenerates a generated
        tree keeps its rule; a history scan, which lists no files, tests :data:`PROBE_PATHS` alone."""
        lines = _attribute_lines(attributes)
        own = [p for p in paths if self._by_folder(p) is None and self._by_venv(p) is None]
        own = own + list(PROBE_PATHS) if self._partial or not own else own
        kept = []
        for raw, pattern in lines:
            if not pattern.startswith("!") and _marks_all(RuleFile("", [pattern]), own):
                self.notes.append(_attribute_note(raw, "marks every file of the scan"))
            else:
                kept.append((raw, pattern))
        if kept and _marks_all(RuleFile("", [p for _, p in kept]), own):
            self.notes += [_attribute_note(raw, "with the other linguist lines marks every file of the scan")
                           for raw, pattern in kept if not pattern.startswith("!")]
            kept = []
        return RuleFile("", [p for _, p in kept]) if kept else None

    def add_markers(self, paths: Iterable[str]) -> None:
        """Record the virtualenvs whose markers are among ``paths`` (history meets them as it goes)."""
        found = _venv_roots(paths)
        if found and not set(found) <= set(self.venvs):
            self.venvs = tuple(sorted(set(self.venvs) | set(found), key=len))

    def mark_vendor(self, paths: Iterable[str]) -> None:
        """Record ``vendor/`` folders that hold a dependency manager's marker among ``paths``."""
        for path in paths:
            parts = path.split("/")
            for i, part in enumerate(parts[:-1]):
                if part == "vendor" and parts[i + 1] in VENDOR_MARKERS:
                    self.vendor_dirs["/".join(parts[: i + 1]) + "/"] = VENDOR_MARKERS[parts[i + 1]]

    def classify(self, path: str) -> Tree | None:
        """The vendored tree ``path`` belongs to, or None when it is the team's own file."""
        found = [t for t in (self._by_folder(path), self._by_venv(path), self._by_attributes(path)) if t]
        if found:
            return min(found, key=lambda t: len(t.folder))
        return self._by_file(path)

    def _by_folder(self, path: str) -> Tree | None:
        parts = path.split("/")
        for i, part in enumerate(parts[:-1]):
            folder = "/".join(parts[: i + 1]) + "/"
            if part == "__pycache__" and i == len(parts) - 2 and is_compiled(path):
                continue  # the project's own bytecode: judged by its source (_by_file)
            if part in DEPENDENCY_DIRS:
                return Tree(folder, DEPENDENCY_DIRS[part])
            if part == ".yarn" and parts[i + 1] in YARN_DIRS and i + 2 < len(parts):
                return Tree(folder + parts[i + 1] + "/", "Yarn Berry files")
            if folder in self.vendor_dirs:
                return Tree(folder, self.vendor_dirs[folder])
        return None

    def _by_venv(self, path: str) -> Tree | None:
        for root in self.venvs:
            if in_venv(root, path):
                return Tree(root, "virtualenv")
        match = _SITE_PACKAGES.search(path)
        if match:
            return Tree(path[: match.start() + (match.group(0)[0] == "/")] or "./", "virtualenv")
        return None

    def _by_attributes(self, path: str) -> Tree | None:
        if self._attributes is None or env_like(path) or not self._attributes.verdict(path, False):
            return None
        return Tree(_folder(path), "linguist-vendored or linguist-generated (.gitattributes)")

    def has_source(self, path: str) -> bool:
        """True when compiled Python ``path`` (``pkg/__pycache__/m.cpython-311.pyc``) has its source in the scan."""
        return source_of(path) in self._listed

    def _by_file(self, path: str) -> Tree | None:
        name = path.rsplit("/", 1)[-1]
        if is_compiled(name):
            return None  # scanned for keys (a key its source no longer holds stays in a committed .pyc)
        if name.startswith(".pnp."):
            return Tree("", "Yarn Plug'n'Play loader")
        if path.startswith(_BUNDLE_PREFIXES) or "/.next/" in path:
            return None
        copied = _COPIED_DIR.search(path)
        if copied and name.lower().endswith(_ASSET_EXTS):
            return Tree(path[: copied.end()], "copied libraries")
        named = _LIBRARY_NAME.search(path) is not None
        built = _BUILT_NAME.search(name) is not None
        if (named and built) or ((named or name.endswith((".min.js", ".min.css"))) and self._licensed(path)):
            return Tree(_folder(path), LIBRARY_FILES)
        return None

    def _licensed(self, path: str) -> bool:
        head = self._head(path)[:1024] if self._head is not None else b""
        # webpack/terser put "/*! For license information please see main.js.LICENSE.txt */" on the team's own
        # bundles: that banner says nothing about who wrote the code
        return bool(_LICENCE_HEADER.match(head)) and b"For license information please see" not in head


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] + "/" if "/" in path else ""


#: What a virtualenv or conda environment holds at its root (PEP 405 layout: ``bin``/``Scripts``, ``include``/
#: ``Include``, ``lib``/``Lib``/``lib64``, ``share``; conda adds ``conda-meta``, ``etc``, ``pkgs``, ``Library``,
#: ``DLLs``, ``libs``, ``Tools``, ``man``, ``ssl``, ``compiler_compat``, ``x86_64-conda-linux-gnu``...).
VENV_DIRS = frozenset({"bin", "Scripts", "include", "Include", "lib", "Lib", "lib64", "share", "etc", "man",
                       "conda-meta", "pkgs", "Library", "DLLs", "libs", "Tools", "tcl", "ssl", "compiler_compat",
                       "x86_64-conda-linux-gnu", "x86_64-conda_cos6-linux-gnu", "aarch64-conda-linux-gnu",
                       "licensing", "shell", "condabin", "envs", "var", "sbin", "mkspecs", "plugins", "qml",
                       "translations", "docs"})


def in_venv(root: str, path: str) -> bool:
    """True when ``path`` is part of the virtualenv at ``root`` (its layout folders, or a file at its root that is
    not Python code). A beginner's project created inside the environment folder (``python -m venv myworld``,
    then ``myworld/django_chatbot/…`` committed beside ``myworld/pyvenv.cfg``) is the team's own code."""
    if not path.startswith(root):
        return False
    first, slash, _ = path[len(root):].partition("/")
    return first in VENV_DIRS if slash else not first.endswith(".py")


def _venv_roots(paths: Iterable[str]) -> tuple[str, ...]:
    """Folders that hold ``pyvenv.cfg`` or ``conda-meta/`` among ``paths`` (shortest first)."""
    roots = set()
    for path in paths:
        if path == "pyvenv.cfg" or path.startswith("conda-meta/"):
            continue  # the scan root itself is a virtualenv: scanning it was asked for
        if path.endswith("/pyvenv.cfg"):
            roots.add(path[: -len("pyvenv.cfg")])
        elif "/conda-meta/" in path:
            roots.add(path[: path.index("/conda-meta/") + 1])
    return tuple(sorted(roots, key=len))


def _attribute_lines(text: str) -> list[tuple[str, str]]:
    """The ``.gitattributes`` lines that set (or unset: a negated pattern) linguist-vendored/-generated, as
    ``(line as written, ignore-style pattern)``."""
    lines = []
    for raw in text.splitlines()[:10_000]:
        fields = raw.split()
        if not fields or fields[0].startswith("#"):
            continue
        for attr in fields[1:]:
            name, _, value = attr.lstrip("-!").partition("=")
            if name in ("linguist-vendored", "linguist-generated"):
                unset = attr.startswith(("-", "!")) or value.lower() == "false"
                lines.append((raw.strip(), ("!" if unset else "") + fields[0].lstrip("!")))
    return lines


def has_linguist_lines(text: str | None) -> bool:
    """True when ``.gitattributes`` text marks paths ``linguist-vendored`` or ``linguist-generated``."""
    return bool(text) and bool(_attribute_lines(text or ""))


def _marks_all(rules: RuleFile, paths: list[str]) -> bool:
    """True when ``rules`` mark at least :data:`ALL_SHARE` of ``paths`` (nearly all: a vendored tree is a part
    of a repository, never the whole of it)."""
    marked = sum(1 for p in paths if rules.verdict(p, False))
    return marked > 0 and marked >= ALL_SHARE * len(paths)


def _attribute_note(raw: str, why: str) -> Notification:
    return Notification("warning", f"line {raw!r} {why}: not taken as a vendored tree, those "
                        "files are scanned", ".gitattributes", "vendored-attributes")


def env_like(path: str) -> bool:
    """True for ``.env`` and ``.env.*`` files: the team's own settings, never third-party or generated code."""
    name = path.rsplit("/", 1)[-1]
    return name == ".env" or name.startswith(".env.")
