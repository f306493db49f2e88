"""The serving boundary trusts nothing the index says about the documents' words.

When the corpus folder is there, every document must first be its source file: the
file's SHA-256 must be the one recorded, and the text read again from it (for the
formats read in well under a second: .txt, .md, .docx, PDFs with a text layer) must be
the text the index holds. An index whose documents.jsonl and chunks.jsonl were edited
together, with the manifest's hashes recomputed, is refused here ("Sở Tài vụ" where
the plan says "Sở Nội vụ"). Scans are not read again (OCR takes seconds a page): their
file hash is checked, and ASSISTANT_INDEX_KEY authenticates their text.

At start-up every passage of the index must be exactly the document text at its
offsets, and every task line (who, with whom, when) must stand in the document where
the index says it does: an edited passage file ("Sở Giả Mạo" where the plan says
"Sở Nội vụ") is refused before anyone is answered from it. Then, for each answer,
a citation whose quote is not exactly `text[start:end]` of its document is dropped
and logged, and an answer left with no citation is not served."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from ..answer.compose import Answer, Citation
from ..errors import IndexError_
from ..index.store import Index
from ..ingest.corpus import CorpusFile, file_hash, sidecar_hash
from ..ingest.documents import load_file

READ_AGAIN = frozenset({"txt", "md", "docx", "pdf"})  # formats read again at load; scans are not

LOG = logging.getLogger("assistant.verify")
_REBUILD = "quản trị viên cần chạy `assistant build` để xây dựng lại chỉ mục"


def check_sources(index: Index, corpus_dir: Path | None) -> None:
    """Raise IndexError_ naming the first document that is not what its source file says."""
    if corpus_dir is None or not corpus_dir.is_dir():
        return
    for doc in index.documents.values():
        path = corpus_dir / doc.source
        if not doc.source or "/" in doc.source or not path.is_file():
            continue  # the file was removed since: nothing to compare with
        digest = file_hash(path)
        if digest != doc.sha256:
            raise IndexError_(f"văn bản {doc.doc_id[:120]} của chỉ mục không phải tệp {doc.source[:120]} hiện có "
                              f"(mã băm SHA-256 khác); {_REBUILD}")
        if doc.format in READ_AGAIN and load_file(CorpusFile(path, digest, sidecar_hash(path))).text != doc.text:
            raise IndexError_(f"toàn văn của văn bản {doc.doc_id[:120]} trong chỉ mục khác với tệp nguồn "
                              f"{doc.source[:120]}: chỉ mục đã bị sửa hoặc hỏng; {_REBUILD}")


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
