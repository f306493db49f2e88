"""`assistant serve`: check the address, open the engine, then run uvicorn.

Problems a user can fix (a busy port, a missing corpus) surface as AssistantError
before the server starts, so the CLI prints them as one `Error:` line.

With several workers, uvicorn runs that many processes on one listening socket; each
opens the engine itself (its own model, the same index folder, read only). The index
is checked, and built if needed, once before the workers start (ready_index), so that
they never race to build it; the build runs in a child process that serve owns
(children.py): stopping serve stops it.

SIGHUP never stops the server: each worker loads the newest index version in place
(reload.py), as the admin endpoint does; the parent of several workers passes the
signal on to them instead of restarting them (a restart would wait for the model to
load, longer than uvicorn allows)."""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import signal
import socket
import sys
from dataclasses import fields, replace
from typing import Callable

from ..engine import Assistant
from ..errors import AssistantError, IndexError_
from ..index.embedding import embedder_identity
from ..index.store import bind_corpus, load_index, staleness
from ..settings import Settings
from .children import build_in_child
from .logs import quiet_repeats
from .middleware import ACCESS_LOG

STARTUP_FAILURE = 3  # uvicorn's exit code for a worker that could not start: the parent stops


def serve(settings: Settings, host: str, port: int, log: Callable[[str], None], workers: int | None = None) -> None:
    check_address(host, port)
    workers = workers or settings.workers or default_workers()
    if workers < 1:
        raise AssistantError(f"số tiến trình phục vụ {workers} không hợp lệ; chọn --workers từ 1 trở lên")
    warn_if_exposed(host, log)
    shown = f"[{host}]" if ":" in host else host
    address = f"Trang hỏi đáp: http://{shown}:{port}/  ·  API: http://{shown}:{port}/docs  ·  dừng bằng Ctrl+C"
    log_requests()
    ignore_hangups(log)
    settings = ready_index(settings, log)
    if workers == 1:
        _serve_one(settings, host, port, log, address)
    else:
        _serve_many(settings, host, port, log, address, workers)


def _serve_one(settings: Settings, host: str, port: int, log, address: str) -> None:
    import uvicorn

    from .api import create_app

    log("Đang nạp mô hình và chỉ mục…")
    app = create_app(settings, Assistant.open(settings, log=log))
    log(address)
    uvicorn.Server(uvicorn_config(app, settings, host, port)).run()


def _serve_many(settings: Settings, host: str, port: int, log, address: str, workers: int) -> None:
    # the cores are shared among the workers: each one's model gets its share of threads
    settings = replace(settings, threads=max(1, settings.threads // workers))
    os.environ.update(settings_environment(settings))  # the workers read their settings from it
    config = uvicorn_config("assistant.serve.server:worker_app", settings, host, port, factory=True, workers=workers)
    log(f"Đang nạp mô hình và chỉ mục trong {workers} tiến trình…")
    log(address)
    supervisor = _supervisor()(config, sockets=[config.bind_socket()])
    supervisor.run()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        raise AssistantError("một tiến trình phục vụ không khởi động được (xem thông báo ở trên)")


def ready_index(settings: Settings, log: Callable[[str], None] = lambda message: None) -> Settings:
    """Bind the corpus and make sure the index is built and intact, once, before any worker
    starts. An intact index is only read; a build runs in a child process that serve owns
    and that exits after it, so that the parent, which only watches the workers, holds no
    model."""
    settings = bind_corpus(settings)
    try:
        if staleness(settings, embedder_identity(settings)) is None:
            load_index(settings, allow_stale=True)  # current, as just found: only its files are checked
            return settings
    except IndexError_:
        pass  # damaged: built afresh below, as Assistant.open would
    build_in_child(settings_environment(settings), log)  # an error in it is raised here
    return settings


def ignore_hangups(log: Callable[[str], None]) -> None:
    """Until a worker's app is up (and reloads on SIGHUP), SIGHUP is logged, never fatal."""
    signal.signal(signal.SIGHUP, lambda signum, frame: log("Nhận SIGHUP khi đang khởi động: bỏ qua"))


def _supervisor():
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        """uvicorn's supervisor, except that SIGHUP reloads the index in every worker
        instead of restarting them."""

        def handle_hup(self) -> None:
            pids = [p.pid for p in self.processes if p.pid]
            logging.getLogger("assistant.serve").warning(
                "Nhận SIGHUP: các tiến trình %s nạp phiên bản chỉ mục mới nhất", pids)
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGHUP)
                except ProcessLookupError:
                    pass

    return Supervisor


def worker_app():
    """The app of one worker process (uvicorn calls it after spawning the process)."""
    from .api import create_app

    ignore_hangups(lambda message: print(message, file=sys.stderr, flush=True))
    settings = Settings.from_env()
    log_requests()
    try:
        return create_app(settings, Assistant.open(settings))
    except AssistantError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(STARTUP_FAILURE) from None


def uvicorn_config(app, settings: Settings, host: str, port: int, **extra):
    import uvicorn

    from .protocol import TimedH11Protocol

    quiet_repeats()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
                            http=TimedH11Protocol, timeout_keep_alive=settings.keep_alive_seconds, **extra)
    # read by TimedH11Protocol, also in worker processes
    config.header_seconds = settings.header_seconds
    config.body_seconds = settings.body_seconds
    config.max_connections = settings.max_connections
    config.max_connections_per_client = settings.max_connections_per_client
    return config


def settings_environment(settings: Settings) -> dict[str, str]:
    """ASSISTANT_* variables that Settings.from_env reads back as `settings`."""
    values = {f.name: getattr(settings, f.name) for f in fields(settings)}
    return {f"ASSISTANT_{name.upper()}": str(value) for name, value in values.items() if value is not None}


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def log_requests() -> None:
    """The access log: one line per request on stderr (middleware.AccessLog)."""
    logger = ACCESS_LOG
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged (tests replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def warn_if_exposed(host: str, log: Callable[[str], None]) -> None:
    if not _is_loopback(host):
        log(f"Cảnh báo: máy chủ lắng nghe trên {host}, máy khác trong mạng truy cập được; không có đăng nhập "
            "hay mã hóa (HTTPS): hãy đặt sau một reverse proxy, hoặc dùng --host 127.0.0.1")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_address(host: str, port: int) -> None:
    if not 0 < port < 65536:
        raise AssistantError(f"cổng {port} không hợp lệ; chọn một số từ 1 đến 65535 bằng --port")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise AssistantError(f"không nhận ra địa chỉ «{host}»; dùng --host 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise AssistantError(f"cổng {port} đang được dùng; chọn cổng khác bằng --port") from None
            raise AssistantError(f"không mở được {host}:{port} ({exc.strerror}); chọn địa chỉ khác") from None
