"""A handout's tables as an Excel workbook (openpyxl), one sheet each: a bold, frozen
header row, wrapped text, each quote followed by its citation; printed on A4 (across the
page for a wide handout or table), fitted to the page's width, the header row repeated."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .handout import Handout, Table, shown

_WIDTHS = (28, 60)  # the first column (a name) and the others (quotes), in characters


def xlsx_bytes(handout: Handout) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in handout.sheets:
        _sheet(workbook, handout, table)
    workbook.properties.title = handout.title
    workbook.properties.language = "vi-VN"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(workbook, handout: Handout, table: Table) -> None:
    sheet = workbook.create_sheet(table.name[:31])
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_text(handout, entries, table.short_citations) for entries in row])
    sheet.freeze_panes = "B2"
    _print_setup(sheet, handout.landscape or len(table.columns) > 4)
    for index, column in enumerate(sheet.columns):
        sheet.column_dimensions[column[0].column_letter].width = _WIDTHS[0] if index == 0 else _WIDTHS[1]
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _text(handout: Handout, entries, short: bool) -> str:
    lines = []
    for entry in entries:
        label = f"{entry.label}: " if entry.label else ""
        lines.append(f"{label}{shown(entry)}")
        if entry.quotes:
            lines.append(f"(Nguồn: {handout.citation(entry.quotes, short)})")
        lines += [f"{d.label}: {shown(d)}" for d in entry.details]
    return "\n".join(lines)


def _print_setup(sheet, across: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if across else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
