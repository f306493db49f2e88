"""Small pure metric functions for the evaluation, each tested on a hand-worked case."""

from __future__ import annotations

import math
import re
import statistics

from ..ingest.text import match_form

_MARKUP = re.compile(r"</?[A-Za-z][^<>\n]*>|[*#]")


def normalise(text: str) -> str:
    """How gold strings and system output are compared: NFC, no markdown or tags,
    canonical tone marks, lower case, single spaces."""
    return match_form(_MARKUP.sub(" ", text))


# An expected answer is a list of items; an item is a string, or a list of its accepted
# spellings (["Sở Thông tin và Truyền thông", "Sở TT&TT"]).
Item = str | list[str]


def _holds(haystack: str, item: Item) -> bool:
    spellings = [item] if isinstance(item, str) else item
    return any(normalise(s) in haystack for s in spellings if s.strip())


def contains_any(text: str, golds: list[Item]) -> bool:
    """Lenient: the answer holds at least one expected item."""
    haystack = normalise(text)
    return any(_holds(haystack, g) for g in golds)


def contains_all(text: str, golds: list[Item]) -> bool:
    """Strict: the answer holds every expected item (a list names all its elements)."""
    haystack = normalise(text)
    return bool(golds) and all(_holds(haystack, g) for g in golds)


def missing_items(text: str, golds: list[Item]) -> list[Item]:
    """The expected items the answer does not hold, for the report's list of misses."""
    haystack = normalise(text)
    return [g for g in golds if not _holds(haystack, g)]


def evidence_rank(quotes: list[str], evidence: list[str]) -> int | None:
    """1-based rank of the first quote that contains any evidence span, or None."""
    spans = [normalise(e) for e in evidence if e.strip()]
    for rank, quote in enumerate(quotes, start=1):
        text = normalise(quote)
        if any(span in text for span in spans):
            return rank
    return None


def evidence_recall(quotes: list[str], evidence: list[str]) -> float:
    """Share of the evidence spans found in at least one of the quotes."""
    spans = [normalise(e) for e in evidence if e.strip()]
    if not spans:
        return 0.0
    texts = [normalise(q) for q in quotes]
    return sum(any(span in t for t in texts) for span in spans) / len(spans)


def rate(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0–100)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
