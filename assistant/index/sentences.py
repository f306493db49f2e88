"""One vector per sentence of every passage, embedded at build time, so an answer
can be judged by how close its own sentence is to the question, not only its
passage, at no embedding cost per question.

Stored as `sentences.jsonl` (doc id, start, end of each sentence, in passage order)
and `sentences.npy` (their vectors, in the same order)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..ingest.documents import Document
from ..ingest.text import sentence_spans
from .chunking import Chunk

ROWS_FILE, VECTORS_FILE = "sentences.jsonl", "sentences.npy"


_CONTEXT_HEADINGS = 2  # the headings nearest a sentence say what it is about
_HEADING_CHARS = 100


def sentence_rows(documents: dict[str, Document], chunks: list[Chunk]) -> list[tuple[str, int, int]]:
    """Every sentence of every passage, as the answer stage cuts them."""
    return [(c.doc_id, s, e) for c in chunks for s, e in sentence_spans(documents[c.doc_id].text, c.start, c.end)]


def sentence_texts(documents: dict[str, Document], chunks: list[Chunk]) -> list[str]:
    """What is embedded for each of `sentence_rows`: the sentence under its nearest
    headings, so "Đơn vị thực hiện: Sở Nội vụ" is about the task it belongs to."""
    return [embedded_text(c, documents[c.doc_id].text[s:e]) for c in chunks
            for s, e in sentence_spans(documents[c.doc_id].text, c.start, c.end)]


def embedded_text(chunk: Chunk, sentence: str) -> str:
    titles = [t if len(t) <= _HEADING_CHARS else t[:_HEADING_CHARS].rsplit(" ", 1)[0]
              for t in chunk.context.split(" › ")[1:][-_CONTEXT_HEADINGS:]]  # the plan's name left out
    titles = [t for t in titles if sentence not in t and t not in sentence]
    return "\n".join([" › ".join(titles), sentence]) if titles else sentence


@dataclass
class SentenceVectors:
    rows: list[tuple[str, int, int]]
    vectors: np.ndarray  # float32, one normalised row per sentence

    def __post_init__(self):
        self._where = {row: i for i, row in enumerate(self.rows)}
        self._by_doc: dict[str, list[int]] = {}
        for i, (doc_id, _, _) in enumerate(self.rows):
            self._by_doc.setdefault(doc_id, []).append(i)

    def similarity(self, query: np.ndarray, doc_id: str, start: int, end: int) -> float | None:
        """Cosine of the question's vector and the sentence's, or None for a span that is
        not one of the indexed sentences."""
        i = self._where.get((doc_id, start, end))
        return None if i is None else float(self.vectors[i] @ query.reshape(-1))

    def closest(self, query: np.ndarray, doc_id: str, k: int) -> list[tuple[tuple[int, int], float]]:
        """The `k` sentences of a document closest to the question's vector, closest first."""
        rows = self._by_doc.get(doc_id, [])
        if not rows:
            return []
        scores = self.vectors[rows] @ query.reshape(-1)
        best = np.argsort(-scores)[:k]
        return [((self.rows[rows[i]][1], self.rows[rows[i]][2]), float(scores[i])) for i in best]

    def save(self, folder: Path) -> None:
        with (folder / ROWS_FILE).open("w", encoding="utf-8") as handle:
            for row in self.rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        np.save(folder / VECTORS_FILE, self.vectors)

    @classmethod
    def load(cls, folder: Path) -> "SentenceVectors":
        with (folder / ROWS_FILE).open(encoding="utf-8") as handle:
            rows = [tuple(json.loads(line)) for line in handle if line.strip()]
        vectors = np.load(folder / VECTORS_FILE)
        if len(rows) != len(vectors):
            raise ValueError(f"{len(rows)} sentences but {len(vectors)} vectors")
        return cls(rows, vectors)
