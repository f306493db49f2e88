"""uvicorn's HTTP/1.1 protocol with a time limit on a request's headers.

uvicorn closes idle keep-alive connections, but a client that opens a connection and
sends its headers a byte at a time (or never) is held forever; enough of them and no
one else can connect. Here the headers of each request must arrive within
`config.header_seconds` of the connection opening or of the request's first byte."""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_SECONDS = 10.0


class TimedH11Protocol(H11Protocol):
    def __init__(self, config, *args, **kwargs):
        super().__init__(config, *args, **kwargs)
        self.header_seconds = getattr(config, "header_seconds", DEFAULT_HEADER_SECONDS)
        self._header_timer = None

    def connection_made(self, transport):
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and self.conn.their_state is h11.IDLE:  # a new request begins
            self._arm()
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # its headers are complete
            self._disarm()

    def connection_lost(self, exc):
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_seconds, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()
