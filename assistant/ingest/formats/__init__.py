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


@dataclass(frozen=True)
class Limits:
    """What one file may hold; each is checked before the work it bounds (Settings.max_*)."""

    file_bytes: int = 50 << 20
    pdf_pages: int = 300
    docx_xml_bytes: int = 20 << 20
    image_pixels: int = 80_000_000
    ocr_page_seconds: int = 300  # one page's OCR: 5–15 s on an idle core, far more on a loaded one

    @classmethod
    def of(cls, settings) -> "Limits":
        return cls(settings.max_file_bytes, settings.max_pdf_pages, settings.max_docx_xml_bytes,
                   settings.max_image_pixels, settings.ocr_page_seconds)


def suffixes() -> tuple[str, ...]:
    return tuple(_readers())


def unsupported(path: Path) -> str:
    """Why a file of this kind is not read, in one line."""
    return (f"tệp {path.name}: định dạng «{path.suffix or '(không có đuôi)'}» chưa được hỗ trợ; "
            f"dùng {', '.join(suffixes())}")


def read(path: Path, limits: Limits = Limits()) -> Extracted:
    """The text of one file, or UnreadableDocumentError naming it."""
    reader = _readers().get(path.suffix.lower())
    if reader is None:
        raise UnreadableDocumentError(unsupported(path))
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise UnreadableDocumentError(f"tệp {path.name} nặng {_mb(size)}, vượt giới hạn {_mb(limits.file_bytes)} "
                                      "một tệp (ASSISTANT_MAX_FILE_BYTES); hãy tách tệp hoặc nén ảnh quét")
    try:
        extracted = reader(path, limits)
    except MemoryError:
        raise UnreadableDocumentError(f"không đủ bộ nhớ để đọc tệp {path.name}; hãy tách tệp thành nhiều phần "
                                      "hoặc quét ở độ phân giải thấp hơn (200–300 dpi)") from None
    if not extracted.text.strip():
        if extracted.format in ("txt", "md"):
            raise UnreadableDocumentError(f"tệp {path.name} trống nên không được đưa vào chỉ mục")
        raise UnreadableDocumentError(f"không tìm thấy chữ nào trong tệp {path.name} nên không đưa vào chỉ mục")
    return extracted


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


def _readers() -> dict:
    from . import ocr, office, pdf, plain, word

    return {".txt": plain.read, ".md": plain.read, ".docx": word.read, ".pdf": pdf.read,
            ".png": ocr.read, ".jpg": ocr.read, ".jpeg": ocr.read,
            ".doc": office.read, ".odt": office.read, ".rtf": office.read}


def cleaned(raw: str, fmt: str, raw_pages: tuple[int, ...] = (), name: str = "", converted_from: str = "",
            ocr_quality: tuple = (), scanned: bool = False) -> Extracted:
    """Clean raw extracted text; carry the page starts over to the cleaned text. Text in
    a legacy encoding that was not converted at the source is converted here (legacy.py);
    a scan's misread section numbers are put back in sequence (sequence.py)."""
    from .legacy import check_readable, convert
    from .sequence import renumber, shift_offsets

    raw = nfc(raw)
    if not converted_from:
        raw, converted_from = convert(raw)
    check_readable(raw, name)
    text = clean_document(raw)
    pages = carry_offsets(raw, text, raw_pages)
    if scanned:
        text, shifts = renumber(text)
        pages = shift_offsets(pages, shifts)
    return Extracted(text, fmt, pages, converted_from, ocr_quality)


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
