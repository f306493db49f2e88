"""Review questions for quán triệt, built from the plans' structure (`quiz_candidates`).
Multiple-choice distractors are real values of the same kind from the other provinces.
Every question carries its answer and the quote that proves it, and the answer is always
a span of that quote.

Versions ("Đề số N", N = 1, 2, …) share no question: the usable facts of the chosen plans
are put once in a fixed order in which the kinds and the provinces take turns, and version
N takes the N-th run of `count` of them; only when the facts run out does a version start
again from the first. Within a version, N also shuffles the order of the questions and
picks each one's type (multiple choice or a blank) and distractors, so the same N always
gives the same sheet. A blank is never made in a heading or a task line ("Thời gian thực
hiện: ……"): only in a sentence with words of its own around the blank."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from ..errors import InvalidRequestError
from ..ingest.provinces import find_provinces
from ..ingest.structure import FIELD_LINE
from ..ingest.text import match_form
from .corpus import Quote, StudyCorpus
from .quiz_candidates import BLANK, KINDS, Candidate, candidates, pools

MAX_QUESTIONS = 100
_MIN_DISTRACTORS = 2
_MIN_CONTEXT_WORDS = 4  # words of its own a blanked quote keeps beyond a label or a number
_ORDER_SEED = 0  # the one fixed order the versions are dealt from


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


def quiz(corpus: StudyCorpus, count: int = 10, seed: int = 1, provinces: Sequence[str] = ()) -> Quiz:
    """Version `seed` (Đề số `seed`) of `count` questions."""
    if not 1 <= count <= MAX_QUESTIONS:
        raise InvalidRequestError(f"số câu hỏi phải từ 1 đến {MAX_QUESTIONS}, không phải {count}")
    if seed < 1:
        raise InvalidRequestError(f"đề số phải từ 1 trở lên, không phải {seed}")
    plans = corpus.select(provinces)
    of_plan = {doc_id: candidates(plan) for doc_id, plan in corpus.plans.items()}  # worked out once
    values = pools(corpus, of_plan)
    usable = _unique([c for plan in plans for c in of_plan[plan.doc_id] if _types(c, values)])
    deck = _dealing_order(usable)
    start = (seed - 1) * count
    dealt = [deck[(start + n) % len(deck)] for n in range(min(count, len(deck)))] if deck else []
    rng = random.Random(seed)
    rng.shuffle(dealt)
    picked = tuple(_question(c, values, rng, n) for n, c in enumerate(dealt, start=1))
    return Quiz(seed, count, len(deck), corpus.columns(plans), picked)


def versions_apart(available: int, count: int) -> int:
    """How many versions of `count` questions share no question."""
    return available // count if count else 0


def _unique(found: list[Candidate]) -> list[Candidate]:
    """One question per quote: a motto's word groups, or the same sentence in two plans,
    give one question, not several that read alike."""
    seen, kept = set(), []
    for candidate in found:
        key = answer_form(candidate.plan.document.text[slice(*candidate.citation)])
        if key not in seen:
            seen.add(key)
            kept.append(candidate)
    return kept


def _dealing_order(usable: list[Candidate]) -> list[Candidate]:
    """Every usable fact once, the kinds taking turns and, within a kind, the provinces: the
    first versions mix every kind; a kind with few facts (a plan replaces at most one
    document) runs out, and later versions ask more of the plentiful kinds."""
    rng = random.Random(_ORDER_SEED)
    by_kind = {kind: _spread([c for c in usable if c.kind == kind], rng) for kind in KINDS}
    order: list[Candidate] = []
    while any(by_kind.values()):
        for kind in KINDS:
            if by_kind[kind]:
                order.append(by_kind[kind].pop())
    return order


def _types(candidate: Candidate, values: dict) -> list[str]:
    """The question types a fact can be asked as (none: it is not asked)."""
    citation = candidate.plan.quote(candidate.citation)
    choice = len(_options(candidate, values, citation)) >= _MIN_DISTRACTORS
    return (["choice"] if choice else []) + (["blank"] if _blank_ok(candidate, citation) else [])


def _blank_ok(candidate: Candidate, citation: Quote) -> bool:
    """A blank only in a sentence: not in a heading or a task line, and with words around it."""
    if not candidate.blank_ok or FIELD_LINE.match(citation.quote):
        return False
    plan = candidate.plan
    if any(s.title.startswith(citation.quote) or citation.quote.startswith(s.title) for s in plan.sections if s.number):
        return False
    rest = citation.quote[: candidate.answer.start - citation.start] + citation.quote[candidate.answer.end - citation.start:]
    rest = re.sub(r"^\s*(?:[-+•]|(?:[IVX]+|\d+(?:\.\d+)*)\.)\s*", "", rest)
    return len(re.findall(r"\w+", rest)) >= _MIN_CONTEXT_WORDS


def _question(candidate: Candidate, values: dict, rng: random.Random, number: int) -> Question:
    plan, answer = candidate.plan, candidate.answer
    citation = plan.quote(candidate.citation)
    kind = rng.choice(_types(candidate, values))
    options = _options(candidate, values, citation)
    distractors = rng.sample(options, min(3, len(options)))
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


def _options(candidate: Candidate, values: dict, citation: Quote) -> list[str]:
    """Every value of the same kind from other provinces that a distractor may be."""
    taken = [candidate.key] + [frozenset({k}) for k in candidate.excluded]
    options = []
    for province, key, text in values.get(candidate.kind, ()):
        if province != candidate.plan.province and not any(key <= t or t <= key for t in taken) \
                and not find_provinces(text) and match_form(text) not in match_form(citation.quote):
            taken.append(key)
            options.append(text)
    return options


def _spread(candidates: list[Candidate], rng: random.Random) -> list[Candidate]:
    """Shuffled, then ordered so that the provinces take turns (popped from the end)."""
    rng.shuffle(candidates)
    turn: dict[str, int] = {}
    ranked = []
    for candidate in candidates:
        turn[candidate.plan.province] = turn.get(candidate.plan.province, -1) + 1
        ranked.append((turn[candidate.plan.province], candidate))
    return [c for _, c in sorted(ranked, key=lambda pair: -pair[0])]




# --- checking a typed answer --------------------------------------------------------------

_Y_AS_I = re.compile(r"(?<![aăâeêoôơưy])(?<![^q]u)(?<!\bu)([ýỳỷỹỵy])(?!\w)")  # "quý" too: "qu" is a consonant
_I_FOR_Y = {"y": "i", "ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị"}


def answer_form(text: str) -> str:
    """A typed answer as it is compared with the key: case, spacing, end punctuation and
    quotation marks aside, and spelling variants folded: "hàng năm" is "hằng năm" (both are
    written), and a syllable's final "y" after a consonant is "i" ("quý"/"quí", "kỹ"/"kĩ";
    not "ay"/"ai", which are different words). static/study-quiz.js folds the same way."""
    folded = match_form(unicodedata.normalize("NFC", text))
    folded = re.sub(r"[«»“”\"'.,;:!?…()]", " ", folded)
    folded = re.sub(r"\bhàng (năm|quý|tháng|tuần|ngày)\b", r"hằng \1", folded)
    folded = _Y_AS_I.sub(lambda m: _I_FOR_Y[m.group(1)], folded)
    return " ".join(folded.split())


def same_answer(typed: str, answer: str) -> bool:
    return answer_form(typed) != "" and answer_form(typed) == answer_form(answer)
