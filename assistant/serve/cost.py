"""What a request will cost, estimated before it runs, in units of work.

A plain question (about 60 characters) took about 24 ms and a 2,000-character question
with ten 2,000-character history turns about 0.5 s (measured on main d299793, issue 19):
on that line time grows by about 0.022 ms a character on top of about 23 ms, as if every
question carried BASE_CHARS characters more. A question compared across provinces is
searched once per province. The gate (gate.py) turns units into seconds with the rate it
measures on the work it has done, so only the shape of the estimate is fixed here."""

from __future__ import annotations

BASE_CHARS = 1_000  # the fixed cost of a question, in characters' worth of work
PER_PROVINCE = 0.5  # each province named past the first adds half a plain question's work


def question_units(question: str, history: list[str], provinces: int = 1) -> float:
    """Units of an ask or a search: 1.0 for a plain question."""
    chars = BASE_CHARS + len(question) + sum(len(turn) for turn in history)
    return chars / BASE_CHARS * (1 + PER_PROVINCE * max(0, provinces - 1))
