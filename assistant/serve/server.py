"""`assistant serve`: check the address, open the engine once, then run uvicorn.
Problems a user can fix (a busy port, a missing corpus) surface as AssistantError
before the server starts, so the CLI prints them as one `Error:` line."""

from __future__ import annotations

import errno
import socket
from typing import Callable

from ..engine import Assistant
from ..errors import AssistantError
from ..settings import Settings


def serve(settings: Settings, host: str, port: int, log: Callable[[str], None]) -> None:
    import uvicorn

    from .api import create_app

    check_address(host, port)
    log("Đang nạp mô hình và chỉ mục…")
    assistant = Assistant.open(settings, log=log)
    app = create_app(settings, assistant)
    shown = f"[{host}]" if ":" in host else host
    log(f"Trang hỏi đáp: http://{shown}:{port}/  ·  API: http://{shown}:{port}/docs  ·  dừng bằng Ctrl+C")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


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
