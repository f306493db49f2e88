"""Training questions made from the plans' own task records: for each task whose
lead unit, coordinating units or timeline the plan states, a who-, coordinating- or
when-question built from the task's own opening words, with that field as the
answer. They teach the answer model which candidate answers a question about a
task (the unit in "7. Sở Nội vụ", not the duty written under it); they are never
used to measure it.

Deterministic: the same index gives the same questions."""

from __future__ import annotations

import re

from ..index.store import Index
from ..ingest.structure import Section
from ..ingest.text import sentence_spans
from .questions import strip_diacritics

_WHO = ("Cơ quan nào {task}{place}?", "Đơn vị nào chịu trách nhiệm {task}{place}?",
        "Ai được giao {task}{place}?", "Việc {task}{place} do ai thực hiện?")
_WITH = ("Đơn vị nào phối hợp {task}{place}?", "Ai phối hợp thực hiện việc {task}{place}?")
_WHEN = ("Việc {task}{place} thực hiện khi nào?", "Thời gian thực hiện {task}{place} là khi nào?")
_WORDS = 12  # the question takes the task's first words
_LEADING = re.compile(r"^(?:[-+•]\s*)?(?:\d+(?:\.\d+)*\.\s*)?(?:Nội dung thực hiện:\s*)?"
                      r"(?:(?:Chủ trì|Phối hợp)[^,;:]*[,;:]\s*)?")


def task_questions(index: Index) -> list[dict]:
    """Questions in the evaluation format (`id`, `question`, `answers`, `type` …)."""
    out = []
    for doc in index.documents.values():
        place = f" ở {doc.province_name}" if doc.province_name else ""
        for section in index.sections(doc.doc_id):
            task = _task_words(doc.text, section)
            if not task:
                continue
            for role, templates, kind in (("lead", _WHO, "who"), ("coordinating", _WITH, "who"),
                                          ("timeline", _WHEN, "when")):
                field = section.field(role)
                if field is None or not section.start <= field.start < section.end:
                    continue  # only the task's own lines
                if field.value.lower().startswith(("các ", "căn cứ")):
                    continue  # "Các sở, ban, ngành": every agency, not one to name
                n = len(out)
                text = templates[n % len(templates)].format(task=task, place=place)
                if n % 3 == 2:
                    text = strip_diacritics(text)
                out.append({"id": f"s{n + 1:04d}", "question": text, "province": doc.province or None,
                            "docs": [doc.doc_id], "answers": [_value(field.value)],
                            "evidence": [_line(doc.text, field.start, field.end)],
                            "type": kind, "variant": "synthetic"})
    return out


def _task_words(text: str, section: Section) -> str:
    sentences = sentence_spans(text, section.body_start, section.own_end)
    if not section.number or not sentences:
        return ""
    first = text[sentences[0][0]:sentences[0][1]]
    if first.startswith(("- Đơn vị", "- Thời gian", "Cơ quan", "- Nội dung thực hiện:")):
        first = section.title
    words = _LEADING.sub("", first).split()[:_WORDS]
    if len(words) < 4:
        return ""
    return " ".join(words).rstrip(".,;:").lower() if words[0][:1].isupper() and not words[0].isupper() \
        else " ".join(words).rstrip(".,;:")


def _line(text: str, start: int, end: int) -> str:
    """The whole line a field is written on: its evidence."""
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : len(text) if stop < 0 else stop].strip()


def _value(value: str) -> str:
    """The field's value as it would be quoted: its first unit or phrase."""
    return re.split(r"[;,]| chủ trì| phối hợp", value.rstrip(" ."), maxsplit=1)[0].strip()


