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
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from ...errors import UnreadableDocumentError
from . import Extracted, Limits, cleaned
from .columns import LIST_NUMBER, arrange, split_words
from .layout import Line, Page, page_text

DPI = 300  # scans are rendered, and assumed, at 300 dpi
LANGUAGE = "vie"
_MIN_LETTERS = 10  # fewer letters than this: the image has no text
_UPRIGHT_CONFIDENCE = 60  # a page read with less mean confidence may be turned: OSD is asked


def read(path: Path, limits: Limits) -> Extracted:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:  # reads the header only: the size is known before decoding
            _check_pixels(image.width, image.height, limits, path.name)
            image.load()
            page, words = _ocr(_greyscale(image), path.name, _dpi(image), limits)
    except Image.DecompressionBombError as exc:  # Pillow's own guard, at twice its limit, fired first
        size = re.search(r"\((\d+) pixels\)", str(exc))
        if size:
            _check_pixels(int(size.group(1)), 1, limits, path.name)
        raise UnreadableDocumentError(f"ảnh {path.name} quá lớn để giải nén an toàn (decompression bomb); "
                                      "hãy quét lại ở 200–300 dpi") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableDocumentError(f"tệp {path.name} không phải ảnh đọc được ({type(exc).__name__})") from exc
    if sum(c.isalpha() for line in page.lines for c in line.text) < _MIN_LETTERS:
        raise UnreadableDocumentError(f"không tìm thấy chữ trong ảnh {path.name}; hãy quét lại rõ hơn "
                                      f"(khoảng {DPI} dpi) hoặc dùng bản có lớp chữ")
    raw, _ = page_text(arrange([page]))
    return cleaned(raw, path.suffix.lower().lstrip(".").replace("jpeg", "jpg"), name=path.name,
                   ocr_quality=quality(words), scanned=True)


def ocr_pdf_pages(path: Path, numbers: list[int], limits: Limits) -> tuple[list[Page], list[tuple[float, int]]]:
    """OCR of the given pages (0-based) of a PDF, each drawn at 300 dpi (a 200 dpi scan
    too: Tesseract reads small letters better so; on the 200 dpi fixture "Thị Thanh" was
    read "Thị Thới" at 200), and its words' confidences. Pages are drawn two at a time as
    the two OCR workers take them, never all at once (a 2,000-page scan needs gigabytes)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    pages: list[Page] = []
    words: list[tuple[float, int]] = []
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for start in range(0, len(numbers), 2):
                images = []
                for n in numbers[start:start + 2]:
                    width, height = document[n].get_size()
                    _check_pixels(width * DPI / 72, height * DPI / 72, limits, f"{path.name}, trang {n + 1}")
                    images.append(document[n].render(scale=DPI / 72, grayscale=True).to_pil())
                for page, page_words in pool.map(lambda image: _ocr(image, path.name, DPI, limits), images):
                    pages.append(page)
                    words += page_words
                del images
    finally:
        document.close()
    return pages, words


def _check_pixels(width: float, height: float, limits: Limits, name: str) -> None:
    pixels = int(width) * int(height)
    if pixels > limits.image_pixels:
        raise UnreadableDocumentError(
            f"ảnh {name} có {pixels / 1e6:.0f} triệu điểm ảnh, vượt giới hạn {limits.image_pixels / 1e6:.0f} triệu "
            "(ASSISTANT_MAX_IMAGE_PIXELS); hãy quét ở 200–300 dpi")


def quality(words: list[tuple[float, int]]) -> tuple[tuple[str, float], ...]:
    """Tesseract's mean word confidence (0–1), weighted by the words' lengths."""
    letters = sum(n for _, n in words)
    return (("confidence", round(sum(c * n for c, n in words) / letters / 100, 3)),) if letters else ()


def _greyscale(image):
    return image.convert("L") if image.mode not in ("L", "1") else image


def _dpi(image) -> int:
    dpi = image.info.get("dpi")
    return int(round(dpi[0])) if dpi and dpi[0] and dpi[0] > 50 else DPI


def _ocr(image, name: str, dpi: int, limits: Limits) -> tuple[Page, list[tuple[float, int]]]:
    """The page's lines, and each word's (confidence, length). A page read with little
    confidence is checked for orientation (Tesseract OSD) and read again turned upright."""
    page, words = _read_page(image, name, dpi, limits.ocr_page_seconds)
    if quality(words) and quality(words)[0][1] >= _UPRIGHT_CONFIDENCE:
        return page, words
    turn = _orientation(image, dpi, limits.ocr_page_seconds)
    if turn:
        turned = image.rotate(turn, expand=True)
        page_turned, words_turned = _read_page(turned, name, dpi, limits.ocr_page_seconds)
        if quality(words_turned) > quality(words):
            return page_turned, words_turned
    return page, words


def _orientation(image, dpi: int, seconds: int) -> int:
    """Degrees to turn the page counter-clockwise to make it upright, by Tesseract's OSD."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        result = subprocess.run([_tesseract(), "stdin", "stdout", "--dpi", str(dpi), "--psm", "0"],
                                input=buffer.getvalue(), capture_output=True, timeout=seconds,
                                env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        return 0
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Rotate:"):
            return int(line.split(":")[1].strip() or 0)
    return 0


def _read_page(image, name: str, dpi: int, seconds: int) -> tuple[Page, list[tuple[float, int]]]:
    binary = _tesseract()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        result = subprocess.run([binary, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi), "--psm", "3", "tsv"],
                                input=buffer.getvalue(), capture_output=True, timeout=seconds,
                                env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocumentError(f"nhận dạng chữ trong {name} quá {seconds} giây cho một trang "
                                      "(ASSISTANT_OCR_PAGE_SECONDS); máy đang quá tải hoặc trang quá dày chữ") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise UnreadableDocumentError(f"Tesseract không đọc được {name}: {message[0]}")
    tsv = result.stdout.decode("utf-8")
    return Page(tuple(_lines(tsv)), float(image.width), float(image.height)), _confidences(tsv)


def _confidences(tsv: str) -> list[tuple[float, int]]:
    return [(float(row["conf"]), len(row["text"].strip()))
            for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
            if row.get("level") == "5" and (row.get("text") or "").strip() and float(row.get("conf") or -1) >= 0]


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
    return _attach_list_numbers(lines)  # in Tesseract's reading order: block by block


def _attach_list_numbers(lines: list[Line]) -> list[Line]:
    """Word's numbered headings print their number, a tab, then the text; Tesseract often
    reads the number as a block of its own ("1." at the margin, "Mục đích:" further right),
    so the heading loses its number. Each number-only line is put back before the line at
    its height just to its right."""
    numbers = [n for n, line in enumerate(lines) if LIST_NUMBER.match(line.text)]
    merged: dict[int, Line] = {}
    dropped = set()
    for n in numbers:
        number = lines[n]
        height = max(number.bottom - number.top, 1.0)
        beside = [j for j, line in enumerate(lines) if j != n and j not in numbers and line.x0 > number.x1
                  and line.x0 - number.x1 < 10 * height
                  and min(line.bottom, number.bottom) - max(line.top, number.top) > 0.5 * height]
        if beside:
            j = min(beside, key=lambda k: lines[k].x0)
            target = merged.get(j, lines[j])
            merged[j] = Line(f"{number.text} {target.text}", number.x0, target.x1, min(number.top, target.top),
                             max(number.bottom, target.bottom), number.x1 - number.x0)
            dropped.add(n)
    return [merged.get(n, line) for n, line in enumerate(lines) if n not in dropped]


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
