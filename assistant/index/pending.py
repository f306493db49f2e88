"""Corpus changes that travel with an index version, so `add` and `remove` are never
half done.

A file being added waits in the corpus's staging folder `.adding/`, under its final name
(the corpus scan skips names starting with a dot); a file being removed is first moved to
`.removing/`. The new index version is written and made current (CURRENT, with
os.replace); only then are the staged files settled: `.adding/x.pdf` becomes `x.pdf`,
`.removing/x.pdf` goes to `.removed/`.

A process killed at any moment leaves staged names behind, and what they mean is read
from the current version's manifest, which lists every source file with its SHA-256:
- a staged add whose file the current version lists was published: it counts as its
  final name (and the next writer renames it); otherwise it never was: it counts as
  absent (and the next writer deletes it);
- a staged removal that the current version still lists was never published: it counts
  as present (and the next writer puts it back); otherwise it counts as removed.
Readers only read this view (`as_listed`); writers, holding the lock, make it so
(`settle`). So the corpus and CURRENT always agree, and a retry works.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from ..ingest.corpus import REMOVED, SIDECAR, CorpusFile, file_hash, scan, sidecar_hash

ADDING = ".adding"
REMOVING = ".removing"


def staged_name(corpus: Path, final: Path, kind: str = ADDING) -> Path:
    (corpus / kind).mkdir(exist_ok=True)
    return corpus / kind / final.name


def _staged(corpus: Path) -> list[tuple[Path, str, str]]:
    """(staged path, final name, kind) of every staged file, sidecars included."""
    out = []
    for kind in (ADDING, REMOVING):
        folder = corpus / kind
        if folder.is_dir():
            out += [(path, path.name, kind) for path in sorted(folder.iterdir())
                    if path.is_file() and not path.name.startswith(".")]
    return out


def _published(sources: dict[str, str], final: str, staged: Path, corpus: Path, kind: str) -> bool:
    """Whether the current version holds the change this staged file belongs to."""
    document = _document_name(final, sources)
    if kind == ADDING:
        if final.endswith(SIDECAR):  # a sidecar goes with its document
            doc_path = next((p for p in (corpus / ADDING / document, corpus / document) if document and p.is_file()),
                            None)
            return doc_path is not None and sources.get(document) == file_hash(doc_path)
        return sources.get(final) == file_hash(staged)
    return document not in sources  # a removal is published once the version no longer lists it


def _document_name(final: str, sources: dict[str, str]) -> str:
    if not final.endswith(SIDECAR):
        return final
    stem = final[: -len(SIDECAR)]
    return next((name for name in sources if Path(name).stem == stem), stem)


def as_listed(corpus: Path, sources: dict[str, str] | None) -> list[CorpusFile]:
    """The corpus's documents as the current version sees them (see the module doc)."""
    files, _ = scan(corpus)
    staged = _staged(corpus)
    if not staged or sources is None:
        return files
    by_name = {f.path.name: f for f in files}
    sidecars: dict[str, str] = {}
    for path, final, kind in staged:
        published = _published(sources, final, path, corpus, kind)
        present = published if kind == ADDING else not published
        if final.endswith(SIDECAR):
            if present:
                sidecars[final[: -len(SIDECAR)]] = file_hash(path)
        elif present:
            by_name[final] = CorpusFile(corpus / final, file_hash(path), sidecar_hash(corpus / final))
    out = []
    for name, f in sorted(by_name.items()):
        sidecar = sidecars.get(Path(name).stem)
        out.append(CorpusFile(f.path, f.sha256, sidecar) if sidecar is not None else f)
    return out


def settle(corpus: Path, sources: dict[str, str] | None) -> None:
    """Finish or undo what a killed writer left (the writers' lock held)."""
    for path, final, kind in _staged(corpus):
        published = sources is not None and _published(sources, final, path, corpus, kind)
        if kind == ADDING:
            os.replace(path, corpus / final) if published else path.unlink(missing_ok=True)
        elif published:
            set_aside(corpus, path, final)
        else:
            os.replace(path, corpus / final)
    for folder in (corpus / ADDING, corpus / REMOVING):
        if folder.is_dir():
            for partial in folder.glob(".*.partial"):
                partial.unlink(missing_ok=True)
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass


def set_aside(corpus: Path, path: Path, final: str) -> Path:
    """Move a file into corpus/.removed/, under a dated name (nothing is deleted)."""
    folder = corpus / REMOVED
    folder.mkdir(exist_ok=True)
    aside = folder / f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{final}"
    os.replace(path, aside)
    return aside
