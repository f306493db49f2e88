"""Hybrid retrieval: dense (FAISS) + BM25 on words + BM25 on accent-folded
syllables, fused by reciprocal rank, scoped to the provinces a question names.

Each channel contributes its best `candidates` passages, so the cost of a question
grows with the number of candidates, not with the size of the corpus (BM25 scores
are one sparse pass; the dense channel asks FAISS for a bounded top list)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index.chunking import Chunk
from ..index.embedding import Embedder
from ..index.lexical import QueryTerms, coverage, holds_all
from ..index.store import Index
from ..settings import Settings
from .parse import Question

# fusion weights: the dense channel understands paraphrase, the lexical ones exact terms
_WEIGHTS = {"dense": 1.0, "words": 1.0, "folded": 0.8}
_DENSE_POOL = 8  # the dense channel looks this many times deeper when the scope is narrow


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused rank score
    dense: float  # cosine similarity of question and passage
    coverage: float  # IDF-weighted share of the question's terms found in the passage
    rank: int = 0  # 0-based rank among the hits of its search


class Retriever:
    def __init__(self, index: Index, embedder: Embedder, settings: Settings):
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._chunk_province = np.array([c.province for c in index.chunks])

    def search(self, question: Question, k: int | None = None, scope: tuple[str, ...] | None = None,
               vector: np.ndarray | None = None) -> list[Hit]:
        """Passages in scope (the question's unless given), best first; k=None keeps
        every passage with a signal. `vector` reuses an embedding of the question."""
        scope = question.scope if scope is None else scope
        in_scope = self._scope_mask(scope)
        if not in_scope.any():
            return []
        vector = self.embed(question) if vector is None else vector
        dense = self._dense_scores(vector, in_scope)
        lexical = self.index.lexical
        channels = {
            "dense": dense,
            "words": np.where(in_scope, lexical.scores("words", question.terms.words), 0),
            "folded": np.where(in_scope, lexical.scores("folded", question.terms.folded), 0),
        }
        fused = np.zeros(len(self.index.chunks))
        for name, scores in channels.items():
            candidates = _top(scores, self.settings.candidates)
            for rank, i in enumerate(candidates):
                if scores[i] > 0 or name == "dense" and np.isfinite(scores[i]):
                    fused[i] += _WEIGHTS[name] / (self.settings.rrf_k + rank + 1)
        if question.sections:  # the question points at a numbered task: its passages come first
            named = np.array([c.section.rsplit(" › ", 1)[-1].lower() in question.sections
                              for c in self.index.chunks])
            fused = fused + np.where(named & in_scope & (fused > 0), 1.0, 0.0)
        order = [int(i) for i in _top(fused, len(fused) if k is None else k) if fused[i] > 0]
        shares = self.coverage(question.terms, order)
        return [Hit(self.index.chunks[i], float(fused[i]), float(max(dense[i], -1.0)), shares[i], rank)
                for rank, i in enumerate(order)]

    def embed(self, question: Question) -> np.ndarray:
        """The question's vector: embedded once, when it was parsed."""
        if question.vector is not None:
            return question.vector.reshape(1, -1)
        return self.embedder.embed_queries([question.matching])

    def coverage(self, terms: QueryTerms, chunk_ids: list[int]) -> dict[int, float]:
        """Share of the question's content words found in each passage."""
        items = terms.content + terms.required
        shares = {}
        for i in chunk_ids:
            holds = self.index.chunk_keys(i).__contains__
            # a passage that does not name the agency asked about does not answer
            shares[i] = coverage(items, holds, self.index.lexical.key_idf) if holds_all(terms.required, holds) \
                else 0.0
        return shares

    def _dense_scores(self, vector: np.ndarray, in_scope: np.ndarray, depth: int | None = None) -> np.ndarray:
        """Cosine for the passages FAISS returns among its best `depth` (enough for the
        scope, by default); -inf for the others. Too few in scope among them: all of them."""
        n = self.index.vectors.ntotal
        if depth is None:
            share = max(in_scope.mean(), 1e-9)
            depth = min(n, int(self.settings.candidates * (_DENSE_POOL if share < 1 else 1) / share) + 1)
        scores, ids = self.index.vectors.search(vector, depth)
        dense = np.full(n, -np.inf, dtype=np.float32)
        valid = ids[0] >= 0  # an IVF index may return fewer than asked, padded with -1
        dense[ids[0][valid]] = scores[0][valid]
        dense[~in_scope] = -np.inf
        if np.isfinite(dense).sum() < min(self.settings.candidates, int(in_scope.sum())) and depth < n:
            return self._dense_scores(vector, in_scope, depth=n)
        return dense

    def _scope_mask(self, scope: tuple[str, ...]) -> np.ndarray:
        if not scope:
            return np.ones(len(self.index.chunks), dtype=bool)
        return np.isin(self._chunk_province, list(scope))


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first, ties in index order."""
    k = min(k, len(scores))
    if k <= 0:
        return np.array([], dtype=int)
    if k < len(scores):
        part = np.argpartition(-scores, k - 1)[:k]
        return part[np.lexsort((part, -scores[part]))]
    return np.argsort(-scores, kind="stable")
