"""The goals a one-page summary quotes, and how they are chosen.

Candidates are the sentences of a plan's "Mục đích" and "Mục tiêu" parts (the whole of
"Mục đích, yêu cầu" when the plan does not split it; never "Yêu cầu", which says how, not
what). Each is shown as its verbatim head (`head`), at most `HEAD_LIMIT` characters cut at
a clause boundary.

The rule picks, one at a time, the sentence whose head covers the most of what the plan's
tasks say and no chosen sentence covers yet (greedy weighted coverage, the classic
approximation of maximum coverage): what a text says is its set of word pairs, each
weighted by how rare it is among all the tasks of the corpus (inverse document frequency),
so "thông tin đối ngoại", which every task says, weighs almost nothing. A goal the tasks
carry out scores high, one that restates a goal already chosen scores low, and there is no
threshold to tune. The chosen goals are shown in the plan's order. `coverage` measures it:
docs/hoc-tap.md compares the rule with the first five sentences on the five plans."""

from __future__ import annotations

import math
import re
from collections import Counter

from ..ingest.text import fold, match_form, sentence_spans
from .corpus import Plan, StudyCorpus

HEAD_LIMIT = 220
MAX_GOALS = 5
_HEADING = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.\s*[^.]{0,40}:?$")
_MARKER = re.compile(r"(?:[-+•–]\s+|(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s+)")  # "- ", "2. ", "a) " before a goal


def head(text: str, start: int, end: int, limit: int = HEAD_LIMIT) -> tuple[int, int, bool]:
    """The verbatim head of text[start:end]: all of it when short, else cut at the last clause
    boundary (", ", "; ") within `limit` characters (or a space); True when cut."""
    if end - start <= limit:
        return start, end, False
    window = text[start:start + limit]
    cut = max(window.rfind("; "), window.rfind(", "))
    cut = cut if cut > limit // 2 else window.rfind(" ")
    return start, start + cut, True


def goal_candidates(plan: Plan) -> list[tuple[int, int, bool]]:
    """(start, end, cut) of the head of every sentence of the plan's goal parts."""
    text, found = plan.document.text, []
    for section in _goal_sections(plan):
        for start, end in sentence_spans(text, section.start, section.own_end):
            if _HEADING.match(text[start:end]) or end - start < 20:
                continue
            marker = _MARKER.match(text, start, end)
            found.append(head(text, marker.end() if marker else start, end))
    return found


def _goal_sections(plan: Plan) -> list:
    chosen = []
    for section in plan.sections:
        title = fold(section.title)
        if len(section.path) == 1 and "muc tieu" in title:
            chosen.append(section)
        elif len(section.path) == 1 and "muc dich" in title:
            parts = [s for s in plan.sections if len(s.path) == 2 and s.path[0] == section.path[0]]
            named = [s for s in parts if "muc dich" in fold(s.title)]
            split = any("yeu cau" in fold(s.title) for s in parts)
            chosen += named if split else [section] + parts
    return chosen


def task_weights(corpus: StudyCorpus) -> dict[str, float]:
    """Each word pair of the corpus's tasks, weighted by its inverse document frequency."""
    counts: Counter[str] = Counter()
    total = 0
    for plan in corpus.plans.values():
        for task in plan.tasks:
            counts.update(pairs(task.body.text))
            total += 1
    return {pair: math.log((1 + total) / (1 + n)) for pair, n in counts.items()}


def pairs(text: str) -> set[str]:
    words = re.findall(r"\w+", match_form(text))
    return {f"{a} {b}" for a, b in zip(words, words[1:])}


def choose_goals(plan: Plan, weights: dict[str, float], limit: int = MAX_GOALS) -> list[tuple[int, int, bool]]:
    text = plan.document.text
    wanted = set().union(*(pairs(t.body.text) for t in plan.tasks)) if plan.tasks else set()
    candidates = goal_candidates(plan)
    said = {c: pairs(text[c[0]:c[1]]) & wanted for c in candidates}
    chosen: list[tuple[int, int, bool]] = []
    covered: set[str] = set()
    while candidates and len(chosen) < limit:
        gain = {c: sum(weights.get(p, 0.0) for p in said[c] - covered) for c in candidates}
        best = max(candidates, key=lambda c: (gain[c], -c[0]))  # a tie goes to the earlier sentence
        chosen.append(best)
        covered |= said[best]
        candidates.remove(best)
    return sorted(chosen)


def coverage(plan: Plan, chosen: list[tuple[int, int, bool]], weights: dict[str, float]) -> float:
    """The share of the weight of the plan's task word pairs that the chosen heads say."""
    wanted = set().union(*(pairs(t.body.text) for t in plan.tasks)) if plan.tasks else set()
    said = set().union(*(pairs(plan.document.text[s:e]) for s, e, _ in chosen)) if chosen else set()
    total = sum(weights.get(p, 0.0) for p in wanted)
    return sum(weights.get(p, 0.0) for p in said & wanted) / total if total else 0.0
