"""Readers for the file formats the corpus accepts, one small module per format, each
with `read(path) -> Extracted`. Whatever the format, the text comes out NFC and cleaned
by `clean_document`: it is the text that quotes refer to. A paged source (PDF) also
says where each page starts in that text, so a citation can name its page."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from ...errors import UnreadableDocumentError
from ..text import clean_document, nfc


@dataclass(frozen=True)
class Extracted:
    text: str  # cleaned, NFC: citation offsets index into it
    format: str  # "txt", "md", "docx", "pdf", "pdf-ocr" (scanned), "png", "jpg"
    pages: tuple[int, ...] = ()  # offset where each page starts; () when the source has no pages
    converted_from: str = ""  # "TCVN3" or "VNI" when the text was in a legacy encoding
    ocr_quality: tuple[tuple[str, float], ...] = ()  # a scan's measured quality (ocr.py)

    @property
    def scanned(self) -> bool:
        return self.format in ("pdf-ocr", "png", "jpg")


def suffixes() -> tuple[str, ...]:
    return tuple(_readers())


def read(path: Path) -> Extracted:
    """The text of one file, or UnreadableDocumentError naming it."""
    reader = _readers().get(path.suffix.lower())
    if reader is None:
        raise UnreadableDocumentError(
            f"tệp {path.name}: định dạng «{path.suffix or '(không có đuôi)'}» chưa được hỗ trợ; "
            f"dùng {', '.join(suffixes())}" + ("; hãy lưu tệp .doc thành .docx" if path.suffix.lower() == ".doc" else ""))
    extracted = reader(path)
    if not extracted.text.strip():
        if extracted.format in ("txt", "md"):
            raise UnreadableDocumentError(f"tệp {path.name} trống nên không được đưa vào chỉ mục")
        raise UnreadableDocumentError(f"không tìm thấy chữ nào trong tệp {path.name} nên không đưa vào chỉ mục")
    return extracted


def _readers() -> dict:
    from . import ocr, pdf, plain, word

    return {".txt": plain.read, ".md": plain.read, ".docx": word.read, ".pdf": pdf.read,
            ".png": ocr.read, ".jpg": ocr.read, ".jpeg": ocr.read}


def cleaned(raw: str, fmt: str, raw_pages: tuple[int, ...] = ()) -> Extracted:
    """Clean raw extracted text; carry the page starts over to the cleaned text."""
    raw = nfc(raw)
    text = clean_document(raw)
    return Extracted(text, fmt, carry_offsets(raw, text, raw_pages))


def carry_offsets(raw: str, text: str, offsets: tuple[int, ...]) -> tuple[int, ...]:
    """Map offsets in `raw` to offsets in `text`, a cleaned copy of it.

    Cleaning only drops characters (markup, surplus spaces) and turns line breaks into
    spaces, so the visible characters of `text` appear in `raw` in the same order: pair
    them up, and an offset goes where the first visible character at or after it went."""
    if not offsets:
        return ()
    raw_positions = []  # for each visible character of text, its position in raw
    cursor = 0
    for char in text:
        if char.isspace():
            continue
        found = raw.find(char, cursor)
        if found < 0:  # not a copy after all: keep what is paired so far
            break
        raw_positions.append(found)
        cursor = found + 1
    visible = [i for i, c in enumerate(text) if not c.isspace()][: len(raw_positions)]
    mapped = []
    for offset in offsets:
        k = bisect_right(raw_positions, offset - 1)  # first visible character at or after offset
        mapped.append(visible[k] if k < len(visible) else len(text))
    return tuple(mapped)
