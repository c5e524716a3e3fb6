"""Loading only the catalogue rules that can match: a rule index built once per catalogue version from the
installed package, and per process one kingfisher scanner holding the rules some scanned text may need.

Loading kingfisher's whole catalogue costs about 0.6 s of CPU (from its warm disk cache) and 50 MiB; most texts
can match a dozen of its 488 rules at most. On first use the installed catalogue is read once (its rules'
definitions, ``Rules.detail``) into a cache folder (``$XDG_CACHE_HOME/launch-ready/catalogue/<version>/``, one
rule file each, never committed) with each rule's necessary literals (:mod:`scanner.keys.anchors`). A text then
needs the rules whose literals all occur in it (and the rules those depend on); those rule files are loaded with
``Rules(paths, builtins=False)``, whose compiled database kingfisher caches under the same folder. Rules scoped
to a path (``kubernetes-secret-yaml``: YAML files only) are left out: text scans give no path, and kingfisher
never runs them then. When anything here fails (no writable cache, an unexpected definition), the whole
catalogue is used as before.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.keys import anchors

#: Texts larger than this (code points, all texts of a batch together) load every rule: looking each literal up
#: (one RE2 set pass) costs about 0.015-0.025 s per MiB, loading every rule (but those our detectors own) about
#: 0.2 s once per process, and a text needs few rules (pallets/flask: its tree 41, tree and history 56 of 480;
#: about 1 ms of load each).
LARGE = 8 << 20
#: A load that would hold more than this share of the rules holds every rule instead: the next batch of text then
#: never reloads (a reload reads every rule it holds again, about 1 ms each).
MOST = 0.5
#: Bumped when the index format or the analysis changes: a new folder is built.
INDEX_VERSION = 2
_NAMESPACE = re.compile(r"^(?:betterleaks\.|kingfisher\.|custom\.|veles\.secrets/)")


@dataclass(frozen=True)
class IndexRule:
    """One rule of the index: its id, the literal sets it needs (:func:`anchors.necessary`; empty: always
    loaded), the rules it depends on, and its rule file."""

    rule_id: str
    needs: anchors.Needs
    deps: tuple[str, ...]
    file: str


@dataclass(frozen=True)
class Index:
    """The rule index of one installed catalogue: ``folder`` holds ``index.json`` and ``rules/``."""

    folder: Path
    rules: tuple[IndexRule, ...]
    strings: tuple[str, ...]

    @functools.cached_property
    def by_id(self) -> dict[str, IndexRule]:
        """Rule id -> its row."""
        return {r.rule_id: r for r in self.rules}

    @functools.cached_property
    def _literal_set(self) -> Any:
        """An RE2 set of every literal (``strings``, in order), each matched exactly on UTF-8 bytes."""
        import re2

        options = re2.Options()
        options.never_capture = True
        found = re2.Set.SearchSet(options)
        for number, string in enumerate(self.strings):
            if found.Add(_exact(string)) != number:
                raise AssertionError("RE2 set indexes its patterns in order")
        found.Compile()
        return found

    def present(self, folded: str) -> set[str]:
        """The literals occurring in ``folded``: one RE2 set pass over its UTF-8 bytes (a literal of valid UTF-8
        occurs in a text exactly where its bytes occur in the text's bytes)."""
        return {self.strings[i] for i in self._literal_set.Match(folded.encode("utf-8", "surrogatepass")) or ()}

    @functools.lru_cache(maxsize=4)  # noqa: B019 (one index per process, never freed)
    def every(self, owned: tuple[str, ...] = ()) -> frozenset[str]:
        """Every indexed rule, without those ``owned`` (see :meth:`needed`)."""
        return frozenset(r.rule_id for r in self.rules
                         if not (owned and _NAMESPACE.sub("", r.rule_id).startswith(owned)))

    def needed(self, folded: str, owned: tuple[str, ...] = ()) -> frozenset[str]:
        """The rules that can match the case-folded text ``folded`` (with their dependencies), without those
        whose id (namespace removed) starts with one of ``owned``."""
        present = self.present(folded)
        chosen = {r.rule_id for r in self.rules
                  if all(not present.isdisjoint(need) for need in r.needs)
                  and not (owned and _NAMESPACE.sub("", r.rule_id).startswith(owned))}
        stack = list(chosen)
        while stack:
            rule = self.by_id.get(stack.pop())
            for dep in rule.deps if rule is not None else ():
                if dep not in chosen and dep in self.by_id:
                    chosen.add(dep)
                    stack.append(dep)
        return frozenset(chosen)


def _exact(literal: str) -> str:
    """An RE2 pattern matching exactly ``literal``: ASCII letters and digits as they are, every other character
    as a ``\\x{…}`` escape."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):x}}}" for c in literal)


def cache_root() -> Path:
    """Where launch-ready keeps generated files: ``$LAUNCH_READY_CACHE_DIR``, else the platform's cache folder
    (``$XDG_CACHE_HOME`` or ``~/.cache``; ``~/Library/Caches``; ``%LOCALAPPDATA%``) + ``launch-ready``."""
    env = os.environ.get("LAUNCH_READY_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "launch-ready"


@functools.lru_cache(maxsize=1)
def index() -> Index | None:
    """The rule index of the installed catalogue, built on first use; None when it cannot be built or read
    (the caller then loads the whole catalogue)."""
    try:
        import kingfisher_sdk

        folder = cache_root() / "catalogue" / f"{kingfisher_sdk.__version__}-{INDEX_VERSION}"
        if not (folder / "index.json").exists():
            build(folder)
        return read(folder)
    except Exception:  # no writable cache folder, an unexpected catalogue: fall back to the whole catalogue
        return None


def read(folder: Path) -> Index:
    """The index stored in ``folder``."""
    with open(folder / "index.json", encoding="utf-8") as handle:
        data = json.load(handle)
    rules = tuple(IndexRule(r["id"], tuple(frozenset(n) for n in r["needs"]), tuple(r["deps"]), r["file"])
                  for r in data["rules"])
    strings = tuple(sorted({s for r in rules for need in r.needs for s in need}))
    return Index(folder, rules, strings)


def build(folder: Path) -> None:
    """Write the index of the installed catalogue (every ``confidence="low"`` rule not scoped to a path) into
    ``folder``: one rule file each (its definition as kingfisher's ``detail`` gives it) and ``index.json``.
    Built in a temporary sibling folder and renamed into place (two processes may build at once)."""
    import kingfisher_sdk

    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    rules = kingfisher_sdk.Rules(confidence="low")
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=folder.parent))
    (work / "rules").mkdir()
    rows = []
    for number, meta in enumerate(rules.metadata()):
        detail = dict(rules.detail(meta["id"]))
        if detail.get("path"):
            continue  # scoped to a path: never runs on a text scan
        regex = detail.pop("detection_regex", None) or detail["pattern"]
        try:
            needs = anchors.necessary(regex)
        except (anchors.Unsupported, ValueError, IndexError):
            needs = ()  # unknown syntax: always loaded
        name = f"rules/{number:04d}.yaml"
        with open(work / name, "w", encoding="utf-8") as handle:
            json.dump({"rules": [detail]}, handle)  # JSON is YAML
        rows.append({"id": meta["id"], "needs": [sorted(n) for n in needs],
                     "deps": [d["rule_id"] for d in detail.get("depends_on_rule") or ()], "file": name})
    with open(work / "index.json", "w", encoding="utf-8") as handle:
        json.dump({"version": INDEX_VERSION, "rules": rows}, handle)
    try:
        os.replace(work, folder)
    except OSError:  # another process built it first
        shutil.rmtree(work, ignore_errors=True)


class _Loaded:
    """This process's scanner and the rule ids it holds."""

    ids: frozenset[str] = frozenset()
    scanner: Any = None


def scanner_for(texts: Iterable[str], owned: tuple[str, ...] = ()) -> Any:
    """A kingfisher scanner holding every rule that can match one of ``texts`` (the one already loaded in this
    process when it holds them all; else one loaded with them and those it held); None when no rule can
    match. Without an index, the whole catalogue."""
    idx = index()
    if idx is None:
        from scanner.keys.catalogue import _full_scanner

        return _full_scanner()
    every = idx.every(owned)
    if _Loaded.ids >= every:
        return _Loaded.scanner
    texts = list(texts)
    # looking each literal up in much text costs more than loading every rule
    ids = every if sum(map(len, texts)) > LARGE else idx.needed("\n".join(texts).casefold(), owned)
    if not ids:
        return None
    if not ids <= _Loaded.ids:
        ids |= _Loaded.ids
        if len(ids) > len(every) * MOST:  # most rules already: load them all once, never again in this process
            ids |= every
        try:
            _Loaded.scanner = _load(idx, ids)
        except Exception:  # an unreadable rule file, a definition this kingfisher rejects
            from scanner.keys.catalogue import _full_scanner

            return _full_scanner()
        _Loaded.ids = ids
    return _Loaded.scanner


def _load(idx: Index, ids: frozenset[str]) -> Any:
    import kingfisher_sdk

    paths = [str(idx.folder / idx.by_id[i].file) for i in sorted(ids)]
    rules = kingfisher_sdk.Rules(paths, builtins=False, confidence="low", cache_dir=idx.folder / "compiled")
    return kingfisher_sdk.Scanner(rules, base64=False, dedup=False, redact=False)
