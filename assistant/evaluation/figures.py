"""The figures of a run, from its scored records: every share with its counts and 95%
Wilson interval, overall and by type, wording variant, province, document and format,
the baseline's figures on the same items, and a consistency check of the timings.

A share is one yes/no question asked of each item (SHARES): None when the item is not
counted (an unanswerable question has no evidence to find), else whether it counts as
a success. A share added to SHARES gets its rate, counts and interval in the summary
and its paired test in `eval --compare`; naming it in definitions.METRICS puts it in
every report."""

from __future__ import annotations

from typing import Callable

from . import metrics

ItemShare = Callable[[dict], "bool | None"]


def _hit(scored: dict, k: int) -> bool:
    return scored.get("evidence_rank") is not None and scored["evidence_rank"] <= k


def _answerable(flag: Callable[[dict], bool]) -> ItemShare:
    return lambda r: flag(r) if r["answerable"] else None


SHARES: dict[str, ItemShare] = {
    "hit1": _answerable(lambda r: _hit(r, 1)),
    "hit5": _answerable(lambda r: _hit(r, 5)),
    "answer_accuracy": _answerable(lambda r: r["correct"]),
    # right on what the answer stands behind: an unsure one by its «Có thể là» line alone
    # (runs saved before the lead was recorded have none)
    "lead_accuracy": _answerable(lambda r: r.get("lead_correct")),
    "answer_accuracy_lenient": _answerable(lambda r: r.get("correct_lenient", r["correct"])),
    "answer_accuracy_all_items": _answerable(lambda r: r.get("correct_all_items", r["correct"])),
    "refusal_accuracy": lambda r: None if r["answerable"] else r["correct"],
    "false_refusal": _answerable(lambda r: not r.get("found")),
    # how the answers given split between high and low confidence, and how often each is
    # right (an answer to an unanswerable question is wrong)
    "high_share": lambda r: r.get("confidence") == "high" if r.get("found") else None,
    "accuracy_high": lambda r: r["correct"] if r.get("found") and r.get("confidence") == "high" else None,
    "accuracy_low": lambda r: r["correct"] if r.get("found") and r.get("confidence") == "low" else None,
}

# the shares the baseline has: it always answers and has no confidence
BASELINE_SHARES = ("hit1", "hit5", "answer_accuracy", "answer_accuracy_lenient", "answer_accuracy_all_items",
                   "refusal_accuracy", "false_refusal")

# the breakdowns, each a way to put every item in exactly one group
NONE, SEVERAL = "(none)", "(several)"
GROUP_KEYS = ("type", "variant", "province", "document", "format")


def flags(records: list[dict], key: str) -> list[bool]:
    """The share `key` over the records that count for it."""
    share = SHARES[key]
    return [flag for flag in map(share, records) if flag is not None]


def baseline_view(record: dict) -> dict:
    """The baseline's answer to a record's question, shaped like a record of the
    assistant, so SHARES apply to it as they are."""
    return {**record["baseline"], "answerable": record["answerable"], "found": True}


def group_of(record: dict, key: str) -> str | None:
    """The group of `record` in breakdown `key`; None when the record predates the
    breakdown (runs recorded before documents and formats were)."""
    if key in ("type", "variant"):
        return record[key]
    if key == "province":
        return record.get("province") or NONE
    values = record.get({"document": "docs", "format": "formats"}[key])
    if values is None:
        return None
    return NONE if not values else values[0] if len(set(values)) == 1 else SEVERAL


def summarise(records: list[dict]) -> dict:
    summary = {"overall": _figures(records)}
    for key in GROUP_KEYS:
        present = {group_of(r, key) for r in records} - {None}
        for value in sorted(present, key=lambda v: (v in (NONE, SEVERAL), v)):
            summary[f"{key}:{value}"] = _figures([r for r in records if group_of(r, key) == value])
    summary["diacritics"] = _diacritics(records)
    summary["consistency"] = consistency(records)
    return summary


def _figures(records: list[dict]) -> dict:
    answerable = [r for r in records if r["answerable"]]
    lengths = [len(r["answer"]) for r in records if r.get("found")]
    single = [len(r["answer"]) for r in records if r.get("found") and r.get("province")]
    took = [r["took_ms"] for r in records if r.get("took_ms") is not None]
    embed = [r["embed_ms"] for r in records if r.get("embed_ms") is not None]
    # a citation, not an item, is verbatim or not: this share counts citations
    verbatim = [v for r in records for v in r.get("verbatim", [])]
    proportions = {key: metrics.proportion(flags(records, key)) for key in SHARES}
    proportions["verbatim"] = metrics.proportion(verbatim)
    return {
        "questions": len(records), "answerable": len(answerable), "unanswerable": len(records) - len(answerable),
        **{key: p and p["rate"] for key, p in proportions.items()},
        # a mean of per-item shares, not a count of successes: it has no binomial interval
        "recall5": metrics.rate([r.get("evidence_recall") or 0 for r in answerable]) if answerable else None,
        "answer_chars_median": metrics.median(lengths),
        "answer_chars_single_province_median": metrics.median(single),
        "answer_chars_p95": metrics.percentile(lengths, 95),
        "latency_p50_ms": metrics.median(took),
        "latency_p95_ms": metrics.percentile(took, 95),
        "embed_p50_ms": metrics.median(embed),
        "proportions": proportions,
        "baseline": _baseline_figures(records),
    }


def _baseline_figures(records: list[dict]) -> dict | None:
    """The baseline's figures on the same records; None for a run without it."""
    if not any("baseline" in r for r in records):
        return None
    views = [baseline_view(r) for r in records]
    base = [v for v in views if v["answerable"]]
    proportions = {key: metrics.proportion([f for f in map(SHARES[key], views) if f is not None])
                   for key in BASELINE_SHARES}
    proportions["verbatim"] = metrics.proportion([v for view in views for v in view["verbatim"]])
    took = [v["took_ms"] for v in views if v.get("took_ms") is not None]
    return {
        **{key: p and p["rate"] for key, p in proportions.items()},
        "recall5": metrics.rate([b.get("evidence_recall") or 0 for b in base]) if base else None,
        "answer_chars_median": metrics.median([v["answer_chars"] for v in views]),
        "latency_p50_ms": metrics.median(took),  # runs before the baseline was timed: None
        "proportions": proportions,
    }


def _diacritics(records: list[dict]) -> dict:
    """Plain answerable questions asked again without diacritics (their `twin`)."""
    twins = [r for r in records if "twin" in r and r["answerable"]]
    proportions = {
        "answer_accuracy_with": metrics.proportion([r["correct"] for r in twins]),
        "answer_accuracy_without": metrics.proportion([r["twin"]["correct"] for r in twins]),
        "hit5_with": metrics.proportion([_hit(r, 5) for r in twins]),
        "hit5_without": metrics.proportion([_hit(r["twin"], 5) for r in twins]),
    }
    return {"questions": len(twins), **{key: p and p["rate"] for key, p in proportions.items()},
            "proportions": proportions}


def consistency(records: list[dict]) -> dict:
    """Embedding the question is part of answering it, so an item's embedding time can
    never exceed its `ask` time, nor the embedding p50 the `ask` p50. A run breaking
    this measured the two apart (runs before embedding was timed inside `ask`), and its
    timings are not to be read as parts of one another."""
    timed = [r for r in records if r.get("took_ms") is not None and r.get("embed_ms") is not None]
    exceeding = [r["id"] for r in timed if r["embed_ms"] > r["took_ms"]]
    embed_p50 = metrics.median([r["embed_ms"] for r in timed])
    ask_p50 = metrics.median([r["took_ms"] for r in timed])
    return {"items": len(timed), "embed_exceeds_ask": exceeding,
            "p50_ok": embed_p50 is None or embed_p50 <= ask_p50,
            "ok": not exceeding and (embed_p50 is None or embed_p50 <= ask_p50)}


def with_proportions(result: dict) -> dict:
    """A result recorded before shares carried their counts: its summary recomputed from
    its records when that gives back every figure it stored (as for every run kept in
    eval/results/), so it gains intervals and the newer breakdowns, keeping only the
    figures it had (a run from before confidence was recorded gets no confidence share);
    otherwise left as it was, without intervals."""
    stored = result["summary"]
    if "proportions" in stored.get("overall", {}):
        return result
    fresh = summarise(result["records"])
    for group, figures in stored.items():
        if not isinstance(figures, dict) or any(
                k != "baseline" and fresh.get(group, {}).get(k) != v for k, v in figures.items()):
            return result
    kept = set(stored["overall"]) | {"proportions"}
    kept_base = set(stored["overall"].get("baseline") or ()) | {"proportions"}

    def only_kept(figures: dict, keys: set) -> dict:
        shown = {k: v for k, v in figures.items() if k in keys}
        if "proportions" in figures:
            shown["proportions"] = {k: v for k, v in figures["proportions"].items() if k in keys}
        return shown

    summary = {}
    for group, figures in fresh.items():
        if group in ("diacritics", "consistency"):
            summary[group] = figures
            continue
        summary[group] = only_kept(figures, kept)
        if figures.get("baseline") and "baseline" in kept:
            summary[group]["baseline"] = only_kept(figures["baseline"], kept_base)
    return {**result, "summary": summary}
