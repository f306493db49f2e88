"""Answers: a short Vietnamese answer built only from the documents' own words,
with citations that quote the document text exactly, how sure it is, or a plain
statement that the documents do not contain it.

Every way a plan could answer (`candidates.py`, `metadata.py`) is scored by the
fitted model (`model.py`); the best answers, one plan or each plan asked about,
with high confidence; the best two or three, each quoted, with low confidence; or
nothing, when even the best is below the fitted refusal threshold."""

from __future__ import annotations

from dataclasses import dataclass

from ..index.store import Index
from ..ingest.structure import CLOSING_TITLE
from ..ingest.text import shorten
from ..query.parse import Question
from ..query.retrieval import Hit, Retriever
from ..settings import Settings
from .candidates import Candidate, document_candidates
from .extract import whole_sentences
from .features import FEATURES, features, relative
from .metadata import metadata_candidates, subject, unknown_document
from .model import AnswerModel
from .types import NOT_FOUND, Answer, Citation  # noqa: F401  (re-exported)
from .wording import ITEM_CHARS, labelled, limited, province_name, silent, unsure, with_note

_HEDGED = 3  # a low-confidence answer shows this many candidates
_CONTEXT_CANDIDATES = 5  # the passages of this many best candidates are cited as context
_PLAN_COVERAGE, _TYPE_MET = FEATURES.index("plan_coverage"), FEATURES.index("type_met")


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    probability: float  # that it is right, calibrated
    vector: tuple[float, ...]  # its features
    score: float = 0.0  # the ranker's score


@dataclass(frozen=True)
class Composed:
    found: bool
    text: str
    citations: tuple[Citation, ...]
    confidence: str  # "high", "low", or "" for a refusal
    lead: str = ""  # the part of the text the assistant stands behind (all of it when sure)


class Composer:
    def __init__(self, index: Index, settings: Settings, retriever: Retriever, model: AnswerModel):
        self.index = index
        self.settings = settings
        self.retriever = retriever
        self.model = model

    def with_model(self, model: AnswerModel) -> "Composer":
        """The same composer judging by another model (fitting compares several)."""
        return Composer(self.index, self.settings, self.retriever, model)

    # --- candidates --------------------------------------------------------

    def scored(self, question: Question) -> dict[str, list[Scored]]:
        """Every candidate of every document looked at, scored, best first, by document."""
        vector = self.retriever.embed(question)
        # provinces named and searched each on its own below: a search over all of them
        # together would only be replaced (metadata reads `hits` only without a scope)
        alone = self._per_province(question) and bool(question.scope)
        hits = [] if alone else self.retriever.search(question, k=self.settings.candidates, vector=vector)
        by_doc = _by_document(hits)
        if self._per_province(question):  # each plan asked about is searched on its own
            for province in self._provinces_asked(question):
                own = self.retriever.search(question, k=self.settings.candidates, scope=(province,),
                                            vector=vector)
                for doc_id, doc_hits in _by_document(own).items():
                    by_doc[doc_id] = doc_hits
        meta = metadata_candidates(self.index, question, hits) if question.intent.kind == "metadata" else []
        for candidate in meta:
            by_doc.setdefault(candidate.doc_id, [])
        found: dict[str, tuple[list[Candidate], list[list[float]]]] = {}
        for doc_id, doc_hits in by_doc.items():
            doc = self.index.documents[doc_id]
            candidates = [c for c in meta if c.doc_id == doc_id]
            candidates += document_candidates(self.index, question, doc, doc_hits)
            if candidates:
                plan = (max((h.coverage for h in doc_hits), default=0.0),
                        max((h.dense for h in doc_hits), default=0.0))
                found[doc_id] = (candidates, [features(self.index, question, c, vector, plan) for c in candidates])
        with_gaps = relative(dict((d, v) for d, (_, v) in found.items()))
        return {d: judged(self.model, found[d][0], with_gaps[d]) for d in found}

    def _per_province(self, question: Question) -> bool:
        return question.intent.compare or len(question.scope) > 1

    def _provinces_asked(self, question: Question) -> list[str]:
        known = self.index.provinces
        return [p for p in question.scope if p in known] or list(known)

    # --- the answer --------------------------------------------------------

    def compose(self, question: Question) -> Composed:
        if question.outside:
            names = ", ".join(p.name for p in question.outside)
            return Composed(False, f"Các văn bản hiện có không có văn bản nào của {names}.", (), "")
        missing = unknown_document(self.index, question)
        if missing:  # "Kế hoạch số 999/KH-UBND do ai ký?": no signer of a plan we do not have
            return Composed(False, f"Các văn bản hiện có không có văn bản số {missing}.", (), "")
        return self.decide(question, self.scored(question))

    def decide(self, question: Question, scored: dict[str, list[Scored]]) -> Composed:
        """The answer, from the scored candidates: a pure function of them and the model."""
        best = {d: s[0] for d, s in scored.items()}
        # the passages the best candidates were found in, cited after the answer's own lines
        pool = [s.candidate for s in sorted((s for g in scored.values() for s in g),
                                            key=lambda s: -s.probability)[:_CONTEXT_CANDIDATES]]
        meta = [s for group in scored.values() for s in group if s.candidate.kind == "meta"]
        if question.intent.kind == "metadata" and meta and self._reads_metadata(scored, meta):
            return self._metadata(question, meta, pool)  # a field of the documents: held, or said missing
        answering = [d for d, s in best.items() if self._answers(s)]
        if not answering:
            return Composed(False, with_note(NOT_FOUND, question), (), "")
        if self._per_province(question):
            return self._per_province_answer(question, best, pool)
        ranked = sorted((best[d] for d in answering), key=lambda s: -s.probability)
        if not question.scope:  # no province named: every plan that answers, the silent ones named
            plans = ranked[:1] + [s for s in ranked[1:] if self._also(s, ranked[0])]
            if len(plans) > 1:
                return self._plans_answer(question, plans, pool)
        if ranked[0].probability < self.model.high:
            return self._hedged(question, {d: scored[d] for d in answering}, pool)
        chosen = ranked[0].candidate
        text = limited(chosen.text if question.scope else labelled(self.index, chosen), question)
        return Composed(True, with_note(text, question), self._citations([chosen], pool), "high", lead=text)

    def _reads_metadata(self, scored: dict[str, list[Scored]], meta: list[Scored]) -> bool:
        """Answer with the documents' field: when no document asked about holds it (said
        plainly), or when the field is the best candidate of all and answers."""
        if not any(s.candidate.spans for s in meta):
            return True
        top = max((s for group in scored.values() for s in group), key=lambda s: s.probability)
        return top.candidate.kind == "meta" and self._answers(top)

    def _also(self, best: Scored, top: Scored) -> bool:
        """Another plan, for a question that names none: listed when it more likely than not
        answers, in the same way as the first (a task line beside a task line), with the
        kind of thing asked (a unit for "ai", a time for "khi nào" …)."""
        return (self.model.answerable(best.probability, best.score, best.vector) >= 0.5
                and best.vector[_TYPE_MET] == 1.0 and _answers_as(best.candidate) == _answers_as(top.candidate))

    def _answers(self, best: Scored) -> bool:
        """Does the plan whose best candidate this is answer the question at all? Never when
        none of its passages holds a word of the question (nothing there is about it)."""
        if best.vector[_PLAN_COVERAGE] <= 0.0 and best.candidate.kind != "meta":
            return False
        return self.model.answerable(best.probability, best.score, best.vector) >= self.model.refuse

    def _plans_answer(self, question: Question, plans: list[Scored], pool: list[Candidate]) -> Composed:
        """One line per plan that answers, the plans that do not named after them."""
        lines = [shorten(labelled(self.index, s.candidate), ITEM_CHARS) for s in plans]
        answered = {self.index.documents[s.candidate.doc_id].province for s in plans}
        quiet = [p for p in self.index.provinces if p not in answered]
        text = "\n".join(lines + ([silent(self.index, quiet)] if quiet else []))
        sure = all(s.probability >= self.model.high for s in plans)
        return Composed(True, with_note(text, question), self._citations([s.candidate for s in plans], pool),
                        "high" if sure else "low", lead=text)

    def _per_province_answer(self, question: Question, best: dict[str, Scored],
                             pool: list[Candidate]) -> Composed:
        """One line per plan asked about; a plan that says nothing is said to be silent."""
        lines, chosen = [], []
        for province in self._provinces_asked(question):
            docs = [best[d] for d in best if self.index.documents[d].province == province]
            top = max(docs, key=lambda s: s.probability, default=None)
            if top is not None and self._answers(top):
                lines.append(shorten(labelled(self.index, top.candidate), ITEM_CHARS))
                chosen.append(top)
            else:
                lines.append(f"{province_name(self.index, province)}: không thấy nội dung này trong văn bản.")
        if not chosen:
            return Composed(False, with_note(NOT_FOUND, question), (), "")
        sure = all(s.probability >= self.model.high for s in chosen)
        text = "\n".join(lines)
        return Composed(True, with_note(text, question), self._citations([s.candidate for s in chosen], pool),
                        "high" if sure else "low", lead=text)

    def _metadata(self, question: Question, scored: list[Scored], pool: list[Candidate]) -> Composed:
        """A document field: every document asked about, those that hold it first."""
        scored = sorted(scored, key=lambda s: (not s.candidate.spans, -s.probability))
        found = [s for s in scored if s.candidate.spans]
        if not found:
            doc = self.index.documents[scored[0].candidate.doc_id]
            text = f"{subject(doc)} {scored[0].candidate.text}." if len(scored) == 1 else \
                "\n".join(labelled(self.index, s.candidate) for s in scored)
            return Composed(False, with_note(text, question), (), "")
        text = scored[0].candidate.text if len(scored) == 1 else \
            "\n".join(labelled(self.index, s.candidate) for s in scored)
        sure = found[0].probability >= self.model.high
        return Composed(True, with_note(text, question), self._citations([s.candidate for s in found], pool),
                        "high" if sure else "low", lead=text)

    def _hedged(self, question: Question, scored: dict[str, list[Scored]], pool: list[Candidate]) -> Composed:
        """Not sure: the best candidate as the answer it may be, the next ones after it,
        each with its quote, for the reader to judge."""
        ranked = sorted((s for group in scored.values() for s in group), key=lambda s: -s.probability)
        shown: list[Scored] = []
        for s in ranked:  # each shown candidate would pass the answerability check on its own
            if len(shown) == _HEDGED or shown and not self._answers(s):
                break
            if not any(_overlaps(s.candidate, t.candidate) for t in shown):
                shown.append(s)
        several_plans = len({s.candidate.doc_id for s in shown}) > 1 or not question.scope
        text, lead = unsure(self.index, question, shown[0].candidate, [s.candidate for s in shown[1:]],
                            several_plans)
        return Composed(True, with_note(text, question),
                        self._citations([s.candidate for s in shown], pool, one_each=True), "low", lead=lead)

    # --- citations ---------------------------------------------------------

    def passages(self, hits: list[Hit]) -> list[Citation]:
        """Retrieved passages as citations, for search."""
        return [self._citation(h.chunk.doc_id, h.chunk.start, h.chunk.end, h.score) for h in hits]

    def _citations(self, candidates: list[Candidate], pool: list[Candidate],
                   one_each: bool = False) -> tuple[Citation, ...]:
        """The spans each answer comes from, in order: the first is its source; then the
        passages the answering plans' candidates were found in, best first, as context.
        No closing "Nơi nhận" lists, no quote inside or overlapping another."""
        # each candidate's own line first, in the answer's order; then what supports them
        spans = [(c.doc_id, *c.spans[0], 1.0) for c in candidates if c.spans]
        if not one_each:
            spans += [(c.doc_id, s, e, 1.0) for c in candidates for s, e in c.spans[1:]]
        own = len(spans)
        plans = {c.doc_id for c in candidates}
        found_in = sorted({c.hit.chunk.chunk_id: c.hit for c in pool if c.hit and c.doc_id in plans}.values(),
                          key=lambda h: -h.score)
        spans += [(h.chunk.doc_id, h.chunk.start, h.chunk.end, h.score) for h in found_in]
        citations: list[Citation] = []
        for n, (doc_id, start, end, score) in enumerate(spans):
            citation = self._citation(doc_id, start, end, score)
            if n >= own and citation.section == CLOSING_TITLE:
                continue  # the recipients' list is no context (a signer read below it is an answer)
            if any(c.doc_id == doc_id and c.start < citation.end and citation.start < c.end for c in citations):
                continue
            citations.append(citation)
            if len(citations) >= self.settings.top_k:
                break
        return tuple(citations)

    def _citation(self, doc_id: str, start: int, end: int, score: float) -> Citation:
        """A quote of whole sentences, never longer than the passage it starts in: a part
        of the plan answered as its items is quoted from its heading to the passage's end."""
        doc = self.index.documents[doc_id]
        own = [c for c in self.index.chunks if c.doc_id == doc_id and c.end > start]  # a bare heading has none
        holding = min(own, key=lambda c: c.start, default=None)
        if holding is not None:
            end = min(end, holding.end)
        start, end = whole_sentences(doc.text, start, end)
        return Citation(doc_id, doc.province, doc.display_title, _section(self.index, doc_id, start),
                        doc.text[start:end], start, end, round(score, 4), page=doc.page_at(start))


def judged(model: AnswerModel, candidates: list[Candidate], vectors: list[tuple]) -> list[Scored]:
    """One plan's candidates judged by the model, most probably right first."""
    scored = [Scored(c, p, v, score) for c, v, (score, p) in zip(candidates, vectors, model.judge(vectors))]
    return sorted(scored, key=lambda s: (-s.probability, -s.score))


def _by_document(hits: list[Hit]) -> dict[str, list[Hit]]:
    out: dict[str, list[Hit]] = {}
    for hit in hits:
        out.setdefault(hit.chunk.doc_id, []).append(hit)
    return out


def _answers_as(candidate: Candidate) -> str:
    """How a candidate answers: with a unit (a task line, or a duty under its unit's
    heading), with a time, or otherwise by its kind."""
    if candidate.role in ("lead", "coordinating", "advising", "directing"):
        return "unit"
    return "time" if candidate.role == "timeline" else candidate.kind


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.doc_id == b.doc_id and any(s1 < e2 and s2 < e1 for s1, e1 in a.spans for s2, e2 in b.spans)


def _section(index: Index, doc_id: str, offset: int) -> str:
    """The innermost section holding the offset (heading lines included)."""
    holding = [s for s in index.sections(doc_id) if s.start <= offset < s.end]
    return max(holding, key=lambda s: len(s.path)).display_path if holding else ""

