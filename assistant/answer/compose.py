"""Answers: a short Vietnamese answer built only from the documents' own words,
with citations that quote the document text exactly, or a plain statement that
the documents do not contain it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..index.lexical import coverage, folded_tokens, holds_all
from ..index.store import Index
from ..ingest.documents import Document
from ..ingest.text import fold, sentence_spans, shorten
from ..query.question import Intent, asked_for
from ..query.retrieval import MIN_COVERAGE, Hit, Query
from ..settings import Settings
from .extract import (
    DATE,
    TIME,
    Part,
    best_sentences,
    fields_line,
    gives_count,
    has_date,
    has_number,
    list_items,
    sentence_text,
    time_phrase,
    whole_sentences,
)
from .metadata import metadata_part

NOT_FOUND = "Không tìm thấy thông tin này trong các văn bản hiện có."
_SIBLING_COVERAGE_GAP = 0.2  # another province is included when its best passage is this close
_MAX_PROVINCES = 3
# a list question asks for a whole section ("những nhóm nhiệm vụ nào") when its heading
# holds nearly all the question is about; otherwise it asks for something inside one
LIST_HEADING_COVERAGE = 0.8
# a role the task does not name is answered by the nearest one it does (Quảng Ngãi names
# directing and advising bodies, Bắc Giang's headings name only the lead unit)
_STAND_INS = {"lead": ("advising", "directing"), "advising": ("lead", "directing"),
              "directing": ("lead", "advising"), "coordinating": (), "timeline": ()}


@dataclass(frozen=True)
class Citation:
    doc_id: str
    province: str
    title: str
    section: str
    quote: str
    start: int
    end: int
    score: float
    page: int | None = None  # the PDF page the quote starts on

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    answer: str
    citations: tuple[Citation, ...]
    took_ms: float = 0.0
    interpreted_as: str = ""  # the standalone question answered: a follow-up rewritten from history

    def to_dict(self) -> dict:
        data = asdict(self)
        data["citations"] = [c.to_dict() for c in self.citations]
        return data


class Composer:
    def __init__(self, index: Index, settings: Settings):
        self.index = index
        self.settings = settings

    def compose(self, query: Query, intent: Intent, hits: list[Hit]) -> tuple[bool, str, list[Citation]]:
        if query.scope and all(s not in self.index.provinces for s in query.scope):
            names = ", ".join(p.name for p in query.named if p.slug not in self.index.provinces)
            return False, f"Các văn bản hiện có không có văn bản nào của {names}.", []
        if intent.kind == "metadata":
            parts, found = metadata_part(self.index, query, intent, hits)
        else:
            strong = [h for h in hits if h.coverage >= MIN_COVERAGE]
            groups = self._groups(query, intent, strong)
            parts = [p for p in (self._part(intent, query, g) for g in groups) if p]
            found = bool(parts)
        if not parts:
            return False, NOT_FOUND, []
        text = self._join(parts)
        return found, text, self._citations(parts, hits) if found else []

    def _idf(self, key: str) -> float:
        return self.index.lexical.idf("folded", key)

    def _coverage_of(self, text: str, query: Query) -> float:
        present = set(folded_tokens(text))
        return coverage(query.terms.content, present.__contains__, self._idf)

    def _groups(self, query: Query, intent: Intent, strong: list[Hit]) -> list[list[Hit]]:
        """The strong hits of each document to answer from, best document first."""
        by_doc: dict[str, list[Hit]] = {}
        for hit in strong:
            by_doc.setdefault(hit.chunk.doc_id, []).append(hit)
        groups = list(by_doc.values())
        if not groups or query.scope or intent.compare:
            return groups[: len(self.index.provinces)]
        top = groups[0][0]
        close = [groups[0]] + [g for g in groups[1:] if g[0].coverage >= top.coverage - _SIBLING_COVERAGE_GAP]
        if intent.kind in ("who", "when"):
            # where some plan has a task about exactly this, list the plans that do, not
            # every plan that mentions it in passing
            focus = {id(g): max(self._focus(h, query) for h in g[:6]) for g in close}
            if max(focus.values()) >= MIN_COVERAGE:
                close = [g for g in close if focus[id(g)] >= MIN_COVERAGE]
        return close[:_MAX_PROVINCES]

    def _focus(self, hit: Hit, query: Query) -> float:
        """How much of the question a task's heading and first sentence hold, for a task
        that names who does it."""
        if not hit.chunk.fields:
            return 0.0
        doc = self.index.documents[hit.chunk.doc_id]
        section = next((s for s in self.index.sections(doc.doc_id) if s.display_path == hit.chunk.section), None)
        if section is None or not section.number:
            return 0.0
        sentences = sentence_spans(doc.text, section.body_start, section.own_end)
        lead = doc.text[section.start : sentences[0][1]] if sentences else section.title
        return self._coverage_of(lead, query)

    def _part(self, intent: Intent, query: Query, hits: list[Hit]) -> Part | None:
        doc = self.index.documents[hits[0].chunk.doc_id]
        if intent.kind in ("list", "count") or intent.plural:
            listed = self._list_part(query, doc, hits, count=intent.kind == "count")
            if listed:
                return listed
        if intent.kind in ("who", "when"):
            return self._task_part(intent, query, doc, hits) or self._sentence_part(intent, query, doc, hits)
        return self._sentence_part(intent, query, doc, hits)

    def _list_part(self, query: Query, doc: Document, hits: list[Hit], count: bool = False) -> Part | None:
        """"Những nhóm nhiệm vụ nào?": the subsections, or the bullets, of the section the
        question names by its heading."""
        best, best_score = None, LIST_HEADING_COVERAGE
        for section in self.index.sections(doc.doc_id):
            score = self._coverage_of(section.title, query)
            if section.number and score >= best_score:
                best, best_score = section, score
        if best is None:
            return None
        children = [s for s in self.index.sections(doc.doc_id)
                    if len(s.path) == len(best.path) + 1 and s.path[:-1] == best.path]
        if children:
            items = [(f"{c.number}. {c.title}", c.start, c.start + len(c.number) + 2 + len(c.title))
                     for c in children]
        else:
            items = list_items(doc.text, best.body_start, best.own_end)
        if len(items) < 2:
            return None
        listed = "; ".join(shorten(t, 90) for t, _, _ in items)
        return Part(doc.doc_id, f"{len(items)}: {listed}" if count else listed,
                    [(s, e, hits[0].score if hits else 1.0) for _, s, e in items])

    def _task_part(self, intent: Intent, query: Query, doc: Document, hits: list[Hit]) -> Part | None:
        if intent.kind == "when":
            dated = self._dated_sentence(query, doc, hits)
            if dated:
                return dated
        close = [h for h in hits[:6] if h.coverage >= hits[0].coverage - _SIBLING_COVERAGE_GAP]
        named = query.terms.required
        for exact in (True, False):  # a task naming the role asked for beats a stand-in
            for hit in close:
                fields = [f for f in _fields_for(hit.chunk, intent.roles, exact)
                          if not _names_only(f.value, named)]
                if fields:
                    spans = [(hit.chunk.start, hit.chunk.end, hit.score)]
                    spans += [(f.start, f.end, hit.score) for f in fields]
                    return Part(doc.doc_id, fields_line(fields, hit.chunk.section), spans)
        return None

    def _dated_sentence(self, query: Query, doc: Document, hits: list[Hit]) -> Part | None:
        for hit in hits[:3]:
            sentences = best_sentences(doc.text, hit.chunk, query.terms, self.index.lexical,
                                       prefer=lambda s: 0.3 if has_date(s) else 0.0)
            best = sentences[0] if sentences else None
            if best and best.score >= MIN_COVERAGE and has_date(doc.text[best.start : best.end]):
                text = sentence_text(doc.text, best, query.terms, anchor=DATE.search, idf=self._idf)
                return Part(doc.doc_id, text, [(hit.chunk.start, hit.chunk.end, hit.score)])
        return None

    def _sentence_part(self, intent: Intent, query: Query, doc: Document, hits: list[Hit]) -> Part | None:
        prefer, anchor = None, None
        category = asked_for(query.restored)
        if intent.kind == "count":
            prefer = lambda s: 0.15 if has_number(s) else 0.0  # noqa: E731
        elif intent.kind == "when":
            prefer = lambda s: 0.2 if time_phrase(s) else 0.0  # noqa: E731
            anchor = TIME.search
        elif category:  # "những Chỉ thị nào": the sentence and clause naming Chỉ thị
            anchor = lambda clause: category in fold(clause)  # noqa: E731
            prefer = lambda s: 0.2 if anchor(s) else 0.0  # noqa: E731
        candidates = []
        if query.terms.required:  # "Công an tỉnh có nhiệm vụ gì?": the section it leads first
            hits = sorted(hits, key=lambda h: not _led_by(h, query.terms.required))
        for rank, hit in enumerate(hits[:3]):
            for sentence in best_sentences(doc.text, hit.chunk, query.terms, self.index.lexical, prefer)[:2]:
                bonus = prefer(doc.text[sentence.start : sentence.end]) if prefer else 0.0
                candidates.append((sentence.score + bonus - 0.05 * rank, sentence, hit))
        if not candidates:
            return None
        _, sentence, hit = max(candidates, key=lambda c: c[0])
        if intent.kind == "count" and not gives_count(query.text, doc.text[sentence.start : sentence.end]):
            return None  # "bao nhiêu tỷ đồng?" needs a number of tỷ đồng in the sentence
        text = sentence_text(doc.text, sentence, query.terms, anchor=anchor, idf=self._idf)
        return Part(doc.doc_id, text, [(hit.chunk.start, hit.chunk.end, hit.score)])

    def _join(self, parts: list[Part]) -> str:
        if len(parts) == 1:
            return parts[0].text
        lines = []
        for part in parts:
            doc = self.index.documents[part.doc_id]
            lines.append(f"{doc.province_name or doc.label}: {part.text}")
        return "\n".join(lines)

    def passages(self, hits: list[Hit]) -> list[Citation]:
        """Retrieved passages as citations, for search."""
        return [self._citation(h.chunk.doc_id, h.chunk.start, h.chunk.end, h.score) for h in hits]

    def _citations(self, parts: list[Part], hits: list[Hit]) -> list[Citation]:
        """The spans that prove the answer first, then the best other passages."""
        spans = [(p.doc_id, s, e, score) for p in parts for s, e, score in p.spans]
        spans += [(h.chunk.doc_id, h.chunk.start, h.chunk.end, h.score) for h in hits]
        citations: list[Citation] = []
        for doc_id, start, end, score in spans:
            citation = self._citation(doc_id, start, end, score)
            if any(c.doc_id == doc_id and c.start <= citation.start and citation.end <= c.end
                   for c in citations):
                continue
            citations.append(citation)
            if len(citations) >= self.settings.top_k:
                break
        return citations

    def _citation(self, doc_id: str, start: int, end: int, score: float) -> Citation:
        doc = self.index.documents[doc_id]
        start, end = whole_sentences(doc.text, start, end)
        return Citation(doc_id, doc.province, doc.display_title, _section(self.index, doc_id, start),
                        doc.text[start:end], start, end, round(score, 4), page=doc.page_at(start))


def _fields_for(chunk, roles: tuple[str, ...], exact: bool) -> list:
    fields = []
    for role in roles:
        field = chunk.field(role)
        if field is None and not exact:
            field = next((chunk.field(r) for r in _STAND_INS[role] if chunk.field(r)), None)
        if field and field not in fields:
            fields.append(field)
    if exact and roles and not chunk.field(roles[0]):
        return []  # the main role asked for must be named for an exact match
    return fields


def _led_by(hit: Hit, named) -> bool:
    lead = hit.chunk.field("lead")
    return bool(lead) and holds_all(named, set(folded_tokens(lead.value)).__contains__)


def _names_only(value: str, named) -> bool:
    """True if a field is just the agency the question already names (no news in it)."""
    if not named:
        return False
    keys = set(folded_tokens(value))
    return holds_all(named, keys.__contains__) and len(value) <= 60


def _section(index: Index, doc_id: str, offset: int) -> str:
    """The innermost section holding the offset (heading lines included)."""
    holding = [s for s in index.sections(doc_id) if s.start <= offset < s.end]
    return max(holding, key=lambda s: len(s.path)).display_path if holding else ""
