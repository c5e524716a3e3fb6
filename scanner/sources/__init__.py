"""Sources turn where text comes from (work tree, index, history) into files and fragments with provenance."""

from __future__ import annotations

from dataclasses import dataclass

#: Why a file is in the scan: tracked or untracked-not-ignored source, an ignored ``.env*`` file (read for
#: client exposure only), a built client bundle (read for keys only), or a staged blob.
ORIGINS = ("source", "ignored-env", "bundle", "staged")


@dataclass(frozen=True)
class ScanFile:
    """One file's text as the scan sees it.

    ``path`` is relative to the scan root with ``/`` separators; ``text`` is the decoded content (at most
    ``MAX_FILE_BYTES`` of it; ``truncated`` says so); ``origin`` is one of ``ORIGINS``. ``base_text`` is the
    previous version (HEAD for a staged scan, REF for ``--since``) when a code rule must compare, else None.
    """

    path: str
    text: str
    origin: str = "source"
    truncated: bool = False
    base_text: str | None = None


@dataclass(frozen=True)
class Fragment:
    """Text for the secrets engine, with provenance: the engine never knows which source it came from.

    ``lines`` are ``(line_number, text)`` pairs (1-based line numbers in ``path`` at ``commit``); for a
    work-tree file these are all its lines, for a commit or a staged change only the added lines.
    ``commit`` is None for the work tree and the index.
    """

    path: str
    lines: tuple[tuple[int, str], ...]
    commit: str | None = None
    origin: str = "source"
