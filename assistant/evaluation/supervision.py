"""Labelled questions as supervision: which plans each is about (so a whole plan can
be held out), which indexed sentences hold its evidence, and the (question, evidence,
hard negative) triples the encoder is fine-tuned on.

The question side is what retrieval embeds (`Question.matching`: accents restored,
abbreviations expanded, province names left out), and the evidence side what the index
embeds for a sentence (`index.sentences`: the sentence under its headings), so the
model learns exactly the comparison it makes when answering."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine import Assistant
from ..index.sentences import embedded_text
from ..index.store import Index
from ..query.intent import META_FIELDS
from . import metrics
from .questions import load_questions
from .synthetic import task_questions


@dataclass(frozen=True)
class Labelled:
    row: dict  # the question as written in its file
    plans: frozenset[str]  # the documents it is about; empty: about none in particular
    matching: str  # what retrieval embeds for it
    intent_text: str  # the standalone question, as the intent classifier reads it
    evidence: tuple[int, ...]  # rows of index.sentences that hold its evidence

    @property
    def answerable(self) -> bool:
        return self.row["type"] != "unanswerable"


def load_labelled(assistant: Assistant, paths: list[Path]) -> list[Labelled]:
    """Every question of the files, parsed as the assistant parses it; ids are made
    unique by their file, since files number their questions alike."""
    out, seen = [], set()
    for path in paths:
        for row in load_questions(path):
            key = f"{path.stem}:{row['id']}"
            if key in seen:
                continue
            seen.add(key)
            out.append(label(assistant, {**row, "id": key}))
    return out


def synthetic(assistant: Assistant) -> list[Labelled]:
    """The questions made from the plans' task records (`synthetic.task_questions`)."""
    return [label(assistant, {**q, "id": f"synthetic:{q['id']}"}) for q in task_questions(assistant.index)]


def label(assistant: Assistant, row: dict) -> Labelled:
    standalone, question = assistant.interpret(assistant.check_question(row["question"]),
                                               history=row.get("history") or [])
    return Labelled(row, plans_of(assistant.index, row), question.matching, standalone,
                    tuple(evidence_rows(assistant.index, row)))


def plans_of(index: Index, row: dict) -> frozenset[str]:
    """The plans a question is about: those that answer it, or for an unanswerable one,
    the documents of the province it asks about."""
    if row.get("docs"):
        return frozenset(d for d in row["docs"] if d in index.documents)
    province = row.get("province")
    return frozenset(d.doc_id for d in index.documents.values() if province and d.province == province)


def evidence_rows(index: Index, row: dict) -> list[int]:
    """Indexed sentences holding an evidence span, or lying inside one that runs over
    several sentences."""
    if index.sentences is None:
        return []
    spans = [metrics.normalise(e) for e in row.get("evidence", []) if e.strip()]
    docs = set(row.get("docs") or ())
    return [i for i, (doc_id, text) in enumerate(_normalised_sentences(index))
            if doc_id in docs and len(text) >= 12 and any(span in text or text in span for span in spans)]


_NORMALISED: dict[int, list[tuple[str, str]]] = {}


def _normalised_sentences(index: Index) -> list[tuple[str, str]]:
    """Every indexed sentence as (doc id, its text as answers are compared), once per index."""
    key = id(index.sentences)
    if key not in _NORMALISED:
        _NORMALISED[key] = [(d, metrics.normalise(index.documents[d].text[s:e])) for d, s, e in index.sentences.rows]
    return _NORMALISED[key]


def sentence_text(index: Index, i: int) -> str:
    """The text the index embedded for sentence row i."""
    doc_id, start, end = index.sentences.rows[i]
    chunk = next(c for c in index.chunks if c.doc_id == doc_id and c.start <= start < c.end)
    return embedded_text(chunk, index.documents[doc_id].text[start:end])


def split_by_plan(items: list[Labelled], held_out: str | None) -> tuple[list[Labelled], list[Labelled]]:
    """(fit on, test on) with one plan held out: no question about it is fitted on, and
    the test is the questions about it alone. None: everything is fitted on."""
    if held_out is None:
        return list(items), []
    train = [q for q in items if held_out not in q.plans]
    test = [q for q in items if q.plans == {held_out}]
    return train, test


def triples(index: Index, items: list[Labelled], sentence_vectors: np.ndarray, query_vectors: np.ndarray,
            seed: int, negatives_from: int = 20, excluded_docs: frozenset[str] = frozenset()
            ) -> list[tuple[str, str, str]]:
    """(question, evidence, hard negative) for every evidence sentence of every
    answerable question. The negative is one of the sentences of the same plans the
    base model ranks highest that hold no evidence and none of the expected answers
    (so a second true answer is never taught as wrong)."""
    rng = random.Random(seed)
    rows = index.sentences.rows
    texts = {}
    out = []
    for n, q in enumerate(items):
        if not q.answerable or not q.evidence:
            continue
        allowed = np.array([r[0] in q.plans and r[0] not in excluded_docs for r in rows])
        scores = np.where(allowed, sentence_vectors @ query_vectors[n], -np.inf)
        golds = [metrics.normalise(a) for item in q.row["answers"] for a in ([item] if isinstance(item, str) else item)]
        pool = []
        for i in np.argsort(-scores)[:negatives_from]:
            i = int(i)
            if not np.isfinite(scores[i]) or i in q.evidence:
                continue
            text = metrics.normalise(index.documents[rows[i][0]].text[rows[i][1]:rows[i][2]])
            if not any(g and g in text for g in golds):
                pool.append(i)
        for e in q.evidence:
            if not pool:
                break
            negative = rng.choice(pool[:5])
            for i in (e, negative):
                texts.setdefault(i, sentence_text(index, i))
            out.append((q.matching, texts[e], texts[negative]))
    rng.shuffle(out)
    return out


# --- intent labels -------------------------------------------------------------

def meta_labels(index: Index, q: Labelled) -> tuple[str, ...]:
    """The document field a metadata question's expected answer is read from: of the
    fields holding it, the one that holds least else ("Ninh Thuận" is the province,
    though the issuer's name holds it too)."""
    if q.row["type"] != "metadata":
        return ()
    golds = _golds(q.row)
    found: dict[str, int] = {}
    for doc_id in q.plans:
        doc = index.documents[doc_id]
        for name in META_FIELDS:
            value = metrics.normalise(_field_value(doc, name))
            for gold in golds:
                if gold and gold in value:
                    found[name] = min(found.get(name, 10**6), len(value) - len(gold))
    if not found:
        return ()
    least = min(found.values())
    return tuple(name for name in META_FIELDS if found.get(name) == least)


def role_labels(index: Index, q: Labelled) -> tuple[str, ...]:
    """The task fields that hold a who- or when-question's expected answer, among the
    fields of the passages its evidence is in."""
    if q.row["type"] not in ("who", "when") or not q.evidence:
        return ()
    golds = _golds(q.row)
    rows = [index.sentences.rows[i] for i in q.evidence]
    found = []
    for chunk in index.chunks:
        if not any(d == chunk.doc_id and chunk.start <= s < chunk.end for d, s, _ in rows):
            continue
        for field in chunk.fields:
            if any(g and g in metrics.normalise(field.value) for g in golds):
                found.append(field.role)
    return tuple(dict.fromkeys(found))


def _golds(row: dict) -> list[str]:
    return [metrics.normalise(a) for item in row["answers"] for a in ([item] if isinstance(item, str) else item)]


def _field_value(doc, name: str) -> str:
    if name == "signer":
        return f"{doc.signer} {doc.signer_title}"
    if name == "province":
        return doc.province_name
    value = getattr(doc, name, "")
    return " ; ".join(value) if isinstance(value, tuple) else value
