"""Which public env prefixes the app holding a file inlines into its browser bundle, read from the nearest
``package.json``.

A prefix is public only to the build tool that documents it: Next.js inlines ``NEXT_PUBLIC_`` ("Bundling
Environment Variables for the Browser"), Vite ``VITE_`` (``envPrefix``'s default, "Env Variables and Modes"),
Create React App ``REACT_APP_``, Expo ``EXPO_PUBLIC_`` ("Environment variables in Expo"), Nuxt ``NUXT_PUBLIC_``
(public runtime config), Gatsby ``GATSBY_``, SvelteKit and Astro ``PUBLIC_``. An ``EXPO_PUBLIC_`` name read by a
Next.js route handler stays on the server. Frameworks built on Vite (SvelteKit, Astro, Remix with Vite, Nuxt) also
expose ``VITE_`` through ``import.meta.env``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from scanner.engines.config_files.exposure import public_prefix
from scanner.model import ScanFile
from scanner.sources.reading import read_file

#: package.json dependency -> the prefixes that build tool inlines.
BUNDLER_PREFIXES: dict[str, tuple[str, ...]] = {
    "next": ("NEXT_PUBLIC_",),
    "vite": ("VITE_",),
    "react-scripts": ("REACT_APP_",),
    "expo": ("EXPO_PUBLIC_",),
    "nuxt": ("NUXT_PUBLIC_", "VITE_"),
    "gatsby": ("GATSBY_",),
    "@sveltejs/kit": ("PUBLIC_", "VITE_"),
    "astro": ("PUBLIC_", "VITE_"),
    "@remix-run/dev": ("VITE_",),
}
_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
#: How far up from a file to look for its package.json (a monorepo's ``apps/web/src/lib/x.ts`` is 4 deep).
_MAX_UP = 8


def inlined_prefixes(path: str, read: Callable[[str], str | None]) -> frozenset[str] | None:
    """The public prefixes the app holding ``path`` (repository-relative, POSIX) inlines, or None when unknown.

    ``read(rel)`` returns a repository file's text or None. The nearest ``package.json`` at or above the file's
    folder decides: its dependencies name the build tools (``BUNDLER_PREFIXES``). None (every prefix counts) when
    there is no package.json up the tree (a monorepo's root ``.env`` may feed any of its apps), when it cannot be
    parsed, or when it names no build tool we know: an unknown bundler may inline any prefix.
    """
    folder = PurePosixPath(path).parent
    for _ in range(_MAX_UP):
        rel = "package.json" if str(folder) in ("", ".") else f"{folder}/package.json"
        text = read(rel)
        if text is not None:
            return _prefixes_of(text)
        if str(folder) in ("", "."):
            return None
        folder = folder.parent
    return None


@functools.lru_cache(maxsize=64)
def _prefixes_of(text: str) -> frozenset[str] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    names = {name for section in _SECTIONS if isinstance(data.get(section), dict) for name in data[section]}
    found = {p for dep, prefixes in BUNDLER_PREFIXES.items() if dep in names for p in prefixes}
    return frozenset(found) or None


def manifest_reader(root: Path, files: Iterable[ScanFile]) -> Callable[[str], str | None]:
    """A cached ``read(rel)`` for ``inlined_prefixes``: the text of a scanned ``package.json`` in ``files``,
    else the working tree's copy under ``root`` (read without following symlinks), else None."""
    known = {f.path: f.text for f in files if f.path.rsplit("/", 1)[-1] == "package.json"}

    @functools.lru_cache(maxsize=256)
    def read(rel: str) -> str | None:
        if rel in known:
            return known[rel]
        return read_file(root, rel).text

    return read


def inlined_here(name: str, path: str, read: Callable[[str], str | None]) -> bool:
    """False when the app holding ``path`` is known not to inline ``name``'s public prefix (an ``EXPO_PUBLIC_``
    name in a Next.js app); True otherwise, unknown apps included."""
    prefixes = inlined_prefixes(path, read)
    prefix = public_prefix(name.upper())
    return prefixes is None or prefix is None or prefix in prefixes
