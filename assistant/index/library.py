"""`assistant add` and `assistant remove`: change the corpus one document at a time.

Adding copies the original into the corpus folder under a plain name, reads it there,
and writes a new index version that embeds only that document; removing moves the
document's files to corpus/.removed/ (nothing is deleted) and writes a version without
it. Both hold the index's writers' lock from the first file operation to the switch, so
the corpus and the index change together; a file that cannot be read is taken back out
of the corpus before anything else happens, and the index is left as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..errors import CorpusError, UnknownDocumentError, UnreadableDocumentError
from ..ingest.corpus import REMOVED, SIDECAR, CorpusFile, file_hash, scan, sidecar_hash, sidecar_of, slug
from ..ingest.documents import Document, load_file
from ..ingest.formats import suffixes
from ..settings import Settings
from . import versions
from .embedding import Embedder
from .store import BuildReport, Index, load_index, read_manifest, write_index


@dataclass(frozen=True)
class AddReport:
    build: BuildReport | None  # None when nothing could be added
    added: tuple[tuple[str, str], ...]  # (file given, doc id)
    refused: tuple[str, ...]  # one message per file not added


def add_files(settings: Settings, paths: list[Path], embedder: Embedder, province: str | None = None,
              progress: bool = False) -> AddReport:
    """Add each readable new file; say why for each of the others."""
    refused, prepared, added = [], {}, []
    with versions.writing(settings.index_dir):
        current = _current_index(settings)
        known = _Known.of(settings.corpus_dir, current)
        for path in paths:
            try:
                document = _take_in(settings.corpus_dir, path, known, province)
            except CorpusError as exc:
                refused.append(str(exc))
                continue
            prepared[document.source] = document
            known.take(document)
            added.append((str(path), document.doc_id))
        if not prepared:
            return AddReport(None, (), tuple(refused))
        try:
            report = write_index(settings, embedder, progress=progress, prepared=prepared, loaded=current)
        except BaseException:
            for document in prepared.values():  # the index was not switched: take the copies back out
                _discard(settings.corpus_dir / document.source)
            raise
    return AddReport(report, tuple(added), tuple(refused))


def remove_document(settings: Settings, doc_id: str, embedder: Embedder) -> BuildReport:
    with versions.writing(settings.index_dir):
        files, _ = scan(settings.corpus_dir)
        match = next((f for f in files if f.doc_id == doc_id), None)
        if match is None:
            known = ", ".join(f.doc_id for f in files) or "(không có)"
            raise UnknownDocumentError(f"không có văn bản «{doc_id}» trong {settings.corpus_dir}; "
                                       f"các văn bản hiện có: {known}")
        moved = _set_aside(settings.corpus_dir, match)
        try:
            return write_index(settings, embedder)
        except BaseException:
            for original, aside in moved:  # the index was not switched: put the files back
                os.replace(aside, original)
            raise


def _current_index(settings: Settings) -> Index | None:
    if read_manifest(settings.index_dir) is None:
        return None
    return load_index(settings, allow_stale=True)


@dataclass
class _Known:
    """What a new file may not repeat, each hashed once: the files of the corpus and the
    documents of the index (by file hash), and those documents' texts (by text hash)."""

    by_file: dict[str, str]  # SHA-256 of a file → its doc id
    by_text: dict[str, str]  # hash of a document's text, spaces evened out → its doc id

    @classmethod
    def of(cls, corpus: Path, index: Index | None) -> "_Known":
        documents = list(index.documents.values()) if index else []
        by_file = {d.sha256: d.doc_id for d in reversed(documents)}
        if corpus.is_dir():
            by_file |= {f.sha256: f.doc_id for f in reversed(scan(corpus)[0])}
        return cls(by_file, {_text_hash(d): d.doc_id for d in reversed(documents)})

    def take(self, document: Document) -> None:
        self.by_file.setdefault(document.sha256, document.doc_id)
        self.by_text.setdefault(_text_hash(document), document.doc_id)


def _take_in(corpus: Path, path: Path, known: _Known, province: str | None) -> Document:
    """Copy one file into the corpus and read it there; on any problem, take it back out."""
    if not path.is_file():
        raise UnreadableDocumentError(f"không tìm thấy tệp {path}" if not path.exists()
                                      else f"{path} không phải một tệp")
    if path.suffix.lower() not in suffixes():
        raise UnreadableDocumentError(f"tệp {path.name}: định dạng «{path.suffix}» chưa được hỗ trợ; "
                                      f"dùng {', '.join(suffixes())}")
    digest = file_hash(path)
    same = known.by_file.get(digest)
    if same:
        raise UnreadableDocumentError(f"tệp {path.name} đã có trong bộ văn bản (văn bản «{same}», cùng mã băm "
                                      "nội dung SHA-256); không thêm lại")
    corpus.mkdir(parents=True, exist_ok=True)
    target = _free_name(corpus, path)
    _copy(path, target)
    try:
        sidecar = sidecar_of(path)
        if sidecar.is_file():
            _copy(sidecar, sidecar_of(target))
        document = load_file(CorpusFile(target, digest, sidecar_hash(target)), province)
        if province:
            _write_province(sidecar_of(target), document.province)
            document = replace(document, sidecar_sha256=sidecar_hash(target))
        same = known.by_text.get(_text_hash(document))
        if same:
            raise UnreadableDocumentError(f"tệp {path.name} có nội dung trùng với văn bản «{same}» đã có "
                                          "(cùng toàn văn); không thêm lại")
        return document
    except BaseException:
        _discard(target)
        raise


def _free_name(corpus: Path, path: Path) -> Path:
    """A plain file name for the copy that no document of the corpus uses yet."""
    stem, suffix = slug(path.stem), path.suffix.lower()
    taken = {p.stem for p in corpus.iterdir()}
    name, n = stem, 2
    while name in taken or (corpus / f"{name}{SIDECAR}").exists():  # an orphan sidecar would apply to it
        name, n = f"{stem}-{n}", n + 1
    return corpus / f"{name}{suffix}"


def _copy(source: Path, target: Path) -> None:
    """Copy through a temporary name, so the corpus never holds half a file."""
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def _write_province(sidecar: Path, province: str) -> None:
    import json

    values = {}
    if sidecar.is_file():
        values = json.loads(sidecar.read_text(encoding="utf-8"))  # already read without error
    values["province"] = province
    partial = sidecar.with_name(f".{sidecar.name}.partial")
    partial.write_text(json.dumps(values, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, sidecar)



def _text_hash(document: Document) -> str:
    return hashlib.sha256(" ".join(document.text.split()).encode()).hexdigest()


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    sidecar_of(path).unlink(missing_ok=True)


def _set_aside(corpus: Path, corpus_file: CorpusFile) -> list[tuple[Path, Path]]:
    """Move a document's file and sidecar into corpus/.removed/, under a dated name."""
    folder = corpus / REMOVED
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    moved = []
    for original in (corpus_file.path, corpus_file.sidecar):
        if original.is_file():
            aside = folder / f"{stamp}-{original.name}"
            os.replace(original, aside)
            moved.append((original, aside))
    return moved
