"""HTTP API and chat page: a thin FastAPI layer over `engine.Assistant`.

The engine is opened once per worker process and shared. Limits apply before any
work: a body cap, maxLength on every string, a bounded queue of questions (gate.py);
documents and health are answered on the event loop and never wait behind questions."""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources

from fastapi import Path as PathParam
from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..engine import Assistant, recent_history
from ..errors import AssistantError, Overloaded
from ..settings import Settings
from ..ingest.provinces import find_provinces
from .cost import question_units
from .gate import Gate
from .middleware import AccessLog, BodyLimit, HeadAsGet, SecurityHeaders
from .reload import IndexWatcher, add_admin_routes
from .schemas import (
    MAX_DOC_ID,
    MAX_PROVINCE,
    MAX_QUESTION,
    AnswerOut,
    AskRequest,
    DocumentDetail,
    DocumentSummary,
    ErrorOut,
    Health,
    SearchOut,
    too_long_question,
    validation_message,
    with_provinces,
)
from .study_guard import StudyGuard, describe_study
from .study_routes import study_router
from .verify import check_index, check_sources, verified_answer, verified_citations


WEB_DIR = resources.files("assistant.serve") / "web"
MAX_K = 50
SHOWN_INPUT = 60  # characters of a client's input an error message may quote
_BUSY = {413: {"model": ErrorOut}, 503: {"model": ErrorOut}, 504: {"model": ErrorOut}}
_ERRORS = {422: {"model": ErrorOut}, 404: {"model": ErrorOut}}


def create_app(settings: Settings, assistant: Assistant):
    """The ASGI app over an open engine (the CLI or the worker opens it first, so that a
    missing corpus is reported as one `Error:` line). An index whose passages do not
    match its documents is refused here, before anyone is answered from it. A new index
    version is swapped in while it runs (reload.py); a request takes the engine once,
    when it starts."""
    check_index(assistant.index)
    check_sources(assistant.index, assistant.settings.corpus_dir)
    state = {"assistant": assistant}
    watcher = IndexWatcher(state, settings)  # swaps in new index versions (reload.py)

    @asynccontextmanager
    async def lifespan(app):
        state["gate"] = Gate(settings.max_waiting, settings.request_seconds, settings.queue_seconds)  # on its loop
        with watcher.running():
            watcher.listen_for_hangups()
            yield
        state.pop("gate").close()

    app = FastAPIOffline(title="Trợ lý hỏi đáp kế hoạch thông tin đối ngoại", version="0.1.0",
                         lifespan=lifespan, description="Hỏi đáp có trích dẫn nguyên văn từ kế hoạch của các tỉnh.",
                         redirect_slashes=False)
    _add_error_handlers(app, settings)
    add_admin_routes(app, watcher)

    def engine() -> Assistant:
        return state["assistant"]

    async def answer(request: Request, work, units: float = 1.0, kind: str = "ask"):
        client = request.client.host if request.client else "-"
        return await state["gate"].run(work, request.is_disconnected, units=units, client=client, kind=kind)

    def cost(engine_: Assistant, question: str, history: list[str]) -> float:
        named = find_provinces(question, frozenset(engine_.index.provinces))
        return question_units(question, history, len(named))

    @app.post("/api/ask", response_model=AnswerOut, responses={**_ERRORS, **_BUSY}, summary="Hỏi một câu")
    async def ask(body: AskRequest, request: Request) -> dict:
        # the rest are never read
        history = recent_history([turn.question for turn in body.history], settings.max_history_chars)
        engine_ = engine()
        answer_ = await answer(request, lambda: engine_.ask(body.question, province=body.province or None,
                                                            history=history),
                               units=cost(engine_, body.question, history))
        return verified_answer(answer_, engine_.index.documents).to_dict()

    @app.get("/api/search", response_model=SearchOut, responses={**_ERRORS, **_BUSY},
             summary="Tìm các đoạn liên quan")
    async def search(request: Request,
                     q: str = Query(..., min_length=1, max_length=MAX_QUESTION, description="câu hỏi hoặc từ khóa"),
                     k: int = Query(5, ge=1, le=MAX_K, description="số đoạn trả về"),
                     province: str | None = Query(None, max_length=MAX_PROVINCE,
                                                  description="slug của tỉnh, ví dụ gia-lai")) -> dict:
        engine_ = engine()
        citations = await answer(request, lambda: engine_.search(q, k=k, province=province or None),
                                 units=cost(engine_, q, []))
        citations = verified_citations(citations, engine_.index.documents)
        return {"query": q, "results": [{"rank": n, **c.to_dict()} for n, c in enumerate(citations, start=1)]}

    @app.get("/api/documents", response_model=list[DocumentSummary], summary="Danh sách văn bản")
    async def documents() -> list[dict]:
        return [doc.metadata() for doc in engine().documents()]

    @app.get("/api/documents/{doc_id}", response_model=DocumentDetail, responses=_ERRORS,
             summary="Một văn bản: siêu dữ liệu, mục lục và toàn văn")
    async def document(doc_id: str = PathParam(max_length=MAX_DOC_ID)) -> dict:
        return engine().document_view(doc_id)

    @app.get("/api/health", response_model=Health, summary="Tình trạng dịch vụ")
    async def health() -> dict:
        index = engine().index
        return {"status": "ok", "documents": len(index.documents), "chunks": len(index.chunks),
                "model": settings.model, "index_built_at": index.manifest.get("built_at", "")}

    app.include_router(study_router(engine, StudyGuard(engine, lambda: state.get("gate"), settings.study_cache_bytes)))

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(WEB_DIR / "index.html"))

    app.mount("/static", StaticFiles(directory=str(WEB_DIR)), name="static")
    _describe_provinces(app, engine)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders, docs_paths=frozenset({"/docs", "/redoc", app.swagger_ui_oauth2_redirect_url}))
    app.add_middleware(AccessLog)
    return app


def _describe_provinces(app, engine) -> None:
    """/openapi.json lists the provinces of the index being served, read when asked."""
    build = app.openapi

    def openapi() -> dict:
        provinces = engine().index.provinces
        return describe_study(with_provinces(build(), provinces), provinces)

    app.openapi = openapi


def _add_error_handlers(app, settings: Settings) -> None:
    """Every error, whatever raised it, has one shape: {"error": {"status", "code", "message"}}."""

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError):
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Overloaded) else None
        headers = {**(headers or {}), **getattr(exc, "headers", {})} or None  # WWW-Authenticate with a 401
        return error_response(exc.status, exc.code, str(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        message = too_long_question(errors)
        if message:
            return error_response(422, "invalid_question", message)
        return error_response(422, "invalid_request", validation_message(errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        path = shown(request.url.path)
        messages = {404: f"không có địa chỉ {path}; xem danh sách tại /docs",
                    405: f"phương thức {shown(request.method, 10)} không dùng được cho {path}",
                    413: f"nội dung gửi lên quá lớn (tối đa {settings.max_body_bytes // 1024} KB); hãy rút gọn câu hỏi",
                    # FastAPI's parser could not read the body: not UTF-8, or JSON nested too deep
                    400: "yêu cầu không hợp lệ: nội dung gửi lên không đọc được (phải là JSON UTF-8, "
                         "không lồng nhau quá sâu)"}
        status = 422 if exc.status_code == 400 else exc.status_code
        message = messages.get(exc.status_code, str(exc.detail))
        return error_response(status, _HTTP_CODES.get(status, "http_error"), message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):  # a bug: say so, keep the trace in the log
        return error_response(500, "internal_error", f"lỗi nội bộ ({type(exc).__name__}); hãy báo cho quản trị viên")


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large", 422: "invalid_request"}


def shown(text: str, limit: int = SHOWN_INPUT) -> str:
    """At most a short prefix of what a client sent, for an error message."""
    return text if len(text) <= limit else text[:limit] + "…"


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message}}, status_code=status,
                        headers=headers)
