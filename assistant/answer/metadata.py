"""Answers about the documents themselves: who signed, number, date, issuing
body, which plans they implement or replace; and the dates of the documents
they cite ("Nghị quyết 47/NQ-CP ban hành ngày nào?")."""

from __future__ import annotations

import re

from ..index.store import Index
from ..ingest.documents import Document
from ..ingest.text import fold
from ..query.question import Intent
from ..query.retrieval import MIN_COVERAGE, Hit, Query
from .extract import Part, codes_in, reference_date, whole_sentences

_MISSING = {
    "signer": "không ghi người ký",
    "number": "để trống số văn bản",
    "date": "không ghi ngày ban hành",
    "issuer": "không ghi cơ quan ban hành",
    "implements": "không nêu văn bản làm căn cứ",
    "replaces": "không nêu việc thay thế văn bản nào",
    "kind": "không rõ loại văn bản",
    "title": "không có trích yếu",
    "recipients": "không ghi nơi nhận",
}
_ABOUT_ANOTHER_DOCUMENT = re.compile(r"\b(thuc hien|trien khai|can cu|cu the hoa)\b")
# content words that only say "the document": they do not point to one plan
_GENERIC = {"ke_hoach", "van_ban", "cong_van", "ban_hanh", "ky", "so", "ngay", "tinh", "nao", "ai"}


def metadata_part(index: Index, query: Query, intent: Intent, hits: list[Hit]) -> tuple[list[Part], bool]:
    fields = list(intent.meta)
    if "number" in fields and _ABOUT_ANOTHER_DOCUMENT.search(fold(query.text)):
        fields = ["implements" if f == "number" else f for f in fields]  # "thực hiện Kế hoạch số mấy"
    if "date" in fields:
        cited = _cited_document_date(index, query)
        if cited:
            return [cited], True
    docs = _target_documents(index, query, hits)
    parts, found = [], False
    for doc in docs:
        values, spans = [], []
        for field in dict.fromkeys(fields):
            value = _value(doc, field, query.text)
            if value and doc.span(field):
                values.append(value)
                spans.append((*doc.span(field), 1.0))
                found = True
            else:
                values.append(_MISSING[field])
        parts.append(Part(doc.doc_id, "; ".join(values), spans))
    parts.sort(key=lambda part: not part.spans)  # documents that hold the value first
    if len(parts) == 1 and not found:
        parts = [Part(docs[0].doc_id, f"{_subject(docs[0])} {parts[0].text}.", [])]
    return parts, found


def _value(doc: Document, field: str, question: str = "") -> str:
    if field == "signer":
        return f"{doc.signer} ({doc.signer_title})" if doc.signer and doc.signer_title else doc.signer
    if field == "date" and re.match(r"ngày\s+tháng", doc.date):
        return f"{doc.date.split(' ', 1)[1]} (không ghi ngày cụ thể)"
    if field == "replaces" and doc.replaces:  # one sentence reads right both ways round
        return f"{_subject(doc)} thay thế {'; '.join(doc.replaces)}"
    if field == "recipients" and re.search(r"\bbao cao\b", fold(question)):
        reported = [r for r in doc.recipients if re.search(r"báo cáo|\bb/c\b", r, re.IGNORECASE)]
        return "; ".join(reported or doc.recipients)  # "gửi để báo cáo": those marked (báo cáo)
    value = getattr(doc, field)
    return "; ".join(value) if isinstance(value, tuple) else value


def _subject(doc: Document) -> str:
    """"Kế hoạch của Ninh Thuận": the document as the subject of a sentence."""
    return f"{(doc.kind or 'văn bản').capitalize()} của {doc.province_name or doc.doc_id}"


def _target_documents(index: Index, query: Query, hits: list[Hit]) -> list[Document]:
    docs = list(index.documents.values())
    if query.scope:
        return [d for d in docs if d.province in query.scope]
    numbered = [d for d in docs if d.number and _names_number(query.text, d.number)]
    if numbered:
        return numbered
    specific = [item for item in query.terms.content if not set(item[0]) <= _GENERIC]
    if specific and hits and hits[0].coverage >= MIN_COVERAGE:
        return [index.documents[hits[0].chunk.doc_id]]
    return docs


def _names_number(question: str, number: str) -> bool:
    digits = number.split("/", 1)[0]
    return bool(re.search(rf"(?<![\d/]){re.escape(digits)}(?![\d/])", question))


def _cited_document_date(index: Index, query: Query) -> Part | None:
    own_numbers = {fold(d.number) for d in index.documents.values() if d.number}
    # "Kế hoạch … triển khai Nghị quyết 47/NQ-CP ban hành tháng mấy?" asks about the plan itself
    describing = {fold(m.group(1)) for m in re.finditer(
        r"\b(?:trien khai|thuc hien|can cu|cu the hoa)\s+(?:\w+\s+){0,3}(\S+)", fold(query.text))}
    codes = [c for c in codes_in(query.text) if fold(c) not in own_numbers | describing]
    docs = sorted(index.documents.values(), key=lambda d: d.province not in query.scope)
    for code in codes:
        for doc in docs:
            found = reference_date(doc.text, code)
            if found:
                written, date, start, end = found
                start, end = whole_sentences(doc.text, start, end)
                return Part(doc.doc_id, f"{written}: ngày {date}", [(start, end, 1.0)])
    return None
