"""The tasks of a plan, one record each, read from its heading tree and task fields.

API (small and stable; the study views and the answer stage use it):

- `read_tasks(doc_id, text, sections=None) -> tuple[Task, ...]`: the tasks of a document in
  order. `text` is the cleaned document text; `sections` defaults to `parse_sections(text)`.
- `Task`: `doc_id`; `part` ("tasks" for the "Nhiệm vụ, giải pháp" / "Nội dung thực hiện"
  part or the body of a letter, "implementation" for "Tổ chức thực hiện"); `section` (the
  display path of the section holding it, "II › 1 › 1.1"), `number` (that section's number
  when the section is the task, else ""), `item` (1-based place among the items of its
  section, 0 when the section itself is the task); `group` and `group_number` (the task
  group it belongs to: "1", "Công tác quán triệt, …"); `title` (its first sentence) and
  `body` (all its text, task lines excluded); `lead`, `coordinating`, `directing`,
  `advising` (unit names) and `timeline`; `sources` (the task lines or headings these were
  read from); `units()` gives (role, unit) for all of them. Every value is a `Span`:
  `text == document_text[start:end]`.

What a task is, whatever the plan's shape: a numbered section without subsections
("1.1. Tổ chức nghiên cứu …"), or each bullet of a section ("- Nghiên cứu, quán triệt …"),
or, in a section headed by its unit ("2. Sở Ngoại vụ"), each paragraph under that heading
(and the heading itself when it says more than the unit's name: "4. Sở Ngoại vụ: Chủ trì,
…"). A group's fields apply to the tasks under it ("Cơ quan chỉ đạo: …" after the bullets).
A task that names its own subject ("Định kỳ …, các cơ quan, đơn vị báo cáo …") is led by
that subject rather than by the unit of its heading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .structure import FIELD_LINE, Section, TaskField, parse_sections
from .roles import handed_parts, opening_partners, unit_run
from .text import fold, sentence_spans
from .units import find_units


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Task:
    doc_id: str
    part: str
    section: str
    number: str
    item: int
    group: Span | None
    group_number: str
    title: Span
    body: Span
    lead: tuple[Span, ...] = ()
    coordinating: tuple[Span, ...] = ()
    timeline: Span | None = None
    directing: tuple[Span, ...] = ()
    advising: tuple[Span, ...] = ()
    sources: tuple[Span, ...] = ()
    handed: tuple["HandedPart", ...] = ()  # parts of the task another unit leads

    def units(self) -> tuple[tuple[str, Span], ...]:
        """(role, unit) for every unit the task names, leads first."""
        return tuple((role, unit) for role in ("lead", "advising", "coordinating", "directing")
                     for unit in getattr(self, role))


@dataclass(frozen=True)
class HandedPart:
    """"…, phối hợp với Sở Tài chính bố trí kinh phí": Sở Tài chính leads "bố trí kinh
    phí", with the task's own leads as partners (see `roles`)."""

    lead: tuple[Span, ...]
    action: Span


def read_tasks(doc_id: str, text: str, sections: Sequence[Section] | None = None) -> tuple[Task, ...]:
    sections = list(sections) if sections is not None else parse_sections(text)
    tasks: list[Task] = []
    for part, top, has_groups in _parts(sections):
        for section in _children(sections, top) if has_groups else [top]:
            group = _span(text, section.title, section.start) if has_groups else None
            group_number = section.number if has_groups else ""
            for leaf in [section] + _descendants(sections, section):
                reader = _Reader(doc_id, text, leaf, part, group, group_number, has_groups and leaf is section)
                tasks.extend(reader.tasks())
    return tuple(tasks)


# --- the parts of a plan ---------------------------------------------------------------


def _parts(sections: list[Section]) -> list[tuple[str, Section, bool]]:
    """(part, section, are its children task groups?) in order. A plan's roman part
    "Nhiệm vụ, giải pháp" holds task groups; each item of "Tổ chức thực hiện" is read on
    its own; a letter has no roman parts, and its numbered items are its tasks."""
    roman = [s for s in sections if len(s.path) == 1 and s.number[:1] in ("I", "V", "X")]
    if not roman:
        return [("tasks", s, False) for s in sections if len(s.path) == 1]
    found: list[tuple[str, Section, bool]] = []
    for section in roman:
        title = fold(section.title)
        if "to chuc thuc hien" in title:
            found.extend(("implementation", child, False) for child in _children(sections, section))
        elif any(word in title for word in ("nhiem vu", "giai phap", "noi dung thuc hien")):
            found.append(("tasks", section, True))
    return found


def _children(sections: list[Section], parent: Section) -> list[Section]:
    depth = len(parent.path) + 1
    return [s for s in sections if len(s.path) == depth and s.path[:-1] == parent.path
            and parent.start < s.start < parent.end]


def _descendants(sections: list[Section], parent: Section) -> list[Section]:
    return [s for s in sections if parent.start < s.start < parent.end and s.number
            and s.path[: len(parent.path)] == parent.path]


# --- reading one section -----------------------------------------------------------------

_LINE = re.compile(r"[^\n]+")
_BULLET = re.compile(r"^[-+•–][ ]+")
_CONTENT_LABEL = re.compile(r"^(?:[-+•–][ ]*)?Nội dung(?: thực hiện)?[ ]*:[ ]*")
_CLOSING = re.compile(r"^Trên đây là ")
_ASSIGNMENT_PREFIX = re.compile(r"^(?:Giao|Đề nghị)[ ]+")
_PARTNERS = re.compile(r"phối hợp(?: với)?[ ]+")
_GUIDED = re.compile(r"(?:hướng dẫn|chỉ đạo) của[ ]+$")
# a task may open with clauses of time or condition before naming its subject:
# "Định kỳ trước ngày 15/11 hằng năm, các cơ quan … báo cáo", "Căn cứ …, các đơn vị …"
_LEADING_CLAUSE = re.compile(r"(?:định kỳ|hằng|hàng|trong|khi|nếu|căn cứ|trước|sau|đối với|theo|tùy)\b",
                             re.IGNORECASE)


class _Reader:
    """The tasks of one section's own text (its subsections are read on their own)."""

    def __init__(self, doc_id: str, text: str, section: Section, part: str, group: Span | None,
                 group_number: str, is_group: bool):
        self.doc_id, self.text, self.section, self.part = doc_id, text, section, part
        self.group, self.group_number, self.is_group = group, group_number, is_group
        self.title = _span(text, section.title, section.start)
        heading = section.field("lead")
        self.heading = heading if heading and not heading.label else None  # "2. Sở Ngoại vụ"
        self.headed = self.heading is not None and self.heading.start == self.title.start

    def tasks(self) -> list[Task]:
        bullets, paragraphs, content_end = self._items()
        if bullets:
            items = bullets
        elif self.section.own_end < self.section.end:
            return []  # a group title: its tasks are its subsections
        elif self.headed and self._only_names_unit():
            items = paragraphs
        elif self.headed or (self.is_group and paragraphs):
            items = ([] if self.is_group else [self._heading_body(self.title.end)]) + paragraphs
        else:
            return [self._task(self._heading_body(content_end), 0, self.section.number)]
        return [self._task(body, n, "") for n, body in enumerate(items, start=1)]

    def _items(self) -> tuple[list[Span], list[Span], int]:
        """The bullets and paragraphs of the section's own text, and where its content ends
        (its first task line, the closing "Trên đây là …", or its end)."""
        bullets, paragraphs, content_end = [], [], self.section.own_end
        for line in _LINE.finditer(self.text, self.section.body_start, self.section.own_end):
            value = line.group()
            if FIELD_LINE.match(self.text, line.start()):
                content_end = min(content_end, line.start())
                continue
            if _CLOSING.match(value):
                content_end = min(content_end, line.start())
                break
            label, bullet = _CONTENT_LABEL.match(value), _BULLET.match(value)
            if label and label.end() == len(value.rstrip()):
                continue  # "- Nội dung thực hiện:" above its bullets
            skip = label.end() if label else (bullet.end() if bullet else 0)
            body = _trimmed(self.text, line.start() + skip, line.end())
            is_note = value.startswith("(") and value.rstrip(" ./").endswith(")")
            if body.text and not is_note:
                (bullets if bullet else paragraphs).append(body)
        return bullets, paragraphs, content_end

    def _only_names_unit(self) -> bool:
        run = _lead_run(self.text, self.title.start, self.title.end)
        return bool(run) and self.text[run[-1].end:self.title.end].strip(" :") == ""

    def _heading_body(self, content_end: int) -> Span:
        """The heading (without a "Nội dung thực hiện:" label) and the text after it."""
        label = _CONTENT_LABEL.match(self.title.text)
        return _trimmed(self.text, self.title.start + (label.end() if label else 0),
                        max(content_end, self.title.end))

    def _task(self, body: Span, item: int, number: str) -> Task:
        first = sentence_spans(self.text, body.start, body.end)[0]
        title = Span(self.text[first[0]:first[1]], *first)
        roles: dict[str, list[Span]] = {"lead": [], "coordinating": [], "directing": [], "advising": []}
        sources: list[Span] = []
        timeline = None
        for field in self.section.fields:
            if not field.label:
                continue
            if field.role == "timeline":
                timeline = _value_span(self.text, field)
            else:
                _add_field_units(self.text, field, roles)
            sources.append(Span(self.text[field.start:field.end], field.start, field.end))
        labelled_lead = bool(roles["lead"])
        if self.heading and not labelled_lead:
            heading = _trimmed(self.text, self.heading.start, self.heading.end)
            roles["lead"] = _lead_run(self.text, heading.start, heading.end)
            roles["coordinating"] += _partners_in(self.text, heading.start, _clause_end(self.text, heading))
            sources.append(heading)
        subject = [] if labelled_lead else _own_subject(self.text, title)
        if subject and subject != roles["lead"]:
            roles["lead"], roles["coordinating"] = subject, []
            sources.append(title)
        opening = opening_partners(self.text, title.start, title.end)
        if opening and (opening[0] or not opening[1]):  # "Chủ trì, phối hợp với B": B helps; "Phối hợp với B": B leads
            partners = [_at(self.text, span) for span in opening[0]]
            roles["lead"], roles["coordinating"] = (roles["lead"], partners) if opening[1] else \
                (partners, roles["lead"])
            sources.append(title)
        handed = tuple(HandedPart(tuple(_at(self.text, u) for u in units), _at(self.text, action))
                       for units, action in handed_parts(self.text, body.start, body.end))
        return Task(self.doc_id, self.part, self.section.display_path, number, item, self.group,
                    self.group_number, title, body, tuple(roles["lead"]),
                    tuple(dict.fromkeys(roles["coordinating"])), timeline, tuple(roles["directing"]),
                    tuple(roles["advising"]), tuple(sorted(set(sources), key=lambda s: s.start)), handed)


# --- units in task lines and headings --------------------------------------------------


def _add_field_units(text: str, field: TaskField, roles: dict[str, list[Span]]) -> None:
    """"Sở A chủ trì, phối hợp với Sở B": A leads, B coordinates; "Căn cứ hướng dẫn của
    Ban C, …": C directs."""
    value = _value_span(text, field)
    partners = _PARTNERS.search(text, value.start, value.end)
    role = field.role if field.role in ("coordinating", "directing", "advising") else "lead"
    for start, end in find_units(text, value.start, value.end):
        unit = Span(text[start:end], start, end)
        if _GUIDED.search(text, value.start, start):
            roles["directing"].append(unit)
        elif partners and start >= partners.end():
            roles["coordinating"].append(unit)
        else:
            roles[role].append(unit)


def _value_span(text: str, field: TaskField) -> Span:
    value = field.value.strip()
    start = text.index(value, field.start, field.end) if value else field.end
    return _trimmed(text, start, start + len(value), strip=" .;")


def _lead_run(text: str, start: int, end: int) -> list[Span]:
    """The units a heading opens with: "Giao Sở A, Sở B chủ trì …" → [Sở A, Sở B]."""
    prefix = _ASSIGNMENT_PREFIX.match(text[start:end])
    return _run(text, start + (prefix.end() if prefix else 0), end)


def _partners_in(text: str, start: int, end: int) -> list[Span]:
    partners = _PARTNERS.search(text, start, end)
    return _run(text, partners.end(), end) if partners else []


def _run(text: str, start: int, end: int) -> list[Span]:
    return [_at(text, span) for span in unit_run(text, start, end)]


def _own_subject(text: str, title: Span) -> list[Span]:
    """The units a task names as its subject: at its start, or after a few short leading
    clauses ("Định kỳ trước ngày 15/11 hằng năm, các cơ quan, đơn vị, địa phương báo cáo")."""
    for clause in re.finditer(r"[^,]+", title.text):
        start = title.start + clause.start() + len(clause.group()) - len(clause.group().lstrip())
        run = _run(text, start, title.end)
        if run and run[0].start == start:
            return run
        if not _LEADING_CLAUSE.match(text, start) or find_units(text, start, title.start + clause.end()):
            return []
    return []


def _clause_end(text: str, heading: Span) -> int:
    """The assignment part of a heading ("Sở A: Chủ trì, phối hợp với Sở B …"): its first clause."""
    stop = re.compile(r"[.;]").search(text, heading.start, heading.end)
    return stop.start() if stop else heading.end


# --- spans ---------------------------------------------------------------------------


def _at(text: str, span: tuple[int, int]) -> Span:
    return Span(text[span[0]:span[1]], *span)


def _span(text: str, value: str, near: int) -> Span:
    start = text.index(value, near)
    return Span(value, start, start + len(value))


def _trimmed(text: str, start: int, end: int, strip: str = " ") -> Span:
    while start < end and text[start] in strip + "\n":
        start += 1
    while end > start and text[end - 1] in strip + "\n":
        end -= 1
    return Span(text[start:end], start, end)
