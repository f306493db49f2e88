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


# An evaluation set has tens or hundreds of items: every share is reported with a 95%
# interval, and a group of fewer than SMALL items is flagged as too small to read alone.
CONFIDENCE = 0.95
SMALL = 10


def wilson_interval(successes: int, total: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """Wilson score interval of successes/total (no continuity correction); None when
    total is 0. Wilson rather than the normal approximation: it stays inside [0, 1] and
    is honest at 0/n, n/n and small n, which our breakdowns are full of."""
    if total == 0:
        return None
    from scipy.stats import binomtest

    interval = binomtest(successes, total).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)


def proportion(flags: list[bool]) -> dict | None:
    """A share with what it was counted on, so it can be checked and its interval
    recomputed: {"successes", "total", "rate", "low", "high", "small"}; None when empty."""
    if not flags:
        return None
    successes, total = sum(bool(f) for f in flags), len(flags)
    low, high = wilson_interval(successes, total)
    return {"successes": successes, "total": total, "rate": successes / total, "low": low, "high": high,
            "small": total < SMALL}


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value for paired yes/no results: `only_a` items were
    right only in run A, `only_b` only in run B. Under no difference each discordant item
    is a fair coin, so p is the two-sided binomial test of only_b out of only_a + only_b."""
    discordant = only_a + only_b
    if discordant == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(only_b, discordant, 0.5).pvalue)
