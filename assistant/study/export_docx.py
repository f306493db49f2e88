"""A handout as a Word document (python-docx): A4 (across the page for the matrices),
Vietnamese headings, an entry per paragraph with its citation under it in small italics
(inline, in a compact one-page handout), tables with a repeated header row and the
column widths the handout asks for, and "Trang N/M" in the footer of every page."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..ingest.text import shorten
from .handout import Entry, Handout, Heading, Items, Note, PageBreak, Table, shown

_CITATION_GREY = RGBColor(0x55, 0x55, 0x55)
_HEADER_FILL = "E8E8E8"


def docx_bytes(handout: Handout) -> bytes:
    document = Document()
    _page(document, handout)
    document.core_properties.title = shorten(handout.title, 250)  # Word keeps at most 255
    document.core_properties.language = "vi-VN"
    _tight(document.add_heading(handout.title, 0), handout, 16)
    subtitle = document.add_paragraph()
    subtitle.add_run(handout.subtitle).italic = True
    _tight(subtitle, handout)
    for block in handout.blocks:
        if isinstance(block, Heading):
            _tight(document.add_heading(block.text, block.level), handout, 12 if block.level == 1 else 11)
            if block.quote:
                _citation(document.add_paragraph(), handout.citation((block.quote,)))
        elif isinstance(block, Note):
            _lines(_tight(document.add_paragraph(), handout), block.text)
        elif isinstance(block, Items):
            for entry in block.entries:
                _entry(document, handout, entry, 0)
        elif isinstance(block, Table):
            _table(document, handout, block)
        elif isinstance(block, PageBreak):
            document.add_page_break()
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document, handout: Handout) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if handout.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if handout.landscape else (Mm(210), Mm(297))
    margin = Mm(12) if handout.compact else Mm(18)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, margin)
    section.footer_distance = Mm(6)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5 if handout.compact else 12)
    _page_number(section.footer.paragraphs[0], handout.title)


def _page_number(paragraph, title: str) -> None:
    """"<title> · Trang 2/3", the numbers as Word fields, so they are right on every page."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text, field in ((f"{shorten(title, 90)} · Trang ", None), (None, "PAGE"), ("/", None), (None, "NUMPAGES")):
        run = paragraph.add_run(text or "")
        run.font.size = Pt(8)
        run.font.color.rgb = _CITATION_GREY
        if field:
            _field(run, field)


def _field(run, code: str) -> None:
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text.strip() == code else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _tight(paragraph, handout: Handout, size: float | None = None):
    """A compact handout's paragraphs: little space around them, headings in small type."""
    if handout.compact:
        paragraph.paragraph_format.space_before = Pt(4 if size else 0)
        paragraph.paragraph_format.space_after = Pt(1)
        for run in paragraph.runs:
            if size:
                run.font.size = Pt(size - 1)
    return paragraph


def _entry(document, handout: Handout, entry: Entry, depth: int) -> None:
    paragraph = _tight(document.add_paragraph(style="List Bullet" if depth == 0 else None), handout)
    if depth:
        paragraph.paragraph_format.left_indent = Mm(8 * depth)
    _write(paragraph, entry)
    if entry.quotes and handout.compact:
        _citation(paragraph, handout.citation(entry.quotes, True), inline=True)
    elif entry.quotes:
        cite = document.add_paragraph()
        cite.paragraph_format.left_indent = Mm(8 * depth + 6)
        _citation(cite, handout.citation(entry.quotes))
    for detail in entry.details:
        _entry(document, handout, detail, depth + 1)


def _write(paragraph, entry: Entry) -> None:
    if entry.label:
        paragraph.add_run(f"{entry.label} ").bold = True
    _lines(paragraph, shown(entry))


def _lines(paragraph, text: str) -> None:
    """Text with its line breaks kept (a signature block)."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        if n < len(lines) - 1:
            run.add_break()


def _citation(paragraph, text: str, inline: bool = False) -> None:
    run = paragraph.add_run(f" ({text})" if inline else f"Nguồn: {text}")
    run.italic = True
    run.font.size = Pt(7.5 if inline else 9)
    run.font.color.rgb = _CITATION_GREY


def _table(document, handout: Handout, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    for cell, name in zip(grid.rows[0].cells, table.columns):
        cell.paragraphs[0].add_run(name).bold = True
        _small(cell.paragraphs[0], table.font_size)
        _shade(cell)
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        if table.rows_whole:
            _keep_together(grid.rows[-1])
        for cell, entries in zip(cells, row):
            for n, entry in enumerate(entries):
                paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                _write(paragraph, entry)
                _small(paragraph, table.font_size)
                if entry.quotes and table.cite:
                    _citation(cell.add_paragraph(), handout.citation(entry.quotes, table.short_citations))
                for detail in entry.details:
                    line = cell.add_paragraph()
                    _write(line, detail)
                    _small(line, table.font_size)
    if table.widths:
        for row in grid.rows:
            for cell, width in zip(row.cells, table.widths):
                cell.width = Mm(width)


def _small(paragraph, size: float) -> None:
    paragraph.paragraph_format.space_after = Pt(1)
    for run in paragraph.runs:
        run.font.size = Pt(size)


def _shade(cell) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), _HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    """Mark the first row as a header, repeated at the top of each printed page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_together(row) -> None:
    """A row is never split across two pages (a cell's marks stay with their unit)."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
