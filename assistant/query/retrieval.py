"""Hybrid retrieval: dense (FAISS) + BM25 on words + BM25 on accent-folded
syllables, fused by reciprocal rank, scoped to the provinces a question names."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from ..errors import UnknownProvinceError
from ..index.chunking import Chunk
from ..index.embedding import Embedder
from ..index.lexical import QueryTerms, coverage, holds_all
from ..index.store import Index
from ..ingest.provinces import Province, find_provinces, remove_province_names
from ..ingest.text import fold
from ..settings import Settings
from .question import content, is_english

# "mục 2.3", "nhiệm vụ 1.1", "phần IV" (matched folded)
_SECTION_REF = re.compile(r"\b(?:muc|nhiem vu|phan|diem|khoan|section|task)\s+"
                          r"((?:[ivx]+|\d+)(?:\.\d+)+|\d+|[ivx]+)\b")
# share of a question's content words a passage must hold to answer it
MIN_COVERAGE = 0.6
# fusion weights: the dense channel understands paraphrase, the lexical ones exact terms
_WEIGHTS = {"dense": 1.0, "words": 1.0, "folded": 0.8}


@dataclass(frozen=True)
class Query:
    text: str  # the question as asked (cleaned)
    restored: str  # the question with accents restored on words typed without them
    matching: str  # the restored question without province names
    scope: tuple[str, ...]  # province slugs to search; () = all documents
    named: tuple[Province, ...]  # provinces the question names, in the corpus or not
    terms: QueryTerms
    sections: tuple[str, ...] = ()  # section numbers it names: "mục 2.3" → "2.3"


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused rank score
    dense: float  # cosine similarity of question and passage
    coverage: float  # IDF-weighted share of the question's terms found in the passage


class Retriever:
    def __init__(self, index: Index, embedder: Embedder, settings: Settings):
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._chunk_province = np.array([c.province for c in index.chunks])

    def prepare(self, question: str, province: str | None = None) -> Query:
        known = frozenset(self.index.provinces)
        if province is not None and province not in known:
            raise UnknownProvinceError(
                f"không có tỉnh «{province}» trong bộ văn bản; các tỉnh hiện có: {', '.join(sorted(known))}")
        named = tuple(find_provinces(question, known))
        if province is not None:
            scope = (province,)
        else:
            scope = tuple(p.slug for p in named if p.slug in known) or tuple(p.slug for p in named)
        english = is_english(question)
        # a whole question, or a few words of it, typed without accents ("… thực hiện khi nao?")
        restored = question if english else self.index.accents.restore(question)
        typed = remove_province_names(question, list(named)) or question
        matching = remove_province_names(restored, list(named)) or restored
        terms = self._with_corrections(QueryTerms.of(content(matching), content(typed), english=english))
        sections = tuple(m.group(1) for m in _SECTION_REF.finditer(fold(question)))
        return Query(question, restored, matching, scope, named, terms, sections)

    def _with_corrections(self, terms: QueryTerms) -> QueryTerms:
        """Give each word the corpus doesn't know its one-typo-away spelling as an alternative."""
        lexical = self.index.lexical
        content, added = [], []
        for item in terms.content:
            keys = item[0]
            unknown = [k for k in keys if not lexical.known("folded", k)]
            fixed = {k: lexical.correct(k) for k in unknown}
            if unknown and len(item) == 1 and all(fixed.values()):
                corrected = tuple(fixed.get(k, k) for k in keys)
                item, added = item + (corrected,), added + list(corrected)
            content.append(item)
        if not added:
            return terms
        return replace(terms, content=tuple(content), folded=terms.folded + tuple(added))

    def search(self, query: Query, k: int | None = None) -> list[Hit]:
        """Passages in scope, best first (all of them with any signal when k is None)."""
        in_scope = self._scope_mask(query.scope)
        if not in_scope.any():
            return []
        dense = self._dense_scores(query.matching)
        channels = {
            "dense": np.where(in_scope, dense, -np.inf),
            "words": np.where(in_scope, self.index.lexical.scores("words", query.terms.words), 0),
            "folded": np.where(in_scope, self.index.lexical.scores("folded", query.terms.folded), 0),
        }
        fused = np.zeros(len(self.index.chunks))
        for name, scores in channels.items():
            candidates = np.argsort(-scores, kind="stable")[: self.settings.candidates]
            for rank, i in enumerate(candidates):
                if scores[i] > 0 or name == "dense" and np.isfinite(scores[i]):
                    fused[i] += _WEIGHTS[name] / (self.settings.rrf_k + rank + 1)
        if query.sections:  # the question points at a numbered task: its passages come first
            named = np.array([c.section.rsplit(" › ", 1)[-1].lower() in query.sections for c in self.index.chunks])
            fused = fused + np.where(named & in_scope & (fused > 0), 1.0, 0.0)
        order = [int(i) for i in np.argsort(-fused, kind="stable") if fused[i] > 0]
        order = order if k is None else order[:k]
        coverage = self.coverage(query.terms, order)
        return [Hit(self.index.chunks[i], float(fused[i]), float(dense[i]), coverage[i]) for i in order]

    def coverage(self, terms: QueryTerms, chunk_ids: list[int]) -> dict[int, float]:
        """Share of the question's content words found in each passage."""
        lexical = self.index.lexical
        items = terms.content + terms.required
        present = {k: lexical.presence("folded", k) for item in items for alt in item for k in alt}
        shares = {}
        for i in chunk_ids:
            holds = lambda key, i=i: present[key][i]  # noqa: E731
            # a passage that does not name the agency asked about does not answer
            shares[i] = coverage(items, holds, self._idf) if holds_all(terms.required, holds) else 0.0
        return shares

    def _idf(self, key: str) -> float:
        return self.index.lexical.idf("folded", key)

    def _dense_scores(self, text: str) -> np.ndarray:
        vector = self.embedder.embed_queries([text])
        n = self.index.vectors.ntotal
        scores, ids = self.index.vectors.search(vector, n)
        dense = np.full(n, -1.0, dtype=np.float32)
        dense[ids[0]] = scores[0]
        return dense

    def _scope_mask(self, scope: tuple[str, ...]) -> np.ndarray:
        if not scope:
            return np.ones(len(self.index.chunks), dtype=bool)
        return np.isin(self._chunk_province, list(scope))
