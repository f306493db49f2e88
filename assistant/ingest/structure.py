"""The heading tree of a document (I., 1., 1.1., …) and the task fields that
apply to each section: lead unit, coordinating units, timeline, directing and
advising bodies. Fields are read from labelled lines ("- Đơn vị thực hiện: …",
"Cơ quan chỉ đạo: …") or from headings that name the unit ("7. Sở Nội vụ")."""

from __future__ import annotations

import re
from dataclasses import dataclass

ROLES = ("lead", "coordinating", "timeline", "directing", "advising")

_HEADING = re.compile(r"^(?P<num>[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3})\.[ ]+(?P<title>\S[^\n]*)$",
                      re.MULTILINE)
# the parts of legal texts (Nghị định 30/2020/NĐ-CP, Phụ lục I): "Chương I" with its title on
# the next line, "Mục 2. …", "Điều 5. …"; their clauses "1." and points "a)" sit inside
_LEGAL_HEADING = re.compile(r"^(?P<kind>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều)[ ]+(?P<num>[IVXLC]{1,6}|\d{1,3})\b[.:]?"
                            r"(?:[ ]+(?P<title>\S[^\n]*))?$", re.MULTILINE)
_LEGAL_LEVELS = {"Phần": 1, "Chương": 2, "Mục": 3, "Điều": 4}
_ROMAN_LEVEL = 5  # "II." below the legal parts; "1." at 6, "1.1." at 7, …
_SUBTASK_LEVEL = _ROMAN_LEVEL + 2
_CLOSING = re.compile(r"^Nơi nhận:?(?=[ ]*$|[ ]*[-+•])", re.MULTILINE)  # alone, or with its first item
CLOSING_TITLE = "Nơi nhận"  # the section of the recipients' list, which answers nothing
FIELD_LINE = re.compile(
    r"^(?:[-+•][ ]*)?(?P<label>Đơn vị thực hiện|Đơn vị chủ trì|Cơ quan chủ trì|Cơ quan thực hiện"
    r"|Đơn vị phối hợp|Cơ quan phối hợp|Thời gian thực hiện|Thời gian hoàn thành|Thời hạn"
    r"|Cơ quan chỉ đạo|Cơ quan tham mưu, thực hiện|Cơ quan tham mưu)[ ]*:[ ]*(?P<value>\S[^\n]*)$",
    re.MULTILINE)
_LABEL_ROLE = {
    "đơn vị thực hiện": "lead", "đơn vị chủ trì": "lead", "cơ quan chủ trì": "lead",
    "cơ quan thực hiện": "lead", "đơn vị phối hợp": "coordinating",
    "cơ quan phối hợp": "coordinating", "thời gian thực hiện": "timeline",
    "thời gian hoàn thành": "timeline", "thời hạn": "timeline", "cơ quan chỉ đạo": "directing",
    "cơ quan tham mưu, thực hiện": "advising", "cơ quan tham mưu": "advising",
}
# a heading that assigns the section to a unit: "7. Sở Nội vụ", "2. Giao Sở … chủ trì",
# "4. Sở Ngoại vụ: Chủ trì, …", "12. Đề nghị Ban Tuyên giáo Tỉnh ủy"
_UNIT_HEAD = (r"(?:Sở|Ban(?= [A-ZĐ]| cán sự)|Văn phòng|Công an|Bộ Chỉ huy|Ủy ban nhân dân|UBND"
              r"|Đài|Báo|Tạp chí|Hội|Mặt trận|Tỉnh đoàn"
              r"|Các (?:sở|cơ quan|cấp ủy|đơn vị|ban|huyện|địa phương))")
_ASSIGNED = re.compile(r"^(?P<verb>Giao |Đề nghị )?(?P<unit>" + _UNIT_HEAD + r"[^:(]*?)"
                       r"(?P<stop>:|\(| chủ trì| theo | tăng cường| lãnh đạo| phối hợp| căn cứ"
                       r"| chủ động| thực hiện|$)")
# in a section headed by its unit: "Chủ trì, phối hợp với Sở Thông tin và Truyền thông tham mưu …"
_COORDINATES = re.compile(
    r"(?:^|: )Chủ trì, phối hợp với (?P<unit>.+?)(?= tham mưu| triển khai| hướng dẫn| cung cấp| tổ chức"
    r"| thực hiện| quản lý| theo dõi|[;.:]|$)", re.MULTILINE)


@dataclass(frozen=True)
class TaskField:
    role: str  # one of ROLES
    label: str  # as written: "Đơn vị thực hiện"; "" when read from a heading
    value: str
    start: int  # span of the whole line (or heading) in the document text
    end: int


@dataclass(frozen=True)
class Section:
    number: str  # "2.3", "VI", "" for the opening and closing parts
    title: str  # the heading line after its number
    path: tuple[str, ...]  # ("II", "2", "2.3")
    start: int  # the heading line starts here
    body_start: int  # the section's own text (after its heading line)
    own_end: int  # where its first subsection begins (or its end)
    end: int
    fields: tuple[TaskField, ...]  # effective fields, inherited ones included

    @property
    def display_path(self) -> str:
        return " › ".join(self.path) if self.path else self.title

    def field(self, role: str) -> TaskField | None:
        return next((f for f in self.fields if f.role == role), None)


def parse_sections(text: str) -> list[Section]:
    """Sections in document order: an opening part, the numbered headings, the closing part."""
    raw = _raw_sections(text)
    own = [_own_fields(text, s) for s in raw]
    own = _borrow_from_next_sibling(raw, own)
    sections = []
    for i, s in enumerate(raw):
        inherited: dict[str, TaskField] = {}
        for j in _ancestors(raw, i) + [i]:
            inherited.update({f.role: f for f in own[j]})
        sections.append(Section(s["number"], s["title"], s["path"], s["start"], s["body_start"],
                                s["own_end"], s["end"], tuple(inherited[r] for r in ROLES
                                                              if r in inherited)))
    return sections


def _headings(text: str) -> list[tuple[int, int, str, str, int]]:
    """(start, end, number, title, level) of every heading line, in order."""
    marks = [(m.start(), m.end(), m.group("num"), m.group("title"),
              _ROMAN_LEVEL if m.group("num")[0] in "IVX" else _ROMAN_LEVEL + 1 + m.group("num").count("."))
             for m in _HEADING.finditer(text)]
    for m in _LEGAL_HEADING.finditer(text):
        title, end = m.group("title"), m.end()
        if not title:  # "Chương I" alone: its title is the next line
            following = re.compile(r"\n[ ]*(\S[^\n]*)").match(text, m.end())
            title, end = (following.group(1), following.end()) if following else ("", m.end())
        kind = m.group("kind").capitalize()
        marks.append((m.start(), end, f"{kind} {m.group('num')}", title, _LEGAL_LEVELS[kind]))
    return sorted(marks)


def _raw_sections(text: str) -> list[dict]:
    marks = _headings(text)
    closing = _CLOSING.search(text)
    if closing:
        # after "Nơi nhận" only the signature, unless a regulation is attached ("Chương I" …)
        attached = next((m[0] for m in marks if m[0] > closing.start() and m[4] <= _LEGAL_LEVELS["Chương"]),
                        len(text))
        marks = [m for m in marks if m[0] < closing.start() or m[0] >= attached]
        marks.append((closing.start(), closing.end(), "", CLOSING_TITLE, 0))
        marks.sort()
    first = marks[0][0] if marks else len(text)
    raw = [dict(number="", title="Phần mở đầu", path=(), level=0, start=0, body_start=0)]
    stack: list[tuple[int, str]] = []
    for start, end, number, title, level in marks:
        while stack and stack[-1][0] >= level:
            stack.pop()
        path = tuple(n for _, n in stack) + ((number,) if number else ())
        if number:
            stack.append((level, number))
        raw.append(dict(number=number, title=title.strip(), path=path, level=level, start=start,
                        body_start=min(end + 1, len(text))))
    raw[0]["own_end"] = raw[0]["end"] = first
    for i, s in enumerate(raw[1:], start=1):
        following = raw[i + 1 :]
        s["own_end"] = following[0]["start"] if following else len(text)
        later = [t for t in following if t["level"] <= s["level"] or not t["number"]]
        s["end"] = later[0]["start"] if later else len(text)
    return raw


def _ancestors(raw: list[dict], index: int) -> list[int]:
    section, out = raw[index], []
    for j in range(index - 1, 0, -1):
        if raw[j]["start"] <= section["start"] < raw[j]["end"] and raw[j]["level"] < section["level"]:
            out.append(j)
    return out[::-1]


def _own_fields(text: str, section: dict) -> list[TaskField]:
    fields = {}
    if section["number"]:
        heading = _assigned_unit(section["title"])
        if heading:
            title_start = text.index(section["title"], section["start"])
            fields["lead"] = TaskField("lead", "", heading, title_start, title_start + len(section["title"]))
            m = _COORDINATES.search(text, title_start, section["own_end"])
            if m and text.count("\n", title_start, m.start()) <= 2:
                fields["coordinating"] = TaskField("coordinating", "", m.group("unit"), *m.span("unit"))
    for m in FIELD_LINE.finditer(text, section["body_start"], section["own_end"]):
        label = m.group("label")
        role = _LABEL_ROLE[label.lower()]
        fields.setdefault(role, TaskField(role, label, m.group("value").strip(), m.start(), m.end()))
    return list(fields.values())


def _assigned_unit(title: str) -> str | None:
    m = _ASSIGNED.match(title)
    if not m:
        return None
    unit = m.group("unit").strip(" ,;")
    if m.group("stop"):  # the unit is followed by ":", "(" or the verb of its task
        return unit if m.group("verb") or len(unit) <= 100 else None
    return unit if len(title) <= 90 and not title.endswith(".") else None  # "7. Sở Nội vụ"


def _borrow_from_next_sibling(raw: list[dict], own: list[list[TaskField]]) -> list[list[TaskField]]:
    """A numbered task with no unit lines, followed at once by a sibling task that
    has them, shares that sibling's lines (Ninh Thuận lists them once after 2.2 for 2.1–2.2)."""
    out = [list(f) for f in own]
    for i in range(len(raw) - 2, 0, -1):
        here, nxt = raw[i], raw[i + 1]
        is_sibling = here["level"] == nxt["level"] >= _SUBTASK_LEVEL and here["path"][:-1] == nxt["path"][:-1]
        if not out[i] and is_sibling and out[i + 1] and here["own_end"] == nxt["start"]:
            out[i] = [f for f in out[i + 1] if f.label]
    return out
