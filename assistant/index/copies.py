"""A document already in the corpus in another form (the .txt of a scanned plan, a
second PDF export): its text matches at NEAR_DUPLICATE or more.

Similarity is the Jaccard index of the texts' word pairs (2-shingles of the
accent-folded words). Measured on the five plans and their .docx, text PDF and 200 dpi
scan copies: copies of one plan 0.93–1.0, two different plans at most 0.27
(docs/formats.md), so the 0.9 default (Settings.near_duplicate) sits between them. MinHash
(datasketch) picks the candidates cheaply; the exact index decides."""

from __future__ import annotations

import re
from functools import lru_cache

from ..ingest.text import fold

_PERMUTATIONS = 128
_CANDIDATE = 0.7  # MinHash estimates above this are checked exactly


def shingles(text: str) -> frozenset[str]:
    words = re.findall(r"\w+", fold(text))
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:]))


@lru_cache(maxsize=256)
def _signature(text: str):
    from datasketch import MinHash

    signature = MinHash(num_perm=_PERMUTATIONS, seed=1)
    signature.update_batch(s.encode() for s in shingles(text))
    return signature


def similarity(a: str, b: str) -> float:
    one, other = shingles(a), shingles(b)
    return len(one & other) / len(one | other) if one or other else 0.0


def copy_of(text: str, known: dict[str, str], threshold: float) -> tuple[str, float] | None:
    """(doc id, similarity) of the known document the text is a copy of, or None."""
    signature = _signature(text)
    best = None
    for doc_id, other in known.items():
        if signature.jaccard(_signature(other)) < min(_CANDIDATE, threshold):
            continue
        score = similarity(text, other)
        if score >= threshold and (best is None or score > best[1]):
            best = (doc_id, score)
    return best
