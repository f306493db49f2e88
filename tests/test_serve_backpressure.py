"""Backpressure on a real uvicorn server: the engine is held at its first question
(as a slow question would hold it), so what waits, what is refused and what is
dropped can be counted exactly."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest

from .servers import running

QUESTION = "Ai chịu trách nhiệm khen thưởng?"


class Held:
    """The engine waits at each question until released, and counts the questions it got."""

    def __init__(self, assistant):
        self.release = threading.Event()
        self.started = threading.Event()
        self.asked = []
        ask = assistant.ask

        def held(question, province=None, history=()):
            self.asked.append(question)
            self.started.set()
            self.release.wait(15)
            return ask(question, province=province, history=history)

        assistant.ask = held


@pytest.fixture
def held(assistant):
    engine = Held(assistant)
    yield engine
    engine.release.set()


def _ask(url: str, question: str = QUESTION) -> httpx.Response:
    return httpx.post(f"{url}/api/ask", json={"question": question}, timeout=20)


def _wait_for(condition, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_past_the_queue_questions_get_503_with_retry_after_and_health_still_answers(settings, assistant, held):
    with running(replace(settings, max_waiting=1), assistant) as (url, _), ThreadPoolExecutor(4) as pool:
        first = pool.submit(_ask, url, "câu một")
        assert held.started.wait(5)
        second = pool.submit(_ask, url, "câu hai")  # waits behind the first
        time.sleep(0.3)
        refused = _ask(url, "câu ba")
        started = time.monotonic()
        health = httpx.get(f"{url}/api/health", timeout=5)
        documents = httpx.get(f"{url}/api/documents", timeout=5)
        answered_in = time.monotonic() - started
        held.release.set()
        assert (first.result().status_code, second.result().status_code) == (200, 200)
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "overloaded"
    assert refused.json()["error"]["message"] == "máy chủ đang bận (2 câu hỏi đang chờ); hãy thử lại sau ít giây"
    assert int(refused.headers["retry-after"]) >= 1
    assert (health.status_code, documents.status_code) == (200, 200)
    assert answered_in < 5  # while the engine was held: health never waits behind questions
    assert held.asked == ["câu một", "câu hai"]


def test_a_question_past_its_time_limit_is_given_up(settings, assistant, held):
    with running(replace(settings, request_seconds=1), assistant) as (url, _), ThreadPoolExecutor(2) as pool:
        first = pool.submit(_ask, url, "câu một")
        assert held.started.wait(5)
        waiting = _ask(url, "câu hai")  # never gets its turn within 1 s
        answered = first.result()
        held.release.set()
    assert answered.status_code == 504
    assert answered.json()["error"]["message"] == "không trả lời được trong 1 giây; hãy thử lại hoặc rút gọn câu hỏi"
    assert waiting.status_code == 503 and "retry-after" in waiting.headers
    assert waiting.json()["error"]["message"] == "câu hỏi đã chờ quá 1 giây vì máy chủ đang bận; hãy thử lại sau ít giây"
    assert held.asked == ["câu một"]


def test_questions_of_clients_that_left_are_never_computed(settings, assistant, held):
    body = f'{{"question": "{QUESTION}"}}'.encode()
    request = (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    with running(settings, assistant) as (url, _), ThreadPoolExecutor(1) as pool:
        first = pool.submit(_ask, url, "câu một")
        assert held.started.wait(5)
        port = int(url.rsplit(":", 1)[1])
        abandoned = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        for conn in abandoned:
            conn.sendall(request)
        time.sleep(0.5)  # all 40 are read and waiting
        for conn in abandoned:
            conn.close()
        time.sleep(0.2)
        held.release.set()
        assert first.result().status_code == 200
        after = _ask(url, "câu sau")
    assert after.status_code == 200
    assert held.asked == ["câu một", "câu sau"]  # none of the 40 abandoned questions was answered
