"""The passages of a new index version and their vectors, passages and sentences alike.

Documents kept from the previous version keep their passages and stored vectors as
they are; the passages and sentences of the others are embedded in one pass through the
embedding cache (embedding_cache.py), so a text embedded by any earlier build, add or
remove is not embedded again, and one progress bar covers all the work."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import CorpusError
from ..ingest.documents import Document
from .chunking import Chunk, chunk_documents
from .embedding import Embedder, identity_of
from .embedding_cache import EmbeddingCache, embed_cached
from .sentences import SentenceVectors, sentence_rows, sentence_texts


def passages(settings, documents: list[Document], previous, embedder: Embedder,
             progress: bool) -> tuple[list[Chunk], np.ndarray, SentenceVectors, int]:
    """All passages in document order, renumbered, their vectors, their sentences'
    vectors, and how many passages had to be embedded (neither kept nor in the cache)."""
    kept_ids = {d.doc_id for d in documents if previous and previous.documents.get(d.doc_id) is d}
    fresh = chunk_documents([d for d in documents if d.doc_id not in kept_ids], settings.chunk_size)
    by_id = {d.doc_id: d for d in documents}
    fresh_sentences = sentence_rows(by_id, fresh)
    texts = [c.matching_text() for c in fresh] + sentence_texts(by_id, fresh)  # sentences under their headings
    cache = EmbeddingCache(settings.cache_dir(), identity_of(embedder))
    embedded = len({t for t in texts[:len(fresh)] if not cache.holds(t)})
    vectors = embed_cached(embedder, texts, cache, progress=progress)
    fresh_vectors, sentence_vectors = vectors[:len(fresh)], vectors[len(fresh):]
    chunks, rows = _in_order(documents, kept_ids, previous, fresh, fresh_vectors)
    if not rows:
        raise CorpusError(f"các văn bản trong {settings.corpus_dir} không có đoạn nào để đưa vào chỉ mục")
    sentences = _sentences(documents, kept_ids, previous, list(zip(fresh_sentences, sentence_vectors)))
    return chunks, np.asarray(rows, dtype=np.float32), sentences, embedded


def _in_order(documents, kept_ids, previous, fresh, fresh_vectors) -> tuple[list[Chunk], list]:
    old_rows = {}
    if kept_ids:
        stored = previous.vectors.reconstruct_n(0, previous.vectors.ntotal)
        for chunk in previous.chunks:
            if chunk.doc_id in kept_ids:
                old_rows.setdefault(chunk.doc_id, []).append((chunk, stored[chunk.chunk_id]))
    new_rows = {}
    for n, chunk in enumerate(fresh):
        new_rows.setdefault(chunk.doc_id, []).append((chunk, fresh_vectors[n]))
    chunks, rows = [], []
    for document in documents:
        for chunk, vector in old_rows.get(document.doc_id) or new_rows.get(document.doc_id, []):
            chunks.append(replace(chunk, chunk_id=len(chunks)))
            rows.append(vector)
    return chunks, rows


def _sentences(documents: list[Document], kept_ids: set[str], previous, new: list) -> SentenceVectors:
    """Sentence vectors: kept for the documents kept, the new ones for the others."""
    kept = previous.sentences if previous is not None and previous.sentences is not None else None
    old = [(row, kept.vectors[i]) for i, row in enumerate(kept.rows) if row[0] in kept_ids] if kept else []
    order = {d.doc_id: n for n, d in enumerate(documents)}
    pairs = sorted(old + new, key=lambda pair: (order[pair[0][0]], pair[0][1]))
    dimension = len(pairs[0][1]) if pairs else 0
    return SentenceVectors([row for row, _ in pairs],
                           np.asarray([v for _, v in pairs], dtype=np.float32).reshape(len(pairs), dimension))
