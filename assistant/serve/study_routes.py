"""/api/study/…: the study views as JSON, or as a file to download (`format=md|docx|xlsx`).
Views are read from the index the engine has open; no model is called."""

from __future__ import annotations

import threading
import weakref
from typing import Callable

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from ..engine import Assistant
from ..study.corpus import StudyCorpus
from ..study.export import FORMATS, check_format, export
from ..study.quiz import MAX_QUESTIONS
from ..study.topics import TOPICS
from ..study.views import build_view, to_json
from .schemas import ErrorOut
from .study_guard import StudyGuard

_ERRORS = {422: {"model": ErrorOut}, 404: {"model": ErrorOut}}
_FILE_NAMES = {"overview": "tong-quan", "matrix": "ma-tran", "deadlines": "thoi-han", "quiz": "cau-hoi-on-tap"}
_PROVINCE = Query([], description="slug của tỉnh, lặp lại được (ví dụ gia-lai); không có: mọi tỉnh")
_TOPIC = Query([], description="chủ đề của Kết luận 57, lặp lại được: " + ", ".join(key for key, _ in TOPICS))
_FORMAT = Query("json", description="json (mặc định), hoặc tệp tải về: md, docx, xlsx")


def study_router(engine: Callable[[], Assistant], guard: StudyGuard | None = None) -> APIRouter:
    """`guard` (study_guard.py) adds the API's limits, queue and cache; without it the
    routes answer directly."""
    router = APIRouter(prefix="/api/study", tags=["Học tập"], dependencies=guard.dependencies if guard else [])
    # the index the corpus was read from, held weakly: a reloaded index is read afresh, and
    # the old one is not kept alive (its id() could be reused by the new one, so not that)
    cached: list = [lambda: None, None]  # [weak reference to the index, its StudyCorpus]
    lock = threading.Lock()

    def corpus() -> StudyCorpus:
        """Read once per index (the tasks and units of every plan)."""
        index = engine().index
        with lock:
            if cached[0]() is not index:
                cached[:] = [weakref.ref(index), StudyCorpus.from_index(index)]
            return cached[1]

    def respond(name: str, fmt: str, **options) -> Response:
        fmt = check_format(fmt, ("json", *FORMATS))
        if guard is not None:
            return guard.respond(name, fmt, options, lambda: render(name, fmt, **options))
        return render(name, fmt, **options)

    def render(name: str, fmt: str, **options) -> Response:
        view, handout = build_view(corpus(), name, **options)
        if fmt == "json":
            return JSONResponse(to_json(view))
        suffix = f"-{options['doc_id']}" if options.get("doc_id") else ""
        return Response(export(handout(), fmt), media_type=FORMATS[fmt], headers={
            "Content-Disposition": f'attachment; filename="{_FILE_NAMES[name]}{suffix}.{fmt}"'})

    @router.get("/options", summary="Các tỉnh, văn bản và chủ đề để chọn")
    def options() -> dict:
        study = corpus()
        plans = study.plans.values()
        return {"provinces": [{"slug": s, "name": n} for s, n in study.provinces],
                "topics": [{"key": k, "label": label} for k, label in TOPICS],
                "documents": [{"doc_id": p.doc_id, "province": p.province, "label": p.document.label} for p in plans]}

    @router.get("/overview/{doc_id}", responses=_ERRORS, summary="Tổng quan một kế hoạch")
    def overview(doc_id: str, province: list[str] = _PROVINCE, topic: list[str] = _TOPIC,
                 format: str = _FORMAT) -> Response:
        return respond("overview", format, doc_id=doc_id, provinces=_chosen(province), topics=_chosen(topic))

    @router.get("/matrix", responses=_ERRORS, summary="Ma trận nhiệm vụ theo đơn vị hoặc theo chủ đề")
    def matrix(by: str = Query("unit", description="unit (theo đơn vị) hoặc topic (theo chủ đề)"),
               province: list[str] = _PROVINCE, topic: list[str] = _TOPIC, format: str = _FORMAT) -> Response:
        return respond("matrix", format, by=by, provinces=_chosen(province), topics=_chosen(topic))

    @router.get("/deadlines", responses=_ERRORS, summary="Thời hạn, báo cáo, sơ kết, tổng kết")
    def deadlines(province: list[str] = _PROVINCE, format: str = _FORMAT) -> Response:
        return respond("deadlines", format, provinces=_chosen(province))

    @router.get("/quiz", responses=_ERRORS, summary="Câu hỏi ôn tập có đáp án và trích dẫn")
    def quiz(count: int = Query(10, ge=1, le=MAX_QUESTIONS, description="số câu hỏi"),
             seed: int = Query(1, description="mã đề: cùng mã, cùng bộ câu hỏi"),
             province: list[str] = _PROVINCE, format: str = _FORMAT) -> Response:
        return respond("quiz", format, count=count, seed=seed, provinces=_chosen(province))

    return router


def _chosen(values: list[str]) -> list[str]:
    """The page's "all" choice sends an empty value."""
    return [v for v in values if v]
