"""Review questions for quán triệt, built from the plans' structure, deterministic for
a seed. Kinds: who leads a task, a task's timeline, when a report or review is due,
a word of the motto (phương châm), a key phrase, and which documents a plan implements
or replaces. Multiple-choice distractors are real values of the same kind from the
other provinces. Every question carries its answer and the quote that proves it, and
the answer is always a span of that quote."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Sequence

from ..errors import InvalidRequestError
from ..ingest.provinces import find_provinces
from ..ingest.tasks import Span, Task
from ..ingest.text import match_form
from ..ingest.units import unit_key
from .corpus import Plan, Quote, StudyCorpus, references, short_title
from .deadlines import WHEN, plan_deadlines

KINDS = ("lead", "deadline", "motto", "implements", "timeline", "phrase", "replaces")
MAX_QUESTIONS = 100
BLANK = "……"
_MIN_DISTRACTORS = 2
_MOTTO = re.compile(r"[Pp]hương châm(?: triển khai)? [“\"]([^”\"]{5,120})[”\"]")
_PHRASE = re.compile(r"[“\"]([^”\"\n]{2,60})[”\"]")
_MAX_PHRASE_WORDS = 6
_ROLE_VERBS = {"lead": "chủ trì, thực hiện", "advising": "tham mưu, thực hiện"}


@dataclass(frozen=True)
class Question:
    number: int
    kind: str  # one of KINDS
    type: str  # "choice" or "blank"
    question: str
    choices: tuple[str, ...]  # () for fill-in-the-blank
    answer: str
    citation: Quote  # the verbatim quote the answer is read from; answer is a span of it
    about: Quote | None  # the task or clause asked about, when there is one
    doc_id: str
    province: str
    province_name: str


@dataclass(frozen=True)
class Quiz:
    seed: int
    count: int  # questions asked for
    available: int  # questions the chosen plans can give
    provinces: tuple[tuple[str, str], ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class _Candidate:
    kind: str
    plan: Plan
    answer: Span  # the answer's span in the plan's text, inside `citation`
    citation: tuple[int, int]
    stem: str  # the question for a multiple choice
    key: frozenset[str]  # what the answer says (a unit's key, a document's number, the periods of a deadline)
    about: Quote | None = None
    excluded: frozenset[str] = frozenset()  # keys no distractor may have, besides its own
    blank_ok: bool = True


def quiz(corpus: StudyCorpus, count: int = 10, seed: int = 1, provinces: Sequence[str] = ()) -> Quiz:
    if not 1 <= count <= MAX_QUESTIONS:
        raise InvalidRequestError(f"số câu hỏi phải từ 1 đến {MAX_QUESTIONS}, không phải {count}")
    plans = corpus.select(provinces)
    of_plan = {doc_id: _candidates(plan) for doc_id, plan in corpus.plans.items()}  # worked out once
    pools = _pools(corpus, of_plan)
    candidates = [c for plan in plans for c in of_plan[plan.doc_id]]
    rng = random.Random(seed)
    by_kind = {kind: _spread([c for c in candidates if c.kind == kind], rng) for kind in KINDS}
    picked: list[Question] = []
    while len(picked) < count and any(by_kind.values()):
        for kind in KINDS:
            if by_kind[kind] and len(picked) < count:
                question = _question(by_kind[kind].pop(), pools, rng, len(picked) + 1)
                if question:
                    picked.append(question)
    return Quiz(seed, count, len(candidates), corpus.columns(plans), tuple(picked))


def _question(candidate: _Candidate, pools: dict, rng: random.Random, number: int) -> Question | None:
    plan, answer = candidate.plan, candidate.answer
    citation = plan.quote(candidate.citation)
    distractors = _distractors(candidate, pools, citation, rng)
    blank_ok = candidate.blank_ok and len(citation.quote) - len(answer.text) >= 15
    types = (["choice"] if len(distractors) >= _MIN_DISTRACTORS else []) + (["blank"] if blank_ok else [])
    if not types:
        return None
    kind = rng.choice(types)
    if kind == "choice":
        choices = distractors + [answer.text]
        rng.shuffle(choices)
        text = candidate.stem
    else:
        choices = []
        blanked = citation.quote[: answer.start - citation.start] + BLANK + citation.quote[answer.end - citation.start:]
        about = candidate.about
        task = f" nhiệm vụ «{about.quote}» (mục {about.section})," if about and about.end <= citation.start else ""
        text = f"Theo {plan.short_label},{task} điền vào chỗ trống: «{blanked}»"
    return Question(number, candidate.kind, kind, text, tuple(choices), answer.text, citation, candidate.about,
                    plan.doc_id, plan.province, plan.province_name)


def _distractors(candidate: _Candidate, pools: dict, citation: Quote, rng: random.Random) -> list[str]:
    """Up to three values of the same kind from other provinces, none the answer's."""
    taken = [candidate.key] + [frozenset({k}) for k in candidate.excluded]
    options = []
    for province, key, text in pools.get(candidate.kind, ()):
        if province != candidate.plan.province and not any(key <= t or t <= key for t in taken) \
                and not find_provinces(text) and match_form(text) not in match_form(citation.quote):
            taken.append(key)
            options.append(text)
    return rng.sample(options, min(3, len(options)))


def _words(text: str) -> frozenset[str]:
    return frozenset({match_form(text)})


def _periods(text: str) -> frozenset[str]:
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
    return frozenset(found) or _words(text)


# --- candidates ----------------------------------------------------------------------


def _spread(candidates: list[_Candidate], rng: random.Random) -> list[_Candidate]:
    """Shuffled, then ordered so that the provinces take turns (popped from the end)."""
    rng.shuffle(candidates)
    turn: dict[str, int] = {}
    ranked = []
    for candidate in candidates:
        turn[candidate.plan.province] = turn.get(candidate.plan.province, -1) + 1
        ranked.append((turn[candidate.plan.province], candidate))
    return [c for _, c in sorted(ranked, key=lambda pair: -pair[0])]


def _candidates(plan: Plan) -> list[_Candidate]:
    return (_lead_questions(plan) + _timeline_questions(plan) + _deadline_questions(plan)
            + _motto_questions(plan) + _phrase_questions(plan) + _reference_questions(plan))


def _lead_questions(plan: Plan) -> list[_Candidate]:
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
        found.append(_Candidate("lead", plan, units[0], (source.start, source.end), stem, _unit(units[0].text),
                                title, excluded))
    return found


def _timeline_questions(plan: Plan) -> list[_Candidate]:
    found, seen = [], set()
    for task in plan.tasks:
        source = _source_of(task, task.timeline) if task.timeline else None
        if not source or task.timeline in seen:
            continue
        seen.add(task.timeline)
        title, cut = short_title(plan, task.title, 120)
        stem = (f"Theo {plan.short_label}, thời gian thực hiện nhiệm vụ «{title.quote}{' …' if cut else ''}» "
                f"(mục {task.section}) là gì?")
        found.append(_Candidate("timeline", plan, task.timeline, (source.start, source.end), stem,
                                _periods(task.timeline.text), title))
    return found


def _deadline_questions(plan: Plan) -> list[_Candidate]:
    found = []
    for deadline in plan_deadlines(plan):
        if deadline.kind == "timeline":
            continue
        when, what = deadline.when, deadline.what
        blanked = what.quote[: when.start - what.start] + BLANK + what.quote[when.end - what.start:]
        stem = f"Theo {plan.short_label} (mục {deadline.section}), chỗ trống là thời hạn nào: «{blanked}»?"
        found.append(_Candidate("deadline", plan, Span(when.quote, when.start, when.end), (what.start, what.end),
                                stem, _periods(when.quote), what))
    return found


def _motto_questions(plan: Plan) -> list[_Candidate]:
    """One word group of the motto blanked: "Chủ động, đồng bộ, ……, sáng tạo, hiệu quả"."""
    text, found = plan.document.text, []
    for motto in _MOTTO.finditer(text):
        for part in re.finditer(r"[^,]+?(?=,| và |$)", motto.group(1)):
            start = motto.start(1) + part.start() + len(part.group()) - len(part.group().lstrip())
            end = motto.start(1) + part.end()
            if text[start:end].startswith("và "):
                start += 3
            found.append(_Candidate("motto", plan, Span(text[start:end], start, end), motto.span(), "",
                                    _words(text[start:end])))
    return found


def _phrase_questions(plan: Plan) -> list[_Candidate]:
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
        found.append(_Candidate("phrase", plan, answer, clause, stem, _words(answer.text)))
    return found


def _reference_questions(plan: Plan) -> list[_Candidate]:
    found = []
    named = {field: references(plan, field) for field in ("implements", "replaces")}
    mine = {number for mentions in named.values() for number, _ in mentions}
    for field, kind, verb in (("implements", "implements", "được ban hành để thực hiện"),
                              ("replaces", "replaces", "thay thế")):
        for number, mention in named[field]:
            clause = _clause_around(plan.document.text, mention.start, mention.end)
            stem = f"{plan.short_label[:1].upper()}{plan.short_label[1:]} {verb} văn bản nào sau đây?"
            found.append(_Candidate(kind, plan, Span(mention.quote, mention.start, mention.end), clause, stem,
                                    frozenset({number}), None, frozenset(mine), blank_ok=False))
    return found


def _pools(corpus: StudyCorpus,
           of_plan: dict[str, list[_Candidate]]) -> dict[str, list[tuple[str, frozenset[str], str]]]:
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
