"""The report's plots, drawn with matplotlib and returned as SVG text to inline in
the HTML report: no image files, no scripts, nothing fetched when it is opened.
Text stays text in the SVG (svg.fonttype none), so the browser draws the
Vietnamese labels with its own fonts."""

from __future__ import annotations

import io
import re

from .definitions import BY_KEY, TYPE_NAMES, VARIANT_NAMES
from .metrics import median, percentile

ASSISTANT_COLOUR, BASELINE_COLOUR, LENIENT_COLOUR = "#a3161a", "#9aa3b0", "#e6a3a5"
SHARES = ("answer_accuracy", "answer_accuracy_lenient", "refusal_accuracy", "hit1", "hit5", "recall5", "verbatim")


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


def _bars(axes, labels: list[str], series: list[tuple[str, list, str]]) -> None:
    """Horizontal grouped bars, first label on top; a share of None draws no bar and says so."""
    height = 0.8 / len(series)
    positions = range(len(labels))
    for n, (name, values, colour) in enumerate(series):
        ys = [p + (n - (len(series) - 1) / 2) * height for p in positions]
        widths = [100 * v if v is not None else 0 for v in values]
        bars = axes.barh(ys, widths, height=height * 0.95, color=colour, label=name)
        for bar, value in zip(bars, values):
            text = "—" if value is None else f"{100 * value:.0f}%"
            axes.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 112)
    axes.set_xlabel("%")
    axes.spines[["top", "right"]].set_visible(False)
    axes.figure.legend(loc="outside upper left", ncols=len(series), fontsize=9, frameon=False)


def versus_baseline(overall: dict) -> str:
    base = overall.get("baseline") or {}
    figure, axes = _figure(0.55 * len(SHARES) + 1)
    series = [("trợ lý", [overall.get(k) for k in SHARES], ASSISTANT_COLOUR)]
    if base:
        series.append(("cơ sở", [base.get(k) for k in SHARES], BASELINE_COLOUR))
    _bars(axes, [BY_KEY[k].name for k in SHARES], series)
    return _svg(figure, "plot-baseline")


def by_group(summary: dict, key: str) -> str:
    """Answer accuracy per question type or wording variant: strict, lenient and the
    baseline's strict figure; a group of unanswerable questions shows its refusal accuracy."""
    names = TYPE_NAMES if key == "type" else VARIANT_NAMES
    rows = [(name.split(":", 1)[1], f) for name, f in summary.items() if name.startswith(f"{key}:")]
    labels, strict, lenient, base = [], [], [], []
    for name, f in rows:
        answerable = f["answerable"] > 0
        labels.append(f"{name} ({names.get(name, name)}{'' if answerable else ', từ chối đúng'}) n={f['questions']}")
        strict.append(f.get("answer_accuracy") if answerable else f.get("refusal_accuracy"))
        lenient.append(f.get("answer_accuracy_lenient") if answerable else None)
        base.append((f.get("baseline") or {}).get("answer_accuracy" if answerable else "refusal_accuracy"))
    figure, axes = _figure(0.62 * len(rows) + 1.1)
    series = [("trợ lý, nghiêm", strict, ASSISTANT_COLOUR), ("trợ lý, nới", lenient, LENIENT_COLOUR)]
    if any(f.get("baseline") for _, f in rows):
        series.append(("cơ sở, nghiêm", base, BASELINE_COLOUR))
    _bars(axes, labels, series)
    return _svg(figure, f"plot-{key}")


def latency(records: list[dict]) -> str:
    took = [r["took_ms"] for r in records if r.get("took_ms") is not None]
    figure, axes = _figure(3.2)
    axes.hist(took, bins=min(30, max(5, len(took) // 3)), color=ASSISTANT_COLOUR)
    for value, name, style in ((median(took), "trung vị", "-"), (percentile(took, 95), "phân vị 95", "--")):
        if value is not None:
            axes.axvline(value, color="#1d2430", linestyle=style, linewidth=1, label=f"{name}: {value:.0f} ms")
    axes.set_xlabel("thời gian trả lời một câu (ms)")
    axes.set_ylabel("số câu")
    axes.spines[["top", "right"]].set_visible(False)
    if took:
        axes.legend(fontsize=8, frameon=False)
    return _svg(figure, "plot-latency")
