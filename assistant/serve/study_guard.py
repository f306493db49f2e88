"""The study routes under the same limits as the rest of the API, in one place.

- Limits before any work: every parameter has a maximum length, the repeatable ones a
  maximum count, the closed ones (format, by, topic, province) their list of values;
  a value that breaks one is refused with at most SHOWN characters of it quoted. The
  OpenAPI document states the same (describe_study).
- One queue: a view or a file is made on the engine's thread through the worker's gate
  (gate.py), so 64 clients downloading a .docx wait their turn, past which they get a
  503 with Retry-After, instead of 64 threads taking the CPU from everyone.
- One cache: a view or file made once is kept per index version (bounded in bytes), so
  the same handout is made once, not once per download."""

from __future__ import annotations

import contextvars
import threading
from collections import OrderedDict
from typing import Callable

import anyio.from_thread
from fastapi import Depends, Request
from fastapi.responses import Response

from ..errors import (InvalidRequestError, UnknownDocumentError, UnknownProvinceError, UnknownTopicError,
                      UnsupportedFormatError)
from ..ingest.provinces import by_slug
from ..study.export import FORMATS
from ..study.quiz import MAX_QUESTIONS
from ..study.topics import TOPICS
from ..study.views import MATRIX_BY

SHOWN = 60  # characters of a client's input an error message may quote
MAX_VALUE = 40  # a province slug, topic key, format or matrix axis (the longest real one is 25)
MAX_DOC_ID = 120
MAX_REPEATS = 64  # values of one repeatable parameter
MAX_SEED = 2**31 - 1
_CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("study_client", default="-")


def shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


class StudyGuard:
    def __init__(self, engine: Callable, gate: Callable, cache_bytes: int):
        self.engine, self.gate = engine, gate
        self.cache = _Cache(cache_bytes)
        self.dependencies = [Depends(self.check)]

    async def check(self, request: Request) -> None:
        """Refuse out-of-bounds parameters before the route reads them."""
        _CLIENT.set(request.client.host if request.client else "-")
        index = self.engine().index
        closed = {"format": ("json", *FORMATS), "by": MATRIX_BY, "topic": tuple(k for k, _ in TOPICS),
                  "province": (*index.provinces, "")}
        counts: dict[str, int] = {}
        for name, value in request.query_params.multi_items():
            counts[name] = counts.get(name, 0) + 1
            if counts[name] > MAX_REPEATS:
                raise InvalidRequestError(f"yêu cầu không hợp lệ: trường «{shown(name)}» lặp lại quá {MAX_REPEATS} lần")
            if name in closed and value not in closed[name]:
                raise _unknown(name, value, closed[name])
            if name == "seed" and not (value.isdigit() and len(value) <= 10 and int(value) <= MAX_SEED):
                raise InvalidRequestError(f"yêu cầu không hợp lệ: trường «seed» phải là số nguyên từ 0 đến {MAX_SEED}")
        doc_id = request.path_params.get("doc_id")
        if doc_id is not None and doc_id not in index.documents:
            raise UnknownDocumentError(f"không có văn bản «{shown(doc_id)}»; các văn bản hiện có: "
                                       + ", ".join(list(index.documents)[:20]))

    def respond(self, name: str, fmt: str, options: dict, render: Callable[[], Response]) -> Response:
        """The response, from the cache or made on the engine's thread (called from the
        route's own worker thread)."""
        index = self.engine().index
        key = (index.version or id(index), name, fmt,
               tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items())))
        kept = self.cache.get(key)
        if kept is None:
            gate = self.gate()
            made = anyio.from_thread.run(gate.run, render, _present, 1.0, _CLIENT.get(), "study") \
                if gate is not None else render()
            kept = (made.body, made.media_type, {k: v for k, v in made.headers.items() if k == "content-disposition"})
            self.cache.put(key, kept)
        body, media_type, headers = kept
        return Response(body, media_type=media_type, headers=headers)


async def _present() -> bool:
    return False  # a study request is made whole even if its client leaves: it is cached for the next


def _unknown(name: str, value: str, allowed) -> Exception:
    """The study stage's own message for the value, quoting at most SHOWN characters of it."""
    value = shown(value)
    if name == "province":
        hint = "" if by_slug(value) else " (viết không dấu, nối bằng gạch ngang, ví dụ gia-lai)"
        return UnknownProvinceError(f"không có tỉnh «{value}» trong bộ văn bản{hint}; các tỉnh hiện có: "
                                    + ", ".join(sorted(a for a in allowed if a)))
    if name == "topic":
        return UnknownTopicError(f"không có chủ đề «{value}»; các chủ đề: "
                                 + "; ".join(f"{key} ({label})" for key, label in TOPICS))
    if name == "format":
        return UnsupportedFormatError(f"không có định dạng «{value}»; chọn một trong: {', '.join(allowed)}")
    return InvalidRequestError(f"--by phải là unit (theo đơn vị) hoặc topic (theo chủ đề), không phải «{value}»")


class _Cache:
    """Responses by (index version, view, format, options), least recently used out first."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key, item) -> None:
        size = len(item[0])
        if size > self.limit:
            return
        with self._lock:
            for old in [k for k in self._items if k[0] != key[0]]:  # another index version: never asked again
                self.size -= len(self._items.pop(old)[0])
            self._items[key] = item
            self.size += size
            while self.size > self.limit:
                self.size -= len(self._items.popitem(last=False)[1][0])


def describe_study(schema: dict, provinces: list[str]) -> dict:
    """The study parameters' limits and values in the OpenAPI document (a copy is changed)."""
    closed = {"format": ["json", *FORMATS], "by": list(MATRIX_BY), "topic": [k for k, _ in TOPICS],
              "province": [*provinces, ""]}
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api/study/"):
            continue
        parameters = operations.get("get", {}).get("parameters", [])
        if any(p["name"] == "format" for p in parameters):  # the files it sends besides JSON
            content = operations["get"]["responses"]["200"].setdefault("content", {})
            content.update({media: {"schema": {"type": "string", "format": "binary"}}
                            for media in dict.fromkeys(FORMATS.values())})
        for parameter in parameters:
            name, target = parameter["name"], parameter.setdefault("schema", {})
            if target.get("type") == "array":
                target["maxItems"] = MAX_REPEATS
                target = target.setdefault("items", {})
            if name in closed:
                target.update({"type": "string", "enum": closed[name], "maxLength": MAX_VALUE})
            elif name == "doc_id":
                target["maxLength"] = MAX_DOC_ID
            elif name == "seed":
                target.update({"minimum": 0, "maximum": MAX_SEED})
            elif name == "count":
                target.update({"minimum": 1, "maximum": MAX_QUESTIONS})
    return schema
