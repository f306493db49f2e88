"""The dense index type follows the corpus size; above the threshold the inverted file
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


def test_large_corpora_get_an_inverted_file_that_finds_the_same_neighbours(monkeypatch, tmp_path):
    monkeypatch.setattr(vectors, "EXACT_UP_TO", 1000)
    centres = _unit_vectors(40, seed=2)  # copies of a few plans: tight clusters
    passages = np.repeat(centres, 200, axis=0) + np.random.default_rng(3).normal(0, 0.05, (8000, 32))
    passages = (passages / np.linalg.norm(passages, axis=1, keepdims=True)).astype(np.float32)
    questions = centres[np.arange(50) % 40] + np.random.default_rng(4).normal(0, 0.1, (50, 32))
    questions = (questions / np.linalg.norm(questions, axis=1, keepdims=True)).astype(np.float32)
    built = vectors.build_vector_index(passages)
    assert isinstance(built, faiss.IndexIVFFlat) and built.ntotal == 8000 and built.nlist == 64
    faiss.write_index(built, str(tmp_path / "vectors.faiss"))
    loaded = faiss.read_index(str(tmp_path / "vectors.faiss"))
    assert faiss.extract_index_ivf(loaded).nprobe == 8  # the search breadth is stored with the index
    # `assistant add` keeps the other passages' vectors by reading them back from the index
    assert np.allclose(loaded.reconstruct_n(0, loaded.ntotal), passages)
    exact = faiss.IndexFlatIP(32)
    exact.add(passages)
    _, found = loaded.search(questions, 10)
    _, truth = exact.search(questions, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    assert recall >= 0.99
