"""uvicorn's HTTP/1.1 protocol with every connection bounded in time and in number.

uvicorn closes idle keep-alive connections, but not a client that sends its headers a
byte at a time, nor one that sends headers, part of a body, then nothing: each holds a
file descriptor forever, and enough of them exhaust the open-file limit. Here:

- a request's headers must arrive within `header_seconds` of the connection opening
  or of the request's first byte;
- its whole body within `body_seconds` of its headers (then a 408, and the connection
  is closed);
- one client address may hold at most `max_connections_per_client` connections, and
  the process at most `max_connections`, kept below the open-file limit; past 80% of
  that, only clients holding fewer than 4 connections get another, so a flood from a
  few addresses leaves room for everyone else. A connection refused gets a short 503
  written straight to the socket and is closed, with no request parsed and nothing run;
- a request that is not HTTP gets the API's Vietnamese JSON error and security
  headers, not uvicorn's English text.

The limits are read from the uvicorn config (server.uvicorn_config sets them), so they
hold in worker processes too."""

from __future__ import annotations

import json
import resource

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .middleware import API_POLICY, SECURITY_HEADERS

DEFAULT_HEADER_SECONDS = 10.0
DEFAULT_BODY_SECONDS = 5.0
FILE_RESERVE = 128  # descriptors kept for the model, the index files, logs and the threads' own
CROWDED, FEW = 0.8, 4  # past 80% of the cap, only clients holding fewer than 4 connections get another


def connection_cap(wanted: int) -> int:
    """The process-wide cap: as asked, but below the open-file limit (less a reserve)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    room = soft - FILE_RESERVE if soft != resource.RLIM_INFINITY else wanted
    return max(1, min(wanted, room)) if wanted > 0 else max(1, room)


def raw_response(status: int, reason: str, code: str, message: str, extra: dict | None = None) -> bytes:
    """A whole HTTP response with the API's error shape, written without the app."""
    body = json.dumps({"error": {"status": status, "code": code, "message": message}}, ensure_ascii=False).encode()
    headers = {"content-type": "application/json", "content-length": str(len(body)), "connection": "close",
               **SECURITY_HEADERS, "content-security-policy": API_POLICY, **(extra or {})}
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1") + body


TOO_MANY = raw_response(503, "Service Unavailable", "too_many_connections",
                        "máy chủ đang có quá nhiều kết nối; hãy thử lại sau ít giây", {"retry-after": "5"})
BODY_TOO_SLOW = raw_response(408, "Request Timeout", "body_timeout",
                             "nội dung yêu cầu gửi quá chậm nên kết nối bị đóng; hãy gửi lại")
MALFORMED = raw_response(400, "Bad Request", "malformed_request",
                         "yêu cầu không đúng giao thức HTTP nên không đọc được")


class TimedH11Protocol(H11Protocol):
    def __init__(self, config, *args, **kwargs):
        super().__init__(config, *args, **kwargs)
        self.header_seconds = getattr(config, "header_seconds", DEFAULT_HEADER_SECONDS)
        self.body_seconds = getattr(config, "body_seconds", DEFAULT_BODY_SECONDS)
        self._counts = _counts(self.server_state, config)
        self._counted: str | None = None  # the client address this connection is counted under
        self._header_timer = None
        self._body_timer = None

    def connection_made(self, transport):
        super().connection_made(transport)
        host = self.client[0] if self.client else "-"
        counts = self._counts
        if not _admits(counts, counts["clients"].get(host, 0)):
            counts["refused"] += 1
            transport.write(TOO_MANY)
            transport.close()
            return
        counts["total"] += 1
        counts["clients"][host] = counts["clients"].get(host, 0) + 1
        self._counted = host
        self._arm_headers()

    def data_received(self, data: bytes) -> None:
        if self._counted is None:
            return  # refused at connection: nothing is parsed
        if self._header_timer is None and self.conn.their_state is h11.IDLE:  # a new request begins
            self._arm_headers()
        super().data_received(data)
        state = self.conn.their_state
        if state is not h11.IDLE:  # its headers are complete
            self._disarm("_header_timer")
        if state is h11.SEND_BODY and self._body_timer is None:
            self._body_timer = self.loop.call_later(self.body_seconds, self._body_too_slow)
        elif state is not h11.SEND_BODY:
            self._disarm("_body_timer")

    def connection_lost(self, exc):
        self._disarm("_header_timer")
        self._disarm("_body_timer")
        if self._counted is not None:
            counts = self._counts
            counts["total"] -= 1
            left = counts["clients"].get(self._counted, 1) - 1
            if left > 0:
                counts["clients"][self._counted] = left
            else:
                counts["clients"].pop(self._counted, None)
            self._counted = None
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        if not self.transport.is_closing():
            self.transport.write(MALFORMED)
            self.transport.close()

    def _arm_headers(self) -> None:
        self._disarm("_header_timer")
        self._header_timer = self.loop.call_later(self.header_seconds, self._headers_too_slow)

    def _disarm(self, name: str) -> None:
        timer = getattr(self, name)
        if timer is not None:
            timer.cancel()
            setattr(self, name, None)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _body_too_slow(self) -> None:
        self._body_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(BODY_TOO_SLOW)  # the app has said nothing yet: say why
        self.transport.close()


def _admits(counts: dict, held: int) -> bool:
    """Room for one more connection from a client holding `held`? Near the cap only
    clients holding few connections get in, so that a flood from a few addresses leaves
    room for everyone else."""
    if counts["total"] >= counts["cap"] or 0 < counts["per_client"] <= held:
        return False
    return counts["total"] < counts["cap"] * CROWDED or held < FEW


def _counts(server_state, config) -> dict:
    """Open connections, shared by all the protocol objects of one server."""
    counts = getattr(server_state, "assistant_connections", None)
    if counts is None:
        counts = {"total": 0, "clients": {}, "refused": 0,
                  "cap": connection_cap(getattr(config, "max_connections", 0)),
                  "per_client": getattr(config, "max_connections_per_client", 0)}
        server_state.assistant_connections = counts
    return counts
