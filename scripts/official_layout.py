"""A plan as offices send it, in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):

- a borderless two-column header table: the issuing body over "Số: …" on the left, the
  national motto over the place and date on the right;
- the kind ("KẾ HOẠCH") and the title centred, the body justified, Times New Roman 13 pt;
- headings numbered by Word itself (an outline list: "I.", "1.", "1.1."), so the numbers
  are not in the paragraphs' text; a number that Word would not give (a plan that skips
  or repeats one) stays typed, as a clerk would leave it;
- the "Nơi nhận" list and the signature block side by side in a borderless table.

Only what the plain text holds is written, so a reader of the copy can be held to the
same number, date, issuing body and signer as the .txt. The issuing body is added above
"Số:" when the text names it in the form offices print there ("Ủy ban nhân dân tỉnh X",
"Ban Thường vụ Tỉnh ủy X")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(?P<num>[IVX]+|\d+(?:\.\d+)*)\.\s+(?P<title>\S.*)$")
_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
_PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
_SIGNATURE = re.compile(r"^(?:KT\.|TM\.|T/M|TL\.|Q\.)|^(?:PHÓ )?(?:CHỦ TỊCH|BÍ THƯ)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Layout:
    issuer: list[str] = field(default_factory=list)  # capitals, one line each
    number: str = ""  # "Số: 157 /KH-UBND" as written
    place_date: str = ""
    party: bool = False  # a Party body prints its own motto
    body: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận:" and its items
    signature: list[str] = field(default_factory=list)


def split(text: str, issuer: str) -> Layout:
    """The header, body and closing parts of a cleaned plain-text plan."""
    lines = [line for line in text.split("\n") if line.strip()]
    layout = Layout()
    body_start = 0
    for n, line in enumerate(lines[:12]):
        if line in ("KẾ HOẠCH",) or line.startswith(("V/v", "Kính gửi", "Thực hiện")):
            break  # the header ends where the kind or the subject starts
        if line.startswith("Số:"):
            layout.number, body_start = line, n + 1
        elif re.match(r"^[^,]{2,40}, ngày\b", line) and not layout.place_date:
            layout.place_date, body_start = line, n + 1
        elif line in _MOTTO or line.startswith(("CỘNG HÒA", "Độc lập")):
            body_start = n + 1
        elif line.isupper() and not layout.number and n < 4 and line not in ("KẾ HOẠCH",):
            layout.issuer.append(line)
            body_start = n + 1
    if not layout.issuer:
        layout.issuer = _issuer_lines(issuer)
    layout.party = any("ỦY" in line and "TỈNH" in line and "NHÂN DÂN" not in line for line in layout.issuer)
    rest = lines[body_start:]
    closing = next((i for i, line in enumerate(rest) if line.rstrip(":") == "Nơi nhận"), len(rest))
    layout.body = rest[:closing]
    for line in rest[closing:]:
        target = layout.signature if layout.signature or _SIGNATURE.match(line) else layout.recipients
        target.append(line)
    return layout


def _issuer_lines(issuer: str) -> list[str]:
    if m := re.match(r"^Ủy ban nhân dân (tỉnh .+)$", issuer):
        return ["ỦY BAN NHÂN DÂN", m.group(1).upper()]
    if m := re.match(r"^Ban Thường vụ (Tỉnh ủy .+)$", issuer):
        return [m.group(1).upper(), "BAN THƯỜNG VỤ"]
    return []


def write(layout: Layout, target, footer: str) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    style.paragraph_format.space_after = Pt(4)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.footer.paragraphs[0].text = footer
    section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.paragraphs[0]._p.getparent().remove(document.paragraphs[0]._p) if document.paragraphs else None
    motto = _PARTY_MOTTO if layout.party else _MOTTO
    _two_columns(document, [(layout.issuer, True), ([layout.number], False)] if layout.number else
                 [(layout.issuer, True)],
                 [(list(motto), True), ([layout.place_date], False)] if layout.place_date else [(list(motto), True)])
    numbering = _Outline(document)
    for line in layout.body:
        paragraph = document.add_paragraph()
        centred = line.isupper() and len(line) < 80
        m = _HEADING.match(line)
        if m and numbering.fits(m.group("num")):
            numbering.apply(paragraph, m.group("num"))
            line = m.group("title")
        run = paragraph.add_run(line)
        run.bold = bool(m) or centred
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
    if layout.recipients or layout.signature:
        _two_columns(document, [(layout.recipients, False)], [(layout.signature, True)], left_small=True)
    document.save(str(target))


def _two_columns(document, left: list[tuple[list[str], bool]], right: list[tuple[list[str], bool]],
                 left_small: bool = False) -> None:
    """A borderless table of one row: each column's lines as its own paragraphs."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    table = document.add_table(rows=1, cols=2)
    widths = (Mm(75), Mm(90))
    for column, (cell, parts, width) in enumerate(zip(table.rows[0].cells, (left, right), widths)):
        cell.width = width
        first = True
        for lines, bold in parts:
            for line in lines:
                paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                run = paragraph.add_run(line)
                run.bold = bold and not line.startswith("- ")
                run.font.size = Pt(11 if left_small and column == 0 else 12)
                closing_list = left_small and column == 0
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if closing_list else WD_ALIGN_PARAGRAPH.CENTER
    if left_small:  # a little room for the signature above the name
        name = table.rows[0].cells[1].paragraphs[-1]
        name.paragraph_format.space_before = Pt(48)


class _Outline:
    """One Word outline list: "I." (upper Roman), "1." under it, "1.1." under that;
    counts as Word would, so a heading is given a Word number only when Word would print
    the very number the text has."""

    def __init__(self, document):
        self.num_id = _add_outline(document)
        self.counters = [0, 0, 0]

    def _level(self, number: str) -> int | None:
        if re.fullmatch(r"[IVX]+", number):
            return 0
        depth = number.count(".")
        return 1 + depth if depth <= 1 else None

    def fits(self, number: str) -> bool:
        level = self._level(number)
        if level is None:
            return False
        expected = self.counters[:level] + [self.counters[level] + 1]
        return _label(expected, level) == number

    def apply(self, paragraph, number: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        level = self._level(number)
        self.counters[level] += 1
        for deeper in range(level + 1, 3):
            self.counters[deeper] = 0
        ppr = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", str(level)), ("w:numId", str(self.num_id))):
            node = OxmlElement(tag)
            node.set(qn("w:val"), value)
            num_pr.append(node)
        ppr.append(num_pr)


def _label(counters: list[int], level: int) -> str:
    if level == 0:
        return _roman(counters[0])
    return ".".join(str(c) for c in counters[1:level + 1])


def _roman(value: int) -> str:
    out = ""
    for number, symbol in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out, value = out + symbol, value - number
    return out


def _add_outline(document) -> int:
    """Add an abstract numbering (I. / 1. / 1.1.) and a list using it; return its numId."""
    from docx.oxml import parse_xml

    part = document.part.numbering_part
    root = part.element
    ids = [int(a.get(f"{_W}abstractNumId")) for a in root.iter(f"{_W}abstractNum")]
    nums = [int(n.get(f"{_W}numId")) for n in root.iter(f"{_W}num")]
    abstract_id, num_id = max(ids, default=0) + 1, max(nums, default=0) + 1
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = (("upperRoman", "%1."), ("decimal", "%2."), ("decimal", "%2.%3."))
    body = "".join(f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
                   for n, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {ns} w:abstractNumId="{abstract_id}">{body}</w:abstractNum>')
    first_num = root.find(f"{_W}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(parse_xml(f'<w:num {ns} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id
