"""The dense index type follows the corpus size; above the threshold the graph index
finds what exact search finds (its recall at 1000× is measured by scripts/scale.py)."""

import faiss
import numpy as np

from assistant.index import vectors


def _unit_vectors(count: int, dimension: int = 32, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((count, dimension)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_small_corpora_get_exact_search():
    index = vectors.build_vector_index(_unit_vectors(50))
    assert isinstance(index, faiss.IndexFlatIP) and index.ntotal == 50


def test_large_corpora_get_a_graph_that_finds_the_same_neighbours(monkeypatch, tmp_path):
    monkeypatch.setattr(vectors, "EXACT_UP_TO", 100)
    passages, questions = _unit_vectors(2000), _unit_vectors(50, seed=1)
    graph = vectors.build_vector_index(passages)
    assert isinstance(graph, faiss.IndexHNSWFlat) and graph.ntotal == 2000
    faiss.write_index(graph, str(tmp_path / "vectors.faiss"))
    graph = faiss.read_index(str(tmp_path / "vectors.faiss"))
    assert graph.hnsw.efSearch == vectors.HNSW_SEARCH_DEPTH  # the search depth is stored with the index
    exact = faiss.IndexFlatIP(32)
    exact.add(passages)
    _, found = graph.search(questions, 10)
    _, truth = exact.search(questions, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    assert recall >= 0.99
