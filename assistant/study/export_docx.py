"""A handout as a Word document (python-docx): A4 (across the page for the matrices),
Vietnamese headings, an entry per paragraph with its citation under it in small italics,
tables with a repeated header row."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..ingest.text import shorten
from .handout import Entry, Handout, Heading, Items, Note, PageBreak, Table, shown

_CITATION_GREY = RGBColor(0x55, 0x55, 0x55)


def docx_bytes(handout: Handout) -> bytes:
    document = Document()
    _page(document, handout.landscape)
    document.core_properties.title = shorten(handout.title, 250)  # Word keeps at most 255
    document.core_properties.language = "vi-VN"
    document.add_heading(handout.title, 0)
    document.add_paragraph().add_run(handout.subtitle).italic = True
    for block in handout.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, block.level)
            if block.quote:
                _citation(document.add_paragraph(), handout.citation((block.quote,)))
        elif isinstance(block, Note):
            document.add_paragraph(block.text)
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


def _page(document, landscape: bool) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)


def _entry(document, handout: Handout, entry: Entry, depth: int) -> None:
    paragraph = document.add_paragraph(style="List Bullet" if depth == 0 else None)
    paragraph.paragraph_format.left_indent = Mm(8 * depth) if depth else paragraph.paragraph_format.left_indent
    _write(paragraph, entry)
    if entry.quotes:
        cite = document.add_paragraph()
        cite.paragraph_format.left_indent = Mm(8 * depth + 6)
        _citation(cite, handout.citation(entry.quotes))
    for detail in entry.details:
        _entry(document, handout, detail, depth + 1)


def _write(paragraph, entry: Entry) -> None:
    if entry.label:
        paragraph.add_run(f"{entry.label} ").bold = True
    paragraph.add_run(shown(entry))


def _citation(paragraph, text: str) -> None:
    run = paragraph.add_run(f"Nguồn: {text}")
    run.italic = True
    run.font.size = Pt(9)
    run.font.color.rgb = _CITATION_GREY


def _table(document, handout: Handout, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, table.columns):
        cell.paragraphs[0].add_run(name).bold = True
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, entries in zip(cells, row):
            for n, entry in enumerate(entries):
                paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                _write(paragraph, entry)
                _small(paragraph)
                if entry.quotes:
                    _citation(cell.add_paragraph(), handout.citation(entry.quotes, table.short_citations))
                for detail in entry.details:
                    line = cell.add_paragraph()
                    _write(line, detail)
                    _small(line)


def _small(paragraph) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(10)


def _repeat_header(row) -> None:
    """Mark the first row as a header, repeated at the top of each printed page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
