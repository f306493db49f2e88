"""How an answer is worded: the plans' own words, labelled by province where several
plans answer, kept short enough to read on a phone.

- An answer stands behind one candidate. When the assistant is not sure, that one
  leads as "Có thể là: …" and the others follow under "Các đoạn khác có thể liên quan".
- An answer is at most about `MAX_CHARS` characters, unless the question asks for a
  list (then each item is still cut to `ITEM_CHARS`)."""

from __future__ import annotations

import re

from ..index.store import Index
from ..ingest.text import shorten
from ..query.parse import Question
from .candidates import Candidate

MAYBE = "Có thể là:"
OTHERS = "Các đoạn khác có thể liên quan:"
_BULLET = re.compile(r"^((?:[^:\n]{1,40}: )?)[-+•]\s+")  # "Ninh Thuận: - Đơn vị …" → "Ninh Thuận: Đơn vị …"
MAX_CHARS = 600
ITEM_CHARS = 260
_OTHER_CHARS = 160  # each other candidate of an unsure answer, as a pointer to its quote


def asks_for_list(question: Question) -> bool:
    return question.intent.kind == "list"


def fitted(text: str, limit: int) -> str:
    """Whole lines while they fit in `limit` characters; a first line longer than that
    is cut at a word; lines left out are marked with "…"."""
    lines = text.split("\n")
    kept, used = [], 0
    for n, line in enumerate(lines):
        cost = len(line) + (1 if kept else 0)
        if used + cost > limit:
            if not kept:
                kept.append(shorten(line, limit))
            elif n < len(lines):
                kept.append("…")
            break
        kept.append(line)
        used += cost
    return "\n".join(kept)


def limited(text: str, question: Question) -> str:
    return text if asks_for_list(question) else fitted(text, MAX_CHARS)


def labelled(index: Index, candidate: Candidate) -> str:
    """"Bắc Giang: …": a candidate under the name of the province whose plan it is from."""
    document = index.documents[candidate.doc_id]
    name = province_name(index, document.province) or document.label
    joiner = "\n" if "\n" in candidate.text or candidate.text.startswith("- ") else " "
    return f"{name}:{joiner}{candidate.text}"


def unsure(index: Index, question: Question, best: Candidate, others: list[Candidate],
           several_plans: bool) -> tuple[str, str]:
    """(the whole answer, its lead) for an answer the assistant is not sure of."""
    own = labelled(index, best) if several_plans else best.text
    lead = f"{MAYBE} {limited(own, question)}" if "\n" not in own else f"{MAYBE}\n{limited(own, question)}"
    lines = [lead]
    if others:
        lines.append(OTHERS)
        for candidate in others:
            text = labelled(index, candidate) if several_plans else candidate.text
            text = _BULLET.sub(r"\1", " ".join(text.split()))  # the line's own "- " is not doubled
            lines.append(f"- {shorten(text, _OTHER_CHARS)}")
    return "\n".join(lines), lead


def silent(index: Index, provinces: list[str]) -> str:
    names = ", ".join(province_name(index, p) or p for p in provinces)
    return f"Không thấy nội dung này trong văn bản của: {names}."


def with_note(text: str, question: Question) -> str:
    return f"{text}\n({question.scope_note})" if question.scope_note else text


def province_name(index: Index, slug: str) -> str:
    return next((d.province_name for d in index.documents.values() if d.province == slug and d.province_name), slug)
