"""What is distinctive in each province: what one plan has that no other plan of the
corpus has, computed from the documents and their task records, every item quoted.

Four kinds, in the order a trainer presents them:
- "document": the kind of text ("công văn" where the others are "kế hoạch"), the kind of
  body that issued it (the Party's standing committee where the others are people's
  committees), and a plan it replaces;
- "reporting": a reporting period or date no other plan uses ("hằng quý", "trước ngày 15/11");
- "unit": units the plan gives tasks to that no other plan names (collectives such as
  "các cơ quan liên quan" never count);
- "task": commitments with a number no other plan makes ("ít nhất 01 vị trí việc làm
  chuyên trách"), then the task clauses with the most words that no other plan uses
  (at least `MIN_NEW_WORDS`; at most `MAX_TASKS` of them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..ingest.provinces import PROVINCES
from ..ingest.text import match_form
from ..ingest.units import is_collective, unit_key
from .corpus import Plan, Quote, StudyCorpus, references
from .deadlines import plan_deadlines
from .facts import issuer_name, issuer_span

MAX_TASKS = 3
MIN_NEW_WORDS = 2  # one new word is often a spelling or an aside; two make a new thing
MAX_UNITS = 4
KINDS = {"document": "Văn bản", "reporting": "Báo cáo", "unit": "Đơn vị", "task": "Nhiệm vụ"}
_QUANTITY = re.compile(r"\b(?:ít nhất|tối thiểu|tối đa) \d+[^,;.\n]{0,80}|\b\d+%[^,;.\n]{0,80}", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:]|\.(?=\s)|\n")


@dataclass(frozen=True)
class Distinct:
    kind: str  # one of KINDS
    text: str  # what is distinctive, in the handout's own words
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class DistinctView:
    provinces: tuple[tuple[str, str], ...]
    plans: tuple[tuple[str, str, tuple[Distinct, ...]], ...]  # (doc_id, label, items)


def distinctive_view(corpus: StudyCorpus, provinces: Sequence[str] = ()) -> DistinctView:
    plans = corpus.select(provinces)
    return DistinctView(corpus.columns(plans), tuple((p.doc_id, p.label, distinctive(corpus, p)) for p in plans))


def distinctive(corpus: StudyCorpus, plan: Plan) -> tuple[Distinct, ...]:
    others = [p for p in corpus.plans.values() if p.doc_id != plan.doc_id]
    if not others:
        return ()
    return tuple(_document(plan, others) + _reporting(plan, others) + _units(plan, others) + _tasks(plan, others))


def _document(plan: Plan, others: list[Plan]) -> list[Distinct]:
    found, document = [], plan.document
    kind = document.kind or "văn bản"
    if all((o.document.kind or "văn bản") != kind for o in others) and document.span("kind"):
        found.append(Distinct("document", f"Là {kind}, không phải {_listed(o.document.kind for o in others)}",
                              (plan.quote(document.span("kind")),)))
    body = _body_kind(issuer_name(document))
    issuer = issuer_span(document)
    if body and issuer and all(_body_kind(issuer_name(o.document)) != body for o in others):
        found.append(Distinct("document", f"Do {issuer_name(document)} ban hành ({body})", (plan.quote(issuer),)))
    for number, mention in references(plan, "replaces"):
        found.append(Distinct("document", f"Thay thế văn bản số {number}", (mention,)))
    return found


def _body_kind(issuer: str) -> str:
    if re.search(r"Tỉnh ủy|Tỉnh uỷ|Ban Thường vụ|Đảng", issuer):
        return "cấp ủy Đảng"
    return "Ủy ban nhân dân" if re.search(r"Ủy ban nhân dân|UBND|Uỷ ban nhân dân", issuer) else ""


def _listed(values) -> str:
    return " hay ".join(dict.fromkeys(v or "văn bản" for v in values))


def _reporting(plan: Plan, others: list[Plan]) -> list[Distinct]:
    theirs = [d for o in others for d in plan_deadlines(o) if d.kind != "timeline"]
    their_periods = {p for d in theirs for p in d.periods}
    their_days = {(d.due.day, d.due.month) for d in theirs if d.due}
    found = []
    for deadline in (d for d in plan_deadlines(plan) if d.kind != "timeline"):
        new = [p for p in deadline.periods if p not in their_periods and p not in ("định kỳ", "đột xuất")]
        if deadline.due and (deadline.due.day, deadline.due.month) not in their_days:
            new.insert(0, f"trước ngày {deadline.due.day}/{deadline.due.month}")
        if new:
            found.append(Distinct("reporting", f"Báo cáo {', '.join(new)}", (deadline.what,)))
    return found


def _units(plan: Plan, others: list[Plan]) -> list[Distinct]:
    theirs = {unit_key(u.text) for o in others for u in _unit_spans(o)}
    mine: dict[str, Quote] = {}
    for unit in _unit_spans(plan):
        key = unit_key(unit.text)
        if key not in theirs and not is_collective(unit.text):
            mine.setdefault(key, plan.quote(unit))
    if not mine:
        return []
    shown = list(mine.values())[:MAX_UNITS]
    listed = f", trong đó có {len(shown)} đơn vị sau" if len(mine) > len(shown) else ""
    return [Distinct("unit", f"Giao việc cho {len(mine)} đơn vị không văn bản nào khác nêu{listed}", tuple(shown))]


def _unit_spans(plan: Plan) -> list:
    return [u for t in plan.tasks for _, u in t.units()] + [u for t in plan.tasks for h in t.handed for u in h.lead]


def _tasks(plan: Plan, others: list[Plan]) -> list[Distinct]:
    their_words = set().union(*(_words(o.document.text) for o in others))
    their_text = " ".join(match_form(o.document.text) for o in others)
    found, scored, seen = [], [], set()
    for start, end in _task_clauses(plan):
        if (start, end) in seen:
            continue
        seen.add((start, end))
        text = plan.document.text[start:end]
        for quantity in _QUANTITY.finditer(text):
            if match_form(quantity.group().split()[0] + " " + quantity.group().split()[1]) not in their_text:
                found.append(Distinct("task", "Cam kết có số lượng cụ thể", (plan.quote((start, end)),)))
                break
        new = _words(text) - their_words
        if len(new) >= MIN_NEW_WORDS:
            scored.append((-len(new), start, end))
    quantified = {q.start for d in found for q in d.quotes}
    for _, start, end in sorted(scored)[:MAX_TASKS]:
        if start not in quantified:
            found.append(Distinct("task", "Nhiệm vụ không văn bản nào khác có", (plan.quote((start, end)),)))
    return found


def _task_clauses(plan: Plan) -> list[tuple[int, int]]:
    """The clauses of every task's text (cut at ";", ":", sentence ends and line breaks)."""
    text, found = plan.document.text, []
    for task in plan.tasks:
        cursor = task.body.start
        for stop in list(_CLAUSE_END.finditer(text, task.body.start, task.body.end)) + [None]:
            end = stop.start() if stop else task.body.end
            start = cursor
            while start < end and text[start] in " -+,":
                start += 1
            while end > start and text[end - 1] in " ,.":
                end -= 1
            if end - start >= 20:
                found.append((start, end))
            cursor = stop.end() if stop else end
    return found


def _words(text: str) -> set[str]:
    """Words, without the provinces' names and numbers (a date or a document number is not a new idea)."""
    return {w for w in re.findall(r"\w+", match_form(text)) if w not in _province_words() and not w.isdigit()}


_PROVINCE_WORDS: set[str] = set()


def _province_words() -> set[str]:
    if not _PROVINCE_WORDS:
        _PROVINCE_WORDS.update(w for p in PROVINCES for w in re.findall(r"\w+", match_form(p.name)))
    return _PROVINCE_WORDS
