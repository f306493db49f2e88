"""ASGI layers around the whole app, so that they see every response, errors and
/docs included: security headers, an access log of one line per request, and the
request body cap."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time

from starlette.exceptions import HTTPException

ACCESS_LOG = logging.getLogger("assistant.access")

SECURITY_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY"}
# JSON and errors: nothing may run, load or frame
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# the chat page runs only its own script and talks only to this server
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
# Swagger UI: its own files, plus the one inline script that starts it, allowed by hash
_DOCS_POLICY = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


class SecurityHeaders:
    def __init__(self, app, docs_paths: frozenset[str]):
        self.app = app
        self.docs_paths = docs_paths

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        if path in self.docs_paths:
            return await self._docs(scope, receive, send)
        page = path == "/" or path.startswith("/static/")
        headers = {**SECURITY_HEADERS, "content-security-policy": PAGE_POLICY if page else API_POLICY}
        if page:
            headers["cache-control"] = "no-cache"

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = _merged(message.get("headers", []), headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope, receive, send):
        """The docs page is small: hold it back, hash its inline scripts, then send it."""
        held = []

        async def hold(message):
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                body = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
                hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
                                  for s in _INLINE_SCRIPT.findall(body))
                headers = {**SECURITY_HEADERS, "content-security-policy": _DOCS_POLICY.format(hashes=hashes)}
                for m in held:
                    if m["type"] == "http.response.start":
                        m["headers"] = _merged(m.get("headers", []), headers)
                    await send(m)

        await self.app(scope, receive, hold)


def _merged(raw: list, headers: dict[str, str]) -> list:
    kept = [(k, v) for k, v in raw if k.decode("latin-1").lower() not in headers]
    return kept + [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


class AccessLog:
    """`client "METHOD /path" status ms`: the path only, never the query string, so a
    question sent to /api/search?q=… is not written down."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 0

        async def note_status(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, note_status)
        finally:
            client = (scope.get("client") or ("-",))[0]
            took = (time.perf_counter() - started) * 1000
            ACCESS_LOG.info('%s "%s %s" %s %.1f ms', client, scope["method"], scope["path"][:200], status or "-",
                            took)


class BodyLimit:
    """Refuse a request body over `limit` bytes: at once when its Content-Length says so
    (nothing is read), else as soon as the bytes received pass it. The 413 is raised
    where the app reads the body, so it gets the API's error shape and headers."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        received = 0

        async def receive_within_limit():
            nonlocal received
            if declared.isdigit() and int(declared) > self.limit:
                raise HTTPException(413)
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413)
            return message

        await self.app(scope, receive_within_limit, send)


class HeadAsGet:
    """HEAD wherever GET is: the GET response's status and headers, without its body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, headers_only)
