"""Backpressure for questions: one answered at a time per worker, a bounded queue
behind it, a time limit, and no work for a client that has already gone.

The engine is not written for concurrent use, so each worker process answers one
question at a time on its own thread; the event loop stays free for /api/health and
the documents, which never wait here. Past the queue's bound a question is refused
at once (503 with Retry-After) instead of making everyone behind it wait longer."""

from __future__ import annotations

import asyncio
import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Awaitable, Callable, TypeVar

from ..errors import ClientGone, Overloaded, TimedOut

T = TypeVar("T")


class Gate:
    def __init__(self, waiting: int, seconds: float):
        self.capacity = 1 + waiting  # the question being answered and those queued behind it
        self.seconds = seconds
        self.admitted = 0
        self._slot = asyncio.Semaphore(1)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")
        self._mean_seconds = 0.1  # running mean of answering time, for Retry-After

    async def run(self, work: Callable[[], T], gone: Callable[[], Awaitable[bool]]) -> T:
        """Run `work` on the engine thread when its turn comes, within the time limit.
        `gone` tells whether the client has disconnected."""
        if self.admitted >= self.capacity:
            raise Overloaded(f"máy chủ đang bận ({self.admitted} câu hỏi đang chờ); hãy thử lại sau ít giây",
                             self.retry_after())
        self.admitted += 1
        deadline = asyncio.get_running_loop().time() + self.seconds
        try:
            try:
                async with asyncio.timeout_at(deadline):
                    await self._slot.acquire()
            except TimeoutError:
                raise Overloaded(f"câu hỏi đã chờ quá {self.seconds:g} giây vì máy chủ đang bận; "
                                 "hãy thử lại sau ít giây", self.retry_after()) from None
            return await self._answer(work, gone, deadline)
        finally:
            self.admitted -= 1

    async def _answer(self, work: Callable[[], T], gone, deadline: float) -> T:
        try:
            if await gone():
                raise ClientGone("người hỏi đã ngắt kết nối; câu hỏi không được trả lời")
        except BaseException:
            self._slot.release()
            raise
        started = time.monotonic()
        future = asyncio.get_running_loop().run_in_executor(self._executor, work)
        # the slot is freed when the work ends, even if the client was answered 504 before
        future.add_done_callback(lambda _: self._finished(started))
        try:
            async with asyncio.timeout_at(deadline):
                return await asyncio.shield(future)
        except TimeoutError:
            raise TimedOut(f"không trả lời được trong {self.seconds:g} giây; hãy thử lại hoặc rút gọn câu hỏi") \
                from None

    def _finished(self, started: float) -> None:
        self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * (time.monotonic() - started)
        self._slot.release()

    def retry_after(self) -> int:
        """Seconds until the queue has likely drained: a hint for the client, at least 1."""
        return max(1, math.ceil(self.capacity * self._mean_seconds))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
