"""Scans: `.png` and `.jpg` images, and PDF pages without a text layer, read by
Tesseract with its Vietnamese data (Debian's tesseract-ocr and tesseract-ocr-vie).

The binary is called directly, one page per process with OpenMP limited to one thread
(on two cores that is about four times faster than Tesseract's own threading), two
pages at a time. Its TSV output gives each word's box, so the lines keep their
positions and layout.py treats them exactly like a PDF's text layer."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from ...errors import UnreadableDocumentError
from . import Extracted, cleaned
from .columns import arrange, split_words
from .layout import Line, Page, page_text

DPI = 300  # scans are rendered, and assumed, at 300 dpi
LANGUAGE = "vie"
_PAGE_SECONDS = 120  # one page never takes longer than this
_MIN_LETTERS = 10  # fewer letters than this: the image has no text


def read(path: Path) -> Extracted:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            page = _ocr(_greyscale(image), path.name, _dpi(image))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableDocumentError(f"tệp {path.name} không phải ảnh đọc được ({type(exc).__name__})") from exc
    if sum(c.isalpha() for line in page.lines for c in line.text) < _MIN_LETTERS:
        raise UnreadableDocumentError(f"không tìm thấy chữ trong ảnh {path.name}; hãy quét lại rõ hơn "
                                      f"(khoảng {DPI} dpi) hoặc dùng bản có lớp chữ")
    raw, _ = page_text(arrange([page]))
    return cleaned(raw, path.suffix.lower().lstrip(".").replace("jpeg", "jpg"))


def ocr_pdf_pages(path: Path, numbers: list[int]) -> list[Page]:
    """OCR of the given pages (0-based) of a PDF, rendered at 300 dpi."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        images = [document[n].render(scale=DPI / 72, grayscale=True).to_pil() for n in numbers]
    finally:
        document.close()
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda image: _ocr(image, path.name, DPI), images))


def _greyscale(image):
    return image.convert("L") if image.mode not in ("L", "1") else image


def _dpi(image) -> int:
    dpi = image.info.get("dpi")
    return int(round(dpi[0])) if dpi and dpi[0] and dpi[0] > 50 else DPI


def _ocr(image, name: str, dpi: int) -> Page:
    binary = _tesseract()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        result = subprocess.run([binary, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi), "--psm", "3", "tsv"],
                                input=buffer.getvalue(), capture_output=True, timeout=_PAGE_SECONDS,
                                env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocumentError(f"nhận dạng chữ trong {name} quá {_PAGE_SECONDS} giây cho một trang") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise UnreadableDocumentError(f"Tesseract không đọc được {name}: {message[0]}")
    return Page(tuple(_lines(result.stdout.decode("utf-8"))), float(image.width), float(image.height))


def _lines(tsv: str) -> list[Line]:
    """Tesseract's words grouped back into its lines, each with its box."""
    words: dict[tuple, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            key = (int(row["page_num"]), int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            words.setdefault(key, []).append({k: int(row[k]) for k in ("left", "top", "width", "height")}
                                             | {"text": row["text"].strip()})
    lines = []
    for key in sorted(words):
        boxes = [(w["text"], w["left"], w["left"] + w["width"], w["top"], w["top"] + w["height"]) for w in words[key]]
        for run in split_words(boxes):  # a line Tesseract drew across two table cells
            lines.append(Line(" ".join(w[0] for w in run), min(w[1] for w in run), max(w[2] for w in run),
                              min(w[3] for w in run), max(w[4] for w in run), float(run[0][2] - run[0][1])))
    return lines  # in Tesseract's reading order: block by block


@lru_cache(maxsize=1)
def _tesseract() -> str:
    binary = shutil.which("tesseract")
    hint = "cài bằng scripts/setup.sh hoặc: apt-get install tesseract-ocr tesseract-ocr-vie"
    if not binary:
        raise UnreadableDocumentError(f"cần Tesseract để đọc bản quét; {hint}")
    listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    if LANGUAGE not in listed.stdout.split():
        raise UnreadableDocumentError(f"Tesseract chưa có dữ liệu tiếng Việt ({LANGUAGE}); {hint}")
    return binary
