"""The key matrix: who does what, on two landscape pages. Rows are the key agencies (the
units that hold tasks in the most of the chosen plans, then the most tasks across them,
`rows` of them, 10 by default: `Settings.study_key_rows`; a unit only one plan names is
that province's own arrangement, shown under what is distinctive), columns the provinces, and each cell a mark per task, ●
when the unit leads it (or "tham mưu, thực hiện" it, in a Party plan) and ○ when it
coordinates, with a short label that is the verbatim head of what the task does.
Each mark carries a number: the appendix (`appendix`, ma-tran-day-du.docx) quotes every
task of every unit in full under that number.

Units are one row per `unit_key`; every collective name ("các cơ quan liên quan", "các
đơn vị có liên quan", "các cơ quan, đơn vị, địa phương", …) is one row, `GENERIC`,
except "các sở, ban, ngành", which plans address as a body of its own. The generic row
names nobody in particular, so it is never a key agency; the appendix has it. A unit
that directs (chỉ đạo) a task is not marked: the matrix is about doing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from ..ingest.units import is_collective, unit_key
from .corpus import Plan, Quote, StudyCorpus, task_head

GENERIC = "các cơ quan, đơn vị liên quan"
GENERIC_LABEL = "Các cơ quan, đơn vị liên quan (gộp các cách viết)"
_NAMED_COLLECTIVES = frozenset({unit_key("các sở, ban, ngành")})
MARKS = {"lead": "●", "coordinating": "○"}
ROLE_NAMES = {"lead": "chủ trì", "coordinating": "phối hợp"}
LABEL_LIMIT = 80  # characters of a mark's label


@dataclass(frozen=True)
class Mark:
    number: int  # the task's number in the appendix
    role: str  # "lead" or "coordinating"
    label: Quote  # the verbatim head of what the task does
    cut: bool
    task: Quote  # the task's whole first sentence, for the appendix
    written: Quote  # the unit as the plan writes it


@dataclass(frozen=True)
class KeyRow:
    key: str
    label: str
    tasks: int  # how many tasks it holds across the chosen plans
    cells: dict[str, tuple[Mark, ...]]  # province slug → marks, leads first, for every province chosen


@dataclass(frozen=True)
class KeyMatrix:
    provinces: tuple[tuple[str, str], ...]
    rows: tuple[KeyRow, ...]  # the key agencies, most tasks first
    others: tuple[KeyRow, ...]  # every other row (the generic one included), for the appendix
    limit: int


def row_key(name: str) -> str:
    """The row a unit's name falls in: its key, or GENERIC for a collective."""
    key = unit_key(name)
    return GENERIC if is_collective(name) and key not in _NAMED_COLLECTIVES else key


def key_matrix(corpus: StudyCorpus, provinces: Sequence[str] = (), rows: int = 10) -> KeyMatrix:
    plans = corpus.select(provinces)
    columns = corpus.columns(plans)
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for plan in plans:
        for role, unit, task, start in _roles(plan):
            label, cut = task_head(plan, task, LABEL_LIMIT, start)
            found[row_key(unit.text)][plan.province].append(
                (role, label, cut, plan.quote(task.title, task.section), plan.quote(unit)))
    ranked = sorted(found.items(), key=lambda item: (item[0] == GENERIC, -sum(bool(v) for v in item[1].values()),
                                                     -_count(item[1]), corpus.unit_names.get(item[0], item[0]).lower()))
    numbered, number = [], 0
    for key, cells in ranked:
        marks = {}
        for slug, _ in columns:
            entries = sorted(cells.get(slug, []), key=lambda e: (e[0] != "lead", e[3].start))
            marks[slug] = tuple(Mark(number + n, *e) for n, e in enumerate(entries, start=1))
            number += len(entries)
        label = GENERIC_LABEL if key == GENERIC else corpus.unit_names[key]
        numbered.append(KeyRow(key, label, _count(cells), marks))
    key_rows = [r for r in numbered if r.key != GENERIC][:rows]
    return KeyMatrix(columns, tuple(key_rows), tuple(r for r in numbered if r not in key_rows), rows)


def _count(cells: dict[str, list]) -> int:
    return sum(len(entries) for entries in cells.values())


def _roles(plan: Plan):
    """(role, unit, task, where its label starts or None) for every task a unit does: leads
    (and "tham mưu, thực hiện") and partners of the task, and the leads of a part handed
    over ("phối hợp với Sở Tài chính bố trí kinh phí": Sở Tài chính leads "bố trí kinh phí")."""
    for task in plan.tasks:
        seen = set()
        for role, unit in task.units():
            if role == "directing" or unit in seen:
                continue
            seen.add(unit)
            yield ("coordinating" if role == "coordinating" else "lead"), unit, task, None
        for part in task.handed:
            for unit in part.lead:
                yield "lead", unit, task, part.action.start
