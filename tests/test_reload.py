"""A running server picks up a document added meanwhile: no error during the swap,
and the new document is served after it."""

import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from assistant.engine import Assistant, add_documents
from assistant.serve.api import create_app

from .conftest import FakeEmbedder, serving

NEW_PLAN = Path(__file__).resolve().parent / "fixtures" / "formats" / "tuyen-quang-ubnd-thcbks-2024.docx"
NEW_DOC = "tuyen-quang-ubnd-thcbks-2024"


@pytest.fixture
def server(settings, monkeypatch):
    """A real server on 127.0.0.1 with the fake embedder, checking for new versions every second."""
    monkeypatch.setenv("ASSISTANT_ADMIN_TOKEN", "bi-mat")
    settings = replace(settings, reload_seconds=1)
    assistant = Assistant.open(settings, embedder=FakeEmbedder(), warm=False)
    with serving(create_app(settings, assistant)) as url:
        yield settings, url


def test_answers_continue_while_a_document_is_added(server):
    settings, url = server
    statuses, stop = [], threading.Event()

    def client():
        with httpx.Client(base_url=url, timeout=30) as http:
            while not stop.is_set():
                statuses.append(http.post("/api/ask", json={"question": "Ai chịu trách nhiệm khen thưởng?"}).status_code)

    clients = [threading.Thread(target=client) for _ in range(2)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(0.3)
        add_documents(settings, [NEW_PLAN], embedder=FakeEmbedder())
        deadline, seen = time.monotonic() + 20, []
        while time.monotonic() < deadline and NEW_DOC not in seen:
            seen = [d["doc_id"] for d in httpx.get(f"{url}/api/documents").json()]
            time.sleep(0.2)
        time.sleep(0.3)  # a few more answers on the new version
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=30)
    assert NEW_DOC in seen
    assert len(statuses) > 5 and set(statuses) == {200}
    answer = httpx.post(f"{url}/api/ask", json={"question": "Tuyên Quang giao Sở Thông tin và Truyền thông làm gì?"},
                        timeout=30).json()
    assert answer["found"] and answer["citations"][0]["doc_id"] == NEW_DOC


def test_the_reload_endpoint_needs_the_admin_token(server):
    settings, url = server
    refused = httpx.post(f"{url}/api/admin/reload", headers={"Authorization": "Bearer sai"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorised"
    reloaded = httpx.post(f"{url}/api/admin/reload", headers={"Authorization": "Bearer bi-mat"}).json()
    assert reloaded["reloaded"] is False and reloaded["documents"] == 2


def test_without_a_token_there_is_no_admin_endpoint(settings, monkeypatch):
    from fastapi.testclient import TestClient

    monkeypatch.delenv("ASSISTANT_ADMIN_TOKEN", raising=False)
    client = TestClient(create_app(settings, Assistant.open(settings, embedder=FakeEmbedder(), warm=False)))
    assert client.post("/api/admin/reload").status_code == 404
