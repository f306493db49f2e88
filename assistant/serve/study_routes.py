"""/api/study/…: the study views as JSON, or as a file to download (`format=md|docx|xlsx`,
`ics` for the deadlines), named after the view, its grouping, provinces and version; the
session's slides (.pptx) and its whole pack (.zip). Views are read from the index the
engine has open; no model is called."""

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
from ..study.pack import pack_files, slides_bytes, zip_bytes
from ..study.views import MAX_KEY_ROWS, build_view, download_name, to_json
from .schemas import ErrorOut
from .study_guard import StudyGuard

_ERRORS = {422: {"model": ErrorOut}, 404: {"model": ErrorOut}}
_PROVINCE = Query([], description="slug của tỉnh, lặp lại được (ví dụ gia-lai); không có: mọi tỉnh")
_TOPIC = Query([], description="chủ đề của Kết luận 57, lặp lại được: " + ", ".join(key for key, _ in TOPICS))
_FORMAT = Query("json", description="json (mặc định), hoặc tệp tải về: md, docx, xlsx (ics: chỉ lịch thời hạn)")
_ROWS = Query(None, ge=1, le=MAX_KEY_ROWS, description="số hàng của ma trận chính (mặc định ASSISTANT_STUDY_KEY_ROWS)")
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


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
        return _download(export(handout(), fmt), FORMATS[fmt], download_name(name, fmt, **options))

    def key_rows(rows: int | None) -> int:
        return rows or engine().settings.study_key_rows

    @router.get("/options", summary="Các tỉnh, văn bản và chủ đề để chọn")
    def options() -> dict:
        study = corpus()
        plans = study.plans.values()
        return {"provinces": [{"slug": s, "name": n} for s, n in study.provinces],
                "topics": [{"key": k, "label": label} for k, label in TOPICS],
                "documents": [{"doc_id": p.doc_id, "province": p.province, "label": p.label} for p in plans]}

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
             seed: int = Query(1, ge=1, description="đề số (từ 1): các đề 1, 2, 3 … không trùng câu nào"),
             province: list[str] = _PROVINCE, format: str = _FORMAT) -> Response:
        return respond("quiz", format, count=count, seed=seed, provinces=_chosen(province))

    @router.get("/summary/{doc_id}", responses=_ERRORS, summary="Tóm tắt một trang của một kế hoạch")
    def summary(doc_id: str, province: list[str] = _PROVINCE, format: str = _FORMAT) -> Response:
        return respond("summary", format, doc_id=doc_id, provinces=_chosen(province))

    @router.get("/key-matrix", responses=_ERRORS, summary="Ma trận chính: ai làm gì, trên hai trang")
    def key_matrix(province: list[str] = _PROVINCE, rows: int | None = _ROWS, format: str = _FORMAT) -> Response:
        return respond("key-matrix", format, provinces=_chosen(province), rows=key_rows(rows))

    @router.get("/distinctive", responses=_ERRORS, summary="Điểm riêng của từng tỉnh")
    def distinctive(province: list[str] = _PROVINCE, format: str = _FORMAT) -> Response:
        return respond("distinctive", format, provinces=_chosen(province))

    @router.get("/slides", responses={**_ERRORS, **_file(_PPTX, "bài giảng .pptx")}, response_class=Response,
                summary="Bài giảng .pptx cho một buổi học")
    def slides(province: list[str] = _PROVINCE, rows: int | None = _ROWS) -> Response:
        chosen = _chosen(province)
        study = corpus()
        study.select(chosen)
        name = "-".join(["bai-giang", *(chosen or ["tat-ca-cac-tinh"])]) + ".pptx"
        return _download(slides_bytes(study, chosen, key_rows(rows)), _PPTX, name)

    @router.get("/pack", responses={**_ERRORS, **_file("application/zip", "gói tài liệu .zip")},
                response_class=Response, summary="Gói tài liệu buổi học (.zip)")
    def pack(province: list[str] = _PROVINCE, rows: int | None = _ROWS) -> Response:
        chosen = _chosen(province)
        study = corpus()
        study.select(chosen)
        folder = "-".join(["goi-hoc-tap", *(chosen or ["tat-ca-cac-tinh"])])
        return _download(zip_bytes(pack_files(study, chosen, key_rows(rows)), folder), "application/zip",
                         f"{folder}.zip")

    return router


def _file(media_type: str, what: str) -> dict:
    """The OpenAPI description of a route that answers with a file, not JSON."""
    return {200: {"description": what, "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}}


def _download(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _chosen(values: list[str]) -> list[str]:
    """The page's "all" choice sends an empty value."""
    return [v for v in values if v]
