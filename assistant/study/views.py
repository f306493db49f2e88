"""One entry point for every view, shared by the command line and the HTTP API: the
view's data (what --json prints) and, on demand, its handout (what is exported)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Callable, Sequence

from ..errors import InvalidRequestError
from .corpus import StudyCorpus
from .deadlines import deadlines_view
from .handout import Handout
from .handouts import deadlines_handout, matrix_handout, overview_handout, quiz_handout
from .distinctive import distinctive_view
from .keymatrix import key_matrix
from .matrix import topic_matrix, unit_matrix
from .session_handouts import distinctive_handout, key_matrix_handout, summary_handout
from .summary import summary
from .overview import overview
from .quiz import quiz

VIEWS = ("overview", "summary", "matrix", "key-matrix", "deadlines", "distinctive", "quiz")
MATRIX_BY = ("unit", "topic")


def build_view(corpus: StudyCorpus, name: str, doc_id: str | None = None, provinces: Sequence[str] = (),
               topics: Sequence[str] = (), by: str = "unit", count: int = 10,
               seed: int = 1, rows: int = 10) -> tuple[object, Callable[[], Handout]]:
    if name == "summary":
        view = summary(corpus, doc_id or "", provinces)
        return view, lambda: summary_handout(view, corpus)
    if name == "key-matrix":
        if not 1 <= rows <= MAX_KEY_ROWS:
            raise InvalidRequestError(f"số hàng của ma trận chính phải từ 1 đến {MAX_KEY_ROWS}, không phải {rows}")
        view = key_matrix(corpus, provinces, rows)
        return view, lambda: key_matrix_handout(view, corpus)
    if name == "distinctive":
        view = distinctive_view(corpus, provinces)
        return view, lambda: distinctive_handout(view, corpus)
    if name == "overview":
        view = overview(corpus, doc_id or "", provinces, topics)
        return view, lambda: overview_handout(view, corpus)
    if name == "matrix":
        if by not in MATRIX_BY:
            raise InvalidRequestError(f"--by phải là unit (theo đơn vị) hoặc topic (theo chủ đề), không phải «{by}»")
        view = (unit_matrix if by == "unit" else topic_matrix)(corpus, provinces, topics)
        return view, lambda: matrix_handout(view, deadlines_view(corpus, provinces), corpus)
    if name == "deadlines":
        view = deadlines_view(corpus, provinces)
        return view, lambda: deadlines_handout(view, corpus)
    if name == "quiz":
        view = quiz(corpus, count, seed, provinces)
        return view, lambda: quiz_handout(view, corpus)
    raise InvalidRequestError(f"không có trang học tập «{name}»; chọn một trong: {', '.join(VIEWS)}")


def to_json(view) -> dict:
    """The view as JSON: every quoted item an object with doc_id, quote, start, end and
    section; provinces as {"slug", "name"}."""
    data = asdict(view)
    if "provinces" in data:
        data["provinces"] = [{"slug": slug, "name": name} for slug, name in data["provinces"]]
    return {"view": _NAMES[type(view).__name__], **data}


_NAMES = {"Overview": "overview", "Matrix": "matrix", "DeadlinesView": "deadlines", "Quiz": "quiz",
          "Summary": "summary", "KeyMatrix": "key-matrix", "DistinctView": "distinctive"}
MAX_KEY_ROWS = 60
_FILE_NAMES = {"overview": "tong-quan", "summary": "tom-tat", "matrix": "ma-tran", "key-matrix": "ma-tran-chinh",
               "deadlines": "lich-thoi-han", "distinctive": "diem-rieng", "quiz": "de-on-tap"}
_GROUPINGS = {"unit": "theo-don-vi", "topic": "theo-chu-de"}


def download_name(name: str, fmt: str, doc_id: str | None = None, provinces: Sequence[str] = (),
                  topics: Sequence[str] = (), by: str = "unit", count: int = 10, seed: int = 1,
                  rows: int = 10) -> str:
    """A file name that tells one download from another: the view, its grouping, the
    provinces and topics chosen, the quiz version: "ma-tran-theo-chu-de-gia-lai-ninh-thuan.docx",
    "de-on-tap-so-2-10-cau.docx", "tom-tat-gia-lai-157-kh-ubnd-2024.docx"."""
    parts = [_FILE_NAMES[name]]
    if name == "matrix":
        parts.append(_GROUPINGS.get(by, by))
    if name == "quiz":
        parts += [f"so-{seed}", f"{count}-cau"]
    if name == "key-matrix" and rows != 10:
        parts.append(f"{rows}-hang")
    parts += [doc_id] if doc_id else []
    parts += list(provinces) or ([] if doc_id else ["tat-ca-cac-tinh"])
    parts += list(topics)
    return "-".join(parts) + f".{fmt}"
