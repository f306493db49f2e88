"""`.pdf`: the text layer with pdfplumber; pages without one are read by OCR.

pdfplumber was chosen by measurement: on PDFs that LibreOffice made from the five plans,
its text has a character error rate of about 2% before cleaning, pypdf's about 37%
(pypdf emits many Vietnamese letters out of order; see scripts/format_benchmark.py).
The lines keep their positions, from which layout.py removes page numbers and running
headers and footers and rejoins the lines of each paragraph."""

from __future__ import annotations

from pathlib import Path

from ...errors import UnreadableDocumentError
from . import Extracted, Limits, cleaned
from .columns import arrange, split_words
from .layout import Line, Page, page_text

_MIN_TEXT_CHARS = 40  # a page with fewer characters in its text layer, and a picture, is a scan
_SCAN_COVER = 0.5  # … a picture covering at least this share of the page
_WORD_GAP = 0.25  # a gap this many font sizes wide separates two words
_SPACE = 0.15  # between letters, a gap this many font sizes wide is a space (pdfplumber's 3 pt at 13 pt)


def read(path: Path, limits: Limits) -> Extracted:
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(str(path)) as document:
            if len(document.pages) > limits.pdf_pages:
                raise UnreadableDocumentError(
                    f"tệp {path.name} có {len(document.pages)} trang, vượt giới hạn {limits.pdf_pages} trang một "
                    "tệp PDF (ASSISTANT_MAX_PDF_PAGES); hãy tách thành các văn bản riêng")
            pages = [_page(page) for page in document.pages]
            pictured = [_pictured(page) for page in document.pages]
    except UnreadableDocumentError:
        raise
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if type(cause).__name__ == "PDFPasswordIncorrect":
            raise UnreadableDocumentError(
                f"tệp {path.name} được bảo vệ bằng mật khẩu nên không đọc được; hãy gỡ mật khẩu "
                "(in ra PDF hoặc lưu bản không khóa) rồi thêm lại") from exc
        raise UnreadableDocumentError(f"tệp {path.name} bị hỏng hoặc không phải PDF ({type(cause).__name__})") from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise UnreadableDocumentError(f"tệp {path.name} bị hỏng hoặc không phải PDF ({type(exc).__name__})") from exc
    if not pages:
        raise UnreadableDocumentError(f"tệp {path.name} không có trang nào")
    # a page with almost no text is a scan only when a picture fills it: the last page of a
    # typed plan may hold just the signer's name
    scanned = [n for n, page in enumerate(pages)
               if sum(len(line.text) for line in page.lines) < _MIN_TEXT_CHARS and (pictured[n] or not page.lines)]
    words: list = []
    if scanned:
        from .ocr import ocr_pdf_pages

        read_pages, words = ocr_pdf_pages(path, scanned, limits)
        for number, page in zip(scanned, read_pages):
            pages[number] = page
    raw, starts = page_text(arrange(pages))
    if scanned:
        from .ocr import quality
        
        return cleaned(raw, "pdf-ocr", starts, name=path.name, ocr_quality=quality(words), scanned=True)
    return cleaned(raw, "pdf", starts, name=path.name)


def _page(page) -> Page:
    lines = []
    for line in page.extract_text_lines(return_chars=True, strip=True):
        cells = _cells(line["chars"])
        for chars in cells:
            text = " ".join((line["text"] if len(cells) == 1 else _spaced(chars)).split())
            if text:
                lines.append(Line(text, min(c["x0"] for c in chars), max(c["x1"] for c in chars),
                                  min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                                  _first_word_width(chars)))
    return Page(tuple(lines), float(page.width), float(page.height))


def _pictured(page) -> bool:
    area = float(page.width) * float(page.height) or 1.0
    return any((float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) >= _SCAN_COVER * area
               for i in page.images)


def _cells(chars: list[dict]) -> list[list[dict]]:
    """The characters of one printed line, cut where the line crosses from one table cell
    to the next (a gap of several characters: columns.split_words)."""
    words = [(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in chars]
    runs = split_words(words)
    out, n = [], 0
    for run in runs:
        out.append(chars[n:n + len(run)])
        n += len(run)
    return out


def _spaced(chars: list[dict]) -> str:
    """Text of a run of characters, a space where letters stand a word gap apart."""
    out = []
    for previous, char in zip([None] + chars[:-1], chars):
        if previous is not None and char["x0"] - previous["x1"] > _SPACE * char.get("size", 10):
            out.append(" ")
        out.append(char["text"])
    return "".join(out)


def _first_word_width(chars: list[dict]) -> float:
    """Width of the first word: up to the first space, or the first gap between letters."""
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return 0.0
    end = visible[0]["x1"]
    for previous, char in zip(chars, chars[1:]):
        if not char["text"].strip():
            break
        if char["x0"] - previous["x1"] > _WORD_GAP * char.get("size", 10):
            break
        end = char["x1"]
    return end - visible[0]["x0"]
