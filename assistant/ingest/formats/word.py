"""`.docx` with python-docx: paragraphs and tables in document order.

- Numbering Word adds by itself (a "List Number" style, "I." / "1.1." outline lists) is
  not in the paragraph's text; it is rebuilt from the numbering definitions, so headings
  read "II. NHIỆM VỤ" as they appear on the page.
- A table with a heading row reads row by row like a task list: the row's number and
  first cell, then one line per other cell after its column name ("- Đơn vị chủ trì: Sở
  Nội vụ"), so a task table gives the same lines as the plans' written task lists.
  Other tables are layout: the borderless two-column header of an official document
  (issuing body and "Số:" | national motto and place-date) and the "Nơi nhận" list beside
  the signature read column by column, each paragraph on its own line, so the header and
  the signature come out in the order and the lines of the same plan typed as plain text.
- Page headers, footers and footnotes are not the document's text and are left out.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ...errors import UnreadableDocumentError
from . import Extracted, Limits, cleaned
from .numbering import Numbering

_HEADER_CELL_CHARS = 60  # the cells of a table's heading row are short labels
_NUMBER_COLUMNS = {"stt", "tt", "số tt", "số thứ tự"}


def read(path: Path, limits: Limits, name: str = "") -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_unpacked_size(path, limits)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocumentError(
            f"tệp {path.name} không phải tệp Word .docx đọc được (tệp hỏng, được bảo vệ bằng mật khẩu, "
            "hoặc là .doc đổi tên); hãy mở bằng Word hoặc LibreOffice và lưu lại dưới dạng .docx") from exc
    except Exception as exc:  # lxml and zip errors of a damaged package
        raise UnreadableDocumentError(f"tệp {path.name} bị hỏng, không đọc được ({type(exc).__name__})") from exc
    numbering = Numbering.of(document)
    lines = list(_blocks(document.element.body, document, numbering))
    return cleaned("\n\n".join(lines), "docx", name=name or path.name)


def _check_unpacked_size(path: Path, limits: Limits) -> None:
    """A small .docx can unpack to gigabytes of XML (a zip bomb): refuse it before parsing."""
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(i.file_size for i in package.infolist() if i.filename.endswith(".xml"))
    except (zipfile.BadZipFile, OSError):
        return  # python-docx says what is wrong with it
    if unpacked > limits.docx_xml_bytes:
        raise UnreadableDocumentError(
            f"tệp {path.name} bung ra {unpacked >> 20} MB XML, vượt giới hạn {limits.docx_xml_bytes >> 20} MB "
            "(ASSISTANT_MAX_DOCX_XML_BYTES): tệp hỏng hoặc cố ý làm phình; hãy lưu lại bằng Word rồi thêm lại")


def _blocks(container, document, numbering: Numbering):
    """The text of each paragraph and table directly inside a body or a table cell."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            label = numbering.label(child, document)
            yield f"{label} {text}".strip() if label else text
        elif tag == "tbl":
            yield from _table(Table(child, document), document, numbering)
        elif tag == "sdt":  # a content control wraps ordinary paragraphs and tables
            content = child.find(child.tag.replace("sdt", "sdtContent"))
            if content is not None:
                yield from _blocks(content, document, numbering)


def _table(table, document, numbering: Numbering):
    rows = [_cells(row, document, numbering) for row in table.rows]
    rows = [r for r in rows if any(r)]
    if not _has_heading_row(rows):
        yield from _layout_columns(table, document, numbering)
        return
    heading, *body = rows
    numbered = heading[0].lower().replace(".", "").strip() in _NUMBER_COLUMNS
    for row in body:
        number, cells = (row[0], row[1:]) if numbered else ("", row)
        names = heading[1:] if numbered else heading
        filled = [(name, value) for name, value in zip(names, cells) if value]
        if not filled:
            continue
        first, *rest = filled
        lines = [f"{number.rstrip('.')}. {first[1]}" if number.rstrip(".").isdigit() else first[1]]
        lines += [f"- {name}: {value}" for name, value in rest]
        yield "\n".join(lines)


def _layout_columns(table, document, numbering: Numbering):
    """A layout table, left column first, top to bottom: one line per paragraph."""
    columns: list[list[str]] = []
    seen = []
    for row in table.rows:
        for n, cell in enumerate(row.cells):
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            while len(columns) <= n:
                columns.append([])
            columns[n] += [" ".join(t.split()) for t in _blocks(cell._tc, document, numbering) if t.strip()]
    for lines in columns:
        if lines:
            yield "\n".join(lines)


def _cells(row, document, numbering: Numbering) -> list[str]:
    """The text of each cell of a row; a merged cell counts once."""
    seen, texts = [], []
    for cell in row.cells:
        if any(cell._tc is other for other in seen):
            continue
        seen.append(cell._tc)
        parts = [t for t in _blocks(cell._tc, document, numbering) if t.strip()]
        texts.append(" ".join(" ".join(p.split()) for p in parts))
    return texts


def _has_heading_row(rows: list[list[str]]) -> bool:
    """A data table: a row of short column names over at least two rows of the same width."""
    if len(rows) < 3 or len(rows[0]) < 2:
        return False
    heading = rows[0]
    same_width = all(len(r) == len(heading) for r in rows[1:])
    return same_width and all(0 < len(cell) <= _HEADER_CELL_CHARS for cell in heading)
