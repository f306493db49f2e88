"""A one-page summary of a plan, extractive and verbatim like every study view: number,
date, issuing body and the whole signature block ("không ghi" for what the plan leaves
blank); what it implements or replaces; at most five goals (chosen by `goals`); the task
count by group; the reporting deadline; and what is distinctive (`distinctive`).

Every quoted item is a head of the plan's own sentence (cut at a clause boundary, shown
with "…"), so that the page holds one A4 side in .docx and in print."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ..errors import AssistantError
from ..ingest.units import unit_key
from .corpus import Plan, Quote, StudyCorpus, references
from .deadlines import Deadline, plan_deadlines
from .distinctive import Distinct, distinctive
from .facts import header_facts
from .goals import choose_goals, head, task_weights
from .overview import Field  # value: "157/KH-UBND", "không ghi", a signature block's lines; quote None when blank
from .topics import topic_label

QUOTE_LIMIT = 170  # characters of a distinctive item's quote on the page
MAX_DISTINCT = 5


@dataclass(frozen=True)
class Cut:
    """A quoted head: `quote` is the plan's text; `cut` when the sentence goes on."""

    quote: Quote
    cut: bool


@dataclass(frozen=True)
class GroupCount:
    number: str
    label: str  # the topic of Kết luận 57, or the head of the group's own title
    count: int
    quote: Quote | None  # the group's title (None for the "Tổ chức thực hiện" line)


@dataclass(frozen=True)
class Summary:
    doc_id: str
    province: str
    province_name: str
    label: str
    title: Cut | None
    fields: tuple[Field, ...]
    implements: tuple[Quote, ...]
    replaces: tuple[Quote, ...]
    goals: tuple[Cut, ...]
    groups: tuple[GroupCount, ...]
    task_count: int
    reporting: tuple[Deadline, ...]
    distinctive: tuple[Distinct, ...]


def summary(corpus: StudyCorpus, doc_id: str, provinces: Sequence[str] = ()) -> Summary:
    plan = corpus.plan(doc_id)
    if provinces and plan not in corpus.select(provinces):
        raise AssistantError(f"văn bản «{doc_id}» thuộc tỉnh {plan.province_name}, không thuộc các tỉnh đã chọn "
                             f"({', '.join(provinces)})")
    text = plan.document.text
    title = plan.document.span("title")
    fields = tuple(Field(f.name, f.label, f.value, plan.quote(f.span) if f.span else None)
                   for f in header_facts(plan.document))
    goals = tuple(Cut(plan.quote((s, e)), cut) for s, e, cut in choose_goals(plan, task_weights(corpus)))
    reports = [d for d in plan_deadlines(plan) if d.kind == "report"] or \
        [d for d in plan_deadlines(plan) if d.kind == "review"]
    reports.sort(key=lambda d: d.due is None)  # a dated deadline first
    return Summary(plan.doc_id, plan.province, plan.province_name, plan.label,
                   _cut(plan, *head(text, *title, limit=200)) if title else None, fields,
                   tuple(q for _, q in references(plan, "implements")), tuple(q for _, q in references(plan, "replaces")),
                   goals, _groups(plan), sum(t.part == "tasks" for t in plan.tasks), tuple(reports[:2]),
                   _shortened(plan, _not_repeated(distinctive(corpus, plan), reports[:2])))


def _cut(plan: Plan, start: int, end: int, cut: bool) -> Cut:
    return Cut(plan.quote((start, end)), cut)


def _groups(plan: Plan) -> tuple[GroupCount, ...]:
    """Tasks per group of "Nhiệm vụ, giải pháp" (per numbered item of a letter), then the
    tasks of "Tổ chức thực hiện" on one line."""
    counts: Counter[str] = Counter()
    firsts = {}
    for task in plan.tasks:
        if task.part != "tasks":
            continue
        key = task.group_number if task.group else task.section.split(" › ")[0]
        counts[key] += 1
        firsts.setdefault(key, task)
    found = []
    for key, task in firsts.items():
        topic = plan.topic(task)
        span = task.group or _section_title(plan, key)
        label = topic_label(topic) if topic else _head_text(plan, span)
        found.append(GroupCount(key, label, counts[key], plan.quote(span) if span else None))
    implementation = [t for t in plan.tasks if t.part == "implementation"]
    if implementation:
        units = {unit_key(u.text) for t in implementation for _, u in t.units()}
        found.append(GroupCount("", f"Tổ chức thực hiện: giao cho {len(units)} đơn vị", len(implementation), None))
    return tuple(found)


def _section_title(plan: Plan, number: str):
    section = next((s for s in plan.sections if len(s.path) == 1 and s.number == number), None)
    if not section:
        return None
    from ..ingest.tasks import Span

    start = plan.document.text.index(section.title, section.start)
    return Span(section.title, start, start + len(section.title))


def _head_text(plan: Plan, span) -> str:
    if not span:
        return ""
    start, end, cut = head(plan.document.text, span.start, span.end, limit=70)
    return plan.document.text[start:end].rstrip(" :") + (" …" if cut else "")


def _not_repeated(items: tuple[Distinct, ...], reports: list[Deadline]) -> tuple[Distinct, ...]:
    """What is distinctive, less a reporting duty the summary's "Báo cáo" already quotes."""
    shown = {(d.what.start, d.what.end) for d in reports}
    return tuple(i for i in items if not (i.kind == "reporting" and {(q.start, q.end) for q in i.quotes} <= shown))


def _shortened(plan: Plan, items: tuple[Distinct, ...]) -> tuple[Distinct, ...]:
    """At most MAX_DISTINCT items, every quote a head of at most QUOTE_LIMIT characters."""
    text = plan.document.text
    shortened = []
    for item in items[:MAX_DISTINCT]:
        quotes = []
        for q in item.quotes:
            start, end, cut = head(text, q.start, q.end, limit=QUOTE_LIMIT)
            quotes.append(Quote(q.doc_id, text[start:end], start, end, q.section))
        shortened.append(Distinct(item.kind, item.text, tuple(quotes)))
    return tuple(shortened)
