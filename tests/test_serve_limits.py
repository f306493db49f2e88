"""Limits before work: what the issue's hostile clients sent now costs the engine
nothing (in-process on the fake-embedder engine; the big bodies on a real uvicorn)."""

from __future__ import annotations

import logging
import re
import select
import socket
import time
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from assistant.serve.api import create_app

from .servers import running

QUESTION = "Ai chịu trách nhiệm khen thưởng?"


class Spy:
    """Records the engine calls the API makes."""

    def __init__(self, assistant):
        self.asks = []
        ask = assistant.ask

        def recording(question, province=None, history=()):
            self.asks.append((question, province, tuple(history)))
            return ask(question, province=province, history=history)

        assistant.ask = recording


@pytest.fixture
def spy(assistant):
    return Spy(assistant)


@pytest.fixture
def client(settings, assistant, spy):
    with TestClient(create_app(settings, assistant), raise_server_exceptions=False) as client:
        yield client


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    return response.json()["error"]


def test_a_48_mb_question_is_refused_unread(client, spy):
    body = b'{"question": "' + b"a" * (48 * 2**20) + b'"}'
    error = _error(client.post("/api/ask", content=body, headers={"Content-Type": "application/json"}), 413)
    assert error == {"status": 413, "code": "body_too_large",
                     "message": "nội dung gửi lên quá lớn (tối đa 64 KB); hãy rút gọn câu hỏi"}
    assert spy.asks == []


def test_the_body_cap_is_a_setting(settings, assistant):
    with TestClient(create_app(replace(settings, max_body_bytes=100), assistant)) as client:
        error = _error(client.post("/api/ask", json={"question": "x" * 100}), 413)
    assert error["message"] == "nội dung gửi lên quá lớn (tối đa 0 KB); hãy rút gọn câu hỏi"


def test_a_question_over_the_limit_is_counted_raw_and_never_reaches_the_engine(client, spy):
    invisible = "\u200b" * 1990 + "Ai ký kế hoạch?"  # 2,005 characters raw, 15 once cleaned
    error = _error(client.post("/api/ask", json={"question": invisible}), 422)
    assert error == {"status": 422, "code": "invalid_question",
                     "message": "câu hỏi dài 2005 ký tự, vượt giới hạn 2000 ký tự; hãy rút gọn câu hỏi"}
    error = _error(client.get("/api/search", params={"q": "khen " * 401}), 422)
    assert error["message"] == "câu hỏi dài 2005 ký tự, vượt giới hạn 2000 ký tự; hãy rút gọn câu hỏi"
    assert spy.asks == []


def test_long_history_turns_are_refused_and_only_the_last_ten_are_read(client, spy):
    turns = [{"question": "q" * 20_000, "answer": "a"}] * 2  # the turns: 20,000 characters each
    error = _error(client.post("/api/ask", json={"question": QUESTION, "history": turns}), 422)
    assert error["message"] == "yêu cầu không hợp lệ: trường «history.0.question» dài quá 2000 ký tự"
    history = [{"question": f"câu {n}", "answer": "x"} for n in range(50)]
    assert client.post("/api/ask", json={"question": QUESTION, "history": history}).status_code == 200
    assert spy.asks == [(QUESTION, None, tuple(f"câu {n}" for n in range(40, 50)))]


def test_error_messages_quote_only_a_short_prefix(client):
    long_path = "/api/" + "x" * 5000
    assert _error(client.get(long_path), 404)["message"] == \
        f"không có địa chỉ /api/{'x' * 55}…; xem danh sách tại /docs"
    error = _error(client.post("/api/ask", json={"question": QUESTION, "province": "p" * 10_000}), 422)
    assert error["message"] == "yêu cầu không hợp lệ: trường «province» dài quá 64 ký tự"
    error = _error(client.get("/api/documents/" + "d" * 121), 422)
    assert error["message"] == "yêu cầu không hợp lệ: trường «doc_id» dài quá 120 ký tự"
    for response in (client.get(long_path), client.post("/api/ask", json={"question": "ơ" * 9000})):
        assert len(response.text) < 300


@pytest.mark.parametrize("raw", [
    b'{"question": "\xff\xfe kh\xc3"}',  # not UTF-8
    b"[" * 20_000 + b"]" * 20_000,  # nested deeper than any parser recurses
    b'{"question": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001,
])
def test_unreadable_bodies_get_a_vietnamese_422(client, raw, spy):
    error = _error(client.post("/api/ask", content=raw, headers={"Content-Type": "application/json"}), 422)
    assert error["code"] == "invalid_request"
    assert error["message"] in ("yêu cầu không hợp lệ: nội dung gửi lên không đọc được (phải là JSON UTF-8, "
                                "không lồng nhau quá sâu)",
                                "yêu cầu không hợp lệ: trường «question» phải là chuỗi ký tự")
    assert spy.asks == []


def test_405_says_which_methods_are_allowed(client):
    response = client.get("/api/ask")
    assert _error(response, 405)["message"] == "phương thức GET không dùng được cho /api/ask"
    assert response.headers["allow"] == "POST"
    assert client.delete("/api/health").headers["allow"] == "GET"


def test_a_trailing_slash_is_not_redirected_to_the_host_the_client_named(client):
    response = client.get("/api/documents/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert _error(response, 404)["message"] == "không có địa chỉ /api/documents/; xem danh sách tại /docs"
    assert "evil" not in response.text and "location" not in response.headers


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/api/health", None), ("GET", "/api/documents", None), ("POST", "/api/ask", {"question": QUESTION}),
    ("POST", "/api/ask", {}), ("GET", "/api/nothing", None), ("GET", "/openapi.json", None),
    ("GET", "/docs", None), ("GET", "/", None), ("GET", "/static/app.js", None),
    ("GET", "/static-offline-docs/swagger-ui.css", None),
])
def test_every_response_carries_the_security_headers(client, method, path, body):
    response = client.request(method, path, json=body)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_the_docs_page_may_run_only_its_own_inline_script(client):
    import base64
    import hashlib

    response = client.get("/docs")
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in response.headers["content-security-policy"]


def test_openapi_states_the_real_limits(client):
    schema = client.get("/openapi.json").json()
    ask = schema["components"]["schemas"]["AskRequest"]["properties"]
    assert ask["question"]["maxLength"] == 2000
    assert ask["province"]["anyOf"][0]["enum"] == ["bac-giang", "ninh-thuan", ""]
    assert ask["history"]["maxItems"] == 50
    turn = schema["components"]["schemas"]["Turn"]["properties"]
    assert (turn["question"]["maxLength"], turn["answer"]["maxLength"]) == (2000, 4000)
    search = {p["name"]: p["schema"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert search["q"]["maxLength"] == 2000 and search["province"]["anyOf"][0]["enum"][:2] == ["bac-giang", "ninh-thuan"]
    assert (search["k"]["minimum"], search["k"]["maximum"]) == (1, 50)
    assert {"413", "422", "503", "504"} <= set(schema["paths"]["/api/ask"]["post"]["responses"])


def test_a_declared_300_mb_body_is_refused_before_it_is_sent(settings, assistant):
    with running(settings, assistant) as (url, _), _connect(url) as conn:
        conn.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 314572800\r\n\r\n" + b'{"question": "' + b"a" * 1000)
        head = b""
        while "quá lớn".encode() not in head and (part := conn.recv(65536)):
            head += part
    assert head.startswith(b"HTTP/1.1 413 ") and "quá lớn".encode() in head


def test_a_300_mb_body_without_length_is_cut_off_at_the_cap(settings, assistant, spy):
    """Chunked transfer: no Content-Length to refuse it by. The client sends until the
    server answers; the loopback's socket buffers take a few MB, never the 300."""
    chunk = b"10000\r\n" + b" " * 65536 + b"\r\n"
    sent, head = 0, b""
    with running(settings, assistant) as (url, _), _connect(url) as conn:
        conn.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        while sent < 300 * 2**20 and not head:
            if select.select([conn], [], [], 0)[0]:
                head = conn.recv(65536)
                break
            try:
                conn.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                head = conn.recv(65536)
                break
            sent += 65536
    assert head.startswith(b"HTTP/1.1 413 ")
    assert sent < 32 * 2**20 and spy.asks == []


def _connect(url: str) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
    conn.settimeout(5)
    return conn


def test_slow_headers_are_cut_off_and_idle_connections_closed(settings, assistant):
    quick = replace(settings, header_seconds=0.5, keep_alive_seconds=0.5)
    with running(quick, assistant) as (url, _):
        with _connect(url) as slow:
            started = time.monotonic()
            slow.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            assert slow.recv(1024) == b""  # closed by the server, not by our 5 s timeout
            assert time.monotonic() - started < 4
        with _connect(url) as idle:
            idle.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while part := idle.recv(65536):  # until the keep-alive time limit closes it (else a timeout)
                received += part
            assert received.startswith(b"HTTP/1.1 200 ") and received.endswith(b"}")


def test_the_access_log_has_one_line_per_request_and_no_question_text(client):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("assistant.access")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get("/api/search", params={"q": "khen thưởng bí mật"})
        client.post("/api/ask", json={"question": "Ai ký kế hoạch bí mật?"})
        client.get("/api/nothing")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    lines = [record.getMessage() for record in records]
    assert [re.sub(r" [\d.]+ ms$", " ms", line) for line in lines] == [
        'testclient "GET /api/search" 200 ms', 'testclient "POST /api/ask" 200 ms', 'testclient "GET /api/nothing" 404 ms']
    assert not any("bí mật" in line or "b%C3%AD" in line for line in lines)
