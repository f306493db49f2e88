"""The index is a folder you can open: manifest.json, documents.jsonl,
chunks.jsonl, vectors.faiss, the lexical indexes and the accent table.
It is rebuilt when the corpus, the model or the chunking settings change."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from ..errors import CorpusError, IndexError_
from ..ingest.documents import Document, read_corpus
from ..ingest.structure import Section, TaskField, parse_sections
from ..settings import DEFAULT_CORPUS, Settings
from .accents import AccentRestorer
from .chunking import Chunk, chunk_documents
from .embedding import Embedder
from .lexical import LexicalIndex

FORMAT_VERSION = 5
_PACKAGE = Path(__file__).resolve().parents[1]
# the modules whose code decides what goes into an index: a change to any makes it stale
_BUILD_MODULES = ("ingest/text", "ingest/documents", "ingest/structure", "ingest/provinces",
                  "index/chunking", "index/lexical", "index/accents", "index/thesaurus", "index/store")


@dataclass(frozen=True)
class BuildReport:
    documents: int
    chunks: int
    seconds: float
    problems: tuple[str, ...]
    index_dir: Path
    corpus_dir: Path
    replaced_corpus: str | None = None  # the other corpus the replaced index was built from


@dataclass
class Index:
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: object  # faiss.Index, inner product over normalised vectors
    lexical: LexicalIndex
    accents: AccentRestorer
    manifest: dict = field(default_factory=dict)
    _sections: dict = field(default_factory=dict, repr=False)

    def sections(self, doc_id: str) -> list[Section]:
        if doc_id not in self._sections:
            self._sections[doc_id] = parse_sections(self.documents[doc_id].text)
        return self._sections[doc_id]

    @property
    def provinces(self) -> list[str]:
        return sorted({d.province for d in self.documents.values() if d.province})


def code_hash() -> str:
    digest = hashlib.sha256()
    for name in _BUILD_MODULES:
        digest.update((_PACKAGE / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def corpus_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.meta.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def recorded_corpus(index_dir: Path) -> Path | None:
    """The corpus folder (resolved) an index was built from, or None when unknown."""
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
        return Path(manifest["corpus_dir_resolved"])
    except (OSError, ValueError, KeyError, TypeError):
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
    """Build from `settings.corpus_dir`; call bind_corpus first so that it is set."""
    started = time.perf_counter()
    previous = recorded_corpus(settings.index_dir)
    documents, problems = read_corpus(settings.corpus_dir)
    if not documents:
        raise CorpusError(f"không có văn bản .txt dùng được trong {settings.corpus_dir}"
                          + (": " + "; ".join(problems) if problems else ""))
    chunks = chunk_documents(documents, settings.chunk_size)
    texts = [c.matching_text() for c in chunks]
    vectors = embedder.embed_passages(texts, progress=progress)
    manifest = {
        "format_version": FORMAT_VERSION,
        "code": code_hash(),
        **settings.fingerprint(),
        "corpus_dir": str(settings.corpus_dir),
        "corpus_dir_resolved": str(settings.corpus_dir.resolve()),
        "corpus_hash": corpus_hash(settings.corpus_dir),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "documents": len(documents),
        "chunks": len(chunks),
        "dimension": int(vectors.shape[1]),
        "problems": problems,
    }
    _write(settings.index_dir, documents, chunks, vectors, texts, manifest)
    replaced = str(previous) if previous is not None and previous != settings.corpus_dir.resolve() else None
    return BuildReport(len(documents), len(chunks), time.perf_counter() - started,
                       tuple(problems), settings.index_dir, settings.corpus_dir, replaced)


def _write(target: Path, documents, chunks, vectors, texts, manifest) -> None:
    import faiss

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        vector_index = faiss.IndexFlatIP(vectors.shape[1])
        vector_index.add(vectors)
        faiss.write_index(vector_index, str(staging / "vectors.faiss"))
        _write_jsonl(staging / "documents.jsonl", (asdict(d) for d in documents))
        _write_jsonl(staging / "chunks.jsonl", (asdict(c) for c in chunks))
        (staging / "lexical").mkdir()
        LexicalIndex.build(texts).save(staging / "lexical")
        restorer = AccentRestorer.build([d.text for d in documents])
        (staging / "accents.json").write_text(json.dumps(restorer.table, ensure_ascii=False))
        # the manifest goes last: a folder without one is never taken for an index
        (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        staging.chmod(0o755)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def staleness(settings: Settings) -> str | None:
    """Why the index must be (re)built, or None when it is current."""
    manifest_path = settings.index_dir / "manifest.json"
    if not manifest_path.is_file():
        return f"chưa có chỉ mục trong {settings.index_dir}"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"không đọc được manifest.json của chỉ mục trong {settings.index_dir}"
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("code") != code_hash():
        return "chỉ mục được xây dựng bởi phiên bản khác của trợ lý"
    for key, value in settings.fingerprint().items():
        if manifest.get(key) != value:
            return f"thiết lập {key} đã thay đổi ({manifest.get(key)!r} → {value!r})"
    if settings.corpus_dir.is_dir() and manifest.get("corpus_hash") != corpus_hash(settings.corpus_dir):
        return f"các văn bản trong {settings.corpus_dir} đã thay đổi"
    return None


def load_index(settings: Settings) -> Index:
    import faiss

    folder = settings.index_dir
    reason = staleness(settings)
    if reason:
        raise IndexError_(f"{reason}; hãy chạy `assistant build`")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        documents = [_document(row) for row in _read_jsonl(folder / "documents.jsonl")]
        chunks = [_chunk(row) for row in _read_jsonl(folder / "chunks.jsonl")]
        vectors = faiss.read_index(str(folder / "vectors.faiss"))
        lexical = LexicalIndex.load(folder / "lexical")
        accents = AccentRestorer(json.loads((folder / "accents.json").read_text(encoding="utf-8")))
    except Exception as exc:
        raise IndexError_(f"chỉ mục trong {folder} bị hỏng ({type(exc).__name__}); "
                          "hãy chạy `assistant build` để xây dựng lại") from exc
    if vectors.ntotal != len(chunks) or lexical.size != len(chunks) or manifest.get("chunks") != len(chunks):
        raise IndexError_(f"chỉ mục trong {folder} không nhất quán; hãy chạy `assistant build` để xây dựng lại")
    return Index({d.doc_id: d for d in documents}, chunks, vectors, lexical, accents, manifest)


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
