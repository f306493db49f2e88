"""Passages: each section's own text cut at sentence boundaries by
langchain-text-splitters, with its offsets into the document text, section
path and task fields."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ..ingest.documents import Document
from ..ingest.structure import Section, TaskField, parse_sections
from ..ingest.text import shorten

# paragraph, line, sentence, then (for over-long sentences) clause, word: never inside a word
_SEPARATORS = ["\n\n", "\n", r"(?<=[.!?…])\s+", r"(?<=;)\s+", r"(?<=,)\s+", " "]
_CONTEXT_TITLE_CHARS = 120
_MIN_PASSAGE_CHARS = 150  # a shorter piece (a lone heading line) joins its neighbour


@dataclass(frozen=True)
class Chunk:
    chunk_id: int
    doc_id: str
    province: str
    section: str  # display path, "II › 2 › 2.3"
    section_title: str
    start: int
    end: int
    text: str  # == document.text[start:end]
    context: str  # province and heading titles, prepended for matching only
    fields: tuple[TaskField, ...] = ()

    def field(self, role: str) -> TaskField | None:
        return next((f for f in self.fields if f.role == role), None)

    def matching_text(self) -> str:
        """What is embedded and indexed: context, passage, and task lines kept elsewhere."""
        extra = [f"{f.label}: {f.value}" for f in self.fields
                 if f.label and not (self.start <= f.start < self.end)]
        return "\n".join([self.context, self.text, *extra])


def make_splitter(chunk_size: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=0, separators=_SEPARATORS,
        is_separator_regex=True, keep_separator=True, strip_whitespace=True,
    )


def chunk_documents(documents: list[Document], chunk_size: int) -> list[Chunk]:
    splitter = make_splitter(chunk_size)
    chunks: list[Chunk] = []
    for document in documents:
        sections = parse_sections(document.text)
        for section in sections:
            for start, end in _passages(document.text, section, sections, splitter):
                chunks.append(Chunk(
                    chunk_id=len(chunks), doc_id=document.doc_id, province=document.province,
                    section=section.display_path, section_title=section.title,
                    start=start, end=end, text=document.text[start:end],
                    context=_context(document, section, sections), fields=section.fields,
                ))
    return chunks


def _passages(text: str, section: Section, sections: list[Section], splitter) -> list[tuple[int, int]]:
    own = text[section.start : section.own_end]
    has_children = section.own_end < section.end
    if not own.strip() or (has_children and "\n" not in own.strip()):
        return []  # a bare heading: its title reaches the passages below through their context
    spans, cursor = [], section.start
    for piece in splitter.split_text(own):
        start = text.index(piece, cursor)
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    return _merge_short(spans)


def _merge_short(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    pending_start = None
    for start, end in spans:
        start = start if pending_start is None else pending_start
        pending_start = start if end - start < _MIN_PASSAGE_CHARS else None
        if pending_start is None:
            merged.append((start, end))
    if pending_start is not None:  # a short last piece joins the one before it
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((pending_start, spans[-1][1]))
    return merged


def _context(document: Document, section: Section, sections: list[Section]) -> str:
    titles = []
    for other in sections:
        if other.path and other.path == section.path[: len(other.path)]:
            titles.append(f"{other.number}. {shorten(other.title, _CONTEXT_TITLE_CHARS)}")
    head = document.province_name or document.label
    return " › ".join([head, *titles]) if titles else f"{head} › {section.title}"
