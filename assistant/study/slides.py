"""Slides for a one-hour session (.pptx, python-pptx), 16:9: a title slide; one slide per
plan summary; the key matrix; the deadlines; what is distinctive in each province; five
quiz questions, then their answers. Body text is never under `MIN_SIZE` points: what does
not fit a slide at that size goes on the next one ("(tiếp)"), measured with `measure`.
Every slide's sources (plan, section, characters) are in its speaker notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from .handout import Handout
from .keymatrix import MARKS, KeyMatrix
from .measure import height

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
TITLE_SIZE, BODY_SIZE, MIN_SIZE = 32, 22, 20
FONT = "Arial"
_TITLE_TOP, _TITLE_HEIGHT = Inches(0.35), Inches(1.0)
_BODY_TOP = Inches(1.5)
_INSET = Inches(0.1)
_ACCENT = RGBColor(0xA3, 0x16, 0x1A)
_EMU_PER_PT = 12700


@dataclass
class Line:
    text: str
    level: int = 0  # 0: a point, 1: under it (a quote)
    bold: bool = False
    size: int = BODY_SIZE


@dataclass
class Slide:
    title: str
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the sources
    table: tuple[tuple[str, ...], ...] = ()  # a grid instead of lines: header row first
    subtitle: str = ""


def body_box() -> tuple[int, int]:
    """The body text box's inner width and height, in points."""
    width = (WIDTH - 2 * MARGIN - 2 * _INSET) / _EMU_PER_PT
    return width, (HEIGHT - _BODY_TOP - Inches(0.4) - 2 * _INSET) / _EMU_PER_PT


def line_height(line: Line, width: float) -> float:
    indent = 36 * line.level
    return height(("• " if line.level == 0 else "") + line.text, width - indent, line.size, bold=line.bold) + 6


def paginate(slide: Slide) -> list[Slide]:
    """The slide, or it and its continuations, each holding what fits the body box."""
    width, room = body_box()
    pages, current, used = [], [], 0.0
    for line in slide.lines:
        needed = line_height(line, width)
        if current and used + needed > room and not (line.level and current[-1].level == 0 and len(current) == 1):
            pages.append(current)
            current, used = [], 0.0
        current.append(line)
        used += needed
    pages.append(current)
    return [Slide(slide.title + (" (tiếp)" if n else ""), lines, slide.notes, (), slide.subtitle)
            for n, lines in enumerate(pages)]


def pptx_bytes(slides: list[Slide], title: str) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = title
    deck.core_properties.language = "vi-VN"
    blank = deck.slide_layouts[6]
    for number, slide in enumerate(slides):
        page = deck.slides.add_slide(blank)
        if number == 0:
            _cover(page, slide)
        else:
            _text(page, slide.title, MARGIN, _TITLE_TOP, WIDTH - 2 * MARGIN, _TITLE_HEIGHT, TITLE_SIZE, True, _ACCENT)
            if slide.table:
                _grid(page, slide.table)
            else:
                _lines(page, slide.lines)
        page.notes_slide.notes_text_frame.text = "Nguồn:\n" + "\n".join(
            "- " + note.removeprefix("Nguồn: ") for note in slide.notes)
    out = BytesIO()
    deck.save(out)
    return out.getvalue()


def _cover(page, slide: Slide) -> None:
    _text(page, slide.title, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.6), 40, True, _ACCENT)
    _text(page, slide.subtitle, MARGIN, Inches(4.0), WIDTH - 2 * MARGIN, Inches(2.4), BODY_SIZE, False)


def _text(page, text: str, left, top, width, box_height, size: int, bold: bool, color=None):
    box = page.shapes.add_textbox(left, top, width, box_height)
    frame = box.text_frame
    frame.word_wrap = True
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, _INSET)
    for n, part in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = part
        _font(run, size, bold, color)
    return box


def _lines(page, lines: list[Line]) -> None:
    box = page.shapes.add_textbox(MARGIN, _BODY_TOP, WIDTH - 2 * MARGIN, HEIGHT - _BODY_TOP - Inches(0.4))
    frame = box.text_frame
    frame.word_wrap = True
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, _INSET)
    for n, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.level = line.level
        paragraph.space_after = Pt(6)
        run = paragraph.add_run()
        run.text = ("• " if line.level == 0 else "") + line.text
        _font(run, line.size, line.bold, None if line.level == 0 else RGBColor(0x33, 0x33, 0x33))


def _grid(page, rows: tuple[tuple[str, ...], ...]) -> None:
    first = Inches(4.1)
    other = (WIDTH - 2 * MARGIN - first) / max(len(rows[0]) - 1, 1)
    shape = page.shapes.add_table(len(rows), len(rows[0]), MARGIN, _BODY_TOP, WIDTH - 2 * MARGIN,
                                  Emu(int(HEIGHT - _BODY_TOP - Inches(0.4))))
    table = shape.table
    table.columns[0].width = Emu(int(first))
    for n in range(1, len(rows[0])):
        table.columns[n].width = Emu(int(other))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = _INSET
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.text_frame.word_wrap = True
            cell.text_frame.paragraphs[0].text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = value
            _font(run, MIN_SIZE, r == 0)


def _font(run, size: int, bold: bool, color=None) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


# --- the key matrix as grids of marks ---------------------------------------------------

_GRID_ROW_PADDING = 0.08 * 72  # a table cell's top and bottom margins, in points


def matrix_slides(view: KeyMatrix, handout: Handout) -> list[Slide]:
    """The key matrix, as many rows per slide as fit: each cell "● 3 ○ 1" (tasks led and
    coordinated), the unit's name in the first column."""
    header = ("Đơn vị", *(name for _, name in view.provinces))
    rows = [(row.label, *(_marks(row.cells[slug]) for slug, _ in view.provinces)) for row in view.rows]
    first_width = (Inches(4.1) - 2 * _INSET) / _EMU_PER_PT
    room = body_box()[1] - 2 * 24
    slides, current, used = [], [], 0.0
    for row in rows:
        needed = height(row[0], first_width, MIN_SIZE) + 2 * _GRID_ROW_PADDING
        if current and used + needed > room:
            slides.append(current)
            current, used = [], 0.0
        current.append(row)
        used += needed
    slides.append(current)
    notes = ["● chủ trì (hoặc tham mưu, thực hiện), ○ phối hợp: số nhiệm vụ. Nguyên văn từng nhiệm vụ: "
             "ma-tran-chinh.docx và Phụ lục ma-tran-day-du.docx."]
    notes += [f"{row.label}: " + "; ".join(f"{name} số {', '.join(str(m.number) for m in row.cells[slug])}"
                                         for slug, name in view.provinces if row.cells[slug]) for row in view.rows]
    return [Slide("Ai làm gì: ma trận chính" + (" (tiếp)" if n else ""), [], notes, (header, *part))
            for n, part in enumerate(slides)]


def _marks(marks) -> str:
    led = sum(m.role == "lead" for m in marks)
    helped = len(marks) - led
    return " ".join(part for part in (f"{MARKS['lead']} {led}" if led else "",
                                      f"{MARKS['coordinating']} {helped}" if helped else "") if part) or "—"
