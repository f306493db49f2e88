"""Plan overview: who issued it, under what number and date, who signed it, what it
implements or replaces; its purpose and requirements; its task groups with every task
and the units and timeline of each; and how it is to be carried out and reported on.
Every item is quoted from the plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..errors import AssistantError
from ..ingest.tasks import Task
from ..ingest.text import fold
from .corpus import Plan, Quote, StudyCorpus, check_topics, references
from .deadlines import Deadline, plan_deadlines
from .facts import issuer_span

METADATA = (("issuer", "Cơ quan ban hành"), ("number", "Số, ký hiệu"), ("date", "Ngày ban hành"),
            ("signer_title", "Thẩm quyền ký"), ("signer", "Người ký"))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str  # as read (normalised): "157/KH-UBND"; "" when the plan leaves it blank
    quote: Quote | None  # the words it was read from (a summary: None for a field the plan leaves blank)


@dataclass(frozen=True)
class TaskItem:
    section: str
    number: str
    item: int
    title: Quote
    topic: str | None
    lead: tuple[Quote, ...] = ()
    coordinating: tuple[Quote, ...] = ()
    directing: tuple[Quote, ...] = ()
    advising: tuple[Quote, ...] = ()
    timeline: Quote | None = None


@dataclass(frozen=True)
class Group:
    number: str
    title: Quote
    topic: str | None
    tasks: tuple[TaskItem, ...]


@dataclass(frozen=True)
class Overview:
    doc_id: str
    province: str
    province_name: str
    label: str
    title: Quote | None
    metadata: tuple[Field, ...]
    implements: tuple[Quote, ...]
    replaces: tuple[Quote, ...]
    purpose: tuple[Quote, ...]  # "Mục đích, yêu cầu", line by line
    objectives: tuple[Quote, ...]  # "Mục tiêu"
    groups: tuple[Group, ...]  # the task groups of "Nhiệm vụ, giải pháp"
    ungrouped: tuple[TaskItem, ...]  # the tasks of a letter, which has no groups
    implementation: tuple[TaskItem, ...]  # "Tổ chức thực hiện"
    deadlines: tuple[Deadline, ...]


def overview(corpus: StudyCorpus, doc_id: str, provinces: Sequence[str] = (),
             topics: Sequence[str] = ()) -> Overview:
    plan = corpus.plan(doc_id)
    if provinces and plan not in corpus.select(provinces):
        raise AssistantError(f"văn bản «{doc_id}» thuộc tỉnh {plan.province_name}, không thuộc các tỉnh đã chọn "
                             f"({', '.join(provinces)})")
    topics = check_topics(topics)
    document = plan.document
    title_span = document.span("title")
    groups = [g for g in _groups(plan) if not topics or g.topic in topics]
    return Overview(
        plan.doc_id, plan.province, plan.province_name, plan.label,
        plan.quote(title_span) if title_span else None, tuple(_metadata(plan)),
        tuple(q for _, q in references(plan, "implements")), tuple(q for _, q in references(plan, "replaces")),
        _lines_of(plan, ("muc dich", "yeu cau")), _lines_of(plan, ("muc tieu",)), tuple(groups),
        tuple(_item(plan, t) for t in plan.tasks if t.part == "tasks" and not t.group),
        tuple(_item(plan, t) for t in plan.tasks if t.part == "implementation"),
        tuple(plan_deadlines(plan)))


def _metadata(plan: Plan) -> list[Field]:
    """Each field as read, quoted from its own words: the issuing body without the verb that
    names it («Chủ tịch UBND tỉnh», not «… ban hành»), the signing authority's every line."""
    found = []
    for name, label in METADATA:
        span = _field_span(plan, name)
        if span:
            found.append(Field(name, label, getattr(plan.document, name), plan.quote(span)))
    return found


def _field_span(plan: Plan, name: str) -> tuple[int, int] | None:
    document = plan.document
    if name == "issuer":
        return issuer_span(document)
    span = document.span(name)
    if name == "signer_title" and span and document.span("signer"):
        block = document.text[span[0]:document.span("signer")[0]]
        return span[0], span[0] + len(block.rstrip())  # "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    return span


def _lines_of(plan: Plan, words: tuple[str, ...]) -> tuple[Quote, ...]:
    """The lines of the first top-level section whose title has one of `words`."""
    text = plan.document.text
    for section in plan.sections:
        if len(section.path) == 1 and any(w in fold(section.title) for w in words):
            lines, cursor = [], section.body_start
            for line in text[section.body_start:section.end].split("\n"):
                if line.strip():
                    start = cursor + len(line) - len(line.lstrip())
                    lines.append(plan.quote((start, cursor + len(line.rstrip()))))
                cursor += len(line) + 1
            return tuple(lines)
    return ()


def _groups(plan: Plan) -> list[Group]:
    groups: dict[str, Group] = {}
    for task in plan.tasks:
        if task.part != "tasks" or not task.group:
            continue
        group = groups.get(task.group_number) or Group(task.group_number, plan.quote(task.group),
                                                       plan.topic(task), ())
        groups[task.group_number] = Group(group.number, group.title, group.topic,
                                          group.tasks + (_item(plan, task),))
    return list(groups.values())


def _item(plan: Plan, task: Task) -> TaskItem:
    def quotes(spans):
        return tuple(plan.quote(s) for s in spans)

    return TaskItem(task.section, task.number, task.item, plan.quote(task.title, task.section), plan.topic(task),
                    quotes(task.lead), quotes(task.coordinating), quotes(task.directing), quotes(task.advising),
                    plan.quote(task.timeline) if task.timeline else None)
