"""Every connection is bounded in time and in number (issue 19): a body that stops
coming is cut off, one client cannot hold more than its share of connections, the
process never passes its cap, and /api/health answers throughout a flood of slow
bodies. Timings are not asserted; the socket timeouts only tell "closed by the server"
from "never closed"."""

from __future__ import annotations

import logging
import resource
import selectors
import socket
import threading
import time
from dataclasses import replace

import httpx
import pytest

from assistant.serve.logs import RepeatFilter

from .servers import running

SLOW_BODY = (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             b"Content-Length: 60000\r\n\r\n" + b'{"question": "' + b"a" * 986)


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _read_all(conn: socket.socket) -> bytes:
    received = b""
    try:
        while part := conn.recv(65536):
            received += part
    except (ConnectionResetError, TimeoutError):
        pass
    return received


def test_a_body_that_stops_coming_gets_408_and_the_connection_is_closed(settings, assistant):
    with running(replace(settings, body_seconds=1), assistant) as (url, _):
        with socket.create_connection(("127.0.0.1", _port(url)), timeout=8) as conn:
            conn.sendall(SLOW_BODY)
            received = _read_all(conn)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert "gửi quá chậm".encode() in received and b"content-security-policy" in received.lower()


def test_one_client_holds_at_most_its_share_of_connections(settings, assistant):
    with running(replace(settings, max_connections_per_client=3), assistant) as (url, _):
        held = [socket.create_connection(("127.0.0.1", _port(url)), timeout=5) for _ in range(3)]
        try:
            with socket.create_connection(("127.0.0.1", _port(url)), timeout=5) as extra:
                refused = _read_all(extra)
            other = socket.create_connection(("127.0.0.1", _port(url)), source_address=("127.0.0.2", 0), timeout=5)
            other.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answered = _read_all(other)
            other.close()
        finally:
            for conn in held:
                conn.close()
    assert refused.startswith(b"HTTP/1.1 503 ") and b"retry-after: 5" in refused.lower()
    assert "quá nhiều kết nối".encode() in refused
    assert answered.startswith(b"HTTP/1.1 200 ")


def test_a_request_that_is_not_http_gets_the_apis_vietnamese_error(settings, assistant):
    with running(settings, assistant) as (url, _):
        with socket.create_connection(("127.0.0.1", _port(url)), timeout=5) as conn:
            conn.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
            received = _read_all(conn)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"x-content-type-options: nosniff" in head.lower() and b"application/json" in head
    assert "không đúng giao thức HTTP".encode() in body


def test_2000_slow_bodies_do_not_take_the_server_offline(settings, assistant):
    """The issue's attack: headers with Content-Length 60000, then 1,000 bytes, then
    nothing, 2,000 times, from eight client addresses; health is asked from a ninth."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 4096:
        pytest.skip(f"the open-file limit ({hard}) cannot hold 2,000 connections on both ends")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 4096), hard))
    limits = replace(settings, body_seconds=1, max_connections=256, max_connections_per_client=64)
    probes, stop = [], threading.Event()
    with running(limits, assistant) as (url, _):
        def probe():
            with httpx.Client(base_url=url, timeout=10) as client:
                while not stop.is_set():
                    started = time.perf_counter()
                    probes.append((client.get("/api/health").status_code, time.perf_counter() - started))
                    time.sleep(0.02)

        prober = threading.Thread(target=probe)
        prober.start()
        try:
            slow = _open_slow(_port(url), 2000)
            outcomes = _outcomes(slow, seconds=15)
        finally:
            stop.set()
            prober.join(timeout=15)
    assert len(outcomes) == 2000 and set(outcomes) <= {"408", "503", "closed"}
    assert outcomes.count("503") >= 2000 - 256  # past the caps: refused at once
    assert len(probes) >= 2 and {status for status, _ in probes} == {200}
    print(f"health during the flood: {len(probes)} probes, slowest {max(s for _, s in probes) * 1000:.0f} ms")


def _open_slow(port: int, count: int) -> list[socket.socket]:
    conns = []
    for n in range(count):
        conn = socket.socket()
        conn.bind((f"127.0.0.{2 + n % 8}", 0))
        conn.settimeout(5)
        try:
            conn.connect(("127.0.0.1", port))
            conn.sendall(SLOW_BODY)
        except OSError:
            pass  # refused and closed before the body went out: counted below
        conns.append(conn)
    return conns


def _outcomes(conns: list[socket.socket], seconds: float) -> list[str]:
    """What each connection got before the server closed it ("unanswered" if it never did)."""
    selector = selectors.DefaultSelector()
    for conn in conns:
        conn.setblocking(False)
        selector.register(conn, selectors.EVENT_READ, [b""])
    outcomes, deadline = [], time.monotonic() + seconds
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            try:
                part = key.fileobj.recv(65536)
            except (ConnectionResetError, BlockingIOError):
                part = b""
            if part:
                key.data[0] += part
                continue
            head = key.data[0][:12]
            outcomes.append(head[9:12].decode() if head.startswith(b"HTTP/1.1 ") else "closed")
            selector.unregister(key.fileobj)
            key.fileobj.close()
    outcomes += ["unanswered"] * len(selector.get_map())
    for key in list(selector.get_map().values()):
        key.fileobj.close()
    return outcomes


def test_an_error_repeated_per_connection_is_logged_once_with_a_count():
    now = [0.0]
    quiet = RepeatFilter(window=60, clock=lambda: now[0])
    records = []
    for second in (0, 1, 2, 30, 61):
        now[0] = second
        try:
            raise OSError(24, "Too many open files")
        except OSError:
            record = logging.LogRecord("asyncio", logging.ERROR, "x", 1, "socket.accept() out of system resource",
                                       None, exc_info=__import__("sys").exc_info())
        if quiet.filter(record):
            records.append(record)
    assert [r.getMessage() for r in records] == [
        "socket.accept() out of system resource (OSError: [Errno 24] Too many open files)",
        "socket.accept() out of system resource (OSError: [Errno 24] Too many open files) "
        "(thêm 3 lần trong 60 giây trước)"]
    assert all(r.exc_info is None for r in records)
