"""The index is a folder you can open: each version holds manifest.json,
documents.jsonl, chunks.jsonl, vectors.faiss, the lexical indexes and the accent
table (versions.py says how versions are written and switched). It is rebuilt when
the corpus, the model or the chunking settings change; `write_index` can also write a
new version that embeds only the documents that are new or changed (`assistant add`)."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import CorpusError, IndexError_
from ..ingest.corpus import corpus_hash as files_hash
from ..ingest.corpus import CorpusFile, scan
from ..ingest.documents import Document, load_file
from ..ingest.formats import Limits
from ..ingest.tasks import Task, read_tasks
from ..ingest.structure import Section, TaskField, parse_sections
from ..settings import DEFAULT_CORPUS, Settings
from . import pending, versions
from .admission import too_many_passages
from .accents import AccentRestorer
from . import authenticity
from .chunking import Chunk
from .embedding import Embedder, embedder_identity, identity_of
from .lexical import LexicalIndex, text_keys
from .passage_vectors import passages
from .sentences import SentenceVectors
from .vectors import build_vector_index

FORMAT_VERSION = 7  # 7: sentences embedded under their headings; i/y and abbreviations normalised
_PACKAGE = Path(__file__).resolve().parents[1]
# the modules whose code decides what goes into an index: a change to any makes it stale
_BUILD_MODULES = ("ingest/text", "ingest/documents", "ingest/closing", "ingest/structure", "ingest/provinces", "ingest/corpus",
                  "ingest/formats/__init__", "ingest/formats/layout", "ingest/formats/plain",
                  "ingest/formats/word", "ingest/formats/numbering", "ingest/formats/pdf", "ingest/formats/ocr",
                  "index/chunking", "index/lexical", "index/accents", "index/thesaurus", "index/store",
                  "index/vectors", "index/sentences", "index/passage_vectors", "ingest/formats/columns",
                  "ingest/formats/legacy", "ingest/formats/office", "ingest/normalise")


@dataclass(frozen=True)
class BuildReport:
    documents: int
    chunks: int
    seconds: float
    problems: tuple[str, ...]
    index_dir: Path
    corpus_dir: Path
    replaced_corpus: str | None = None  # the other corpus the replaced index was built from
    version: str = ""
    embedded: int = 0  # passages embedded by this run; the others kept their stored vectors
    added: tuple[str, ...] = ()  # doc ids new in this version
    removed: tuple[str, ...] = ()  # doc ids gone from it


@dataclass
class Index:
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: object  # faiss.Index, inner product over normalised vectors
    lexical: LexicalIndex
    accents: AccentRestorer
    manifest: dict = field(default_factory=dict)
    sentences: SentenceVectors | None = None
    _sections: dict = field(default_factory=dict, repr=False)
    _keys: dict = field(default_factory=dict, repr=False)
    _tasks: dict = field(default_factory=dict, repr=False)

    def chunk_keys(self, chunk_id: int) -> frozenset[str]:
        """The coverage keys of a passage's matching text (computed once, on first use)."""
        if chunk_id not in self._keys:
            self._keys[chunk_id] = text_keys(self.chunks[chunk_id].matching_text())
        return self._keys[chunk_id]

    def tasks(self, doc_id: str) -> tuple[Task, ...]:
        """The document's task records (computed once, on first use)."""
        if doc_id not in self._tasks:
            self._tasks[doc_id] = read_tasks(doc_id, self.documents[doc_id].text, self.sections(doc_id))
        return self._tasks[doc_id]

    def sections(self, doc_id: str) -> list[Section]:
        if doc_id not in self._sections:
            self._sections[doc_id] = parse_sections(self.documents[doc_id].text)
        return self._sections[doc_id]

    @property
    def provinces(self) -> list[str]:
        return sorted({d.province for d in self.documents.values() if d.province})

    @property
    def version(self) -> str:
        return self.manifest.get("version", "")


def code_hash() -> str:
    digest = hashlib.sha256()
    for name in _BUILD_MODULES:
        digest.update((_PACKAGE / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def corpus_hash(folder: Path, sources: dict[str, str] | None = None) -> str:
    """The hash of the corpus as the index version with these `sources` sees it (pending.py)."""
    return files_hash(pending.as_listed(folder, sources))


def read_manifest(index_dir: Path) -> dict | None:
    folder = versions.current(index_dir)
    try:
        manifest = json.loads((folder / versions.MANIFEST).read_text(encoding="utf-8")) if folder else None
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def recorded_corpus(index_dir: Path) -> Path | None:
    """The corpus folder (resolved) an index was built from, or None when unknown."""
    try:
        return Path((read_manifest(index_dir) or {})["corpus_dir_resolved"])
    except (KeyError, TypeError):
        return None


def bind_corpus(settings: Settings, rebuilding: bool = False) -> Settings:
    """Settings whose corpus is the one the index was built from.

    With no corpus given, the index's own is used (the default folder for a new index).
    A corpus given that differs from the recorded one is an error, so an index is never
    checked against, or rebuilt from, another corpus; `rebuilding` (`assistant build`)
    allows it, because replacing the index is then what was asked for."""
    recorded = recorded_corpus(settings.index_dir)
    given = settings.corpus_dir
    if given is None:
        return replace(settings, corpus_dir=recorded or DEFAULT_CORPUS)
    if recorded is not None and given.resolve() != recorded and not rebuilding:
        raise IndexError_(
            f"chỉ mục {settings.index_dir} được xây dựng từ thư mục {recorded}, không phải {given.resolve()}; "
            f"bỏ --corpus để dùng thư mục của chỉ mục, chọn chỉ mục khác bằng --index, hoặc chạy "
            f"`assistant build --corpus {given} --index {settings.index_dir}` để xây dựng lại từ {given}")
    return settings


def build_index(settings: Settings, embedder: Embedder, progress: bool = False) -> BuildReport:
    """Build from `settings.corpus_dir`, embedding every passage; call bind_corpus first."""
    with versions.writing(settings.index_dir):
        settle(settings)
        return write_index(settings, embedder, progress=progress, reuse=False)


def settle(settings: Settings) -> None:
    """Finish or undo a writer killed halfway (pending.py); the writers' lock held."""
    pending.settle(settings.corpus_dir, (read_manifest(settings.index_dir) or {}).get("sources"))


def write_index(settings: Settings, embedder: Embedder, progress: bool = False, reuse: bool = True,
                prepared: dict[str, Document] | None = None, loaded: "Index | None" = None,
                staged: tuple[CorpusFile, ...] = (), leaving: frozenset[str] = frozenset()) -> BuildReport:
    """Write and switch to a new version (the writers' lock held). With `reuse`, documents
    whose file and sidecar are unchanged keep their passages and vectors; `prepared` holds
    documents already read (by `assistant add`), by file name; `loaded` the current version
    when the caller has already loaded it (not loaded again); `staged` the files being added
    (under their final names, still staged: pending.py), `leaving` the names being removed."""
    started = time.perf_counter()
    previous = _reusable(settings, identity_of(embedder), loaded) if reuse else None
    old_ids = set(previous.documents if previous else (read_manifest(settings.index_dir) or {}).get("doc_ids", ()))
    files, problems = scan(settings.corpus_dir)
    files = sorted([f for f in files if f.path.name not in leaving] + list(staged), key=lambda f: f.path.name)
    kept = {d.source: d for d in previous.documents.values()} if previous else {}
    limits = Limits.of(settings)
    documents = []
    for corpus_file in files:
        old = kept.get(corpus_file.path.name)
        if old and (old.sha256, old.sidecar_sha256) == (corpus_file.sha256, corpus_file.sidecar_sha256):
            documents.append(old)
            continue
        try:
            document = (prepared or {}).get(corpus_file.path.name) or load_file(corpus_file, limits=limits)
        except CorpusError as exc:
            problems.append(str(exc))
            continue
        too_long = too_many_passages(corpus_file.path.name, document, settings)
        if too_long:  # before any embedding: one line, the others go on
            problems.append(too_long)
            continue
        documents.append(document)
    if not documents:
        raise CorpusError(f"không có văn bản dùng được trong {settings.corpus_dir}"
                          + (": " + "; ".join(problems) if problems else ""))
    chunks, vectors, sentences, embedded = passages(settings, documents, previous, embedder, progress)
    manifest = {
        "format_version": FORMAT_VERSION,
        "code": code_hash(),
        **settings.fingerprint(),
        "embedder": identity_of(embedder),
        "corpus_dir": str(settings.corpus_dir),
        "corpus_dir_resolved": str(settings.corpus_dir.resolve()),
        "corpus_hash": files_hash(files),
        "sources": {f.path.name: f.sha256 for f in files},
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "documents": len(documents),
        "doc_ids": [d.doc_id for d in documents],
        "chunks": len(chunks),
        "dimension": int(vectors.shape[1]),
        "problems": problems,
    }
    recorded = recorded_corpus(settings.index_dir)
    version = _write(settings.index_dir, documents, chunks, vectors, manifest, sentences)
    new_ids = [d.doc_id for d in documents]
    replaced = str(recorded) if recorded is not None and recorded != settings.corpus_dir.resolve() else None
    return BuildReport(len(documents), len(chunks), time.perf_counter() - started, tuple(problems),
                       settings.index_dir, settings.corpus_dir, replaced, version, embedded,
                       tuple(i for i in new_ids if i not in old_ids), tuple(sorted(old_ids - set(new_ids))))


def _reusable(settings: Settings, identity: str, loaded: "Index | None" = None) -> "Index | None":
    """The current version (`loaded`, or loaded here), when its passages and vectors can
    be kept as they are (same code, settings and embedder)."""
    manifest = read_manifest(settings.index_dir)
    if not manifest or manifest.get("format_version") != FORMAT_VERSION or manifest.get("code") != code_hash():
        return None
    if manifest.get("embedder") != identity:
        return None
    if any(manifest.get(k) != v for k, v in settings.fingerprint().items()):
        return None
    if loaded is not None:
        return loaded
    try:
        return load_index(settings, allow_stale=True)
    except IndexError_:
        return None


def _write(index_dir: Path, documents, chunks, vectors, manifest, sentences: SentenceVectors) -> str:
    import faiss

    version = versions.new_version()
    staging = versions.staging(index_dir, version)
    try:
        faiss.write_index(build_vector_index(vectors), str(staging / "vectors.faiss"))
        _write_jsonl(staging / "documents.jsonl", (asdict(d) for d in documents))
        _write_jsonl(staging / "chunks.jsonl", (asdict(c) for c in chunks))
        sentences.save(staging)
        (staging / "lexical").mkdir()
        LexicalIndex.build([c.matching_text() for c in chunks]).save(staging / "lexical")
        restorer = AccentRestorer.build([d.text for d in documents])
        (staging / "accents.json").write_text(json.dumps(restorer.table, ensure_ascii=False))
        # the manifest goes last and lists every file with its hash: a folder without one is
        # never taken for an index, and a file changed later is found out on load
        manifest = authenticity.sign({**manifest, "version": version, "files": versions.record_files(staging)})
        (staging / versions.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        staging.chmod(0o755)
        versions.publish(index_dir, staging, version)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return version


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def staleness(settings: Settings, identity: str | None = None) -> str | None:
    """Why the index must be (re)built, or None when it is current. `identity` is the
    embedder's (embedding.identity_of): vectors of other weights or another back-end make
    the index stale."""
    if versions.current(settings.index_dir) is None:
        return f"chưa có chỉ mục trong {settings.index_dir}"
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        return f"không đọc được manifest.json của chỉ mục trong {settings.index_dir}"
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("code") != code_hash():
        return "chỉ mục được xây dựng bởi phiên bản khác của trợ lý"
    for key, value in settings.fingerprint().items():
        if manifest.get(key) != value:
            return f"thiết lập {key} đã thay đổi ({manifest.get(key)!r} → {value!r})"
    if identity is not None and manifest.get("embedder") != identity:
        return f"mô hình nhúng đã thay đổi ({manifest.get('embedder')!r} → {identity!r})"
    if settings.corpus_dir.is_dir() and manifest.get("corpus_hash") != corpus_hash(settings.corpus_dir,
                                                                                   manifest.get("sources")):
        return f"các văn bản trong {settings.corpus_dir} đã thay đổi"
    return None


def load_index(settings: Settings, allow_stale: bool = False) -> Index:
    """The current version, its files checked against the hashes in its manifest.
    `allow_stale` loads it even when the corpus or the code changed since."""
    import faiss

    authenticity.check_key_location(settings.index_dir)
    reason = None if allow_stale else staleness(settings)
    if reason:
        raise IndexError_(f"{reason}; hãy chạy `assistant build`")
    folder = versions.current(settings.index_dir)
    if folder is None:
        raise IndexError_(f"chưa có chỉ mục trong {settings.index_dir}; hãy chạy `assistant build`")
    try:
        manifest = json.loads((folder / versions.MANIFEST).read_text(encoding="utf-8"))
        damage = authenticity.problem(manifest) or _misnamed(folder, manifest) \
            or versions.verify(folder, manifest.get("files") or {})
        if damage:
            raise IndexError_(f"chỉ mục trong {settings.index_dir} bị hỏng: {damage}; "
                              "hãy chạy `assistant build` để xây dựng lại")
        documents = [_document(row) for row in _read_jsonl(folder / "documents.jsonl")]
        chunks = [_chunk(row) for row in _read_jsonl(folder / "chunks.jsonl")]
        vectors = faiss.read_index(str(folder / "vectors.faiss"))
        lexical = LexicalIndex.load(folder / "lexical")
        accents = AccentRestorer(json.loads((folder / "accents.json").read_text(encoding="utf-8")))
        sentences = SentenceVectors.load(folder)
    except IndexError_:
        raise
    except Exception as exc:
        raise IndexError_(f"chỉ mục trong {settings.index_dir} bị hỏng ({type(exc).__name__}); "
                          "hãy chạy `assistant build` để xây dựng lại") from exc
    if vectors.ntotal != len(chunks) or lexical.size != len(chunks) or manifest.get("chunks") != len(chunks):
        raise IndexError_(f"chỉ mục trong {settings.index_dir} không nhất quán; hãy chạy `assistant build` "
                          "để xây dựng lại")
    return Index({d.doc_id: d for d in documents}, chunks, vectors, lexical, accents, manifest,
                 sentences=sentences)


def _misnamed(folder: Path, manifest: dict) -> str | None:
    """A version folder must hold its own manifest: a copy of another version's would let
    a reload take the copy for the version it names."""
    if folder.parent.name == versions.VERSIONS and manifest.get("version") != folder.name:
        return f"phiên bản {folder.name} mang manifest của phiên bản {str(manifest.get('version'))[:40]}"
    return None


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _document(row: dict) -> Document:
    row = {k: tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v
           for k, v in row.items()}  # JSON lists back to the tuples of a frozen dataclass
    return Document(**row)


def _chunk(row: dict) -> Chunk:
    row["fields"] = tuple(TaskField(**f) for f in row["fields"])
    return Chunk(**row)
