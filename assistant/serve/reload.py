"""A running server picks up a new index version without a restart.

A watcher thread reads the index's CURRENT pointer every few seconds (the setting
`reload_seconds`, 0 to turn it off); when `assistant add`, `remove` or `build` has
switched it, the new version is loaded beside the old one, sharing the loaded model,
and the engine reference is swapped in one assignment. A request takes the engine once,
when it starts, so requests in flight finish on the old version and the next ones use
the new one. `POST /api/admin/reload` does the same at once; it exists only when the
operator sets ASSISTANT_ADMIN_TOKEN and needs that token (`Authorization: Bearer …`).

The token is read from the environment here rather than kept in Settings, because
settings are written into evaluation reports and logs."""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import signal
import threading
from contextlib import contextmanager

from fastapi import Header

from ..errors import AssistantError
from ..settings import Settings
from .verify import check_index, check_sources

TOKEN_VARIABLE = "ASSISTANT_ADMIN_TOKEN"
log = logging.getLogger("assistant.serve")


class NotAuthorisedError(AssistantError):
    status = 401
    code = "unauthorised"
    headers = {"WWW-Authenticate": 'Bearer realm="assistant"'}


class IndexWatcher:
    def __init__(self, state: dict, settings: Settings):
        self.state = state
        self.settings = settings
        self._stop = threading.Event()
        self._swap = threading.Lock()  # one reload at a time (watcher or endpoint)

    def check(self) -> bool:
        """Swap to the current index version if it changed; True when it did."""
        with self._swap:
            fresh = self.state["assistant"].reloaded()
            if fresh is None:
                return False
            check_index(fresh.index)  # passages must be the documents' words (verify.py), or the old one stays
            check_sources(fresh.index, fresh.settings.corpus_dir)
            self.state["assistant"] = fresh  # one reference: in-flight requests keep the old engine
        log.warning("Đã nạp phiên bản chỉ mục %s: %d văn bản, %d đoạn", fresh.index.version,
                    len(fresh.index.documents), len(fresh.index.chunks))
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.settings.reload_seconds):
            self.check_logged()

    def check_logged(self) -> bool:
        try:
            return self.check()
        except Exception as exc:  # a version being pruned or damaged: keep serving the old one
            log.warning("Chưa nạp được phiên bản chỉ mục mới (%s: %s); vẫn dùng phiên bản đang chạy",
                        type(exc).__name__, exc)
            return False

    def on_hangup(self) -> None:
        """SIGHUP: load the newest index version now (on a thread: the event loop goes on)."""
        def reload() -> None:
            if not self.check_logged():
                log.warning("Nhận SIGHUP: vẫn dùng phiên bản chỉ mục %s", self.state["assistant"].index.version)

        threading.Thread(target=reload, name="sighup-reload", daemon=True).start()

    def listen_for_hangups(self) -> None:
        """Reload on SIGHUP; a server run off the main thread (tests) cannot take signals."""
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.on_hangup)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    @contextmanager
    def running(self):
        thread = None
        if self.settings.reload_seconds > 0:
            thread = threading.Thread(target=self._run, name="index-watcher", daemon=True)
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            if thread:
                thread.join(timeout=5)


def add_admin_routes(app, watcher: IndexWatcher) -> None:
    """The admin endpoints; none at all when no token is set (they answer 404)."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        return

    from .schemas import ErrorOut

    @app.post("/api/admin/reload", summary="Nạp phiên bản chỉ mục mới nhất (cần mã quản trị)",
              responses={401: {"model": ErrorOut, "description": "thiếu mã quản trị, hoặc mã sai",
                               "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}}})
    def reload(authorization: str = Header("", max_length=512, description="Bearer <ASSISTANT_ADMIN_TOKEN>")) -> dict:
        scheme, _, given = authorization.partition(" ")
        if scheme != "Bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise NotAuthorisedError("cần mã quản trị hợp lệ trong tiêu đề Authorization: Bearer <mã>")
        changed = watcher.check()
        index = watcher.state["assistant"].index
        return {"reloaded": changed, "version": index.version, "documents": len(index.documents),
                "chunks": len(index.chunks)}
