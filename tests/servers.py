"""A real server for the serving tests, configured as `assistant serve` configures it."""

from __future__ import annotations

import socket
from contextlib import contextmanager

from assistant.serve.api import create_app

from .conftest import serving


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(settings, assistant):
    """Yields (url, app); stops the server at the end."""
    app = create_app(settings, assistant)
    with serving(app, settings) as url:
        yield url, app
