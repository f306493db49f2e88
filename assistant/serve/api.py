"""HTTP API and chat page: a thin FastAPI layer over `engine.Assistant`.

The engine is opened once, at start-up, and shared; a lock serialises questions
because the model and the accent restorer are not written for concurrent use and
two CPU cores gain nothing from running two questions at once."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..engine import Assistant
from ..errors import AssistantError
from ..settings import Settings
from .reload import IndexWatcher, add_admin_routes
from .schemas import (
    AnswerOut,
    AskRequest,
    DocumentDetail,
    DocumentSummary,
    ErrorOut,
    Health,
    SearchOut,
    validation_message,
)
from .study_routes import study_router

WEB_DIR = resources.files("assistant.serve") / "web"
MAX_K = 50
_ERRORS = {422: {"model": ErrorOut}, 404: {"model": ErrorOut}}
# the chat page runs only its own script and talks only to this server
_PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPIOffline:
    """The app; it opens the engine at start-up unless one is given (the CLI opens it
    first, so that a missing corpus is reported as one `Error:` line)."""
    state = {"assistant": assistant}
    lock = threading.Lock()
    watcher = IndexWatcher(state, settings)  # swaps in new index versions (reload.py)

    @asynccontextmanager
    async def lifespan(app):
        if state["assistant"] is None:
            state["assistant"] = Assistant.open(settings)
        with watcher.running():
            yield

    app = FastAPIOffline(title="Trợ lý hỏi đáp kế hoạch thông tin đối ngoại", version="0.1.0",
                         lifespan=lifespan, description="Hỏi đáp có trích dẫn nguyên văn từ kế hoạch của các tỉnh.")
    _add_error_handlers(app)
    add_admin_routes(app, watcher)

    def engine() -> Assistant:
        return state["assistant"]

    @app.post("/api/ask", response_model=AnswerOut, responses=_ERRORS, summary="Hỏi một câu")
    def ask(request: AskRequest) -> dict:
        history = [turn.question for turn in request.history]
        with lock:
            answer = engine().ask(request.question, province=request.province or None, history=history)
        return answer.to_dict()

    @app.get("/api/search", response_model=SearchOut, responses=_ERRORS, summary="Tìm các đoạn liên quan")
    def search(q: str = Query(..., description="câu hỏi hoặc từ khóa"),
               k: int = Query(5, ge=1, le=MAX_K, description="số đoạn trả về"),
               province: str | None = Query(None, description="slug của tỉnh, ví dụ gia-lai")) -> dict:
        with lock:
            citations = engine().search(q, k=k, province=province or None)
        return {"query": q, "results": [{"rank": n, **c.to_dict()} for n, c in enumerate(citations, start=1)]}

    @app.get("/api/documents", response_model=list[DocumentSummary], summary="Danh sách văn bản")
    def documents() -> list[dict]:
        return [doc.metadata() for doc in engine().documents()]

    @app.get("/api/documents/{doc_id}", response_model=DocumentDetail, responses=_ERRORS,
             summary="Một văn bản: siêu dữ liệu, mục lục và toàn văn")
    def document(doc_id: str) -> dict:
        return engine().document_view(doc_id)

    @app.get("/api/health", response_model=Health, summary="Tình trạng dịch vụ")
    def health() -> dict:
        index = engine().index
        return {"status": "ok", "documents": len(index.documents), "chunks": len(index.chunks),
                "model": settings.model, "index_built_at": index.manifest.get("built_at", "")}

    app.include_router(study_router(engine))

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(str(WEB_DIR / "index.html"))

    app.mount("/static", StaticFiles(directory=str(WEB_DIR)), name="static")

    @app.middleware("http")
    async def page_policy(request: Request, call_next):
        response = await call_next(request)
        if request.url.path == "/" or request.url.path.startswith("/static/"):
            response.headers.update(_page_headers())
        return response

    return app


def _page_headers() -> dict[str, str]:
    return {"Content-Security-Policy": _PAGE_POLICY, "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-cache"}


def _add_error_handlers(app) -> None:
    """Every error, whatever raised it, has one shape: {"error": {"status", "code", "message"}}."""

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError):
        return error_response(exc.status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return error_response(422, "invalid_request", validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: f"không có địa chỉ {request.url.path}; xem danh sách tại /docs",
                    405: f"phương thức {request.method} không dùng được cho {request.url.path}"}
        message = messages.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"), message)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):  # a bug: say so, keep the trace in the log
        return error_response(500, "internal_error", f"lỗi nội bộ ({type(exc).__name__}); hãy báo cho quản trị viên")


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message}}, status_code=status)
