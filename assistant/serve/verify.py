"""The serving boundary trusts nothing the index says about the documents' words.

At start-up every passage of the index must be exactly the document text at its
offsets, and every task line (who, with whom, when) must stand in the document where
the index says it does: an edited passage file ("Sở Giả Mạo" where the plan says
"Sở Nội vụ") is refused before anyone is answered from it. Then, for each answer,
a citation whose quote is not exactly `text[start:end]` of its document is dropped
and logged, and an answer left with no citation is not served."""

from __future__ import annotations

import logging
from dataclasses import replace

from ..answer.compose import Answer, Citation
from ..errors import IndexError_
from ..index.store import Index

LOG = logging.getLogger("assistant.verify")
_REBUILD = "quản trị viên cần chạy `assistant build` để xây dựng lại chỉ mục"


def check_index(index: Index) -> None:
    """Raise IndexError_ naming the first passage that does not match its document."""
    for chunk in index.chunks:
        doc = index.documents.get(chunk.doc_id)
        text = doc.text if doc is not None else ""
        lines = [text[f.start:f.end] for f in chunk.fields]
        if doc is None or text[chunk.start:chunk.end] != chunk.text or any(
                f.value not in line or f.label not in line for f, line in zip(chunk.fields, lines)):
            raise IndexError_(f"đoạn {chunk.chunk_id} của chỉ mục ({chunk.doc_id[:120]}, mục {chunk.section[:60]}) "
                              f"không khớp nguyên văn văn bản: chỉ mục đã bị sửa hoặc hỏng; {_REBUILD}")


def verified_citations(citations, documents) -> list[Citation]:
    kept = []
    for citation in citations:
        doc = documents.get(citation.doc_id)
        if doc is not None and 0 <= citation.start <= citation.end <= len(doc.text) \
                and doc.text[citation.start:citation.end] == citation.quote:
            kept.append(citation)
        else:
            LOG.error("trích dẫn không khớp văn bản, đã bỏ: %s [%s:%s]", citation.doc_id[:120], citation.start,
                      citation.end)
    return kept


def verified_answer(answer: Answer, documents) -> Answer:
    citations = verified_citations(answer.citations, documents)
    if answer.found and not citations:
        LOG.error("câu trả lời không còn trích dẫn nào khớp văn bản, không gửi đi")
        raise IndexError_(f"câu trả lời không có trích dẫn nào khớp nguyên văn văn bản nên không được gửi; {_REBUILD}")
    return replace(answer, citations=tuple(citations))
