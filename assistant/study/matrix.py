"""Cross-province matrices. By unit: one row per unit (its spellings across provinces
made one by `ingest.units`; every collective name such as "các cơ quan liên quan" in one
row, see `keymatrix.row_key`), one column per province, in each cell that unit's tasks
there, each a short verbatim title with its section, role and timeline. By topic: one
row per task group of Kết luận 57, each province's group and tasks side by side.
A province that says nothing about a unit or topic has an explicit empty cell."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from ..ingest.tasks import Task
from .corpus import Plan, Quote, StudyCorpus, check_topics, short_title, task_head
from .keymatrix import GENERIC, GENERIC_LABEL, row_key
from .topics import TOPICS

ROLES = {"lead": "Chủ trì, thực hiện", "advising": "Tham mưu, thực hiện", "coordinating": "Phối hợp",
         "directing": "Chỉ đạo"}


@dataclass(frozen=True)
class Entry:
    """A task as one cell shows it."""

    doc_id: str
    section: str
    role: str  # one of ROLES: what the unit does in the task
    title: Quote  # the task's title, or its opening when `cut`
    cut: bool
    unit: Quote | None  # the unit as the plan writes it (None in the topic matrix)
    timeline: Quote | None


@dataclass(frozen=True)
class Row:
    key: str  # a unit key or a topic key
    label: str
    cells: dict[str, tuple[Entry, ...]]  # province slug → entries, for every province chosen
    groups: dict[str, Quote | None] = field(default_factory=dict)  # topic matrix: each province's group title


@dataclass(frozen=True)
class Matrix:
    by: str  # "unit" or "topic"
    provinces: tuple[tuple[str, str], ...]  # (slug, name) of the columns
    topics: tuple[str, ...]  # the topics chosen ((): all)
    rows: tuple[Row, ...]
    ungrouped: tuple[str, ...] = ()  # topic matrix: provinces whose plans have no task groups


def unit_matrix(corpus: StudyCorpus, provinces: Sequence[str] = (), topics: Sequence[str] = ()) -> Matrix:
    plans = corpus.select(provinces)
    topics = check_topics(topics)
    columns = corpus.columns(plans)
    entries: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for plan in plans:
        for task in plan.tasks:
            if topics and plan.topic(task) not in topics:
                continue
            for role, unit in task.units():
                entries[row_key(unit.text)][plan.province].append(_entry(plan, task, role, plan.quote(unit)))
            for part in task.handed:  # "phối hợp với Sở Tài chính bố trí kinh phí": Sở Tài chính leads that part
                for unit in part.lead:
                    entries[row_key(unit.text)][plan.province].append(
                        _entry(plan, task, "lead", plan.quote(unit), part.action.start))
    rows = [Row(key, GENERIC_LABEL if key == GENERIC else corpus.unit_names[key],
                {slug: _leads_first(cells.get(slug, [])) for slug, _ in columns})
            for key, cells in entries.items()]
    rows.sort(key=lambda r: (-sum(bool(e) for e in r.cells.values()), -_leading(r), r.label.lower()))
    return Matrix("unit", columns, topics, tuple(rows))


def topic_matrix(corpus: StudyCorpus, provinces: Sequence[str] = (), topics: Sequence[str] = ()) -> Matrix:
    plans = corpus.select(provinces)
    chosen = check_topics(topics)
    columns = corpus.columns(plans)
    rows = []
    for key, label in TOPICS:
        if chosen and key not in chosen:
            continue
        cells, groups = {}, {}
        for slug, _ in columns:
            tasks = [(plan, t) for plan in plans if plan.province == slug for t in plan.tasks
                     if t.part == "tasks" and plan.topic(t) == key]
            cells[slug] = tuple(_entry(plan, t, "", None) for plan, t in tasks)
            groups[slug] = tasks[0][0].quote(tasks[0][1].group) if tasks else None
        rows.append(Row(key, label, cells, groups))
    ungrouped = tuple(slug for slug, _ in columns
                      if not any(t.group for p in plans if p.province == slug for t in p.tasks))
    return Matrix("topic", columns, chosen, tuple(rows), ungrouped)


def _entry(plan: Plan, task: Task, role: str, unit: Quote | None, start: int | None = None) -> Entry:
    title, cut = task_head(plan, task, 160, start) if unit else short_title(plan, task.title)
    timeline = plan.quote(task.timeline) if task.timeline else None
    return Entry(plan.doc_id, task.section, role, title, cut, unit, timeline)


def _leads_first(entries: list[Entry]) -> tuple[Entry, ...]:
    """A cell lists the tasks the unit leads, then those it advises on, coordinates, directs."""
    order = list(ROLES)
    return tuple(sorted(entries, key=lambda e: (order.index(e.role), e.title.start)))


def _leading(row: Row) -> int:
    return sum(e.role in ("lead", "advising") for entries in row.cells.values() for e in entries)
