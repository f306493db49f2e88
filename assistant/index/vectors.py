"""The dense index, its type chosen by size: exact inner-product search up to
EXACT_UP_TO passages, where it costs a few milliseconds a question; above that an
inverted file (IVF-Flat): passages grouped around k-means centroids, a question
compared exactly with the passages of its nearest groups. Copies of the same plans make
tight clusters of near-ties, where a graph index (HNSW, M=32, efSearch=128) found only
0.76 of the exact top 10 at 1000×; IVF-Flat with these settings found 0.997
(scripts/scale.py --recall)."""

from __future__ import annotations

import math

import numpy as np

EXACT_UP_TO = 50_000
PROBED_SHARE = 8  # a question searches 1/8 of the groups
_TRAINING_PER_GROUP = 40  # k-means sample: FAISS asks for at least 39 points per centroid


def groups_for(count: int) -> int:
    """About √count groups, as a power of two (512 for the 133,000 passages of 1000×)."""
    return max(64, 2 ** round(math.log2(math.sqrt(count))))


def build_vector_index(vectors: np.ndarray):
    """A FAISS index over L2-normalised vectors, scored by inner product (cosine)."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    count, dimension = vectors.shape
    if count <= EXACT_UP_TO:
        index = faiss.IndexFlatIP(dimension)
    else:
        groups = groups_for(count)
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, groups, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).choice(count, min(count, _TRAINING_PER_GROUP * groups), replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = groups // PROBED_SHARE
    index.add(vectors)
    return index
