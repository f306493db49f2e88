"""`assistant add` and `assistant remove`: change the corpus one document at a time.

Adding copies the original into the corpus folder under a staging name, reads it there,
and writes a new index version that embeds only that document; the copy takes its plain
name only once that version is current (pending.py: a process killed at any moment leaves
the corpus and CURRENT in agreement, and the next writer finishes or undoes it).
Removing renames the document's files to a staging name, writes a version without it,
then moves them to corpus/.removed/ (nothing is deleted). Both hold the index's writers'
lock throughout. What a file must be to be added is admission.py's."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import CorpusError, UnknownDocumentError, UnreadableDocumentError
from ..ingest.corpus import SIDECAR, CorpusFile, file_hash, scan, sidecar_hash, sidecar_of, slug
from ..ingest.documents import Document, load_file, with_province
from ..ingest.formats import Limits
from ..settings import Settings
from . import pending, versions
from .admission import check_document, check_file
from .embedding import Embedder
from .store import BuildReport, Index, load_index, read_manifest, settle, write_index


@dataclass(frozen=True)
class AddReport:
    build: BuildReport | None  # None when nothing could be added
    added: tuple[tuple[str, str], ...]  # (file given, doc id)
    refused: tuple[str, ...]  # one message per file not added
    replaced: str = ""  # the doc id --replace took out


def add_files(settings: Settings, paths: list[Path], embedder: Embedder, province: str | None = None,
              progress: bool = False, force: bool = False, replace_id: str | None = None) -> AddReport:
    """Add each readable new file; say why for each of the others. The reported time
    includes reading (OCR too)."""
    started = time.perf_counter()
    refused, prepared, staged, added = [], {}, [], []
    with versions.writing(settings.index_dir):
        settle(settings)
        current = _current_index(settings)
        known = _Known.of(settings.corpus_dir, current)
        leaving = _replacing(settings, known, replace_id)
        aside = [_stage_removal(settings.corpus_dir, name) for name in leaving]  # its name is free for the new one
        for path in paths:
            try:
                document, corpus_file = _take_in(settings, path, known, province, force,
                                                 replace_id if leaving and len(paths) == 1 else None)
            except CorpusError as exc:
                refused.append(str(exc))
                continue
            prepared[document.source] = document
            staged.append(corpus_file)
            known.take(document)
            added.append((str(path), document.doc_id))
        if not prepared:
            settle(settings)  # nothing staged is left, not even the empty staging folder
            return AddReport(None, (), tuple(refused))
        try:
            report = write_index(settings, embedder, progress=progress, prepared=prepared, loaded=current,
                                 staged=tuple(staged), leaving=frozenset(leaving))
        except BaseException:  # the index was not switched: take the copies back out
            settle(settings)
            raise
        settle(settings)  # CURRENT lists them now: the staged names become plain ones
    report = replace(report, seconds=time.perf_counter() - started)
    return AddReport(report, tuple(added), tuple(refused), replace_id if aside else "")


def remove_document(settings: Settings, doc_id: str, embedder: Embedder) -> BuildReport:
    with versions.writing(settings.index_dir):
        settle(settings)
        match = _corpus_file(settings, doc_id)
        _stage_removal(settings.corpus_dir, match.path.name)
        try:
            return write_index(settings, embedder, leaving=frozenset({match.path.name}))
        finally:  # published: the files go to .removed/; not: they are put back
            settle(settings)


def _corpus_file(settings: Settings, doc_id: str) -> CorpusFile:
    files, _ = scan(settings.corpus_dir)
    match = next((f for f in files if f.doc_id == doc_id), None)
    if match is None:
        known = ", ".join(f.doc_id for f in files) or "(không có)"
        raise UnknownDocumentError(f"không có văn bản «{doc_id}» trong {settings.corpus_dir}; "
                                   f"các văn bản hiện có: {known}")
    return match


def _stage_removal(corpus: Path, name: str) -> str:
    """Rename a document's file and sidecar to their removal staging names."""
    path = corpus / name
    for original in (path, sidecar_of(path)):
        if original.is_file():
            os.replace(original, pending.staged_name(corpus, original, pending.REMOVING))
    return name


def _replacing(settings: Settings, known: "_Known", replace_id: str | None) -> list[str]:
    """`--replace DOC_ID`: the file that goes; the new one may then repeat its text."""
    if not replace_id:
        return []
    match = _corpus_file(settings, replace_id)
    known.forget(replace_id)
    return [match.path.name]


def _current_index(settings: Settings) -> Index | None:
    if read_manifest(settings.index_dir) is None:
        return None
    return load_index(settings, allow_stale=True)


@dataclass
class _Known:
    """What a new file may not repeat, each hashed once: the files of the corpus and the
    documents of the index (by file hash), those documents' texts (by text hash, and whole
    for near copies and the vocabulary a scan is checked against)."""

    by_file: dict[str, str]  # SHA-256 of a file → its doc id
    by_text: dict[str, str]  # hash of a document's text, spaces evened out → its doc id
    texts: dict[str, str]  # doc id → text

    @classmethod
    def of(cls, corpus: Path, index: Index | None) -> "_Known":
        documents = list(index.documents.values()) if index else []
        by_file = {d.sha256: d.doc_id for d in reversed(documents)}
        if corpus.is_dir():
            by_file |= {f.sha256: f.doc_id for f in reversed(scan(corpus)[0])}
        return cls(by_file, {_text_hash(d): d.doc_id for d in reversed(documents)},
                   {d.doc_id: d.text for d in documents})

    def take(self, document: Document) -> None:
        self.by_file.setdefault(document.sha256, document.doc_id)
        self.by_text.setdefault(_text_hash(document), document.doc_id)
        self.texts[document.doc_id] = document.text

    def forget(self, doc_id: str) -> None:
        self.by_file = {k: v for k, v in self.by_file.items() if v != doc_id}
        self.by_text = {k: v for k, v in self.by_text.items() if v != doc_id}
        self.texts.pop(doc_id, None)


def _take_in(settings: Settings, path: Path, known: _Known, province: str | None,
             force: bool, doc_id: str | None = None) -> tuple[Document, CorpusFile]:
    """Check one file, copy it into the corpus under a staging name and read it there;
    on any problem, take the copy back out. `doc_id`: the id it takes (--replace)."""
    check_file(path, settings)
    digest = file_hash(path)
    same = known.by_file.get(digest)
    if same:
        raise UnreadableDocumentError(f"tệp {path.name} đã có trong bộ văn bản (văn bản «{same}», cùng mã băm "
                                      "nội dung SHA-256); không thêm lại")
    corpus = settings.corpus_dir
    corpus.mkdir(parents=True, exist_ok=True)
    target = corpus / f"{doc_id}{path.suffix.lower()}" if doc_id else _free_name(corpus, path)
    staged = pending.staged_name(corpus, target)
    _copy(path, staged)
    try:
        sidecar = sidecar_of(path)
        if sidecar.is_file():
            _copy(sidecar, sidecar_of(staged))
        document = load_file(CorpusFile(target, digest, sidecar_hash(staged)), None, Limits.of(settings),
                             read_from=staged)
        document = check_document(settings, path, document, known.texts, known.by_text.get(_text_hash(document)),
                                  province, force)
        if document.forced:
            _write_sidecar_value(sidecar_of(staged), "forced", True)
        if province:
            document = with_province(document, province)
            _write_province(sidecar_of(staged), document.province)
        if province or document.forced:
            document = replace(document, sidecar_sha256=sidecar_hash(staged))
        return document, CorpusFile(target, digest, document.sidecar_sha256)
    except BaseException:
        _discard(staged)
        raise


def _free_name(corpus: Path, path: Path) -> Path:
    """A plain file name for the copy that no document of the corpus (or a staged one) uses yet."""
    stem, suffix = slug(path.stem), path.suffix.lower()
    staging = corpus / pending.ADDING
    taken = {p.stem for p in corpus.iterdir()} | ({p.stem for p in staging.iterdir()} if staging.is_dir() else set())
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
    _write_sidecar_value(sidecar, "province", province)


def _write_sidecar_value(sidecar: Path, key: str, value) -> None:
    import json

    values = {}
    if sidecar.is_file():
        values = json.loads(sidecar.read_text(encoding="utf-8"))  # already read without error
    values[key] = value
    partial = sidecar.with_name(f".{sidecar.name}.partial")
    partial.write_text(json.dumps(values, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, sidecar)


def _text_hash(document: Document) -> str:
    return hashlib.sha256(" ".join(document.text.split()).encode()).hexdigest()


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    sidecar_of(path).unlink(missing_ok=True)
