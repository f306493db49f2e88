"""Extractive pieces of an answer: the best sentences of a passage, time
phrases, task fields as a line, dates of cited documents. Everything returned
is copied from the document text; nothing is generated."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..index.chunking import Chunk
from ..index.lexical import LexicalIndex, QueryTerms, coverage, folded_tokens, text_keys
from ..ingest.structure import TaskField
from ..ingest.text import fold, sentence_spans

MAX_SENTENCE_CHARS = 230  # longer sentences are cut to their most relevant clauses
LIST_SENTENCE_CHARS = 450  # … unless a list is asked for: its items are often one long sentence
TIME = re.compile(
    r"(?:(?:định kỳ|chậm nhất|trước|sau|từ|đến|trong)[ ]+)?(?:ngày[ ]+)?\d{1,2}/\d{1,2}(?:/\d{4})?"
    r"(?:[ ]+(?:hằng|hàng)[ ]+năm)?"
    r"|(?:trước|sau|đến|từ)[ ]+(?:ngày[ ]+)?\d{1,2}[ ]+tháng[ ]+\d{1,2}(?:[ ]+năm[ ]+\d{4})?"
    r"|(?:trong|đến|từ)[ ]+năm[ ]+\d{4}(?:[ ]+và những năm tiếp theo)?"
    r"|(?:hằng|hàng)[ ]+(?:năm|quý|tháng)(?:,[ ]*(?:hằng|hàng)[ ]+(?:năm|quý|tháng))*|thường xuyên"
    # a length of time: "trong thời hạn 03 tháng", "chậm nhất 10 ngày làm việc", "05 năm"
    r"|\b\d{1,3}(?:\s*\([^)]{1,20}\))?[ ]+(?:ngày|tháng|năm|tuần|giờ|phút|quý)(?:[ ]+làm việc)?\b",
    re.IGNORECASE)
DATE = re.compile(r"\d{1,2}/\d{1,2}|\d{1,2}[ ]+tháng[ ]+\d{1,2}|năm[ ]+\d{4}")
_HEADING_LINE = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.\s+[^.\n]{1,90}$")
CODE = re.compile(r"\b\d+(?:/\d{4})?[-/][A-ZĐa-zđ][\w-]*(?:/[A-ZĐa-zđ][\w-]*)?")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    score: float  # IDF-weighted share of the question's terms it contains


def is_heading_line(sentence: str) -> bool:
    """"1. Sở Tài chính", "III. NHIỆM VỤ": a line that heads a part and answers nothing."""
    return bool(_HEADING_LINE.match(sentence))


def best_sentences(text: str, chunk: Chunk, terms: QueryTerms, lexical: LexicalIndex,
                   prefer=None) -> list[Sentence]:
    """Sentences of a passage, most relevant first; `prefer(sentence)` adds a bonus."""
    idf = lexical.key_idf
    spans = sentence_spans(text, chunk.start, chunk.end)
    if len(spans) > 1:  # "1. Sở Tài chính" heads the passage; it does not answer anything
        spans = [s for s in spans if not is_heading_line(text[s[0] : s[1]])] or spans
    scored = []
    for position, (start, end) in enumerate(spans):
        score = coverage(terms.content, text_keys(text[start:end]).__contains__, idf)
        bonus = prefer(text[start:end]) if prefer else 0.0
        scored.append((score + bonus - position * 1e-4, Sentence(start, end, score)))
    return [s for _, s in sorted(scored, key=lambda item: -item[0])]


def sentence_text(text: str, sentence: Sentence, terms: QueryTerms, anchor=None,
                  idf=lambda key: 1.0, limit: int = MAX_SENTENCE_CHARS) -> str:
    """The sentence, or its most relevant clauses when it is longer than `limit`, marked
    with "…". A clause for which `anchor(clause)` holds (a date, the thing a list asks
    for) is kept."""
    body = text[sentence.start : sentence.end]
    if len(body) <= limit:
        return body
    clauses = _clauses(body)
    wanted = set(terms.folded)
    scores = [sum(idf(k) for k in wanted & set(folded_tokens(c))) + (100 if anchor and anchor(c) else 0)
              for c in clauses]
    best = max(range(len(clauses)), key=lambda i: (scores[i], -i))
    first = last = best
    while True:  # grow around the best clause while it fits
        grown = False
        for candidate in (last + 1, first - 1):
            if 0 <= candidate < len(clauses):
                lo, hi = min(first, candidate), max(last, candidate)
                if len(" ".join(clauses[lo : hi + 1])) <= limit:
                    first, last, grown = lo, hi, True
        if not grown:
            break
    piece = " ".join(clauses[first : last + 1])
    if len(piece) > limit:
        piece = piece[:limit].rsplit(" ", 1)[0]
        last = len(clauses)  # the cut is inside the clause: mark it
    return ("… " if first > 0 else "") + piece.rstrip(",;:") + (" …" if last < len(clauses) - 1 else "")


def focused(text: str, terms: QueryTerms, limit: int, idf=lambda key: 1.0) -> str:
    """A line cut to `limit` characters around the clauses the question asks about, not
    at its start: an item's answer may lie at its end."""
    return sentence_text(text, Sentence(0, len(text), 0.0), terms, idf=idf, limit=limit)


def _clauses(sentence: str) -> list[str]:
    """Split after , ; : but never inside parentheses: "(Lào; Trung Quốc; Nhật Bản)" stays whole."""
    clauses, depth, start = [], 0, 0
    for i, char in enumerate(sentence):
        depth += (char == "(") - (char == ")")
        if char in ",;:" and depth <= 0 and i + 1 < len(sentence) and sentence[i + 1] == " ":
            clauses.append(sentence[start : i + 1])
            start = i + 2
    clauses.append(sentence[start:])
    return [c for c in clauses if c]


def time_phrase(sentence: str) -> str | None:
    m = TIME.search(without_citations(sentence))
    return m.group().strip() if m else None


# "Kết luận số 57-KL/TW ngày 15/6/2023": the date of a cited document, not a time to act
_CITATION_DATE = re.compile(r"\d+[-/][A-ZĐ][\w/-]*,?\s+ngày\s+\d{1,2}(?:/| tháng )\d{1,2}(?:/| năm )\d{4}")


def without_citations(sentence: str) -> str:
    return _CITATION_DATE.sub(" ", sentence)


def has_date(sentence: str) -> bool:
    return bool(DATE.search(without_citations(sentence)))


def fields_line(fields: list[TaskField], section: str) -> str:
    """"Đơn vị thực hiện: Sở Nội vụ; Đơn vị phối hợp: …" in the document's own words."""
    parts = []
    for f in fields:
        value = f.value.rstrip(" .;")
        if f.label:
            parts.append(f"{f.label}: {value}")
        elif f.role == "lead":
            parts.append(f"{value} (mục {section.replace(' › ', '.')})")
        else:
            parts.append(f"phối hợp với {value}")
    return "; ".join(parts)


def codes_in(question: str) -> list[str]:
    return [c for c in CODE.findall(question) if any(ch.isalpha() for ch in c)]


def reference_date(text: str, code: str) -> tuple[str, str, int, int] | None:
    """For "47/NQ-CP" where the text writes "… số 47/NQ-CP ngày 15/4/2024": the code as
    written, the date, and the span of both."""
    folded = fold(text)
    if len(folded) != len(text):
        return None
    m = re.search(re.escape(fold(code)) + r",?\s+ngay\s+(\d{1,2}(?:/| thang )\d{1,2}(?:/| nam )\d{4})",
                  folded)
    if not m:
        return None
    return text[m.start() : m.start() + len(code)], text[m.start(1) : m.end(1)], m.start(), m.end()


def whole_sentences(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to the sentences it touches, so a quote is never a fragment."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    touched = [s for s in sentence_spans(text, line_start, line_end) if s[1] > start and s[0] < end]
    return (touched[0][0], touched[-1][1]) if touched else (start, end)


# "năm" is left out: in these plans it is nearly always "year"
_NUMBER_WORD = r"(?:\d[\d.,]*%?|[IVXLC]{1,6}|một|hai|ba|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn)"
_NUMBER = re.compile(rf"\b{_NUMBER_WORD}(?!\w)", re.IGNORECASE)
_COUNTER = re.compile(r"\b(?:bao nhiêu|mấy|how many|how much|what)\s+((?:[^\W\d_]+\s?){1,2})", re.IGNORECASE)
_ORDINAL = re.compile(r"\bthứ\s+mấy\b", re.IGNORECASE)


def gives_count(question: str, sentence: str) -> bool:
    """Does the sentence give the count asked for: a number before the counted noun
    ("01 vị trí" for "bao nhiêu vị trí"), "thứ XIV" for "lần thứ mấy", "100%" for percent?"""
    if _ORDINAL.search(question):
        return bool(re.search(rf"\bthứ\s+{_NUMBER_WORD}\b", sentence, re.IGNORECASE))
    m = _COUNTER.search(question)
    if not m:
        return bool(_NUMBER.search(sentence))
    counted = m.group(1).split()[0].lower()
    if counted in ("phần", "percent", "percentage", "phan"):
        return "%" in sentence
    translated = {"billion": "tỷ", "million": "triệu"}.get(counted, counted)
    # the counted noun as typed, with or without its marks ("lan" is "lần")
    folded = fold(sentence)
    return len(folded) == len(sentence) and bool(
        re.search(rf"\b{fold(_NUMBER_WORD)}\s+(?:\w+\s+)?{re.escape(fold(translated))}\b", folded))


def has_number(sentence: str) -> bool:
    return bool(_NUMBER.search(sentence))
