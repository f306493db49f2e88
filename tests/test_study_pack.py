"""The session pack on the five real plans, opened as its reader opens it: the .docx
converted to PDF by LibreOffice and their pages counted, the slides read back and each
text box measured, the calendar parsed. One pack is built and converted for the module."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Emu

from assistant.ingest.documents import read_corpus
from assistant.study import StudyCorpus
from assistant.study.measure import height
from assistant.study.pack import pack_files, zip_bytes
from assistant.study.slides import HEIGHT, MIN_SIZE, WIDTH

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ("bac-giang", "gia-lai", "ninh-thuan", "quang-ngai", "tuyen-quang")
NAMES = [f"tom-tat-{p}.docx" for p in PROVINCES] + [
    "ma-tran-chinh.docx", "ma-tran-day-du.docx", "ma-tran.xlsx", "lich-thoi-han.ics", "lich-thoi-han.docx",
    "diem-rieng.docx", "bai-giang.pptx", "de-on-tap-1.docx", "dap-an-1.docx", "de-on-tap-2.docx", "dap-an-2.docx",
    "de-on-tap-3.docx", "dap-an-3.docx"]


@pytest.fixture(scope="module")
def corpus() -> StudyCorpus:
    return StudyCorpus(read_corpus(ROOT / "corpus")[0])


@pytest.fixture(scope="module")
def pack(corpus, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    for name, data in pack_files(corpus):
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def pdfs(pack, tmp_path_factory) -> Path:
    """Every .docx and the .pptx of the pack as PDF, converted by LibreOffice (its own profile,
    so that another soffice running on the machine is not disturbed)."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.fail("LibreOffice is not installed: run ./scripts/setup.sh --browser (libreoffice-writer, -impress)")
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    files = sorted(str(p) for p in pack.iterdir() if p.suffix in (".docx", ".pptx"))
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *files], check=True, capture_output=True, timeout=300)
    return out


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_the_pack_has_every_file_named_for_its_reader(pack):
    assert sorted(p.name for p in pack.iterdir()) == sorted(NAMES)


@pytest.mark.parametrize("province", PROVINCES)
def test_each_summary_is_one_page(pdfs, province):
    assert _pages(pdfs / f"tom-tat-{province}.pdf") == 1


def test_the_key_matrix_is_at_most_two_pages_and_its_appendix_quotes_every_mark(pdfs, pack):
    assert _pages(pdfs / "ma-tran-chinh.pdf") <= 2
    matrix = Document(BytesIO((pack / "ma-tran-chinh.docx").read_bytes()))
    section = matrix.sections[0]
    assert section.page_width > section.page_height  # across the page
    cells = [c.text for row in matrix.tables[0].rows for c in row.cells]
    marked = {int(text.split()[1]) for cell in cells for text in cell.split("\n") if text[:1] in "●○"}
    appendix = "\n".join(p.text for p in Document(BytesIO((pack / "ma-tran-day-du.docx").read_bytes())).paragraphs)
    assert marked and all(f"{n}. " in appendix for n in marked)


def test_every_docx_has_page_numbers(pack):
    for path in pack.glob("*.docx"):
        footer = Document(BytesIO(path.read_bytes())).sections[0].footer._element.xml
        assert "PAGE" in footer and "NUMPAGES" in footer and "Trang" in footer, path.name


def test_the_slides_fit_16_9_at_a_readable_size_with_their_sources_in_the_notes(pack, pdfs):
    deck = Presentation(str(pack / "bai-giang.pptx"))
    assert (deck.slide_width, deck.slide_height) == (WIDTH, HEIGHT)
    titles = [_title(slide) for slide in deck.slides]
    assert titles[0] == "Quán triệt kế hoạch thông tin đối ngoại"
    assert [t for t in titles if t.endswith(": tóm tắt")] == [
        "Bắc Giang: tóm tắt", "Gia Lai: tóm tắt", "Ninh Thuận: tóm tắt", "Quảng Ngãi: tóm tắt", "Tuyên Quang: tóm tắt"]
    assert "Ai làm gì: ma trận chính" in titles and "Thời hạn, báo cáo" in titles
    assert sum(t.startswith("Điểm riêng: ") for t in titles) == 5
    assert [t for t in titles if t.startswith("Câu hỏi")] == [f"Câu hỏi {n}" for n in range(1, 6)]
    assert titles[-5:] == [f"Đáp án câu {n}" for n in range(1, 6)]  # the answers follow the questions
    for number, slide in enumerate(deck.slides, start=1):
        _check_fits(slide, number)
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith("Nguồn:\n- ") and ("ký tự" in notes or "ma-tran" in notes or number == 1), number
    assert _pages(pdfs / "bai-giang.pdf") == len(deck.slides)


def _title(slide) -> str:
    return slide.shapes[0].text_frame.text


def _check_fits(slide, number: int) -> None:
    """Every shape inside the slide; every text at least MIN_SIZE points and, wrapped in its
    box as `measure` wraps it, no taller than the box."""
    for shape in slide.shapes:
        assert shape.left >= 0 and shape.top >= 0, number
        assert shape.left + shape.width <= WIDTH and shape.top + shape.height <= HEIGHT, number
        frames = [(shape.text_frame, shape.width, shape.height)] if shape.has_text_frame else []
        if shape.has_table:
            rows, columns = shape.table.rows, shape.table.columns
            tallest = [max(_frame_height(row.cells[i].text_frame, columns[i].width) for i in range(len(columns)))
                       + 2 * 0.04 * 72 for row in rows]
            assert sum(tallest) <= Emu(shape.height).pt, (number, "table")
            frames = [(row.cells[i].text_frame, columns[i].width, None) for row in rows for i in range(len(columns))]
        for frame, width, box in frames:
            sizes = [run.font.size.pt for p in frame.paragraphs for run in p.runs if run.text]
            assert all(size >= MIN_SIZE for size in sizes), (number, sizes)
            if box is not None:
                assert _frame_height(frame, width) <= Emu(box).pt - 14, (number, frame.text[:60])


def _frame_height(frame, width) -> float:
    inner = Emu(width).pt - 2 * 7.2 - 2
    total = 0.0
    for paragraph in frame.paragraphs:
        text = "".join(run.text for run in paragraph.runs)
        runs = [run for run in paragraph.runs if run.text]
        if runs:
            size = runs[0].font.size.pt
            total += height(text, inner - 36 * paragraph.level, size, bold=bool(runs[0].font.bold)) + 6
    return total


def test_the_calendar_parses_and_its_dates_are_right(pack):
    calendar = Calendar.from_ical((pack / "lich-thoi-han.ics").read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [(e.decoded("dtstart"), str(e["summary"])) for e in events] == [
        (date(2024, 11, 15), "Bắc Giang: hạn báo cáo 15/11"), (date(2024, 12, 15), "Ninh Thuận: hạn báo cáo 15/12")]
    for event in events:
        assert event["rrule"]["FREQ"] == ["YEARLY"]  # "hằng năm"
        assert event.decoded("dtend") - event.decoded("dtstart") == date(2024, 1, 2) - date(2024, 1, 1)
        description = str(event["description"])
        assert description.startswith("«Định kỳ") and "Nguồn: Kế hoạch của UBND tỉnh" in description
    assert "trước ngày 15/11 hằng năm" in str(events[0]["description"])


def test_the_xlsx_prints_on_a4_across_fitted_to_the_width_with_its_header_repeated(pack):
    workbook = load_workbook(pack / "ma-tran.xlsx")
    for sheet in workbook.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"  # A4
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"


def test_the_zip_holds_the_same_files_in_one_folder(corpus):
    files = pack_files(corpus, ["gia-lai", "tuyen-quang"])
    archive = zipfile.ZipFile(BytesIO(zip_bytes(files, "goi-hoc-tap")))
    assert archive.namelist() == [f"goi-hoc-tap/{name}" for name, _ in files]
    assert [name for name, _ in files][:2] == ["tom-tat-gia-lai.docx", "tom-tat-tuyen-quang.docx"]
