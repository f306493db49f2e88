"""`assistant serve` owns the process that builds its first index.

The build runs in a child process (so the parent, which then only watches the
workers, never holds a model). The parent forwards SIGTERM and SIGINT to it and waits
for it, so stopping `serve` during the build stops the build too; the child turns
SIGTERM into KeyboardInterrupt, so its clean-up runs (no staging folder or half-written
cache file is left) and the vectors it had already embedded stay in the embedding
cache for the next start. If the parent is killed outright, the kernel sends the child
SIGTERM (PR_SET_PDEATHSIG), so no build is ever left running with nobody waiting. SIGHUP
during the build is logged and ignored."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from typing import Callable

from ..errors import AssistantError

_PR_SET_PDEATHSIG = 1
STOPPED = 130  # the child's exit code when it was stopped by a signal


def build_in_child(environment: dict[str, str], log: Callable[[str], None]) -> None:
    """Run `python -m assistant.serve.children` with `environment` (the settings as
    ASSISTANT_* variables) and wait for it; raise KeyboardInterrupt if serve was stopped."""
    child = subprocess.Popen([sys.executable, "-m", "assistant.serve.children", str(os.getpid())],
                             env={**os.environ, **environment})
    log(f"Đang xây dựng chỉ mục trong tiến trình {child.pid}…")
    stopping = []

    def forward(signum, frame):
        if signum == signal.SIGHUP:
            log("Nhận SIGHUP khi đang xây dựng chỉ mục: bỏ qua (chỉ mục sẽ được nạp khi xây xong)")
            return
        stopping.append(signum)
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:  # an exception in the wait itself: never leave the child behind
            child.kill()
            child.wait()
    if stopping:
        log(f"Đã dừng việc xây dựng chỉ mục (tiến trình {child.pid})")
        raise KeyboardInterrupt
    if code != 0:
        raise AssistantError("không xây dựng được chỉ mục (xem thông báo ở trên)")


def _die_with(parent: int) -> None:
    """Ask the kernel for SIGTERM when the parent dies (Linux); no-op elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        raise SystemExit(STOPPED)


def _stop(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the parent logs it
    _die_with(int(argv[0]) if argv else os.getppid())
    from ..engine import Assistant
    from ..settings import Settings

    try:
        Assistant.open(Settings.from_env(), warm=False, same_model=True, progress=sys.stderr.isatty(),
                       log=lambda message: print(message, file=sys.stderr, flush=True))
    except AssistantError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return STOPPED
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
