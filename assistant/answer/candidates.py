"""Candidate answers from one document: every way the plan itself could answer
the question, each copied from its text with the spans that prove it.

- field: a task line the plan labels (lead unit, coordinating units, timeline …),
  or the unit a section is headed by ("7. Sở Nội vụ");
- sentence: the most relevant sentences of the best passages, cut to their clauses;
- part: a part of the plan the question names by its heading ("Mục đích"), as its items;
- duties: everything the plan gives the agency the question names, in order.

Which candidate answers is decided by the fitted model (`model.py`), not here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..index.lexical import coverage, holds_all, stop_words, text_keys, word_keys, word_tokens
from ..index.store import Index
from ..ingest.documents import Document
from ..ingest.structure import CLOSING_TITLE, ROLES, Section
from ..ingest.text import sentence_spans
from ..query.parse import Question
from ..query.retrieval import Hit
from .extract import (DATE, LIST_SENTENCE_CHARS, MAX_SENTENCE_CHARS, TIME, Sentence, best_sentences, fields_line,
                      focused, has_date, has_number, is_heading_line, sentence_text, time_phrase)

KINDS = ("field", "sentence", "part", "duties", "meta")
_SENTENCE_HITS = 4  # passages of a document whose sentences are candidates
_SENTENCES_PER_HIT = 3  # by the words they share with the question
_DENSE_SENTENCES = 4  # of the whole plan, by the encoder
_FIELD_HITS = 6
_ITEM_CHARS = 260  # one item of a part or of a list of duties
_MAX_ITEMS = 12
_PART_HEADING_WORDS = 12  # a heading longer than this is a task, not a part of the plan


@dataclass(frozen=True)
class Candidate:
    kind: str  # one of KINDS
    doc_id: str
    text: str  # the answer, in the document's own words
    spans: tuple[tuple[int, int], ...]  # what to cite; the first is where the text comes from
    hit: Hit | None = None  # the passage it was found in
    role: str = ""  # the task field ("lead", "timeline" …) or metadata field it gives
    position: int = 0  # order of the sentence among the passage's best
    heading_match: float = 0.0  # for a part: how fully the question names its heading
    focus: float = 0.0  # for a field: how much of the question its task's best sentence holds
    section_named: float = 0.0  # the question names its section by number ("mục 2.1")
    title: str = ""  # for a part: its heading


def document_candidates(index: Index, question: Question, doc: Document, hits: list[Hit]) -> list[Candidate]:
    """All candidates of one document, from its hits (best first). Lines the document's
    metadata was read from (number, place and date, signature) are not candidates here:
    the metadata candidates answer with them."""
    sections = [s for s in index.sections(doc.doc_id) if s.title != CLOSING_TITLE]
    found = _fields(index, question, doc, hits) + _sentences(index, question, doc, hits)
    found += _parts(index, question, doc, sections) + _duties(index, question, doc)
    return [c for c in _unique(found) if not _on_metadata(doc, c)]


_METADATA_LINES = ("number", "date", "signer", "signer_title", "recipients", "closing")  # closing: ingest marks it


def _on_metadata(doc: Document, candidate: Candidate) -> bool:
    spans = [doc.span(f) for f in _METADATA_LINES]
    start, end = candidate.spans[0]
    return candidate.kind == "sentence" and any(s and s[0] < end and start < s[1] for s in spans)


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in candidates:
        key = (c.kind, c.role, c.text)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


# --- task fields -------------------------------------------------------------

def _fields(index: Index, question: Question, doc: Document, hits: list[Hit]) -> list[Candidate]:
    """Each task line of the best passages' sections, with the sentence of the task that
    best matches the question (`focus`): the unit of "7. Sở Nội vụ" answers for every
    duty listed under it, and the duty is what shows it is the one asked about."""
    out = []
    for hit in hits[:_FIELD_HITS]:
        section = _section_of(index, doc, hit)
        evidence, focus = _best_sentence(index, question, doc, section) if section else (None, 0.0)
        for role in ROLES:
            field = hit.chunk.field(role)
            if field is None:
                continue
            spans = ((field.start, field.end),) + ((evidence,) if evidence else ())
            out.append(Candidate("field", doc.doc_id, fields_line([field], hit.chunk.section), spans, hit,
                                 role=role, focus=focus,
                                 section_named=float(bool(section) and section.number in question.sections)))
    return out


def _section_of(index: Index, doc: Document, hit: Hit) -> Section | None:
    section = next((s for s in index.sections(doc.doc_id) if s.display_path == hit.chunk.section), None)
    return section if section is not None and section.number else None


def _best_sentence(index: Index, question: Question, doc: Document,
                   section: Section) -> tuple[tuple[int, int] | None, float]:
    """The heading or sentence of a section's own text that holds most of the question."""
    spans = [(section.start, section.body_start - 1)] + sentence_spans(doc.text, section.body_start, section.own_end)
    scored = [(text_coverage(index, question, doc.text[s:e]), (s, e)) for s, e in spans if e > s]
    if not scored:
        return None, 0.0
    best = max(scored, key=lambda item: item[0])
    return best[1], best[0]


# --- sentences -------------------------------------------------------------

def _sentences(index: Index, question: Question, doc: Document, hits: list[Hit]) -> list[Candidate]:
    """The best sentences of the best passages by the words they share with the question,
    and the sentences of the whole plan the encoder puts closest to it (a question in
    English or in other words shares few words with its answer)."""
    intent = question.intent
    prefer, anchor = None, None
    if intent.kind == "count":
        prefer = lambda s: 0.15 if has_number(s) else 0.0  # noqa: E731
    elif intent.kind == "when":
        prefer = lambda s: 0.2 if time_phrase(s) or has_date(s) else 0.0  # noqa: E731
        anchor = lambda clause: bool(TIME.search(clause) or DATE.search(clause))  # noqa: E731
    idf = _idf(index)
    limit = LIST_SENTENCE_CHARS if intent.kind == "list" else MAX_SENTENCE_CHARS  # a list's items, whole
    chosen: list[tuple[Hit, Sentence, int]] = []
    for hit in hits[:_SENTENCE_HITS]:
        ranked = best_sentences(doc.text, hit.chunk, question.terms, index.lexical, prefer)
        chosen += [(hit, sentence, n) for n, sentence in enumerate(ranked[:_SENTENCES_PER_HIT])]
    seen = {(s.start, s.end) for _, s, _ in chosen}
    chosen += [(hit, s, n) for n, (hit, s) in enumerate(_closest(index, question, doc, hits))
               if (s.start, s.end) not in seen]
    out = []
    for hit, sentence, position in chosen:
        text = sentence_text(doc.text, sentence, question.terms, anchor=anchor, idf=idf, limit=limit)
        actor = _heading_unit(index, doc, hit, sentence.start)
        out.append(Candidate("sentence", doc.doc_id, f"{actor}{text}", ((sentence.start, sentence.end),), hit,
                             role="lead" if actor else "", position=position))
    return out


def _closest(index: Index, question: Question, doc: Document, hits: list[Hit]) -> list[tuple[Hit, Sentence]]:
    """The plan's sentences the encoder puts closest to the question, each with the hit
    of its passage (a passage retrieval did not find is left out)."""
    if question.vector is None or index.sentences is None:
        return []
    out = []
    for (start, end), score in index.sentences.closest(question.vector, doc.doc_id, _DENSE_SENTENCES):
        hit = next((h for h in hits if h.chunk.start <= start < h.chunk.end), None)
        if hit is not None and not is_heading_line(doc.text[start:end]):  # as best_sentences: no bare headings
            out.append((hit, Sentence(start, end, score)))
    return out


def _heading_unit(index: Index, doc: Document, hit: Hit, offset: int) -> str:
    """"Sở Nội vụ (mục VI.7): " for a duty written under "7. Sở Nội vụ": the unit the
    sentence leaves unsaid. Not for a paragraph there that names its own subject."""
    lead = hit.chunk.field("lead")
    if lead is None or lead.label:
        return ""
    task = next((t for t in index.tasks(doc.doc_id) if t.body.start <= offset < max(t.body.end, t.title.end)), None)
    if task is None or not any(lead.value in unit.text or unit.text in lead.value for unit in task.lead):
        return ""
    return fields_line([lead], hit.chunk.section) + ": "


# --- parts of the plan -----------------------------------------------------

def _parts(index: Index, question: Question, doc: Document, sections: list[Section]) -> list[Candidate]:
    """Sections whose heading the question names: "Mục đích của kế hoạch …"."""
    asked = text_keys(question.text)
    out = []
    for section in sections:
        if not section.number:
            continue
        words = _content_words(section.title)
        if not words or len(words) > _PART_HEADING_WORDS:
            continue
        # each word of the heading, as a whole word, spelt as the question spells words
        named = sum(all(k in asked for k in word_keys(w, accented=question.accented)) for w in words) / len(words)
        if named < 1.0 and text_coverage(index, question, section.title) < 0.8:
            continue
        items = _items(doc, section, sections)
        if items:
            text = "\n".join(f"- {focused(t, question.terms, _ITEM_CHARS, _idf(index))}" for t, _, _ in items)
            # one quote: the part from its heading to its last item
            out.append(Candidate("part", doc.doc_id, text, ((section.start, items[-1][2]),), heading_match=named,
                                 section_named=float(section.number in question.sections), title=section.title))
    return out


def _items(doc: Document, section: Section, sections: list[Section]) -> list[tuple[str, int, int]]:
    """A part as a list: its subsections' headings, else its bullets or paragraphs."""
    children = [s for s in sections if len(s.path) == len(section.path) + 1 and s.path[:-1] == section.path
                and section.start < s.start < section.end]
    if children:
        return [(f"{c.number}. {c.title}", c.start, c.start + len(c.number) + 2 + len(c.title))
                for c in children][:_MAX_ITEMS]
    return _paragraph_items(doc.text, section.body_start, section.own_end)


_PARAGRAPH = re.compile(r"^(?:[-+•][ ]*)?(\S[^\n]*)$", re.MULTILINE)
_CLOSING = re.compile(r"^(?:Trên đây là|Nơi nhận|KT\.|TM\.|T/M|TL\.|Q\.)")
_FIELD_OR_NOTE = re.compile(r"^(?:[-+•][ ]*)?(?:Đơn vị|Cơ quan|Thời gian|Thời hạn|Nội dung thực hiện:?$)")


def _paragraph_items(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Each paragraph or bullet of a span as its first sentence (task lines left out),
    up to the closing formula ("Trên đây là …") or the signature."""
    items = []
    for m in _PARAGRAPH.finditer(text, start, end):
        line = m.group()
        if _CLOSING.match(line):
            break
        if _FIELD_OR_NOTE.match(line):
            continue
        first = sentence_spans(text, m.start(1), m.end())[0]
        items.append((text[first[0]:first[1]], first[0], first[1]))
    return items[:_MAX_ITEMS]


# --- the duties of a named agency --------------------------------------------

def _duties(index: Index, question: Question, doc: Document) -> list[Candidate]:
    """"Nhiệm vụ của Công an tỉnh": every task the plan gives that agency, in order (a
    paragraph naming its own subject, "các cơ quan … báo cáo", is not the heading unit's)."""
    required = question.terms.required
    if not required:
        return []
    led = [t for t in index.tasks(doc.doc_id)
           if any(holds_all(required, text_keys(unit.text).__contains__) for unit in t.lead)]
    if not led:
        return []
    text = "\n".join(f"- {focused(t.title.text, question.terms, _ITEM_CHARS, _idf(index))}"
                     for t in led[:_MAX_ITEMS])
    return [Candidate("duties", doc.doc_id, text, tuple((t.title.start, t.title.end) for t in led))]


# --- helpers -----------------------------------------------------------------

def _idf(index: Index):
    return lambda key: index.lexical.idf("folded", key)


def text_coverage(index: Index, question: Question, text: str) -> float:
    """IDF-weighted share of the question's content words that a text holds."""
    return coverage(question.terms.content, text_keys(text).__contains__, index.lexical.key_idf)


@lru_cache(maxsize=4096)
def _content_words(title: str) -> tuple[str, ...]:
    stop = stop_words()
    return tuple(w for w in word_tokens(title) if w not in stop and any(ch.isalpha() for ch in w))
