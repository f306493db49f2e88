"""Deadlines view: every dated or periodic obligation of each plan, quoted.

Two kinds are read. A clause that obliges someone to report, review (sơ kết, tổng kết)
or estimate a budget (dự toán) and says when ("Định kỳ trước ngày 15/11 hằng năm, …
báo cáo …"); and a task whose timeline names a date, a year or a period ("Hàng năm",
"Trong năm 2024"; not "Thường xuyên" alone, which says no more than "ongoing"). Nothing is
read from the "Mục đích, yêu cầu" and "Mục tiêu" parts: they say how the plan is to be
carried out, not when anyone must do anything.

Each deadline is then placed on the calendar (`schedule`): "dated" when it names a day and
a month ("trước ngày 15/11 hằng năm": every year on 15/11), "year" when it names only a
year ("Trong năm 2024"), and "recurring" for a duty without a date ("hằng quý",
"định kỳ hằng năm", "thường xuyên")."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Sequence

from ..ingest.tasks import Span, Task
from ..ingest.text import fold, sentence_spans
from ..ingest.units import find_units
from .corpus import Plan, Quote, StudyCorpus

KINDS = {"report": "Báo cáo", "review": "Sơ kết, tổng kết", "budget": "Dự toán kinh phí",
         "timeline": "Thời gian thực hiện nhiệm vụ"}
_OBLIGATION = re.compile(r"\b(?:(báo cáo)|(sơ kết|tổng kết)|(dự toán))\b", re.IGNORECASE)
_DATE = r"\d{1,2}(?:/\d{1,2}| tháng \d{1,2})(?:/\d{4}| năm \d{4})?"
WHEN = re.compile(
    r"\b(?:định kỳ|hằng năm|hàng năm|hằng quý|hàng quý|hằng tháng|hàng tháng|(?:6|sáu) tháng"
    r"|đột xuất|theo giai đoạn|khi có yêu cầu|trước (?:ngày )?" + _DATE + r"|(?:trong )?năm \d{4}"
    r"|thường xuyên)\b", re.IGNORECASE)
_ONGOING = re.compile(r"\bthường xuyên\b", re.IGNORECASE)
WHEN_GAP = re.compile(r"^[\s,()]*(?:(?:hoặc|và)\s*)?[\s()]*$")  # "hằng năm (trước 15 tháng 12) hoặc đột xuất"
_RECIPIENT_AFTER = re.compile(r"\b(?:báo cáo|gửi|về|đề xuất)\b", re.IGNORECASE)
_DUE = re.compile(r"trước (?:ngày )?(\d{1,2})(?:/| tháng )(\d{1,2})(?:(?:/| năm )(\d{4}))?", re.IGNORECASE)
_YEAR = re.compile(r"\bnăm (\d{4})\b", re.IGNORECASE)
_YEARLY = re.compile(r"\bh[àằ]ng năm\b|\bđịnh kỳ\b", re.IGNORECASE)
# what a recurring duty's time says, spelling aside ("hàng quý" is "hằng quý"), most frequent first
PERIODS = (("hằng tháng", r"h[àằ]ng tháng"), ("hằng quý", r"h[àằ]ng quý"), ("6 tháng", r"(?:6|sáu) tháng"),
           ("hằng năm", r"h[àằ]ng năm"), ("theo giai đoạn", r"theo giai đoạn"), ("định kỳ", r"định kỳ"),
           ("thường xuyên", r"thường xuyên"), ("đột xuất", r"đột xuất|khi có yêu cầu"))
_NOT_WHEN = ("muc dich", "yeu cau", "muc tieu")  # the parts that say how, not when


@dataclass(frozen=True)
class Due:
    """A day on the calendar: every year on that day when `year` is None."""

    day: int
    month: int
    year: int | None = None


@dataclass(frozen=True)
class Deadline:
    doc_id: str
    province: str
    province_name: str
    kind: str  # one of KINDS
    when: Quote
    what: Quote  # the clause (or the task's title) it applies to
    who: tuple[Quote, ...] = ()  # who must do it, when the plan says
    to: tuple[Quote, ...] = ()  # whom it is reported or proposed to
    section: str = ""
    category: str = "recurring"  # "dated", "year" or "recurring" (see `schedule`)
    due: Due | None = None  # the day of a dated deadline
    periods: tuple[str, ...] = ()  # what a recurring duty's time says: ("hằng năm", "đột xuất")


@dataclass(frozen=True)
class DeadlinesView:
    provinces: tuple[tuple[str, str], ...]
    deadlines: tuple[Deadline, ...] = field(default=())

    def by_province(self) -> dict[str, list[Deadline]]:
        """Every province chosen, with its deadlines (an empty list when it states none)."""
        grouped: dict[str, list[Deadline]] = {slug: [] for slug, _ in self.provinces}
        for deadline in self.deadlines:
            grouped[deadline.province].append(deadline)
        return grouped


def deadlines_view(corpus: StudyCorpus, provinces: Sequence[str] = ()) -> DeadlinesView:
    plans = corpus.select(provinces)
    found = [d for plan in plans for d in plan_deadlines(plan)]
    return DeadlinesView(corpus.columns(plans), tuple(found))


def plan_deadlines(plan: Plan) -> list[Deadline]:
    """The obligations of one plan, in document order, each placed on the calendar."""
    found = _obligations(plan) + _timelines(plan)
    return [replace(d, **schedule(d.when.quote)) for d in sorted(found, key=lambda d: (d.what.start, d.when.start))]


def schedule(when: str) -> dict:
    """Where a time expression falls: {"category", "due", "periods"}."""
    periods = tuple(name for name, pattern in PERIODS if re.search(pattern, when, re.IGNORECASE))
    due = _DUE.search(when)
    if due:
        day, month, year = (int(g) if g else None for g in due.groups())
        return {"category": "dated", "due": Due(day, month, None if _YEARLY.search(when) else year),
                "periods": periods}
    if _YEAR.search(when):
        return {"category": "year", "due": None, "periods": periods}
    return {"category": "recurring", "due": None, "periods": periods}


def _obligations(plan: Plan) -> list[Deadline]:
    text = plan.document.text
    body = [s for s in plan.sections if s.number]
    if not body:
        return []
    start, end = body[0].start, max(s.end for s in body)
    found = []
    for sentence_start, sentence_end in sentence_spans(text, start, end):
        if _says_how(plan, sentence_start):
            continue
        for clause_start, clause_end in _clauses(text, sentence_start, sentence_end):
            obligation = _OBLIGATION.search(text, clause_start, clause_end)
            when = _when(text, clause_start, clause_end)
            if obligation and when:
                kind = "report" if obligation.group(1) else "review" if obligation.group(2) else "budget"
                found.append(_deadline(plan, kind, when, (clause_start, clause_end), obligation.start()))
    return found


def _says_how(plan: Plan, offset: int) -> bool:
    """True inside "Mục đích, yêu cầu" or "Mục tiêu", or a part headed "Yêu cầu" (a heading,
    not a numbered item's sentence that happens to say "khi có yêu cầu")."""
    return any(s.start <= offset < s.end and any(w in fold(s.title) for w in _NOT_WHEN)
               for s in plan.sections if s.number and (len(s.path) == 1 or len(s.title) <= 30))


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence cut at its semicolons (outside brackets), each part trimmed."""
    parts, depth, cursor = [], 0, start
    for i in range(start, end):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if text[i] == ";" and depth <= 0:
            parts.append((cursor, i))
            cursor = i + 1
    parts.append((cursor, end))
    trimmed = []
    for s, e in parts:
        while s < e and text[s] in " -+":
            s += 1
        while e > s and text[e - 1] in " .;":
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _when(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The time expressions of a clause, joined when they stand together."""
    matches = list(WHEN.finditer(text, start, end))
    if not matches:
        return None
    first = last = matches[0]
    for match in matches[1:]:
        if not WHEN_GAP.match(text[last.end():match.start()]):
            break
        last = match
    stop = last.end()
    if text[stop:stop + 1] == ")" and "(" in text[first.start():stop]:
        stop += 1  # "hằng năm (trước 15 tháng 12)"
    return first.start(), stop


def _deadline(plan: Plan, kind: str, when: tuple[int, int], clause: tuple[int, int], verb: int) -> Deadline:
    """Who must do it: the task the clause belongs to says, else the units the clause names."""
    text = plan.document.text
    recipient = _RECIPIENT_AFTER.search(text, verb, clause[1])
    to = find_units(text, recipient.start(), clause[1]) if recipient else []
    task = next((t for t in plan.tasks if t.body.start <= clause[0] < t.body.end), None)
    who = task.lead + task.advising if task else [u for u in find_units(text, *clause) if u not in to]
    return Deadline(plan.doc_id, plan.province, plan.province_name, kind, plan.quote(when),
                    plan.quote(clause), tuple(plan.quote(u) for u in who), tuple(plan.quote(u) for u in to),
                    plan.section_at(clause[0]))


def _timelines(plan: Plan) -> list[Deadline]:
    """Dated or periodic task timelines; a timeline line that serves several tasks of a
    group ("Thời gian thực hiện" after a group's bullets) is listed once, for the group."""
    sharing: dict[Span, list[Task]] = defaultdict(list)
    for task in plan.tasks:
        if task.timeline and WHEN.search(_ONGOING.sub("", task.timeline.text)):
            sharing[task.timeline].append(task)
    found = []
    for timeline, tasks in sharing.items():
        first = tasks[0]
        one_group = len(tasks) > 1 and first.group and all(t.group == first.group for t in tasks)
        what = plan.quote(first.group) if one_group else plan.quote(first.title, first.section)
        who = _unique(u for t in tasks for u in t.lead + t.advising)
        found.append(Deadline(plan.doc_id, plan.province, plan.province_name, "timeline", plan.quote(timeline),
                              what, tuple(plan.quote(u) for u in who), (), what.section))
    return found


def _unique(spans) -> list:
    return list(dict.fromkeys(spans))
