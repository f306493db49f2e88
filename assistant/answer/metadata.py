"""Answers about the documents themselves: who signed, number, date, issuing
body, province, which plans they implement or replace; and the dates of the
documents they cite ("Nghị quyết 47/NQ-CP ban hành ngày nào?"). Each is a
candidate like any other, with the span its value was read from."""

from __future__ import annotations

import re

from ..index.store import Index
from ..ingest.documents import Document
from ..ingest.text import fold
from ..query.parse import Question
from ..query.retrieval import Hit
from .candidates import Candidate
from .extract import codes_in, reference_date, whole_sentences

MISSING = {
    "signer": "không ghi người ký",
    "number": "để trống số văn bản",
    "date": "không ghi ngày ban hành",
    "issuer": "không ghi cơ quan ban hành",
    "province": "không ghi tỉnh",
    "implements": "không nêu văn bản làm căn cứ",
    "replaces": "không nêu việc thay thế văn bản nào",
    "kind": "không rõ loại văn bản",
    "title": "không có trích yếu",
    "recipients": "không ghi nơi nhận",
}
UNREAD = {"signer": "người ký", "number": "số văn bản", "date": "ngày ban hành", "issuer": "cơ quan ban hành"}
_ABOUT_ANOTHER_DOCUMENT = re.compile(r"\b(thuc hien|trien khai|can cu|cu the hoa)\b")
# content words that only say "the document": they do not point to one plan
_GENERIC = {"ke_hoach", "van_ban", "cong_van", "ban_hanh", "ky", "so", "ngay", "tinh", "nao", "ai"}
TARGET_COVERAGE = 0.6  # the best passage holds this much of the question: it points to its plan


def metadata_candidates(index: Index, question: Question, hits: list[Hit]) -> list[Candidate]:
    """One candidate per document asked about, holding every field asked for."""
    fields = list(question.intent.meta)
    if "number" in fields and _ABOUT_ANOTHER_DOCUMENT.search(fold(question.text)):
        fields = ["implements" if f == "number" else f for f in fields]  # "thực hiện Kế hoạch số mấy"
    if "date" in fields:
        cited = _cited_document_date(index, question)
        if cited:
            return [cited]
    out = []
    for doc in _target_documents(index, question, hits):
        values, spans = [], []
        for field in dict.fromkeys(fields):
            value = value_of(doc, field, question.text)
            if value and doc.span(field):
                values.append(value)
                spans.append(doc.span(field))
            elif field in doc.unread:  # the document has it; the reader could not make it out
                values.append(f"văn bản có ghi {UNREAD[field]} nhưng không đọc được")
            else:
                values.append(MISSING[field])
        out.append(Candidate("meta", doc.doc_id, "; ".join(values), tuple(spans), role=fields[0]))
    return out


def value_of(doc: Document, field: str, question: str = "") -> str:
    if field == "signer":
        return f"{doc.signer} ({doc.signer_title})" if doc.signer and doc.signer_title else doc.signer
    if field == "date" and re.match(r"ngày\s+tháng", doc.date):
        return f"{doc.date.split(' ', 1)[1]} (không ghi ngày cụ thể)"
    if field == "replaces" and doc.replaces:  # one sentence reads right both ways round
        return f"{subject(doc)} thay thế {'; '.join(doc.replaces)}"
    if field == "province":
        return f"{subject(doc)} là của tỉnh {doc.province_name}" if doc.province_name else ""
    if field == "recipients" and re.search(r"\bbao cao\b", fold(question)):
        reported = [r for r in doc.recipients if re.search(r"báo cáo|\bb/c\b", r, re.IGNORECASE)]
        return "; ".join(reported or doc.recipients)  # "gửi để báo cáo": those marked (báo cáo)
    value = getattr(doc, field)
    return "; ".join(value) if isinstance(value, tuple) else value


def subject(doc: Document) -> str:
    """"Kế hoạch của Ninh Thuận": the document as the subject of a sentence."""
    return f"{(doc.kind or 'văn bản').capitalize()} của {doc.province_name or doc.doc_id}"


def _target_documents(index: Index, question: Question, hits: list[Hit]) -> list[Document]:
    docs = list(index.documents.values())
    if question.scope:
        return [d for d in docs if d.province in question.scope]
    numbered = [d for d in docs if d.number and _names_number(question.text, d.number)]
    if numbered:
        return numbered
    specific = [item for item in question.terms.content
                if not {k.lstrip("~") for k in item[0]} <= _GENERIC]
    if specific and hits and hits[0].coverage >= TARGET_COVERAGE:
        return [index.documents[hits[0].chunk.doc_id]]
    return docs


def _names_number(question: str, number: str) -> bool:
    digits = number.split("/", 1)[0]
    return bool(re.search(rf"(?<![\d/]){re.escape(digits)}(?![\d/])", question))


def _cited_document_date(index: Index, question: Question) -> Candidate | None:
    own_numbers = {fold(d.number) for d in index.documents.values() if d.number}
    # "Kế hoạch … triển khai Nghị quyết 47/NQ-CP ban hành tháng mấy?" asks about the plan itself
    describing = {fold(m.group(1)) for m in re.finditer(
        r"\b(?:trien khai|thuc hien|can cu|cu the hoa)\s+(?:\w+\s+){0,3}(\S+)", fold(question.text))}
    codes = [c for c in codes_in(question.text) if fold(c) not in own_numbers | describing]
    docs = sorted(index.documents.values(), key=lambda d: d.province not in question.scope)
    for code in codes:
        for doc in docs:
            found = reference_date(doc.text, code)
            if found:
                written, date, start, end = found
                return Candidate("meta", doc.doc_id, f"{written}: ngày {date}",
                                 (whole_sentences(doc.text, start, end),), role="date")
    return None


# "Kế hoạch số 999", "công văn 12", "KL 58": a document named by its number alone
_NUMBERED = re.compile(r"\b(?:ke hoach|cong van|van ban|nghi quyet|ket luan|chi thi|quyet dinh|thong bao|plan|"
                       r"letter|resolution|conclusion|decision|directive)\s+(?:so\s+|no\.?\s*|number\s+)?"
                       r"(\d{1,4})(?![\d/.-])")
_YEARS = range(1945, 2101)


def unknown_document(index: Index, question: Question) -> str | None:
    """The number of a document the question names that no document has and none
    cites ("Kế hoạch số 999/KH-UBND"), or None. An answer about it would be about
    another document: the signer of 157/KH-UBND is not the signer of 999/KH-UBND."""
    texts = [fold(d.text) for d in index.documents.values()] + [fold(d.number) for d in index.documents.values()]
    for code in codes_in(question.text):
        if not any(fold(code) in text for text in texts):
            return code
    for match in _NUMBERED.finditer(fold(question.text)):
        number = match.group(1)
        if int(number) in _YEARS:
            continue  # "kế hoạch 2024": the year
        pattern = re.compile(rf"(?<![\d/.])(?:so\s+)?{number}\s?[/-]")  # "số 157/KH", "57-KL/TW"
        if not any(pattern.search(text) for text in texts):
            return number
    return None
