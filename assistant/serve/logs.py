"""An error repeated per connection is logged once, then counted.

When every connection fails the same way (the open-file limit reached: asyncio logs
"socket.accept() out of system resource" with a traceback for each attempt; or a
flood of malformed requests), the log grew by hundreds of MB in minutes. Here the
first occurrence of a message is logged without its traceback, and the same message
again within WINDOW seconds is only counted; the count is logged with the next
occurrence after the window."""

from __future__ import annotations

import logging
import time

WINDOW = 60.0
LOGGERS = ("asyncio", "uvicorn.error", "uvicorn")


class RepeatFilter(logging.Filter):
    def __init__(self, window: float = WINDOW, clock=time.monotonic):
        super().__init__()
        self.window, self.clock = window, clock
        self._seen: dict[tuple, list] = {}  # key → [first time of the window, occurrences hidden]

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        key = (record.name, record.levelno, str(record.msg), type(error).__name__ if error else "")
        now = self.clock()
        seen = self._seen.get(key)
        if seen is not None and now - seen[0] < self.window:
            seen[1] += 1
            return False
        hidden = seen[1] if seen else 0
        self._seen[key] = [now, 0]
        if len(self._seen) > 1000:  # many distinct messages: forget the oldest windows
            self._seen = dict(sorted(self._seen.items(), key=lambda item: item[1][0])[-500:])
        if error is not None:  # the type and message say enough; a traceback per connection does not
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args, record.exc_info, record.exc_text = (), None, None
        if hidden:
            record.msg = f"{record.getMessage()} (thêm {hidden} lần trong {self.window:g} giây trước)"
            record.args = ()
        return True


def quiet_repeats() -> None:
    """Install the filter on the loggers that report per-connection errors (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RepeatFilter) for f in logger.filters):
            logger.addFilter(RepeatFilter())
