"""Every figure of the report, named and defined in one line, in one place: the
markdown and HTML reports and `eval --compare` all read this table, so a figure
means the same thing wherever it is shown."""

from __future__ import annotations

from dataclasses import dataclass

from ..ingest.provinces import by_slug
from .figures import NONE, SEVERAL


@dataclass(frozen=True)
class Metric:
    key: str  # the key in summary figures
    name: str
    definition: str
    unit: str = "%"  # "%" for a share, "ký tự" or "ms" for a number
    higher_is_better: bool = True


METRICS = (
    Metric("answer_accuracy", "Trả lời đúng (nghiêm)",
           "Câu có lời đáp được trả lời, chứa đáp án mong đợi: mọi mục với câu liệt kê và so sánh, "
           "một mục với các loại khác."),
    Metric("lead_accuracy", "Đúng ở câu trả lời chính",
           "Như «Trả lời đúng (nghiêm)», nhưng câu trả lời chưa chắc chắn chỉ được tính khi dòng «Có thể là: …» "
           "của nó đúng, không tính các đoạn khác liệt kê sau."),
    Metric("answer_accuracy_lenient", "Trả lời đúng (nới)",
           "Câu có lời đáp được trả lời và chứa ít nhất một mục của đáp án mong đợi."),
    Metric("answer_accuracy_all_items", "Trả lời đủ mọi mục",
           "Câu có lời đáp được trả lời và chứa mọi mục của đáp án mong đợi, với mọi loại câu."),
    Metric("refusal_accuracy", "Từ chối đúng",
           "Câu mà văn bản không trả lời, được trợ lý nói rõ là không tìm thấy."),
    Metric("false_refusal", "Từ chối nhầm",
           "Câu có lời đáp mà trợ lý lại nói là không tìm thấy.", higher_is_better=False),
    Metric("high_share", "Tỷ lệ trả lời chắc chắn",
           "Trong các câu được trả lời, phần được trả lời với độ tin cậy cao (không kèm «Chưa chắc chắn»)."),
    Metric("accuracy_high", "Đúng, trong các câu trả lời chắc chắn",
           "Trong các câu được trả lời với độ tin cậy cao, phần đúng (trả lời câu không có lời đáp là sai)."),
    Metric("accuracy_low", "Đúng, trong các câu trả lời chưa chắc chắn",
           "Trong các câu được trả lời «Chưa chắc chắn» (kèm 2–3 đoạn liên quan nhất), phần có đáp án trong đó."),
    Metric("hit1", "Bằng chứng ở trích dẫn đầu (hit@1)",
           "Câu có lời đáp mà trích dẫn thứ nhất chứa một đoạn bằng chứng."),
    Metric("hit5", "Bằng chứng trong 5 trích dẫn (hit@5)",
           "Câu có lời đáp mà một trong 5 trích dẫn đầu chứa một đoạn bằng chứng."),
    Metric("recall5", "Độ phủ bằng chứng (recall@5)",
           "Trung bình, phần các đoạn bằng chứng của một câu có mặt trong 5 trích dẫn đầu."),
    Metric("verbatim", "Trích dẫn nguyên văn",
           "Trích dẫn trùng từng ký tự với văn bản tại vị trí (ký tự đầu–cuối) đã nêu."),
    Metric("answer_chars_median", "Độ dài câu trả lời (trung vị)",
           "Số ký tự của câu trả lời, trung vị trên các câu được trả lời (không tính từ chối).",
           unit="ký tự", higher_is_better=False),
    Metric("answer_chars_single_province_median", "Độ dài, câu hỏi về một tỉnh (trung vị)",
           "Như trên, chỉ với câu hỏi về một tỉnh.", unit="ký tự", higher_is_better=False),
    Metric("answer_chars_p95", "Độ dài câu trả lời (phân vị 95)",
           "95% câu trả lời ngắn hơn hoặc bằng số ký tự này.", unit="ký tự", higher_is_better=False),
    Metric("latency_p50_ms", "Thời gian trả lời (trung vị)",
           "Thời gian một lần hỏi (`ask`), mô hình đã nạp sẵn; với cơ sở: nhúng câu hỏi và lấy 5 đoạn.",
           unit="ms", higher_is_better=False),
    Metric("latency_p95_ms", "Thời gian trả lời (phân vị 95)",
           "95% lần hỏi nhanh hơn hoặc bằng thời gian này.", unit="ms", higher_is_better=False),
    Metric("embed_p50_ms", "Thời gian nhúng câu hỏi (trung vị)",
           "Phần của chính lần hỏi `ask` dùng để nhúng câu hỏi, nên không vượt thời gian trả lời "
           "(lần chạy cũ đo riêng: xem dòng kiểm tra nhất quán).",
           unit="ms", higher_is_better=False),
)

BY_KEY = {m.key: m for m in METRICS}

# the figures of the breakdown tables (by type, variant, province, document, format) and of the plots
BREAKDOWN = ("answer_accuracy", "answer_accuracy_lenient", "refusal_accuracy", "false_refusal", "hit1", "hit5")

# a difference between two runs is called better or worse below this p-value (two-sided)
SIGNIFICANCE = 0.05

TYPE_NAMES = {
    "who": "ai, đơn vị nào", "when": "khi nào", "what": "nội dung gì", "metadata": "thông tin văn bản",
    "list": "liệt kê", "compare": "so sánh các tỉnh", "count": "bao nhiêu", "unanswerable": "không có lời đáp",
    "part": "một phần của kế hoạch",
}
VARIANT_NAMES = {
    "plain": "viết chuẩn", "no-diacritics": "không dấu", "paraphrase": "diễn đạt lại", "typo": "gõ sai",
    "english": "tiếng Anh", "followup": "hỏi tiếp (có câu trước)", "short": "hỏi ngắn",
}


def fmt(value, unit: str = "%") -> str:
    """A figure the Vietnamese way (decimal comma), or — when it does not apply."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{100 * value:.1f}%".replace(".", ",")
    if unit == "ms":
        return f"{value:.0f} ms"
    return f"{value:.0f}"


def fmt_delta(before, after, unit: str = "%") -> str:
    """after − before, signed: percentage points for shares."""
    if before is None or after is None:
        return "—"
    change = after - before
    if unit == "%":
        return f"{100 * change:+.1f} điểm %".replace(".", ",")
    shown = f"{change:+.1f}".removesuffix(".0").replace(".", ",")
    return shown + (" ms" if unit == "ms" else "")


def fmt_share(share: dict | None, counts: bool = False) -> str:
    """A share with its 95% interval, the Vietnamese way: «90,1% (84,3–94,0)», with
    counts «90,1% (84,3–94,0; 136/151)»; — when nothing was counted."""
    if not share:
        return "—"
    inside = f"{100 * share['low']:.1f}–{100 * share['high']:.1f}"
    if counts:
        inside += f"; {share['successes']}/{share['total']}"
    return f"{fmt(share['rate'])} ({inside})".replace(".", ",")


def fmt_p(p: float) -> str:
    """A p-value as the report prints it: «p = 0,002», «p < 0,001», «p = 1»."""
    if p < 0.001:
        return "p < 0,001"
    if p >= 0.9995:
        return "p = 1"
    return f"p = {p:.3f}".replace(".", ",")


FORMAT_NAMES = {
    "txt": "văn bản thường (.txt)", "md": "Markdown (.md)", "docx": "Word (.docx)", "pdf": "PDF có lớp chữ",
    "pdf-ocr": "PDF bản quét (nhận dạng chữ)", "png": "ảnh .png (nhận dạng chữ)", "jpg": "ảnh .jpg (nhận dạng chữ)",
}

# the breakdowns: key → (title, how a group is named)
GROUPS = {
    "type": ("Theo loại câu hỏi", TYPE_NAMES),
    "variant": ("Theo cách diễn đạt", VARIANT_NAMES),
    "province": ("Theo tỉnh", {NONE: "không về riêng một tỉnh"}),
    "document": ("Theo văn bản", {NONE: "không gắn văn bản nào", SEVERAL: "nhiều văn bản"}),
    "format": ("Theo định dạng văn bản", {**FORMAT_NAMES, NONE: "không gắn văn bản nào",
                                          SEVERAL: "nhiều định dạng"}),
}


def group_name(key: str, value: str) -> str:
    """How a group is shown: «who (ai, đơn vị nào)», «bac-giang (Bắc Giang)», «(nhiều văn bản)»."""
    names = GROUPS[key][1]
    if value in (NONE, SEVERAL):
        return f"({names[value]})"
    name = names.get(value) or (by_slug(value).name if key == "province" and by_slug(value) else None)
    return f"{value} ({name})" if name else value
