"""The facts a review question can be asked about, read from one plan: who leads a task, a
task's timeline, when a report or review is due, a word of the motto (phương châm), a
key phrase, and which documents a plan implements or replaces. Each carries the answer's
span, the quote that proves it, the multiple-choice stem and what the answer says
(`key`), so that no distractor says the same; `quiz` turns them into questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.tasks import Span, Task
from ..ingest.text import match_form
from ..ingest.units import unit_key
from .corpus import Plan, Quote, StudyCorpus, references, short_title
from .deadlines import WHEN, plan_deadlines

KINDS = ("lead", "deadline", "motto", "implements", "timeline", "phrase", "replaces")
BLANK = "……"
_MOTTO = re.compile(r"[Pp]hương châm(?: triển khai)? [“\"]([^”\"]{5,120})[”\"]")
_PHRASE = re.compile(r"[“\"]([^”\"\n]{2,60})[”\"]")
_MAX_PHRASE_WORDS = 6
_ROLE_VERBS = {"lead": "chủ trì, thực hiện", "advising": "tham mưu, thực hiện"}


@dataclass(frozen=True)
class Candidate:
    kind: str
    plan: Plan
    answer: Span  # the answer's span in the plan's text, inside `citation`
    citation: tuple[int, int]
    stem: str  # the question for a multiple choice
    key: frozenset[str]  # what the answer says (a unit's key, a document's number, the periods of a deadline)
    about: Quote | None = None
    excluded: frozenset[str] = frozenset()  # keys no distractor may have, besides its own
    blank_ok: bool = True


def said(text: str) -> frozenset[str]:
    return frozenset({match_form(text)})


def periods(text: str) -> frozenset[str]:
    """What a time expression says, spelling aside: "Định kỳ hằng năm" and "Hàng năm" both
    say {"hằng năm", "định kỳ"} (every "hằng …" is periodic); "trước 15 tháng 12" says
    {"trước 15/12"}."""
    found = set()
    for match in WHEN.finditer(text):
        said = match_form(match.group()).replace("hàng ", "hằng ").replace("trong năm", "năm")
        said = re.sub(r"(\d{1,2}) tháng (\d{1,2})", r"\1/\2", said.replace("trước ngày", "trước"))
        found.add(said)
        if said.startswith("hằng "):
            found.add("định kỳ")
    return frozenset(found) or said(text)


def candidates(plan: Plan) -> list[Candidate]:
    return (_lead_questions(plan) + _timeline_questions(plan) + _deadline_questions(plan)
            + _motto_questions(plan) + _phrase_questions(plan) + _reference_questions(plan))


def _lead_questions(plan: Plan) -> list[Candidate]:
    found = []
    for task in plan.tasks:
        role, units = ("lead", task.lead) if task.lead else ("advising", task.advising)
        source = _source_of(task, units[0]) if units else None
        if not source:
            continue
        title, cut = short_title(plan, task.title, 120)
        stem = (f"Theo {plan.short_label}, đơn vị nào sau đây {_ROLE_VERBS[role]} nhiệm vụ "
                f"«{title.quote}{' …' if cut else ''}» (mục {task.section})?")
        excluded = frozenset(unit_key(u.text) for _, u in task.units())
        found.append(Candidate("lead", plan, units[0], (source.start, source.end), stem, _unit(units[0].text),
                                title, excluded))
    return found


def _timeline_questions(plan: Plan) -> list[Candidate]:
    found, seen = [], set()
    for task in plan.tasks:
        source = _source_of(task, task.timeline) if task.timeline else None
        if not source or task.timeline in seen:
            continue
        seen.add(task.timeline)
        title, cut = short_title(plan, task.title, 120)
        stem = (f"Theo {plan.short_label}, thời gian thực hiện nhiệm vụ «{title.quote}{' …' if cut else ''}» "
                f"(mục {task.section}) là gì?")
        found.append(Candidate("timeline", plan, task.timeline, (source.start, source.end), stem,
                                periods(task.timeline.text), title))
    return found


def _deadline_questions(plan: Plan) -> list[Candidate]:
    found = []
    for deadline in plan_deadlines(plan):
        if deadline.kind == "timeline":
            continue
        when, what = deadline.when, deadline.what
        blanked = what.quote[: when.start - what.start] + BLANK + what.quote[when.end - what.start:]
        stem = f"Theo {plan.short_label} (mục {deadline.section}), chỗ trống là thời hạn nào: «{blanked}»?"
        found.append(Candidate("deadline", plan, Span(when.quote, when.start, when.end), (what.start, what.end),
                                stem, periods(when.quote), what))
    return found


def _motto_questions(plan: Plan) -> list[Candidate]:
    """One word group of the motto blanked: "Chủ động, đồng bộ, ……, sáng tạo, hiệu quả"."""
    text, found = plan.document.text, []
    for motto in _MOTTO.finditer(text):
        for part in re.finditer(r"[^,]+?(?=,| và |$)", motto.group(1)):
            start = motto.start(1) + part.start() + len(part.group()) - len(part.group().lstrip())
            end = motto.start(1) + part.end()
            if text[start:end].startswith("và "):
                start += 3
            found.append(Candidate("motto", plan, Span(text[start:end], start, end), motto.span(), "",
                                    said(text[start:end])))
    return found


def _phrase_questions(plan: Plan) -> list[Candidate]:
    """A short quoted phrase of the plan ("sức mạnh mềm", "xây" và "chống") blanked in its clause."""
    text, found = plan.document.text, []
    mottos = [m.span(1) for m in _MOTTO.finditer(text)]
    for phrase in _PHRASE.finditer(text):
        words = phrase.group(1).strip("* ").split()
        if len(words) > _MAX_PHRASE_WORDS or any(s <= phrase.start(1) < e for s, e in mottos):
            continue
        start = phrase.start(1) + phrase.group(1).index(words[0])
        answer = Span(" ".join(words), start, start + len(" ".join(words)))
        if text[answer.start:answer.end] != answer.text:
            continue
        clause = _clause_around(text, phrase.start(), phrase.end())
        stem = f"Theo {plan.short_label}, cụm từ nào điền vào chỗ trống: «{_blank(text, clause, answer)}»?"
        found.append(Candidate("phrase", plan, answer, clause, stem, said(answer.text)))
    return found


def _reference_questions(plan: Plan) -> list[Candidate]:
    found = []
    named = {field: references(plan, field) for field in ("implements", "replaces")}
    mine = {number for mentions in named.values() for number, _ in mentions}
    for field, kind, verb in (("implements", "implements", "được ban hành để thực hiện"),
                              ("replaces", "replaces", "thay thế")):
        for number, mention in named[field]:
            clause = _clause_around(plan.document.text, mention.start, mention.end)
            stem = f"{plan.short_label[:1].upper()}{plan.short_label[1:]} {verb} văn bản nào sau đây?"
            found.append(Candidate(kind, plan, Span(mention.quote, mention.start, mention.end), clause, stem,
                                    frozenset({number}), None, frozenset(mine), blank_ok=False))
    return found


def pools(corpus: StudyCorpus,
           of_plan: dict[str, list[Candidate]]) -> dict[str, list[tuple[str, frozenset[str], str]]]:
    """(province, key, text) of every value a distractor may be, by kind, in document order;
    any unit that leads a task anywhere may stand in for another."""
    pools: dict[str, list[tuple[str, frozenset[str], str]]] = {kind: [] for kind in KINDS}
    for plan in corpus.plans.values():
        for candidate in of_plan[plan.doc_id]:
            if candidate.kind not in ("lead", "phrase"):  # a quoted phrase has no others of its kind
                pools[candidate.kind].append((plan.province, candidate.key, candidate.answer.text))
        pools["lead"] += [(plan.province, _unit(u.text), u.text) for t in plan.tasks for u in t.lead + t.advising]
    pools["replaces"] = pools["implements"] + pools["replaces"]
    return pools


def _unit(name: str) -> frozenset[str]:
    return frozenset({unit_key(name)})


def _source_of(task: Task, span: Span) -> Span | None:
    """The task line or heading a value was read from."""
    return next((s for s in task.sources if s.start <= span.start and span.end <= s.end), None)


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between ";", line breaks or sentence ends) holding text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in (";", "\n", ". ")) + 1
    rights = [i for i in (text.find(c, end) for c in (";", "\n", ". ")) if i >= 0]
    right = min(rights) if rights else len(text)
    while left < start and text[left] in " -+":
        left += 1
    return left, right


def _blank(text: str, clause: tuple[int, int], answer: Span) -> str:
    return text[clause[0]:answer.start] + BLANK + text[answer.end:clause[1]]
