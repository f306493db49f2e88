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
from .matrix import topic_matrix, unit_matrix
from .overview import overview
from .quiz import quiz

VIEWS = ("overview", "matrix", "deadlines", "quiz")
MATRIX_BY = ("unit", "topic")


def build_view(corpus: StudyCorpus, name: str, doc_id: str | None = None, provinces: Sequence[str] = (),
               topics: Sequence[str] = (), by: str = "unit", count: int = 10,
               seed: int = 1) -> tuple[object, Callable[[], Handout]]:
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


_NAMES = {"Overview": "overview", "Matrix": "matrix", "DeadlinesView": "deadlines", "Quiz": "quiz"}
