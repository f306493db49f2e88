"""The baseline a typical user would build with this stack, measured in the
same run: the raw files cut by RecursiveCharacterTextSplitter (chunk_size=1000,
chunk_overlap=200), the same embedding model, FAISS top-5, answer = top chunk."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index.embedding import Embedder
from ..index.store import corpus_hash
from ..settings import Settings

CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1000, 200, 5


@dataclass(frozen=True)
class BaselineChunk:
    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class BaselineAnswer:
    answer: str
    quotes: list[str]
    verbatim: list[bool]


class Baseline:
    def __init__(self, chunks: list[BaselineChunk], vectors: np.ndarray, raw: dict[str, str],
                 embedder: Embedder):
        import faiss

        self.chunks, self.raw, self.embedder = chunks, raw, embedder
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(vectors)

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder, extracted: dict[str, str] | None = None) -> "Baseline":
        """Chunks and vectors are cached in <index>/baseline, keyed like the main index.
        `extracted`: the text of documents that are not plain text (.docx, .pdf), by doc id."""
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        raw = {p.stem: p.read_text(encoding="utf-8", errors="replace")
               for p in sorted(settings.corpus_dir.glob("*.txt"))}
        raw.update({k: v for k, v in (extracted or {}).items() if k not in raw})
        raw = {k: v for k, v in raw.items() if v.strip()}
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP,
                                                  add_start_index=True)
        chunks = []
        for doc_id, text in raw.items():
            for piece in splitter.create_documents([text]):
                start = piece.metadata["start_index"]
                chunks.append(BaselineChunk(doc_id, start, start + len(piece.page_content), piece.page_content))
        key = {"model": settings.model, "corpus_hash": corpus_hash(settings.corpus_dir), "chunks": len(chunks)}
        folder = settings.index_dir / "baseline"
        vectors = _cached_vectors(folder, key)
        if vectors is None:
            vectors = embedder.embed_passages([c.text for c in chunks])
            folder.mkdir(parents=True, exist_ok=True)
            np.save(folder / "vectors.npy", vectors)
            (folder / "key.json").write_text(json.dumps(key))
        return cls(chunks, vectors, raw, embedder)

    def ask(self, question: str) -> BaselineAnswer:
        vector = self.embedder.embed_queries([question])
        _, ids = self.index.search(vector, TOP_K)
        top = [self.chunks[i] for i in ids[0] if i >= 0]
        verbatim = [self.raw[c.doc_id][c.start : c.end] == c.text for c in top]
        return BaselineAnswer(top[0].text if top else "", [c.text for c in top], verbatim)


def _cached_vectors(folder: Path, key: dict) -> np.ndarray | None:
    try:
        if json.loads((folder / "key.json").read_text()) == key:
            return np.load(folder / "vectors.npy")
    except (OSError, ValueError):
        pass
    return None
