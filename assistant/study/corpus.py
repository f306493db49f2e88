"""What every study view reads: the plans, their tasks and units, the province and
topic choices a trainer makes, and `Quote`, the one shape of a quoted item
(`doc_id`, `quote`, `start`, `end`, `section`, with `quote == text[start:end]`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ..errors import UnknownDocumentError, UnknownProvinceError, UnknownTopicError
from ..ingest.documents import Document
from ..ingest.provinces import by_slug
from ..ingest.structure import Section, parse_sections
from ..ingest.tasks import Span, Task, read_tasks
from ..ingest.units import display_name, unit_key
from .facts import plan_label
from .topics import TOPICS, topic_of


@dataclass(frozen=True)
class Quote:
    doc_id: str
    quote: str
    start: int
    end: int
    section: str = ""


@dataclass(frozen=True)
class Plan:
    """One document as the study views see it."""

    document: Document
    sections: tuple[Section, ...]
    tasks: tuple[Task, ...]

    @property
    def doc_id(self) -> str:
        return self.document.doc_id

    @property
    def province(self) -> str:
        return self.document.province or self.document.doc_id  # a plan naming no province stands alone

    @property
    def province_name(self) -> str:
        return self.document.province_name or self.document.label

    @property
    def label(self) -> str:
        """"Kế hoạch của UBND tỉnh Bắc Giang, tháng 7/2024 (chưa ghi số)": how handouts name it."""
        return plan_label(self.document)

    @property
    def short_label(self) -> str:
        """"kế hoạch của tỉnh Bắc Giang": how a question names it."""
        kind = self.document.kind or "văn bản"
        return f"{kind} của tỉnh {self.document.province_name}" if self.document.province_name else self.label

    def quote(self, span: Span | tuple[int, int], section: str | None = None) -> Quote:
        start, end = (span.start, span.end) if isinstance(span, Span) else span
        where = self.section_at(start) if section is None else section
        return Quote(self.doc_id, self.document.text[start:end], start, end, where)

    def section_at(self, offset: int) -> str:
        """The display path of the innermost section holding `offset`."""
        holding = [s for s in self.sections if s.start <= offset < s.end]
        return holding[-1].display_path if holding else ""

    def topic(self, task: Task) -> str | None:
        return topic_of(task.group.text) if task.group else None


class StudyCorpus:
    """The plans of an index, read once: tasks, units and their display names."""

    def __init__(self, documents: Iterable[Document],
                 sections_of: Callable[[str], Sequence[Section]] | None = None,
                 tasks_of: Callable[[str], Sequence[Task]] | None = None):
        """`sections_of` and `tasks_of` give what an index has already read of a document;
        without them the documents are parsed here."""
        self.plans: dict[str, Plan] = {}
        for document in sorted(documents, key=lambda d: (d.province_name or d.doc_id, d.doc_id)):
            sections = tuple(sections_of(document.doc_id) if sections_of else parse_sections(document.text))
            tasks = tuple(tasks_of(document.doc_id) if tasks_of else
                          read_tasks(document.doc_id, document.text, sections))
            self.plans[document.doc_id] = Plan(document, sections, tasks)
        names: dict[str, list[str]] = defaultdict(list)
        for plan in self.plans.values():
            for task in plan.tasks:
                for _, unit in task.units():
                    names[unit_key(unit.text)].append(unit.text)
        self.unit_names = {key: display_name(spellings) for key, spellings in names.items()}

    @classmethod
    def from_index(cls, index) -> "StudyCorpus":
        return cls(index.documents.values(), index.sections, index.tasks)

    def plan(self, doc_id: str) -> Plan:
        try:
            return self.plans[doc_id]
        except KeyError:
            raise UnknownDocumentError(f"không có văn bản «{doc_id}»; các văn bản hiện có: "
                                       f"{', '.join(self.plans)}") from None

    @property
    def provinces(self) -> list[tuple[str, str]]:
        """(slug, name) of the provinces with plans, in display order."""
        seen: dict[str, str] = {}
        for plan in self.plans.values():
            seen.setdefault(plan.province, plan.province_name)
        return list(seen.items())

    def columns(self, plans: Sequence[Plan]) -> tuple[tuple[str, str], ...]:
        """(slug, name) of the provinces of `plans`, in display order: a view's columns."""
        return tuple((slug, name) for slug, name in self.provinces if any(p.province == slug for p in plans))

    def select(self, provinces: Sequence[str] = ()) -> list[Plan]:
        """The plans of the provinces chosen (all when none is); an unknown slug is an error."""
        known = {slug for slug, _ in self.provinces}
        unknown = [p for p in provinces if p not in known]
        if unknown:
            hint = "" if by_slug(unknown[0]) else " (viết không dấu, nối bằng gạch ngang, ví dụ gia-lai)"
            raise UnknownProvinceError(f"không có tỉnh «{unknown[0]}» trong bộ văn bản{hint}; "
                                       f"các tỉnh hiện có: {', '.join(sorted(known))}")
        return [p for p in self.plans.values() if not provinces or p.province in provinces]


def check_topics(topics: Sequence[str]) -> tuple[str, ...]:
    known = [key for key, _ in TOPICS]
    for topic in topics:
        if topic not in known:
            raise UnknownTopicError(f"không có chủ đề «{topic}»; các chủ đề: "
                                    + "; ".join(f"{key} ({label})" for key, label in TOPICS))
    return tuple(topics)


# --- pieces several views quote -----------------------------------------------------

_REFERENCE = re.compile(
    r"(?:Nghị quyết|Kết luận|Kế hoạch|Chỉ thị|Quyết định|Chương trình|Công văn)(?: số)? "
    r"(\d+[\w/-]*[-/][A-ZĐ][\w/-]*)")


def references(plan: Plan, field: str) -> list[tuple[str, Quote]]:
    """(number, verbatim mention) of each document a plan says it implements ("implements")
    or replaces ("replaces"), from the span its metadata was read from."""
    span = plan.document.span(field)
    if not span:
        return []
    numbers = [_REFERENCE.search(value) for value in getattr(plan.document, field)]
    wanted = {m.group(1) for m in numbers if m}
    found: dict[str, Quote] = {}
    for match in _REFERENCE.finditer(plan.document.text, *span):
        if match.group(1) in wanted and match.group(1) not in found:
            found[match.group(1)] = plan.quote((match.start(), match.end()))
    return list(found.items())


def short_title(plan: Plan, title: Span, limit: int = 160) -> tuple[Quote, bool]:
    """The title, or its verbatim opening cut at a clause boundary within `limit`
    characters; True when it was cut (shown with "…" after the quote)."""
    if len(title.text) <= limit:
        return plan.quote(title), False
    head = title.text[:limit]
    cut = max(head.rfind(", "), head.rfind("; "), head.rfind(": "))
    cut = cut if cut > limit // 3 else head.rfind(" ")
    return plan.quote((title.start, title.start + cut)), True


_ROLE_OPENING = re.compile(r"(?:Chủ trì,[ ]*)?(?:Chủ động[ ]+)?[Pp]hối hợp với[ ]+|Chủ trì,[ ]*")
_PHRASE_START = re.compile(r"[,;]? (?=(?:trên|theo|tại|của|để|nhằm|cho|về|với|trong|đến|từ|qua|ở|thuộc|vào) )")
_DANGLING_END = re.compile(r"(?:[ ,;:(]+(?:của|và|về|với|cho|tại|theo|trong|trên|các|những|là|được|để|đến|từ"
                           r"|hoặc|nhằm|như|qua|ở|thuộc|vào))+$")


def task_head(plan: Plan, task: Task, limit: int = 160, start: int | None = None) -> tuple[Quote, bool]:
    """A short verbatim label of what a task does: its title from the action on ("hướng dẫn,
    quản lý các đoàn phóng viên báo chí nước ngoài …", not "Chủ trì, phối hợp với Sở …,
    Công an tỉnh và các cơ quan liên quan hướng dẫn, …"), cut at a word within `limit`
    characters, never after a dangling "của", "và", "trên"; True when cut."""
    text = plan.document.text
    begin = _action_start(text, task.title.start, task.title.end) if start is None else start
    end = task.title.end if start is None else _clause_end(text, start, task.body.end)
    while end > begin and text[end - 1] in " .;:,":
        end -= 1
    if end - begin <= limit:
        return plan.quote((begin, end)), False
    window = text[begin:begin + limit]
    phrase = [m.start() for m in _PHRASE_START.finditer(window) if m.start() > limit // 2]
    cut = phrase[-1] if phrase else window.rfind(" ")  # before "trên địa bàn", not inside it
    stop = begin + len(_DANGLING_END.sub("", window[:cut])) if cut > 0 else begin + limit
    return plan.quote((begin, stop)), True


def _action_start(text: str, start: int, end: int) -> int:
    """Past "Sở A: ", "Chủ trì, phối hợp với Sở B, Sở C " and the like: where the action begins."""
    from ..ingest.roles import unit_run

    original = start
    run = unit_run(text, start, end)
    if run and run[0][0] == start and text[run[-1][1]:run[-1][1] + 1] == ":":
        start = run[-1][1] + 1
    while start < end and text[start] == " ":
        start += 1
    opening = _ROLE_OPENING.match(text, start, end)
    if opening:
        partners = unit_run(text, opening.end(), end)
        if opening.group().startswith("Chủ trì") and "hợp" not in opening.group():
            start = opening.end()
        elif partners and partners[0][0] == opening.end():
            start = partners[-1][1]
    while start < end and text[start] in " ,":
        start += 1
    return start if end - start > 10 else original  # a title that is only its assignment


def _clause_end(text: str, start: int, end: int) -> int:
    stop = re.compile(r"[.;]|\n").search(text, start, end)
    return stop.start() if stop else end
