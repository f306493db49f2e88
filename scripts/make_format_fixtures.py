"""Make .docx, text-layer .pdf, scanned .pdf and .png copies of plain-text plans.

The copies are made from the plans themselves, the way offices make them:
- .docx in the official layout of Nghị định 30/2020 (scripts/official_layout.py: header
  and signature tables, Word's own heading numbers); with --plain, one paragraph per line
  of the cleaned text instead, with a page number at the top of every page; both with a
  running footer (so the PDF has headers, footers and page numbers to strip);
- .pdf by converting that .docx with LibreOffice headless (Debian's libreoffice-writer);
- a scanned .pdf: the PDF's pages rendered to 300 dpi grey images (pypdfium2) and wrapped
  into a PDF with no text layer (Pillow), and the first page as a .png; with --degraded
  also a rough scan (tilted, blurred, grainy), and a 200 dpi office scan (<stem>.scan200.pdf:
  turned 0.8°, grain, JPEG quality 60), as desk scanners make them, and a phone photo of
  the first page taken at an angle (<stem>.photo.jpg);
- with --legacy, the plan typed in TCVN3 with .VnTime, as .docx and PDF.

    .venv/bin/python scripts/make_format_fixtures.py corpus/*.txt --out /tmp/formats --degraded
    .venv/bin/python scripts/make_format_fixtures.py corpus/tuyen-quang-ubnd-thcbks-2024.txt \
        --out tests/fixtures/formats --scan-pages 2 --bilevel --plain
    .venv/bin/python scripts/make_format_fixtures.py corpus/gia-lai-157-kh-ubnd-2024.txt \
        --out tests/fixtures/official --scan-pages 1 --last-page --degraded --no-png --legacy

The small copies in tests/fixtures/ were made with the last two commands; CI reads them
and never needs LibreOffice.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from assistant.ingest.documents import parse_document  # noqa: E402
from assistant.ingest.text import clean_document  # noqa: E402

import official_layout  # noqa: E402

_HEADING = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.\s")
SCAN_DPI = 300
OFFICE_DPI = 200  # what offices scan at to keep files small


def write_docx(text: str, target: Path, footer: str) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.paragraph_format.space_after = Pt(4)
    section = document.sections[0]
    # A4 with the margins of Nghị định 30/2020/NĐ-CP (top 20, bottom 20, left 30, right 15 mm)
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number(section.header.paragraphs[0])
    section.footer.paragraphs[0].text = footer
    section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in text.split("\n"):
        if not line.strip():
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        heading = bool(_HEADING.match(line)) or (line.isupper() and len(line) < 80)
        run.bold = heading
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if line.isupper() and len(line) < 80 \
            else WD_ALIGN_PARAGRAPH.JUSTIFY
    document.save(str(target))


def _page_number(paragraph) -> None:
    """A PAGE field, centred: Word and LibreOffice print the page number there."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def convert_to_pdf(source: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice is needed: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory() as profile:  # a private profile: runs never collide
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=300)
    return folder / f"{source.stem}.pdf"


def render_pages(pdf: Path, dpi: int = SCAN_DPI, pages: int | None = None, last: bool = False) -> list:
    """The first `pages` pages (all by default) as grey images; `last` adds the last page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    count = len(document) if pages is None else min(pages, len(document))
    numbers = list(range(count)) + ([len(document) - 1] if last and count < len(document) else [])
    images = []
    for number in numbers:
        bitmap = document[number].render(scale=dpi / 72, grayscale=True)
        images.append(bitmap.to_pil().convert("L"))
    document.close()
    return images


def write_scanned_pdf(images: list, target: Path, dpi: int = SCAN_DPI, quality: int | None = None) -> None:
    """Page images only, no text layer: what a scanner produces (JPEG at `quality` if given)."""
    first, *rest = images
    extra = {"quality": quality} if quality else {}
    first.save(str(target), "PDF", save_all=True, append_images=rest, resolution=float(dpi), **extra)


def degrade(image, seed: int = 0, angle: float = 0.6, blur: float = 0.9, grain: float = 14):
    """What a desk scanner adds to a clean page: a slight tilt, blur, grain."""
    import numpy as np
    from PIL import Image, ImageFilter

    tilted = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255, expand=False)
    if blur:
        tilted = tilted.filter(ImageFilter.GaussianBlur(blur))
    pixels = np.asarray(tilted, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0, grain, pixels.shape)
    return Image.fromarray(np.clip(pixels * 0.92 + 12 + noise, 0, 255).astype(np.uint8), "L")


def office_scan(pdf: Path, target: Path, pages: int | None, last: bool) -> None:
    """A 200 dpi scan as offices send them: turned 0.8°, grainy, saved as JPEG quality 60."""
    images = render_pages(pdf, dpi=OFFICE_DPI, pages=pages, last=last)
    rough = [degrade(image, n, angle=0.8, blur=0.4, grain=10) for n, image in enumerate(images)]
    write_scanned_pdf(rough, target, dpi=OFFICE_DPI, quality=60)


def phone_photo(pdf: Path, target: Path, seed: int = 0) -> None:
    """The first page as a phone photographs it on a desk: at an angle (a perspective),
    uneven light, out of focus, at about 110 dpi, JPEG quality 50."""
    import numpy as np
    from PIL import Image, ImageFilter

    page = render_pages(pdf, dpi=110, pages=1)[0]
    width, height = page.size
    # where each corner of the photo falls on the page: the page lies smaller in the frame,
    # turned, its far (top) edge narrower than the near one, the desk around it
    corners = [(-0.32 * width, -0.12 * height), (1.22 * width, -0.04 * height), (1.06 * width, 1.05 * height),
               (-0.08 * width, 1.1 * height)]
    warped = page.transform(page.size, Image.Transform.PERSPECTIVE, _perspective(corners, width, height),
                            resample=Image.BICUBIC, fillcolor=90)
    pixels = np.asarray(warped.filter(ImageFilter.GaussianBlur(1.3)), dtype=np.float32)
    light = np.linspace(0.55, 1.0, width)[None, :] * np.linspace(0.8, 1.0, height)[:, None]
    noise = np.random.default_rng(seed).normal(0, 8, pixels.shape)
    Image.fromarray(np.clip(pixels * light + noise, 0, 255).astype(np.uint8), "L").save(
        str(target), "JPEG", quality=50, dpi=(110, 110))


def _perspective(corners: list[tuple[float, float]], width: int, height: int) -> list[float]:
    """PIL's eight perspective coefficients mapping the output rectangle onto `corners`."""
    import numpy as np

    rows, values = [], []
    for (x, y), (u, v) in zip([(0, 0), (width, 0), (width, height), (0, height)], corners):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return list(np.linalg.solve(np.asarray(rows, dtype=float), np.asarray(values, dtype=float)))


def legacy_copies(text: str, out: Path, stem: str) -> list[Path]:
    """The plan typed in TCVN3 with the .VnTime font, as old provincial archives hold it:
    <stem>.tcvn3.docx, and the PDF LibreOffice prints from it (its text layer keeps the
    TCVN3 codes). Capitals with tone marks are typed small in .VnTimeH, as TCVN3 requires."""
    import docx
    from docx.shared import Pt

    from assistant.ingest.formats.legacy import TCVN3

    encode = {unicode: code for code, unicode in TCVN3.items()}
    document = docx.Document()
    for line in text.split("\n"):
        if not line.strip():
            continue
        capitals = line.isupper()
        typed = "".join(encode.get(c, encode.get(c.lower(), c) if capitals else c) for c in line)
        run = document.add_paragraph().add_run(typed)
        run.font.name, run.font.size = (".VnTimeH" if capitals else ".VnTime"), Pt(13)
    target = out / f"{stem}.tcvn3.docx"
    document.save(str(target))
    return [target, convert_to_pdf(target, out)]


def make(source: Path, out: Path, scan_pages: int | None, bilevel: bool = False,
         degraded: bool = False, plain: bool = False, last: bool = False, png: bool = True,
         legacy: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    text = clean_document(source.read_text(encoding="utf-8"))
    stem = source.stem
    docx_path = out / f"{stem}.docx"
    footer = f"{stem} — bản sao để kiểm thử"
    if plain:
        write_docx(text, docx_path, footer=footer)
    else:
        layout = official_layout.split(text, parse_document(stem, text).issuer)
        official_layout.write(layout, docx_path, footer=footer)
    pdf_path = convert_to_pdf(docx_path, out)
    made = [docx_path, pdf_path]
    if plain or not degraded:
        images = render_pages(pdf_path, pages=scan_pages, last=last)
        if bilevel:  # black and white, as most office scanners save text: small files
            images = [image.point(lambda v: 255 if v > 160 else 0).convert("1") for image in images]
        scanned = out / f"{stem}.scan.pdf"
        write_scanned_pdf(images, scanned)
        made.append(scanned)
        if png:
            png_path = out / f"{stem}.p1.png"
            images[0].save(str(png_path), optimize=True, dpi=(SCAN_DPI, SCAN_DPI))
            made.append(png_path)
        if degraded:
            rough = out / f"{stem}.rough-scan.pdf"
            write_scanned_pdf([degrade(image.convert("L"), n) for n, image in enumerate(images)], rough)
            made.append(rough)
    if degraded:
        office = out / f"{stem}.scan200.pdf"
        office_scan(pdf_path, office, scan_pages, last)
        photo = out / f"{stem}.photo.jpg"
        phone_photo(pdf_path, photo)
        made += [office, photo]
    if legacy:
        made += legacy_copies(text, out, stem)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", type=Path, help="plain-text plans (.txt)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scan-pages", type=int, default=None, help="scan only the first N pages")
    parser.add_argument("--last-page", action="store_true", help="with --scan-pages, scan the last page too")
    parser.add_argument("--bilevel", action="store_true", help="black-and-white scans (small files)")
    parser.add_argument("--plain", action="store_true", help="one paragraph per line, not the official layout")
    parser.add_argument("--no-png", action="store_true", help="no .p1.png image of the first page")
    parser.add_argument("--legacy", action="store_true", help="also the plan in TCVN3 (.VnTime): "
                        "<stem>.tcvn3.docx and .tcvn3.pdf")
    parser.add_argument("--degraded", action="store_true",
                        help="also the 200 dpi office scan (<stem>.scan200.pdf); with --plain, a rough 300 dpi "
                             "scan (<stem>.rough-scan.pdf) instead of the clean one")
    args = parser.parse_args()
    for source in args.sources:
        for path in make(source, args.out, args.scan_pages, args.bilevel, args.degraded, args.plain,
                         args.last_page, not args.no_png, args.legacy):
            print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
