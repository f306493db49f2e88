"""The signals a candidate answer is judged by, as one vector of numbers.

Each feature is a plain measurement (how much of the question the candidate holds,
how well its passage ranked, whether it is the kind of thing the question asks for);
how they weigh against each other is learnt from labelled questions (`model.py`,
`scripts/fit_answer_model.py`), never set by hand."""

from __future__ import annotations

import math
import re

import numpy as np

from ..index.lexical import holds_all, text_keys
from ..index.store import Index
from ..ingest.text import fold
from ..query.parse import Question
from .candidates import KINDS, Candidate, text_coverage
from .extract import gives_count, has_date, has_number, time_phrase

FEATURES = (
    "coverage",  # share of the question's content words the candidate holds (IDF-weighted)
    "context_coverage",  # … that the candidate and the headings above it hold
    "passage_coverage",  # … that its passage holds
    "dense",  # cosine of question and passage
    "rank_inverse",  # 1 / (1 + rank of its passage)
    "top_passage",  # its passage ranked first
    "kind_field", "kind_sentence", "kind_part", "kind_duties", "kind_meta",
    "role_asked",  # a field of the role asked for ("phối hợp" → coordinating)
    "role_stand_in",  # a field standing in for the role asked (the lead unit for "tham mưu")
    "who_field", "when_field", "who_sentence", "when_sentence", "what_sentence",
    "list_part", "named_part", "what_part", "unit_duties", "meta_asked",
    "when_dated",  # a when-question and a candidate with a date or a time phrase
    "count_number",  # a count question and a candidate giving that count
    "names_unit",  # the candidate names an agency
    "who_names_unit",
    "heading_match",  # a part: how fully the question names its heading
    "focus",  # a field: how much of the question its task's best sentence holds
    "section_named",  # the question names the candidate's section by number ("mục 2.1")
    "who_field_focus", "when_field_focus", "role_focus",  # a field asked for, on the task asked about
    "sentence_dense",  # cosine of question and the candidate's own sentence (its passage's if none)
    "line_dense",  # cosine of question and the line the candidate is read from (a task's field line)
    "who_sentence_led",  # a who-question, and a sentence of a section whose unit is its heading
    "title_coverage",  # share of the question its section's heading holds
    "names_only_asked",  # a field that only repeats the agency the question names
    "plural_part",  # "những sở nào": a part of the plan listing them
    "part_sentence",  # a question about a phrase inside the plan's text, and a sentence
    "list_duties",  # a list question, and everything the agency named is given
    "plan_coverage",  # the most of the question any passage of the candidate's plan holds
    "plan_dense",  # the closest any passage of its plan comes to the question
    "type_met",  # it is the kind of thing asked for: a number for "bao nhiêu", a time for "khi nào" …
    "unmatched",  # share of the question's words no document uses (the same for every candidate)
    "question_answerable",  # the intent classifier's: that plans like ours answer such a question at all
    "position_inverse",  # 1 / (1 + order of the sentence among its passage's best)
    "log_chars",
)
# each also measured against the question's best candidate (0 for the best, negative
# below it): a ranker comparing candidates of one question needs how far behind they are
GAPS = ("coverage", "context_coverage", "sentence_dense", "line_dense", "focus", "passage_coverage",
        "title_coverage")
FEATURES = FEATURES + tuple(f"{name}_gap" for name in GAPS)
_BASE = len(FEATURES) - len(GAPS)
# a role a task does not name is answered by the nearest one it does (Quảng Ngãi names
# directing and advising bodies, Bắc Giang's headings name only the lead unit)
_STAND_INS = {"lead": ("advising", "directing"), "advising": ("lead", "directing"),
              "directing": ("lead", "advising"), "coordinating": (), "timeline": ()}
_UNIT = re.compile(r"\b(?:Sở|Ban|Văn phòng|Công an|Bộ Chỉ huy|Ủy ban nhân dân|UBND|Đài|Báo|Hội|Mặt trận|"
                   r"Tỉnh đoàn|Bộ|Cục|Phòng|Trường|Khoa|Hiệu trưởng|Giám đốc|Thủ trưởng|Chủ tịch)\b")


def features(index: Index, question: Question, candidate: Candidate, vector: np.ndarray,
             plan: tuple[float, float] = (0.0, 0.0)) -> list[float]:
    """`vector` is the question's embedding; `plan` the best coverage and cosine of the
    passages found in the candidate's plan."""
    intent = question.intent
    kind, hit = candidate.kind, candidate.hit
    # how likely each kind is asked (the intent classifier's probabilities)
    who, when, count, listing = (intent.p(k) for k in ("who", "when", "count", "list"))
    part, meta = intent.p("part"), intent.p("metadata")
    what = intent.p("what") + listing + count + part
    text = candidate.text
    context = f"{hit.chunk.context}\n{text}" if hit else text
    names_unit = bool(_UNIT.search(text))
    is_kind = {k: float(kind == k) for k in KINDS}
    field_focus = is_kind["field"] * candidate.focus
    values = {
        "coverage": text_coverage(index, question, text),
        "context_coverage": text_coverage(index, question, context),
        "passage_coverage": hit.coverage if hit else 0.0,
        "dense": hit.dense if hit else 0.0,
        "rank_inverse": 1.0 / (1 + hit.rank) if hit else 0.0,
        "top_passage": float(bool(hit) and hit.rank == 0),
        **{f"kind_{k}": v for k, v in is_kind.items()},
        "role_asked": float(kind == "field" and candidate.role in intent.roles),
        "role_stand_in": float(kind == "field" and candidate.role not in intent.roles
                               and any(candidate.role in _STAND_INS[r] for r in intent.roles)),
        "who_field": who * is_kind["field"],
        "when_field": when * is_kind["field"],
        "who_sentence": who * is_kind["sentence"],
        "when_sentence": when * is_kind["sentence"],
        "what_sentence": what * is_kind["sentence"],
        "list_part": (listing + count) * is_kind["part"],
        "named_part": float(kind == "part" and candidate.heading_match >= 1.0),
        "what_part": (intent.p("what") + part) * is_kind["part"],
        "unit_duties": (1.0 - who) * is_kind["duties"],
        "meta_asked": meta * is_kind["meta"],
        "when_dated": when * float(bool(has_date(text) or time_phrase(text))),
        "count_number": count * float(has_number(text) and gives_count(question.text, text)),
        "names_unit": float(names_unit),
        "who_names_unit": who * float(names_unit),
        "heading_match": candidate.heading_match,
        "focus": candidate.focus,
        "section_named": candidate.section_named,
        "who_field_focus": who * field_focus,
        "when_field_focus": when * field_focus,
        "role_focus": float(kind == "field" and candidate.role in intent.roles) * candidate.focus,
        "sentence_dense": _sentence_dense(index, candidate, vector),
        "line_dense": _line_dense(index, candidate, vector),
        "who_sentence_led": who * float(kind == "sentence" and bool(hit) and _led_by_heading(hit)),
        "title_coverage": text_coverage(index, question, candidate.title or (hit.chunk.section_title if hit else "")),
        "names_only_asked": float(kind == "field" and _names_only(question, text)),
        "plural_part": min(who, listing) * is_kind["part"],
        "part_sentence": part * is_kind["sentence"],
        "list_duties": listing * is_kind["duties"],
        "plan_coverage": plan[0],
        "plan_dense": plan[1],
        "type_met": float(_type_met(question, candidate, names_unit)),
        "unmatched": question.unmatched,
        "question_answerable": question.intent.answerable,
        "position_inverse": 1.0 / (1 + candidate.position),
        "log_chars": math.log1p(len(text)) / 8,
    }
    return [values[name] for name in FEATURES[:_BASE]]


def relative(vectors: dict[str, list[list[float]]]) -> dict[str, list[tuple[float, ...]]]:
    """The plans' candidate vectors with the gap features appended (see GAPS)."""
    positions = [FEATURES.index(name) for name in GAPS]
    everything = [v for group in vectors.values() for v in group]
    best = [max((v[i] for v in everything), default=0.0) for i in positions]
    return {doc_id: [tuple(v) + tuple(v[i] - b for i, b in zip(positions, best)) for v in group]
            for doc_id, group in vectors.items()}


def _sentence_dense(index: Index, candidate: Candidate, vector: np.ndarray) -> float:
    hit = candidate.hit
    if index.sentences is not None and candidate.kind in ("sentence", "field"):
        span = candidate.spans[0] if candidate.kind == "sentence" else (candidate.spans[1:2] or [None])[0]
        if span is not None:
            similarity = index.sentences.similarity(vector, candidate.doc_id, *span)
            if similarity is not None:
                return similarity
    return hit.dense if hit else 0.0


def _line_dense(index: Index, candidate: Candidate, vector: np.ndarray) -> float:
    """The cosine of the question and the sentence the candidate's first span is (a
    field's own line, under its task's headings); its passage's when not indexed."""
    if index.sentences is not None and candidate.spans:
        similarity = index.sentences.similarity(vector, candidate.doc_id, *candidate.spans[0])
        if similarity is not None:
            return similarity
    return candidate.hit.dense if candidate.hit else 0.0


def _led_by_heading(hit) -> bool:
    """The passage's section is headed by its unit ("7. Sở Nội vụ"), not labelled."""
    lead = hit.chunk.field("lead")
    return bool(lead) and not lead.label


_FIELD_LABEL = re.compile(r"^[^:]{2,40}:\s*")
_SECTION_MARK = re.compile(r"\s*\(mục [^)]*\)$")


def _names_only(question: Question, text: str) -> bool:
    """The field's value is just the agency the question already names: no news in it."""
    required = question.terms.required
    if not required:
        return False
    value = _SECTION_MARK.sub("", _FIELD_LABEL.sub("", text, count=1))
    return holds_all(required, text_keys(value).__contains__) and len(value) <= 60


_ASKS_DATE = re.compile(r"\bngay (nao|may|bao nhieu)\b|\bwhat date\b|\bwhich day\b")


def _type_met(question: Question, candidate: Candidate, names_unit: bool) -> bool:
    """Is the candidate the kind of thing the question asks for?"""
    kind, text = question.intent.kind, candidate.text
    if kind == "count":
        return has_number(text) and gives_count(question.text, text)
    if kind == "when":
        if _ASKS_DATE.search(fold(question.text)):  # "trước ngày nào": a date, not "hằng năm"
            return bool(has_date(text))
        return candidate.role == "timeline" or bool(has_date(text) or time_phrase(text))
    if kind == "who":
        return candidate.kind == "field" and candidate.role != "timeline" or names_unit
    if kind == "metadata":
        return candidate.kind == "meta" and bool(candidate.spans)
    return True
