"""The report's plots, drawn with matplotlib and returned as SVG text to inline in
the HTML report: no image files, no scripts, nothing fetched when it is opened.
Text stays text in the SVG (svg.fonttype none), so the browser draws the
Vietnamese labels with its own fonts."""

from __future__ import annotations

import io
import re

from .definitions import BY_KEY, group_name
from .metrics import SMALL, median, percentile

ASSISTANT_COLOUR, BASELINE_COLOUR, LENIENT_COLOUR, INTERVAL_COLOUR = "#a3161a", "#9aa3b0", "#e6a3a5", "#1d2430"
# the shares of the first plot (recall@5 is a mean, not a share: it is in the table only)
SHARES = ("answer_accuracy", "answer_accuracy_lenient", "refusal_accuracy", "hit1", "hit5", "verbatim")


def _figure(height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, height), layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure, name: str) -> str:
    import matplotlib

    buffer = io.StringIO()
    # a fixed salt per plot keeps ids stable between runs and distinct between the plots of one page
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # drop the XML declaration and doctype: the SVG sits inside HTML
    return re.sub(r"<svg ", f'<svg role="img" aria-labelledby="{name}-title" class="plot" ', text, count=1)


def _bars(axes, labels: list[str], series: list[tuple[str, list[dict | None], str]], small: list[bool] = ()) -> None:
    """Horizontal grouped bars, first label on top, each share drawn with its 95% interval
    as an error bar and labelled with its value; a share of None draws no bar and says so.
    The bars of a small group are hatched: read their interval, not their length."""
    height = 0.8 / len(series)
    positions = range(len(labels))
    for n, (name, shares, colour) in enumerate(series):
        ys = [p + (n - (len(series) - 1) / 2) * height for p in positions]
        widths = [100 * s["rate"] if s else 0 for s in shares]
        bars = axes.barh(ys, widths, height=height * 0.95, color=colour, label=name)
        for bar, hatched in zip(bars, small):
            if hatched:
                bar.set_hatch("///")
                bar.set_edgecolor("white")
        drawn = [(y, s) for y, s in zip(ys, shares) if s]
        if drawn:
            axes.errorbar([100 * s["rate"] for _, s in drawn], [y for y, _ in drawn], fmt="none",
                          xerr=[[100 * (s["rate"] - s["low"]) for _, s in drawn],
                                [100 * (s["high"] - s["rate"]) for _, s in drawn]],
                          ecolor=INTERVAL_COLOUR, elinewidth=1, capsize=2)
        for bar, share in zip(bars, shares):
            text = "—" if share is None else f"{100 * share['rate']:.0f}%"
            end = 0 if share is None else 100 * share["high"]
            axes.text(end + 1.5, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 112)
    axes.set_xlabel("% (vạch đen: khoảng tin cậy 95%)")
    axes.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    # legend swatches drawn here, so a hatched first bar does not hatch its series' swatch
    handles = [Patch(facecolor=colour, label=name) for name, _, colour in series]
    if any(small):
        handles.append(Patch(facecolor="white", edgecolor="#5b6575", hatch="///", label="nhóm nhỏ"))
    axes.figure.legend(handles=handles, loc="outside upper left", ncols=len(handles), fontsize=9, frameon=False)


def _share(figures: dict, key: str) -> dict | None:
    return (figures.get("proportions") or {}).get(key)


def versus_baseline(overall: dict) -> str:
    base = overall.get("baseline") or {}
    figure, axes = _figure(0.55 * len(SHARES) + 1)
    series = [("trợ lý", [_share(overall, k) for k in SHARES], ASSISTANT_COLOUR)]
    if base:
        series.append(("cơ sở", [_share(base, k) for k in SHARES], BASELINE_COLOUR))
    _bars(axes, [BY_KEY[k].name for k in SHARES], series)
    return _svg(figure, "plot-baseline")


def by_group(summary: dict, key: str) -> str:
    """Answer accuracy per group of a breakdown (type, variant, province): strict,
    lenient and the baseline's strict figure; a group of unanswerable questions shows
    its refusal accuracy. Small groups say so in their label."""
    rows = [(name.split(":", 1)[1], f) for name, f in summary.items() if name.startswith(f"{key}:")]
    labels, strict, lenient, base = [], [], [], []
    for name, f in rows:
        answerable = f["answerable"] > 0
        small = ", nhóm nhỏ" if f["questions"] < SMALL else ""
        labels.append(f"{group_name(key, name)}{'' if answerable else ', từ chối đúng'} n={f['questions']}{small}")
        strict.append(_share(f, "answer_accuracy" if answerable else "refusal_accuracy"))
        lenient.append(_share(f, "answer_accuracy_lenient") if answerable else None)
        base.append(_share(f.get("baseline") or {}, "answer_accuracy" if answerable else "refusal_accuracy"))
    figure, axes = _figure(0.62 * len(rows) + 1.1)
    series = [("trợ lý, nghiêm", strict, ASSISTANT_COLOUR), ("trợ lý, nới", lenient, LENIENT_COLOUR)]
    if any(f.get("baseline") for _, f in rows):
        series.append(("cơ sở, nghiêm", base, BASELINE_COLOUR))
    _bars(axes, labels, series, [f["questions"] < SMALL for _, f in rows])
    return _svg(figure, f"plot-{key}")


def latency(records: list[dict]) -> str:
    took = [r["took_ms"] for r in records if r.get("took_ms") is not None]
    figure, axes = _figure(3.2)
    axes.hist(took, bins=min(30, max(5, len(took) // 3)), color=ASSISTANT_COLOUR)
    base = [r["baseline"]["took_ms"] for r in records if (r.get("baseline") or {}).get("took_ms") is not None]
    for value, name, style, colour in ((median(took), "trung vị", "-", INTERVAL_COLOUR),
                                       (percentile(took, 95), "phân vị 95", "--", INTERVAL_COLOUR),
                                       (median(base), "cơ sở, trung vị", ":", BASELINE_COLOUR)):
        if value is not None:
            axes.axvline(value, color=colour, linestyle=style, linewidth=1.2, label=f"{name}: {value:.0f} ms")
    axes.set_xlabel("thời gian trả lời một câu (ms)")
    axes.set_ylabel("số câu")
    axes.spines[["top", "right"]].set_visible(False)
    if took:
        axes.legend(fontsize=8, frameon=False)
    return _svg(figure, "plot-latency")
