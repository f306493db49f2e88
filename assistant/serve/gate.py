"""Backpressure for the engine's work: one piece at a time per worker, admitted by its
estimated cost, served fairly between clients, within a time limit, and never for a
client that has already gone.

The engine is not written for concurrent use, so each worker process runs one question
(or one study file) at a time on its own thread; the event loop stays free for
/api/health and the documents, which never wait here.

- Cost, not count: each piece of work comes with its size in `units` (a question's
  characters, those of the history it reads, its provinces: see cost.py); the gate
  learns the seconds per unit of each kind of work from the work it has done (a running
  mean), so a 2,000-character question with a long history counts as the 20 plain ones
  it costs. The queue holds at most `queue_seconds` of estimated work (and at most
  `waiting` pieces); past either a request is refused at once (503 with Retry-After)
  rather than making everyone behind it wait longer.
- Fair between clients (start-time fair queueing): each client's requests are tagged
  with a virtual start time that advances by their estimated cost, and the smallest tag
  goes next; a client sending heavy requests back to back waits behind its own earlier
  work, not the others behind it."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Awaitable, Callable, TypeVar

from ..errors import ClientGone, Overloaded, TimedOut

T = TypeVar("T")
FIRST_GUESS = 0.1  # seconds per unit before anything was measured


class Gate:
    def __init__(self, waiting: int, seconds: float, queue_seconds: float = math.inf):
        self.capacity = 1 + waiting  # the piece being worked on and those queued behind it
        self.seconds = seconds
        self.queue_seconds = queue_seconds
        self.admitted = 0
        self.queued_seconds = 0.0  # estimated seconds of the work admitted and not finished
        self._busy = False
        self._waiting: list[tuple[float, int, asyncio.Future]] = []  # (virtual start, arrival, its turn)
        self._arrivals = itertools.count()
        self._virtual = 0.0  # the virtual start of the work in progress
        self._finish: dict[str, float] = {}  # each client's virtual finish time
        self._rates: dict[str, float] = {}  # seconds per unit, by kind of work
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")

    def estimate(self, units: float, kind: str = "ask") -> float:
        return units * self._rates.get(kind, FIRST_GUESS)

    async def run(self, work: Callable[[], T], gone: Callable[[], Awaitable[bool]], units: float = 1.0,
                  client: str = "-", kind: str = "ask") -> T:
        """Run `work` on the engine thread when its turn comes, within the time limit.
        `gone` tells whether the client has disconnected."""
        cost = self.estimate(units, kind)
        what = "câu hỏi" if kind == "ask" else "yêu cầu"
        if self.admitted >= self.capacity:
            raise Overloaded(f"máy chủ đang bận ({self.admitted} {what} đang chờ); hãy thử lại sau ít giây",
                             self.retry_after())
        if self.admitted and self.queued_seconds + cost > self.queue_seconds:
            raise Overloaded(f"máy chủ đang bận (các {what} đang chờ cần khoảng {math.ceil(self.queued_seconds)} "
                             "giây); hãy thử lại sau ít giây", self.retry_after())
        self.admitted += 1
        self.queued_seconds += cost
        deadline = asyncio.get_running_loop().time() + self.seconds
        try:
            try:
                async with asyncio.timeout_at(deadline):
                    await self._turn(client, cost)
            except TimeoutError:
                raise Overloaded(f"{what} đã chờ quá {self.seconds:g} giây vì máy chủ đang bận; "
                                 "hãy thử lại sau ít giây", self.retry_after()) from None
            return await self._work(work, gone, deadline, units, kind)
        finally:
            self.admitted -= 1
            self.queued_seconds = max(0.0, self.queued_seconds - cost)

    async def _turn(self, client: str, cost: float) -> None:
        start = max(self._virtual, self._finish.get(client, 0.0))
        self._finish[client] = start + cost
        if not self._busy and not self._waiting:
            self._begin(start)
            return
        turn = asyncio.get_running_loop().create_future()
        entry = (start, next(self._arrivals), turn)
        heapq.heappush(self._waiting, entry)
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._release()  # the turn came as it was given up: pass it on
            else:
                self._waiting.remove(entry)
                heapq.heapify(self._waiting)
            raise

    def _begin(self, start: float) -> None:
        self._busy = True
        self._virtual = start
        if len(self._finish) > 10_000:  # forget clients whose work is all in the past
            self._finish = {c: f for c, f in self._finish.items() if f > self._virtual}

    def _release(self) -> None:
        """The engine is free: the waiting piece with the smallest virtual start goes next."""
        self._busy = False
        while self._waiting:
            start, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                self._begin(start)
                turn.set_result(None)
                return

    async def _work(self, work: Callable[[], T], gone, deadline: float, units: float, kind: str) -> T:
        try:
            if await gone():
                raise ClientGone("người hỏi đã ngắt kết nối; câu hỏi không được trả lời")
        except BaseException:
            self._release()
            raise
        started = time.monotonic()
        future = asyncio.get_running_loop().run_in_executor(self._executor, work)
        # the engine is freed when the work ends (the callback runs on the event loop), even if the
        # client was answered 504 before
        future.add_done_callback(lambda _: self._finished(started, units, kind))
        try:
            async with asyncio.timeout_at(deadline):
                return await asyncio.shield(future)
        except TimeoutError:
            raise TimedOut(f"không trả lời được trong {self.seconds:g} giây; hãy thử lại hoặc rút gọn câu hỏi") \
                from None

    def _finished(self, started: float, units: float, kind: str) -> None:
        rate = (time.monotonic() - started) / max(units, 1e-9)
        self._rates[kind] = 0.8 * self._rates.get(kind, rate) + 0.2 * rate
        self._release()

    def retry_after(self) -> int:
        """Seconds until the queue has likely drained: a hint for the client, at least 1."""
        return max(1, math.ceil(self.queued_seconds))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
