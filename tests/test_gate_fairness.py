"""Admission by cost (issue 19): the gate orders work by each client's virtual time, so
one client's heavy questions do not hold the others behind them; its queue is bounded
in estimated seconds; the history a question reads is capped in characters. The order
of work is asserted, never its timing."""

from __future__ import annotations

import asyncio
import threading

import pytest

from assistant.engine import recent_history
from assistant.errors import Overloaded
from assistant.serve.cost import BASE_CHARS, question_units
from assistant.serve.gate import Gate


async def _never_gone() -> bool:
    return False


def _run(scenario):
    """asyncio.run on a thread of its own: the browser tests keep an event loop running on
    the main thread for the whole session."""
    result = {}

    def target():
        try:
            result["value"] = asyncio.run(scenario())
        except BaseException as exc:  # re-raised in the test's thread
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _run_in_order(arrivals: list[tuple[str, float]], queue_seconds: float = 1e9) -> list[str]:
    """Hold the engine with a first piece of work, queue `arrivals` (client, units) in
    that order, release it, and return the order in which the engine ran them."""
    ran: list[str] = []

    async def scenario():
        gate = Gate(waiting=100, seconds=60, queue_seconds=queue_seconds)
        release = threading.Event()
        first = asyncio.create_task(gate.run(lambda: release.wait(10), _never_gone, units=1, client="first"))
        await asyncio.sleep(0.05)
        tasks = []
        for n, (client, units) in enumerate(arrivals):
            label = f"{client}{n}"
            tasks.append(asyncio.create_task(gate.run(lambda label=label: ran.append(label), _never_gone,
                                                      units=units, client=client)))
            await asyncio.sleep(0)
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(first, *tasks)
        gate.close()

    _run(scenario)
    return ran


def test_a_light_question_is_not_held_behind_one_clients_heavy_queue():
    heavy = question_units("x" * 2000, ["y" * 2000] * 10)  # the 0.5 s question
    order = _run_in_order([("heavy", heavy)] * 4 + [("light", 1.0)])
    assert order == ["heavy0", "light4", "heavy1", "heavy2", "heavy3"]


def test_clients_of_equal_cost_take_turns():
    order = _run_in_order([("a", 1.0)] * 3 + [("b", 1.0)] * 3)
    assert order == ["a0", "b3", "a1", "b4", "a2", "b5"]


def test_the_queue_is_bounded_in_estimated_seconds_not_only_in_count():
    async def scenario():
        gate = Gate(waiting=100, seconds=60, queue_seconds=5)  # a first guess of 0.1 s a unit
        release = threading.Event()
        first = asyncio.create_task(gate.run(lambda: release.wait(10), _never_gone, units=1))
        await asyncio.sleep(0.05)
        with pytest.raises(Overloaded) as refused:
            await gate.run(lambda: None, _never_gone, units=60)  # 6 s of estimated work
        release.set()
        await first
        gate.close()
        return refused.value

    refused = _run(scenario)
    assert str(refused) == "máy chủ đang bận (các câu hỏi đang chờ cần khoảng 1 giây); hãy thử lại sau ít giây"
    assert refused.retry_after == 1


def test_a_questions_units_grow_with_what_it_reads():
    assert question_units("", []) == 1.0
    assert question_units("x" * 2000, ["y" * 2000] * 10) == (BASE_CHARS + 22_000) / BASE_CHARS
    assert question_units("So sánh", [], provinces=3) == pytest.approx((BASE_CHARS + 7) / BASE_CHARS * 2)


def test_the_history_read_is_capped_in_characters_keeping_the_latest():
    history = ["a" * 900, "b" * 900, "c" * 900, "d" * 50]
    assert recent_history(history, max_chars=2000) == ["b" * 900, "c" * 900, "d" * 50]  # 1,850: "a" would pass it
    assert recent_history(["q"] * 30, max_chars=2000) == ["q"] * 10
    assert recent_history(["x" * 2001], max_chars=2000) == []
